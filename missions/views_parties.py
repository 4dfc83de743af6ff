"""The two sides' pages: answering a proposal, "I'm interested", missions.

Each step is one function of `services`; a view checks who may act through the helpers of
`access_parties`, validates a form, and turns a refusal (StepRefused) into a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.access import get_need_for_user
from matching.explain import explain
from matching.models import OfferSkill

from . import agreement, services
from .access_parties import get_hours_for_user, get_mission_for_user, get_proposal_for_party
from .forms import (
    AbandonForm,
    AnswerForm,
    FeedbackForm,
    HoursDecisionForm,
    HoursForm,
    InterestForm,
    MessageForm,
)
from .forms_agreement import AgreementStatusForm
from .models import Answer, Event, HoursEntry, Mission, Party

PAGE_SIZE = 20
WORK_SIDES = (Party.ASSOCIATION, Party.VOLUNTEER)  # who does the mission, completes, reviews


# A proposal: each side answers


def _answer_rows(proposal, answers):
    """Each required party and its answer (or None while it waits)."""
    by_party = {a.party: a for a in answers}
    return [
        (Party(party).label, by_party.get(party)) for party in services.required_parties(proposal)
    ]


@login_required
def proposal_answer(request, pk):
    """An approved proposal as each side sees it, and the answer of each side this person
    stands for. Nobody sees the other side's name or contact details before the mission."""
    proposal, parties = get_proposal_for_party(request, pk)
    answers = list(Answer.objects.filter(proposal=proposal))
    answered = {a.party for a in answers}
    waiting = [
        p for p in parties if p not in answered and proposal.status == proposal.Status.APPROVED
    ]
    forms = {party: AnswerForm(prefix=party) for party in waiting}
    if request.method == "POST":
        party = request.POST.get("party")
        if party not in parties:
            raise PermissionDenied
        form = AnswerForm(request.POST, prefix=party)
        forms[party] = form
        if form.is_valid():
            return _answer(request, proposal, party, form.cleaned_data)
    offer_skills = OfferSkill.objects.filter(offer=proposal.offer).select_related("skill")
    mission = Mission.objects.filter(proposal=proposal).only("pk").first()
    return render(
        request,
        "missions/proposal_answer.html",
        {
            "proposal": proposal,
            "need": proposal.need,
            "offer": proposal.offer,
            "offer_skills": offer_skills,
            "parties": parties,
            "party_labels": [Party(p).label for p in parties],
            "answer_rows": _answer_rows(proposal, answers),
            "forms": [(party, Party(party).label, form) for party, form in forms.items()],
            # The volunteer's name is for their side (and staff); the structure's people
            # stay unnamed for everyone until the mission starts.
            "shows_volunteer": bool(set(parties) & {Party.VOLUNTEER, Party.EMPLOYER})
            or not parties,
            "why": explain(proposal, proposal.need.main_skill.name),
            "mission": mission,
        },
    )


def _answer(request, proposal, party, data):
    try:
        mission = services.answer(
            proposal.pk, request.user, party, data["decision"], data["reason"], data["comment"]
        )
    except services.StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("proposal_answer", proposal.pk)
    if mission:
        messages.success(
            request, _("Tout le monde a accepté : la mission commence. Voici vos coordonnées.")
        )
        return redirect(mission)
    if data["decision"] == Answer.Decision.DECLINED:
        messages.info(request, _("Vous avez décliné : ce binôme ne vous sera plus proposé."))
    else:
        messages.success(
            request,
            _(
                "Merci, votre accord est enregistré : la mission commencera quand chacun "
                "aura accepté."
            ),
        )
    return redirect("proposal_answer", proposal.pk)


# "I'm interested"


@require_POST
@login_required
def need_interest(request, pk):
    """A volunteer raises their hand on a published need, with one of their offers."""
    need = get_need_for_user(request, pk)
    if not request.user.roles.volunteer:
        raise PermissionDenied
    form = InterestForm(request.POST, volunteer=request.user)
    if not form.is_valid():
        if not form.fields["offer"].queryset.exists():
            messages.error(
                request,
                _(
                    "Publiez d'abord une offre de compétences : c'est avec elle que vous "
                    "vous proposez."
                ),
            )
        else:
            messages.error(request, " ".join(form.errors["offer"]))
        return redirect(need)
    try:
        services.raise_hand(need, form.cleaned_data["offer"], request.user)
    except services.StepRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _(
                "Votre intérêt est transmis à la CRESS : elle étudie ce binôme et vous "
                "préviendra de sa décision."
            ),
        )
    return redirect(need)


# Missions


