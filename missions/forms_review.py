"""Forms of the CRESS's review: approve, reject, bulk approve, staff notes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Review

NO_COMMERCIAL_LINK = _(
    "L'employeur du ou de la bénévole n'est ni fournisseur ni client de la structure"
)
NO_COMMERCIAL_LINK_HELP = _(
    "Le mécénat de compétences ne doit pas devenir une prestation commerciale : vérifiez-le "
    "avant d'approuver."
)
NO_COMMERCIAL_LINK_REQUIRED = _(
    "Cochez cette case pour approuver : l'employeur ne doit être ni fournisseur ni client "
    "de la structure."
)


class ApproveForm(forms.Form):
    """The approval, with the conflict check the reviewer must confirm."""

    no_commercial_link = forms.BooleanField(
        label=NO_COMMERCIAL_LINK, help_text=NO_COMMERCIAL_LINK_HELP,
        error_messages={"required": NO_COMMERCIAL_LINK_REQUIRED},
    )  # fmt: skip


class RejectForm(forms.Form):
    """A rejection: a reason from the fixed list (counted later), and free text."""

    reason = forms.ChoiceField(
        label=_("Motif du rejet"),
        choices=[("", _("Choisissez un motif"))] + Review.RejectReason.choices,
        error_messages={"required": _("Choisissez le motif du rejet.")},
    )
    comment = forms.CharField(
        label=_("Précisions"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour « Autre raison »."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("reason") == Review.RejectReason.OTHER and not data.get("comment"):
            self.add_error("comment", _("Précisez la raison du rejet."))
        return data


class ProposalIdsField(forms.Field):
    """The rows ticked in the queue: a list of ids, however many."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Sélectionnez au moins une proposition."),
        "invalid": _("La sélection n'est pas valide."),
    }

    def to_python(self, value):
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkApproveForm(forms.Form):
    """Approve the selected rows at once; one conflict check covers the whole selection."""

    proposals = ProposalIdsField(label=_("Propositions sélectionnées"))
    no_commercial_link = forms.BooleanField(
        label=_(
            "Pour chaque binôme sélectionné, l'employeur du ou de la bénévole n'est ni "
            "fournisseur ni client de la structure"
        ),
        error_messages={"required": NO_COMMERCIAL_LINK_REQUIRED},
    )


class NoteForm(forms.Form):
    """An internal note of CRESS staff: never shown outside staff."""

    text = forms.CharField(
        label=_("Note interne (visible par l'équipe de la CRESS uniquement)"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez la note.")},
    )  # fmt: skip
