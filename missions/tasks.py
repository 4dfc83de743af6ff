"""Celery beat tasks of the loop: reminders, expiry, missions nobody closes, the weekly e-mail.

Each task takes no argument and hands off to a function taking the moment (`now` / `today`), so
tests move the clock by passing a later one. Each is safe to run twice: notifications are keyed
per event and person, state changes are conditional updates, the weekly e-mail is recorded
once per person and week before it is sent.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organisation, User
from matching.models import Proposal
from notifications.services import notify, record_emailed
from probono.emails import send_templated_email

from . import priorities, services

# Rows listed per kind in the weekly e-mail; the rest are on the page it links to.
LISTED = 50

RETRY = {
    # OSError covers SMTP failures (smtplib.SMTPException) and refused connections.
    "autoretry_for": (OperationalError, OSError),
    "retry_backoff": True,
    "max_retries": 3,
    "acks_late": True,
}


@shared_task(name="missions.send_answer_reminders", **RETRY)
def send_answer_reminders():
    """Daily: remind the sides that have not answered an approved proposal."""
    return remind_unanswered(timezone.now())


@shared_task(name="missions.expire_proposals", **RETRY)
def expire_proposals():
    """Daily: proposals nobody acted on in time expire and their needs go back to the matcher."""
    return services.expire_waiting_proposals(timezone.now())


@shared_task(name="missions.close_forgotten_missions", **RETRY)
def close_forgotten_missions():
    """Daily: missions nobody closed a month after their need's wished end are completed."""
    return services.close_forgotten_missions(timezone.localdate())


@shared_task(name="missions.send_weekly_priorities", **RETRY)
def send_weekly_priorities():
    """Weekly: each CRESS reviewer gets what to handle first in their départements."""
    return send_priorities(timezone.now())


def remind_unanswered(now):
    """Approved proposals waiting longer than ANSWER_REMINDER_DAYS: the people of each side
    that has not answered are reminded, once per proposal and side. Returns the sides told."""
    since = now - timedelta(days=settings.ANSWER_REMINDER_DAYS)
    waiting = (
        Proposal.objects.filter(status=Proposal.Status.APPROVED, approved_at__lt=since)
        .select_related("need", "offer")
        .prefetch_related("answers")
        .order_by("pk")
    )
    reminded = 0
    for proposal in waiting:
        answered = {answer.party for answer in proposal.answers.all()}
        for party in services.required_parties(proposal):
            if party in answered:
                continue
            with transaction.atomic():
                told = notify(
                    services.people_of(proposal, party),
                    f"proposal-{proposal.pk}-reminder-{party}",
                    _(
                        "Rappel : la CRESS vous propose un binôme pour « %(need)s » et attend "
                        "votre réponse."
                    )
                    % {"need": proposal.need.title},
                    services.answer_url(proposal),
                )
            reminded += bool(told)
    return reminded


def reviewers():
    """Active people with an active CRESS membership: the regional staff and the partners'
    territorial reviewers."""
    staff = Membership.objects.active().filter(organisation__kind=Organisation.Kind.CRESS)
    return User.objects.filter(pk__in=staff.values("user"), is_active=True).order_by("pk")


def send_priorities(now):
    """The weekly "to handle first" e-mail to each reviewer, scoped to their départements:
    proposals waiting review too long and missions with no hours for months. Nobody gets an
    empty one, nor the same week's twice. Returns the e-mails sent."""
    year, week, _day = timezone.localtime(now).isocalendar()
    page_url = reverse("to_handle_first")
    sent = 0
    for person in reviewers():
        scope = person.review_scope()
        proposals = list(
            priorities.proposals_waiting_review(scope, now).select_related(
                "need__organisation", "offer__volunteer"
            )
        )
        missions = list(
            priorities.idle_missions(scope, now).select_related("need__organisation", "volunteer")
        )
        if not proposals and not missions:
            continue
        summary = _(
            "À traiter en priorité cette semaine : %(proposals)s proposition(s) en attente, "
            "%(missions)s mission(s) sans heures."
        ) % {"proposals": len(proposals), "missions": len(missions)}
        with transaction.atomic():
            # The inbox line is the claim: a second run this week finds it and sends nothing;
            # a failed send rolls it back so the retry sends the e-mail.
            if not record_emailed(person, f"priorities-{year}-W{week:02}", summary, page_url):
                continue
            send_templated_email(
                "staff_priorities",
                {
                    "person": person,
                    "proposals": proposals[:LISTED],
                    "missions": missions[:LISTED],
                    "more": max(0, len(proposals) - LISTED) + max(0, len(missions) - LISTED),
                    "count": len(proposals) + len(missions),
                    "scope": sorted(scope) if scope is not None else None,
                    "now": now,
                    "review_days": settings.REVIEW_REMINDER_DAYS,
                    "idle_days": settings.MISSION_IDLE_DAYS,
                    "page_url": page_url,
                    "base_url": settings.SITE_URL,
                },
                [person.email],
            )
        sent += 1
    return sent
