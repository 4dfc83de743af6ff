"""The mécénat de compétences valuation of a company's year, and the tax reduction estimate.

What the company gives is its employees' time, valued at cost: for each mécénat mission, the
hours the structure confirmed × the hourly cost (salary + employer charges) the company's
referent declared for that volunteer and year. Per employee and year the valuation is capped at
3 × the PASS of the year prorated to the time lent (3 × PASS × hours lent ÷ full-time hours,
CGI art. 238 bis): the cap is applied to the employee's total, then shared among their missions
in proportion to their hours. The PASS and the full-time hours come from a dated table
(observatory/data/plafond_securite_sociale.csv); a year missing from it gets no valuation.

The tax reduction is an estimate: 60 % of the gifts within the ceiling (20,000 € or 0.5 % of
the turnover, whichever is higher), 40 % on the part above 2 M€; the rest carries over to the
next five years. Probono prepares these figures; it does not certify them.

Amounts are Decimal euros rounded to the cent, half up, once per figure shown.

`for_company_year(company, year)` is the entry point for pages, exports and the association's
receipt; its result's shape is kept stable.
"""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.db.models import Max, Min, Sum
from django.utils.translation import gettext

from matching.models import Offer
from missions.models import HoursEntry

from .models import CompanyYear, VolunteerCost

CEILING_CSV = Path(__file__).resolve().parent / "data" / "plafond_securite_sociale.csv"
CENT = Decimal("0.01")
MINUTES_PER_HOUR = 60

# CGI art. 238 bis: the cap per employee, in PASS; the reduction's rates, the ceiling on gifts
# (20,000 € or 0.5 % of the turnover excluding tax, the higher) and the 2 M€ band above which
# the rate drops; the years over which gifts above the ceiling carry over.
PASS_MULTIPLE = 3
RATE = Decimal("0.60")
RATE_ABOVE_BAND = Decimal("0.40")
BAND = Decimal("2000000")
GIFTS_FLOOR = Decimal("20000")
TURNOVER_SHARE = Decimal("0.005")
CARRY_OVER_YEARS = 5


def cents(amount):
    """An amount in euros rounded to the cent, half up (0.005 → 0.01)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


# How amounts are written: the page, the CSV's labels and the PDF say the same.

NBSP = "\u00a0"


def grouped(amount, decimals=2, decimal_mark=","):
    """Decimal("1234.5") → « 1 234,50 »: thousands grouped by no-break spaces."""
    return f"{amount:,.{decimals}f}".replace(",", NBSP).replace(".", decimal_mark)


def euros(amount, decimals=2):
    """Decimal("1234.5") → « 1 234,50 € », with no-break spaces; None → « – »."""
    if amount is None:
        return "–"
    return f"{grouped(amount, decimals)}{NBSP}€"


def percent(rate):
    """Decimal("0.005") → « 0,5 % », Decimal("0.60") → « 60 % »."""
    return format((rate * 100).normalize(), "f").replace(".", ",") + f"{NBSP}%"


# The dated table


@dataclass(frozen=True)
class Ceiling:
    """The PASS of a year and the full-time hours its proration is based on, with a source."""

    year: int
    pass_amount: Decimal
    full_time_hours: int
    pass_source: str
    hours_source: str

    @property
    def hourly_cap(self):
        """The capped hourly cost: 3 × PASS ÷ full-time hours (exact, unrounded)."""
        return PASS_MULTIPLE * self.pass_amount / self.full_time_hours

    def cap_for(self, minutes):
        """The most an employee's `minutes` lent in the year may be valued at, unrounded."""
        return self.hourly_cap * minutes / MINUTES_PER_HOUR


@cache
def ceilings():
    """{year: Ceiling} from the dated table."""
    with CEILING_CSV.open(encoding="utf-8") as file:
        return {
            int(row["annee"]): Ceiling(
                int(row["annee"]),
                Decimal(row["plafond_annuel"]),
                int(row["heures_temps_plein"]),
                row["source_plafond"],
                row["source_heures"],
            )
            for row in csv.DictReader(file, delimiter=";")
        }


