"""Forms of need templates: the staff's template and its questions, and a member's answers."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import MAX_NEED_HOURS, SkillChoiceField, check_format_and_skills, hours_field
from .models import Need, NeedTemplate, NeedTemplateQuestion, Skill

MAX_QUESTIONS = 5
SHORT_ANSWER = 200
LONG_ANSWER = 2000


class NeedTemplateForm(forms.ModelForm):
    """A template as CRESS staff write it; its hours follow the need form's rules."""

    main_skill = SkillChoiceField(label=gettext_lazy("Compétence principale"))
    secondary_skills = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Compétences complémentaires"),
        queryset=Skill.objects.for_pickers(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    estimated_hours = hours_field(
        gettext_lazy("Nombre d'heures estimé"),
        MAX_NEED_HOURS,
        gettext_lazy("Indiquez entre 1 et {max} heures."),
        gettext_lazy("Le temps total habituel du ou de la bénévole."),
    )
    period_weeks = forms.IntegerField(
        label=gettext_lazy("Durée de la période (semaines)"),
        min_value=1,
        max_value=52,
        help_text=gettext_lazy("Sert à proposer les dates du besoin."),
        error_messages={
            "min_value": gettext_lazy("Indiquez entre 1 et 52 semaines."),
            "max_value": gettext_lazy("Indiquez entre 1 et 52 semaines."),
        },
    )

    class Meta:
        model = NeedTemplate
        fields = (
            "title_fr", "title_en", "main_skill", "secondary_skills", "explanation_fr",
            "explanation_en", "deliverables_fr", "deliverables_en", "prerequisites_fr",
            "prerequisites_en", "format", "estimated_hours", "period_weeks", "remote_ok",
            "position", "is_active",
        )  # fmt: skip
        widgets = {
            "format": forms.RadioSelect,
            "explanation_fr": forms.Textarea(attrs={"rows": 4}),
            "explanation_en": forms.Textarea(attrs={"rows": 4}),
            "deliverables_fr": forms.Textarea(attrs={"rows": 4}),
            "deliverables_en": forms.Textarea(attrs={"rows": 4}),
            "prerequisites_fr": forms.Textarea(attrs={"rows": 3}),
            "prerequisites_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = Need.Format.choices
        skills = list(Skill.objects.for_pickers())
        self.fields["secondary_skills"].choices = [(s.pk, s.name) for s in skills]

    def clean(self):
        cleaned = super().clean()
        return check_format_and_skills(self, cleaned)

    def save(self, commit=True):
        template = super().save(commit=False)
        if not template.code:
            template.code = unique_code(self.cleaned_data["title_fr"])
        if commit:
            template.save()
            self.save_m2m()
        return template


def unique_code(title):
    """A code for a template staff create: the loader finds shipped templates by theirs."""
    base = slugify(title)[:40] or "modele"
    code, n = base, 2
    while NeedTemplate.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


class QuestionForm(forms.ModelForm):
    class Meta:
        model = NeedTemplateQuestion
        fields = (
            "label_fr", "label_en", "help_fr", "help_en", "kind", "choices_fr", "choices_en",
            "required", "position",
        )  # fmt: skip
        widgets = {
            "choices_fr": forms.Textarea(attrs={"rows": 3}),
            "choices_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        """English choices, when given, match the French ones one for one: an English reader
        picks among the same answers (the need's description keeps the one chosen)."""
        cleaned = super().clean()
        if cleaned.get("kind") == NeedTemplateQuestion.Kind.CHOICE:
            french, english = (_lines(cleaned.get(f"choices_{code}")) for code in ("fr", "en"))
            if english and len(english) != len(french):
                self.add_error(
                    "choices_en",
                    _(
                        "Donnez autant de choix en anglais qu'en français (%(count)s), dans le "
                        "même ordre, ou aucun."
                    )
                    % {"count": len(french)},
                )
        return cleaned


def _lines(text):
    """The non-blank lines of a text area, as the question reads its choices."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BaseQuestionFormSet(BaseInlineFormSet):
    """One to five questions: enough to write the need, few enough to answer in minutes."""

    def clean(self):
        super().clean()
        # An extra row left empty has no cleaned data; a row ticked « Supprimer » does not count.
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError(_("Posez au moins une question."))
        if len(kept) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Posez au plus %(max)s questions : au-delà, la structure se décourage.")
                % {"max": MAX_QUESTIONS}
            )


QuestionFormSet = inlineformset_factory(
    NeedTemplate,
    NeedTemplateQuestion,
    form=QuestionForm,
    formset=BaseQuestionFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_QUESTIONS + 2,
)


class GuidedAnswersForm(forms.Form):
    """The template's questions, one field each, in the page's language."""

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        for question in template.questions.all():
            self.fields[answer_field(question)] = answer_form_field(question)

    def answers(self):
        """(question, answer) pairs of the questions answered, in their order."""
        return [
            (question.label, self.cleaned_data[answer_field(question)].strip())
            for question in self.template.questions.all()
            if self.cleaned_data.get(answer_field(question), "").strip()
        ]


def answer_field(question):
    return f"answer_{question.pk}"


def answer_form_field(question):
    common = {"label": question.label, "help_text": question.help, "required": question.required}
    if question.kind == NeedTemplateQuestion.Kind.CHOICE:
        choices = [(choice, choice) for choice in question.choices]
        if not question.required:
            choices.append(("", _("Je préfère ne pas répondre")))
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == NeedTemplateQuestion.Kind.LONG:
        return forms.CharField(
            max_length=LONG_ANSWER, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    return forms.CharField(max_length=SHORT_ANSWER, **common)


def compose_description(template, answers):
    """The need's description: the template's explanation, deliverables, prerequisites and
    the structure's answers, as plain readable text the structure can edit afterwards."""
    parts = [template.explanation.strip()]
    if template.deliverables:
        lines = "\n".join(f"- {item}" for item in template.deliverables)
        parts.append(f"{_('Ce que nous attendons :')}\n{lines}")
    if template.prerequisites:
        lines = "\n".join(f"- {item}" for item in template.prerequisites)
        parts.append(f"{_('Ce que nous préparons de notre côté :')}\n{lines}")
    parts += [f"{label}\n{answer}" for label, answer in answers]
    return "\n\n".join(parts)
