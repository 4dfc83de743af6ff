"""Celery tasks of notifications: thin, taking ids, safe to run twice.

Each e-mail is claimed (a conditional UPDATE of emailed_at) and sent in one transaction: a
failed send rolls the claim back so the retry sends it, and a second run finds it claimed.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from probono.emails import send_templated_email

from .models import Notification, Preference
from .services import claim_all_for_email, claim_for_email

RETRY = {
    # OSError covers SMTP failures (smtplib.SMTPException) and refused connections.
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": True,
    "max_retries": 3,
    "acks_late": True,
}

# An immediate e-mail still unsent this long after its notification was never enqueued
# (broker down at the commit): send_missed_emails sends it.
MISSED_AFTER = timedelta(minutes=10)
MISSED_BATCH = 200


@shared_task(name="notifications.send_email", **RETRY)
def send_notification_email(notification_id):
    """E-mail one notification to its recipient, once."""
    return email_notification(notification_id)


def email_notification(notification_id):
    """Claim and send one notification's e-mail in one transaction; 1 if this call sent it."""
    with transaction.atomic():
        if not claim_for_email(notification_id):
            return 0
        notification = Notification.objects.select_related("recipient").get(pk=notification_id)
        send_templated_email(
            "notification",
            {"notification": notification, "base_url": settings.SITE_URL},
            [notification.recipient.email],
        )
    return 1


@shared_task(name="notifications.send_daily_digests", **RETRY)
def send_daily_digests():
    """Daily: one e-mail per person who chose the digest, with what they were told since."""
    return send_digests()


@shared_task(name="notifications.send_missed_emails", **RETRY)
def send_missed_emails():
    """Every few minutes: send the immediate e-mails the broker could not take."""
    return send_missed(timezone.now())


def send_digests():
    """Each digest person's unsent notifications in one e-mail; returns the e-mails sent.

    One transaction per person: their claim and their e-mail stand or fall together, and one
    person's failure does not resend the others' digests on retry.
    """
    sent = 0
    waiting = Notification.objects.waiting_for_digest()
    for recipient_id in list(waiting.values_list("recipient_id", flat=True).distinct()):
        with transaction.atomic():
            claimed = claim_all_for_email(waiting.filter(recipient_id=recipient_id))
            notifications = list(
                Notification.objects.filter(pk__in=claimed)
                .select_related("recipient")
                .order_by("created_at", "pk")
            )
            if notifications:
                send_templated_email(
                    "digest",
                    {"notifications": notifications, "base_url": settings.SITE_URL},
                    [notifications[0].recipient.email],
                )
                sent += 1
    return sent


def send_missed(now, batch=MISSED_BATCH):
    """Send the e-mail of each immediate notification left unsent; returns how many were sent.

    Sent here rather than enqueued again, so a slow worker never gets the same ids queued
    over and over; a batch per run keeps the task within its time limit.
    """
    missed = (
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=now - MISSED_AFTER)
        .exclude(recipient__notification_preference__email_mode=Preference.EmailMode.DAILY)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(email_notification(pk) for pk in list(missed[:batch]))
