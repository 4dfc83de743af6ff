"""Celery tasks of accounts: thin, taking ids only (never an address or a name)."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from probono.emails import send_templated_email

from .confirmation import confirmation_path
from .models import User

RETRY = {
    # OSError covers SMTP failures (smtplib.SMTPException) and refused connections.
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": True,
    "max_retries": 3,
    "acks_late": True,
}


@shared_task(name="accounts.send_confirmation_email", **RETRY)
def send_confirmation_email(user_id):
    """E-mail a new account the link that confirms its address; nothing once it is confirmed.

    The link is signed here, from the row as it is now, so it always names the current address.
    """
    user = User.objects.filter(pk=user_id, is_active=True, email_confirmed_at=None).first()
    if user is None:
        return 0
    send_templated_email(
        "email_confirmation",
        {
            "user": user,
            "link": settings.SITE_URL.rstrip("/") + confirmation_path(user),
            "days": settings.EMAIL_CONFIRMATION_DAYS,
        },
        [user.email],
    )
    return 1
