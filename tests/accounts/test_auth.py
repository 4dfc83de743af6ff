"""Sign-up, log-in, log-out, password change and reset, profile."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"


def signup_data(**overrides):
    data = {
        "email": "claire.martin@example.org",
        "first_name": "Claire",
        "last_name": "Martin",
        "password1": "Un-jardin-a-Laon-2026",
        "password2": "Un-jardin-a-Laon-2026",
    }
    return {**data, **overrides}


def test_it_signs_up_and_logs_the_new_user_in(client):
    response = client.post(reverse("signup"), signup_data(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"].email == "claire.martin@example.org"
    assert "Bonjour Claire" in response.text


def test_it_stores_the_email_in_lower_case(client):
    client.post(reverse("signup"), signup_data(email="Claire.Martin@Example.org"))
    assert User.objects.filter(email="claire.martin@example.org").exists()


def test_it_refuses_a_duplicate_email_whatever_its_case(client):
    """A second account for the same address is refused in French, nothing saved, input kept."""
    UserFactory(email="claire.martin@example.org")
    response = client.post(reverse("signup"), signup_data(email="CLAIRE.martin@example.org"))
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail" in response.text
    assert 'value="CLAIRE.martin@example.org"' in response.text
    assert User.objects.count() == 1


def test_it_refuses_a_weak_password(client):
    response = client.post(reverse("signup"), signup_data(password1="123", password2="123"))
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.text
    assert 'value="Claire"' in response.text
    assert not User.objects.exists()


def test_it_refuses_mismatched_passwords(client):
    response = client.post(reverse("signup"), signup_data(password2="autre-chose-2026"))
    assert "Les deux mots de passe ne correspondent pas" in response.text
    assert not User.objects.exists()


def test_it_logs_in_by_email_whatever_the_case(client):
    UserFactory(email="paul@example.org")
    response = client.post(
        reverse("login"), {"username": "Paul@Example.org", "password": PASSWORD}, follow=True
    )
    assert response.context["user"].is_authenticated


def test_it_refuses_a_wrong_password_in_french(client):
    UserFactory(email="paul@example.org")
    response = client.post(reverse("login"), {"username": "paul@example.org", "password": "non"})
    assert not response.context["user"].is_authenticated
    assert "Adresse e-mail ou mot de passe incorrect" in response.text


def test_it_logs_out_on_post(client):
    client.force_login(UserFactory())
    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_it_changes_the_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-mot-de-passe-2026",
            "new_password2": "Nouveau-mot-de-passe-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-de-passe-2026")


def test_it_resets_a_forgotten_password_through_an_emailed_link(client):
    user = UserFactory(email="oubli@example.org")
    client.post(reverse("password_reset"), {"email": "oubli@example.org"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Probono : choisir un nouveau mot de passe"
    assert message.alternatives, "the e-mail has an HTML part too"
    link = re.search(r"http://testserver(\S+)", message.body).group(1)
    form_url = client.get(link).url
    response = client.post(
        form_url,
        {"new_password1": "Retrouve-le-2026-ok", "new_password2": "Retrouve-le-2026-ok"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Retrouve-le-2026-ok")


def test_it_sends_no_reset_email_for_an_unknown_address(client):
    response = client.post(reverse("password_reset"), {"email": "personne@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_profile_needs_a_login(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_updates_the_profile(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("profile"), {"first_name": "Inès", "last_name": "Lefebvre", "phone": ""})
    user.refresh_from_db()
    assert user.get_full_name() == "Inès Lefebvre"
