"""Views for sign-up, profile, organisations, memberships and CRESS verification."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .access import cress_staff_required, get_organisation_for_user
from .forms import OrganisationForm, OrganisationSearchForm, ProfileForm, SignUpForm
from .models import Membership, Organisation
from .throttling import take_signup_slot

SIGNUP_LIMIT_REACHED = gettext_lazy(
    "Trop de comptes ont été créés depuis votre adresse dans l'heure : réessayez plus tard."
)


def signup(request):
    """Create an account and log the person in straight away."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not take_signup_slot(request):
            form.add_error(None, SIGNUP_LIMIT_REACHED)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, _("Bienvenue sur Probono ! Rattachez-vous maintenant à votre structure.")
        )
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


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


@login_required
def organisation_join(request):
    """Find a structure and ask to join it; its administrators approve the request."""
    form = OrganisationSearchForm(request.GET or None)
    results = Organisation.objects.none()
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"].strip()
        results = (
            Organisation.objects.joinable()
            .filter(Q(name__icontains=q) | Q(siren=q) | Q(rna__iexact=q))
            .order_by("name")[:20]
        )
    if request.method == "POST":
        chosen = request.POST.get("organisation", "")
        if not chosen.isdigit():
            raise Http404
        organisation = get_object_or_404(Organisation.objects.joinable(), pk=chosen)
        _membership, created = Membership.objects.get_or_create(
            user=request.user, organisation=organisation
        )
        if created:
            messages.success(
                request,
                _("Votre demande a été envoyée aux administrateurs de %(name)s.")
                % {"name": organisation.name},
            )
        else:
            messages.info(request, _("Vous avez déjà demandé à rejoindre cette structure."))
        return redirect("home")
    return render(request, "accounts/organisation_join.html", {"form": form, "results": results})


@login_required
def organisation_detail(request, pk):
    """The structure and its members: every member sees names; e-mail addresses are for its
    administrators and CRESS staff, join requests for the administrators who decide on them."""
    organisation = get_organisation_for_user(request, pk)
    is_admin = request.user.is_admin_of(organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.for_members_page(with_requests=is_admin),
            "is_admin": is_admin,
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
def membership_decide(request, pk, membership_pk, decision):
    """An administrator accepts or refuses a request to join their structure."""
    organisation = get_organisation_for_user(request, pk, manage=True)
    membership = get_object_or_404(
        organisation.memberships.pending().select_related("user"), pk=membership_pk
    )
    # Administrators see requesters' e-mails, so a request without a name is named by it.
    name = membership.user.get_full_name() or membership.user.email
    if decision == "approve":
        membership.approve()
        messages.success(request, _("%(name)s a rejoint la structure.") % {"name": name})
    else:
        membership.delete()
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
    organisation.set_status(status, by=request.user)
    messages.success(
        request,
        _("%(name)s : %(status)s.")
        % {"name": organisation.name, "status": organisation.get_status_display()},
    )
    return redirect("verification_list")
