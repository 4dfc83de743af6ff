"""What CRESS staff should handle first: the weekly view and the weekly e-mail share these.

A scope is what `User.review_scope()` returns: None for the regional CRESS (every
département), a set of département codes for a territorial reviewer, an empty set for
someone not on staff (nothing). Each function takes a user or a scope.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Value, When

from accounts.models import Membership, User
from matching.models import Offer, OfferSkill, Proposal

from .models import Mission


def scope_of(user_or_scope):
    """The départements a user reviews (None: all), or the scope itself."""
    if isinstance(user_or_scope, User):
        return user_or_scope.review_scope()
    return user_or_scope


def in_scope(queryset, user_or_scope, field="need__departement"):
    """The rows of a queryset whose need lies in the scope."""
    scope = scope_of(user_or_scope)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{field}__in": sorted(scope)})


def lacks_referent():
    """True for a mécénat proposal whose employer has no active administrator (the referent
    who gives the company's agreement): `services.approve` refuses those, staff see it first."""
    referent = Membership.objects.active().filter(
        organisation=OuterRef("offer__organisation"), role=Membership.Role.ADMIN,
        user__is_active=True,
    )  # fmt: skip
    return Case(
        When(offer__engagement=Offer.Engagement.MECENAT, then=~Exists(referent)),
        default=Value(False),
        output_field=BooleanField(),
    )


def with_review_columns(proposals):
    """What a review row shows: the need, its structure, the volunteer, the offer's skills
    and levels, whether a mécénat employer lacks a referent; one query for the rows and one
    for all their skills."""
    skills = OfferSkill.objects.select_related("skill").order_by("skill__position", "pk")
    return proposals.select_related(
        "need__organisation", "need__main_skill__domain", "offer__volunteer",
        "offer__organisation",
    ).prefetch_related(Prefetch("offer__skills", queryset=skills)).annotate(
        lacks_referent=lacks_referent()
    )  # fmt: skip


def review_queue(user_or_scope):
    """The proposals waiting for the CRESS's review in the scope, oldest first."""
    pending = Proposal.objects.filter(status=Proposal.Status.PROPOSED)
    return with_review_columns(in_scope(pending, user_or_scope)).order_by("created_at", "pk")


def proposals_waiting_review(user_or_scope, now):
    """Proposals waiting for the CRESS's review more than REVIEW_REMINDER_DAYS, oldest first."""
    since = now - timedelta(days=settings.REVIEW_REMINDER_DAYS)
    waiting = Proposal.objects.filter(status=Proposal.Status.PROPOSED, created_at__lt=since)
    return in_scope(waiting, user_or_scope).order_by("created_at", "pk")


def idle_missions(user_or_scope, now):
    """Active missions with no hours logged for MISSION_IDLE_DAYS, longest idle first."""
    since = now - timedelta(days=settings.MISSION_IDLE_DAYS)
    idle = Mission.objects.without_hours_since(since)
    return in_scope(idle, user_or_scope).order_by("started_at", "pk")
