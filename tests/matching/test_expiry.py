"""Needs past their wished end expire, after a reminder to the structure's members."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from matching import services, tasks
from matching.models import Need
from tests.factories import MembershipFactory, NeedFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def ending_soon(association):
    return NeedFactory(
        organisation=association, title="Dossier FSE+", wished_start=days(-30), wished_end=days(5)
    )


def test_members_are_reminded_a_week_before_the_end(association_member, ending_soon):
    assert services.send_expiry_reminders(TODAY) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [association_member.email]
    assert message.subject == "Probono : votre besoin « Dossier FSE+ » arrive à échéance"
    assert reverse("need_edit", args=[ending_soon.pk]) in message.body
    assert message.alternatives


def test_each_need_is_reminded_once(ending_soon):
    services.send_expiry_reminders(TODAY)
    services.send_expiry_reminders(TODAY)
    assert len(mail.outbox) == 1


def test_pending_members_and_other_structures_are_not_told(association, ending_soon, other_member):
    MembershipFactory(organisation=association, status="pending")
    services.send_expiry_reminders(TODAY)
    assert len(mail.outbox[0].to) == 1


def test_needs_ending_later_or_not_published_are_not_reminded(association):
    NeedFactory(organisation=association, wished_end=days(30))
    NeedFactory(organisation=association, wished_end=days(3), status="draft", published_at=None)
    assert services.send_expiry_reminders(TODAY) == 0


def test_a_need_past_its_end_expires(ending_soon):
    Need.objects.filter(pk=ending_soon.pk).update(wished_end=days(-1))
    assert services.expire_needs(TODAY) == 1
    ending_soon.refresh_from_db()
    assert ending_soon.status == Need.Status.EXPIRED


@pytest.mark.parametrize("status", ["draft", "matched", "completed"])
def test_only_published_needs_expire(association, status):
    need = NeedFactory(
        organisation=association, status=status, wished_start=days(-60), wished_end=days(-1)
    )
    services.expire_needs(TODAY)
    need.refresh_from_db()
    assert need.status == status


def test_moving_the_end_brings_a_new_reminder(client, association_member, ending_soon):
    services.send_expiry_reminders(TODAY)
    client.force_login(association_member)
    data = {
        "title": ending_soon.title,
        "description": ending_soon.description,
        "main_skill": ending_soon.main_skill_id,
        "departement": ending_soon.departement,
        "format": "mission",
        "estimated_hours": 10,
        "wished_start": ending_soon.wished_start.isoformat(),
        "wished_end": days(60).isoformat(),
    }
    assert client.post(reverse("need_edit", args=[ending_soon.pk]), data).status_code == 302
    ending_soon.refresh_from_db()
    assert ending_soon.expiry_reminder_sent_at is None


def test_the_daily_task_reminds_then_expires(ending_soon, association):
    NeedFactory(organisation=association, wished_start=days(-60), wished_end=days(-2))
    assert tasks.expire_needs.apply().get() == {"reminded": 1, "expired": 1}
