"""What the two sides have to do, for the home page and a need's page; durations as people
read them."""

from django import template
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from matching.models import Offer, Proposal

from ..models import HoursEntry, Mission, Party
from ..services import parties_of, pending_for

register = template.Library()


@register.filter
def duration(minutes):
    """150 → « 2 h 30 », 45 → « 45 min », 120 → « 2 h »."""
    minutes = int(minutes or 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)s min") % {"minutes": rest}
    if not rest:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)02d") % {"hours": hours, "minutes": rest}


class Todo:
    """A person's waiting answers and active missions, sorted by the side they act for."""

    def __init__(self, user):
        organisations = {m.organisation_id for m in user.active_memberships()}
        pending = pending_for(user).select_related("need__organisation", "offer__organisation")
        sides = [(proposal, parties_of(user, proposal)) for proposal in pending]
        self.association_answers = [p for p, on in sides if Party.ASSOCIATION in on]
        self.volunteer_answers = [p for p, on in sides if Party.VOLUNTEER in on]
        self.referent_answers = [p for p, on in sides if Party.EMPLOYER in on]
        missions = list(
            Mission.objects.of_user(user)
            .active()
            .select_related("need__organisation")
            .annotate(to_confirm=Count("hours", filter=Q(hours__status=HoursEntry.Status.LOGGED)))
            .order_by("-started_at")
        )
        self.association_missions = [m for m in missions if m.need.organisation_id in organisations]
        self.volunteer_missions = [m for m in missions if m.volunteer_id == user.pk]


@register.simple_tag(takes_context=True)
def parties_todo(context):
    """{% parties_todo as todo %}: what the signed-in person has to answer or follow."""
    return Todo(context["request"].user)


@register.simple_tag(takes_context=True)
def interest_offers(context, need):
    """{% interest_offers need as interest %}: for a volunteer, their active offers not yet
    paired with this need (interest.offers), whether they have any offer at all
    (interest.has_offers) and whether one is already proposed (interest.already_proposed)."""
    user = context["request"].user
    if not user.is_authenticated or not user.roles.volunteer:
        return None
    offers = list(Offer.objects.filter(volunteer=user).order_by("-created_at"))
    proposed = set(
        Proposal.objects.filter(need=need, offer__in=offers).values_list("offer_id", flat=True)
    )
    return {
        "offers": [o for o in offers if o.is_active and o.pk not in proposed],
        "has_offers": bool(offers),
        "already_proposed": bool(proposed),
    }
