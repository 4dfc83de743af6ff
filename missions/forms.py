"""Forms of the two sides' steps: answers, interest, messages, hours, feedback, closing.

Forms turn input into clean data with French messages; the steps themselves are in services.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.forms import DateInput
from matching.models import Offer

from .models import Answer, Party

MINUTE_CHOICES = [(0, "0"), (15, "15"), (30, "30"), (45, "45")]
MIN_MINUTES = 15
MAX_MINUTES = 12 * 60


class AnswerForm(forms.Form):
    """One side's answer: accept, or decline with a reason from the list and free text."""

    decision = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=Answer.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Dites si vous acceptez ou déclinez.")},
    )
    reason = forms.ChoiceField(
        label=_("Si vous déclinez, pourquoi ?"),
        choices=[("", _("Choisissez une raison")), *Answer.DeclineReason.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == Answer.Decision.DECLINED and not data.get("reason"):
            self.add_error("reason", _("Choisissez la raison pour laquelle vous déclinez."))
        return data


class InterestForm(forms.Form):
    """Which of the volunteer's offers says "I'm interested"."""

    offer = forms.ModelChoiceField(
        label=_("Avec quelle offre ?"),
        queryset=Offer.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choisissez l'offre avec laquelle vous vous proposez."),
            "invalid_choice": _("Choisissez une de vos offres."),
        },
    )

    def __init__(self, *args, volunteer, **kwargs):
        super().__init__(*args, **kwargs)
        # Paused offers too: the step itself then says to resume the offer, which is clearer
        # than "not a valid choice".
        self.fields["offer"].queryset = Offer.objects.filter(volunteer=volunteer)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Écrivez un message.")},
    )


class HoursForm(forms.Form):
    """Hours as a volunteer counts them: a day, hours and minutes (by quarter), what was done."""

    day = forms.DateField(
        label=_("Date"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Indiquez la date."), "invalid": _("Date invalide.")},
    )
    hours = forms.IntegerField(
        label=_("Heures"),
        min_value=0,
        max_value=12,
        initial=1,
        error_messages={
            "required": _("Indiquez le nombre d'heures (0 si moins d'une heure)."),
            "min_value": _("Entre 0 et 12 heures."),
            "max_value": _("Entre 0 et 12 heures."),
            "invalid": _("Un nombre entier d'heures, par exemple 2."),
        },
    )
    minutes = forms.TypedChoiceField(
        label=_("Minutes"),
        choices=MINUTE_CHOICES,
        coerce=int,
        initial=0,
        error_messages={"invalid_choice": _("Choisissez 0, 15, 30 ou 45 minutes.")},
    )
    description = forms.CharField(
        label=_("Ce qui a été fait"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Dites en quelques mots ce qui a été fait.")},
    )

    def __init__(self, *args, mission, **kwargs):
        self.mission = mission
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, entry):
        return {
            "day": entry.day,
            "hours": entry.minutes // 60,
            "minutes": entry.minutes % 60,
            "description": entry.description,
        }

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("On déclare les heures une fois données : pas de date future.")
            )
        started = timezone.localdate(self.mission.started_at)
        if day < started:
            raise forms.ValidationError(
                _("La mission a commencé le %(date)s : indiquez une date à partir de celle-ci.")
                % {"date": started.strftime("%d/%m/%Y")}
            )
        return day

    def clean(self):
        data = super().clean()
        if data.get("hours") is not None and data.get("minutes") is not None:
            total = data["hours"] * 60 + data["minutes"]
            if not MIN_MINUTES <= total <= MAX_MINUTES:
                self.add_error(
                    "hours", _("Une saisie va de 15 minutes à 12 heures pour une journée.")
                )
            data["total_minutes"] = total
        return data


class HoursDecisionForm(forms.Form):
    """The structure confirms an entry, or disputes it saying what is wrong."""

    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("confirm", _("Confirmer")), ("dispute", _("Contester"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Confirmez ou contestez ces heures.")},
    )
    note = forms.CharField(
        label=_("Si vous contestez, pourquoi ?"),
        max_length=500,
        required=False,
        widget=forms.TextInput,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "dispute" and not data.get("note", "").strip():
            self.add_error("note", _("Dites ce qui ne va pas dans ces heures."))
        return data


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Votre note"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("De 1 (décevant) à 5 (excellent)."),
        error_messages={"required": _("Choisissez une note de 1 à 5.")},
    )
    comment = forms.CharField(
        label=_("Votre commentaire"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


class AbandonForm(forms.Form):
    note = forms.CharField(
        label=_("Pourquoi la mission s'arrête-t-elle ?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        error_messages={"required": _("Dites en quelques mots pourquoi la mission s'arrête.")},
    )


FEEDBACK_SIDES = (Party.ASSOCIATION, Party.VOLUNTEER)
