"""A token is worth a password: creating or replacing one asks for the password (counted by the
log-in throttling), a password change or reset deletes it, and the admin does not list keys."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token, TokenProxy

pytestmark = pytest.mark.django_db

PAGE = reverse("api_token")
PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's
NEW = "Un-autre-2026-solide"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_creating_a_token_asks_for_the_password(client, volunteer):
    client.force_login(volunteer)
    response = client.post(PAGE, {"action": "create"})
    assert response.status_code == 200
    assert "Saisissez votre mot de passe" in response.text
    assert not Token.objects.filter(user=volunteer).exists()


def test_a_wrong_password_creates_no_token_and_is_counted(client, volunteer):
    client.force_login(volunteer)
    response = client.post(PAGE, {"action": "create", "password": "mauvais"})
    assert response.status_code == 200
    assert "Mot de passe incorrect" in response.text
    assert not Token.objects.filter(user=volunteer).exists()
    assert AccessAttempt.objects.get(username=volunteer.email).failures_since_start == 1


def test_five_wrong_passwords_lock_the_token_page(client, volunteer):
    client.force_login(volunteer)
    codes = [
        client.post(PAGE, {"action": "create", "password": "mauvais"}).status_code for _ in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    assert client.post(PAGE, {"action": "create", "password": PASSWORD}).status_code == 429
    assert not Token.objects.filter(user=volunteer).exists()


def test_the_right_password_creates_the_token(client, volunteer):
    client.force_login(volunteer)
    response = client.post(PAGE, {"action": "create", "password": PASSWORD})
    assert Token.objects.get(user=volunteer).key in response.text


def test_replacing_a_token_asks_for_the_password_too(client, volunteer):
    old = Token.objects.create(user=volunteer).key
    client.force_login(volunteer)
    client.post(PAGE, {"action": "create", "password": "mauvais"})
    assert Token.objects.get(user=volunteer).key == old


def test_revoking_needs_no_password(client, volunteer):
    Token.objects.create(user=volunteer)
    client.force_login(volunteer)
    client.post(PAGE, {"action": "revoke"})
    assert not Token.objects.filter(user=volunteer).exists()


def test_the_page_says_a_password_change_deletes_the_token(client, volunteer):
    client.force_login(volunteer)
    assert "Changer de mot de passe supprime votre jeton" in client.get(PAGE).text


def test_a_password_change_deletes_the_token(client, api, volunteer):
    key = Token.objects.create(user=volunteer).key
    client.force_login(volunteer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(user=volunteer).exists()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api_own_offers-list")).status_code == 401


def test_a_password_reset_deletes_the_token(client, volunteer, mailoutbox, settings):
    settings.SITE_URL = "https://probono.example.org"
    Token.objects.create(user=volunteer)
    client.post(reverse("password_reset"), {"email": volunteer.email})
    link = re.search(r"/compte/mot-de-passe/reinitialiser/\S+/", mailoutbox[0].body).group(0)
    form_url = client.get(link).url
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW)
    assert not Token.objects.filter(user=volunteer).exists()


def test_another_person_s_token_stays(client, volunteer, association_member):
    Token.objects.create(user=association_member)
    client.force_login(volunteer)
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert Token.objects.filter(user=association_member).exists()


def test_the_admin_does_not_list_token_keys():
    assert not admin.site.is_registered(TokenProxy)
    assert not admin.site.is_registered(Token)


def test_a_password_set_by_the_admin_deletes_the_token(client, volunteer):
    from tests.factories import UserFactory

    Token.objects.create(user=volunteer)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:auth_user_password_change", args=[volunteer.pk])
    response = client.post(url, {"password1": NEW, "password2": NEW, "usable_password": "true"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.check_password(NEW)
    assert not Token.objects.filter(user=volunteer).exists()
