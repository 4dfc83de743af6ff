"""Celery beat tasks with the clock moved forward: reminders, expiry, missions nobody closes,
the weekly "to handle first" e-mail. Each function takes the moment, so the tests pass a later
one instead of waiting."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Organisation
from matching.models import MatchingRun, Need, Proposal
from missions import services, tasks
from missions.models import Event, HoursEntry, Mission, Party
from notifications.models import Notification, Preference
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

DAY = timedelta(days=1)


def make_proposal(organisation, volunteer, engagement="benevolat", source="matcher", **need):
    need = NeedFactory(organisation=organisation, **need)
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
                         engagement=engagement, departements=[need.departement])  # fmt: skip
    return Proposal.objects.create(
        need=need, offer=offer, score=5, parts={}, details={}, source=source
    )


@pytest.fixture
def association(association_member):
    return association_member.memberships.get().organisation


@pytest.fixture
def proposal(association, volunteer):
    """A bénévolat proposal in the Aisne: the structure and the volunteer answer."""
    return make_proposal(association, volunteer, title="Monter un dossier FSE+")


@pytest.fixture
def approved(proposal, cress_staff):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def mission(approved, association_member, volunteer):
    services.answer(approved.pk, volunteer, Party.VOLUNTEER, "accepted")
    return services.answer(approved.pk, association_member, Party.ASSOCIATION, "accepted")


def keys_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("key", flat=True))


# Reminders of an answer awaited


def test_nobody_is_reminded_before_the_delay(approved, association_member, volunteer, settings):
    now = approved.approved_at + (settings.ANSWER_REMINDER_DAYS * DAY) - timedelta(minutes=1)
    assert tasks.remind_unanswered(now) == 0
    assert not Notification.objects.filter(key__contains="reminder").exists()


def test_each_side_that_has_not_answered_is_reminded_once(
    approved, association_member, volunteer, settings
):
    later = approved.approved_at + (settings.ANSWER_REMINDER_DAYS + 1) * DAY
    assert tasks.remind_unanswered(later) == 2
    assert f"proposal-{approved.pk}-reminder-association" in keys_of(association_member)
    assert f"proposal-{approved.pk}-reminder-volunteer" in keys_of(volunteer)
    assert tasks.remind_unanswered(later + DAY) == 0
    assert Notification.objects.filter(key__contains="reminder").count() == 2


def test_a_side_that_answered_is_not_reminded(approved, association_member, volunteer, settings):
    services.answer(approved.pk, volunteer, Party.VOLUNTEER, "accepted")
    later = approved.approved_at + (settings.ANSWER_REMINDER_DAYS + 1) * DAY
    assert tasks.remind_unanswered(later) == 1
    assert not any("reminder" in key for key in keys_of(volunteer))
    assert f"proposal-{approved.pk}-reminder-association" in keys_of(association_member)


def test_the_employer_is_reminded_for_mecenat(association, volunteer, cress_staff, settings):
    proposal = make_proposal(association, volunteer, engagement="mecenat")
    referent = MembershipFactory(organisation=proposal.offer.organisation, role="admin").user
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    proposal.refresh_from_db()
    assert tasks.remind_unanswered(proposal.approved_at + 6 * DAY) == 3
    assert f"proposal-{proposal.pk}-reminder-employer" in keys_of(referent)


def test_a_reminder_e_mails_now_or_in_the_digest_as_each_person_chose(
    approved, association_member, volunteer, settings, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=volunteer, email_mode=Preference.EmailMode.DAILY)
    later = approved.approved_at + (settings.ANSWER_REMINDER_DAYS + 1) * DAY
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.remind_unanswered(later)
    assert [m.to for m in mail.outbox] == [[association_member.email]]
    assert "Rappel" in mail.outbox[0].subject
    from notifications.tasks import send_daily_digests

    send_daily_digests()
    assert mail.outbox[-1].to == [volunteer.email]
    assert "Rappel" in mail.outbox[-1].body


def test_the_reminder_task_runs_with_no_argument(approved):
    assert tasks.send_answer_reminders() == 0


# Expiry after the longer delay


def test_an_unreviewed_proposal_expires_after_the_review_delay_only(
    proposal, settings, django_capture_on_commit_callbacks
):
    made = proposal.created_at
    assert services.expire_waiting_proposals(made + (settings.REVIEW_EXPIRY_DAYS - 1) * DAY) == 0
    with django_capture_on_commit_callbacks(execute=True):
        expired = services.expire_waiting_proposals(made + (settings.REVIEW_EXPIRY_DAYS + 1) * DAY)
    assert expired == 1
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.EXPIRED
    assert Event.objects.filter(proposal=proposal, verb=Event.Verb.EXPIRED).count() == 1
    # The matcher was asked again for the need.
    assert MatchingRun.objects.filter(trigger="need", subject_id=proposal.need_id).exists()
    # Nobody had been asked yet: nobody is told.
    assert not Notification.objects.exists()


def test_an_expired_interest_tells_the_volunteer(association, volunteer, settings):
    proposal = make_proposal(association, volunteer, source=Proposal.Source.VOLUNTEER)
    services.expire_waiting_proposals(proposal.created_at + 31 * DAY)
    assert keys_of(volunteer) == {f"proposal-{proposal.pk}-expired"}


def test_an_approved_proposal_is_reminded_first_then_expires(
    approved, association_member, volunteer, settings
):
    """Reminder after ANSWER_REMINDER_DAYS, expiry only after the longer ANSWER_EXPIRY_DAYS."""
    assert settings.ANSWER_REMINDER_DAYS < settings.ANSWER_EXPIRY_DAYS
    reminded_on = approved.approved_at + (settings.ANSWER_REMINDER_DAYS + 1) * DAY
    tasks.remind_unanswered(reminded_on)
    assert services.expire_waiting_proposals(reminded_on) == 0
    services.answer(approved.pk, volunteer, Party.VOLUNTEER, "accepted")
    expiry = approved.approved_at + (settings.ANSWER_EXPIRY_DAYS + 1) * DAY
    assert services.expire_waiting_proposals(expiry) == 1
    approved.refresh_from_db()
    assert approved.status == Proposal.Status.EXPIRED
    # Everyone asked is told, the side that answered too.
    assert f"proposal-{approved.pk}-expired" in keys_of(association_member)
    assert f"proposal-{approved.pk}-expired" in keys_of(volunteer)
    assert services.expire_waiting_proposals(expiry + DAY) == 0
    assert Event.objects.filter(verb=Event.Verb.EXPIRED).count() == 1


def test_an_expired_proposal_takes_no_more_answers(approved, volunteer, settings):
    services.expire_waiting_proposals(approved.approved_at + 15 * DAY)
    with pytest.raises(services.StepRefused, match="Expirée"):
        services.answer(approved.pk, volunteer, Party.VOLUNTEER, "accepted")


def test_a_proposal_that_became_a_mission_never_expires(mission, settings):
    later = mission.proposal.approved_at + 100 * DAY
    assert services.expire_waiting_proposals(later) == 0
    assert Proposal.objects.get(pk=mission.proposal_id).status == Proposal.Status.ACCEPTED


def test_the_expiry_task_runs_with_no_argument(proposal):
    assert tasks.expire_proposals() == 0


# Missions nobody closes


def test_a_forgotten_mission_closes_a_month_after_the_wished_end_by_nobody(
    mission, association_member, volunteer, settings
):
    end = mission.need.wished_end
    assert services.close_forgotten_missions(end + settings.MISSION_AUTO_CLOSE_DAYS * DAY) == 0
    today = end + (settings.MISSION_AUTO_CLOSE_DAYS + 1) * DAY
    assert services.close_forgotten_missions(today) == 1
    mission.refresh_from_db()
    assert mission.status == Mission.Status.COMPLETED
    assert mission.closed_by is None
    assert mission.closed_at is not None
    event = Event.objects.get(mission=mission, verb=Event.Verb.AUTO_CLOSED)
    assert event.actor is None
    assert Need.objects.get(pk=mission.need_id).status == Need.Status.COMPLETED
    assert f"mission-{mission.pk}-completed" in keys_of(association_member)
    assert f"mission-{mission.pk}-completed" in keys_of(volunteer)
    assert services.close_forgotten_missions(today + DAY) == 0


def test_the_closing_task_runs_with_no_argument(mission):
    assert tasks.close_forgotten_missions() == 0
    assert Mission.objects.get().is_active


# The weekly "to handle first" e-mail


@pytest.fixture
def somme_reviewer(db):
    """A partner's reviewer for the Somme only."""
    reviewer = member_of(Organisation.Kind.CRESS, name="Partenaire Somme", departement="80",
                         postcode="80000")  # fmt: skip
    reviewer.memberships.update(review_departements=["80"])
    return reviewer


