"""Views for sign-up and e-mail confirmation, profile, organisations, memberships and CRESS
verification."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import join_requests, return_to
from .access import cress_staff_required, get_organisation_for_user, may_name_administrators
from .confirmation import (
    RESENDS_PER_HOUR,
    LinkState,
    confirm_email,
    confirmation_token_generator,
    send_confirmation_link,
    take_resend_slot,
    user_from_uidb64,
)
from .forms import OrganisationForm, OrganisationSearchForm, ProfileForm, SignUpForm
from .models import Membership, Organisation, can_receive_invitees
from .throttling import take_signup_slot

SIGNUP_LIMIT_REACHED = gettext_lazy(
    "Trop de comptes ont été créés depuis votre adresse dans l'heure : réessayez plus tard."
)


def signup(request):
    """Create an account, e-mail it the confirmation link and log the person in: until they
    follow the link, the account can only wait on the confirmation page
    (accounts.middleware.EmailConfirmationMiddleware)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    return create_account(request, form, "accounts/signup.html", {"form": form})


def create_account(request, form, template, context, attach=None):
    """The sign-up's steps, shared with the invited sign-up (accounts.views_invitations): the
    form, the hourly limit, the account and its consent, then `attach(user)` in the same
    transaction (an exception there undoes the account too), the confirmation link when the
    address is not confirmed yet, the log-in. The form page again while anything is missing."""
    if request.method == "POST" and form.is_valid():
        if not take_signup_slot(request):
            form.add_error(None, SIGNUP_LIMIT_REACHED)
            return render(request, template, context, status=429)
        with transaction.atomic():
            user = form.save()
            if attach is not None:
                attach(user)
            if user.email_confirmed_at is None:
                way_back = request.POST.get("next") or request.GET.get("next")
                send_confirmation_link(user, return_to.safe_next(request, way_back))
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.email_confirmed_at is None:
            return redirect("email_confirmation_required")
        return redirect("home")
    return render(request, template, context)


def _confirmation_page(request, status=200, error=""):
    return render(
        request,
        "accounts/email_confirmation_required.html",
        {"days": settings.EMAIL_CONFIRMATION_DAYS, "error": error},
        status=status,
    )


@login_required
def email_confirmation_required(request):
    """« Confirmez votre adresse e-mail »: where an unconfirmed account is sent from any page."""
    if request.user.email_confirmed_at is not None:
        return redirect("home")
    return _confirmation_page(request)


@require_POST
@login_required
def email_confirmation_resend(request):
    """Send the link again (lost, expired), RESENDS_PER_HOUR times an hour at most."""
    if request.user.email_confirmed_at is not None:
        return redirect("home")
    if not take_resend_slot(request.user):
        error = _(
            "Vous avez déjà demandé %(count)s nouveaux liens dans l'heure : réessayez plus tard, "
            "et pensez à regarder dans vos courriers indésirables."
        ) % {"count": RESENDS_PER_HOUR}
        return _confirmation_page(request, status=429, error=error)
    send_confirmation_link(request.user, return_to.peek(request))
    messages.success(
        request,
        _("Un nouveau lien vient d'être envoyé à %(email)s.") % {"email": request.user.email},
    )
    return redirect("email_confirmation_required")