def ceiling_for(year):
    """The Ceiling of that year, or None when the table does not have it yet."""
    return ceilings().get(year)


def first_year():
    """The table's first year: no valuation can be made before it, so no statement starts
    earlier (a row added for an earlier year opens that year)."""
    return min(ceilings())


# Pure arithmetic


def share_out(total, weights):
    """`total` (in cents) split in proportion to `weights`, each share rounded to the cent;
    the last share takes the rounding difference so that the shares add up to `total`."""
    whole = sum(weights)
    shares = [cents(total * weight / whole) for weight in weights[:-1]]
    return [*shares, total - sum(shares)]


@dataclass(frozen=True)
class TaxEstimate:
    """The estimated reduction of the year's corporate tax for the gifts (not a certification)."""

    probono_gifts: Decimal  # the capped valuation of the year's mécénat through Probono
    other_gifts: Decimal  # declared by the company
    turnover: Decimal  # declared by the company, excluding tax
    gifts: Decimal
    ceiling: Decimal  # max(20,000 €, 0.5 % of the turnover)
    eligible: Decimal  # the gifts within the ceiling
    reduction_at_rate: Decimal  # 60 % of the eligible part up to 2 M€
    reduction_above_band: Decimal  # 40 % of the eligible part above 2 M€
    reduction: Decimal
    carried_over: Decimal  # the gifts above the ceiling, for the next five years

    carry_over_years = CARRY_OVER_YEARS

    def lines(self):
        """(label, amount, is_the_reduction) for each step, as the page, CSV and PDF show it."""
        band = euros(BAND, 0)
        return [
            (gettext("Mécénat de compétences par Probono (valorisation retenue)"),
             self.probono_gifts, False),
            (gettext("Autres dons déclarés"), self.other_gifts, False),
            (gettext("Total des dons de l'année"), self.gifts, False),
            (ceiling_rule(self.turnover), self.ceiling, False),
            (gettext("Dons retenus dans le plafond"), self.eligible, False),
            (gettext("%(rate)s des dons retenus jusqu'à %(band)s")
             % {"rate": percent(RATE), "band": band}, self.reduction_at_rate, False),
            (gettext("%(rate)s de la part au-delà de %(band)s")
             % {"rate": percent(RATE_ABOVE_BAND), "band": band}, self.reduction_above_band, False),
            (gettext("Réduction d'impôt estimée"), self.reduction, True),
            (gettext("Excédent au-delà du plafond, reportable sur les %(years)s exercices suivants")
             % {"years": CARRY_OVER_YEARS}, self.carried_over, False),
        ]  # fmt: skip


def ceiling_rule(turnover=None):
    """« Plafond des dons : 20 000 € ou 0,5 % du chiffre d'affaires HT, le plus élevé »."""
    values = {"floor": euros(GIFTS_FLOOR, 0), "share": percent(TURNOVER_SHARE)}
    if turnover is None:
        return (
            gettext(
                "Plafond des dons : %(floor)s ou %(share)s du chiffre d'affaires HT, le plus élevé"
            )
            % values
        )
    return gettext(
        "Plafond des dons : %(floor)s ou %(share)s du chiffre d'affaires HT (%(turnover)s), "
        "le plus élevé"
    ) % {**values, "turnover": euros(turnover)}


