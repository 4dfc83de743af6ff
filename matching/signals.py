"""What happens to needs and offers that later stages of the journey must follow.

`matching` does not know about reviews and missions (apps import only the ones before them):
it announces these events, and `missions` closes what depends on them, in the same transaction.
"""

from django.dispatch import Signal

# sender=Need, need=..., by=user or None: the need was cancelled by its structure.
need_cancelled = Signal()
# sender=Offer, offer=...: the offer was paused; its pending proposals no longer hold.
offer_paused = Signal()
