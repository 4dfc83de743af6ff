"""Telling people: one notification per person and event, e-mailed now or in the daily digest."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from probono.celery import enqueue_after_commit

from .models import Notification, Preference


def notify(recipients, key, text, url=""):
    """Tell each recipient once about the event `key`; returns the notifications created.

    E-mails go after the commit, so a step that rolls back e-mails nobody; people who chose
    the daily digest get it in the next one instead. A step run twice tells nobody twice (the
    unique key), and the e-mail task claims each notification, so none is e-mailed twice.
    """
    from .tasks import send_notification_email

    # An inactive account (deactivated, or erased: accounts.personal_data) is told nothing.
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
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
        enqueue_after_commit(send_notification_email, pk)
    return created


def mark_read(user, pk=None):
    """Mark one notification (or all of them) read; returns how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


def claim_for_email(notification_id):
    """Claim one notification for an e-mail: True for the one caller whose conditional UPDATE
    moved it from "not e-mailed" to "e-mailed", False for everyone else.

    Call it inside the transaction that sends the e-mail: a failed send rolls the claim back
    (the retry sends it), and a concurrent run waits on the row lock, then finds it claimed.
    """
    return bool(
        Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    )


def claim_all_for_email(queryset):
    """The notifications of `queryset` this caller claimed, one conditional UPDATE each.

    Claiming row by row (rather than reading ids, updating, and reading back by timestamp)
    leaves no window where two digest runs both think they own the same rows.
    """
    ids = queryset.filter(emailed_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    return [pk for pk in list(ids) if claim_for_email(pk)]


def record_emailed(user, key, text, url=""):
    """Record in the inbox an event e-mailed by another way (e.g. the weekly staff e-mail);
    True the first time for this person and key, False after, so the e-mail goes once.

    Call it inside the transaction that sends the e-mail, like claim_for_email.
    """
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient=user, key=key, text=str(text)[:300], url=url, emailed_at=timezone.now()
            )
    except IntegrityError:
        return False
    return True


def unread_count(user):
    return Notification.objects.filter(recipient=user).unread().count()