def tax_estimate(probono_gifts, other_gifts, turnover):
    """The reduction for a year's gifts within the ceiling the turnover sets."""
    gifts = probono_gifts + other_gifts
    ceiling = max(GIFTS_FLOOR, cents(turnover * TURNOVER_SHARE))
    eligible = min(gifts, ceiling)
    at_rate = cents(min(eligible, BAND) * RATE)
    above_band = cents(max(eligible - BAND, 0) * RATE_ABOVE_BAND)
    return TaxEstimate(
        probono_gifts=probono_gifts,
        other_gifts=other_gifts,
        turnover=turnover,
        gifts=gifts,
        ceiling=ceiling,
        eligible=eligible,
        reduction_at_rate=at_rate,
        reduction_above_band=above_band,
        reduction=at_rate + above_band,
        carried_over=gifts - eligible,
    )


# A company's year


@dataclass(frozen=True)
class MissionLine:
    """One mission's confirmed hours in the year, valued. Amounts are None when the
    volunteer's cost is not declared or the year has no PASS in the table."""

    mission_id: int
    title: str  # the need's title
    structure_id: int
    structure_name: str
    volunteer_id: int
    volunteer_name: str
    first_day: date
    last_day: date
    minutes: int
    hourly_cost: Decimal | None
    raw: Decimal | None  # hours × hourly cost
    capped: Decimal | None  # this mission's share of the volunteer's capped valuation

    @property
    def hours(self):
        """The hours as a Decimal with two decimals (1 h 20 → 1.33)."""
        return cents(Decimal(self.minutes) / MINUTES_PER_HOUR)

    @property
    def is_capped(self):
        return self.raw is not None and self.capped < self.raw


@dataclass(frozen=True)
class VolunteerLine:
    """A volunteer's year: their missions, hours, raw valuation, prorated cap and capped value."""

    volunteer_id: int
    volunteer_name: str
    minutes: int
    hourly_cost: Decimal | None
    raw: Decimal | None
    cap: Decimal | None  # 3 × PASS × hours lent ÷ full-time hours
    capped: Decimal | None
    missions: tuple

    @property
    def hours(self):
        return cents(Decimal(self.minutes) / MINUTES_PER_HOUR)

    @property
    def cost_missing(self):
        return self.hourly_cost is None

    @property
    def is_capped(self):
        return self.raw is not None and self.capped < self.raw


@dataclass(frozen=True)
class Statement:
    """A company's mécénat year: lines per volunteer and per mission, totals, the estimate.

    `ceiling` is None when the year is not in the table: no amount is then computed. Totals
    leave out the volunteers whose cost is not declared (`uncosted`); `estimate` is None
    without a ceiling or without the company's declared turnover (`declaration`)."""

    company: object
    year: int
    ceiling: Ceiling | None
    declaration: CompanyYear | None
    volunteers: tuple
    minutes: int
    raw: Decimal | None
    capped: Decimal | None
    estimate: TaxEstimate | None

    @property
    def missions(self):
        """Every mission line, volunteer by volunteer."""
        return tuple(line for volunteer in self.volunteers for line in volunteer.missions)

    @property
    def uncosted(self):
        """Volunteers with hours in the year but no declared cost: left out of the totals."""
        return tuple(v for v in self.volunteers if v.cost_missing)

    @property
    def hours(self):
        return cents(Decimal(self.minutes) / MINUTES_PER_HOUR)

    @property
    def costed_minutes(self):
        return sum(v.minutes for v in self.volunteers if not v.cost_missing)

    @property
    def pass_missing(self):
        return self.ceiling is None

    @property
    def turnover_missing(self):
        return self.declaration is None

    def for_structure(self, structure_id):
        """The mission lines with one structure (the association's receipt)."""
        return tuple(line for line in self.missions if line.structure_id == structure_id)


def confirmed_minutes(company, year):
    """Confirmed minutes of the year per mécénat mission of the company's offers, with what a
    line shows, in one query."""
    return (
        HoursEntry.objects.filter(
            status=HoursEntry.Status.CONFIRMED,
            day__gte=date(year, 1, 1),
            day__lte=date(year, 12, 31),
            mission__offer__engagement=Offer.Engagement.MECENAT,
            mission__offer__organisation=company,
        )
        .values(
            "mission",
            "mission__need__title",
            "mission__need__organisation",
            "mission__need__organisation__name",
            "mission__volunteer",
            "mission__volunteer__first_name",
            "mission__volunteer__last_name",
        )
        .annotate(minutes=Sum("minutes"), first_day=Min("day"), last_day=Max("day"))
        .order_by(
            "mission__volunteer__last_name",
            "mission__volunteer__first_name",
            "mission__volunteer",
            "first_day",
            "mission",
        )
    )


