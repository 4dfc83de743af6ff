"""Log-in throttling per account and address (django-axes) and the sign-up limit per address."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import User
from accounts.throttling import client_address
from tests.factories import UserFactory, signup_form

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-solide-2026"
OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
LOCKED = "<h1>Trop de mots de passe erronés</h1>"


def log_in(client, email, password, address=OFFICE, url_name="login"):
    return client.post(
        reverse(url_name), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, email, address=OFFICE, url_name="login"):
    return [log_in(client, email, "mauvais", address, url_name) for _ in range(5)]


def is_logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def paul():
    return UserFactory(email="paul@example.org")


def test_four_wrong_passwords_do_not_lock(client, paul):
    """Below the limit, each wrong password is the form's usual error and the right one works."""
    for _ in range(4):
        response = log_in(client, "paul@example.org", "mauvais")
        assert response.status_code == 200
        assert "Adresse e-mail ou mot de passe incorrect" in response.text
    assert log_in(client, "paul@example.org", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_the_fifth_wrong_password_locks_the_account_from_that_address(client, paul):
    responses = fail_five_times(client, "paul@example.org")
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert LOCKED in responses[-1].text
    assert "pendant 15 minutes" in responses[-1].text


def test_the_right_password_is_refused_during_the_cool_off_in_french(client, paul):
    fail_five_times(client, "paul@example.org")
    response = log_in(client, "paul@example.org", PASSWORD)
    assert response.status_code == 429
    assert "5 mots de passe erronés ont été saisis pour ce compte depuis votre adresse" in (
        response.text
    )
    assert "réessayez ensuite" in response.text
    assert not is_logged_in(client)


def test_the_lock_out_page_names_every_action_it_suspends_and_not_only_the_log_in(client, paul):
    """The same page answers a log-in and, for someone logged in, the pages that ask for the
    password again: it speaks of the password, not of « Connexion suspendue »."""
    response = fail_five_times(client, "paul@example.org")[-1]
    assert response.status_code == 429
    assert (
        "les actions qui demandent le mot de passe de ce compte (connexion, changement de mot "
        "de passe, suppression du compte, jeton d'API) sont suspendues depuis cette adresse "
        "pendant 15 minutes"
    ) in response.text
    assert "Connexion suspendue" not in response.text
    assert "Votre session reste ouverte" not in response.text  # nobody is logged in here


def test_the_lock_out_page_counts_in_the_settings_units(client, paul, settings):
    settings.AXES_FAILURE_LIMIT = 1
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    response = log_in(client, "paul@example.org", "mauvais")
    assert response.status_code == 429
    assert "1 mot de passe erroné a été saisi pour ce compte" in response.text
    assert "pendant 1 minute :" in response.text


# A password reset during a lock-out changes the password but does not lift the lock: the new
# password logs in from that address once the cool-off is over (the pages say so).


def reset_password(client, email, new_password, address=OFFICE):
    cache.clear()  # the reset's own hourly limit (accounts.throttling.take_reset_slot)
    client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    link = re.search(r"/compte/mot-de-passe/reinitialiser/\S+/", mail.outbox[-1].body).group(0)
    form_url = client.get(link, REMOTE_ADDR=address).url
    return client.post(
        form_url,
        {"new_password1": new_password, "new_password2": new_password},
        REMOTE_ADDR=address,
        follow=True,
    )


def test_a_reset_during_the_lock_out_does_not_lift_it(client, paul):
    fail_five_times(client, "paul@example.org")
    response = reset_password(client, "paul@example.org", "Retrouve-le-2026-ok")
    assert response.redirect_chain[-1][0] == reverse("password_reset_complete")
    paul.refresh_from_db()
    assert paul.check_password("Retrouve-le-2026-ok")

    assert log_in(client, "paul@example.org", "Retrouve-le-2026-ok").status_code == 429
    assert not is_logged_in(client)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assert log_in(client, "paul@example.org", "Retrouve-le-2026-ok").status_code == 302
    assert is_logged_in(client)


def test_the_reset_s_last_page_says_a_lock_out_outlasts_it(client, paul):
    response = reset_password(client, "paul@example.org", "Retrouve-le-2026-ok")
    assert "<h1>Mot de passe réinitialisé</h1>" in response.text
    assert (
        "Si la connexion à ce compte a été suspendue après trop de mots de passe erronés, elle le "
        "reste jusqu'à la fin du délai indiqué : votre nouveau mot de passe servira ensuite."
    ) in response.text


def test_the_lock_counts_the_email_whatever_its_case(client, paul):
    for typed in ["paul@example.org", "Paul@Example.org", " PAUL@example.org", "paul@EXAMPLE.org"]:
        log_in(client, typed, "mauvais")
    assert log_in(client, "PAUL@example.org", "mauvais").status_code == 429


def test_the_same_account_still_logs_in_from_another_address(client, paul):
    fail_five_times(client, "paul@example.org", address=OFFICE)
    assert log_in(client, "paul@example.org", PASSWORD, address=ELSEWHERE).status_code == 302
    assert is_logged_in(client)


def test_a_colleague_behind_the_same_address_still_logs_in(client, paul):
    """One person's mistakes do not lock out the office that shares their address."""
    UserFactory(email="claire@example.org")
    fail_five_times(client, "paul@example.org", address=OFFICE)
    assert log_in(client, "claire@example.org", PASSWORD, address=OFFICE).status_code == 302
    assert is_logged_in(client)


def test_the_right_password_works_again_after_the_cool_off(client, paul):
    fail_five_times(client, "paul@example.org")
    # The cool-off is 15 minutes: the failures are moved 16 minutes into the past.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assert log_in(client, "paul@example.org", PASSWORD).status_code == 302
    assert is_logged_in(client)


def test_attempts_during_the_cool_off_do_not_extend_it(client, paul):
    """The cool-off is finite: trying again while locked does not push its end further."""
    fail_five_times(client, "paul@example.org")
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=10)
        attempt.save()
    assert log_in(client, "paul@example.org", "mauvais").status_code == 429
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=6)
        attempt.save()
    assert log_in(client, "paul@example.org", PASSWORD).status_code == 302


