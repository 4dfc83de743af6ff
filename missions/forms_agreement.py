"""The form that records a mission's convention de mécénat signed, or back to sign."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.forms import DateInput


class AgreementStatusForm(forms.Form):
    """« Signée le … » (all three signed that day), or back to « à signer »."""

    SIGNED, TO_SIGN = "signed", "to_sign"
    status = forms.ChoiceField(
        choices=[
            (SIGNED, gettext_lazy("Signée par les trois parties")),
            (TO_SIGN, gettext_lazy("À signer")),
        ],
        initial=SIGNED,
        widget=forms.HiddenInput,
        error_messages={
            "required": gettext_lazy("Dites si la convention est signée."),
            "invalid_choice": gettext_lazy("Dites si la convention est signée."),
        },
    )
    signed_on = forms.DateField(
        label=gettext_lazy("Date de la dernière signature"),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": gettext_lazy("Date invalide.")},
    )

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission

    def clean(self):
        data = super().clean()
        if "status" in self._errors:  # a hidden field: its error is the form's
            self.add_error(None, self._errors.pop("status"))
            return data
        if data.get("status") != self.SIGNED or "signed_on" in self.errors:
            return data
        signed_on = data.get("signed_on")
        started = timezone.localdate(self.mission.started_at)
        if not signed_on:
            self.add_error("signed_on", _("Indiquez la date de la signature."))
        elif signed_on > timezone.localdate():
            self.add_error("signed_on", _("La date de signature ne peut pas être dans le futur."))
        elif signed_on < started:
            self.add_error(
                "signed_on",
                _("La convention porte sur cette mission : elle ne peut pas être signée avant "
                  "son début, le %(day)s.") % {"day": date_format(started, "j F Y")},
            )  # fmt: skip
        return data
