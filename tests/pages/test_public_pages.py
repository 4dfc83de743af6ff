"""The pages and the FAQ are public: anyone reads them, in French or in English."""

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from pages.models import Page, Question
from pages.services import read_content

pytestmark = pytest.mark.django_db

SLUGS = [entry["slug"] for entry in read_content()[0]]


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_the_shipped_content_has_the_five_pages_and_ten_to_fifteen_questions():
    pages, questions = read_content()
    assert set(SLUGS) == {
        "mecenat-et-benevolat-de-competences",
        "mecenat-ou-benevolat",
        "associations",
        "entreprises",
        "acteurs-publics",
    }
    assert 10 <= len(questions) <= 15
    for entry in pages:
        assert entry["body_fr"] and entry["body_en"] and entry["title_en"] and entry["summary_en"]
    for entry in questions:
        assert entry["question_en"] and entry["answer_en"]


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_is_public_with_its_title_and_description(client, loaded, slug):
    page = Page.objects.get(slug=slug)
    response = client.get(reverse("page_detail", args=[slug]))
    assert response.status_code == 200
    assert f"<title>{page.title_fr} · Probono</title>" in response.text.replace("&#x27;", "'")
    assert '<meta name="description"' in response.text
    assert '<meta property="og:title"' in response.text
    assert '<meta property="og:locale" content="fr_FR">' in response.text


def test_the_shared_address_is_the_site_s(client, loaded, settings):
    settings.SITE_URL = "https://probono.example.org/"
    response = client.get(reverse("page_detail", args=["entreprises"]), HTTP_HOST="testserver")
    expected = "https://probono.example.org" + reverse("page_detail", args=["entreprises"])
    assert f'<meta property="og:url" content="{expected}">' in response.text
    assert f'<link rel="canonical" href="{expected}">' in response.text


@pytest.mark.parametrize("slug", SLUGS)
def test_each_page_is_in_english_under_the_language_switch(client, loaded, slug):
    page = Page.objects.get(slug=slug)
    response = english(client).get(reverse("page_detail", args=[slug]))
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert page.title_en.replace("'", "&#x27;") in response.text
    assert "not yet translated" not in response.text
    assert '<meta property="og:locale" content="en_GB">' in response.text


def test_a_page_without_english_shows_french_and_says_so(client, loaded):
    Page.objects.filter(slug="entreprises").update(title_en="", body_en="")
    response = english(client).get(reverse("page_detail", args=["entreprises"]))
    assert "Pour les entreprises" in response.text
    assert '<article lang="fr">' in response.text
    # The notice is a French message of the catalogue; the lead fills its English in.
    assert 'class="notice"' in response.text


def test_the_index_lists_every_page_by_section(client, loaded):
    response = client.get(reverse("pages_index"))
    assert response.status_code == 200
    for slug in SLUGS:
        assert reverse("page_detail", args=[slug]) in response.text
    assert "<h2" in response.text and "Pour vous" in response.text


def test_the_index_in_english(client, loaded):
    response = english(client).get(reverse("pages_index"))
    assert "For companies" in response.text


def test_the_faq_lists_every_question(client, loaded):
    response = client.get(reverse("faq"))
    assert response.status_code == 200
    for question in Question.objects.all():
        assert f'id="question-{question.pk}"' in response.text
    assert "Probono est-il payant ?" in response.text


def test_the_faq_in_english(client, loaded):
    response = english(client).get(reverse("faq"))
    assert "Does Probono cost anything?" in response.text


def test_an_unknown_page_is_a_404(client, loaded):
    assert client.get(reverse("page_detail", args=["nulle-part"])).status_code == 404


def test_a_page_stating_rules_says_when_the_cress_checked_them(client, loaded):
    response = client.get(reverse("page_detail", args=["acteurs-publics"]))
    assert "Règles à vérifier" in response.text
    Page.objects.filter(slug="acteurs-publics").update(rules_checked_on="2026-03-02")
    response = client.get(reverse("page_detail", args=["acteurs-publics"]))
    assert "Règles vérifiées par la CRESS le 2 mars 2026." in response.text


def test_the_public_bodies_page_lists_its_dated_sources(client, loaded):
    response = client.get(reverse("page_detail", args=["acteurs-publics"]))
    assert "Loi n° 2022-217 du 21 février 2022" in response.text
    assert "(21 février 2022)" in response.text
    assert "Décret n° 2022-1682 du 27 décembre 2022" in response.text


def test_the_comparison_is_a_table_with_row_and_column_headers(client, loaded):
    response = client.get(reverse("page_detail", args=["mecenat-ou-benevolat"]))
    assert '<th scope="col">Mécénat de compétences</th>' in response.text
    assert '<th scope="row">Qui paie ?</th>' in response.text


def test_the_ceiling_table_matches_the_observatory_dated_table():
    """The page's 3 × PASS figures are those of observatory/data/plafond_securite_sociale.csv."""
    root = Path(__file__).resolve().parents[2]
    body = (root / "pages/content/mecenat-ou-benevolat.fr.md").read_text(encoding="utf-8")
    with open(root / "observatory/data/plafond_securite_sociale.csv", encoding="utf-8") as rows:
        for row in csv.DictReader(rows, delimiter=";"):
            ceiling = int(row["plafond_annuel"])
            line = f"| {row['annee']} | {ceiling:,} € | {3 * ceiling:,} € |".replace(",", "\u202f")
            line = line.replace("\u202f", " ")
            assert line in body


def test_anonymous_navigation_links_the_public_pages_and_marks_the_current_one(client, loaded):
    response = client.get(reverse("faq"))
    nav = response.text.split('<nav aria-label="Navigation principale">')[1].split("</nav>")[0]
    assert f'<a href="{reverse("pages_index")}">Comprendre</a>' in nav
    assert f'<a href="{reverse("public_needs")}">Besoins publiés</a>' in nav
    assert f'<a href="{reverse("faq")}" aria-current="page">Questions fréquentes</a>' in nav


def test_on_a_page_the_navigation_marks_its_section(client, loaded):
    response = client.get(reverse("page_detail", args=["entreprises"]))
    nav = response.text.split('<nav aria-label="Navigation principale">')[1].split("</nav>")[0]
    assert f'<a href="{reverse("pages_index")}" aria-current="true">Comprendre</a>' in nav


def test_the_anonymous_home_page_leads_to_the_pages(client, loaded):
    response = client.get(reverse("home"))
    for slug in ("associations", "entreprises", "acteurs-publics", "mecenat-ou-benevolat"):
        assert reverse("page_detail", args=[slug]) in response.text
    assert '<meta name="description"' in response.text


def test_it_reads_the_index_in_one_query(client, loaded, django_assert_num_queries):
    with django_assert_num_queries(1):  # the pages
        client.get(reverse("pages_index"))


def test_it_reads_a_page_in_two_queries(client, loaded, django_assert_num_queries):
    with django_assert_num_queries(2):  # the page, its sources
        client.get(reverse("page_detail", args=["acteurs-publics"]))


@pytest.mark.parametrize("extra", [0, 40])
def test_it_reads_the_faq_in_one_query_however_many_questions(
    client, loaded, extra, django_assert_num_queries
):
    Question.objects.bulk_create(
        Question(key=f"q-{n}", question_fr=f"Q{n} ?", answer_fr="R.") for n in range(extra)
    )
    with django_assert_num_queries(1):  # the questions
        client.get(reverse("faq"))
