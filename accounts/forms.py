"""Forms for accounts and organisations: they turn input into clean data, in French."""

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .communes import communes_of
from .departements import label as departement_label
from .models import Consent, Organisation, User
from .throttling import take_reset_slot
from .validators import normalise_identifier


def without_autofocus(form):
    """Django's auth forms focus their first field on arrival; ours leave the focus where the
    page starts, so that the first Tab reaches the skip link and the header, as elsewhere
    (RGAA: no unexpected change of focus)."""
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)


class SignUpForm(UserCreationForm):
    """Sign-up with an e-mail address, a name, a password checked by the validators, and the
    person's agreement to the privacy notice, recorded with its version (GDPR art. 7)."""

    privacy_consent = forms.BooleanField(
        # « I have read », not « I agree that Probono processes my data »: the legal bases are
        # the service, legal obligations and legitimate interest (GDPR 6.1.b, c, f), not
        # consent; what is recorded is that this version of the notice was shown and read.
        label=_("J'ai lu la politique de confidentialité de Probono"),
        error_messages={
            "required": _(
                "Cochez cette case pour créer votre compte : elle indique que vous avez lu la "
                "politique de confidentialité."
            )
        },
    )

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        without_autofocus(self)
        # A new tab: following the link in this one would lose what was typed.
        self.fields["privacy_consent"].help_text = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("privacy"),
            gettext("Lire la politique de confidentialité (nouvel onglet)"),
        )

    def save(self, commit=True):
        """The account, unconfirmed, and the consent to the notice's current version: both or
        neither."""
        if not commit:
            return super().save(commit=False)
        with transaction.atomic():
            user = super().save()
            Consent.objects.create(user=user, version=settings.PRIVACY_NOTICE_VERSION)
        return user

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou "
                    "réinitialisez votre mot de passe."
                ),
                code="duplicate_email",
            )
        return email


class EmailAuthenticationForm(AuthenticationForm):
    """Log-in by e-mail, whatever the case people type it in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's French text has a typo and claims the e-mail is case-sensitive; it is not here.
        "invalid_login": _(
            "Adresse e-mail ou mot de passe incorrect. Le mot de passe tient compte des "
            "majuscules et minuscules."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_autofocus(self)

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


def delete_api_token(user):
    """A new password ends the API token made with the old one (it was worth the password)."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()


class SitePasswordResetForm(PasswordResetForm):
    """Django's reset request, whose e-mailed link points to our own site (SITE_URL) rather
    than to the host the request named (any of ALLOWED_HOSTS).

    Limited per e-mail address and per client address (accounts.throttling.take_reset_slot):
    beyond, nothing is sent, and the answer is the same « e-mail sent » page, so that it tells
    nobody whether an account exists or the limit is reached.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's French says « Courriel »; every other page says « Adresse e-mail ».
        self.fields["email"].label = _("Adresse e-mail")

    def save(self, **kwargs):
        if not take_reset_slot(kwargs["request"], self.cleaned_data["email"]):
            return None
        site = urlsplit(settings.SITE_URL)
        kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        # The e-mail says how long its link is valid (at least a day: Django counts in seconds).
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
        kwargs["extra_email_context"] = {**(kwargs.get("extra_email_context") or {}), "days": days}
        return super().save(**kwargs)


class ConfirmingSetPasswordForm(SetPasswordForm):
    """The new password chosen through a reset link. The link went to the account's address,
    so following it proves the address too: an unconfirmed account is confirmed. The person's
    API token is deleted."""

    def save(self, commit=True):
        if self.user.email_confirmed_at is None:
            self.user.email_confirmed_at = timezone.now()
        user = super().save(commit=commit)
        if commit:
            delete_api_token(user)
        return user


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, whose old password is checked through authenticate(), so
    that wrong ones count towards the log-in throttling (django-axes) and a lock-out refuses
    the right one (429), as on the log-in page. The person's API token is deleted."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)
        without_autofocus(self)

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        checked = authenticate(self.request, username=self.user.email, password=old_password)
        if checked is None or checked.pk != self.user.pk:
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            delete_api_token(user)
        return user


class TokenEndingAdminPasswordChangeForm(AdminPasswordChangeForm):
    """The admin's « set a password » for someone: their API token is deleted too."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            delete_api_token(user)
        return user


class PasswordAgainForm(forms.Form):
    """The password again before a serious step: a session left open is not enough.
    Checked through authenticate(), so wrong ones count towards the log-in throttling
    (django-axes) like on the log-in page. ``wrong_password`` says what was not done."""

    wrong_password = _("Mot de passe incorrect.")

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.email, password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(self.wrong_password)
        return password


