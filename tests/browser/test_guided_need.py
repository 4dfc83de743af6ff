"""In a real browser: a member of an association posts a need from the « Fonction employeur /
RH » template, with clicks, goes back from the preview, and saves the draft."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Membership, Organisation
from matching.models import Need
from tests.factories import member_of

pytestmark = pytest.mark.browser

PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's
TITLE = "Remettre à plat nos contrats de travail"


@pytest.fixture
def member(transactional_db, skills_catalogue):
    call_command("load_need_templates", stdout=StringIO())
    return member_of(
        Organisation.Kind.ASSOCIATION,
        role=Membership.Role.ADMIN,
        name="Les Restos du Vermandois",
        departement="02",
        postcode="02100",
    )


def test_a_member_posts_a_need_from_the_employer_function_template(page, member):
    structure = member.memberships.get().organisation
    page.goto(reverse("login"))
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill(member.email)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {member.first_name}")

    page.goto(reverse("organisation_needs", args=[structure.pk]))
    page.get_by_role("link", name="Partir d'un modèle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partir d'un modèle")
    page.get_by_role("link", name="Structurer notre fonction employeur").click()

    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Structurer notre fonction employeur")
    # Prefilled from the template: its title, skill, format and hours; the structure's place.
    expect(main.get_by_label(re.compile(r"^Titre"))).to_have_value(
        "Structurer notre fonction employeur"
    )
    expect(main.get_by_label(re.compile(r"^Nombre d'heures estimé"))).to_have_value("20")
    expect(main.get_by_label(re.compile(r"^Département"))).to_have_value("02")

    # Sent with a required answer missing: the French error, and the title typed is kept.
    main.get_by_label(re.compile(r"^Titre")).fill(TITLE)
    main.get_by_role("button", name="Voir l'aperçu").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(main.get_by_label(re.compile(r"^Titre"))).to_have_value(TITLE)

    main.get_by_role("radio", name="4 à 10").check()
    main.get_by_label(re.compile(r"^Qui s'occupe")).fill("La présidente, bénévole")
    main.get_by_label(re.compile(r"^Quelle est la difficulté")).fill(
        "Trois contrats aidés arrivent à leur fin et nos entretiens annuels n'ont jamais eu lieu."
    )
    main.get_by_label(re.compile(r"^Nombre d'heures estimé")).fill("16")
    main.get_by_role("button", name="Voir l'aperçu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Aperçu du besoin")
    preview = page.locator("#need-preview")
    expect(preview.get_by_role("heading", level=2)).to_have_text(TITLE)
    expect(preview).to_contain_text("La présidente, bénévole")
    assert not Need.objects.exists()

    # Back to the answers: what was typed is there; then the preview again, and save.
    page.get_by_role("link", name="Modifier mes réponses").click()
    expect(main.get_by_label(re.compile(r"^Qui s'occupe"))).to_have_value("La présidente, bénévole")
    expect(main.get_by_role("radio", name="4 à 10")).to_be_checked()
    main.get_by_role("button", name="Voir l'aperçu").click()
    description = page.locator("#preview-description").inner_text()
    page.get_by_role("button", name="Enregistrer le besoin en brouillon").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Brouillon", exact=True)).to_be_visible()
    need = Need.objects.get()
    assert (need.organisation, need.created_by, need.status) == (structure, member, "draft")
    assert (need.main_skill.code, need.format, need.estimated_hours, need.departement) == (
        "fonction-employeur-rh",
        "mission",
        16,
        "02",
    )
    assert [s.code for s in need.secondary_skills.all()] == ["droit-du-travail"]
    assert need.description.startswith("Nous avons des salariés")
    assert "Combien de salariés la structure emploie-t-elle ?\n4 à 10" in need.description
    assert need.description.split() == description.split()  # the text the preview showed
    expect(page.get_by_role("link", name="Modifier")).to_be_visible()
