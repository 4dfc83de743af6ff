"""Celery tasks of accounts: thin, taking ids only (never an address or a name).

Retention (GDPR): accounts nobody has used for ACCOUNT_RETENTION_INACTIVE_DAYS are
anonymised, after a warning e-mail ACCOUNT_RETENTION_WARNING_DAYS before. The Celery beat
task takes no argument and hands off to `apply(now)`, so tests move the clock by passing a
later moment. Safe to run twice, or two at once: each warning is claimed by a conditional
UPDATE of retention_warned_at in the transaction that sends its e-mail (a failed send rolls
the claim back, the next run sends it), and erasure locks the account's row and does nothing
to an account already anonymised.

Accounts whose address was never confirmed are deleted UNCONFIRMED_ACCOUNT_DAYS after sign-up
(delete_unconfirmed), without warning: their owner never showed they hold the address.

Who: every account, confirmed or not, except the operators' (is_staff or is_superuser): the
admin site's accounts are managed by the CRESS itself, and anonymising the last of them would
lock the operator out. CRESS reviewers are ordinary accounts here.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F, ProtectedError, Q
from django.urls import reverse
from django.utils import timezone

from probono.emails import send_templated_email

from . import personal_data, return_to
from .confirmation import confirmation_path
from .models import INVITATION_ADDRESS_KEPT_DAYS, Invitation, Membership, Organisation, User

RETRY = {
    # OSError covers SMTP failures (smtplib.SMTPException) and refused connections.
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": True,
    "max_retries": 3,
    "acks_late": True,
}
# Accounts handled per kind and run, so a first run over years of accounts stays within the
# task's time limit; the rest are handled the next nights.
BATCH = 500


@shared_task(name="accounts.send_confirmation_email", **RETRY)
def send_confirmation_email(user_id, way_back=""):
    """E-mail a new account the link that confirms its address; nothing once it is confirmed.

    The link is signed here, from the row as it is now, so it always names the current address.
    It carries `way_back` (the path signed up from) when that is a path of this site.
    """
    user = User.objects.filter(pk=user_id, is_active=True, email_confirmed_at=None).first()
    if user is None:
        return 0
    send_templated_email(
        "email_confirmation",
        {
            "user": user,
            "link": settings.SITE_URL.rstrip("/")
            + confirmation_path(user)
            + return_to.in_link(way_back),
            "days": settings.EMAIL_CONFIRMATION_DAYS,
        },
        [user.email],
    )
    return 1


@shared_task(name="accounts.send_invitation_emails", **RETRY)
def send_invitation_emails(invitation_ids):
    """E-mail each invitation still pending and not sent yet; returns how many were sent.

    Each is claimed by a conditional UPDATE of sent_at in the transaction that sends it (a
    failed send rolls the claim back, the retry sends it), so a retry or a second run never
    sends one twice. « Renvoyer » clears sent_at, then enqueues this again.
    """
    sent = 0
    for invitation_id in invitation_ids:
        with transaction.atomic():
            now = timezone.now()
            claimed = (
                Invitation.objects.pending(now)
                .filter(pk=invitation_id, sent_at=None)
                .exclude(email="")
                .update(sent_at=now)
            )
            if not claimed:
                continue
            invitation = Invitation.objects.select_related("organisation", "invited_by").get(
                pk=invitation_id
            )
            send_templated_email(
                "invitation",
                {
                    "invitation": invitation,
                    "organisation": invitation.organisation,
                    "invited_by": invitation.invited_by,
                    "link": settings.SITE_URL.rstrip("/") + invitation.get_absolute_url(),
                },
                [invitation.email],
            )
        sent += 1
    return sent


def _reachable(user_id):
    """The account to e-mail, or None when it is deleted, anonymised or deactivated."""
    return (
        User.objects.filter(pk=user_id, is_active=True, anonymised_at=None)
        .exclude(email="")
        .first()
    )


@shared_task(name="accounts.send_join_request_email", **RETRY)
def send_join_request_email(membership_id, admin_id):
    """Tell one administrator that someone asks to join their structure; nothing once the
    request is answered, or to someone no longer its administrator. One task per
    administrator, so a retry sends no one a second copy of another's e-mail."""
    request = (
        Membership.objects.pending()
        .select_related("user", "organisation")
        .filter(pk=membership_id)
        .first()
    )
    admin = _reachable(admin_id)
    if request is None or admin is None:
        return 0
    is_admin = Membership.objects.active().filter(
        user=admin, organisation=request.organisation, role=Membership.Role.ADMIN
    )
    if not is_admin.exists():
        return 0
    send_templated_email(
        "join_request",
        {
            # Administrators see requesters' e-mails, so a request without a name is named by it.
            "name": request.user.get_full_name() or request.user.email,
            "organisation": request.organisation,
            "link": settings.SITE_URL.rstrip("/") + request.organisation.get_absolute_url(),
        },
        [admin.email],
    )
    return 1


@shared_task(name="accounts.send_join_answer_email", **RETRY)
def send_join_answer_email(user_id, organisation_id, accepted):
    """Tell the person who asked to join whether the structure accepted them; nothing when
    that no longer holds (accepted: still a member; refused: not a member since)."""
    user = _reachable(user_id)
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if user is None or organisation is None:
        return 0
    member = Membership.objects.active().filter(user=user, organisation=organisation).exists()
    if member != bool(accepted):
        return 0
    where = reverse("home") if accepted else reverse("organisation_join")
    send_templated_email(
        "join_accepted" if accepted else "join_refused",
        {"organisation": organisation, "link": settings.SITE_URL.rstrip("/") + where},
        [user.email],
    )
    return 1


