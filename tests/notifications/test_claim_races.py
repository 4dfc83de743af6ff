"""The e-mail claim under real concurrency on PostgreSQL: e-mail tasks delivered several times
at once, digests run twice at once, weekly e-mails run twice at once: each e-mail goes once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import tasks
from notifications.models import Notification, Preference
from tests import concurrency
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), concurrency.POSTGRESQL_ONLY]

THREADS = 8
ROUNDS = 5


def collide(function, *args):
    """Run `function(*args)` in THREADS threads released at once; returns their results (an
    error as its repr)."""
    return [detail for _, detail in concurrency.collide([(function, args)] * THREADS)]


def test_an_e_mail_task_delivered_many_times_at_once_sends_once():
    person = UserFactory()
    for round_ in range(ROUNDS):
        mail.outbox = []
        notification = Notification.objects.create(recipient=person, key=f"k{round_}", text="T")
        results = collide(tasks.email_notification, notification.pk)
        assert sorted(results) == [0] * (THREADS - 1) + [1]
        assert len(mail.outbox) == 1


def test_digests_run_at_once_send_one_e_mail_per_person():
    people = [UserFactory() for _ in range(3)]
    for person in people:
        Preference.objects.create(user=person, email_mode=Preference.EmailMode.DAILY)
    for round_ in range(ROUNDS):
        mail.outbox = []
        for person in people:
            for i in range(4):
                Notification.objects.create(recipient=person, key=f"k{round_}-{i}", text=f"T{i}")
        results = collide(tasks.send_digests)
        assert sum(results) == len(people), results
        assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
        # Every notification sits in exactly one e-mail.
        assert all(m.body.count("- T") == 4 for m in mail.outbox)


def test_sweeps_run_at_once_send_each_missed_e_mail_once():
    person = UserFactory()
    for i in range(5):
        Notification.objects.create(recipient=person, key=f"k{i}", text=f"T{i}")
    results = collide(tasks.send_missed, timezone.now() + timedelta(hours=1))
    assert sum(results) == 5, results
    assert len(mail.outbox) == 5


def test_weekly_e_mails_run_at_once_go_once_per_reviewer(skills_catalogue, settings):
    from accounts.models import Organisation
    from matching.models import Proposal
    from missions.tasks import send_priorities
    from tests.factories import NeedFactory, OfferFactory, member_of

    reviewers = [member_of(Organisation.Kind.CRESS, departement="59", postcode="59000")
                 for _ in range(2)]  # fmt: skip
    Proposal.objects.create(need=NeedFactory(), offer=OfferFactory(departements=["02"]), score=1,
                            parts={}, details={})  # fmt: skip
    later = timezone.now() + timedelta(days=settings.REVIEW_REMINDER_DAYS + 1)
    results = collide(send_priorities, later)
    assert sum(results) == len(reviewers), results
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in reviewers)
