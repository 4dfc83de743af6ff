"""What CRESS staff edit: a page's texts and its sources, a question of the FAQ."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import Page, Question, Source

_TEXTAREA = {"rows": 18, "cols": 80}
_MARKDOWN_HELP = _(
    "En Markdown : ## titre, - liste, **gras**, *italique*, [texte](https://adresse), tableaux "
    "avec |. Le HTML est retiré."
)


class PageForm(forms.ModelForm):
    """A page's six texts; the date the rules were checked for a page that states rules."""

    class Meta:
        model = Page
        fields = [*Page.TEXT_FIELDS, "rules_checked_on"]
        widgets = {
            "body_fr": forms.Textarea(attrs=_TEXTAREA),
            "body_en": forms.Textarea(attrs=_TEXTAREA),
            "rules_checked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {"body_fr": _MARKDOWN_HELP, "body_en": _MARKDOWN_HELP}
        error_messages = {
            "title_fr": {"required": _("Donnez un titre en français.")},
            "summary_fr": {"required": _("Donnez un résumé en français.")},
            "body_fr": {"required": _("Le texte en français ne peut pas être vide.")},
            "rules_checked_on": {
                "invalid": _("Saisissez une date valide, par exemple 2026-01-31.")
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.states_rules:
            del self.fields["rules_checked_on"]


class SourceForm(forms.ModelForm):
    """A text the page cites: its title, link and date."""

    url = forms.URLField(
        label=_("Lien"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Saisissez une adresse web complète (https://…).")},
    )

    class Meta:
        model = Source
        fields = ["title", "url", "dated", "order"]
        widgets = {"dated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "dated": {"invalid": _("Saisissez une date valide, par exemple 2022-02-21.")},
            "title": {"required": _("Donnez l'intitulé du texte.")},
        }


SourceFormSet = inlineformset_factory(Page, Source, form=SourceForm, extra=1, can_delete=True)


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = Question.TEXT_FIELDS
        widgets = {
            "answer_fr": forms.Textarea(attrs={"rows": 6, "cols": 80}),
            "answer_en": forms.Textarea(attrs={"rows": 6, "cols": 80}),
        }
        help_texts = {"answer_fr": _MARKDOWN_HELP, "answer_en": _MARKDOWN_HELP}
        error_messages = {
            "question_fr": {"required": _("Écrivez la question en français.")},
            "answer_fr": {"required": _("Écrivez la réponse en français.")},
        }
