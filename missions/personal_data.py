"""missions' share of a person's data: answers, missions, hours, messages, feedback, notes.

Registered with accounts.personal_data from MissionsConfig.ready.

What is the person's, and what is erased with the account:
- what they wrote: messages (the body becomes « Message supprimé », the line stays so the
  thread still reads in order), answers' and feedback's comments, hours' descriptions,
  missions' closing notes;
- what others wrote about them: free texts on their pairings (proposals of their offers,
  missions where they volunteer) — the CRESS's review comments, its internal notes on those
  proposals (staff notes are exported to them and deleted), the structure's feedback and
  dispute notes, the audit trail's free-text details.
Kept for the statistics, without the name (the account row is anonymised): missions, their
dates and statuses, hours (amounts, days, confirmations), decisions and their reasons from
the fixed lists, ratings, and the audit trail's steps.
Not theirs: staff notes and review comments on needs and structures, or written by a staff
member in their role: the CRESS's records, kept (their author shows as the anonymised account).
A mission under way goes on: the structure is told, confirms the hours already logged and
closes it (or it closes by itself a month after the need's wished end).
"""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from matching.models import Proposal
from notifications.services import notify

from .models import Answer, Event, Feedback, HoursEntry, Message, Mission, Party, Review, StaffNote

# Stored in French like every other text of the database.
MESSAGE_REMOVED = gettext_noop("Message supprimé")
HOURS_DESCRIPTION_REMOVED = gettext_noop("Description supprimée")
VOLUNTEER_LEFT = gettext_noop(
    "Le ou la bénévole a supprimé son compte : la structure peut confirmer les heures déjà "
    "déclarées, puis clore la mission."
)
# Steps whose detail carries a person's free text (a closing or a dispute note).
FREE_TEXT_VERBS = (Event.Verb.ABANDONED, Event.Verb.HOURS_DISPUTED)


def _theirs(user):
    """Proposals of their offers and missions where they volunteer: their pairings."""
    return Proposal.objects.filter(offer__volunteer=user), Mission.objects.filter(volunteer=user)


def export(user):
    """Their answers, the reviews and staff notes on their proposals, their missions with
    hours and feedback, the messages and feedback they wrote, the steps they took
    (9 queries whatever their number)."""
    proposals, missions = _theirs(user)
    answers = Answer.objects.filter(by=user).select_related("proposal__need")
    reviews = Review.objects.filter(proposal__in=proposals)
    notes = StaffNote.objects.filter(proposal__in=proposals)
    missions = (
        missions.select_related("need__organisation")
        .prefetch_related(
            Prefetch("hours", queryset=HoursEntry.objects.order_by("day", "pk")),
            Prefetch("feedback", queryset=Feedback.objects.order_by("pk")),
        )
        .order_by("started_at", "pk")
    )
    messages = Message.objects.filter(author=user, is_step=False).select_related("mission__need")
    given = Feedback.objects.filter(by=user).select_related("mission__need")
    steps = Event.objects.filter(actor=user)
    return {
        "answers": [
            {
                "proposal_id": answer.proposal_id,
                "need": answer.proposal.need.title,
                "party": answer.get_party_display(),
                "decision": answer.get_decision_display(),
                "reason": answer.get_reason_display(),
                "comment": answer.comment,
                "answered_at": answer.answered_at,
            }
            for answer in answers.order_by("answered_at", "pk")
        ],
        "reviews_of_your_proposals": [
            {
                "proposal_id": review.proposal_id,
                "decision": review.get_decision_display(),
                "reason": review.get_reason_display(),
                "comment": review.comment,
                "decided_at": review.decided_at,
            }
            for review in reviews.order_by("decided_at", "pk")
        ],
        "staff_notes_on_your_proposals": [
            {"proposal_id": note.proposal_id, "text": note.text, "created_at": note.created_at}
            for note in notes.order_by("created_at", "pk")
        ],
        "missions": [_mission(mission) for mission in missions],
        "messages_written": [
            {
                "mission_id": message.mission_id,
                "need": message.mission.need.title,
                "text": message.text,
                "created_at": message.created_at,
            }
            for message in messages.order_by("created_at", "pk")
        ],
        "feedback_given": [
            {
                "mission_id": feedback.mission_id,
                "need": feedback.mission.need.title,
                "side": feedback.get_side_display(),
                "rating": feedback.rating,
                "comment": feedback.comment,
                "created_at": feedback.created_at,
            }
            for feedback in given.order_by("created_at", "pk")
        ],
        "steps_taken": [
            {
                "step": step.get_verb_display(),
                "party": step.get_party_display(),
                "proposal_id": step.proposal_id,
                "mission_id": step.mission_id,
                "detail": step.detail,
                "at": step.at,
            }
            for step in steps.order_by("at", "pk")
        ],
    }


def _mission(mission):
    return {
        "id": mission.pk,
        "need": mission.need.title,
        "organisation": mission.need.organisation.name,
        "status": mission.get_status_display(),
        "started_at": mission.started_at,
        "closed_at": mission.closed_at,
        "close_note": mission.close_note,
        "hours": [
            {
                "day": entry.day,
                "minutes": entry.minutes,
                "description": entry.description,
                "status": entry.get_status_display(),
                "dispute_note": entry.dispute_note,
            }
            for entry in mission.hours.all()
        ],
        "feedback": [
            {
                "side": feedback.get_side_display(),
                "rating": feedback.rating,
                "comment": feedback.comment,
            }
            for feedback in mission.feedback.all()
        ],  # fmt: skip
    }


def erase(user):
    """See the module's docstring: free texts by or about them go, figures stay."""
    proposals, missions = _theirs(user)
    Message.objects.filter(author=user, is_step=False).update(text=_(MESSAGE_REMOVED))
    HoursEntry.objects.filter(Q(mission__in=missions) | Q(logged_by=user)).update(
        description=_(HOURS_DESCRIPTION_REMOVED), dispute_note=""
    )
    Answer.objects.filter(Q(by=user) | Q(proposal__in=proposals)).update(comment="")
    Review.objects.filter(proposal__in=proposals).update(comment="")
    StaffNote.objects.filter(proposal__in=proposals).delete()
    Feedback.objects.filter(Q(by=user) | Q(mission__in=missions)).update(comment="")
    Mission.objects.filter(Q(volunteer=user) | Q(closed_by=user)).update(close_note="")
    Event.objects.filter(
        Q(actor=user) | Q(proposal__in=proposals) | Q(mission__in=missions),
        verb__in=FREE_TEXT_VERBS,
    ).update(detail="")
    _tell_the_structures(missions.active().select_related("need", "proposal__need"))


def _tell_the_structures(missions):
    """A mission under way goes on without its volunteer: a line in its thread, and the
    structure's members are told."""
    from .services import people_of

    for mission in missions:
        Message.objects.create(mission=mission, text=_(VOLUNTEER_LEFT), is_step=True)
        notify(
            people_of(mission.proposal, Party.ASSOCIATION),
            f"mission-{mission.pk}-volunteer-left",
            _("Le ou la bénévole de la mission « %(need)s » a supprimé son compte.")
            % {"need": mission.need.title},
            mission.get_absolute_url(),
        )
