"""CRESS staff: the review queue, a proposal's review page, staff notes, what to handle first.

A territorial reviewer sees and acts only on needs of their départements; the regional CRESS
sees all (`User.review_scope()`). Every refusal of a step becomes a message, never a 500.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import cress_staff_required
from matching.engine import PARTS
from matching.explain import explain
from matching.models import Proposal
from matching.templatetags.list_rows import named_levels
from matching.views import paginate

from . import priorities, services
from .access import get_need_for_reviewer, get_organisation_for_reviewer, get_proposal_for_reviewer
from .filters import ReviewQueueFilter
from .forms_review import ApproveForm, BulkApproveForm, NoteForm, RejectForm
from .models import Event, Mission, Review, StaffNote

# The score's named parts (matching/engine/scoring.py PARTS), as staff read them.
PART_LABELS = {
    "skill": gettext_lazy("Compétence et niveau"),
    "place": gettext_lazy("Lieu"),
    "availability": gettext_lazy("Disponibilités sur la période"),
    "waiting": gettext_lazy("Attente du besoin"),
    "equity": gettext_lazy("Territoire moins bien servi"),
}
# The "to handle first" page lists this many rows of each kind; the queue has the rest.
PRIORITY_ROWS = 50


def _explained(proposals):
    return [(p, explain(p, p.need.main_skill.name)) for p in proposals]


@require_http_methods(["GET", "POST"])
@cress_staff_required
def review_queue(request):
    """Pending proposals in the reviewer's territory, filtered and sorted from the URL; a POST
    approves the ticked rows (one conflict check covering them all)."""
    scope = request.user.review_scope()
    bulk_form = BulkApproveForm(request.POST or None)
    if request.method == "POST" and bulk_form.is_valid():
        _bulk_approve(request, bulk_form.cleaned_data["proposals"])
        return redirect(request.get_full_path())
    filterset = ReviewQueueFilter(request.GET, queryset=priorities.review_queue(scope), scope=scope)
    page, querystring = paginate(request, filterset.qs)
    selected = set(request.POST.getlist("proposals"))  # ticks kept when the form had errors
    return render(
        request,
        "missions/review/queue.html",
        {
            "filter": filterset,
            "page": page,
            "rows": _queue_rows(priorities.with_queue_columns(page.object_list), selected),
            "querystring": querystring,
            "bulk_form": bulk_form,
        },
    )


def _queue_rows(proposals, selected):
    """(proposal, its cells) for each row of the queue's page.

    The cells are written here, not by template filters: timesince, the dates, the score's
    format, the per-row translation and link took about half of the page's rendering.
    """
    proposals = list(proposals)
    skills = priorities.skills_of_offers([p.offer_id for p in proposals])
    sources = {value: str(label) for value, label in Proposal.Source.choices}
    now = timezone.now()
    return [
        (p, _queue_cells(p, skills.get(p.offer_id, ()), sources, now, selected)) for p in proposals
    ]


def _queue_cells(proposal, skills, sources, now, selected):
    need, offer = proposal.need, proposal.offer
    volunteer = str(offer.volunteer)
    created_at = timezone.localtime(proposal.created_at)
    return {
        "url": reverse("review_detail", args=[proposal.pk]),
        "checked": str(proposal.pk) in selected,
        "select_label": _("Sélectionner « %(need)s » avec %(volunteer)s")
        % {"need": need.title, "volunteer": volunteer},
        "commune": need.organisation.commune_name,
        "departement": need.departement_label,
        "volunteer": volunteer,
        "skills": named_levels(skills),
        "score": floatformat(proposal.score, 2),
        "why": explain(proposal, proposal.need_skill_name),
        "source": sources.get(proposal.source, proposal.source),
        "waiting": timesince(created_at, now),
        "since": date_format(created_at, "SHORT_DATE_FORMAT"),
    }


def _bulk_approve(request, ids):
    """Approve what lies in the reviewer's territory; say what was approved and why the
    others were not."""
    reachable = set(
        priorities.in_scope(Proposal.objects.filter(pk__in=ids), request.user).values_list(
            "pk", flat=True
        )
    )
    approved, refused = services.bulk_approve(
        [pk for pk in ids if pk in reachable], request.user, no_commercial_link=True
    )
    if approved:
        messages.success(
            request,
            ngettext(
                "%(count)s binôme approuvé : la structure et le ou la bénévole sont invités "
                "à répondre.",
                "%(count)s binômes approuvés : les structures et les bénévoles sont invités "
                "à répondre.",
                len(approved),
            )
            % {"count": len(approved)},
        )
    titles = dict(Proposal.objects.filter(pk__in=refused).values_list("pk", "need__title"))
    for pk, why in refused.items():
        messages.error(
            request,
            _("Non approuvée, « %(need)s » : %(why)s") % {"need": titles.get(pk, pk), "why": why},
        )
    unreachable = len(ids) - len(reachable)
    if unreachable:
        messages.error(
            request,
            ngettext(
                "%(count)s proposition sélectionnée n'existe pas ou n'est pas de votre "
                "territoire : elle n'a pas été approuvée.",
                "%(count)s propositions sélectionnées n'existent pas ou ne sont pas de votre "
                "territoire : elles n'ont pas été approuvées.",
                unreachable,
            )
            % {"count": unreachable},
        )


def _review_page(request, proposal, approve_form=None, reject_form=None, note_form=None):
    """The review page, with the forms as sent when one had errors (what was typed is kept)."""
    need = proposal.need
    notes = list(
        StaffNote.objects.filter(
            Q(proposal=proposal) | Q(need=need) | Q(organisation=need.organisation_id)
        ).select_related("author")
    )
    others = (
        Proposal.objects.filter(need=need)
        .exclude(pk=proposal.pk)
        .select_related("offer__volunteer", "offer__organisation")
        .order_by("-score", "pk")
    )
    return render(
        request,
        "missions/review/detail.html",
        {
            "proposal": proposal,
            "need": need,
            "offer": proposal.offer,
            "why": explain(proposal, need.main_skill.name),
            "parts": _parts(proposal.parts),
            "others": others,
            "events": Event.objects.filter(proposal=proposal).select_related("actor"),
            "review": Review.objects.filter(proposal=proposal).select_related("reviewer").first(),
            "mission": Mission.objects.filter(proposal=proposal).first(),
            "proposal_notes": [n for n in notes if n.proposal_id],
            "need_notes": [n for n in notes if n.need_id],
            "organisation_notes": [n for n in notes if n.organisation_id],
            "can_decide": proposal.status == Proposal.Status.PROPOSED,
            "approve_form": approve_form or ApproveForm(),
            "reject_form": reject_form or RejectForm(),
            "note_form": note_form or NoteForm(),
        },
    )


def _parts(parts):
    """The score's parts in the engine's order (the database keeps JSON keys in its own)."""
    names = [name for name in PARTS if name in parts]
    names += sorted(name for name in parts if name not in PART_LABELS)
    return [(PART_LABELS.get(name, name), parts[name]) for name in names]


@login_required
def review_detail(request, pk):
    """Everything staff need to decide on one proposal, and its history once decided."""
    return _review_page(request, get_proposal_for_reviewer(request, pk))


@require_POST
@login_required
def review_approve(request, pk):
    proposal = get_proposal_for_reviewer(request, pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _review_page(request, proposal, approve_form=form)
    try:
        services.approve(proposal.pk, request.user, form.cleaned_data["no_commercial_link"])
    except services.StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("review_detail", proposal.pk)
    messages.success(
        request,
        _("Binôme approuvé : la structure et le ou la bénévole sont invités à répondre."),
    )
    return redirect("review_queue")


@require_POST
@login_required
def review_reject(request, pk):
    proposal = get_proposal_for_reviewer(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _review_page(request, proposal, reject_form=form)
    try:
        services.reject(
            proposal.pk, request.user, form.cleaned_data["reason"], form.cleaned_data["comment"]
        )
    except services.StepRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("review_detail", proposal.pk)
    messages.success(
        request, _("Proposition rejetée : ce binôme ne sera plus proposé pour ce besoin.")
    )
    return redirect("review_queue")


# Staff notes


@require_POST
@login_required
def note_on_proposal(request, pk):
    proposal = get_proposal_for_reviewer(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _review_page(request, proposal, note_form=form)
    StaffNote.objects.create(author=request.user, proposal=proposal, text=form.cleaned_data["text"])
    messages.success(request, _("La note interne est enregistrée."))
    return redirect(reverse("review_detail", args=[proposal.pk]) + "#notes")


def _note_on(request, subject, **target):
    """A note on a need or a structure; their pages belong to other apps, so a note with
    errors comes back on a page of its own, with what was typed."""
    form = NoteForm(request.POST)
    if not form.is_valid():
        return render(request, "missions/review/note_form.html", {"form": form, "subject": subject})
    StaffNote.objects.create(author=request.user, text=form.cleaned_data["text"], **target)
    messages.success(request, _("La note interne est enregistrée."))
    return redirect(subject.get_absolute_url() + "#notes")


@require_POST
@login_required
def note_on_need(request, pk):
    need = get_need_for_reviewer(request, pk)
    return _note_on(request, need, need=need)


@require_POST
@login_required
def note_on_organisation(request, pk):
    organisation = get_organisation_for_reviewer(request, pk)
    return _note_on(request, organisation, organisation=organisation)


# What to handle first


@cress_staff_required
def to_handle_first(request):
    """The weekly look: proposals waiting too long for review, missions with no hours for
    too long, in the reviewer's territory (the weekly e-mail lists the same)."""
    now = timezone.now()
    waiting = priorities.proposals_waiting_review(request.user, now)
    idle = priorities.idle_missions(request.user, now)
    return render(
        request,
        "missions/review/to_handle_first.html",
        {
            "waiting_count": waiting.count(),
            "waiting": _explained(priorities.with_review_columns(waiting)[:PRIORITY_ROWS]),
            "idle_count": idle.count(),
            "idle": idle.select_related("need__organisation", "volunteer", "offer").annotate(
                last_hours_at=Max("hours__created_at")
            )[:PRIORITY_ROWS],
            "review_days": settings.REVIEW_REMINDER_DAYS,
            "idle_days": settings.MISSION_IDLE_DAYS,
        },
    )
