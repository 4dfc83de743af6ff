"""The journey from a proposal to help given: every step is one function here.

Each step runs in a transaction, claims its state change with a conditional UPDATE or a row
lock (so two people acting at once get one success and one clear refusal), writes its Event
(the audit trail) and tells the people concerned, whose e-mails go out after the commit.

Lock order, to stay free of deadlocks: the matcher's write lock (taken by "I'm interested"),
then an offer's row, then a proposal's row; one proposal per transaction (bulk actions run one
transaction per row).
"""

import dataclasses
import functools
import operator
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Membership, User
from matching.matcher import offer_slots
from matching.models import Need, Offer, Proposal
from matching.tasks import enqueue_after_commit, propose_for_need
from notifications.services import notify

from .models import (
    Answer,
    Event,
    HoursEntry,
    Message,
    Mission,
    Party,
    Review,
    side_conditions,
)

Status = Proposal.Status


class StepRefused(Exception):
    """A step that cannot happen now; the message (French) says why, for the person."""


# Who is who around a proposal


def required_parties(proposal):
    """Who must accept: the structure and the volunteer; the employer too for mécénat."""
    parties = [Party.ASSOCIATION, Party.VOLUNTEER]
    if proposal.offer.engagement == Offer.Engagement.MECENAT:
        parties.append(Party.EMPLOYER)
    return parties


def people_of(proposal, party):
    """The people who may answer for a party of this proposal."""
    if party == Party.VOLUNTEER:
        return User.objects.filter(pk=proposal.offer.volunteer_id, is_active=True)
    if party == Party.ASSOCIATION:
        members = Membership.objects.active().filter(organisation_id=proposal.need.organisation_id)
    else:
        members = Membership.objects.active().filter(
            organisation_id=proposal.offer.organisation_id, role=Membership.Role.ADMIN
        )
    return User.objects.filter(pk__in=members.values("user"), is_active=True)


def parties_of(user, proposal):
    """The parties this person answers for on this proposal (a person may hold several)."""
    parties = []
    if proposal.offer.volunteer_id == user.pk:
        parties.append(Party.VOLUNTEER)
    if user.is_member_of(proposal.need.organisation):
        parties.append(Party.ASSOCIATION)
    if proposal.offer.engagement == Offer.Engagement.MECENAT and user.is_admin_of(
        proposal.offer.organisation
    ):
        parties.append(Party.EMPLOYER)
    return parties


def _proposal(proposal_id, lock=False):
    queryset = Proposal.objects.select_related(
        "need__organisation", "offer__organisation", "offer__volunteer"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=proposal_id)


def _claim(proposal, from_statuses, to_status, **fields):
    """Move the proposal on only if it is still in one of `from_statuses`."""
    now = timezone.now()
    return Proposal.objects.filter(pk=proposal.pk, status__in=from_statuses).update(
        status=to_status, status_changed_at=now, **fields
    )


def _log(verb, actor=None, proposal=None, mission=None, party="", detail=""):
    return Event.objects.create(
        verb=verb, actor=actor, proposal=proposal, mission=mission, party=party,
        detail=str(detail)[:500],
    )  # fmt: skip


def _step_line(mission, text):
    """A line of the mission's thread saying what just happened."""
    return Message.objects.create(mission=mission, text=str(text), is_step=True)


def answer_url(proposal):
    return reverse("proposal_answer", args=[proposal.pk])


def _rematch(need_id):
    """Ask the matcher for new proposals for a need that lost one (after the commit)."""
    enqueue_after_commit(propose_for_need, need_id)


# The CRESS's review


