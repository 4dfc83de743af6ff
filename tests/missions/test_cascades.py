"""Cascades: what a cancelled need, a paused offer or a volunteer who left closes behind them."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from matching import matcher
from matching.models import Need, Offer, Proposal
from missions import services
from missions.models import Event, Mission, Party
from notifications.models import Notification
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

Status = Proposal.Status


@pytest.fixture
def association(association_member):
    """The member's association, with a second member who did not cancel anything."""
    organisation = association_member.memberships.get().organisation
    MembershipFactory(organisation=organisation)
    return organisation


@pytest.fixture
def employer(volunteer):
    return volunteer.memberships.get().organisation


@pytest.fixture
def referent(employer):
    return MembershipFactory(organisation=employer, role=Membership.Role.ADMIN).user


@pytest.fixture
def offer(volunteer, employer, referent):
    """A mécénat offer of 16 h a month: room for two engaged proposals."""
    return OfferFactory(volunteer=volunteer, organisation=employer, hours_per_month=16,
                        departements=["02"])  # fmt: skip


@pytest.fixture
def other_offer(db):
    """Another volunteer's offer that fits the same needs, with room for two: what the matcher
    picks up next."""
    return OfferFactory(engagement="benevolat", hours_per_month=16, departements=["02"])


def proposal_for(need, offer):
    return Proposal.objects.create(need=need, offer=offer, score=5, parts={}, details={})


def approved(need, offer, staff):
    proposal = proposal_for(need, offer)
    services.approve(proposal.pk, staff, no_commercial_link=True)
    return proposal


def mission_for(need, offer, staff):
    """A mission started: the CRESS approved, every side accepted."""
    proposal = approved(need, offer, staff)
    for party in services.required_parties(proposal):
        person = services.people_of(proposal, party).order_by("pk").first()
        services.answer(proposal.pk, person, party, "accepted")
    return Mission.objects.get(proposal=proposal)


def told(person, key):
    return Notification.objects.filter(recipient=person, key=key).exists()


def statuses(*proposals):
    return [Proposal.objects.get(pk=p.pk).status for p in proposals]


# A need cancelled


def test_cancelling_a_need_on_its_page_withdraws_its_live_proposals(
    login, association, association_member, offer, other_offer, cress_staff, volunteer
):
    """The need's waiting and approved proposals are withdrawn; those already asked are told."""
    need = NeedFactory(organisation=association)
    waiting = proposal_for(need, other_offer)
    asked = approved(need, offer, cress_staff)
    response = login(association_member).post(reverse("need_cancel", args=[need.pk]))
    assert response.status_code == 302
    assert Need.objects.get(pk=need.pk).status == Need.Status.CANCELLED
    assert statuses(waiting, asked) == [Status.WITHDRAWN, Status.WITHDRAWN]
    assert told(volunteer, f"proposal-{asked.pk}-withdrawn")
    withdrawn = Event.objects.filter(verb=Event.Verb.WITHDRAWN, proposal=asked).get()
    assert withdrawn.actor == association_member


def test_cancelling_a_need_in_progress_on_its_page_abandons_its_mission(
    login, association, association_member, offer, cress_staff, volunteer, referent
):
    """A need in progress can be cancelled from its page: the mission is abandoned, its
    proposal withdrawn, and every other person of each side is told."""
    need = NeedFactory(organisation=association)
    mission = mission_for(need, offer, cress_staff)
    assert Need.objects.get(pk=need.pk).status == Need.Status.IN_PROGRESS
    response = login(association_member).post(reverse("need_cancel", args=[need.pk]))
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.status == Mission.Status.ABANDONED
    assert mission.closed_by == association_member
    assert statuses(mission.proposal) == [Status.WITHDRAWN]
    assert Need.objects.get(pk=need.pk).status == Need.Status.CANCELLED
    key = f"mission-{mission.pk}-abandoned"
    other_member = association.memberships.exclude(user=association_member).get().user
    assert [told(p, key) for p in (other_member, volunteer, referent)] == [True, True, True]
    assert not told(association_member, key)


def test_need_cancel_closes_the_mission_and_the_proposals(
    association, association_member, offer, other_offer, cress_staff, volunteer
):
    """Need.cancel (without the view) cascades the same way."""
    need = NeedFactory(organisation=association)
    mission = mission_for(need, offer, cress_staff)
    need.refresh_from_db()
    need.cancel(by=association_member)
    mission.refresh_from_db()
    assert mission.status == Mission.Status.ABANDONED
    assert told(volunteer, f"mission-{mission.pk}-abandoned")
    assert not Proposal.objects.filter(need=need, status__in=Proposal.LIVE).exists()
    abandoned = Event.objects.get(verb=Event.Verb.ABANDONED, mission=mission)
    assert abandoned.actor == association_member


def test_a_need_in_progress_can_be_cancelled():
    assert Need.Status.IN_PROGRESS in Need.CANCELLABLE


def test_the_page_of_a_need_in_progress_offers_to_cancel_it(
    login, association, association_member, offer, cress_staff
):
    need = NeedFactory(organisation=association)
    mission_for(need, offer, cress_staff)
    response = login(association_member).get(need.get_absolute_url())
    assert reverse("need_cancel", args=[need.pk]) in response.content.decode()


# An offer paused


def test_pausing_an_offer_on_its_page_withdraws_its_pending_proposals(
    login, association, offer, other_offer, cress_staff, volunteer
):
    """Proposed and approved proposals are withdrawn; a mission already started goes on."""
    waiting = proposal_for(NeedFactory(organisation=association), offer)
    asked = approved(NeedFactory(organisation=association), offer, cress_staff)
    mission = mission_for(NeedFactory(organisation=association), offer, cress_staff)
    response = login(volunteer).post(reverse("offer_pause", args=[offer.pk]))
    assert response.status_code == 302
    assert not Offer.objects.get(pk=offer.pk).is_active
    assert statuses(waiting, asked) == [Status.WITHDRAWN, Status.WITHDRAWN]
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.ACTIVE


