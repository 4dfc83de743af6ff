"""What a company referent declares: each volunteer's hourly cost for a year, and the company's
turnover and other gifts of the year. Everything or nothing is saved."""

import re
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from . import valuation
from .models import CompanyYear, VolunteerCost

# People type amounts as they read them: « 1 200 000 », « 45,50 € ».
SPACES_AND_EURO = re.compile(r"[\s\u00a0\u202f€]")


class EuroField(forms.DecimalField):
    """An amount in euros, with a decimal comma or point, spaces and « € » allowed."""

    default_error_messages = {
        "invalid": _("Saisissez un montant en euros, par exemple 1 250,50."),
        "max_digits": _("Ce montant est trop grand."),
        "max_whole_digits": _("Ce montant est trop grand."),
        "max_decimal_places": _("Indiquez au plus deux chiffres après la virgule."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def to_python(self, value):
        if isinstance(value, str):
            value = SPACES_AND_EURO.sub("", value)
        return super().to_python(value)


def cost_field(label):
    return EuroField(
        label=label,
        required=False,
        max_digits=8,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("Le coût horaire doit être supérieur à zéro.")},
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
    def save(self, company, year, by):
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
