"""The review counts on the staff's home page (the home view belongs to the project)."""

from django import template
from django.utils import timezone

from matching.models import Proposal

from ..priorities import idle_missions, in_scope, proposals_waiting_review

register = template.Library()


@register.simple_tag
def review_counts(user):
    """Proposals waiting in this reviewer's territory, and how many of them or of the
    missions there are to handle first."""
    now = timezone.now()
    pending = Proposal.objects.filter(status=Proposal.Status.PROPOSED)
    return {
        "waiting": in_scope(pending, user).count(),
        "first": proposals_waiting_review(user, now).count() + idle_missions(user, now).count(),
    }