@transaction.atomic
def approve(proposal_id, reviewer, no_commercial_link):
    """Approve a proposal: the volunteer's capacity allows it, the reviewer checked that the
    employer is neither supplier nor client of the structure; both sides are then asked."""
    if not no_commercial_link:
        raise StepRefused(
            _("Confirmez que l'employeur n'est ni fournisseur ni client de la structure.")
        )
    proposal = _proposal(proposal_id)
    if not reviewer.reviews(proposal.need.departement):
        raise PermissionDenied
    # Serialise the approvals of one offer: its capacity holds however many act at once.
    offer = Offer.objects.select_for_update().get(pk=proposal.offer_id)
    # Read again once the lock is held: a reviewer who waited for it may find the proposal
    # approved by the one before, and must be told so, not that the volunteer is busy.
    proposal.refresh_from_db(fields=["status"])
    if proposal.status != Status.PROPOSED:
        raise StepRefused(already_handled(proposal))
    if (
        Party.EMPLOYER in required_parties(proposal)
        and not people_of(proposal, Party.EMPLOYER).exists()
    ):
        raise StepRefused(
            _(
                "L'employeur de ce ou cette bénévole n'a pas de référent sur Probono pour donner "
                "son accord au mécénat : invitez l'entreprise à en désigner un avant d'approuver."
            )
        )
    engaged = Proposal.objects.filter(offer=offer, status__in=Proposal.ENGAGED).count()
    if engaged >= offer_slots(offer.hours_per_month):
        raise StepRefused(
            _(
                "Ce ou cette bénévole n'a plus de disponibilité : %(count)s binôme(s) déjà "
                "approuvé(s) ou en cours pour cette offre."
            )
            % {"count": engaged}
        )
    now = timezone.now()
    if not _claim(proposal, [Status.PROPOSED], Status.APPROVED, approved_at=now):
        raise StepRefused(already_handled(proposal))
    Review.objects.create(
        proposal=proposal, decision=Review.Decision.APPROVED, no_commercial_link=True,
        reviewer=reviewer,
    )  # fmt: skip
    _log(Event.Verb.APPROVED, reviewer, proposal)
    for party in required_parties(proposal):
        notify(
            people_of(proposal, party),
            f"proposal-{proposal.pk}-approved",
            _("La CRESS vous propose un binôme pour « %(need)s » : acceptez-vous ?")
            % {"need": proposal.need.title},
            answer_url(proposal),
        )
    return proposal


def already_handled(proposal):
    proposal.refresh_from_db(fields=["status"])
    return _("Cette proposition a déjà été traitée : elle est maintenant « %(status)s ».") % {
        "status": proposal.get_status_display()
    }


@transaction.atomic
def reject(proposal_id, reviewer, reason, comment=""):
    """Reject a proposal with a reason from the fixed list; the pair is never proposed again
    and the matcher looks for someone else."""
    if reason not in Review.RejectReason.values:
        raise StepRefused(_("Choisissez le motif du rejet."))
    proposal = _proposal(proposal_id)
    if not reviewer.reviews(proposal.need.departement):
        raise PermissionDenied
    if not _claim(proposal, [Status.PROPOSED], Status.REJECTED):
        raise StepRefused(already_handled(proposal))
    Review.objects.create(
        proposal=proposal, decision=Review.Decision.REJECTED, reason=reason, comment=comment,
        reviewer=reviewer,
    )  # fmt: skip
    _log(Event.Verb.REJECTED, reviewer, proposal, detail=Review.RejectReason(reason).label)
    _rematch(proposal.need_id)
    return proposal


def bulk_approve(proposal_ids, reviewer, no_commercial_link):
    """Approve each proposal in its own transaction; returns (approved ids, {id: refusal})."""
    approved, refused = [], {}
    for proposal_id in proposal_ids:
        try:
            approve(proposal_id, reviewer, no_commercial_link)
        except (StepRefused, PermissionDenied, Proposal.DoesNotExist) as refusal:
            refused[proposal_id] = str(refusal) or _("Vous ne relisez pas ce département.")
        else:
            approved.append(proposal_id)
    return approved, refused


# "I'm interested"


