"""The convention de mécénat de compétences of a mission: the printable page, its PDF, and its
signature recorded (missions/agreement.py says who may record it, and why).

Who reads it: whoever may open the mission (its sides, CRESS staff of its département); a
bénévolat mission has no convention, so its URL is a 404 like any page that does not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import agreement as agreements
from . import agreement_pdf
from .access_parties import get_mission_for_user
from .forms_agreement import AgreementStatusForm
from .views_parties import _mission_page


def _mecenat_mission(request, pk):
    mission, sides = get_mission_for_user(request, pk)
    if not mission.is_mecenat:
        raise Http404
    return mission, sides


def _context(mission):
    return {
        "mission": mission,
        "agreement": agreements.agreement_for(mission),
        "today": timezone.localdate(),
    }


@require_GET
@login_required
def agreement_document(request, pk):
    """The convention as a page to read, print, or save as PDF."""
    mission, sides = _mecenat_mission(request, pk)
    context = _context(mission)
    context["may_record"] = agreements.may_record(request.user, mission, sides)
    return render(request, "missions/agreement.html", context)


@require_GET
@login_required
def agreement_pdf_download(request, pk):
    """The same convention as a PDF file."""
    mission, _sides = _mecenat_mission(request, pk)
    data = agreement_pdf.render(_context(mission))
    response = HttpResponse(data, content_type="application/pdf")
    name = slugify(f"convention-mecenat-{mission.pk}-{mission.need.title}")[:80]
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_POST
@login_required
def agreement_status(request, pk):
    """A representative of the structure or the company records the convention signed (or
    back to sign); anyone else who may see the mission gets a 403."""
    mission, sides = _mecenat_mission(request, pk)
    if not agreements.may_record(request.user, mission, sides):
        raise PermissionDenied
    form = AgreementStatusForm(request.POST, mission=mission)
    if not form.is_valid():
        return _mission_page(request, mission, sides, status=400, agreement_form=form)
    if form.cleaned_data["status"] == form.SIGNED:
        changed = agreements.record_signed(mission, request.user, form.cleaned_data["signed_on"])
        done = _("La convention est enregistrée comme signée.")
    else:
        changed = agreements.record_to_sign(mission, request.user)
        done = _("La convention est de nouveau à signer.")
    # Unchanged: the same twice (two tabs, two people at once).
    messages.info(request, done if changed else _("C'était déjà enregistré : rien n'a changé."))
    return redirect(mission.get_absolute_url() + "#convention")