def email_confirm(request, uidb64, token):
    """Follow the link, then press « Confirmer mon adresse »: the address is confirmed, whether
    the person is logged in or not. Opening the link (GET) changes nothing, so the programs
    that scan links in incoming mail do not confirm accounts on the owner's behalf.

    A link expired, tampered with, already used or sent to an address since changed gets a
    page that says how to get a new one (400), never an error.
    """
    user = user_from_uidb64(uidb64)
    state = LinkState.INVALID
    if user is not None:
        state = confirmation_token_generator.token_state(user, token)
    if state is not LinkState.VALID:
        # A used link (or any, once confirmed) tells that there is nothing left to do; still
        # a 400, as every link that confirms nothing.
        already = user is not None and user.email_confirmed_at is not None
        return render(
            request,
            "accounts/email_confirm_invalid.html",
            {"expired": state is LinkState.EXPIRED, "already_confirmed": already},
            status=400,
        )
    if request.method != "POST":
        return render(request, "accounts/email_confirm.html", {"person": user})
    confirm_email(user)
    # The page signed up from: kept in this browser's session, and in the link for another.
    in_link = return_to.safe_next(request, request.GET.get("next"))
    if request.user == user:
        # One who joined by a shareable invitation link before confirming is attached already.
        if user.memberships.active().exists():
            messages.success(request, _("Votre adresse e-mail est confirmée."))
        else:
            messages.success(
                request,
                _(
                    "Votre adresse e-mail est confirmée. Rattachez-vous maintenant à votre "
                    "structure."
                ),
            )
        return redirect(return_to.take(request) or in_link or "home")
    messages.success(
        request, _("L'adresse %(email)s est confirmée : connectez-vous.") % {"email": user.email}
    )
    return redirect(reverse("login") + ("?" + urlencode({"next": in_link}) if in_link else ""))


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Votre profil a été mis à jour."))
        return redirect("profile")
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
def organisation_create(request):
    """Register a structure; its creator becomes its first administrator."""
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            organisation = form.save()
            Membership.objects.create(
                user=request.user,
                organisation=organisation,
                role=Membership.Role.ADMIN,
                status=Membership.Status.ACTIVE,
            )
        messages.success(
            request,
            _("La structure est enregistrée. La CRESS va vérifier ses identifiants."),
        )
        return redirect(organisation)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


def no_administrator_message(organisation):
    """Why nobody can be asked to join `organisation`, and what to do instead: an employer's
    referent invites (accounts.views_invitations), the CRESS helps anyone."""
    if organisation.kind in (Organisation.Kind.COMPANY, Organisation.Kind.PUBLIC_BODY):
        text = _(
            "%(name)s n'a pas encore d'administrateur ni d'administratrice pour accepter votre "
            "demande : demandez à votre employeur de vous inviter (un référent peut vous "
            "envoyer une invitation), ou écrivez à la CRESS."
        )
    else:
        text = _(
            "%(name)s n'a pas encore d'administrateur ni d'administratrice pour accepter votre "
            "demande : écrivez à la CRESS."
        )
    return text % {"name": organisation.name}


@login_required
def organisation_join(request):
    """Find a structure and ask to join it; its administrators, told by e-mail, answer.

    A safe `next` (the need the person came from) is carried through the search and the
    request, and followed once asked; without it, home, where the request shows as waiting.
    """
    way_back = return_to.safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = OrganisationSearchForm(request.GET or None)
    results = Organisation.objects.none()
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        results = (
            Organisation.objects.joinable()
            .filter(Q(name__icontains=q) | Q(siren=q) | Q(rna__iexact=q))
            .annotate(answerable=join_requests.answerable())
            .order_by("name")[:20]
        )
        for organisation in results:  # evaluated here: the page shows these
            if not organisation.answerable:
                organisation.unanswerable_because = no_administrator_message(organisation)
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        if not chosen.isdigit():
            raise Http404
        organisation = get_object_or_404(Organisation.objects.joinable(), pk=chosen)
        try:
            _membership, created = join_requests.ask(request.user, organisation)
        except join_requests.NoAdministrator:
            messages.error(request, no_administrator_message(organisation))
            query = {"q": organisation.name, **({"next": way_back} if way_back else {})}
            return redirect(reverse("organisation_join") + "?" + urlencode(query))
        if created:
            messages.success(
                request,
                _(
                    "Votre demande est envoyée aux administrateurs de %(name)s. Elle attend leur "
                    "réponse : vous recevrez un e-mail dès qu'ils auront répondu."
                )
                % {"name": organisation.name},
            )
        else:
            messages.info(request, _("Vous avez déjà demandé à rejoindre cette structure."))
        return redirect(way_back or "home")
    return render(
        request,
        "accounts/organisation_join.html",
        {"form": form, "results": results, "next": way_back},
    )


