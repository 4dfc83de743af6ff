"""load_pages creates what is missing, refreshes what staff never edited, keeps staff's edits."""

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from pages.models import Page, Question, Revision, Source
from pages.services import CONTENT_DIR, load_pages
from tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(tmp_path):
    """A copy of the shipped content that a test may change."""
    directory = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, directory)
    return directory


def rewrite(path, change):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    change(data)
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_it_creates_the_pages_their_sources_and_the_questions():
    report = load_pages()
    assert report.pages["created"] == Page.objects.count() == 5
    assert report.questions["created"] == Question.objects.count() == 13
    assert Source.objects.filter(page__slug="acteurs-publics").count() == 4
    assert Revision.objects.count() == 0


def test_it_is_idempotent():
    load_pages()
    before = list(Page.objects.values().order_by("pk")), list(Source.objects.values("pk"))
    report = load_pages()
    assert report.pages == {"created": 0, "updated": 0, "kept": 0, "unchanged": 5}
    assert report.questions == {"created": 0, "updated": 0, "kept": 0, "unchanged": 13}
    assert (list(Page.objects.values().order_by("pk")), list(Source.objects.values("pk"))) == before


def test_it_never_overwrites_a_page_staff_edited(content):
    load_pages(content)
    page = Page.objects.get(slug="acteurs-publics")
    page.body_fr = "Texte corrigé par la CRESS."
    page.save_edit(by=member_of("cress"))
    (content / "acteurs-publics.fr.md").write_text("Nouveau texte livré.", encoding="utf-8")
    rewrite(content / "index.json", lambda data: data["pages"][4]["sources"].clear())

    report = load_pages(content)

    page.refresh_from_db()
    assert page.body_fr == "Texte corrigé par la CRESS."
    assert page.sources.count() == 4
    assert report.pages["kept"] == 1


def test_it_never_overwrites_a_question_staff_edited(content):
    load_pages(content)
    question = Question.objects.get(key="cest-gratuit")
    question.answer_fr = "Oui, c'est gratuit (réponse de la CRESS)."
    question.save_edit(by=member_of("cress"))
    rewrite(content / "faq.json", lambda data: data["questions"][0].update(answer_fr="Autre."))

    assert load_pages(content).questions["kept"] == 1
    question.refresh_from_db()
    assert question.answer_fr == "Oui, c'est gratuit (réponse de la CRESS)."


def test_it_refreshes_a_page_staff_never_edited(content):
    load_pages(content)
    (content / "entreprises.en.md").write_text("Better English.", encoding="utf-8")
    rewrite(content / "index.json", lambda data: data["pages"][4]["sources"].pop())

    report = load_pages(content)

    assert report.pages["updated"] == 2
    assert Page.objects.get(slug="entreprises").body_en == "Better English."
    assert Source.objects.filter(page__slug="acteurs-publics").count() == 3


def test_it_creates_a_page_added_to_the_files_and_keeps_a_page_removed_from_them(content):
    load_pages(content)

    def add_and_remove(data):
        data["pages"].pop(0)
        data["pages"].append({"slug": "nouvelle", "title_fr": "Nouvelle", "summary_fr": "S."})

    rewrite(content / "index.json", add_and_remove)
    (content / "nouvelle.fr.md").write_text("Texte.", encoding="utf-8")

    report = load_pages(content)

    assert report.pages["created"] == 1
    assert Page.objects.get(slug="nouvelle").body_en == ""
    assert Page.objects.filter(slug="mecenat-et-benevolat-de-competences").exists()


def test_the_command_reports_what_it_did():
    out = StringIO()
    call_command("load_pages", stdout=out)
    assert "Pages : 5 créée(s)" in out.getvalue()
    out = StringIO()
    call_command("load_pages", stdout=out)
    assert "5 inchangée(s)" in out.getvalue()


def test_the_demo_seed_loads_the_pages():
    call_command("seed_demo", stdout=StringIO())
    assert Page.objects.count() == 5 and Question.objects.count() == 13


LEGIFRANCE = {
    "Loi n° 2022-217": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000045197395",
    "Décret n° 2022-1682": "https://www.legifrance.gouv.fr/eli/decret/2022/12/27/2022-1682/jo/texte",
}


def test_the_public_bodies_page_links_its_main_texts_to_legifrance(client):
    load_pages()
    sources = Source.objects.filter(page__slug="acteurs-publics")
    for start, url in LEGIFRANCE.items():
        assert sources.get(title__startswith=start).url == url
    html = client.get("/comprendre/acteurs-publics/").content.decode()
    for url in LEGIFRANCE.values():
        assert f'<a href="{url}" rel="noopener">' in html


@pytest.mark.parametrize("edited", [False, True], ids=["unedited", "edited"])
def test_a_source_s_new_address_reaches_an_unedited_page_not_an_edited_one(content, edited):
    """The pages loaded before the addresses were added: the next load brings them to the
    page if nobody edited it, and leaves it as it is if the CRESS did."""

    def without_urls(data):
        for entry in data["pages"]:
            for source in entry.get("sources", []):
                source["url"] = ""

    shipped = json.loads((content / "index.json").read_text(encoding="utf-8"))
    rewrite(content / "index.json", without_urls)
    load_pages(content)
    if edited:
        Page.objects.get(slug="acteurs-publics").save_edit(by=member_of("cress"))
    (content / "index.json").write_text(json.dumps(shipped, ensure_ascii=False), encoding="utf-8")

    report = load_pages(content)

    sources = Source.objects.filter(page__slug="acteurs-publics").exclude(url="")
    assert sources.count() == (0 if edited else len(LEGIFRANCE))
    assert report.pages["kept" if edited else "updated"] == 1
