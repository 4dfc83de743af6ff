"""In a real browser: a newcomer signs up from the home page, confirms the address from the
e-mail, and can then act."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Consent, User
from tests.browser.test_accessibility import blocking_violations

pytestmark = pytest.mark.browser

PASSWORD = "Un-jardin-a-Laon-2026"


def open_signup_form(page):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")


def fill_signup_form(page, *, confirmation, consent=True):
    # Labels end with " :"; anchored patterns keep "Nom" from matching "Prénom".
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill("claire.martin@example.org")
    page.get_by_label(re.compile(r"^Prénom")).fill("Claire")
    page.get_by_label(re.compile(r"^Nom")).fill("Martin")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^Confirmation du mot de passe")).fill(confirmation)
    if consent:
        page.get_by_label(re.compile(r"^J'ai lu la politique de confidentialité")).check()
    page.get_by_role("button", name="Créer mon compte").click()


def confirmation_link(message):
    return re.search(r"https?://[^/\s]+(/compte/confirmer-adresse/\S+/\S+/)", message.body).group(1)


def test_a_newcomer_signs_up_confirms_the_address_and_is_invited_to_join_a_structure(
    page, eager_tasks
):
    """From the home page to their own home page through the e-mailed link, finding every
    field by its French label; until the link is followed, the account is held back."""
    open_signup_form(page)
    fill_signup_form(page, confirmation=PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    expect(page.get_by_role("main")).to_contain_text("claire.martin@example.org")
    assert blocking_violations(page) == []
    user = User.objects.get(email="claire.martin@example.org")
    assert user.email_confirmed_at is None
    assert Consent.objects.filter(user=user).exists()

    page.goto(reverse("organisation_create"))  # held back until confirmed
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")

    assert [message.to for message in mail.outbox] == [["claire.martin@example.org"]]
    page.goto(confirmation_link(mail.outbox[0]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre adresse e-mail")
    assert blocking_violations(page) == []
    page.get_by_role("button", name="Confirmer mon adresse").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    expect(page.get_by_role("status")).to_contain_text("Votre adresse e-mail est confirmée")
    page.get_by_role("link", name="Enregistrer une structure").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Confirmez votre adresse e-mail")
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_a_lost_link_is_sent_again_and_a_used_one_explained(page, eager_tasks):
    open_signup_form(page)
    fill_signup_form(page, confirmation=PASSWORD)
    page.get_by_role("button", name="Recevoir un nouveau lien").click()
    expect(page.get_by_role("status")).to_contain_text("Un nouveau lien vient d'être envoyé")
    assert len(mail.outbox) == 2

    link = confirmation_link(mail.outbox[1])
    page.goto(link)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Claire")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse déjà confirmée")
    expect(page.get_by_role("main")).to_contain_text("Votre adresse e-mail est déjà confirmée")
    assert blocking_violations(page) == []


def test_without_consent_the_box_explains_why_and_keeps_the_input(page):
    open_signup_form(page)
    fill_signup_form(page, confirmation=PASSWORD, consent=False)

    consent = page.get_by_label(re.compile(r"^J'ai lu la politique de confidentialité"))
    expect(consent).to_have_attribute("aria-invalid", "true")
    expect(consent).to_have_accessible_description(
        re.compile("Cochez cette case pour créer votre compte")
    )
    expect(page.get_by_label(re.compile(r"^Prénom"))).to_have_value("Claire")
    assert not User.objects.exists()


def test_the_privacy_notice_opens_from_the_form_and_the_footer(page):
    open_signup_form(page)
    with page.context.expect_page() as notice:
        page.get_by_role("link", name=re.compile("Lire la politique de confidentialité")).click()
    expect(notice.value.get_by_role("heading", level=1)).to_have_text(
        "Politique de confidentialité"
    )
    page.get_by_role("contentinfo").get_by_role("link", name="Données personnelles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique de confidentialité")
    assert blocking_violations(page) == []


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


def test_after_errors_the_summary_has_the_focus_and_its_links_lead_to_the_fields(page):
    """A keyboard or screen-reader user starts at the list of what is wrong, not at the top
    of the page ten Tabs away."""
    open_signup_form(page)
    fill_signup_form(page, confirmation=PASSWORD, consent=False)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    link = summary.get_by_role("link").first
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    consent = page.get_by_label(re.compile(r"^J'ai lu la politique de confidentialité"))
    expect(consent).to_be_focused()
