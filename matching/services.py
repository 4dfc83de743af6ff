"""Workflows touching several models or the outside world (the matcher's tasks)."""

from django.db import transaction

from .models import OfferArea
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
