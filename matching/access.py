"""Access rules for needs and offers: one helper per resource, fetching, 404ing and checking."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation

from .models import Need, Offer


def get_need_for_user(request, pk):
    """A need its organisation's members and CRESS staff see; volunteers once it is published."""
    need = get_object_or_404(
        Need.objects.select_related("organisation", "main_skill__domain"), pk=pk
    )
    user = request.user
    if user.is_member_of(need.organisation) or user.is_cress_staff:
        return need
    if user.roles.volunteer and Need.objects.open_to_volunteers().filter(pk=pk).exists():
        return need
    raise Http404


def ess_organisations(user):
    """The ESS structures of which the person is an active member: where they post needs."""
    if not user.is_authenticated:  # the API's schema is generated for nobody in particular
        return Organisation.objects.none()
    return Organisation.objects.of_active_member(user).filter(
        kind__in=(Organisation.Kind.ASSOCIATION, Organisation.Kind.OTHER_ESS)
    )


def needs_changeable_by(user):
    """The needs a person may change, on the pages as by the API: those of the structures
    where they post needs (an active member of an ESS structure)."""
    return Need.objects.filter(organisation__in=ess_organisations(user))


def get_need_for_member(request, pk):
    """A need its structure's members may change (needs_changeable_by); staff, and a member
    of a structure that is no longer an ESS one, see it but may not."""
    need = needs_changeable_by(request.user).select_related("organisation").filter(pk=pk).first()
    if need is not None:
        return need
    need = get_object_or_404(Need.objects.select_related("organisation"), pk=pk)
    if request.user.is_cress_staff or request.user.is_member_of(need.organisation):
        raise PermissionDenied
    raise Http404


def get_offer_for_user(request, pk):
    """An offer its volunteer, CRESS staff and the employer's referent may see."""
    offer = get_object_or_404(Offer.objects.with_list_columns(), pk=pk)
    user = request.user
    if offer.volunteer_id == user.pk or user.is_cress_staff or user.is_admin_of(offer.organisation):
        return offer
    raise Http404


def get_offer_for_owner(request, pk):
    offer = get_object_or_404(Offer.objects.select_related("organisation"), pk=pk)
    if offer.volunteer_id == request.user.pk:
        return offer
    if request.user.is_cress_staff:
        raise PermissionDenied
    raise Http404
