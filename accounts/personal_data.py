"""A person's own data (GDPR): what each app holds about a person, exported and erased.

accounts cannot import the apps built on it, so each app registers its part from its
AppConfig.ready (see matching/, notifications/, missions/, observatory/personal_data.py):

- `export(user)` returns {section: JSON-able rows} (dates and decimals through Django's
  JSON encoder), in a fixed number of queries whatever the number of rows;
- `erase(user)` erases or anonymises what the app holds about the person, keeping what the
  statistics need (missions, hours, dates, decisions and their reasons) without the name;
- `refusals(user)` (optional) gives the reasons, in French, why the person cannot delete the
  account themselves right now (e.g. nobody would be left to answer for a structure's needs).

Erasure runs in one transaction, apps in the reverse order of registration (an app's rows go
before the rows of the apps it builds on), accounts' own part last. The account is made
inactive first, so nothing the cascades do (a paused offer withdraws proposals) notifies the
person whose data is being erased. A second erasure of the same account changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import Consent, Invitation, Membership, Organisation, User

FORMAT = "probono-donnees-personnelles/1"


@dataclass(frozen=True)
class Part:
    """One app's share of a person's data."""

    name: str
    export: Callable
    erase: Callable
    refusals: Callable | None = None


_parts = {}


def register(name, export, erase, refusals=None):
    """Called from each app's AppConfig.ready; registering a name again replaces it."""
    _parts[name] = Part(name, export, erase, refusals)


def parts():
    return list(_parts.values())


def export(user):
    """Everything Probono holds about this person, as one JSON-able dict."""
    data = {"format": FORMAT, "exported_at": timezone.now()}
    for part in parts():
        data.update(part.export(user))
    return data


def erasure_refusals(user):
    """Why this person cannot delete their account themselves now (French), [] when they can."""
    return [reason for part in parts() if part.refusals for reason in part.refusals(user)]


def erase(user):
    """Erase or anonymise everything about this person; True if this call did it.

    The retention job and the "delete my account" page both end here. The placeholders and
    the notices it stores are read by everyone: written in the site's language, whatever
    the language of the page that asked.
    """
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        person = User.objects.select_for_update().filter(pk=user.pk).first()
        if person is None or person.anonymised_at is not None:
            return False
        User.objects.filter(pk=person.pk).update(is_active=False)
        person.is_active = False
        for part in reversed(parts()):
            part.erase(person)
    return True


# accounts' own part: the account, consents, memberships; log-in traces and sessions.


def placeholder_email(user):
    """A unique address that can never receive mail (.invalid is reserved, RFC 2606)."""
    return f"anonyme-{user.pk}@invalid"


def export_account(user):
    """The account's fields (never the password hash), consents, memberships, invitations
    received, whether an API token exists, and the failed log-ins under its address."""
    memberships = user.memberships.select_related("organisation").order_by("created_at", "pk")
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "email_confirmed_at": user.email_confirmed_at,
            "is_active": user.is_active,
            "retention_warned_at": user.retention_warned_at,
        },
        "consents": [
            {"version": consent.version, "given_at": consent.given_at}
            for consent in Consent.objects.filter(user=user).order_by("given_at", "pk")
        ],
        "memberships": [
            {
                "organisation": membership.organisation.name,
                "organisation_kind": membership.organisation.get_kind_display(),
                "role": membership.get_role_display(),
                "status": membership.get_status_display(),
                "review_departements": membership.review_departements,
                "joined_through": membership.get_joined_through_display(),
                "since": membership.created_at,
            }
            for membership in memberships
        ],
        "invitations_received": [
            {
                "organisation": invitation.organisation.name,
                "email": invitation.email,
                "sent_at": invitation.created_at,
                "expires_at": invitation.expires_at,
                "accepted_at": invitation.accepted_at,
                "revoked_at": invitation.revoked_at,
            }
            for invitation in invitations_of(user).select_related("organisation")
        ],
        "api_token": _api_token(user),
        "failed_log_ins": _failed_log_ins(user),
    }


def _api_token(user):
    """Whether the person has an API token, and since when; never its key (a password)."""
    from rest_framework.authtoken.models import Token

    created = Token.objects.filter(user=user).values_list("created", flat=True).first()
    return {"exists": created is not None, "created": created}


