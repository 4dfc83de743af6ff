"""Signal receivers of accounts."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import User


@receiver(user_logged_in)
def keep_the_account_of_a_person_who_logs_in(sender, user, **kwargs):
    """A log-in is the answer to the retention warning: the account is no longer due for
    anonymisation (accounts.tasks.apply_retention)."""
    User.objects.filter(pk=user.pk, retention_warned_at__isnull=False).update(
        retention_warned_at=None
    )
    user.retention_warned_at = None
