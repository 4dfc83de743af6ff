"""A person's own data (GDPR): download it all as JSON, delete the account.

No id in these URLs: they always act on the logged-in person, whoever they are (CRESS staff
included), and on nobody else.
"""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import personal_data
from .forms_personal_data import AccountDeleteForm


@never_cache
@login_required
def personal_data_page(request):
    """GET: what the file holds. POST: the file, one JSON attachment named with the date."""
    if request.method != "POST":
        return render(request, "accounts/personal_data.html")
    data = personal_data.export(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"probono-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def account_delete(request):
    """What will be erased and what is kept; the password confirms; then the account is
    anonymised everywhere, every session ended, and the person is logged out."""
    refusals = personal_data.erasure_refusals(request.user)
    form = AccountDeleteForm(request, request.POST or None)
    if request.method == "POST" and not refusals and form.is_valid():
        personal_data.erase(request.user)
        logout(request)
        messages.success(
            request,
            _("Votre compte est supprimé : vos données personnelles ont été effacées."),
        )
        return redirect("home")
    context = {
        "form": form,
        "refusals": refusals,
        # Structures they leave with nobody in them (with other members, they are refused:
        # they name an administrator first).
        "left_empty": []
        if refusals
        else personal_data.structures_losing_their_only_admin(request.user),
    }
    return render(request, "accounts/account_delete.html", context)
