"""Markdown written by staff is rendered with headings, lists, links, tables and emphasis only."""

import pytest

from pages import markdown
from pages.markdown import render_markdown


def test_it_renders_what_staff_need():
    html = render_markdown(
        "## Titre\n\n- un\n- deux\n\n1. premier\n\n**gras** *italique* [lien](/comprendre/)\n\n"
        "| | A |\n|---|---|\n| Temps | travail |\n"
    )
    for piece in ("<h2>Titre</h2>", "<li>un</li>", "<ol>", "<strong>gras</strong>",
                  "<em>italique</em>", '<a href="/comprendre/">lien</a>', "<table>"):  # fmt: skip
        assert piece in html


def test_a_heading_one_becomes_two_the_page_title_is_the_only_h1():
    assert render_markdown("# Titre") == "<h2>Titre</h2>"


def test_table_headers_are_scoped_for_screen_readers():
    html = render_markdown("| | Mécénat |\n|---|---|\n| Qui paie ? | L'employeur |\n")
    assert '<th scope="col">Mécénat</th>' in html
    assert '<th scope="row">Qui paie ?</th>' in html


def test_links_to_other_sites_get_noopener_and_ours_do_not():
    html = render_markdown("[loi](https://www.legifrance.gouv.fr/) [ici](/questions-frequentes/)")
    assert '<a href="https://www.legifrance.gouv.fr/" rel="noopener">loi</a>' in html
    assert '<a href="/questions-frequentes/">ici</a>' in html


DANGERS = {
    "script": ("Avant <script>alert('x')</script> après", ["<script", "alert("]),
    "onclick": ('<p onclick="voler()">Cliquez</p>', ["onclick", "voler"]),
    "style": ('<p style="color: red">Rouge</p>', ["style=", "color: red"]),
    "javascript link": ("[clic](javascript:alert(1))", ["javascript:"]),
    "raw javascript link": ('<a href="javascript:alert(1)">clic</a>', ["javascript:"]),
    "image": ('<img src="x" onerror="voler()">', ["<img", "onerror"]),
    "iframe": ('<iframe src="https://ailleurs.example"></iframe>', ["<iframe"]),
}


@pytest.mark.parametrize("name", DANGERS)
def test_it_removes_what_could_run_or_restyle(name):
    text, forbidden = DANGERS[name]
    html = render_markdown(text)
    assert [piece for piece in forbidden if piece in html] == []


@pytest.mark.parametrize("name", DANGERS)
def test_without_the_cleaner_those_would_pass(name, monkeypatch):
    """The tests above hold because of nh3, not because Markdown drops them by itself."""
    monkeypatch.setattr(markdown, "clean_html", lambda html: html)
    text, forbidden = DANGERS[name]
    html = render_markdown(text)
    assert [piece for piece in forbidden if piece in html] != []


def test_the_text_around_a_removed_tag_stays():
    assert "Cliquez" in render_markdown('<p onclick="voler()">Cliquez</p>')
