"""The audit trail: every step of a proposal or a mission is an Event saying who did what, for
which side, and when. (Staff read it on the review pages; here we check it is recorded.)"""

import datetime

import pytest
from django.utils import timezone

from matching.models import Proposal
from missions import services
from missions.models import Event, Mission, Party
from tests.factories import MembershipFactory, NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db

Verb = Event.Verb


@pytest.fixture
def referent(volunteer):
    organisation = volunteer.memberships.get().organisation
    return MembershipFactory(organisation=organisation, role="admin").user


@pytest.fixture
def proposal(association_member, volunteer, referent):
    """A mécénat proposal: the structure, the volunteer and the employer must all accept."""
    need = NeedFactory(organisation=association_member.memberships.get().organisation)
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
                         departements=["02"])  # fmt: skip
    return Proposal.objects.create(need=need, offer=offer, score=5, parts={}, details={})


@pytest.fixture
def mission(proposal, cress_staff, association_member, volunteer, referent):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    services.answer(proposal.pk, association_member, Party.ASSOCIATION, "accepted")
    services.answer(proposal.pk, volunteer, Party.VOLUNTEER, "accepted")
    return services.answer(proposal.pk, referent, Party.EMPLOYER, "accepted")


@pytest.fixture
def since():
    return timezone.now()


def the_event(verb, **where):
    """The one event of that verb (and those fields): there must be exactly one."""
    return Event.objects.get(verb=verb, **where)


def recorded_just_now(event, since):
    return since <= event.at <= timezone.now()


def test_an_approval_is_recorded_with_its_reviewer(proposal, cress_staff, since):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    event = the_event(Verb.APPROVED, proposal=proposal)
    assert event.actor == cress_staff
    assert recorded_just_now(event, since)


def test_a_rejection_is_recorded_with_its_reviewer_and_reason(proposal, cress_staff, since):
    services.reject(proposal.pk, cress_staff, "distance", "Trop loin pour se voir.")
    event = the_event(Verb.REJECTED, proposal=proposal)
    assert (event.actor, event.detail) == (cress_staff, "Trop éloignés pour se rencontrer")
    assert recorded_just_now(event, since)


def test_each_acceptance_is_recorded_with_its_person_and_side(
    mission, association_member, volunteer, referent
):
    accepted = Event.objects.filter(verb=Verb.ACCEPTED, proposal=mission.proposal)
    assert sorted(accepted.values_list("party", "actor")) == sorted(
        [
            (Party.ASSOCIATION, association_member.pk),
            (Party.VOLUNTEER, volunteer.pk),
            (Party.EMPLOYER, referent.pk),
        ]
    )


def test_a_decline_is_recorded_with_its_person_side_and_reason(
    proposal, cress_staff, referent, since
):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    services.answer(proposal.pk, referent, Party.EMPLOYER, "declined", reason="employer_refuses")
    event = the_event(Verb.DECLINED, proposal=proposal)
    assert (event.actor, event.party) == (referent, Party.EMPLOYER)
    assert event.detail == "L'employeur ne libère pas ce temps"
    assert recorded_just_now(event, since)


def test_the_start_of_a_mission_is_recorded_by_nobody(since, mission):
    """Nobody starts a mission: it starts when the last side accepts."""
    event = the_event(Verb.MISSION_STARTED, mission=mission)
    assert event.proposal == mission.proposal
    assert event.actor is None
    assert recorded_just_now(event, since)


def test_hours_logged_confirmed_and_disputed_are_recorded(
    mission, volunteer, association_member, since
):
    today = timezone.localdate()
    kept = services.log_hours(mission, volunteer, today, 90, "Budget prévisionnel")
    doubted = services.log_hours(mission, volunteer, today, 600, "Tableau de bord")
    services.decide_hours(kept, association_member, confirm=True)
    services.decide_hours(doubted, association_member, confirm=False, note="Plutôt 3 heures")
    logged = Event.objects.filter(verb=Verb.HOURS_LOGGED, mission=mission)
    assert [(e.actor, e.detail) for e in logged] == [
        (volunteer, f"{today} · 90 min"),
        (volunteer, f"{today} · 600 min"),
    ]
    confirmed = the_event(Verb.HOURS_CONFIRMED, mission=mission)
    disputed = the_event(Verb.HOURS_DISPUTED, mission=mission)
    assert (confirmed.actor, disputed.actor) == (association_member, association_member)
    assert "Plutôt 3 heures" in disputed.detail
    assert all(recorded_just_now(e, since) for e in [*logged, confirmed, disputed])


def test_a_completion_is_recorded_with_who_closed_it(mission, association_member, since):
    services.complete(mission, association_member)
    event = the_event(Verb.COMPLETED, mission=mission)
    assert event.actor == association_member
    assert recorded_just_now(event, since)


def test_an_abandon_is_recorded_with_who_stopped_and_why(mission, volunteer, since):
    services.abandon(mission, volunteer, "Changement de poste")
    event = the_event(Verb.ABANDONED, mission=mission)
    assert (event.actor, event.detail) == (volunteer, "Changement de poste")
    assert recorded_just_now(event, since)


def test_an_automatic_closing_is_recorded_by_nobody(mission, since):
    """A month after the need's wished end, the mission closes itself: no actor."""
    later = mission.need.wished_end + datetime.timedelta(days=31)
    assert services.close_forgotten_missions(today=later) == 1
    event = the_event(Verb.AUTO_CLOSED, mission=mission)
    assert event.actor is None
    assert Mission.objects.get(pk=mission.pk).closed_by is None
    assert recorded_just_now(event, since)


def test_feedback_is_recorded_with_its_person_and_side(
    mission, association_member, volunteer, since
):
    services.complete(mission, volunteer)
    mission.refresh_from_db()
    services.leave_feedback(mission, association_member, Party.ASSOCIATION, 5, "Merci !")
    services.leave_feedback(mission, volunteer, Party.VOLUNTEER, 4)
    feedback = Event.objects.filter(verb=Verb.FEEDBACK, mission=mission)
    assert sorted(feedback.values_list("party", "actor")) == sorted(
        [(Party.ASSOCIATION, association_member.pk), (Party.VOLUNTEER, volunteer.pk)]
    )
    assert all(recorded_just_now(e, since) for e in feedback)


def test_the_trail_of_a_mission_reads_in_order(mission, volunteer, association_member):
    """From the approval to the feedback, one event per step, in the order they happened."""
    entry = services.log_hours(mission, volunteer, timezone.localdate(), 120, "Atelier")
    services.decide_hours(entry, association_member, confirm=True)
    services.complete(mission, association_member)
    mission.refresh_from_db()
    services.leave_feedback(mission, volunteer, Party.VOLUNTEER, 5)
    trail = Event.objects.filter(proposal=mission.proposal).values_list("verb", flat=True)
    assert list(trail) == [
        Verb.APPROVED, Verb.ACCEPTED, Verb.ACCEPTED, Verb.ACCEPTED, Verb.MISSION_STARTED,
        Verb.HOURS_LOGGED, Verb.HOURS_CONFIRMED, Verb.COMPLETED, Verb.FEEDBACK,
    ]  # fmt: skip
