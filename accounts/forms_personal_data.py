"""The form that confirms a person's own account deletion with their password."""

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _


class AccountDeleteForm(forms.Form):
    """The password again: a session left open is not enough to delete an account.

    Checked through authenticate(), so wrong passwords count towards the log-in throttling
    (django-axes) like on the log-in page.
    """

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
            raise forms.ValidationError(
                _("Mot de passe incorrect : votre compte n'a pas été supprimé.")
            )
        return password