def test_the_admin_log_in_is_throttled_too(client):
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    responses = fail_five_times(client, "admin@example.org", url_name="admin:login")
    assert responses[-1].status_code == 429
    response = log_in(client, "admin@example.org", PASSWORD, url_name="admin:login")
    assert response.status_code == 429
    assert LOCKED in response.text
    assert not is_logged_in(client)


def test_a_success_before_the_limit_starts_the_count_again(client, paul):
    for _ in range(4):
        log_in(client, "paul@example.org", "mauvais")
    log_in(client, "paul@example.org", PASSWORD)
    client.logout()
    for _ in range(4):
        assert log_in(client, "paul@example.org", "mauvais").status_code == 200


def test_no_record_of_successful_log_ins_is_kept(client, paul):
    """Personal data: no log of every log-in with its address and browser."""
    log_in(client, "paul@example.org", PASSWORD)
    assert not AccessLog.objects.exists()


# Sign-ups ------------------------------------------------------------------------------------


@pytest.fixture
def three_signups_an_hour(settings):
    settings.SIGNUPS_PER_ADDRESS_PER_HOUR = 3
    cache.clear()
    yield
    cache.clear()


def sign_up(client, number, address=OFFICE):
    data = signup_form(email=f"personne{number}@example.org", last_name=f"Martin{number}")
    response = client.post(reverse("signup"), data, REMOTE_ADDR=address)
    client.logout()
    return response


def test_the_fourth_sign_up_in_an_hour_from_one_address_is_refused(client, three_signups_an_hour):
    statuses = [sign_up(client, n).status_code for n in range(3)]
    assert statuses == [302, 302, 302]
    response = sign_up(client, 3)
    assert response.status_code == 429
    assert "Trop de comptes ont été créés depuis votre adresse" in response.text
    assert 'value="personne3@example.org"' in response.text
    assert 'value="Martin3"' in response.text
    assert User.objects.count() == 3
    assert not User.objects.filter(email="personne3@example.org").exists()


def test_another_address_can_still_sign_up(client, three_signups_an_hour):
    for n in range(4):
        sign_up(client, n, address=OFFICE)
    assert sign_up(client, 4, address=ELSEWHERE).status_code == 302
    assert User.objects.filter(email="personne4@example.org").exists()


def test_an_invalid_sign_up_does_not_use_the_allowance(client, three_signups_an_hour):
    """Only sign-ups that would create an account count: typing mistakes are free."""
    for _ in range(5):
        client.post(reverse("signup"), {"email": "pas-une-adresse"}, REMOTE_ADDR=OFFICE)
    assert [sign_up(client, n).status_code for n in range(3)] == [302, 302, 302]


@pytest.mark.skipif(
    "LocMemCache" not in django_settings.CACHES["default"]["BACKEND"],
    reason="moves the clock of the in-memory cache; Redis keeps its own",
)
def test_the_sign_up_window_ends_after_an_hour(client, three_signups_an_hour, monkeypatch):
    for n in range(3):
        sign_up(client, n)
    an_hour_later = time.time() + 60 * 60 + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: an_hour_later)
    assert sign_up(client, 3).status_code == 302


# The client's address -----------------------------------------------------------------------


def request_from(remote_addr, forwarded=None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_a_proxy_the_address_is_the_connection_s(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from(OFFICE, forwarded="203.0.113.1")) == OFFICE


def test_behind_one_proxy_a_forged_forwarded_for_is_ignored(settings):
    """The client may send its own X-Forwarded-For; only the proxy's appended entry is trusted."""
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.1", forwarded=f"203.0.113.1, {OFFICE}")
    assert client_address(request) == OFFICE


def test_behind_two_proxies_the_outer_one_s_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.2", forwarded=f"203.0.113.1, {OFFICE}, 10.0.0.1")
    assert client_address(request) == OFFICE


def test_a_missing_forwarded_for_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request_from(OFFICE)) == OFFICE


def test_the_lock_follows_the_forwarded_address_behind_a_proxy(client, paul, settings):
    """Behind a proxy every request comes from the proxy: the lock must still be per client."""
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "paul@example.org", "password": "mauvais"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=OFFICE,
        )
    response = client.post(
        reverse("login"),
        {"username": "paul@example.org", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert response.status_code == 302
