"""Task arguments carry ids only: whatever is queued (and so stored in Redis and written in the
worker's log) names rows by id, never by an address, a name or a free text."""

import re

import pytest
from celery.signals import before_task_publish, task_prerun

from tests.probono.main_flows import dormant_strings, people_strings, play

pytestmark = pytest.mark.django_db

# A short code, such as the full pass's trigger ("schedule"); nothing a person typed.
SHORT_CODE = re.compile(r"^[a-z_]{1,20}$")


@pytest.fixture
def sent_tasks():
    """(task name, args, kwargs) of every task sent to the broker or run in-process."""
    sent = []

    def published(sender=None, body=None, **kwargs):
        args, kwargs_, _embed = body
        sent.append((sender, tuple(args), dict(kwargs_)))

    def ran(sender=None, task=None, args=None, kwargs=None, **extra):
        sent.append((task.name, tuple(args or ()), dict(kwargs or {})))

    before_task_publish.connect(published, weak=False)
    task_prerun.connect(ran, weak=False)
    yield sent
    before_task_publish.disconnect(published)
    task_prerun.disconnect(ran)


def harmless(value):
    return (
        value is None
        or isinstance(value, bool | int)
        or (isinstance(value, str) and SHORT_CODE.match(value))
    )


def test_every_task_of_the_main_flows_takes_ids_only(
    sent_tasks, eager_tasks, django_capture_on_commit_callbacks
):
    people = play(lambda: django_capture_on_commit_callbacks(execute=True))
    names = {name for name, _args, _kwargs in sent_tasks}
    # The flows did send the tasks this test is about.
    assert {
        "matching.propose_for_need", "notifications.send_email",
        "notifications.send_daily_digests", "notifications.send_missed_emails",
        "accounts.apply_retention",
    } <= names  # fmt: skip
    personal = people_strings(people) | dormant_strings()
    for name, args, kwargs in sent_tasks:
        for value in (*args, *kwargs.values()):
            assert harmless(value), (name, value)
            assert not any(s.lower() in str(value).lower() for s in personal), (name, value)


def test_the_check_catches_an_address(sent_tasks, eager_tasks):
    """The check itself: an e-mail address or a free text as argument is caught."""
    assert not harmless("camille@example.org")
    assert not harmless("Bonjour, ici Camille")
    assert harmless(12) and harmless(None) and harmless("schedule")
