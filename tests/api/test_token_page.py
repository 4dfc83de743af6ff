"""The personal token page: whether one has a token, a new one shown once, revoking it."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

PAGE = reverse("api_token")
CREATE = {"action": "create", "password": "motdepasse-solide-2026"}  # UserFactory's password


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_profile_links_to_the_page(client, volunteer):
    client.force_login(volunteer)
    assert PAGE in client.get(reverse("profile")).content.decode()


def test_a_person_without_a_token_is_told_so(client, volunteer):
    client.force_login(volunteer)
    response = client.get(PAGE)
    assert "Vous n'avez pas de jeton." in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_new_token_is_shown_once(client, api, volunteer):
    client.force_login(volunteer)
    created = client.post(PAGE, CREATE)
    key = Token.objects.get(user=volunteer).key
    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    later = client.get(PAGE).content.decode()
    assert key not in later
    assert "Vous avez un jeton, créé le" in later
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api_own_offers-list")).status_code == 200


def test_a_new_token_replaces_the_old_one(client, api, volunteer):
    old = Token.objects.create(user=volunteer).key
    client.force_login(volunteer)
    client.post(PAGE, CREATE)
    assert Token.objects.get(user=volunteer).key != old
    api.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    response = api.get(reverse("api_own_offers-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Token non valide."}


def test_a_revoked_token_no_longer_opens_the_api(client, api, volunteer):
    key = Token.objects.create(user=volunteer).key
    client.force_login(volunteer)
    response = client.post(PAGE, {"action": "revoke"}, follow=True)
    assert "Votre jeton est révoqué" in response.content.decode()
    assert not Token.objects.filter(user=volunteer).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api_own_offers-list")).status_code == 401


def test_one_person_s_page_never_touches_another_s_token(client, volunteer, other_member):
    theirs = Token.objects.create(user=other_member)
    client.force_login(volunteer)
    client.post(PAGE, {"action": "revoke"})
    client.post(PAGE, CREATE)
    assert Token.objects.get(user=other_member) == theirs


def test_the_page_needs_the_csrf_token(volunteer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(volunteer)
    assert client.post(PAGE, CREATE).status_code == 403
    assert not Token.objects.exists()


def test_the_token_of_an_unconfirmed_account_is_refused(api, volunteer):
    """The site's confirmation check sees session log-ins only; the API checks tokens."""
    key = Token.objects.create(user=volunteer).key
    volunteer.email_confirmed_at = None
    volunteer.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get(reverse("api_published_needs-list"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Confirmez d'abord votre adresse e-mail."}
