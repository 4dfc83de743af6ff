"""Invitations into an employer: sending a batch (with its report), revoking, sending again,
and attaching the invited person. Each workflow runs in one transaction; e-mails leave after
it commits, through a task that takes ids only.

Decision: an address whose account already belongs to ANOTHER employer is invited like any
other. People may work for two employers (part-time, an agent seconded), joining is their own
choice at the link, and refusing it would tell a referent that this address is registered
with another employer.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import throttling
from .forms_invitations import address_of
from .models import INVITATION_DAYS, Invitation, InvitationLink, Membership, Organisation


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


class DailyCapReached(Exception):
    """Sending these would take the structure beyond INVITATIONS_PER_DAY today."""

    def __init__(self, cap, left, asked):
        super().__init__(cap, left, asked)
        self.cap, self.left, self.asked = cap, left, asked

    def message(self):
        """What the referent reads: the cap, what may still leave today, when it resets."""
        numbers = {"cap": self.cap, "left": self.left, "asked": self.asked}
        return " ".join(
            [
                _(
                    "Au plus %(cap)s invitations par jour et par structure, et cet envoi en "
                    "compte %(asked)s :"
                )
                % numbers,  # fmt: skip
                ngettext(
                    "%(left)s peut encore partir aujourd'hui.",
                    "%(left)s peuvent encore partir aujourd'hui.",
                    self.left,
                )
                % numbers,
                _("Le compteur repart à zéro cette nuit à minuit : envoyez le reste demain."),
            ]
        )


def take_daily_slots(organisation, how_many, now):
    """Count `how_many` invitation e-mails of `organisation` for today (a calendar day, the
    site's time zone), or raise DailyCapReached and count none. Counted in the cache by the
    limits' counter (accounts.throttling.count), so concurrent requests share it."""
    if not how_many:
        return
    today = timezone.localdate(now)
    midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), time()))
    value = f"{organisation.pk}|{today.isoformat()}"
    window = int((midnight - now).total_seconds()) + 60
    total = throttling.count("invitations-per-day", value, window, amount=how_many)
    cap = settings.INVITATIONS_PER_DAY
    if total > cap:
        throttling.give_back("invitations-per-day", value, how_many)
        raise DailyCapReached(cap, max(cap - (total - how_many), 0), how_many)


def invite(organisation, by, entries, now=None):
    """Invite each entry's address into `organisation`; the report, one Outcome per entry.

    Refused: an address that is not one, one given twice in the list (the first is kept),
    the address of a member (or of someone whose request to join waits for approval), one
    invited already whose invitation still runs. Raises DailyCapReached, inviting nobody,
    when the new invitations would pass the structure's daily cap.

    The structure's row is locked first: the same list sent twice at once (a double click,
    two tabs) waits for the first to commit, then finds its addresses invited already.
    """
    now = now or timezone.now()
    outcomes, seen = [], set()
    parsed = [(entry, address_of(entry.text)) for entry in entries]
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        addresses = {address for _entry, address in parsed} - {None}
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
        for entry, address in parsed:
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
        take_daily_slots(organisation, len(created), now)
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
    """E-mail the invitation again, with a new life of INVITATION_DAYS from now; it counts
    towards the daily cap (DailyCapReached)."""
    now = now or timezone.now()
    with transaction.atomic():
        again = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).exclude(email="")
        if not again.update(expires_at=now + timedelta(days=INVITATION_DAYS), sent_at=None):
            return False
        take_daily_slots(invitation.organisation, 1, now)  # raising undoes the update
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