@pytest.fixture
def somme_proposal(association_admin, other_volunteer):
    organisation = association_admin.memberships.get().organisation
    return make_proposal(organisation, other_volunteer, title="Besoin de la Somme")


@pytest.fixture
def other_volunteer(db):
    return member_of(Organisation.Kind.COMPANY, name="Autre entreprise", departement="80",
                     postcode="80000")  # fmt: skip


def e_mail_to(user):
    found = [m for m in mail.outbox if m.to == [user.email]]
    assert len(found) <= 1
    return found[0] if found else None


def test_each_reviewer_gets_what_waits_in_their_scope(
    proposal, somme_proposal, cress_staff, somme_reviewer, settings
):
    now = timezone.now() + (settings.REVIEW_REMINDER_DAYS + 1) * DAY
    assert tasks.send_priorities(now) == 2
    regional = e_mail_to(cress_staff)
    assert "Monter un dossier FSE+" in regional.body
    assert "Besoin de la Somme" in regional.body
    assert "toute la région" in regional.body
    somme = e_mail_to(somme_reviewer)
    assert "Besoin de la Somme" in somme.body
    assert "Monter un dossier FSE+" not in somme.body
    assert "vos départements (80)" in somme.body
    assert somme.subject == "Probono : 1 dossier à traiter en priorité cette semaine"
    html, mimetype = somme.alternatives[0]
    assert mimetype == "text/html"
    assert f"/cress/revue/{somme_proposal.pk}/" in html