@transaction.atomic
def raise_hand(need, offer, volunteer):
    """A volunteer's interest in a published need: a proposal with source "volunteer",
    scored and explained like the matcher's, waiting in the same review queue.

    The volunteer's explicit choice comes before the matcher's guesses: when the offer's
    capacity is full, the matcher's proposal for it that nobody has reviewed yet (the lowest
    scored) is withdrawn to make room, and its need is matched again. A slot held by a
    proposal the CRESS approved, a mission or another raised hand is never taken: the refusal
    then says so, and where to give the offer more hours.
    """
    from matching import engine
    from matching.matcher import (
        departement_counts,
        load_needs,
        load_offers,
        proposal_write_lock,
        weights,
    )

    if offer.volunteer_id != volunteer.pk:
        raise PermissionDenied
    if not Need.objects.open_to_volunteers().filter(pk=need.pk).exists():
        raise StepRefused(_("Ce besoin n'est plus ouvert aux bénévoles."))
    if not offer.is_active:
        raise StepRefused(_("Votre offre est en pause : réactivez-la d'abord."))
    if Proposal.objects.filter(need=need, offer=offer).exists():
        raise StepRefused(_("Vous êtes déjà proposé·e pour ce besoin."))
    needs = load_needs(Need.objects.filter(pk=need.pk), k=1_000)
    offers = load_offers(Offer.objects.filter(pk=offer.pk))
    # Whether the offer fits, whatever its capacity: capacity is looked at below, under lock.
    offers = dataclasses.replace(offers, remaining_slots=np.ones_like(offers.remaining_slots))
    scored = engine.build_candidates(
        needs, offers, weights=weights(), max_per_need=None, today=timezone.localdate(),
        departement_counts=departement_counts(),
    )  # fmt: skip
    if not len(scored):
        raise StepRefused(
            _("Votre offre ne correspond pas à ce besoin (compétence, département ou période).")
        )
    # The matcher's writes first (they check capacities under this lock), then the offer's
    # row (as approve does): nobody fills the slot between the count and the new proposal.
    with proposal_write_lock():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        _make_room(offer, volunteer, need)
    pair = engine.assign(scored, exact=False).proposals[0]
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                need=need, offer=offer, source=Proposal.Source.VOLUNTEER, score=pair.score,
                parts=pair.parts, details=pair.details, status_changed_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:
        raise StepRefused(_("Vous êtes déjà proposé·e pour ce besoin.")) from None
    _log(Event.Verb.INTERESTED, volunteer, proposal, party=Party.VOLUNTEER)
    return proposal


def _make_room(offer, volunteer, need):
    """A slot of the offer for the raised hand: a free one, or the one of the matcher's
    lowest-scored proposal not yet reviewed; else the refusal says why."""
    slots = offer_slots(offer.hours_per_month)
    live = Proposal.objects.live().filter(offer=offer)
    if live.count() < slots:
        return
    automatic = (
        live.filter(status=Status.PROPOSED, source=Proposal.Source.MATCHER)
        .select_related("need")
        .order_by("score", "-created_at", "-pk")
        .first()
    )
    if automatic is None:
        raise StepRefused(capacity_refusal(offer, slots, need))
    withdraw(
        automatic,
        _("le ou la bénévole s'est dit·e intéressé·e par un autre besoin avec cette offre."),
        actor=volunteer,
    )
    _rematch(automatic.need_id)


def capacity_refusal(offer, slots, need):
    """Why a full offer cannot carry one more proposal, and where to change that (HTML): the
    offer's form, which comes back to the need once saved."""
    if slots >= settings.MATCHING_MAX_SLOTS_PER_OFFER:  # more hours would not help
        return _(
            "Votre offre « %(offer)s » porte déjà le plus grand nombre de propositions à la "
            "fois (%(slots)s) : attendez qu'une de ses propositions en cours soit close."
        ) % {"offer": offer.title, "slots": slots}
    back = urlencode({"next": need.get_absolute_url()})
    proposals = ngettext(
        "%(slots)s proposition à la fois", "%(slots)s propositions à la fois", slots
    ) % {"slots": slots}
    return format_html(
        _(
            "Votre offre « {offer} » porte déjà autant de propositions que ses heures le "
            "permettent : {hours} h par mois, soit {proposals} (une par tranche de {per_slot} h). "
            'Pour vous proposer aussi sur ce besoin, <a href="{edit}">augmentez ses heures par '
            "mois</a>, ou attendez qu'une de ses propositions en cours soit close."
        ),
        offer=offer.title,
        hours=offer.hours_per_month,
        proposals=proposals,
        per_slot=settings.MATCHING_HOURS_PER_SLOT,
        edit=f"{reverse('offer_edit', args=[offer.pk])}?{back}",
    )


