"""What CRESS staff should handle first: the weekly view and the weekly e-mail share these.

A scope is what `User.review_scope()` returns: None for the regional CRESS (every
département), a set of département codes for a territorial reviewer, an empty set for
someone not on staff (nothing). Each function takes a user or a scope.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Subquery, Value, When
from django.utils.translation import get_language

from accounts.models import Membership, User
from matching.models import Offer, OfferSkill, Proposal, Skill

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
    """The proposals waiting for the CRESS's review in the scope, oldest first; without their
    columns, so that counting them joins nothing it need not (`with_queue_columns` reads a
    page's)."""
    pending = Proposal.objects.filter(status=Proposal.Status.PROPOSED)
    return in_scope(pending, user_or_scope).order_by("created_at", "pk")


# What a queue row shows, and nothing else (the parts and details explain the score).
QUEUE_COLUMNS = (
    "score", "source", "parts", "details", "created_at",
    "need__title", "need__departement",
    "need__organisation__name", "need__organisation__commune",
    "offer__volunteer__first_name", "offer__volunteer__last_name",
    "offer__organisation__name",
)  # fmt: skip


def with_queue_columns(proposals):
    """A page of the review queue with what its rows show: the need, its structure, the
    volunteer, the employer, the need's skill name (`need_skill_name`, in the page's
    language) and whether a mécénat employer lacks a referent, in one query.

    Six tables joined, not nine as `with_review_columns`: PostgreSQL weighs every join order,
    and planning the nine-table select took it about 25 ms a request, three times as long as
    running it; the skill's name comes from a subquery, planned on its own.
    """
    skill_name = Skill.objects.filter(pk=OuterRef("need__main_skill")).values(_name_column())
    return (
        proposals.select_related("need__organisation", "offer__volunteer", "offer__organisation")
        .only(*QUEUE_COLUMNS)
        .annotate(lacks_referent=lacks_referent(), need_skill_name=Subquery(skill_name))
    )


def skills_of_offers(offer_ids):
    """{offer id: [(skill name, level), …]} in catalogue order, read by one plain query."""
    rows = (
        OfferSkill.objects.filter(offer__in=offer_ids)
        .order_by("skill__position", "pk")
        .values_list("offer_id", f"skill__{_name_column()}", "level")
    )
    skills = {}
    for offer_id, name, level in rows:
        skills.setdefault(offer_id, []).append((name, level))
    return skills


def _name_column():
    """The column of a catalogue name in the page's language, as `Bilingual.name` picks it."""
    return "name_en" if (get_language() or "fr").startswith("en") else "name_fr"


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
