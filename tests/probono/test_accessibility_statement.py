"""The accessibility statement (RGAA): open to everyone, linked from every page's footer."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_states_the_conformity_honestly_with_its_date_and_method(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Déclaration d'accessibilité</h1>" in page
    assert "<strong>non conforme</strong>" in page  # no full RGAA audit yet
    assert "établie le 28 novembre 2026" in page
    assert "axe-core" in page
    assert "au clavier seul" in page


def test_it_says_how_to_report_a_problem_and_where_to_appeal(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "handicap@cress-hdf.example.org"
    page = client.get(reverse("accessibility")).content.decode()
    assert '<a href="mailto:handicap@cress-hdf.example.org">' in page
    assert "Défenseur des droits" in page
    assert "Libre réponse 71120" in page


def test_every_page_links_to_it_in_its_footer(client, association_member):
    client.force_login(association_member)
    page = client.get(reverse("home")).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert f'<a href="{reverse("accessibility")}">' in footer


def test_it_names_the_rgaa_version_the_technologies_and_the_multi_year_plan(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert "version 4.1.2" in page
    assert "HTML, CSS, SVG, JavaScript" in page
    assert "schéma pluriannuel" in page


def test_it_says_the_api_docs_buttons_are_in_english(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert "Swagger UI" in page
    assert "en anglais" in page
