"""Smoke test in a real browser: a newcomer signs up from the home page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.browser

PASSWORD = "Un-jardin-a-Laon-2026"


def open_signup_form(page):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")


def fill_signup_form(page, *, confirmation):
    # Labels end with " :"; anchored patterns keep "Nom" from matching "Prénom".
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill("claire.martin@example.org")
    page.get_by_label(re.compile(r"^Prénom")).fill("Claire")
    page.get_by_label(re.compile(r"^Nom")).fill("Martin")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Confirmation du mot de passe")).fill(confirmation)
    page.get_by_role("button", name="Créer mon compte").click()


def test_a_newcomer_signs_up_and_is_invited_to_join_a_structure(page):
    """From the home page to their own home page, finding every field by its French label."""
    open_signup_form(page)
    fill_signup_form(page, confirmation=PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    expect(page.get_by_role("link", name="Enregistrer une structure")).to_be_visible()
    expect(page.get_by_role("link", name="Rejoindre une structure existante")).to_be_visible()
    assert User.objects.get(email="claire.martin@example.org").first_name == "Claire"


def test_a_wrong_confirmation_is_explained_next_to_the_field_and_keeps_the_email(page):
    """The error is tied to the field for screen readers; nothing is saved, the input is kept."""
    open_signup_form(page)
    fill_signup_form(page, confirmation="Un-jardin-a-Laon-2025")

    confirmation = page.get_by_label(re.compile(r"^Confirmation du mot de passe"))
    expect(confirmation).to_have_attribute("aria-invalid", "true")
    expect(confirmation).to_have_accessible_description(
        re.compile("Les deux mots de passe ne correspondent pas")
    )
    expect(page.get_by_label(re.compile(r"^Adresse e-mail"))).to_have_value(
        "claire.martin@example.org"
    )
    assert not User.objects.exists()