def test_the_volunteer_who_paused_is_not_told_of_their_own_withdrawal(
    login, association, offer, cress_staff, volunteer, association_member
):
    """The structure asked is told « le ou la bénévole n'est plus disponible »; the volunteer
    who paused, who knows, is not sent that sentence about themself."""
    asked = approved(NeedFactory(organisation=association), offer, cress_staff)
    login(volunteer).post(reverse("offer_pause", args=[offer.pk]))
    key = f"proposal-{asked.pk}-withdrawn"
    assert told(association_member, key)
    assert not told(volunteer, key)


def test_the_offer_page_says_what_pausing_will_withdraw(
    login, association, offer, cress_staff, volunteer
):
    """Before the click: the pending proposals, those the CRESS approved among them, and that
    a mission started goes on (a review paused an offer and lost an approved pairing)."""
    proposal_for(NeedFactory(organisation=association), offer)
    approved(NeedFactory(organisation=association), offer, cress_staff)
    mission_for(NeedFactory(organisation=association), offer, cress_staff)
    page = login(volunteer).get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert "Mettre en pause retire ses 2 propositions en attente" in page
    assert "dont 1 déjà approuvée par la CRESS" in page
    response = login(volunteer).post(reverse("offer_pause", args=[offer.pk]), follow=True)
    assert "2 propositions en attente ont été retirées" in response.content.decode()


def test_an_offer_without_pending_proposals_says_nothing_of_withdrawals(login, offer, volunteer):
    page = login(volunteer).get(reverse("offer_detail", args=[offer.pk])).content.decode()
    assert "Mettre en pause" in page and "propositions en attente" not in page


def test_the_needs_of_a_paused_offer_go_back_to_the_matcher(
    login, association, offer, other_offer, cress_staff, volunteer,
    django_capture_on_commit_callbacks, eager_tasks,
):  # fmt: skip
    """Right after the commit, the matcher proposes someone else for each need left."""
    first = proposal_for(NeedFactory(organisation=association), offer)
    second = approved(NeedFactory(organisation=association), offer, cress_staff)
    with django_capture_on_commit_callbacks(execute=True):
        login(volunteer).post(reverse("offer_pause", args=[offer.pk]))
    for proposal in (first, second):
        assert Proposal.objects.filter(
            need=proposal.need, offer=other_offer, status=Status.PROPOSED
        ).exists()


def test_the_next_matcher_run_picks_up_a_need_of_a_paused_offer(association, offer, other_offer):
    """Even with the broker down (no task ran), the matcher proposes the need again."""
    need = NeedFactory(organisation=association)
    proposal_for(need, offer)
    offer.set_active(False)
    matcher.propose_for_need(need.pk)
    assert list(Proposal.objects.filter(need=need, status=Status.PROPOSED)
                .values_list("offer", flat=True)) == [other_offer.pk]  # fmt: skip


# A volunteer who leaves their employer


def test_a_volunteer_who_leaves_has_their_offers_with_that_employer_paused(
    association, offer, employer, volunteer, cress_staff
):
    """Their offers made with that employer pause and their pending proposals are withdrawn;
    an offer made with another employer stays."""
    town_hall = OrganisationFactory(kind=Organisation.Kind.PUBLIC_BODY, departement="02")
    MembershipFactory(user=volunteer, organisation=town_hall)
    elsewhere = OfferFactory(volunteer=volunteer, organisation=town_hall, departements=["02"])
    waiting = proposal_for(NeedFactory(organisation=association), offer)
    asked = approved(NeedFactory(organisation=association), offer, cress_staff)
    kept = proposal_for(NeedFactory(organisation=association), elsewhere)
    Membership.objects.get(user=volunteer, organisation=employer).delete()
    assert not Offer.objects.get(pk=offer.pk).is_active
    assert Offer.objects.get(pk=elsewhere.pk).is_active
    assert statuses(waiting, asked, kept) == [Status.WITHDRAWN, Status.WITHDRAWN, Status.PROPOSED]
    assert Event.objects.filter(verb=Event.Verb.WITHDRAWN, proposal=asked).exists()


def test_the_volunteer_answering_for_a_withdrawn_proposal_is_refused(
    association, offer, employer, volunteer, cress_staff
):
    """Once withdrawn, the proposal cannot be accepted any more (a clear refusal)."""
    asked = approved(NeedFactory(organisation=association), offer, cress_staff)
    offer.set_active(False)
    with pytest.raises(services.StepRefused, match="Retirée"):
        services.answer(asked.pk, volunteer, Party.VOLUNTEER, "accepted")


def test_deleting_a_volunteers_employer_deletes_their_offers_and_proposals(
    association, offer, employer, cress_staff
):
    """The organisation gone, its offers and their proposals go with it: nothing to pause,
    no step logged for rows about to vanish (which PostgreSQL would refuse at the commit)."""
    waiting = proposal_for(NeedFactory(organisation=association), offer)
    asked = approved(NeedFactory(organisation=association), offer, cress_staff)
    employer.delete()
    assert not Proposal.objects.filter(pk__in=[waiting.pk, asked.pk]).exists()
    assert not Event.objects.filter(verb=Event.Verb.WITHDRAWN).exists()


def test_deleting_a_volunteer_deletes_their_offers_and_proposals(association, offer, volunteer):
    proposal_for(NeedFactory(organisation=association), offer)
    volunteer.delete()
    assert not Offer.objects.filter(pk=offer.pk).exists()
    assert not Event.objects.filter(verb=Event.Verb.WITHDRAWN).exists()
