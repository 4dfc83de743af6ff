"""Access rules for the CRESS's review pages: one helper per resource.

Each helper fetches, 404s and checks in one place. People not on staff get 403 before any
lookup (the page is not theirs, whatever the id); a territorial reviewer gets 404 for a
proposal, need or structure outside their départements, as if it did not exist.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation
from matching.models import Need, Proposal

from .priorities import with_review_columns


def _require_staff(request):
    if not request.user.is_cress_staff:
        raise PermissionDenied


def _in_scope(request, departement):
    if not request.user.reviews(departement):
        raise Http404


def get_proposal_for_reviewer(request, pk):
    """A proposal CRESS staff may review: every one for the regional CRESS, those of their
    départements for a territorial reviewer."""
    _require_staff(request)
    proposal = get_object_or_404(
        with_review_columns(Proposal.objects.prefetch_related("offer__areas")), pk=pk
    )
    _in_scope(request, proposal.need.departement)
    return proposal


def get_need_for_reviewer(request, pk):
    _require_staff(request)
    need = get_object_or_404(Need.objects.select_related("organisation"), pk=pk)
    _in_scope(request, need.departement)
    return need


def get_organisation_for_reviewer(request, pk):
    """A structure whose notes a reviewer may write: one of their départements."""
    _require_staff(request)
    organisation = get_object_or_404(Organisation, pk=pk)
    _in_scope(request, organisation.departement)
    return organisation
