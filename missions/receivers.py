"""Cascades: what a need cancelled, an offer paused or a volunteer leaving closes here."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete
from django.dispatch import receiver

from accounts.models import Membership
from matching import signals
from matching.models import Offer

from . import services


@receiver(signals.need_cancelled)
def close_what_a_cancelled_need_held(sender, need, by=None, **kwargs):
    services.need_cancelled(need, by)


@receiver(signals.offer_paused)
def withdraw_what_a_paused_offer_held(sender, offer, **kwargs):
    services.offer_paused(offer)


@receiver(post_delete, sender=Membership)
def pause_the_offers_of_a_volunteer_who_left(sender, instance, origin=None, **kwargs):
    """A volunteer who leaves their employer can no longer give its time: their offers made
    with that employer are paused, which withdraws their pending proposals."""
    # Deleting the person or the organisation deletes these offers and proposals with it:
    # withdrawing them would log steps of rows about to vanish.
    started_by = origin.model if isinstance(origin, QuerySet) else type(origin)
    if origin is not None and started_by is not Membership:
        return
    for offer in Offer.objects.filter(
        volunteer_id=instance.user_id, organisation_id=instance.organisation_id, is_active=True
    ):
        offer.set_active(False)
