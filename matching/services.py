"""Workflows touching several models: saving an offer with its skills and areas."""

from django.db import transaction

from .models import OfferArea


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
    return offer
