"""Invitations into an employer: sending a batch (with its report), revoking, sending again,
and attaching the invited person. Each workflow runs in one transaction; e-mails leave after
it commits, through a task that takes ids only.

Decision: an address whose account already belongs to ANOTHER employer is invited like any
other. People may work for two employers (part-time, an agent seconded), joining is their own
choice at the link, and refusing it would tell a referent that this address is registered
with another employer.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms_invitations import address_of
from .models import INVITATION_DAYS, Invitation, InvitationLink, Membership


@dataclass(frozen=True)
class Outcome:
    """One line of the report: what was read, the address, whether it was invited, why not."""

    source: str
    text: str
    address: str
    invited: bool
    reason: str = ""


def send_invitation_emails(invitation_ids):
    """E-mail these invitations once the transaction commits; a broker outage never fails the
    request (« Renvoyer » sends one again)."""
    from probono.celery import enqueue_after_commit

    from .tasks import send_invitation_emails as task

    if invitation_ids:
        enqueue_after_commit(task, list(invitation_ids))


def invite(organisation, by, entries, now=None):
    """Invite each entry's address into `organisation`; the report, one Outcome per entry.

    Refused: an address that is not one, one given twice in the list (the first is kept),
    the address of a member (or of someone whose request to join waits for approval), one
    invited already whose invitation still runs.
    """
    now = now or timezone.now()
    outcomes, seen = [], set()
    with transaction.atomic():
        addresses = {address_of(entry.text) for entry in entries} - {None}
        members = {
            email.lower(): status
            for email, status in organisation.memberships.filter(
                user__email__in=addresses
            ).values_list("user__email", "status")
        }
        invited = set(
            Invitation.objects.pending(now)
            .filter(organisation=organisation, email__in=addresses)
            .values_list("email", flat=True)
        )
        created = []
        for entry in entries:
            address = address_of(entry.text)
            reason = ""
            if address is None:
                reason = _("Adresse invalide.")
            elif address in seen:
                reason = _("Déjà dans la liste.")
            elif members.get(address) == Membership.Status.ACTIVE:
                reason = _("Déjà membre de la structure.")
            elif address in members:
                reason = _(
                    "A déjà demandé à rejoindre la structure : acceptez sa demande sur la "
                    "page de la structure."
                )
            elif address in invited:
                reason = _("Déjà invitée : l'invitation est en attente.")
            if address:
                seen.add(address)
            if not reason:
                created.append(
                    Invitation(
                        organisation=organisation,
                        email=address,
                        invited_by=by,
                        created_at=now,
                        expires_at=now + timedelta(days=INVITATION_DAYS),
                    )
                )
            outcomes.append(Outcome(entry.source, entry.text, address or "", not reason, reason))
        # bulk_create fills the ids on PostgreSQL and SQLite alike.
        created = Invitation.objects.bulk_create(created)
        send_invitation_emails([invitation.pk for invitation in created])
    return outcomes


def revoke(invitation, now=None):
    """A pending or expired invitation dies; an accepted one stays as it is."""
    now = now or timezone.now()
    return bool(
        Invitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
    )


def send_again(invitation, now=None):
    """E-mail the invitation again, with a new life of INVITATION_DAYS from now."""
    now = now or timezone.now()
    with transaction.atomic():
        again = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).exclude(email="")
        if not again.update(expires_at=now + timedelta(days=INVITATION_DAYS), sent_at=None):
            return False
        send_invitation_emails([invitation.pk])
    return True


def create_link(organisation, by, days, now=None):
    now = now or timezone.now()
    return InvitationLink.objects.create(
        organisation=organisation,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )


def revoke_link(link, now=None):
    return bool(
        InvitationLink.objects.filter(pk=link.pk, revoked_at=None).update(
            revoked_at=now or timezone.now()
        )
    )


class Unusable(Exception):
    """The invitation or link cannot be used now (taken, revoked, expired meanwhile)."""


def attach(user, organisation, joined_through, link=None):
    """An active membership of `user` in `organisation` (a request waiting is approved)."""
    membership, _created = Membership.objects.get_or_create(user=user, organisation=organisation)
    membership.status = Membership.Status.ACTIVE
    membership.joined_through = joined_through
    membership.invitation_link = link
    membership.save(update_fields=["status", "joined_through", "invitation_link"])
    return membership


def accept(invitation, user, now=None):
    """Claim the invitation for `user` and attach them; call inside a transaction.

    The claim is a conditional UPDATE: of two acceptances at once, one wins, the other
    raises Unusable and its transaction (an account being created, say) rolls back whole.
    Following the e-mailed link proves the address: the account is confirmed.
    """
    now = now or timezone.now()
    claimed = (
        Invitation.objects.pending(now)
        .filter(pk=invitation.pk)
        .update(accepted_at=now, accepted_by=user, email="")
    )
    if not claimed:
        raise Unusable
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
        user.save(update_fields=["email_confirmed_at"])
    return attach(user, invitation.organisation, Membership.JoinedThrough.EMAIL)


def join_by_link(link, user, now=None):
    """Attach `user` through the link and count it; call inside a transaction."""
    now = now or timezone.now()
    counted = InvitationLink.objects.usable(now).filter(pk=link.pk).update(uses=F("uses") + 1)
    if not counted:
        raise Unusable
    return attach(user, link.organisation, Membership.JoinedThrough.LINK, link=link)
