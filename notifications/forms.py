"""The notification preferences form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Preference


class PreferenceForm(forms.ModelForm):
    """Immediate e-mails or one daily digest."""

    class Meta:
        model = Preference
        fields = ["email_mode"]
        widgets = {"email_mode": forms.RadioSelect}
        labels = {"email_mode": _("Recevoir mes notifications par e-mail")}
