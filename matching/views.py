"""Views for needs and skill offers: posting, publishing, browsing and filtering."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import cress_staff_required, get_organisation_for_user
from accounts.models import Organisation
from accounts.return_to import safe_next

from .access import get_need_for_member, get_need_for_user, get_offer_for_owner, get_offer_for_user
from .explain import explain
from .filters import NeedFilter, OfferFilter, OrganisationNeedFilter
from .forms import NeedForm, OfferForm, OfferSkillFormSet
from .matcher import start_full_pass
from .models import MatchingRun, Need, NeedError, Offer, Proposal
from .services import publish_need, save_offer, set_offer_active
from .tasks import dispatch_groups

PAGE_SIZE = 20
RUNS_SHOWN = 20


def paginate(request, queryset):
    """A page of rows, and the query string of the filters for the page links."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def render_filtered_page(request, template, filterset, **context):
    """A page of a filtered list, its filter form, and the filters kept in the page links."""
    page, querystring = paginate(request, filterset.qs)
    context.update(filter=filterset, page=page, querystring=querystring)
    return render(request, template, context)


def volunteer_or_staff_required(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        roles = request.user.roles
        if not (roles.volunteer or roles.cress_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@volunteer_or_staff_required
def need_list(request):
    """Published needs of verified structures, for volunteers and CRESS staff."""
    needs = NeedFilter(request.GET, queryset=Need.objects.for_published_list())
    return render_filtered_page(request, "matching/need_list.html", needs)


@login_required
def organisation_needs(request, pk):
    """An organisation's needs, every status, for its members (and CRESS staff)."""
    organisation = get_organisation_for_user(request, pk)
    needs = OrganisationNeedFilter(
        request.GET, queryset=Need.objects.for_organisation_list(organisation)
    )
    can_post = request.user.is_member_of(organisation) and organisation.is_ess
    return render_filtered_page(
        request,
        "matching/organisation_needs.html",
        needs,
        organisation=organisation,
        can_post=can_post,
    )


@login_required
def need_create(request, pk):
    """A member of an ESS structure describes a need; it starts as a draft."""
    organisation = get_organisation_for_user(request, pk)
    if not (request.user.is_member_of(organisation) and organisation.is_ess):
        raise PermissionDenied
    form = NeedForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        need = form.save(commit=False)
        need.organisation = organisation
        need.created_by = request.user
        with transaction.atomic():
            need.save()
            form.save_m2m()
        messages.success(
            request, _("Le besoin est enregistré en brouillon. Publiez-le quand il est prêt.")
        )
        return redirect(need)
    return render(request, "matching/need_form.html", {"form": form, "organisation": organisation})


@login_required
def need_detail(request, pk):
    need = get_need_for_user(request, pk)
    is_member = request.user.is_member_of(need.organisation)
    return render(
        request,
        "matching/need_detail.html",
        {
            "need": need,
            "is_member": is_member,
            # As Need.objects.open_to_volunteers() (the public pages' rows), without a query.
            "is_public": need.status == Need.Status.PUBLISHED and need.organisation.is_verified,
            "publish_refusal": need.publish_refusal() if is_member else None,
            "secondary_skills": need.secondary_skills.select_related("domain"),
        },
    )


@login_required
def need_edit(request, pk):
    need = get_need_for_member(request, pk)
    if not need.is_editable:
        messages.error(
            request,
            _("Ce besoin ne peut plus être modifié : il est %(status)s.")
            % {"status": need.get_status_display().lower()},
        )
        return redirect(need)
    form = NeedForm(request.POST or None, instance=need, organisation=need.organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Le besoin a été mis à jour."))
        return redirect(need)
    return render(
        request,
        "matching/need_form.html",
        {"form": form, "organisation": need.organisation, "need": need},
    )


def _need_step(request, pk, step, done):
    """Apply a life-cycle step for a member; a refusal is shown, not raised."""
    need = get_need_for_member(request, pk)
    try:
        step(need)
    except NeedError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect(need)


@require_POST
@login_required
def need_publish(request, pk):
    done = _(
        "Le besoin est publié : les bénévoles peuvent se proposer, et sa page publique est "
        "visible de tous sur le web dès que la CRESS a vérifié votre structure."
    )
    return _need_step(request, pk, publish_need, done)


@require_POST
@login_required
def need_cancel(request, pk):
    def cancel(need):
        need.cancel(by=request.user)

    return _need_step(request, pk, cancel, _("Le besoin est annulé."))


@cress_staff_required
def offer_list(request):
    """Every offer, for CRESS staff who pair people."""
    offers = OfferFilter(request.GET, queryset=Offer.objects.for_staff_list())
    return render_filtered_page(request, "matching/offer_list.html", offers)


@login_required
def my_offers(request):
    page, querystring = paginate(request, Offer.objects.of_volunteer(request.user))
    return render(
        request,
        "matching/my_offers.html",
        {"page": page, "querystring": querystring, "can_offer": request.user.roles.volunteer},
    )


def _employers(user):
    return Organisation.objects.employers().of_active_member(user).order_by("name")


def _offer_form_page(request, offer=None):
    """The offer's form; once saved, back to the page it was opened from (a need the
    volunteer wants to raise a hand on) when `next` is a path of this site, else the offer."""
    employers = _employers(request.user)
    form = OfferForm(request.POST or None, instance=offer, employers=employers)
    skills = OfferSkillFormSet(request.POST or None, instance=offer, prefix="skills")
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid() and skills.is_valid():
        offer = save_offer(form, skills, request.user)
        messages.success(request, _("Votre offre de compétences est enregistrée."))
        return redirect(next_url or offer)
    return render(
        request,
        "matching/offer_form.html",
        {"form": form, "skills": skills, "offer": offer, "next": next_url},
    )


@login_required
def offer_create(request):
    """Employees of companies and public agents publish what they can give."""
    if not request.user.roles.volunteer:
        raise PermissionDenied
    return _offer_form_page(request)


@login_required
def offer_edit(request, pk):
    return _offer_form_page(request, get_offer_for_owner(request, pk))


def pending_proposals(offer):
    """What pausing the offer would withdraw: {"pending": n, "approved": among them}."""
    return offer.proposals.filter(status__in=Proposal.PENDING).aggregate(
        pending=Count("pk"), approved=Count("pk", filter=Q(status=Proposal.Status.APPROVED))
    )


@login_required
def offer_detail(request, pk):
    offer = get_offer_for_user(request, pk)
    is_owner = offer.volunteer_id == request.user.pk
    context = {"offer": offer, "is_owner": is_owner}
    if is_owner and offer.is_active:
        context["withdrawn_by_pausing"] = pending_proposals(offer)
    return render(request, "matching/offer_detail.html", context)


@require_POST
@login_required
def offer_set_active(request, pk, active):
    offer = get_offer_for_owner(request, pk)
    withdrawn = 0 if active else pending_proposals(offer)["pending"]
    set_offer_active(offer, active)
    if active:
        messages.success(request, _("Votre offre est de nouveau active."))
    elif withdrawn:
        messages.info(
            request,
            ngettext(
                "Votre offre est en pause : aucun binôme ne vous sera proposé, et "
                "%(count)s proposition en attente a été retirée.",
                "Votre offre est en pause : aucun binôme ne vous sera proposé, et "
                "%(count)s propositions en attente ont été retirées.",
                withdrawn,
            )
            % {"count": withdrawn},
        )
    else:
        messages.info(request, _("Votre offre est en pause : aucun binôme ne vous sera proposé."))
    return redirect(offer)


@cress_staff_required
def matcher_runs(request):
    """The matcher's last runs, with the progress of a running full pass."""
    runs = MatchingRun.objects.for_staff_page()[:RUNS_SHOWN]
    return render(request, "matching/matcher_runs.html", {"runs": runs})


@require_POST
@cress_staff_required
def matcher_full_pass(request):
    """Start a full pass now; its groups run on the workers while the page shows progress."""
    _parent, children = start_full_pass(MatchingRun.Trigger.MANUAL, started_by=request.user)
    dispatch_groups(children)
    messages.success(request, _("Le passage complet est lancé."))
    return redirect("matcher_runs")


@cress_staff_required
def proposal_list(request):
    """Proposals with their explained score, newest first (the review workflow comes next)."""
    page, querystring = paginate(request, Proposal.objects.for_staff_list())
    rows = [(p, explain(p, p.need.main_skill.name)) for p in page.object_list]
    return render(
        request,
        "matching/proposal_list.html",
        {"page": page, "rows": rows, "querystring": querystring},
    )
