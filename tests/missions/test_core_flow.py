"""The core of the loop, through the services: approve, both sides answer, the mission runs."""

import pytest

from matching.models import Need, Proposal
from missions import services
from missions.models import Answer, Event, Mission, Party
from tests.factories import MembershipFactory, NeedFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(association_member, volunteer):
    organisation = association_member.memberships.get().organisation
    need = NeedFactory(organisation=organisation)
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
                         engagement="benevolat", departements=["02"])  # fmt: skip
    return Proposal.objects.create(need=need, offer=offer, score=5, parts={}, details={})


def test_a_benevolat_proposal_becomes_a_mission_when_both_sides_accept(
    proposal, cress_staff, association_member, volunteer
):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    assert services.answer(proposal.pk, volunteer, Party.VOLUNTEER, "accepted") is None
    mission = services.answer(proposal.pk, association_member, Party.ASSOCIATION, "accepted")
    assert isinstance(mission, Mission)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert Need.objects.get(pk=proposal.need_id).status == Need.Status.IN_PROGRESS
    assert list(Event.objects.values_list("verb", flat=True)) == [
        "approved", "accepted", "accepted", "mission_started",
    ]  # fmt: skip


def test_mecenat_waits_for_the_employer(proposal, cress_staff, association_member, volunteer):
    Proposal.objects.filter(pk=proposal.pk)
    proposal.offer.engagement = "mecenat"
    proposal.offer.save()
    referent = MembershipFactory(organisation=proposal.offer.organisation, role="admin").user
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    services.answer(proposal.pk, volunteer, Party.VOLUNTEER, "accepted")
    assert services.answer(proposal.pk, association_member, Party.ASSOCIATION, "accepted") is None
    assert isinstance(services.answer(proposal.pk, referent, Party.EMPLOYER, "accepted"), Mission)


def test_a_decline_closes_the_proposal(proposal, cress_staff, volunteer):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    services.answer(proposal.pk, volunteer, Party.VOLUNTEER, "declined", reason="not_available")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert Answer.objects.get().reason == "not_available"


def test_a_second_approval_is_refused_with_a_clear_message(proposal, cress_staff):
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    with pytest.raises(services.StepRefused, match="déjà été traitée"):
        services.approve(proposal.pk, cress_staff, no_commercial_link=True)


def test_mecenat_is_not_approved_while_the_employer_has_no_referent(proposal, cress_staff):
    """Nobody could give the employer's agreement: the reviewer is told, nothing changes."""
    proposal.offer.engagement = "mecenat"
    proposal.offer.save()
    with pytest.raises(services.StepRefused, match="pas de référent"):
        services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PROPOSED


def test_once_the_structure_answered_its_other_members_are_not_asked_again(
    proposal, cress_staff, association_member
):
    colleague = MembershipFactory(organisation=proposal.need.organisation).user
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    assert list(services.pending_for(colleague)) == [proposal]
    services.answer(proposal.pk, association_member, Party.ASSOCIATION, "accepted")
    assert not services.pending_for(colleague).exists()


def test_a_person_on_two_sides_is_still_asked_for_the_side_not_answered(proposal, cress_staff):
    """A volunteer who also sits on the structure's board answers for each side."""
    both = proposal.offer.volunteer
    MembershipFactory(organisation=proposal.need.organisation, user=both)
    services.approve(proposal.pk, cress_staff, no_commercial_link=True)
    services.answer(proposal.pk, both, Party.VOLUNTEER, "accepted")
    assert list(services.pending_for(both)) == [proposal]