class TokenPasswordForm(PasswordAgainForm):
    """The password again before an API token is made."""

    wrong_password = _("Mot de passe incorrect : aucun jeton n'a été créé.")

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["password"].error_messages["required"] = _(
            "Saisissez votre mot de passe pour créer un jeton."
        )


class ProfileForm(forms.ModelForm):
    """A person's name and phone; the name is required: it is how other members see them.

    The e-mail address is not editable here: a new one would have to be confirmed again.
    Staff change it in the admin, where the confirmation link already sent dies with it.
    """

    class Meta:
        model = User
        fields = ("first_name", "last_name", "phone")
        labels = {"first_name": _("Prénom"), "last_name": _("Nom")}
        error_messages = {
            "first_name": {"required": _("Indiquez votre prénom.")},
            "last_name": {"required": _("Indiquez votre nom.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class IdentifierField(forms.CharField):
    """A legal identifier, with the spaces and dots people type removed before validation."""

    def to_python(self, value):
        return normalise_identifier(super().to_python(value))


class OrganisationForm(forms.ModelForm):
    """Registering or editing a structure; the CRESS itself is not registered this way.

    People give the postcode, then pick the commune among the postcode's (no INSEE code to know);
    the département follows the commune. Without JavaScript: a postcode of one commune takes it,
    a postcode of several re-displays the form with a list of them.
    """

    # A website typed without a scheme is taken as https (Django 6's default, chosen now).
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    # Checked in clean() against the postcode's communes, whatever the postcode posted with it.
    commune = forms.CharField(label=_("Commune"), required=False)

    class Meta:
        model = Organisation
        fields = (
            "kind", "name", "legal_form", "siren", "siret", "rna",
            "street_address", "postcode", "commune", "website", "description",
        )  # fmt: skip
        field_classes = {"siren": IdentifierField, "siret": IdentifierField, "rna": IdentifierField}
        help_texts = {
            "siren": _("9 chiffres, ex. 732 829 320."),
            "siret": _("14 chiffres, ex. 732 829 320 00074."),
            "rna": _("Pour une association : W suivi de 9 chiffres."),
            "legal_form": _(
                "Ex. SAS, SARL, SCOP, association loi 1901 : elle figure sur les reçus de mécénat."
            ),
            "street_address": _(
                "Numéro et voie, ex. 12 rue des Arts : elle figure sur les reçus de mécénat."
            ),
            "postcode": _(
                "Si ce code postal dessert plusieurs communes, la liste vous en est proposée."
            ),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            choice for choice in self.fields["kind"].choices if choice[0] != Organisation.Kind.CRESS
        ]
        self.fields["street_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["postcode"].widget.attrs.update(
            {"inputmode": "numeric", "maxlength": 5, "autocomplete": "postal-code"}
        )
        if self.is_bound:
            postcode = (self.data.get(self.add_prefix("postcode")) or "").strip()
        else:
            postcode = self.instance.postcode
        self.fields["commune"].widget = self.commune_widget(communes_of(postcode))

    @staticmethod
    def commune_widget(communes):
        """A list of the postcode's communes when there is a choice to make, else hidden."""
        if len(communes) < 2:
            return forms.HiddenInput()
        several_departements = len({commune.departement for commune in communes}) > 1
        choices = [("", _("Choisissez la commune"))]
        for commune in communes:
            name = commune.name
            if several_departements:
                name = f"{name} ({departement_label(commune.departement)})"
            choices.append((commune.insee, name))
        return forms.Select(choices=choices)

    def clean(self):
        """The commune is one of the postcode's (the only one, or the one chosen)."""
        cleaned_data = super().clean()
        communes = communes_of(cleaned_data.get("postcode") or "")
        if not communes:
            return cleaned_data  # An unknown postcode: the model's validator says so.
        chosen = next((c for c in communes if c.insee == cleaned_data.get("commune")), None)
        if chosen is None and len(communes) == 1:
            chosen = communes[0]
        if chosen is None:
            self.add_error(
                "commune", _("Ce code postal couvre plusieurs communes : choisissez la vôtre.")
            )
            return cleaned_data
        cleaned_data["commune"] = chosen.insee
        self.instance.departement = chosen.departement
        return cleaned_data


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(label=_("Nom, SIREN ou RNA"), required=False, max_length=100)
