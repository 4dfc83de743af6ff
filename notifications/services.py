"""Telling people: one notification per person and event, e-mailed now or in the daily digest."""

from django.db import transaction
from django.utils import timezone

from .models import Notification, Preference


def notify(recipients, key, text, url=""):
    """Tell each recipient once about the event `key`; returns the notifications created.

    E-mails go after the commit, so a step that rolls back e-mails nobody; people who chose
    the daily digest get it in the next one instead.
    """
    from .tasks import send_notification_email

    people = {person.pk: person for person in recipients if person is not None}
    already = set(
        Notification.objects.filter(recipient_id__in=people, key=key).values_list(
            "recipient_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        [
            Notification(recipient_id=pk, key=key, text=str(text)[:300], url=url)
            for pk in sorted(set(people) - already)
        ],
        ignore_conflicts=True,
    )
    daily = set(
        Preference.objects.filter(
            user_id__in=people, email_mode=Preference.EmailMode.DAILY
        ).values_list("user_id", flat=True)
    )
    # ignore_conflicts leaves the ids unset: fetch the rows this call created.
    fresh = Notification.objects.filter(
        key=key, recipient_id__in=set(people) - already - daily, emailed_at__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(fresh):
        transaction.on_commit(lambda pk=pk: _enqueue(send_notification_email, pk))
    return created


def _enqueue(task, *args):
    """Send a task; a broker failure is logged by the caller's pattern, never raised."""
    import logging

    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - the daily digest catches what could not be sent
        logging.getLogger(__name__).warning("could not enqueue %s%s", task.name, args)


def mark_read(user, pk=None):
    """Mark one notification (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def claim_for_email(queryset):
    """Claim notifications for an e-mail by a conditional update: sent once, even twice run."""
    now = timezone.now()
    ids = list(queryset.filter(emailed_at__isnull=True).values_list("pk", flat=True))
    claimed = Notification.objects.filter(pk__in=ids, emailed_at__isnull=True)
    claimed.update(emailed_at=now)
    return Notification.objects.filter(pk__in=ids, emailed_at=now)