def _failed_log_ins(user):
    """django-axes' records of failed log-ins typed with this address, with their dates. Not
    the IP address nor the browser: whoever typed the address may be someone else."""
    from axes.models import AccessAttempt, AccessFailureLog

    attempts = AccessAttempt.objects.filter(username__iexact=user.email).order_by("attempt_time")
    failures = AccessFailureLog.objects.filter(username__iexact=user.email)
    return {
        "attempts": [
            {"at": at, "failures": failures_since_start}
            for at, failures_since_start in attempts.values_list(
                "attempt_time", "failures_since_start"
            )
        ],
        "failures": [
            {"at": at, "locked_out": locked_out}
            for at, locked_out in failures.order_by("attempt_time").values_list(
                "attempt_time", "locked_out"
            )
        ],
    }


def invitations_of(user):
    """The invitations sent to this person's address, or accepted by them. (Those they sent
    hold colleagues' addresses: theirs to see on the invitations page, not part of this file.)"""
    from django.db.models import Q

    return Invitation.objects.filter(Q(email__iexact=user.email) | Q(accepted_by=user)).order_by(
        "created_at", "pk"
    )


def structures_losing_their_only_admin(user):
    """Structures of which this person is the only active administrator."""
    from django.db.models import Count, Q

    admin = Q(memberships__status=Membership.Status.ACTIVE, memberships__role=Membership.Role.ADMIN)
    mine = Membership.objects.active().filter(user=user, role=Membership.Role.ADMIN)
    return (
        Organisation.objects.filter(pk__in=mine.values("organisation"))
        .annotate(admins=Count("memberships", filter=admin))
        .filter(admins=1)
        .order_by("name")
    )


def refuse_leaving_a_structure_without_administrator(user):
    """The only administrator of a structure that has other members names one of them first
    (a button on the structure's page): the structure stays managed. Alone in it, they may
    go (the live needs' rule is matching's)."""
    from django.db.models import Count, Q

    others = Q(memberships__status=Membership.Status.ACTIVE) & ~Q(memberships__user=user)
    structures = (
        structures_losing_their_only_admin(user)
        .annotate(others=Count("memberships", filter=others, distinct=True))
        .filter(others__gt=0)
    )
    return [
        format_html(
            _(
                "Vous êtes le seul administrateur ou la seule administratrice de « {name} », "
                "qui compte d'autres membres : <a href=\"{url}\">nommez d'abord l'un d'eux "
                "administrateur</a>, afin que la structure reste gérée."
            ),
            name=organisation.name,
            url=organisation.get_absolute_url(),
        )
        for organisation in structures
    ]


def erase_account(user):
    """The account row anonymised, its consents and memberships deleted, every session and
    API token ended, django-axes' log-in attempts for its address and the admin's log lines
    about it deleted.

    Memberships: the person leaves every structure. A structure that loses its only
    administrator keeps its other members, who go on answering and confirming hours (the
    person names a successor first, refuse_leaving_a_structure_without_administrator; after
    the retention job, CRESS staff name one on the structure's page). Nobody is promoted
    automatically: for a company that would show a colleague everyone's declared hourly cost.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from rest_framework.authtoken.models import Token

    email = user.email
    # Invitations to the address die with it (pending ones too: nobody is left to accept);
    # those accepted keep their row, for the referent's count, without the account's name.
    Invitation.objects.filter(email__iexact=email, accepted_at=None).delete()
    Invitation.objects.filter(email__iexact=email).update(email="")
    Consent.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()
    Token.objects.filter(user=user).delete()
    end_sessions(user)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.first_name = ""
    user.last_name = ""
    user.email = placeholder_email(user)
    user.phone = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.email_confirmed_at = None
    user.retention_warned_at = None
    user.anonymised_at = timezone.now()
    user.save()


def end_sessions(user):
    """Log the person out everywhere: their unexpired sessions are deleted (the unusable
    password refuses them at the next request anyway: Django checks the session's hash of it).

    Sessions are found by reading each unexpired one, so only for a person who logged in
    within a session's life: the retention job's accounts, idle for years, have none.
    """
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import SESSION_KEY

    recently = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    if user.last_login is None or user.last_login < recently:
        return
    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()
