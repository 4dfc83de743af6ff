"""CRESS staff manage need templates: list, create, edit (deactivate by unticking)."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.access import cress_staff_required

from .forms_templates import NeedTemplateForm, QuestionFormSet
from .models import NeedTemplate


@cress_staff_required
def need_template_list(request):
    """Every template, active ones first, with its area and number of questions."""
    templates = NeedTemplate.objects.for_staff_list()
    return render(request, "matching/template_list.html", {"templates": templates})


def _template_form_page(request, template=None):
    form = NeedTemplateForm(request.POST or None, instance=template)
    questions = QuestionFormSet(request.POST or None, instance=template, prefix="questions")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        with transaction.atomic():
            template = form.save()
            questions.instance = template
            questions.save()
        messages.success(
            request, _("Le modèle « %(title)s » est enregistré.") % {"title": template}
        )
        return redirect("need_template_list")
    return render(
        request,
        "matching/template_form.html",
        {"form": form, "questions": questions, "template": template},
    )


@cress_staff_required
def need_template_create(request):
    return _template_form_page(request)


@cress_staff_required
def need_template_edit(request, pk):
    return _template_form_page(request, get_object_or_404(NeedTemplate, pk=pk))
