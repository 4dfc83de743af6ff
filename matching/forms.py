"""Forms for needs and offers: clear French errors, nothing saved half-done."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.departements import DEPARTEMENT_CHOICES, HAUTS_DE_FRANCE

from .models import Need, Offer, OfferSkill, Skill

MAX_NEED_HOURS = 200
MAX_SHORT_SESSION_HOURS = 4
MAX_HOURS_PER_MONTH = 80


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class GroupedSkillChoices(BaseChoiceIterator):
    """The field's skills grouped by domain, read from the database when iterated."""

    def __init__(self, field):
        self.field = field

    def __iter__(self):
        blank = self.field.empty_label or CHOOSE_A_SKILL
        return iter(grouped_skill_choices(self.field.queryset, blank))


class GroupedSkillChoiceField(forms.ModelChoiceField):
    """Skills in <optgroup>s by domain, named in the page's language."""

    @property
    def choices(self):
        # Lazy like Django's own ModelChoiceIterator: one query when rendered, none at import.
        return GroupedSkillChoices(self)

    @choices.setter
    def choices(self, value):
        """Choices always derive from the queryset."""

    def label_from_instance(self, skill):
        return skill.name


class SkillChoiceField(GroupedSkillChoiceField):
    """The active skills of the catalogue."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Skill.objects.for_pickers(), **kwargs)


CHOOSE_A_SKILL = _("Choisissez une compétence")


def grouped_skill_choices(skills, blank_label=CHOOSE_A_SKILL):
    """Select choices grouped by domain (<optgroup>), in catalogue order."""
    groups = {}
    for skill in skills:
        groups.setdefault(skill.domain.name, []).append((skill.pk, skill.name))
    return [("", blank_label), *groups.items()]


def hours_field(label, maximum, message, help_text=""):
    """An hours field whose every out-of-range value gets the same plain French sentence."""
    # Formatted lazily: this runs at import time, before any request chose a language.
    message = format_lazy(message, max=maximum)
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        help_text=help_text,
        error_messages={"min_value": message, "max_value": message},
    )


PUBLIC_TEXT_HELP = _(
    "Une fois le besoin publié, ce texte est visible de tous sur le web et indexé par les "
    "moteurs de recherche : n'y mettez ni nom de personne, ni adresse e-mail, ni numéro de "
    "téléphone. Les coordonnées ne sont échangées que lorsque la mission commence."
)


class NeedForm(forms.ModelForm):
    """Describe a need; the département defaults to the organisation's."""

    main_skill = SkillChoiceField(label=_("Compétence principale"))
    secondary_skills = forms.ModelMultipleChoiceField(
        label=_("Compétences complémentaires"),
        queryset=Skill.objects.for_pickers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Facultatif. Inutile d'y cocher la compétence principale."),
    )
    estimated_hours = hours_field(
        _("Nombre d'heures estimé"),
        MAX_NEED_HOURS,
        _("Indiquez entre 1 et {max} heures."),
        _("Le temps total que vous attendez du ou de la bénévole."),
    )

    class Meta:
        model = Need
        fields = (
            "title", "description", "main_skill", "secondary_skills", "departement", "remote_ok",
            "format", "estimated_hours", "wished_start", "wished_end",
        )  # fmt: skip
        widgets = {
            "wished_start": DateInput(),
            "wished_end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "format": forms.RadioSelect,
        }
        help_texts = {
            "description": PUBLIC_TEXT_HELP,
            "remote_ok": _("Cochez si l'accompagnement peut se faire en visioconférence."),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        skills = list(Skill.objects.for_pickers())
        self.fields["secondary_skills"].choices = [(s.pk, s.name) for s in skills]
        if not self.instance.pk:
            self.initial.setdefault("departement", organisation.departement)

    def save(self, commit=True):
        """Save; a new wished end on a need already saved means a new reminder before it
        (the page and the API both save through here)."""
        if self.instance.pk and "wished_end" in self.changed_data:
            self.instance.expiry_reminder_sent_at = None
        return super().save(commit)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("wished_start"), cleaned.get("wished_end")
        if start and end and end < start:
            self.add_error("wished_end", _("La fin souhaitée doit être après le début."))
        return check_format_and_skills(self, cleaned)


def check_format_and_skills(form, cleaned):
    """The rules a need and a need template share: a short session stays short, and the main
    skill is not listed again among the secondary ones."""
    hours = cleaned.get("estimated_hours")
    if (
        cleaned.get("format") == Need.Format.SHORT_SESSION
        and (hours or 0) > MAX_SHORT_SESSION_HOURS
    ):
        form.add_error(
            "estimated_hours",
            _("Une session courte dure environ deux heures : au-delà de %(max)s heures, "
              "choisissez le format « mission ».") % {"max": MAX_SHORT_SESSION_HOURS},
        )  # fmt: skip
    main = cleaned.get("main_skill")
    if main and main in (cleaned.get("secondary_skills") or []):
        cleaned["secondary_skills"] = [s for s in cleaned["secondary_skills"] if s != main]
    return cleaned


class OfferForm(forms.ModelForm):
    """A volunteer's offer; skills and levels come from the formset beside it."""

    departements = forms.MultipleChoiceField(
        label=_("Départements où vous pouvez intervenir"),
        choices=DEPARTEMENT_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    whole_region = forms.BooleanField(
        label=_("Toute la région Hauts-de-France (Aisne, Nord, Oise, Pas-de-Calais, Somme)"),
        required=False,
    )
    hours_per_month = hours_field(
        _("Heures par mois"),
        MAX_HOURS_PER_MONTH,
        _("Indiquez entre 1 et {max} heures par mois."),
        _("Le temps que vous pouvez donner chaque mois, en heures."),
    )

    class Meta:
        model = Offer
        fields = (
            "title", "description", "organisation", "engagement", "remote_ok", "hours_per_month",
            "available_from", "available_until",
        )  # fmt: skip
        widgets = {
            "available_from": DateInput(),
            "available_until": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "engagement": forms.RadioSelect,
        }
        help_texts = {
            "available_until": _("Laissez vide si vous n'avez pas de date de fin."),
        }

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = employers
        self.fields["organisation"].empty_label = None
        # Radio buttons need no "---------" choice: nothing ticked already says "not chosen".
        self.fields["engagement"].choices = Offer.Engagement.choices
        if self.instance.pk:
            self.initial["departements"] = self.instance.departement_codes()
        else:
            self.initial.setdefault("available_from", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        codes = set(cleaned.get("departements") or [])
        if cleaned.get("whole_region"):
            codes |= set(HAUTS_DE_FRANCE)
        if not codes:
            self.add_error(
                "departements",
                _("Choisissez au moins un département, ou toute la région."),
            )
        cleaned["departement_codes"] = sorted(codes)
        start, end = cleaned.get("available_from"), cleaned.get("available_until")
        if start and end and end < start:
            self.add_error(
                "available_until", _("La fin de disponibilité doit être après le début.")
            )
        return cleaned


class OfferSkillForm(forms.ModelForm):
    skill = SkillChoiceField(label=_("Compétence"))

    class Meta:
        model = OfferSkill
        fields = ("skill", "level")


class BaseOfferSkillFormSet(BaseInlineFormSet):
    """At least one skill, each skill once."""

    def clean(self):
        # Our checks first: Django's own duplicate check speaks of field names, not people.
        skills = [
            form.cleaned_data["skill"].pk
            for form in self.forms
            if form.cleaned_data.get("skill") and not form.cleaned_data.get("DELETE")
        ]
        if self.instance.pk:
            # Rows the page did not show (saved meanwhile from another tab) stay as they are.
            shown = [form.instance.pk for form in self.initial_forms]
            skills += self.instance.skills.exclude(pk__in=shown).values_list("skill", flat=True)
        if not skills:
            raise forms.ValidationError(_("Indiquez au moins une compétence."))
        if len(skills) != len(set(skills)):
            raise forms.ValidationError(_("Chaque compétence ne peut figurer qu'une fois."))
        super().clean()


OfferSkillFormSet = inlineformset_factory(
    Offer,
    OfferSkill,
    form=OfferSkillForm,
    formset=BaseOfferSkillFormSet,
    extra=3,
    can_delete=True,
    max_num=10,
)