@login_required
def organisation_detail(request, pk):
    """The structure and its members: every member sees names; e-mail addresses are for its
    administrators and CRESS staff, join requests for the administrators who decide on them."""
    organisation = get_organisation_for_user(request, pk)
    is_admin = request.user.is_admin_of(organisation)
    memberships = list(organisation.memberships.for_members_page(with_requests=is_admin))
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "is_admin": is_admin,
            "may_name_administrators": may_name_administrators(request.user, organisation),
            "has_administrator": any(
                m.role == Membership.Role.ADMIN and m.status == Membership.Status.ACTIVE
                for m in memberships
            ),
            # The invitation pages' own rule (accounts.views_invitations.referent_view).
            "can_invite": is_admin and can_receive_invitees(organisation),
            "is_member": request.user.is_member_of(organisation),
            "show_emails": is_admin or request.user.is_cress_staff,
        },
    )


@login_required
def organisation_edit(request, pk):
    """Administrators edit their structure; new identifiers must be verified again."""
    organisation = get_organisation_for_user(request, pk, manage=True)
    before = Organisation.objects.get(pk=organisation.pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        if organisation.identifiers_differ_from(before) and organisation.is_verified:
            organisation.status = Organisation.Status.REGISTERED
            messages.warning(
                request,
                _("Les identifiants ont changé : la CRESS doit vérifier la structure à nouveau."),
            )
        organisation.save()
        messages.success(request, _("La structure a été mise à jour."))
        return redirect(organisation)
    return render(
        request,
        "accounts/organisation_form.html",
        {"form": form, "organisation": organisation, "creating": False},
    )


@require_POST
@login_required
def membership_make_admin(request, pk, membership_pk):
    """An active member named administrator, by an administrator or CRESS staff; not while
    their address is unconfirmed."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not may_name_administrators(request.user, organisation):
        if request.user.is_member_of(organisation) or request.user.is_cress_staff:
            raise PermissionDenied
        raise Http404
    membership = get_object_or_404(
        organisation.memberships.active().select_related("user"), pk=membership_pk
    )
    if membership.user.email_confirmed_at is None:
        # Joined by a shareable link, the address not proven theirs yet: it would receive the
        # structure's join requests to answer.
        messages.error(
            request,
            _(
                "%(name)s n'a pas encore confirmé son adresse e-mail : vous pourrez le ou la "
                "nommer administratrice ou administrateur une fois l'adresse confirmée."
            )
            % {"name": membership.user},
        )
        return redirect(organisation)
    from probono.celery import enqueue_after_commit

    from .tasks import send_named_administrator_email

    Membership.objects.filter(pk=membership.pk).update(role=Membership.Role.ADMIN)
    enqueue_after_commit(send_named_administrator_email, membership.pk)
    messages.success(
        request,
        _("%(name)s est maintenant administratrice ou administrateur de %(structure)s.")
        % {"name": membership.user, "structure": organisation.name},
    )
    return redirect(organisation)


@require_POST
@login_required
def membership_decide(request, pk, membership_pk, decision):
    """An administrator accepts or refuses a request to join their structure; the person who
    asked is told by e-mail."""
    organisation = get_organisation_for_user(request, pk, manage=True)
    membership = get_object_or_404(
        organisation.memberships.pending().select_related("user"), pk=membership_pk
    )
    # Administrators see requesters' e-mails, so a request without a name is named by it.
    name = membership.user.get_full_name() or membership.user.email
    if not join_requests.answer(membership, accept=decision == "approve"):
        messages.info(request, _("Cette demande a déjà reçu une réponse."))
    elif decision == "approve":
        messages.success(request, _("%(name)s a rejoint la structure.") % {"name": name})
    else:
        messages.info(request, _("La demande de %(name)s a été refusée.") % {"name": name})
    return redirect(organisation)


@cress_staff_required
def verification_list(request):
    """CRESS staff: structures awaiting verification first, then the others."""
    page = Paginator(Organisation.objects.for_verification_page(), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/verification_list.html", {"page": page})


@require_POST
@cress_staff_required
def organisation_set_status(request, pk, status):
    organisation = get_object_or_404(
        Organisation.objects.exclude(kind=Organisation.Kind.CRESS), pk=pk
    )
    # A territorial reviewer acts only in their départements, as for their notes.
    if not request.user.reviews(organisation.departement):
        raise Http404
    organisation.set_status(status, by=request.user)
    messages.success(
        request,
        _("%(name)s : %(status)s.")
        % {"name": organisation.name, "status": organisation.get_status_display()},
    )
    return redirect("verification_list")
