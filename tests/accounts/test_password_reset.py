"""A forgotten password is reset by a link e-mailed to the account's address, through Django's
views and our French templates."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Retrouve-le-2026-ok"
OLD_PASSWORD = "motdepasse-solide-2026"
SITE = "https://probono.example.org"


@pytest.fixture(autouse=True)
def our_site(settings):
    settings.SITE_URL = SITE


def request_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def emailed_link(message):
    """The path of the reset link, checked to point to our own site."""
    match = re.search(r"(https?://[^/\s]+)(/compte/mot-de-passe/reinitialiser/\S+/)", message.body)
    assert match, message.body
    assert match.group(1) == SITE
    return match.group(2)


def choose_password(client, link, password=NEW_PASSWORD):
    form_url = client.get(link).url  # Django moves the token out of the address first
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def main_of(response):
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_whole_reset_works_and_the_new_password_logs_in(client):
    user = UserFactory(email="oubli@example.org")
    response = request_reset(client, "Oubli@Example.org")
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "<h1>Vérifiez votre messagerie</h1>" in response.text

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["oubli@example.org"]
    assert message.subject == "Probono : choisir un nouveau mot de passe"
    link = emailed_link(message)
    assert f'href="{SITE}{link}"' in message.alternatives[0][0]

    response = choose_password(client, link)
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")

    response = client.post(
        reverse("login"), {"username": "oubli@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_old_password_no_longer_logs_in(client):
    UserFactory(email="oubli@example.org")
    request_reset(client, "oubli@example.org")
    choose_password(client, emailed_link(mail.outbox[0]))
    response = client.post(
        reverse("login"), {"username": "oubli@example.org", "password": OLD_PASSWORD}
    )
    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.text


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client):
    UserFactory(email="connue@example.org")
    known = request_reset(client, "connue@example.org")
    mail.outbox.clear()
    unknown = request_reset(client, "personne@example.org")
    assert unknown.redirect_chain == known.redirect_chain
    assert main_of(unknown) == main_of(known)
    assert mail.outbox == []


def test_a_used_link_no_longer_works(client):
    user = UserFactory(email="oubli@example.org")
    request_reset(client, "oubli@example.org")
    link = emailed_link(mail.outbox[0])
    choose_password(client, link)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.text
    assert "<form" not in main_of(response)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_weak_new_password_is_refused_in_french_and_the_link_still_works(client):
    user = UserFactory(email="oubli@example.org")
    request_reset(client, "oubli@example.org")
    link = emailed_link(mail.outbox[0])
    response = choose_password(client, link, password="123")
    assert "Ce mot de passe est trop court" in response.text
    user.refresh_from_db()
    assert user.check_password(OLD_PASSWORD)
    choose_password(client, link)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_resetting_through_the_link_confirms_an_unconfirmed_address(client):
    """The link went to the address: following it proves the address as the confirmation
    link does."""
    user = UserFactory(email="nouvelle@example.org", email_confirmed_at=None)
    request_reset(client, "nouvelle@example.org")
    choose_password(client, emailed_link(mail.outbox[0]))
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_an_inactive_account_gets_no_e_mail(client):
    UserFactory(email="partie@example.org", is_active=False)
    request_reset(client, "partie@example.org")
    assert mail.outbox == []


def test_the_e_mail_says_how_long_its_link_is_valid(client, settings):
    """PASSWORD_RESET_TIMEOUT, said in days in both parts of the e-mail."""
    settings.PASSWORD_RESET_TIMEOUT = 2 * 24 * 60 * 60
    user = UserFactory(email="oubli@example.org")
    request_reset(client, user.email)
    [message] = mail.outbox
    assert "Ce lien est valable 2 jours." in message.body
    assert "Ce lien est valable 2 jours." in message.alternatives[0][0]


# Wording: the same words as the other pages, and buttons that say what they do.


def test_the_request_form_asks_for_the_adresse_e_mail_and_says_what_its_button_sends(client):
    main = main_of(client.get(reverse("password_reset")))
    assert '<label for="id_email">Adresse e-mail\xa0:</label>' in main  # Django's French colon
    assert "Courriel" not in main
    assert '<button type="submit">Recevoir le lien de réinitialisation</button>' in main
    assert "Valider" not in main


def test_a_refused_request_keeps_the_label_and_says_so_in_french(client):
    main = main_of(request_reset(client, "pas-une-adresse"))
    assert "Adresse e-mail : Saisissez une adresse e-mail valide." in main
    assert 'value="pas-une-adresse"' in main


def test_the_new_password_form_says_what_it_saves(client):
    UserFactory(email="oubli@example.org")
    request_reset(client, "oubli@example.org")
    form_url = client.get(emailed_link(mail.outbox[0])).url
    main = main_of(client.get(form_url))
    assert "<h1>Nouveau mot de passe</h1>" in main
    assert '<button type="submit">Enregistrer le nouveau mot de passe</button>' in main
    assert "autofocus" not in main


def test_a_dead_link_offers_to_ask_for_a_new_one(client):
    UserFactory(email="oubli@example.org")
    request_reset(client, "oubli@example.org")
    link = emailed_link(mail.outbox[0])
    choose_password(client, link)
    main = main_of(client.get(link, follow=True))
    assert f'<a href="{reverse("password_reset")}">Demander un nouveau lien</a>' in main
