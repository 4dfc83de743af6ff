from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import (
    ConfirmingSetPasswordForm,
    EmailAuthenticationForm,
    SitePasswordResetForm,
    ThrottledPasswordChangeForm,
)
from .models import Organisation

Status = Organisation.Status


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, handing the request to the form: its old password goes through authenticate()."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


urlpatterns = [
    path(
        "compte/connexion/",
        auth_views.LoginView.as_view(authentication_form=EmailAuthenticationForm),
        name="login",
    ),
    path("compte/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "compte/mot-de-passe/",
        PasswordChangeView.as_view(form_class=ThrottledPasswordChangeForm),
        name="password_change",
    ),
    path(
        "compte/mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "compte/mot-de-passe/oubli/",
        auth_views.PasswordResetView.as_view(
            form_class=SitePasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
        ),
        name="password_reset",
    ),
    path(
        "compte/mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "compte/mot-de-passe/reinitialiser/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=ConfirmingSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "compte/mot-de-passe/reinitialise/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("compte/inscription/", views.signup, name="signup"),
    path(
        "compte/confirmer-adresse/",
        views.email_confirmation_required,
        name="email_confirmation_required",
    ),
    path(
        "compte/confirmer-adresse/renvoyer/",
        views.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path(
        "compte/confirmer-adresse/<uidb64>/<token>/",
        views.email_confirm,
        name="email_confirm",
    ),
    path("compte/profil/", views.profile, name="profile"),
    path("structures/nouvelle/", views.organisation_create, name="organisation_create"),
    path("structures/rejoindre/", views.organisation_join, name="organisation_join"),
    path("structures/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("structures/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path(
        "structures/<int:pk>/demandes/<int:membership_pk>/accepter/",
        views.membership_decide,
        {"decision": "approve"},
        name="membership_approve",
    ),
    path(
        "structures/<int:pk>/demandes/<int:membership_pk>/refuser/",
        views.membership_decide,
        {"decision": "refuse"},
        name="membership_refuse",
    ),
    path(
        "structures/<int:pk>/membres/<int:membership_pk>/nommer-administrateur/",
        views.membership_make_admin,
        name="membership_make_admin",
    ),
    path("cress/verifications/", views.verification_list, name="verification_list"),
    path(
        "cress/structures/<int:pk>/verifier/",
        views.organisation_set_status,
        {"status": Status.VERIFIED},
        name="organisation_verify",
    ),
    path(
        "cress/structures/<int:pk>/suspendre/",
        views.organisation_set_status,
        {"status": Status.SUSPENDED},
        name="organisation_suspend",
    ),
]