def test_proposals_waiting_less_than_the_delay_are_not_listed(proposal, cress_staff, settings):
    now = timezone.now() + (settings.REVIEW_REMINDER_DAYS - 1) * DAY
    assert tasks.send_priorities(now) == 0
    assert mail.outbox == []


def test_a_reviewer_with_nothing_in_scope_gets_no_e_mail(proposal, somme_reviewer, settings):
    now = timezone.now() + (settings.REVIEW_REMINDER_DAYS + 1) * DAY
    assert tasks.send_priorities(now) == 0
    assert e_mail_to(somme_reviewer) is None


def test_missions_with_no_hours_for_two_months_are_listed(mission, cress_staff, settings):
    """Started and never logged, or last logged long ago: both are idle."""
    mail.outbox.clear()
    now = timezone.now() + (settings.MISSION_IDLE_DAYS + 1) * DAY
    assert tasks.send_priorities(now) == 1
    body = e_mail_to(cress_staff).body
    assert "Missions sans heures déclarées depuis plus de 60 jours" in body
    assert mission.get_absolute_url() in body


def test_a_mission_with_recent_hours_is_not_listed(mission, volunteer, cress_staff, settings):
    mail.outbox.clear()
    now = timezone.now() + (settings.MISSION_IDLE_DAYS + 1) * DAY
    services.log_hours(mission, volunteer, timezone.localdate(), 60, "Atelier")
    HoursEntry.objects.update(created_at=now - 10 * DAY)
    assert tasks.send_priorities(now) == 0


def test_the_weekly_e_mail_goes_once_a_week(proposal, cress_staff, settings):
    monday = timezone.now() + (settings.REVIEW_REMINDER_DAYS + 1) * DAY
    assert tasks.send_priorities(monday) == 1
    assert tasks.send_priorities(monday + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1
    assert tasks.send_priorities(monday + 7 * DAY) == 1
    assert len(mail.outbox) == 2
    # It also stands in the inbox, already e-mailed (no second e-mail for it).
    line = Notification.objects.filter(recipient=cress_staff).first()
    assert line.emailed_at is not None
    assert "1 proposition(s) en attente" in line.text


def test_the_weekly_task_runs_with_no_argument(proposal, cress_staff):
    assert tasks.send_weekly_priorities() == 0


def test_beat_runs_every_task(settings):
    from probono.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "missions.send_answer_reminders",
        "missions.expire_proposals",
        "missions.close_forgotten_missions",
        "missions.send_weekly_priorities",
        "notifications.send_daily_digests",
        "notifications.send_missed_emails",
    } <= scheduled
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks)
    for name in scheduled:
        if name.startswith(("missions.", "notifications.")):
            assert app.tasks[name].acks_late
