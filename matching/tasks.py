"""Celery tasks of the matcher: thin, idempotent, taking ids and re-fetching everything."""

from celery import shared_task
from django.db import OperationalError

from probono.celery import enqueue_after_commit

from . import matcher

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 3,
    "acks_late": True,
}


@shared_task(name="matching.propose_for_need", **RETRY)
def propose_for_need(need_id):
    outcome = matcher.propose_for_need(need_id)
    return outcome.proposals if outcome else 0


@shared_task(name="matching.propose_for_offer", **RETRY)
def propose_for_offer(offer_id):
    outcome = matcher.propose_for_offer(offer_id)
    return outcome.proposals if outcome else 0


@shared_task(name="matching.full_pass_group", **RETRY)
def full_pass_group(child_run_id):
    """One département group; the last group of phase 1 sends out phase 2."""
    dispatch_groups(matcher.run_group(child_run_id))


@shared_task(name="matching.full_pass")
def full_pass(trigger="schedule"):
    """The periodic pass: one task per département group, so several workers share it."""
    parent, children = matcher.start_full_pass(trigger)
    dispatch_groups(children)
    return parent.pk


@shared_task(name="matching.expire_needs")
def expire_needs():
    """Daily: remind members of needs about to end, then expire the needs past their end."""
    from django.utils import timezone

    from . import services

    today = timezone.localdate()
    return {
        "reminded": services.send_expiry_reminders(today),
        "expired": services.expire_needs(today),
    }


def dispatch_groups(children):
    """One task per département group, sent once the groups' run records are committed."""
    for child in children:
        enqueue_after_commit(full_pass_group, child.pk)
