"""Retention: an account unused for ACCOUNT_RETENTION_INACTIVE_DAYS is anonymised, after one
warning e-mail ACCOUNT_RETENTION_WARNING_DAYS before; a log-in in between keeps it."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import tasks
from accounts.models import User
from probono.celery import app
from tests.accounts.erasure_checks import every_row
from tests.factories import UserFactory, signup_form

INACTIVE = settings.ACCOUNT_RETENTION_INACTIVE_DAYS
WARNING = settings.ACCOUNT_RETENTION_WARNING_DAYS


def days_ago(days, now=None):
    return (now or timezone.now()) - timedelta(days=days)


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def dormant(db, now):
    """Last logged in just over INACTIVE − WARNING days ago: due for the warning today."""
    return UserFactory(
        last_login=days_ago(INACTIVE - WARNING + 1, now), date_joined=days_ago(INACTIVE * 2, now)
    )


@pytest.fixture
def recent(db, now):
    return UserFactory(last_login=days_ago(INACTIVE - WARNING - 1, now))


def test_it_warns_a_dormant_account_once_in_french(dormant, recent, now):
    assert tasks.apply(now) == {"anonymised": 0, "warned": 1}
    [message] = mail.outbox
    assert message.to == [dormant.email]
    deadline = timezone.localtime(now + timedelta(days=WARNING))
    assert "sans connexion d'ici le" in message.subject
    assert str(deadline.year) in message.subject
    assert "votre compte sera supprimé" in message.subject
    assert settings.SITE_URL + reverse("login") in message.body
    assert "Les missions et les heures données resteront" in message.body
    dormant.refresh_from_db()
    recent.refresh_from_db()
    assert dormant.retention_warned_at == now
    assert recent.retention_warned_at is None


def test_running_it_twice_sends_no_second_e_mail_and_changes_nothing(dormant, now):
    tasks.apply(now)
    after_first = every_row()
    assert tasks.apply(now) == {"anonymised": 0, "warned": 0}
    assert tasks.apply(now + timedelta(days=1)) == {"anonymised": 0, "warned": 0}
    assert len(mail.outbox) == 1
    assert every_row() == after_first


def test_an_account_never_logged_in_counts_from_its_sign_up(db, now):
    never = UserFactory(last_login=None, date_joined=days_ago(INACTIVE - WARNING + 1, now))
    newcomer = UserFactory(last_login=None, date_joined=days_ago(10, now))
    tasks.apply(now)
    assert [m.to for m in mail.outbox] == [[never.email]]
    newcomer.refresh_from_db()
    assert newcomer.retention_warned_at is None


def test_the_operators_accounts_are_left_alone(db, now):
    """is_staff / is_superuser: the admin site's accounts, managed by the CRESS itself."""
    long_ago = days_ago(INACTIVE * 2, now)
    UserFactory(last_login=long_ago, is_staff=True)
    UserFactory(last_login=long_ago, is_superuser=True, is_staff=True)
    assert tasks.apply(now) == {"anonymised": 0, "warned": 0}
    assert tasks.apply(now + timedelta(days=WARNING + 1)) == {"anonymised": 0, "warned": 0}
    assert mail.outbox == []


def test_it_anonymises_the_warned_account_after_the_delay_only(dormant, now):
    tasks.apply(now)
    assert tasks.apply(now + timedelta(days=WARNING - 1)) == {"anonymised": 0, "warned": 0}
    dormant.refresh_from_db()
    assert dormant.anonymised_at is None
    later = now + timedelta(days=WARNING)
    assert tasks.apply(later) == {"anonymised": 1, "warned": 0}
    dormant.refresh_from_db()
    assert dormant.email == f"anonyme-{dormant.pk}@invalid"
    assert (dormant.first_name, dormant.last_name, dormant.is_active) == ("", "", False)
    assert len(mail.outbox) == 1  # no e-mail to the anonymised account


def test_anonymisation_run_twice_changes_nothing(dormant, now):
    tasks.apply(now)
    later = now + timedelta(days=WARNING)
    tasks.apply(later)
    after_first = every_row()
    assert tasks.apply(later) == {"anonymised": 0, "warned": 0}
    assert tasks.apply(later + timedelta(days=INACTIVE)) == {"anonymised": 0, "warned": 0}
    assert every_row() == after_first
    assert len(mail.outbox) == 1


def test_a_log_in_after_the_warning_keeps_the_account(client, dormant, now):
    tasks.apply(now)
    response = client.post(
        reverse("login"), {"username": dormant.email, "password": "motdepasse-solide-2026"}
    )
    assert response.status_code == 302
    dormant.refresh_from_db()
    assert dormant.retention_warned_at is None
    assert tasks.apply(now + timedelta(days=WARNING)) == {"anonymised": 0, "warned": 0}
    dormant.refresh_from_db()
    assert dormant.anonymised_at is None and dormant.is_active
    assert len(mail.outbox) == 1


