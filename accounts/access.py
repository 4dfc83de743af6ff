"""Access rules for accounts' views: one helper per resource, one decorator per role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Organisation


def cress_staff_required(view):
    """Only CRESS staff pass; others get 403, anonymous people the log-in page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_cress_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def get_organisation_for_user(request, pk, manage=False):
    """The organisation if the user may see it (members, CRESS staff) or manage it (admins).

    Outsiders get a 404 rather than a 403 so they cannot tell which structures exist.
    """
    organisation = get_object_or_404(
        Organisation.objects.select_related("status_changed_by"), pk=pk
    )
    user = request.user
    if manage:
        if not user.is_admin_of(organisation):
            if user.is_member_of(organisation) or user.is_cress_staff:
                raise PermissionDenied
            raise Http404
    elif not (user.is_member_of(organisation) or user.is_cress_staff):
        raise Http404
    return organisation


def may_name_administrators(user, organisation):
    """Its administrators; CRESS staff of its département only for a structure left without
    one, never for the CRESS itself (that would be a staff member's own promotion)."""
    if user.is_admin_of(organisation):
        return True
    return (
        organisation.kind != Organisation.Kind.CRESS
        and user.is_cress_staff
        and user.reviews(organisation.departement)
        and not organisation.memberships.active().filter(role=Membership.Role.ADMIN).exists()
    )
