"""Access rules for the two sides' pages: one helper per resource, fetching, 404ing, checking.

A proposal's parties (the structure's members, the volunteer, the employer's referent for
mécénat) learn of it when the CRESS approves it: before that, it does not exist for them. CRESS
staff read proposals and missions of the départements they review; a territorial reviewer
gets a 404 elsewhere, like anyone the thing is not for.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from matching.models import Proposal

from .models import HoursEntry, Mission
from .services import parties_of


def staff_may_read(user, need):
    """CRESS staff reviewing the need's département (the regional CRESS reviews all)."""
    return user.is_cress_staff and user.reviews(need.departement)


def get_proposal_for_party(request, pk):
    """An approved proposal and the parties this person answers for on it.

    Staff in scope read it (no party: read-only); anyone else, or a party before the CRESS
    approved it, gets a 404.
    """
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "need__organisation", "need__main_skill__domain", "offer__organisation",
            "offer__volunteer",
        ),
        pk=pk,
    )  # fmt: skip
    parties = parties_of(request.user, proposal) if proposal.approved_at else []
    if parties or staff_may_read(request.user, proposal.need):
        return proposal, parties
    raise Http404


def get_mission_for_user(request, pk):
    """A mission and the sides this person stands on; staff in scope read it with none."""
    mission = get_object_or_404(
        Mission.objects.with_parties().select_related(
            "proposal", "offer__volunteer", "closed_by", "need__main_skill__domain"
        ),
        pk=pk,
    )
    # The mission's proposal carries the need and offer already fetched: parties_of reads them.
    mission.proposal.need = mission.need
    mission.proposal.offer = mission.offer
    sides = parties_of(request.user, mission.proposal)
    if sides or staff_may_read(request.user, mission.need):
        return mission, sides
    raise Http404


def get_hours_for_user(request, mission_pk, pk):
    """An hours entry of a mission this person may open, with the mission and their sides."""
    mission, sides = get_mission_for_user(request, mission_pk)
    entry = get_object_or_404(HoursEntry, mission=mission, pk=pk)
    entry.mission = mission
    return entry, mission, sides
