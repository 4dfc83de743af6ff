"""Logs carry no personal data: during the main flows, no log record — of ours, of Django, of
django-axes, of Celery, at DEBUG level — holds the address, the name or the phone of the
people involved."""

import logging
import time

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from accounts.models import User
from tests.factories import UserFactory
from tests.probono.main_flows import dormant_strings, people_strings, play


def leaks(records, strings):
    """(logger, text) of each record whose message or formatted traceback holds a string."""
    formatter = logging.Formatter()
    found = []
    for record in records:
        text = record.getMessage()
        if record.exc_info:
            text += formatter.formatException(record.exc_info)
        if any(s.lower() in text.lower() for s in strings):
            found.append((record.name, text[:300]))
    return found


@pytest.mark.django_db
def test_the_main_flows_log_nothing_personal(
    caplog, eager_tasks, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    people = play(lambda: django_capture_on_commit_callbacks(execute=True))
    # The flows did log: django-axes on every log-in, refused or not.
    assert any(r.name.startswith("axes") and "login" in r.getMessage() for r in caplog.records)
    assert leaks(caplog.records, people_strings(people) | dormant_strings()) == []


def test_the_check_finds_a_leak(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("probono.test").info("sent to %s", "camille@example.org")
    assert leaks(caplog.records, {"camille@example.org"}) == [
        ("probono.test", "sent to camille@example.org")
    ]


class Collect(logging.Handler):
    """Keeps every record it is handed."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_nothing_personal(skills_catalogue):
    """The worker's own log (Celery's and the tasks'), at DEBUG, while it e-mails the
    retention warning through Redis. The worker sets its logging up when it starts (and
    takes the root logger over): the collecting handler is attached after that."""
    from celery.contrib.testing.worker import start_worker

    from probono.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.skip("no CELERY_BROKER_URL: the real-worker tests need Redis")
    long_ago = timezone.now() - timezone.timedelta(days=settings.ACCOUNT_RETENTION_INACTIVE_DAYS)
    dormant = UserFactory(first_name="Hermeline", last_name="Zuydcoote-Baels", last_login=long_ago)
    app.control.purge()
    collect = Collect()
    root = logging.getLogger()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="DEBUG"):
        level = root.level
        root.addHandler(collect)
        root.setLevel(logging.DEBUG)
        try:
            app.send_task("accounts.apply_retention")
            deadline = time.monotonic() + 30
            while (
                time.monotonic() < deadline
                and not User.objects.filter(
                    pk=dormant.pk, retention_warned_at__isnull=False
                ).exists()
            ):
                time.sleep(0.2)
            time.sleep(0.5)  # the "succeeded" line follows the commit
        finally:
            root.removeHandler(collect)
            root.setLevel(level)
    assert [m.to for m in mail.outbox] == [[dormant.email]]
    messages = [r.getMessage() for r in collect.records if r.name.startswith("celery")]
    assert any("accounts.apply_retention" in m and "received" in m for m in messages), messages
    assert leaks(collect.records, {dormant.email, "Hermeline", "Zuydcoote-Baels"}) == []
