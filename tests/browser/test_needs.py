"""End to end in a real browser: an association posts and publishes a need, a volunteer finds it."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Organisation
from tests.factories import NeedFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's
TODAY = datetime.date.today()
TITLE = "Monter un dossier FSE+ pour notre chantier d'insertion"


def log_in(page, user):
    page.goto(reverse("login"))
    # Labels end with " :"; anchored patterns keep them apart from similar ones.
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill(user.email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {user.first_name}")


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Se connecter")).to_be_visible()


def post_and_publish_a_need(page):
    page.get_by_role("link", name="décrire un besoin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouveau besoin")
    form = page.get_by_role("main")
    # Pre-filled with the organisation's département.
    expect(form.get_by_label(re.compile(r"^Département"))).to_have_value("02")

    form.get_by_label(re.compile(r"^Titre")).fill(TITLE)
    form.get_by_label(re.compile(r"^Description")).fill(
        "Nous voulons financer un chantier d'insertion en maraîchage avec le FSE+."
    )
    form.get_by_label(re.compile(r"^Compétence principale")).select_option(label="Fonds européens")
    form.get_by_role("radio", name="Mission").check()
    form.get_by_label(re.compile(r"^Nombre d'heures estimé")).fill("20")
    start, end = TODAY + datetime.timedelta(days=30), TODAY + datetime.timedelta(days=120)
    form.get_by_label(re.compile(r"^Début souhaité")).fill(start.isoformat())
    form.get_by_label(re.compile(r"^Fin souhaitée")).fill(end.isoformat())
    form.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Brouillon", exact=True)).to_be_visible()
    page.get_by_role("button", name="Publier le besoin").click()
    expect(page.get_by_text("Publié", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Publier le besoin")).to_have_count(0)


def test_an_association_publishes_a_need_and_a_volunteer_finds_it_with_the_filters(
    page, skills_catalogue
):
    association_member = member_of(
        Organisation.Kind.ASSOCIATION,
        name="Les Jardins de Laon",
        departement="02",
        postcode="02000",
    )
    volunteer = member_of(
        Organisation.Kind.COMPANY, name="Banque du Nord", departement="59", postcode="59000"
    )
    # Another published need, which the filters must leave out.
    NeedFactory(
        title="Recruter notre premier salarié",
        organisation=OrganisationFactory(
            name="Lille Solidaire", departement="59", postcode="59000"
        ),
    )

    log_in(page, association_member)
    post_and_publish_a_need(page)
    log_out(page)

    log_in(page, volunteer)
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Besoins", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Besoins des structures")
    results = page.get_by_role("region", name=re.compile("besoins? publiés?$"))
    expect(results.get_by_role("heading", level=2)).to_have_text("2 besoins publiés")

    filters = page.get_by_role("form", name="Filtrer")
    filters.get_by_label(re.compile(r"^Département")).select_option(label="02 – Aisne")
    filters.get_by_label(re.compile(r"^Compétence")).select_option(label="Fonds européens")
    filters.get_by_label(re.compile(r"^Mots-clés")).fill("chantier")
    filters.get_by_role("button", name="Appliquer les filtres").click()

    expect(results.get_by_role("heading", level=2)).to_have_text("1 besoin publié")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.get_by_role("link", name="Recruter notre premier salarié")).to_have_count(0)
    # Every filter lives in the URL, and the form shows what was chosen.
    assert "departement=02" in page.url
    assert "q=chantier" in page.url
    expect(filters.get_by_label(re.compile(r"^Mots-clés"))).to_have_value("chantier")