# Both sides' answers


@transaction.atomic
def answer(proposal_id, user, party, decision, reason="", comment=""):
    """One side accepts or declines an approved proposal. When every side has accepted the
    mission starts; when one declines the proposal closes and the matcher runs again."""
    proposal = _proposal(proposal_id, lock=True)
    if party not in parties_of(user, proposal):
        raise PermissionDenied
    if proposal.status != Status.APPROVED:
        raise StepRefused(already_handled(proposal))
    declined = decision == Answer.Decision.DECLINED
    if declined and reason not in Answer.DeclineReason.values:
        raise StepRefused(_("Choisissez la raison pour laquelle vous déclinez."))
    if Answer.objects.filter(proposal=proposal, party=party).exists():
        raise StepRefused(_("Vous avez déjà répondu à cette proposition."))
    Answer.objects.create(
        proposal=proposal, party=party, decision=decision, reason=reason if declined else "",
        comment=comment, by=user,
    )  # fmt: skip
    if declined:
        return _decline(proposal, user, party, reason)
    _log(Event.Verb.ACCEPTED, user, proposal, party=party)
    accepted = set(
        Answer.objects.filter(proposal=proposal, decision=Answer.Decision.ACCEPTED).values_list(
            "party", flat=True
        )
    )
    if accepted >= set(required_parties(proposal)):
        return start_mission(proposal)
    return None


def _decline(proposal, user, party, reason):
    _claim(proposal, [Status.APPROVED], Status.DECLINED)
    _log(Event.Verb.DECLINED, user, proposal, party=party,
         detail=Answer.DeclineReason(reason).label)  # fmt: skip
    others = [p for p in required_parties(proposal) if p != party]
    notify(
        [person for p in others for person in people_of(proposal, p)],
        f"proposal-{proposal.pk}-declined",
        _("Le binôme proposé pour « %(need)s » n'aura pas lieu : une partie a décliné.")
        % {"need": proposal.need.title},
        answer_url(proposal),
    )
    _rematch(proposal.need_id)
    return None


def start_mission(proposal):
    """Everyone agreed: the mission starts, the need is in progress, the other proposals for
    it are withdrawn, and each side now sees the other's contact details."""
    _claim(proposal, [Status.APPROVED], Status.ACCEPTED)
    Need.objects.filter(pk=proposal.need_id).update(
        status=Need.Status.IN_PROGRESS, updated_at=timezone.now()
    )
    mission = Mission.objects.create(
        proposal=proposal, need_id=proposal.need_id, offer_id=proposal.offer_id,
        volunteer_id=proposal.offer.volunteer_id,
    )  # fmt: skip
    _log(Event.Verb.MISSION_STARTED, proposal=proposal, mission=mission)
    _step_line(mission, _("Tout le monde a accepté : la mission commence."))
    for other in Proposal.objects.filter(
        need_id=proposal.need_id, status__in=Proposal.LIVE
    ).exclude(pk=proposal.pk):
        withdraw(other, _("Le besoin a trouvé son binôme."))
    notify(
        mission_people(mission),
        f"mission-{mission.pk}-started",
        _("La mission « %(need)s » commence : vous voyez maintenant les coordonnées de chacun.")
        % {"need": proposal.need.title},
        mission.get_absolute_url(),
    )
    return mission


