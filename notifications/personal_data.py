"""notifications' share of a person's data: their notifications and e-mail preference.

Registered with accounts.personal_data from NotificationsConfig.ready.
"""

from .models import Notification, Preference


def export(user):
    """Every notification the person received, and how they chose to get e-mails (2 queries)."""
    preference = Preference.objects.filter(user=user).first()
    return {
        "notifications": [
            {
                "text": notification.text,
                "url": notification.url,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
                "emailed_at": notification.emailed_at,
            }
            for notification in Notification.objects.for_inbox(user)
        ],
        "notification_preference": {
            "email_mode": (preference or Preference(user=user)).get_email_mode_display(),
            "chosen": preference is not None,
        },
    }


def erase(user):
    """All deleted: a notification is only ever for its recipient."""
    Notification.objects.filter(recipient=user).delete()
    Preference.objects.filter(user=user).delete()