def for_company_year(company, year):
    """The Statement of a company's year (three queries: hours, costs, declaration)."""
    rows = list(confirmed_minutes(company, year))
    costs = dict(
        VolunteerCost.objects.filter(company=company, year=year).values_list(
            "volunteer", "hourly_cost"
        )
    )
    declaration = CompanyYear.objects.filter(company=company, year=year).first()
    ceiling = ceiling_for(year)
    volunteers = tuple(
        _volunteer_line(group, costs.get(group[0]["mission__volunteer"]), ceiling)
        for group in _by_volunteer(rows)
    )
    return _statement(company, year, ceiling, declaration, volunteers)


def _by_volunteer(rows):
    """The rows (sorted by volunteer) grouped per volunteer."""
    groups = {}
    for row in rows:
        groups.setdefault(row["mission__volunteer"], []).append(row)
    return list(groups.values())


def _volunteer_line(rows, hourly_cost, ceiling):
    """A volunteer's lines valued: raw per mission, the cap on their total, shared out."""
    minutes = sum(row["minutes"] for row in rows)
    valued = hourly_cost is not None and ceiling is not None
    raws = [_raw(row["minutes"], hourly_cost) if valued else None for row in rows]
    raw = sum(raws) if valued else None
    cap = cents(ceiling.cap_for(minutes)) if valued else None
    capped = min(raw, cap) if valued else None
    if not valued:
        shares = [None] * len(rows)
    elif capped == raw:
        shares = raws
    else:
        shares = share_out(capped, [row["minutes"] for row in rows])
    first = rows[0]
    name = _full_name(first)
    missions = tuple(
        MissionLine(
            mission_id=row["mission"],
            title=row["mission__need__title"],
            structure_id=row["mission__need__organisation"],
            structure_name=row["mission__need__organisation__name"],
            volunteer_id=row["mission__volunteer"],
            volunteer_name=name,
            first_day=row["first_day"],
            last_day=row["last_day"],
            minutes=row["minutes"],
            hourly_cost=hourly_cost,
            raw=line_raw,
            capped=share,
        )
        for row, line_raw, share in zip(rows, raws, shares, strict=True)
    )
    return VolunteerLine(
        volunteer_id=first["mission__volunteer"],
        volunteer_name=name,
        minutes=minutes,
        hourly_cost=hourly_cost,
        raw=raw,
        cap=cap,
        capped=capped,
        missions=missions,
    )


def _raw(minutes, hourly_cost):
    return cents(hourly_cost * minutes / MINUTES_PER_HOUR)


def _full_name(row):
    name = f"{row['mission__volunteer__first_name']} {row['mission__volunteer__last_name']}"
    return name.strip() or gettext("Membre sans nom")


def _statement(company, year, ceiling, declaration, volunteers):
    costed = [v for v in volunteers if not v.cost_missing]
    valued = ceiling is not None
    raw = sum((v.raw for v in costed), Decimal("0.00")) if valued else None
    capped = sum((v.capped for v in costed), Decimal("0.00")) if valued else None
    estimate = None
    if valued and declaration is not None:
        estimate = tax_estimate(capped, declaration.other_gifts, declaration.turnover)
    return Statement(
        company=company,
        year=year,
        ceiling=ceiling,
        declaration=declaration,
        volunteers=volunteers,
        minutes=sum(v.minutes for v in volunteers),
        raw=raw,
        capped=capped,
        estimate=estimate,
    )
