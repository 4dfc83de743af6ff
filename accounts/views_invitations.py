"""Invitations: a referent invites colleagues into their employer (e-mail invitations, pasted
or from a CSV file, and shareable links); the invited person signs up, or logs in, and joins.

Who invites: an active administrator of a verified company or public body (its referent).
Another structure's people get a 404, as if it did not exist; its plain members and CRESS
staff a 403 (the invitations name colleagues' addresses).
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from . import invitations
from .forms_invitations import BATCH_CAP, InvitationBatchForm, InvitationLinkForm, InvitedSignUpForm
from .models import (
    INVITATION_DAYS,
    Invitation,
    InvitationLink,
    Organisation,
    User,
    can_receive_invitees,
)
from .views import create_account

INVITATIONS_PER_PAGE = 50


def referent_view(view):
    """Log-in required; the organisation of the URL's pk for its referent, passed to the view.

    Its administrator while it cannot take invitees (not verified yet, suspended, or not an
    employer) gets a page saying why (403).
    """

    @login_required
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        organisation = get_object_or_404(Organisation, pk=pk)
        user = request.user
        if not user.is_admin_of(organisation):
            if user.is_member_of(organisation) or user.is_cress_staff:
                raise PermissionDenied
            raise Http404
        if not can_receive_invitees(organisation):
            return render(
                request,
                "accounts/invitation_unavailable.html",
                {"organisation": organisation},
                status=403,
            )
        return view(request, organisation, *args, **kwargs)

    return wrapper


# The referent's pages


@require_GET
@referent_view
def invitation_list(request, organisation):
    """The invitations with their status, the shareable links, and who joined through them."""
    page = Paginator(Invitation.objects.for_list_page(organisation), INVITATIONS_PER_PAGE)
    links = organisation.invitation_links.select_related("created_by").order_by("-created_at")
    joined = (
        organisation.memberships.active()
        .exclude(joined_through="")
        .select_related("user", "invitation_link")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "accounts/invitation_list.html",
        {
            "organisation": organisation,
            "page": page.get_page(request.GET.get("page")),
            "links": links,
            "joined": joined,
            # The e-mails' address of the site, not the request's Host: the link is shared.
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )


@referent_view
def invitation_send(request, organisation):
    """Paste addresses or upload a CSV file; the report says who was invited and who not."""
    form = InvitationBatchForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcomes = invitations.invite(organisation, request.user, form.cleaned_data["entries"])
        except invitations.DailyCapReached as cap:
            form.add_error(None, cap.message())
            status = 429
        else:
            return render(
                request,
                "accounts/invitation_report.html",
                {
                    "organisation": organisation,
                    "invited": [outcome for outcome in outcomes if outcome.invited],
                    "refused": [outcome for outcome in outcomes if not outcome.invited],
                },
            )
    return render(
        request,
        "accounts/invitation_send.html",
        {"organisation": organisation, "form": form, "cap": BATCH_CAP},
        status=status,
    )


def _invitation_of(organisation, invitation_pk):
    return get_object_or_404(Invitation.objects.filter(organisation=organisation), pk=invitation_pk)


@require_POST
@referent_view
def invitation_revoke(request, organisation, invitation_pk):
    invitation = _invitation_of(organisation, invitation_pk)
    if invitations.revoke(invitation):
        messages.success(request, _("L'invitation est révoquée : son lien ne fonctionne plus."))
    else:
        messages.info(request, _("Cette invitation a déjà été acceptée ou révoquée."))
    return redirect("invitation_list", organisation.pk)


@require_POST
@referent_view
def invitation_resend(request, organisation, invitation_pk):
    invitation = _invitation_of(organisation, invitation_pk)
    try:
        sent = invitations.send_again(invitation)
    except invitations.DailyCapReached as cap:
        messages.error(request, cap.message())
    else:
        if sent:
            messages.success(
                request,
                ngettext(
                    "L'invitation est renvoyée à %(email)s, valable à nouveau %(days)s jour.",
                    "L'invitation est renvoyée à %(email)s, valable à nouveau %(days)s jours.",
                    INVITATION_DAYS,
                )
                % {"email": invitation.email, "days": INVITATION_DAYS},
            )
        else:
            messages.info(request, _("Cette invitation a déjà été acceptée ou révoquée."))
    return redirect("invitation_list", organisation.pk)


@referent_view
def invitation_link_create(request, organisation):
    """A shareable link valid 7, 30 or 90 days."""
    form = InvitationLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations.create_link(organisation, request.user, form.cleaned_data["days"])
        messages.success(
            request, _("Le lien est créé : copiez-le ci-dessous et partagez-le à vos collègues.")
        )
        return redirect("invitation_list", organisation.pk)
    return render(
        request,
        "accounts/invitation_link_form.html",
        {"organisation": organisation, "form": form},
    )


@require_POST
@referent_view
def invitation_link_revoke(request, organisation, link_pk):
    link = get_object_or_404(InvitationLink.objects.filter(organisation=organisation), pk=link_pk)
    if invitations.revoke_link(link):
        messages.success(request, _("Le lien est révoqué : il ne permet plus de rejoindre."))
    else:
        messages.info(request, _("Ce lien était déjà révoqué."))
    return redirect("invitation_list", organisation.pk)


# The invited person's pages


def _invalid(request, reason, organisation=None, status=400):
    """A French page saying why the invitation or link cannot be used, never a 500."""
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"reason": reason, "organisation": organisation},
        status=status,
    )


def _refusal(request, invitation_or_link):
    """Why it cannot be used now, or None when it can."""
    if invitation_or_link is None:
        return _invalid(request, "unknown", status=404)
    status = invitation_or_link.status
    if status in ("joined", "revoked", "expired"):
        return _invalid(request, status, invitation_or_link.organisation, status=410)
    if not can_receive_invitees(invitation_or_link.organisation):
        return _invalid(request, "organisation", invitation_or_link.organisation)
    return None


def _join_page(request, organisation, action_url):
    """Logged in: « Rejoindre <employer> », a button that posts."""
    others = [
        m.organisation
        for m in request.user.active_memberships()
        if m.organisation.kind in (Organisation.Kind.COMPANY, Organisation.Kind.PUBLIC_BODY)
    ]
    return render(
        request,
        "accounts/invitation_join.html",
        {"organisation": organisation, "action_url": action_url, "other_employers": others},
    )


def _already_member(request, organisation):
    messages.info(request, _("Vous êtes déjà membre de %(name)s.") % {"name": organisation.name})
    return redirect(organisation)


def _joined(request, organisation):
    messages.success(
        request,
        _("Vous avez rejoint %(name)s. Proposez maintenant vos compétences.")
        % {"name": organisation.name},
    )
    return redirect(organisation)


def _join_logged_in(request, organisation, here, join, gone_reason):
    """The logged-in branch both kinds of invitation share: a page with « Rejoindre », then
    the join itself (``join(user)``), refused with ``gone_reason`` if the invitation died
    meanwhile."""
    if request.user.is_member_of(organisation):
        return _already_member(request, organisation)
    if request.method != "POST":
        return _join_page(request, organisation, here)
    try:
        with transaction.atomic():
            join(request.user)
    except invitations.Unusable:
        return _invalid(request, gone_reason, organisation, status=410)
    return _joined(request, organisation)


def _sign_up_invited(request, form, organisation, here, join, gone_reason, **page):
    """The anonymous branch both kinds share: the sign-up form, the new account attached to
    the employer by ``join(new_user)`` in the same transaction."""
    context = {
        "form": form,
        "organisation": organisation,
        "login_url": reverse("login") + "?" + urlencode({"next": here}),
        **page,
    }
    try:
        return create_account(
            request, form, "accounts/invitation_signup.html", context, attach=join
        )
    except invitations.Unusable:
        return _invalid(request, gone_reason, organisation, status=410)


def invitation_accept(request, token):
    """An e-mail invitation followed: sign up with the invited address (confirmed at once:
    following the link proves it), or, logged in with that address, « Rejoindre »."""
    invitation = Invitation.from_token(token)
    refusal = _refusal(request, invitation)
    if refusal:
        return refusal
    organisation = invitation.organisation
    here = reverse("invitation_accept", args=[token])

    def join(user):
        invitations.accept(invitation, user)

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            return _invalid(request, "address", organisation, status=403)
        return _join_logged_in(request, organisation, here, join, "joined")
    return _sign_up_invited(
        request,
        InvitedSignUpForm(request.POST or None, fixed_email=invitation.email),
        organisation,
        here,
        join,
        "joined",
        email_invitation=True,
        account_exists=User.objects.filter(email__iexact=invitation.email).exists(),
    )


def invitation_link_join(request, token):
    """A shareable link followed: sign up (the address is confirmed by the usual e-mail: a
    link proves nothing about it), or, logged in, « Rejoindre »."""
    link = InvitationLink.objects.select_related("organisation").filter(token=token).first()
    refusal = _refusal(request, link)
    if refusal:
        return refusal
    organisation = link.organisation
    here = reverse("invitation_link_join", args=[token])

    def join(user):
        invitations.join_by_link(link, user)

    if request.user.is_authenticated:
        return _join_logged_in(request, organisation, here, join, "expired")
    return _sign_up_invited(
        request,
        InvitedSignUpForm(request.POST or None),
        organisation,
        here,
        join,
        "expired",
        email_invitation=False,
        account_exists=False,
    )