def withdraw(proposal, why, actor=None):
    """Close a live proposal nobody said no to (need cancelled, offer paused, need taken);
    the people already asked are told, but for the one whose act closed it."""
    if not _claim(proposal, Proposal.LIVE, Status.WITHDRAWN):
        return False
    _log(Event.Verb.WITHDRAWN, actor, proposal, detail=why)
    if proposal.status in (Status.APPROVED, Status.ACCEPTED):
        asked = [
            person
            for p in required_parties(proposal)
            for person in people_of(proposal, p)
            if actor is None or person.pk != actor.pk
        ]
        notify(
            asked,
            f"proposal-{proposal.pk}-withdrawn",
            _("La proposition de binôme pour « %(need)s » est retirée : %(why)s")
            % {"need": proposal.need.title, "why": why},
            answer_url(proposal),
        )
    return True


# Missions


def mission_people(mission):
    """The structure's members, the volunteer, and the employer's referent for mécénat."""
    proposal = mission.proposal
    return [person for p in required_parties(proposal) for person in people_of(proposal, p)]


def sides_of(user, mission):
    """The sides of a mission this person stands on."""
    return parties_of(user, mission.proposal)


def _claim_mission(mission, to_status, by, note=""):
    return Mission.objects.filter(pk=mission.pk, status=Mission.Status.ACTIVE).update(
        status=to_status, closed_at=timezone.now(), closed_by=by, close_note=note
    )


@transaction.atomic
def post_message(mission, author, text):
    text = text.strip()
    if not text:
        raise StepRefused(_("Écrivez un message."))
    message = Message.objects.create(mission=mission, author=author, text=text)
    notify(
        [p for p in mission_people(mission) if p.pk != author.pk],
        f"mission-{mission.pk}-message-{message.pk}",
        _("Nouveau message sur la mission « %(need)s »") % {"need": mission.need.title},
        mission.get_absolute_url(),
    )
    return message


@transaction.atomic
def log_hours(mission, volunteer, day, minutes, description):
    if mission.volunteer_id != volunteer.pk:
        raise PermissionDenied
    if not mission.is_active:
        raise StepRefused(_("La mission est close : on n'y déclare plus d'heures."))
    entry = HoursEntry.objects.create(
        mission=mission, day=day, minutes=minutes, description=description, logged_by=volunteer
    )
    _log(Event.Verb.HOURS_LOGGED, volunteer, mission.proposal, mission,
         detail=f"{entry.day} · {entry.minutes} min")  # fmt: skip
    notify(
        people_of(mission.proposal, Party.ASSOCIATION),
        f"hours-{entry.pk}-logged",
        _("Des heures sont à confirmer sur la mission « %(need)s »") % {"need": mission.need.title},
        mission.get_absolute_url(),
    )
    return entry


@transaction.atomic
def edit_hours(entry, volunteer, day, minutes, description):
    """Correct an entry not yet confirmed; it goes back to the structure to confirm."""
    if entry.mission.volunteer_id != volunteer.pk:
        raise PermissionDenied
    changed = HoursEntry.objects.filter(pk=entry.pk).exclude(
        status=HoursEntry.Status.CONFIRMED
    ).update(
        day=day, minutes=minutes, description=description, status=HoursEntry.Status.LOGGED,
        updated_at=timezone.now(),
    )  # fmt: skip
    if not changed:
        raise StepRefused(_("Ces heures sont confirmées : elles ne peuvent plus être modifiées."))


