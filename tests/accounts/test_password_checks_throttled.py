"""Every page that checks a password counts wrong ones and honours the lock-out (django-axes):
the log-in page, the admin's, « Supprimer mon compte », the password change and the API token
page; and the password reset is limited per address."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's
LOCKED = "Connexion suspendue"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def paul():
    return UserFactory(email="paul@example.org")


def log_in(client, password, url_name="login"):
    return client.post(reverse(url_name), {"username": "paul@example.org", "password": password})


def delete_account(client, password):
    return client.post(reverse("account_delete"), {"password": password})


# D1: the delete-account page reads the same e-mail as the log-in for the lock-out.


def test_five_wrong_passwords_on_the_delete_page_lock_it_and_the_account_stays(client, paul):
    client.force_login(paul)
    codes = [delete_account(client, "mauvais").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    response = delete_account(client, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.text
    paul.refresh_from_db()
    assert paul.email == "paul@example.org" and paul.is_active
    assert AccessAttempt.objects.get(username="paul@example.org").failures_since_start == 5


def test_wrong_passwords_on_the_delete_page_lock_the_log_in_page_too(client, paul):
    client.force_login(paul)
    for _ in range(5):
        delete_account(client, "mauvais")
    client.logout()
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_on_the_log_in_page_lock_the_delete_page(client, paul):
    for _ in range(5):
        log_in(client, "mauvais")
    client.force_login(paul)
    assert delete_account(client, PASSWORD).status_code == 429
    assert User.objects.filter(email="paul@example.org", is_active=True).exists()


def test_the_admin_log_in_counts_towards_the_same_lock(client, paul):
    for _ in range(5):
        log_in(client, "mauvais", url_name="admin:login")
    assert log_in(client, PASSWORD).status_code == 429
