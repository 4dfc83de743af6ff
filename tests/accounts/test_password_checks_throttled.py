"""Every page that checks a password counts wrong ones and honours the lock-out (django-axes):
the log-in page, the admin's, « Supprimer mon compte », the password change and the API token
page; and the password reset is limited per address."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory, signup_form

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's
LOCKED = "<h1>Trop de mots de passe erronés</h1>"


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


def main_of(response):
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_logged_in_person_locked_on_the_delete_page_is_told_what_is_suspended(client, paul):
    """Not « Connexion suspendue »: they are logged in, and stay so; what waits is what asks
    for the password."""
    client.force_login(paul)
    for _ in range(5):
        response = delete_account(client, "mauvais")
    assert response.status_code == 429
    assert "Connexion suspendue" not in response.text
    assert "(connexion, changement de mot de passe, suppression du compte, jeton d'API)" in (
        response.text
    )
    assert "Votre session reste ouverte : seules ces actions attendent la fin du délai." in (
        response.text
    )


def test_the_token_page_s_lock_out_is_the_same_page(client, paul):
    client.force_login(paul)
    for _ in range(5):
        response = client.post(reverse("api_token"), {"action": "create", "password": "mauvais"})
    assert response.status_code == 429
    assert LOCKED in response.text
    assert "jeton d'API" in response.text
    assert "Votre session reste ouverte" in response.text


def test_the_lock_out_says_the_same_to_the_log_in_page_as_to_the_delete_page(client, paul):
    """One page, true in each case: only the line for a logged-in person differs."""
    client.force_login(paul)
    for _ in range(5):
        on_delete = delete_account(client, "mauvais")
    client.logout()
    on_log_in = log_in(client, PASSWORD)
    assert on_log_in.status_code == 429
    logged_in_line = (
        "<p>Votre session reste ouverte : seules ces actions attendent la fin du délai.</p>"
    )
    assert logged_in_line in main_of(on_delete)
    assert logged_in_line not in main_of(on_log_in)
    delete_words, log_in_words = (
        " ".join(main_of(r).replace(logged_in_line, "").split()) for r in (on_delete, on_log_in)
    )
    assert delete_words == log_in_words


# G3: the password change's old password goes through authenticate(), so axes counts it.


def change_password(client, old, new="Un-autre-2026-solide"):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_a_wrong_old_password_is_the_form_s_french_error_and_is_counted(client, paul):
    client.force_login(paul)
    response = change_password(client, "mauvais")
    assert response.status_code == 200
    assert "ancien mot de passe est incorrect" in response.text
    assert AccessAttempt.objects.get(username="paul@example.org").failures_since_start == 1


def test_five_wrong_old_passwords_lock_the_change_and_the_right_one_is_refused(client, paul):
    client.force_login(paul)
    codes = [change_password(client, "mauvais").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert change_password(client, PASSWORD).status_code == 429
    paul.refresh_from_db()
    assert paul.check_password(PASSWORD)
    client.logout()
    assert log_in(client, PASSWORD).status_code == 429


def test_the_right_old_password_changes_it(client, paul):
    client.force_login(paul)
    response = change_password(client, PASSWORD)
    assert response.status_code == 302
    paul.refresh_from_db()
    assert paul.check_password("Un-autre-2026-solide")


# G1: the password reset sends at most 3 e-mails per address and per hour, and answers alike.


def request_reset(client, email, address="192.0.2.10"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_reset_is_sent_three_times_an_hour_per_account_and_then_not(client, paul, mailoutbox):
    responses = [request_reset(client, "paul@example.org") for _ in range(15)]
    assert len(mailoutbox) == 3
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}


def test_the_account_limit_holds_from_many_client_addresses(client, paul, mailoutbox):
    for n in range(6):
        request_reset(client, "Paul@Example.org", address=f"192.0.2.{n + 1}")
    assert len(mailoutbox) == 3


def test_one_client_address_asks_for_ten_accounts_at_most(client, mailoutbox):
    for n in range(12):
        UserFactory(email=f"personne{n}@example.org")
        request_reset(client, f"personne{n}@example.org")
    assert len(mailoutbox) == 10


def test_another_account_is_not_held_back_by_the_first_one_s_limit(client, paul, mailoutbox):
    UserFactory(email="anne@example.org")
    for _ in range(4):
        request_reset(client, "paul@example.org")
    request_reset(client, "anne@example.org")
    assert [m.to for m in mailoutbox][-1] == ["anne@example.org"]


# P8: a refusal that is no field's fault is not presented as fields to correct.


def test_the_sign_up_limit_is_not_said_to_be_a_field_to_correct(client, settings):
    settings.SIGNUPS_PER_ADDRESS_PER_HOUR = 0
    response = client.post(
        reverse("signup"),
        signup_form(),
    )
    assert response.status_code == 429
    assert "Trop de comptes ont été créés depuis votre adresse" in response.text
    assert "Corrigez les champs signalés" not in response.text


def test_a_wrong_field_is_still_said_to_be_corrected(client):
    response = client.post(reverse("signup"), {"email": "pas-une-adresse"})
    assert "Corrigez les champs signalés" in response.text