@shared_task(name="accounts.send_named_administrator_email", **RETRY)
def send_named_administrator_email(membership_id):
    """Tell a member they were named administrator of their structure; nothing once they no
    longer are (or their account is gone)."""
    membership = (
        Membership.objects.active()
        .filter(pk=membership_id, role=Membership.Role.ADMIN)
        .select_related("organisation")
        .first()
    )
    person = _reachable(membership.user_id) if membership else None
    if person is None:
        return 0
    organisation = membership.organisation
    send_templated_email(
        "named_administrator",
        {
            "organisation": organisation,
            "link": settings.SITE_URL.rstrip("/") + organisation.get_absolute_url(),
        },
        [person.email],
    )
    return 1


@shared_task(name="accounts.apply_retention", **RETRY)
def apply_retention():
    """Daily: delete the accounts never confirmed, anonymise the accounts warned long enough
    ago, then warn the next ones; erase the addresses of invitations that no longer need them."""
    now = timezone.now()
    return {
        "unconfirmed_deleted": delete_unconfirmed(now),
        **apply(now),
        "invitation_addresses": erase_invitation_addresses(now),
    }


def delete_unconfirmed(now):
    """Delete the accounts whose address was never confirmed UNCONFIRMED_ACCOUNT_DAYS after
    sign-up; returns how many. Deleted, not anonymised: nothing was done with them (the
    confirmation middleware lets them do nothing), and anyone may sign up with another's
    address, which would keep its owner out. A second run finds nothing to delete."""
    signed_up_before = now - timedelta(days=settings.UNCONFIRMED_ACCOUNT_DAYS)
    stale = _retainable().filter(email_confirmed_at__isnull=True, date_joined__lt=signed_up_before)
    deleted = 0
    for user_id in list(stale.order_by("pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            user = _retainable().filter(pk=user_id, email_confirmed_at__isnull=True)
            user = user.select_for_update().first()
            if user is None:
                continue
            try:
                with transaction.atomic():
                    user.delete()
            except ProtectedError:
                # Something holds on to it after all: erased like any account, row kept.
                personal_data.erase(user)
        deleted += 1
    return deleted


def erase_invitation_addresses(now):
    """Erase the address of invitations revoked, or expired INVITATION_ADDRESS_KEPT_DAYS ago
    (an accepted one lost it when accepted); the row stays, for the referent's counts."""
    expired_long_ago = now - timedelta(days=INVITATION_ADDRESS_KEPT_DAYS)
    done = Q(revoked_at__isnull=False) | Q(accepted_at__isnull=False)
    done |= Q(expires_at__lt=expired_long_ago)
    return Invitation.objects.filter(done).exclude(email="").update(email="")


def apply(now):
    """Returns {"anonymised": n, "warned": m} for this run."""
    return {"anonymised": anonymise_warned(now), "warned": warn_inactive(now)}


def _retainable():
    return User.objects.filter(anonymised_at__isnull=True, is_staff=False, is_superuser=False)


def due_for_warning(now):
    """Accounts with no log-in (or, never logged in, no sign-up) for INACTIVE − WARNING days,
    not warned yet."""
    since = now - timedelta(
        days=settings.ACCOUNT_RETENTION_INACTIVE_DAYS - settings.ACCOUNT_RETENTION_WARNING_DAYS
    )
    inactive = Q(last_login__lt=since) | Q(last_login__isnull=True, date_joined__lt=since)
    return _retainable().filter(inactive, retention_warned_at__isnull=True)


def due_for_anonymisation(now):
    """Accounts warned WARNING days ago or more that have not logged in since (a log-in
    clears the warning, accounts.receivers; the date check holds even if it did not)."""
    warned_before = now - timedelta(days=settings.ACCOUNT_RETENTION_WARNING_DAYS)
    not_since = Q(last_login__isnull=True) | Q(last_login__lt=F("retention_warned_at"))
    return _retainable().filter(not_since, retention_warned_at__lte=warned_before)


def warn_inactive(now):
    """One warning e-mail per account due for it; returns the e-mails sent."""
    sent = 0
    for user_id in list(due_for_warning(now).order_by("pk").values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            claimed = User.objects.filter(
                pk=user_id, retention_warned_at__isnull=True, anonymised_at__isnull=True
            ).update(retention_warned_at=now)
            if not claimed:
                continue
            user = User.objects.get(pk=user_id)
            send_templated_email(
                "retention_warning",
                {
                    "user": user,
                    "last_seen": user.last_login or user.date_joined,
                    "deadline": now + timedelta(days=settings.ACCOUNT_RETENTION_WARNING_DAYS),
                    "login_url": settings.SITE_URL + reverse("login"),
                    "personal_data_url": settings.SITE_URL + reverse("personal_data"),
                },
                [user.email],
            )
        sent += 1
    return sent


def anonymise_warned(now):
    """Anonymise, by the same code as « Supprimer mon compte », each account warned long
    enough ago; returns how many this run anonymised."""
    due = list(due_for_anonymisation(now).order_by("pk").values_list("pk", flat=True)[:BATCH])
    return sum(personal_data.erase(User(pk=user_id)) for user_id in due)