@login_required
def my_missions(request):
    """The proposals waiting for this person's answer, and the missions they take part in."""
    pending = (
        services.pending_for(request.user)
        .select_related("need__organisation")
        .order_by("approved_at", "pk")
    )
    page = Paginator(Mission.objects.for_party_list(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "missions/my_missions.html",
        {"pending": pending, "page": page, "querystring": ""},
    )


EARLIER_STEPS = (Event.Verb.INTERESTED, Event.Verb.APPROVED, Event.Verb.ACCEPTED)


def _step_text(event):
    if event.verb == Event.Verb.INTERESTED:
        return _("Le ou la bénévole s'est proposé·e pour ce besoin.")
    if event.verb == Event.Verb.APPROVED:
        return _("La CRESS a approuvé le binôme.")
    return _("%(party)s a accepté.") % {"party": event.get_party_display()}


def _mission_page(request, mission, sides, status=200, **forms):
    """The mission page: both sides' contacts, the thread, the hours, the feedback, and the
    forms this person may use (bound ones when they came back with errors)."""
    proposal = mission.proposal
    answers = list(Answer.objects.filter(proposal=proposal).select_related("by"))
    contacts = {a.party: a.by for a in answers if a.by_id}
    thread = list(mission.messages.select_related("author"))
    # The steps before the mission existed (the CRESS's approval, each side's yes) open the
    # thread as step lines; the mission's own steps are already lines of it.
    before = Event.objects.filter(proposal_id=mission.proposal_id, mission__isnull=True)
    earlier_steps = [
        (event.at, _step_text(event)) for event in before.filter(verb__in=EARLIER_STEPS)
    ]
    hours = list(mission.hours.all())
    feedback = list(mission.feedback.all())
    offer_skills = OfferSkill.objects.filter(offer_id=mission.offer_id).select_related("skill")
    is_volunteer = Party.VOLUNTEER in sides
    is_association = Party.ASSOCIATION in sides
    given = {f.side for f in feedback}
    feedback_forms = forms.get("feedback_forms", {})
    decision_errors = forms.get("decision_errors", {})
    if mission.status == Mission.Status.COMPLETED:
        for side in WORK_SIDES:
            if side in sides and side not in given and side not in feedback_forms:
                feedback_forms[side] = FeedbackForm(prefix=side)
    active = mission.is_active
    context = {
        "mission": mission,
        "need": mission.need,
        "offer": mission.offer,
        "offer_skills": offer_skills,
        "sides": sides,
        "is_volunteer": is_volunteer,
        "is_association": is_association,
        "is_staff_reader": not sides,
        "volunteer_contact": mission.volunteer,
        "association_contact": contacts.get(Party.ASSOCIATION),
        "employer_contact": contacts.get(Party.EMPLOYER) if mission.is_mecenat else None,
        "thread": thread,
        "earlier_steps": earlier_steps,
        "hour_rows": [(entry, decision_errors.get(entry.pk)) for entry in hours],
        "confirmed_minutes": sum(
            h.minutes for h in hours if h.status == HoursEntry.Status.CONFIRMED
        ),
        "logged_minutes": sum(h.minutes for h in hours if h.status == HoursEntry.Status.LOGGED),
        "feedback": feedback,
        "feedback_forms": [
            (side, Party(side).label, form) for side, form in feedback_forms.items()
        ],
        "message_form": forms.get("message_form") or MessageForm(),
        "hours_form": (forms.get("hours_form") or HoursForm(mission=mission))
        if is_volunteer and active
        else None,
        "can_complete": active and bool(set(sides) & set(WORK_SIDES)),
        "can_abandon": active and (bool(sides) or request.user.is_cress_staff),
        "abandon_form": forms.get("abandon_form") or AbandonForm(),
        # Mécénat: the convention, its status, and the form of who may record it signed.
        "may_record_agreement": agreement.may_record(request.user, mission, sides),
        "agreement_form": forms.get("agreement_form") or AgreementStatusForm(mission=mission),
    }
    return render(request, "missions/mission_detail.html", context, status=status)


@login_required
def mission_detail(request, pk):
    mission, sides = get_mission_for_user(request, pk)
    return _mission_page(request, mission, sides)


def _refused(request, mission, refusal):
    messages.error(request, str(refusal))
    return redirect(mission)


@require_POST
@login_required
def mission_message(request, pk):
    """Both sides and CRESS staff write in the thread."""
    mission, sides = get_mission_for_user(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _mission_page(request, mission, sides, status=400, message_form=form)
    try:
        services.post_message(mission, request.user, form.cleaned_data["text"])
    except services.StepRefused as refusal:
        return _refused(request, mission, refusal)
    return redirect(mission.get_absolute_url() + "#fil")


@require_POST
@login_required
def mission_log_hours(request, pk):
    """The volunteer logs hours given; the structure then confirms them."""
    mission, sides = get_mission_for_user(request, pk)
    if Party.VOLUNTEER not in sides:
        raise PermissionDenied
    form = HoursForm(request.POST, mission=mission)
    if not form.is_valid():
        return _mission_page(request, mission, sides, status=400, hours_form=form)
    data = form.cleaned_data
    try:
        services.log_hours(
            mission, request.user, data["day"], data["total_minutes"], data["description"]
        )
    except services.StepRefused as refusal:
        return _refused(request, mission, refusal)
    messages.success(request, _("Vos heures sont enregistrées : la structure va les confirmer."))
    return redirect(mission.get_absolute_url() + "#heures")


@login_required
def hours_edit(request, pk, entry_pk):
    """The volunteer corrects an entry the structure has not confirmed."""
    entry, mission, sides = get_hours_for_user(request, pk, entry_pk)
    if Party.VOLUNTEER not in sides:
        raise PermissionDenied
    if not entry.is_editable:
        messages.error(
            request, _("Ces heures sont confirmées : elles ne peuvent plus être modifiées.")
        )
        return redirect(mission)
    form = HoursForm(request.POST or None, mission=mission, initial=HoursForm.initial_for(entry))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_hours(
                entry, request.user, data["day"], data["total_minutes"], data["description"]
            )
        except services.StepRefused as refusal:
            return _refused(request, mission, refusal)
        messages.success(request, _("Vos heures sont corrigées : la structure va les confirmer."))
        return redirect(mission.get_absolute_url() + "#heures")
    return render(
        request, "missions/hours_form.html", {"form": form, "entry": entry, "mission": mission}
    )


@require_POST
@login_required
def hours_decide(request, pk, entry_pk):
    """The structure confirms an entry (final) or disputes it with a note."""
    entry, mission, sides = get_hours_for_user(request, pk, entry_pk)
    if Party.ASSOCIATION not in sides:
        raise PermissionDenied
    form = HoursDecisionForm(request.POST)
    if not form.is_valid():
        return _mission_page(request, mission, sides, status=400, decision_errors={entry.pk: form})
    confirm = form.cleaned_data["decision"] == "confirm"
    try:
        services.decide_hours(entry, request.user, confirm, form.cleaned_data["note"])
    except services.StepRefused as refusal:
        return _refused(request, mission, refusal)
    if confirm:
        messages.success(request, _("Heures confirmées."))
    else:
        messages.info(request, _("Heures contestées : le ou la bénévole est prévenu·e."))
    return redirect(mission.get_absolute_url() + "#heures")


@require_POST
@login_required
def mission_complete(request, pk):
    """Either side marks the mission completed; the need is completed with it."""
    mission, sides = get_mission_for_user(request, pk)
    if not set(sides) & set(WORK_SIDES):
        raise PermissionDenied
    try:
        services.complete(mission, request.user)
    except services.StepRefused as refusal:
        return _refused(request, mission, refusal)
    messages.success(request, _("La mission est terminée. Merci ! Laissez votre avis."))
    return redirect(mission)


@require_POST
@login_required
def mission_abandon(request, pk):
    """Either side, or CRESS staff, stops a mission, saying why."""
    mission, sides = get_mission_for_user(request, pk)
    form = AbandonForm(request.POST)
    if not form.is_valid():
        return _mission_page(request, mission, sides, status=400, abandon_form=form)
    try:
        services.abandon(mission, request.user, form.cleaned_data["note"])
    except services.StepRefused as refusal:
        return _refused(request, mission, refusal)
    messages.info(request, _("La mission est abandonnée : le besoin est de nouveau ouvert."))
    return redirect(mission)


@require_POST
@login_required
def mission_feedback(request, pk):
    """Each side (the structure, the volunteer) leaves its word once the mission is over."""
    mission, sides = get_mission_for_user(request, pk)
    side = request.POST.get("side")
    if side not in WORK_SIDES or side not in sides:
        raise PermissionDenied
    form = FeedbackForm(request.POST, prefix=side)
    if not form.is_valid():
        return _mission_page(request, mission, sides, status=400, feedback_forms={side: form})
    try:
        services.leave_feedback(
            mission, request.user, side, form.cleaned_data["rating"], form.cleaned_data["comment"]
        )
    except services.StepRefused as refusal:
        return _refused(request, mission, refusal)
    messages.success(request, _("Merci pour votre avis."))
    return redirect(mission)