def test_an_account_deleted_by_its_owner_meanwhile_is_not_touched_again(dormant, now):
    from accounts import personal_data

    tasks.apply(now)
    personal_data.erase(dormant)
    after = every_row()
    assert tasks.apply(now + timedelta(days=WARNING)) == {"anonymised": 0, "warned": 0}
    assert every_row() == after


def test_the_beat_schedule_points_at_a_registered_task():
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-retention"]
    assert entry["task"] == "accounts.apply_retention"
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert entry["task"] in app.tasks
    assert tasks.apply_retention.name == entry["task"]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_beat_task(celery_worker):
    """Sent by name, as beat sends it, to the broker; a worker thread runs it."""
    now = timezone.now()
    dormant = UserFactory(last_login=days_ago(INACTIVE - WARNING + 1, now))
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-retention"]
    app.send_task(entry["task"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if User.objects.filter(pk=dormant.pk, retention_warned_at__isnull=False).exists():
            break
        time.sleep(0.2)
    dormant.refresh_from_db()
    assert dormant.retention_warned_at is not None
    assert [m.to for m in mail.outbox] == [[dormant.email]]


def _use_the_api(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    # Authenticated (a plain account without the volunteer role gets 403, not 401).
    assert api.get(reverse("api_own_offers-list")).status_code in (200, 403)


def test_using_the_api_counts_as_activity_and_answers_the_warning(dormant, now):
    """A partner who uses the API daily but never logs in on the site is not anonymised."""
    tasks.apply(now)
    _use_the_api(dormant)
    dormant.refresh_from_db()
    assert dormant.retention_warned_at is None
    assert dormant.last_login >= now
    assert tasks.apply(timezone.now() + timedelta(days=WARNING)) == {"anonymised": 0, "warned": 0}
    dormant.refresh_from_db()
    assert dormant.anonymised_at is None and dormant.is_active


def test_the_api_writes_last_login_at_most_once_a_day(db):
    user = UserFactory(last_login=timezone.now() - timedelta(hours=23))
    before = user.last_login
    _use_the_api(user)
    user.refresh_from_db()
    assert user.last_login == before
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(hours=25))
    _use_the_api(user)
    user.refresh_from_db()
    assert user.last_login > timezone.now() - timedelta(minutes=1)


# Accounts never confirmed: deleted UNCONFIRMED_ACCOUNT_DAYS after sign-up.

UNCONFIRMED = settings.UNCONFIRMED_ACCOUNT_DAYS


def test_the_default_leaves_the_confirmation_link_s_life_and_more():
    assert UNCONFIRMED == settings.EMAIL_CONFIRMATION_DAYS + 23 == 30


def test_an_account_never_confirmed_is_deleted_after_the_delay_only(db, now):
    """Not anonymised: nothing happened with it; its address is free for its owner again."""
    stale = UserFactory(email_confirmed_at=None, date_joined=days_ago(UNCONFIRMED + 1, now))
    young = UserFactory(email_confirmed_at=None, date_joined=days_ago(UNCONFIRMED - 1, now))
    confirmed = UserFactory(date_joined=days_ago(UNCONFIRMED * 3, now), last_login=now)
    operator = UserFactory(
        email_confirmed_at=None, is_staff=True, date_joined=days_ago(UNCONFIRMED + 1, now)
    )
    assert tasks.delete_unconfirmed(now) == 1
    assert not User.objects.filter(pk=stale.pk).exists()
    assert set(User.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk, operator.pk}
    assert mail.outbox == []


def test_deleting_unconfirmed_accounts_twice_changes_nothing(db, now):
    UserFactory(email_confirmed_at=None, date_joined=days_ago(UNCONFIRMED + 1, now))
    assert tasks.delete_unconfirmed(now) == 1
    after_first = every_row()
    assert tasks.delete_unconfirmed(now) == 0
    assert every_row() == after_first


def test_the_owner_of_the_address_can_then_sign_up(client, db, now):
    UserFactory(
        email="claire@example.org",
        email_confirmed_at=None,
        date_joined=days_ago(UNCONFIRMED + 1, now),
    )
    tasks.delete_unconfirmed(now)
    client.post(
        reverse("signup"),
        signup_form(email="claire@example.org"),
    )
    assert User.objects.get(email="claire@example.org").date_joined > now


def test_the_daily_task_deletes_them_too(db):
    stale = UserFactory(email_confirmed_at=None, date_joined=days_ago(UNCONFIRMED + 1))
    assert tasks.apply_retention()["unconfirmed_deleted"] == 1
    assert not User.objects.filter(pk=stale.pk).exists()
