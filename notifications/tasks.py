"""Celery tasks of notifications: thin, taking ids, safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from probono.emails import send_templated_email

from .models import Notification
from .services import claim_for_email

RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "max_retries": 3,
    "acks_late": True,
}


@shared_task(name="notifications.send_email", **RETRY)
def send_notification_email(notification_id):
    """E-mail one notification to its recipient, once."""
    claimed = claim_for_email(Notification.objects.filter(pk=notification_id))
    for notification in claimed.select_related("recipient"):
        send_templated_email(
            "notification",
            {"notification": notification, "base_url": settings.SITE_URL},
            [notification.recipient.email],
        )
        return 1
    return 0


@shared_task(name="notifications.send_daily_digests", **RETRY)
def send_daily_digests():
    """One e-mail per person who chose the digest, gathering what they were told since."""
    sent = 0
    recipients = (
        Notification.objects.waiting_for_digest().values_list("recipient_id", flat=True).distinct()
    )
    for recipient_id in list(recipients):
        claimed = claim_for_email(
            Notification.objects.waiting_for_digest().filter(recipient_id=recipient_id)
        )
        notifications = list(claimed.select_related("recipient").order_by("created_at"))
        if notifications:
            send_templated_email(
                "digest",
                {"notifications": notifications, "base_url": settings.SITE_URL},
                [notifications[0].recipient.email],
            )
            sent += 1
    return sent
