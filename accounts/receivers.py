"""Signal receivers of accounts."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import return_to
from .models import User


@receiver(user_logged_in)
def keep_the_account_of_a_person_who_logs_in(sender, user, **kwargs):
    """A log-in is the answer to the retention warning: the account is no longer due for
    anonymisation (accounts.tasks.apply_retention)."""
    User.objects.filter(pk=user.pk, retention_warned_at__isnull=False).update(
        retention_warned_at=None
    )
    user.retention_warned_at = None


@receiver(user_logged_in)
def remember_where_an_unconfirmed_account_came_from(sender, request, user, **kwargs):
    """A new account (or one not confirmed yet) that logs in from a page with `?next=` comes
    back to it after following the confirmation link (accounts.return_to)."""
    if request is not None and user.email_confirmed_at is None:
        return_to.remember(request)
