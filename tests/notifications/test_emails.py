"""E-mails: one per recipient and event, after the commit only, French text and HTML parts;
the daily digest gathers a day's notifications into one e-mail, sent once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from matching.models import Proposal
from missions import services
from notifications import tasks
from notifications.models import Notification, Preference
from notifications.services import claim_all_for_email, claim_for_email, notify
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def daily(user):
    Preference.objects.create(user=user, email_mode=Preference.EmailMode.DAILY)
    return user


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def proposal(association_member, volunteer):
    """A mécénat proposal: the structure, the volunteer and the employer's referent answer."""
    need = NeedFactory(organisation=association_member.memberships.get().organisation,
                       title="Dossier « FSE+ » d'Amiens")  # fmt: skip
    company = volunteer.memberships.get().organisation
    offer = OfferFactory(volunteer=volunteer, organisation=company, engagement="mecenat",
                         departements=["02"])  # fmt: skip
    return Proposal.objects.create(need=need, offer=offer, score=5, parts={}, details={})


@pytest.fixture
def referent(proposal):
    return MembershipFactory(organisation=proposal.offer.organisation, role="admin").user


def test_an_approval_e_mails_each_person_asked_once(
    proposal, referent, cress_staff, association_member, volunteer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    assert recipients() == sorted([association_member.email, volunteer.email, referent.email])


def test_a_step_told_twice_e_mails_once(volunteer, django_capture_on_commit_callbacks):
    """The same event notified twice (a step run again) sends one e-mail per person."""
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify([volunteer, other], "proposal-1-approved", "Un binôme vous attend", "/p/1/")
        notify([volunteer, other, volunteer], "proposal-1-approved", "Un binôme vous attend")
    with django_capture_on_commit_callbacks(execute=True):
        notify([volunteer], "proposal-1-approved", "Un binôme vous attend")
    assert recipients() == sorted([volunteer.email, other.email])
    assert Notification.objects.count() == 2


def test_nothing_is_e_mailed_when_the_step_rolls_back(
    proposal, referent, cress_staff, django_capture_on_commit_callbacks
):
    """A step that fails after telling people tells nobody: no e-mail, no notification."""
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.approve(proposal.pk, cress_staff, no_commercial_link=True)
        raise RuntimeError("a later step failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_the_e_mail_is_french_with_a_text_and_an_html_part(
    proposal, referent, cress_staff, volunteer, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://probono.example"
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    message = next(m for m in mail.outbox if m.to == [volunteer.email])
    assert message.subject == (
        "Probono : La CRESS vous propose un binôme pour « Dossier « FSE+ » d'Amiens » : "
        "acceptez-vous ?"
    )
    assert "Bonjour," in message.body
    assert f"https://probono.example/propositions/{proposal.pk}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://probono.example/propositions/{proposal.pk}/"' in html
    assert "d&#x27;Amiens" in html  # escaped in HTML, as typed in the text part
    assert "d'Amiens" in message.body


def test_people_who_chose_the_digest_get_no_immediate_e_mail(
    volunteer, django_capture_on_commit_callbacks
):
    other = daily(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        notify([volunteer, other], "event-1", "Quelque chose")
    assert recipients() == [volunteer.email]
    assert Notification.objects.get(recipient=other).emailed_at is None


def test_the_e_mail_task_run_twice_sends_once(volunteer, django_capture_on_commit_callbacks):
    """A task delivered twice (acks_late after a lost worker) sends one e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        notify([volunteer], "event-1", "Quelque chose")
    notification = Notification.objects.get(recipient=volunteer)
    assert notification.emailed_at is not None
    assert tasks.send_notification_email(notification.pk) == 0
    assert tasks.send_notification_email(notification.pk) == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_notification_to_send_again(volunteer, monkeypatch):
    """Claim and send are one transaction: a failed send is retried, not lost."""
    notification = Notification.objects.create(recipient=volunteer, key="k", text="Texte")

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(tasks, "send_templated_email", refuse)
    with pytest.raises(ConnectionRefusedError):
        tasks.email_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert tasks.email_notification(notification.pk) == 1
    assert recipients() == [volunteer.email]


def test_a_claim_is_won_once(volunteer):
    """The conditional claim: the first caller wins, every later one gets nothing."""
    notification = Notification.objects.create(recipient=volunteer, key="k", text="Texte")
    assert claim_for_email(notification.pk) is True
    assert claim_for_email(notification.pk) is False
    assert claim_all_for_email(Notification.objects.all()) == []


def test_e_mails_the_broker_could_not_take_are_sent_later(
    volunteer, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_notification_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify([volunteer], "event-1", "Quelque chose")
    assert mail.outbox == []
    now = timezone.now()
    assert tasks.send_missed(now) == 0  # too recent: its task may still be on its way
    assert tasks.send_missed(now + timedelta(minutes=11)) == 1
    assert tasks.send_missed(now + timedelta(minutes=30)) == 0
    assert recipients() == [volunteer.email]


def test_the_sweep_leaves_digest_people_to_their_digest(volunteer):
    daily(volunteer)
    notify([volunteer], "event-1", "Quelque chose")
    assert tasks.send_missed(timezone.now() + timedelta(hours=1)) == 0
    assert mail.outbox == []


# The daily digest


def test_the_digest_gathers_a_days_notifications_into_one_e_mail(volunteer, settings):
    settings.SITE_URL = "https://probono.example"
    daily(volunteer)
    notify([volunteer], "proposal-1-approved", "Un binôme vous attend", "/propositions/1/")
    notify([volunteer], "mission-2-message-3", "Nouveau message", "/missions/2/")
    notify([volunteer], "mission-2-completed", "Mission terminée", "/missions/2/")
    assert mail.outbox == []
    assert tasks.send_daily_digests() == 1
    [message] = mail.outbox
    assert message.to == [volunteer.email]
    assert message.subject == "Probono : 3 nouvelles notifications"
    body = message.body
    assert body.index("Un binôme vous attend") < body.index("Nouveau message")
    assert "https://probono.example/missions/2/" in body
    html, _mimetype = message.alternatives[0]
    assert 'href="https://probono.example/propositions/1/"' in html


def test_the_digest_run_twice_sends_once(volunteer):
    daily(volunteer)
    notify([volunteer], "event-1", "Quelque chose")
    assert tasks.send_daily_digests() == 1
    assert tasks.send_daily_digests() == 0
    assert len(mail.outbox) == 1
    notify([volunteer], "event-2", "Autre chose")
    assert tasks.send_daily_digests() == 1
    assert "Autre chose" in mail.outbox[1].body
    assert "Quelque chose" not in mail.outbox[1].body


def test_the_digest_is_one_e_mail_per_person(volunteer, association_member):
    daily(volunteer)
    daily(association_member)
    immediate = UserFactory()
    notify([volunteer, association_member, immediate], "event-1", "Quelque chose")
    notify([volunteer], "event-2", "Autre chose")
    mail.outbox.clear()  # the immediate person's own e-mail
    assert tasks.send_daily_digests() == 2
    assert recipients() == sorted([volunteer.email, association_member.email])
    assert "1 nouvelle notification" in next(
        m.subject for m in mail.outbox if m.to == [association_member.email]
    )