@transaction.atomic
def decide_hours(entry, user, confirm, note=""):
    """The structure confirms (final) or disputes an entry."""
    if Party.ASSOCIATION not in sides_of(user, entry.mission):
        raise PermissionDenied
    if not confirm and not note.strip():
        raise StepRefused(_("Dites ce qui ne va pas dans ces heures."))
    status = HoursEntry.Status.CONFIRMED if confirm else HoursEntry.Status.DISPUTED
    changed = HoursEntry.objects.filter(pk=entry.pk, status=HoursEntry.Status.LOGGED).update(
        status=status, decided_by=user, decided_at=timezone.now(), dispute_note=note
    )
    if not changed:
        raise StepRefused(_("Ces heures ont déjà été traitées."))
    verb = Event.Verb.HOURS_CONFIRMED if confirm else Event.Verb.HOURS_DISPUTED
    _log(verb, user, entry.mission.proposal, entry.mission, detail=f"{entry.day} · {note}")
    if not confirm:
        notify(
            [entry.mission.volunteer],
            f"hours-{entry.pk}-disputed-{timezone.now():%Y%m%d%H%M%S}",
            _("Des heures sont contestées sur la mission « %(need)s »")
            % {"need": entry.mission.need.title},
            entry.mission.get_absolute_url(),
        )


@transaction.atomic
def complete(mission, by):
    """Either side marks the mission completed: the need is completed too."""
    if by is not None and not sides_of(by, mission):
        raise PermissionDenied
    if not _claim_mission(mission, Mission.Status.COMPLETED, by):
        raise StepRefused(_("Cette mission est déjà close."))
    mission.refresh_from_db()
    _close_completed(mission, by, Event.Verb.COMPLETED if by else Event.Verb.AUTO_CLOSED)


def _close_completed(mission, by, verb):
    _claim(mission.proposal, [Status.ACCEPTED], Status.COMPLETED)
    Need.objects.filter(pk=mission.need_id).update(
        status=Need.Status.COMPLETED, updated_at=timezone.now()
    )
    _log(verb, by, mission.proposal, mission)
    line = (
        _("La mission est terminée. Merci ! Chacun peut laisser son avis.")
        if by
        else _("La mission a été close automatiquement, un mois après la fin souhaitée.")
    )
    _step_line(mission, line)
    notify(
        [p for p in mission_people(mission) if by is None or p.pk != by.pk],
        f"mission-{mission.pk}-completed",
        _("La mission « %(need)s » est terminée : laissez votre avis.")
        % {"need": mission.need.title},
        mission.get_absolute_url(),
    )


@transaction.atomic
def abandon(mission, by, note=""):
    """A mission stopped before its end: the volunteer's capacity is freed and the need
    reopens to the matcher (or expires if its period is over)."""
    if not sides_of(by, mission) and not by.is_cress_staff:
        raise PermissionDenied
    if not _claim_mission(mission, Mission.Status.ABANDONED, by, note):
        raise StepRefused(_("Cette mission est déjà close."))
    mission.refresh_from_db()
    _after_abandon(mission, by, note)


def _after_abandon(mission, by, note, reopen=True):
    _claim(mission.proposal, [Status.ACCEPTED], Status.WITHDRAWN)
    _log(Event.Verb.ABANDONED, by, mission.proposal, mission, detail=note)
    _step_line(mission, _("La mission est abandonnée."))
    if reopen:
        need = Need.objects.get(pk=mission.need_id)
        still_open = need.wished_end >= timezone.localdate()
        need.status = Need.Status.PUBLISHED if still_open else Need.Status.EXPIRED
        need.save(update_fields=["status", "updated_at"])
        if still_open:
            _rematch(need.pk)
    notify(
        [p for p in mission_people(mission) if by is None or p.pk != by.pk],
        f"mission-{mission.pk}-abandoned",
        _("La mission « %(need)s » est abandonnée.") % {"need": mission.need.title},
        mission.get_absolute_url(),
    )


@transaction.atomic
def leave_feedback(mission, user, side, rating, comment=""):
    from .models import Feedback

    if side not in sides_of(user, mission) or side == Party.EMPLOYER:
        raise PermissionDenied
    if mission.status != Mission.Status.COMPLETED:
        raise StepRefused(_("On laisse son avis une fois la mission terminée."))
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                mission=mission, side=side, rating=rating, comment=comment, by=user
            )
    except IntegrityError:
        raise StepRefused(_("Vous avez déjà laissé votre avis.")) from None
    _log(Event.Verb.FEEDBACK, user, mission.proposal, mission, party=side)
    return feedback


