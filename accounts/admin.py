from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import TokenProxy

from . import personal_data
from .departements import DEPARTEMENT_CHOICES
from .forms import TokenEndingAdminPasswordChangeForm
from .models import Membership, Organisation, User


class MembershipForm(forms.ModelForm):
    """The départements a reviewer covers, picked from the list rather than typed as JSON."""

    review_departements = forms.MultipleChoiceField(
        label=_("départements relus"), choices=DEPARTEMENT_CHOICES, required=False,
        help_text=Membership._meta.get_field("review_departements").help_text,
    )  # fmt: skip

    class Meta:
        model = Membership
        fields = ["user", "role", "status", "review_departements"]

    def clean(self):
        data = super().clean()
        organisation = self.instance.organisation if self.instance.organisation_id else None
        if (
            data.get("review_departements")
            and organisation
            and organisation.kind != Organisation.Kind.CRESS
        ):
            self.add_error(
                "review_departements",
                _("Seuls les membres de la CRESS et de ses partenaires relisent des binômes."),
            )
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = TokenEndingAdminPasswordChangeForm  # deletes the API token
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name", "phone"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "password1", "password2"],
            },
        ),
    ]

    actions = ["anonymise"]

    @admin.action(description=_("Anonymiser (droit à l'effacement)"))
    def anonymise(self, request, queryset):
        """For a person who asks the CRESS to be forgotten: deleting the row is refused as
        soon as they have missions (the statistics keep them), so erase as the person's own
        « Supprimer mon compte » does."""
        done = sum(personal_data.erase(user) for user in queryset)
        message = ngettext("%(count)d compte anonymisé.", "%(count)d comptes anonymisés.", done)
        self.message_user(request, message % {"count": done})

    def save_model(self, request, obj, form, change):
        # Accounts made by staff are trusted, as those made by commands (UserManager): the
        # admin's form saves the row itself, without the manager.
        if not change and obj.email_confirmed_at is None:
            obj.email_confirmed_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "departement", "status", "created_at"]
    list_filter = ["kind", "status", "departement"]
    search_fields = ["name", "siren", "siret", "rna"]
    readonly_fields = ["status_changed_at", "status_changed_by", "created_at"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


# DRF's token admin lists every key in clear, each worth its owner's password: not shown.
# (rest_framework.authtoken comes before accounts in INSTALLED_APPS: its admin is registered.)
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
