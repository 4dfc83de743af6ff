"""Workflows touching several models or the outside world (the matcher's tasks)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from probono.emails import send_templated_email

from .models import Need, OfferArea
from .tasks import enqueue_after_commit, propose_for_need, propose_for_offer


@transaction.atomic
def publish_need(need):
    """Publish the need, then ask the matcher for its proposals once that is committed."""
    need.publish()
    enqueue_after_commit(propose_for_need, need.pk)


@transaction.atomic
def set_offer_active(offer, active):
    """Pause or resume an offer; a resumed offer is matched again."""
    offer.set_active(active)
    if active:
        enqueue_after_commit(propose_for_offer, offer.pk)


@transaction.atomic
def save_offer(form, skills_formset, volunteer):
    """Save the offer, its skills and its départements together, or nothing at all."""
    offer = form.save(commit=False)
    offer.volunteer = volunteer
    offer.save()
    skills_formset.instance = offer
    skills_formset.save()
    codes = set(form.cleaned_data["departement_codes"])
    offer.areas.exclude(departement__in=codes).delete()
    existing = set(offer.areas.values_list("departement", flat=True))
    OfferArea.objects.bulk_create(
        OfferArea(offer=offer, departement=code) for code in sorted(codes - existing)
    )
    if offer.is_active:
        enqueue_after_commit(propose_for_offer, offer.pk)
    return offer


def send_expiry_reminders(today):
    """Tell the members of each need about to expire, once; returns how many were told."""
    sent = 0
    for need in Need.objects.due_for_expiry_reminder(today, settings.NEED_EXPIRY_REMINDER_DAYS):
        # Claimed by a conditional update, so a task run twice sends each reminder once.
        claimed = Need.objects.filter(pk=need.pk, expiry_reminder_sent_at__isnull=True).update(
            expiry_reminder_sent_at=timezone.now()
        )
        if not claimed:
            continue
        emails = Membership.objects.active().filter(organisation_id=need.organisation_id)
        recipients = list(emails.values_list("user__email", flat=True))
        if recipients:
            send_templated_email(
                "need_expiry_reminder",
                {"need": need, "base_url": settings.SITE_URL},
                recipients,
            )
            sent += 1
    return sent


def expire_needs(today):
    """Published needs past their wished end become expired; returns how many."""
    return Need.objects.past_their_end(today).update(
        status=Need.Status.EXPIRED, updated_at=timezone.now()
    )