def close_forgotten_missions(today=None):
    """Missions nobody closed a month after their need's wished end: completed by nobody."""
    today = today or timezone.localdate()
    closed = 0
    for mission in Mission.objects.due_for_closing(today).select_related("need", "proposal"):
        with transaction.atomic():
            if _claim_mission(mission, Mission.Status.COMPLETED, None):
                _close_completed(mission, None, Event.Verb.AUTO_CLOSED)
                closed += 1
    return closed


def expire_waiting_proposals(now=None):
    """Proposals nobody acted on in time expire: a proposed one REVIEW_EXPIRY_DAYS after it
    was made, an approved one ANSWER_EXPIRY_DAYS after its approval. The people already asked
    are told, and the matcher looks again for the need. Returns how many expired."""
    now = now or timezone.now()
    stale = Proposal.objects.filter(
        Q(status=Status.PROPOSED, created_at__lt=now - timedelta(days=settings.REVIEW_EXPIRY_DAYS))
        | Q(status=Status.APPROVED,
            approved_at__lt=now - timedelta(days=settings.ANSWER_EXPIRY_DAYS))
    ).select_related("need", "offer")  # fmt: skip
    expired = 0
    for proposal in stale:
        with transaction.atomic():
            # Conditional: an answer that started the mission meanwhile wins.
            if not _claim(proposal, [proposal.status], Status.EXPIRED):
                continue
            _log(Event.Verb.EXPIRED, proposal=proposal)
            if proposal.status == Status.APPROVED:
                asked = [p for party in required_parties(proposal)
                         for p in people_of(proposal, party)]  # fmt: skip
            elif proposal.source == Proposal.Source.VOLUNTEER:
                asked = [proposal.offer.volunteer]
            else:
                asked = []
            notify(
                asked,
                f"proposal-{proposal.pk}-expired",
                _("La proposition de binôme pour « %(need)s » a expiré faute de réponse à temps.")
                % {"need": proposal.need.title},
                answer_url(proposal),
            )
            _rematch(proposal.need_id)
            expired += 1
    return expired


# Cascades from matching's signals


def need_cancelled(need, by=None):
    """A cancelled need: its live proposals are withdrawn, its mission closes, all told."""
    why = _("la structure a annulé le besoin.")
    for mission in Mission.objects.active().filter(need=need).select_related("proposal"):
        if _claim_mission(mission, Mission.Status.ABANDONED, by, why):
            _after_abandon(mission, by, why, reopen=False)
    for proposal in Proposal.objects.filter(need=need, status__in=Proposal.LIVE).select_related(
        "need", "offer"
    ):
        withdraw(proposal, why, actor=by)


def offer_paused(offer):
    """A paused offer (or a volunteer who left): pending proposals are withdrawn and their
    needs go back to the matcher. A mission already started goes on."""
    why = _("le ou la bénévole n'est plus disponible.")
    pending = Proposal.objects.filter(offer=offer, status__in=Proposal.PENDING).select_related(
        "need", "offer__volunteer"
    )
    for proposal in pending:
        # The volunteer's own act (a pause, leaving, deleting the account): not told of it.
        if withdraw(proposal, why, actor=proposal.offer.volunteer):
            _rematch(proposal.need_id)


def pending_for(user):
    """Approved proposals waiting for an answer from a side this person answers for.

    Per side: once any member has answered for the structure, the other members are not
    asked again; a person on two sides still has the side they have not answered.
    """

    def unanswered(party):
        return ~Exists(Answer.objects.filter(proposal=OuterRef("pk"), party=party))

    waiting = [condition & unanswered(party) for party, condition in side_conditions(user).items()]
    return Proposal.objects.filter(functools.reduce(operator.or_, waiting), status=Status.APPROVED)
