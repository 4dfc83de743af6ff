"""Sign-up, log-in, log-out, password change, profile (the reset: test_password_reset.py; the
confirmation of the address: test_email_confirmation.py)."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory, signup_form

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"


def test_it_signs_up_and_logs_the_new_user_in_on_the_confirmation_page(client):
    """The new account is logged in, unconfirmed, and asked to confirm its address."""
    response = client.post(reverse("signup"), signup_form(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("email_confirmation_required")
    assert response.context["user"].email == "claire.martin@example.org"
    assert response.context["user"].email_confirmed_at is None
    assert "<h1>Confirmez votre adresse e-mail</h1>" in response.text


def test_it_stores_the_email_in_lower_case(client):
    client.post(reverse("signup"), signup_form(email="Claire.Martin@Example.org"))
    assert User.objects.filter(email="claire.martin@example.org").exists()


def test_it_refuses_a_duplicate_email_whatever_its_case(client):
    """A second account for the same address is refused in French, nothing saved, input kept."""
    UserFactory(email="claire.martin@example.org")
    response = client.post(reverse("signup"), signup_form(email="CLAIRE.martin@example.org"))
    assert response.status_code == 200
    assert "Un compte existe déjà avec cette adresse e-mail" in response.text
    assert 'value="CLAIRE.martin@example.org"' in response.text
    assert User.objects.count() == 1


def test_it_refuses_a_weak_password(client):
    response = client.post(reverse("signup"), signup_form(password1="123", password2="123"))
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.text
    assert 'value="Claire"' in response.text
    assert not User.objects.exists()


def test_it_refuses_mismatched_passwords(client):
    response = client.post(reverse("signup"), signup_form(password2="autre-chose-2026"))
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


# Focus: nothing is focused on arrival, so that the first Tab reaches the skip link (« Aller au
# contenu », the page's first element), then the header, as on every other page (RGAA 12.x).


@pytest.mark.parametrize("url_name", ["signup", "login", "password_reset"])
def test_the_account_forms_do_not_move_the_focus_on_arrival(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert "autofocus" not in response.text
    assert "<form" in response.text


def test_the_password_change_form_does_not_move_the_focus_on_arrival(client):
    client.force_login(UserFactory())
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert 'name="old_password"' in response.text
    assert "autofocus" not in response.text


def test_a_refused_log_in_does_not_move_the_focus_either(client):
    UserFactory(email="paul@example.org")
    response = client.post(reverse("login"), {"username": "paul@example.org", "password": "non"})
    assert "Adresse e-mail ou mot de passe incorrect" in response.text
    assert "autofocus" not in response.text


def test_the_password_change_button_says_what_it_does(client):
    client.force_login(UserFactory())
    response = client.get(reverse("password_change"))
    assert '<button type="submit">Changer le mot de passe</button>' in response.text
