"""Confirming a new account's e-mail address with a signed link (Django's token machinery).

The link carries the account's id and a token: a timestamp and an HMAC (SECRET_KEY) of the
account's id, address and confirmation date. Confirming fills the date, and changing the
address changes the hash, so a link works once and dies with the address it was sent to.
"""

import enum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from . import return_to
from .models import User
from .throttling import count

# The link is sent at sign-up; a person may ask for it again this many times an hour.
RESENDS_PER_HOUR = 3
RESEND_WINDOW_SECONDS = 60 * 60


class LinkState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # tampered, already used, or sent to an address since changed


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the confirmation link, valid EMAIL_CONFIRMATION_DAYS.

    Django 5.2's check_token compares the token's age with PASSWORD_RESET_TIMEOUT itself, so
    the age is checked here instead (token_state), with our own setting.
    """

    key_salt = "accounts.confirmation.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
        return f"{user.pk}|{user.email}|{confirmed}|{timestamp}"

    def token_state(self, user, token):
        """Whether `token` confirms `user` now: valid, expired (signed by us but too old) or
        invalid."""
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return LinkState.INVALID
        signed = any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not signed:
            return LinkState.INVALID
        age = self._num_seconds(self._now()) - timestamp
        if age > settings.EMAIL_CONFIRMATION_DAYS * 24 * 60 * 60:
            return LinkState.EXPIRED
        return LinkState.VALID

    def check_token(self, user, token):
        return bool(user and token) and self.token_state(user, token) is LinkState.VALID


confirmation_token_generator = EmailConfirmationTokenGenerator()


def confirmation_path(user):
    """The path of the link that confirms `user`'s current address."""
    return reverse(
        "email_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": confirmation_token_generator.make_token(user),
        },
    )


def user_from_uidb64(uidb64):
    """The account a link names, or None when the id is garbled or unknown."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk).first()


def confirm_email(user):
    """Mark the address confirmed, once: True for the call that confirmed it.

    A conditional UPDATE, so two clicks on the link at the same time confirm it once.
    """
    now = timezone.now()
    confirmed = User.objects.filter(pk=user.pk, email=user.email, email_confirmed_at=None).update(
        email_confirmed_at=now
    )
    if confirmed:
        user.email_confirmed_at = now
    return bool(confirmed)


def send_confirmation_link(user, way_back=""):
    """E-mail `user` the link once the transaction commits; a broker outage never fails the
    request (the confirmation page's button sends it again). `way_back`, a safe path
    (return_to.safe_next), rides in the link without its query string: the task gets ids and
    a path only."""
    from probono.celery import enqueue_after_commit

    from .tasks import send_confirmation_email

    path = return_to.path_only(way_back)
    enqueue_after_commit(send_confirmation_email, user.pk, *([path] if path else []))


def take_resend_slot(user):
    """Count one resend for this account; False once the hour's allowance is spent.

    Keyed on the account's id and sign-up time (hashed): ids are reused after a rollback in
    tests, and the cache outlives the rows.
    """
    resends = count(
        "confirmation-resend", f"{user.pk}|{user.date_joined.isoformat()}", RESEND_WINDOW_SECONDS
    )
    return resends <= RESENDS_PER_HOUR
