"""The privacy notice (GDPR art. 13): open to everyone, linked from every page's footer."""

import pytest
from django.http import HttpResponse
from django.urls import path, reverse

from probono import urls as project_urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# The GDPR pages another part builds, stubbed at paths of their own (pytest.mark.urls).
urlpatterns = [
    path("stub/mes-donnees/", HttpResponse, name="personal_data"),
    path("stub/supprimer/", HttpResponse, name="account_delete"),
    *project_urls.urlpatterns,
]


@pytest.fixture
def page(client):
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    return response.text


def test_it_is_public_at_confidentialite(client):
    assert reverse("privacy") == "/confidentialite/"
    response = client.get("/confidentialite/")
    assert response.status_code == 200
    assert "<h1>Politique de confidentialité</h1>" in response.text


def test_it_shows_its_version_and_date(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2027-03-01"
    assert "Version 2027-03-01, du 1 mars 2027." in client.get(reverse("privacy")).text


def test_a_version_that_is_not_a_date_is_shown_as_is(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "v2-bis"
    assert "Version v2-bis." in client.get(reverse("privacy")).text


def test_it_names_the_controller_and_its_contact(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "dpo@cress-hdf.example.org"
    text = client.get(reverse("privacy")).text
    assert "CRESS) Hauts-de-France" in text
    assert '<a href="mailto:dpo@cress-hdf.example.org">dpo@cress-hdf.example.org</a>' in text


def test_it_says_what_data_why_and_on_which_legal_basis(page):
    for heading in (
        "Quelles données, et pourquoi",
        "Sur quelles bases légales",
        "Qui voit vos données",
    ):
        assert f">{heading}</h2>" in page
    for data in ("Votre compte", "Votre structure", "Besoins et offres de compétences",
                 "Missions et heures", "Messages et notifications"):  # fmt: skip
        assert f"<dt>{data}</dt>" in page
    assert "article 6.1.b du RGPD" in page
    assert "l'autre partie d'une mission" in page


def test_it_gives_the_retention_periods_from_the_settings(client, settings):
    settings.ACCOUNT_RETENTION_INACTIVE_DAYS = 700
    settings.ACCOUNT_RETENTION_WARNING_DAYS = 15
    settings.UNCONFIRMED_ACCOUNT_DAYS = 45
    text = client.get(reverse("privacy")).text
    assert "sans connexion depuis 700 jours est anonymisé" in text
    assert "un e-mail vous prévient 15 jours avant" in text
    assert "jamais été confirmée est supprimé 45 jours après l'inscription" in text


def test_a_retention_in_whole_years_is_said_in_years(client, settings):
    settings.ACCOUNT_RETENTION_INACTIVE_DAYS = 1095
    text = client.get(reverse("privacy")).text
    assert "sans connexion depuis 3 ans est anonymisé" in text
    assert "1095" not in text


def test_a_version_with_a_suffix_still_shows_its_date(client, settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-11-28.2"
    assert "Version 2026-11-28.2, du 28 novembre 2026." in client.get(reverse("privacy")).text


def test_it_says_api_use_keeps_the_account_and_the_lone_member_is_not_spared(page):
    assert "Une utilisation de l'API avec votre jeton compte comme une connexion" in page
    assert "même à la seule personne d'une structure" in page


def test_it_describes_the_api_token_as_the_code_handles_it(page):
    assert f'<a href="{reverse("api_token")}">' in page
    for fact in ("un seul jeton par personne", "sans date d'expiration",
                 "quand votre mot de passe change", "en votre nom",
                 "exporter"):  # fmt: skip
        assert fact in page


def test_it_says_what_stays_after_deletion_pseudonymised(page):
    assert "pseudonymisées" in page
    assert "le nom de l'employeur" in page
    assert "« Compte supprimé »" in page
    assert "sans nom, pour les statistiques" not in page


def test_it_says_what_the_referent_and_territorial_reviewers_really_see(page):
    assert "vos offres de compétences" in page
    assert "vérifient ou suspendent les structures des départements qu'ils couvrent" in page
    assert "consulter la fiche de n'importe quelle structure, avec ses membres" in page
    assert "pour les départements qu'ils couvrent, qui vérifient" not in page


def test_it_names_the_providers_from_the_settings_or_says_they_are_to_be_given(client, settings):
    settings.PRIVACY_HOSTING = ""
    assert "à compléter par la CRESS" in client.get(reverse("privacy")).text
    settings.PRIVACY_HOSTING = "Hébergeur Exemple, Roubaix (France)"
    settings.PRIVACY_EMAIL_PROVIDER = "Routeur Exemple (Union européenne)"
    text = client.get(reverse("privacy")).text
    assert "Hébergeur Exemple, Roubaix (France)" in text
    assert "Routeur Exemple (Union européenne)" in text


def test_it_says_the_server_logs_are_the_web_server_s(page):
    assert "journaux du serveur web" in page


def test_it_explains_the_rights_and_the_cnil_complaint(page):
    assert "articles 15 à 21 du RGPD" in page
    assert f'<a href="{reverse("profile")}">votre profil</a>' in page
    assert "Télécharger toutes vos données" in page
    assert "Supprimer votre compte" in page
    assert '<a href="https://www.cnil.fr/fr/plaintes">' in page


@pytest.mark.urls("tests.probono.test_privacy_page")
def test_it_links_to_the_pages_that_download_the_data_and_delete_the_account(client):
    """Whichever pages hold the names (the stubs here until the real ones exist)."""
    text = client.get(reverse("privacy")).text
    assert f'<a href="{reverse("personal_data")}">Télécharger toutes vos données</a>' in text
    assert f'<a href="{reverse("account_delete")}">Supprimer votre compte</a>' in text


def test_it_lists_the_cookies_actually_set_and_why_no_banner(page, settings):
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME,
                 settings.LANGUAGE_COOKIE_NAME):  # fmt: skip
        assert f"<dt><code>{name}</code></dt>" in page
    assert "(14 jours au plus)" in page
    assert "(364 jours au plus)" in page  # CSRF_COOKIE_AGE, Django's default: 52 weeks
    assert "aucun bandeau ne vous demande votre accord" in page


def test_the_cookies_listed_are_the_ones_a_visit_sets(client, settings):
    """A visitor who signs up, logs in and switches language gets no cookie the page omits."""
    listed = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME,
              settings.LANGUAGE_COOKIE_NAME, "messages"}  # fmt: skip
    client.get(reverse("signup"))
    user = UserFactory(email="visite@example.org")
    client.post(reverse("login"), {"username": user.email, "password": "motdepasse-solide-2026"})
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("profile"), {"first_name": "A", "last_name": "B"})
    assert set(client.cookies) <= listed
    assert set(client.cookies) >= {settings.SESSION_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}


def test_it_is_served_in_english_when_english_is_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("privacy")})
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    assert '<html lang="en">' in response.text
    assert "Skip to content" in response.text


def test_every_page_links_to_it_in_its_footer(client, association_member):
    client.force_login(association_member)
    text = client.get(reverse("home")).text
    footer = text[text.index('<footer class="site-footer">') :]
    assert f'<a href="{reverse("privacy")}">Données personnelles</a>' in footer
    assert f'<a href="{reverse("accessibility")}">' in footer


def test_the_profile_links_to_it(client, association_member):
    client.force_login(association_member)
    assert f'<a href="{reverse("privacy")}">' in client.get(reverse("profile")).text
