"""A need written from a template, step by step: choose, answer, preview, save as a draft.

What was typed is kept in the session between the steps (per structure and template), and
every step validates it with the need form itself, so the saved need obeys the same rules as
one written from the blank form, and is exactly the one the preview showed.

Saving takes what was typed out of the session before it saves the need, under a lock of the
structure's row and from the session as stored (not as the request read it on arrival): of two
submits at once (a double click), the second finds it taken and is sent to the draft the first
saved, « déjà enregistré », instead of saving a second one.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from accounts.access import get_organisation_for_user
from accounts.models import Organisation

from .forms import NeedForm
from .forms_templates import GuidedAnswersForm, compose_description
from .models import Need, NeedTemplate

START_IN_DAYS = 14
# The need form's fields the member fills in here; the description is composed, not typed.
NEED_FIELDS = [name for name in NeedForm._meta.fields if name != "description"]


def _structure_for_posting(request, pk):
    """The structure, if the person is one of its members and it is an ESS structure
    (as need_create: other people 404, CRESS staff 403)."""
    organisation = get_organisation_for_user(request, pk)
    if not (request.user.is_member_of(organisation) and organisation.is_ess):
        raise PermissionDenied
    return organisation


def _template(pk):
    return get_object_or_404(
        NeedTemplate.objects.active()
        .select_related("main_skill__domain")
        .prefetch_related("questions", "secondary_skills"),
        pk=pk,
    )


def _session_key(organisation, template):
    return f"guided_need:{organisation.pk}:{template.pk}"


def _saved_key(key):
    """Where the session remembers the draft saved from these answers (for a second submit)."""
    return f"{key}:saved"


def _take_answers(request, key):
    """What was typed, taken out of the session as stored now: None when another request took
    it first. Inside a transaction holding the structure's row, so two submits take turns."""
    stored = type(request.session)(request.session.session_key)
    if key not in stored:
        request.session.pop(key, None)  # this request's copy, read on arrival, is stale
        return None
    return MultiValueDict(request.session.pop(key))


def template_initial(template):
    """The need form's first values, from the template: dates from two weeks ahead."""
    start = timezone.localdate() + datetime.timedelta(days=START_IN_DAYS)
    return {
        "title": template.title,
        "main_skill": template.main_skill_id,
        "secondary_skills": [skill.pk for skill in template.secondary_skills.all()],
        "format": template.format,
        "estimated_hours": template.estimated_hours,
        "remote_ok": template.remote_ok,
        "wished_start": start,
        "wished_end": start + datetime.timedelta(weeks=template.period_weeks),
    }


def bound_forms(data, template, organisation):
    """The answers and the need form bound to what was typed, the description composed."""
    answers = GuidedAnswersForm(data, template=template)
    values = data.copy()
    pairs = answers.answers() if answers.is_valid() else []
    values["description"] = compose_description(template, pairs)
    return answers, NeedForm(values, organisation=organisation)


@login_required
def guided_need_choose(request, pk):
    """The templates as cards: the five priority areas first, then the others by area."""
    organisation = _structure_for_posting(request, pk)
    templates = list(NeedTemplate.objects.for_choice_page())
    priority = [t for t in templates if t.main_skill.is_priority]
    areas = {}
    for template in sorted(
        (t for t in templates if not t.main_skill.is_priority),
        key=lambda t: (t.main_skill.domain.position, t.position),
    ):
        areas.setdefault(template.main_skill.domain.name, []).append(template)
    return render(
        request,
        "matching/guided_choose.html",
        {"organisation": organisation, "priority": priority, "areas": areas.items()},
    )


