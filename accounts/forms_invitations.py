"""Forms of invitations: a list of addresses pasted or a CSV file, a link's life, and the
sign-up of an invited person. They read input into clean data; views_invitations decides."""

import csv
import io
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import SignUpForm
from .models import LINK_DAYS_CHOICES

BATCH_CAP = 200  # addresses per sending: a department's list, not a whole company's file
CSV_MAX_BYTES = 1_000_000
# The header a CSV's address column may carry (lower-cased, accents kept).
ADDRESS_HEADERS = {"email", "e-mail", "mail", "courriel", "adresse", "adresse e-mail",
                   "adresse email", "adresse mail", "e-mail address", "email address"}  # fmt: skip
SEPARATORS = re.compile(r"[\n\r,;]+")
NAMED_ADDRESS = re.compile(r"<([^<>]*)>\s*$")


@dataclass(frozen=True)
class Entry:
    """One address as given: where it came from (for the report) and the text read."""

    source: str  # "Ligne 3 du fichier", or "" for a pasted address
    text: str


def address_of(text):
    """The address in « Name <addr> » or in a bare address, lower-cased, or None."""
    text = text.strip().strip('"').strip()
    named = NAMED_ADDRESS.search(text)
    if named:
        text = named.group(1).strip()
    text = text.lower()
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text


def entries_from_paste(pasted):
    """One entry per address: lines, commas or semicolons separate them."""
    return [Entry("", piece.strip()) for piece in SEPARATORS.split(pasted) if piece.strip()]


def read_csv(data):
    """The entries of a CSV file's address column, each with the line it starts on.

    UTF-8, with or without a byte order mark (Excel's « CSV UTF-8 » writes one), else
    Windows-1252 (the French Excel's plain « CSV (séparateur : point-virgule) »); `;` or `,`,
    whichever the first line has more of. The column is the one whose header names an
    address (« email », « courriel »…), else the first holding an @ on the first line that
    has one. A first line that is a header is skipped, and so are rows with no address in
    that column: a blank row, or a colleague listed without one, is nothing to report.
    """
    text = _decode(data)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    # newline="": the csv module's own reading of line ends (\r\n, \n, an old Mac's \r).
    # strict: a quote still open at the end of the file is an error; without it, the rest of
    # a small file was silently read as one cell and its addresses lost.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, read_up_to = [], 0
    try:
        for row in reader:
            # A quoted cell may span lines: a row starts on the line after the last one read.
            rows.append((read_up_to + 1, row))
            read_up_to = reader.line_num
    except csv.Error:  # a quote left open, or a field beyond the csv module's limit
        raise ValidationError(
            _(
                "Le fichier CSV n'a pas pu être lu (un guillemet non fermé ?) : vérifiez-le "
                "dans votre tableur ou collez les adresses dans la zone de texte."
            ),
            code="unreadable",
        ) from None
    column, header = _address_column(rows)
    entries = []
    for number, row in rows:
        cell = row[column].strip() if column < len(row) else ""
        if number == header or not cell:
            continue
        source = gettext("Ligne %(number)s du fichier") % {"number": number}
        entries.append(Entry(source, cell))
    return entries


def _decode(data):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        _(
            "Le fichier n'est pas encodé en UTF-8 : dans votre tableur, enregistrez-le au "
            "format « CSV UTF-8 »."
        ),
        code="encoding",
    )


def _address_column(rows):
    """(the address column, the header's line number or 0), from (line, cells) rows."""
    for number, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        names = [cell.strip().lower() for cell in row]
        for column, name in enumerate(names):
            if name in ADDRESS_HEADERS:
                return column, number
        break
    for _number, row in rows:
        for column, cell in enumerate(row):
            if "@" in cell:
                return column, 0
    return 0, 0


class InvitationBatchForm(forms.Form):
    """Colleagues' addresses pasted, or a CSV file of them, or both: at most BATCH_CAP."""

    addresses = forms.CharField(
        label=_("Adresses e-mail de vos collègues"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        # Escaped: help texts are rendered as HTML (templates/includes/_form.html), where
        # <adresse> would be an unknown tag, and vanish.
        help_text=escape(
            _(
                "Une adresse par ligne, ou séparées par des virgules ou des points-virgules. "
                "« Prénom Nom <adresse> » est accepté."
            )
        ),
    )
    csv_file = forms.FileField(
        label=_("Ou un fichier CSV"),
        required=False,
        help_text=_(
            "Une colonne d'adresses (titrée « email » ou « courriel », ou non), séparateur "
            "« ; » ou « , », enregistré en « CSV UTF-8 » ou en CSV simple depuis Excel."
        ),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data.get("csv_file")
        if not upload:
            return []
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(
                _("Le fichier dépasse 1 Mo : envoyez la liste en plusieurs fois."),
                code="too_big",
            )
        return read_csv(upload.read())

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        entries = entries_from_paste(cleaned_data.get("addresses") or "")
        entries += cleaned_data.get("csv_file") or []
        if not entries:
            raise ValidationError(
                _("Collez au moins une adresse, ou joignez un fichier CSV."), code="empty"
            )
        if len(entries) > BATCH_CAP:
            raise ValidationError(
                _(
                    "Au plus %(cap)s adresses par envoi : la liste en compte %(count)s. "
                    "Envoyez-la en plusieurs fois."
                ),
                code="cap",
                params={"cap": BATCH_CAP, "count": len(entries)},
            )
        cleaned_data["entries"] = entries
        return cleaned_data


class InvitationLinkForm(forms.Form):
    """A shareable link's life."""

    days = forms.TypedChoiceField(label=_("Durée de validité du lien"), coerce=int, initial=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [
            (days, gettext("%(days)s jours") % {"days": days}) for days in LINK_DAYS_CHOICES
        ]


class InvitedSignUpForm(SignUpForm):
    """The sign-up form, as it is, for an invited person; an e-mail invitation fixes the
    address (the one it was sent to, which following it proves)."""

    def __init__(self, *args, fixed_email=None, **kwargs):
        super().__init__(*args, **kwargs)
        if fixed_email:
            field = self.fields["email"]
            field.initial = fixed_email
            field.disabled = True
            field.help_text = _("L'adresse à laquelle l'invitation a été envoyée.")
