"""What a company referent declares: each volunteer's hourly cost for a year, and the company's
turnover and other gifts of the year. Everything or nothing is saved."""

import re
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import valuation
from .models import CompanyYear, VolunteerCost

# People type amounts as they read them: « 1 200 000 », « 45,50 € », « 1 250.5 ». Nothing
# else: Decimal() alone would also take « 1e3 », « +12 », « Infinity » or Arabic-Indic digits,
# and a stripped « € » anywhere would let « € 12 » through. A leading minus is read so that a
# negative amount gets its own message (min_value) rather than a syntax one.
SPACE = "[\u0020\u00a0\u202f]"  # a space, a no-break space, a narrow no-break space
AMOUNT = re.compile(
    rf"(?P<sign>-)?"
    rf"(?P<units>[0-9]{{1,3}}(?:{SPACE}[0-9]{{3}})+|[0-9]+)"
    rf"(?:[.,](?P<decimals>[0-9]+))?"
    rf"(?:{SPACE}?€)?"
)
SPACES = re.compile(SPACE)

# The hourly cost (salary + employer charges) above which a figure is surely a mistake: at
# 1,000 €/h a full-time year (1,607 h) would cost 1.6 M€, beyond any salary a company lends
# on a pro bono mission; such a figure is a monthly or yearly cost, or a typo. The valuation
# is capped at 3 × PASS ÷ 1,607 h (about 90 €/h) anyway: this bound only catches mistakes.
MAX_HOURLY_COST = Decimal("1000")


def parse_amount(text):
    """« 1 250,50 € » → Decimal("1250.50"); None when it is not written that way."""
    match = AMOUNT.fullmatch(text.strip())
    if match is None:
        return None
    units = SPACES.sub("", match["units"])
    return Decimal(f"{match['sign'] or ''}{units}.{match['decimals'] or '0'}")


class EuroField(forms.DecimalField):
    """An amount in euros: digits, a decimal comma or point, thousands grouped by spaces and a
    final « € » allowed; shown grouped the same way (« 27 400 000,00 ») so it can be sent back
    as it is."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _(
            "Saisissez un montant en euros en chiffres, par exemple 1 250,50 ou 1250.50 € "
            "(une virgule ou un point avant les centimes, des espaces entre les milliers)."
        ),
        "max_digits": _("Ce montant est trop grand."),
        "max_whole_digits": _("Ce montant est trop grand."),
        "max_decimal_places": _("Indiquez au plus deux chiffres après la virgule."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        amount = parse_amount(str(value))
        if amount is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def prepare_value(self, value):
        """A stored amount grouped by thousands, with the reader's decimal mark; what was
        typed, as it was typed."""
        if not isinstance(value, Decimal):
            return value
        mark = "." if formats.get_format("DECIMAL_SEPARATOR") == "." else ","
        return valuation.grouped(value, self.decimal_places, mark)


def cost_field(label):
    """A volunteer's hourly cost (built with the form, in the reader's language)."""
    above_max = gettext(
        "Un coût horaire de plus de %(limit)s est sans doute une erreur : indiquez le coût "
        "d'une heure de travail (salaire et charges patronales), pas celui d'un mois ou d'une "
        "année."
    ) % {"limit": valuation.euros(MAX_HOURLY_COST, 0)}
    return EuroField(
        label=label,
        required=False,
        max_digits=8,
        min_value=Decimal("0.01"),
        max_value=MAX_HOURLY_COST,
        error_messages={
            "min_value": _("Le coût horaire doit être supérieur à zéro."),
            "max_value": above_max,
        },
    )


class VolunteerCostsForm(forms.Form):
    """One hourly cost per volunteer of the company for a year; a field sent empty means the
    cost is not declared (an earlier declaration is then withdrawn); a field not sent at all
    (a volunteer who joined since the page was shown) leaves that volunteer's cost as it is."""

    def __init__(self, *args, volunteers, declared, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteers = list(volunteers)
        for volunteer in self.volunteers:
            name = self.field_name(volunteer)
            self.fields[name] = cost_field(str(volunteer))
            self.initial.setdefault(name, declared.get(volunteer.pk))

    @staticmethod
    def field_name(volunteer):
        return f"cout_{volunteer.pk}"

    def rows(self):
        """(volunteer, bound field) pairs for the template's table."""
        return [(v, self[self.field_name(v)]) for v in self.volunteers]

    @transaction.atomic
    def save_for(self, company, year, by):
        """Write every declared cost and withdraw the emptied ones, all in one transaction."""
        sent = [v for v in self.volunteers if self.field_name(v) in self.data]
        costs = {v.pk: self.cleaned_data[self.field_name(v)] for v in sent}
        withdrawn = [pk for pk, cost in costs.items() if cost is None]
        VolunteerCost.objects.filter(company=company, year=year, volunteer__in=withdrawn).delete()
        for pk, cost in costs.items():
            if cost is not None:
                VolunteerCost.objects.update_or_create(
                    company=company, year=year, volunteer_id=pk,
                    defaults={"hourly_cost": cost, "declared_by": by},
                )  # fmt: skip


class CompanyYearForm(forms.ModelForm):
    """The company's turnover (excluding tax) and its other gifts of the year."""

    turnover = EuroField(
        label=_("Chiffre d'affaires hors taxes de l'exercice"),
        max_digits=15,
        min_value=Decimal("0"),
        error_messages={
            "required": _("Indiquez le chiffre d'affaires hors taxes."),
            "min_value": _("Le chiffre d'affaires ne peut pas être négatif."),
        },
    )
    other_gifts = EuroField(
        label=_("Autres dons de l'année, hors Probono"),
        max_digits=15,
        min_value=Decimal("0"),
        help_text=_(
            "Les dons et le mécénat faits ailleurs la même année partagent le même plafond. "
            "Indiquez 0 s'il n'y en a pas."
        ),
        error_messages={
            "required": _("Indiquez les autres dons de l'année, ou 0."),
            "min_value": _("Le montant des dons ne peut pas être négatif."),
        },
    )

    class Meta:
        model = CompanyYear
        fields = ["turnover", "other_gifts"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Written here, in the reader's language, from the figures valuation.py uses.
        self.fields["turnover"].help_text = valuation.ceiling_rule() + "."

    @transaction.atomic
    def save_for(self, company, year, by):
        return CompanyYear.objects.update_or_create(
            company=company, year=year,
            defaults={**self.cleaned_data, "declared_by": by},
        )[0]  # fmt: skip
