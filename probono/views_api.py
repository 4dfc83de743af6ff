"""The API's pages for people (the personal token page; the docs page is drf-spectacular's),
and its answer to an address it does not know."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound

from accounts.forms import TokenPasswordForm


@never_cache
@login_required
def api_token(request):
    """Whether the person has an API token; create one (shown once) or revoke it.

    The key is shown in the answer to the POST that created it and never again: the page
    afterwards only says that a token exists, since when. A new token replaces the old one.
    Creating one asks for the password (through authenticate(): counted by the log-in
    throttling, refused during a lock-out); revoking does not. A password change or reset
    deletes the token (accounts.forms).
    """
    new_key = None
    form = TokenPasswordForm(request)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            Token.objects.filter(user=request.user).delete()
            messages.success(
                request, _("Votre jeton est révoqué : il ne donne plus accès à l'API.")
            )
            return redirect("api_token")
        form = TokenPasswordForm(request, request.POST)
        if form.is_valid():
            with transaction.atomic():
                Token.objects.filter(user=request.user).delete()
                new_key = Token.objects.create(user=request.user).key
            form = TokenPasswordForm(request)
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "api/token.html",
        {
            "token": token,
            "new_key": new_key,
            "form": form,
            "api_root": request.build_absolute_uri("/api/"),
        },
    )


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@authentication_classes([])
@permission_classes([permissions.AllowAny])
def not_found(request, *args, **kwargs):
    """A 404 in JSON, like every other answer under /api/ (Django's own 404 is a page)."""
    raise NotFound