@login_required
def guided_need_answers(request, pk, template_pk):
    """Answer the template's questions and adjust the need's main fields."""
    organisation = _structure_for_posting(request, pk)
    template = _template(template_pk)
    key = _session_key(organisation, template)
    if request.method == "POST":
        data = request.POST
    elif key in request.session:  # back from the preview: what was typed, as it was typed
        data = MultiValueDict(request.session[key])
    else:
        data = None
    if data is None:
        answers = GuidedAnswersForm(template=template)
        need_form = NeedForm(initial=template_initial(template), organisation=organisation)
    else:
        answers, need_form = bound_forms(data, template, organisation)
    if request.method == "POST" and answers.is_valid() and need_form.is_valid():
        kept = list(answers.fields) + NEED_FIELDS
        request.session[key] = {name: request.POST.getlist(name) for name in kept}
        request.session.pop(_saved_key(key), None)  # new answers: a new need to save
        return redirect("guided_need_preview", organisation.pk, template.pk)
    return render(
        request,
        "matching/guided_answers.html",
        {
            "organisation": organisation,
            "template": template,
            "answers": answers,
            "form": need_form,
            "has_errors": bool(data is not None and (answers.errors or need_form.errors)),
        },
    )


@login_required
def guided_need_preview(request, pk, template_pk):
    """The need exactly as it will be saved; saving it makes a draft of the structure."""
    organisation = _structure_for_posting(request, pk)
    template = _template(template_pk)
    key = _session_key(organisation, template)
    answers_url = ("guided_need_answers", organisation.pk, template.pk)
    if request.method == "POST":
        return _save(request, organisation, template, key)
    if key not in request.session:
        messages.info(request, _("Répondez d'abord aux questions du modèle."))
        return redirect(*answers_url)
    answers, need_form = bound_forms(MultiValueDict(request.session[key]), template, organisation)
    if not (answers.is_valid() and need_form.is_valid()):
        # The template changed since (a question added): the answers page shows what is missing.
        return redirect(*answers_url)
    need = need_form.save(commit=False)
    need.organisation = organisation
    return render(
        request,
        "matching/guided_preview.html",
        {
            "organisation": organisation,
            "template": template,
            "need": need,
            "secondary_skills": need_form.cleaned_data["secondary_skills"],
        },
    )


def _save(request, organisation, template, key):
    """The draft saved once: the answers taken out of the session first (see the top)."""
    answers_url = ("guided_need_answers", organisation.pk, template.pk)
    with transaction.atomic():
        Organisation.objects.select_for_update().only("pk").get(pk=organisation.pk)
        data = _take_answers(request, key)
        if data is None:
            return _saved_already(request, organisation, key) or _answer_first(request, answers_url)
        answers, need_form = bound_forms(data, template, organisation)
        if not (answers.is_valid() and need_form.is_valid()):
            # The template changed since (a question added): the answers page shows what is
            # missing, with what was typed.
            request.session[key] = dict(data.lists())
            return redirect(*answers_url)
        need = need_form.save(commit=False)
        need.organisation = organisation
        need.created_by = request.user
        need.save()
        need_form.save_m2m()
        request.session[_saved_key(key)] = need.pk
        request.session.save()  # within the lock: a second submit reads it taken
    messages.success(
        request,
        _("Le besoin est enregistré en brouillon. Relisez-le, modifiez-le si besoin, "
          "puis publiez-le."),
    )  # fmt: skip
    return redirect(need)


def _saved_already(request, organisation, key):
    """A second submit of the same answers: to the draft the first one saved, if it is still
    there; None otherwise."""
    saved = type(request.session)(request.session.session_key).get(_saved_key(key))
    need = Need.objects.filter(pk=saved, organisation=organisation).first() if saved else None
    if need is None:
        return None
    request.session[_saved_key(key)] = need.pk
    messages.info(
        request,
        _(
            "Ce besoin est déjà enregistré en brouillon : le voici. Relisez-le, modifiez-le si "
            "besoin, puis publiez-le."
        ),
    )
    return redirect(need)


def _answer_first(request, answers_url):
    messages.info(request, _("Répondez d'abord aux questions du modèle."))
    return redirect(*answers_url)
