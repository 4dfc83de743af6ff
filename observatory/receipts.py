"""The figures a structure needs to issue the mécénat receipt (form 2041-MEC-SD, Cerfa 16216).

For each company and year a structure received mécénat de compétences from: both parties'
identities, the missions (volunteers, first and last day, confirmed hours, an exhaustive
description of what was done) and the valuation *as the company declared it*. The structure
completes, signs and issues the receipt; Probono prepares the figures and certifies nothing.

What counts: hours entries the structure confirmed, on a mission whose offer is mécénat (done on
work time; bénévolat is the volunteer's own time and gives no receipt), given by an employee of
a company (form 2041-MEC-SD is the companies' receipt), in the calendar year of their day. Until
that year is over, its figures are provisional: more hours can still be confirmed.
"""

from dataclasses import dataclass, field
from datetime import MAXYEAR, MINYEAR, date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from num2words import num2words

from accounts.models import Organisation
from matching.models import Offer
from missions.models import HoursEntry

from .valuation import for_company_year

CENT = Decimal("0.01")


def mecenat_hours(structure):
    """Confirmed hours entries of mécénat missions given to the structure by companies."""
    return HoursEntry.objects.filter(
        mission__need__organisation=structure,
        mission__offer__engagement=Offer.Engagement.MECENAT,
        mission__offer__organisation__kind=Organisation.Kind.COMPANY,
        status=HoursEntry.Status.CONFIRMED,
    )


def receipt_pairs(structure):
    """The (company, year) pairs the structure received mécénat hours for, latest year first,
    each with its confirmed minutes, missions and volunteers: one query."""
    return list(
        mecenat_hours(structure)
        .annotate(year=ExtractYear("day"))
        .values(
            "year",
            company_id=F("mission__offer__organisation"),
            company_name=F("mission__offer__organisation__name"),
        )
        .annotate(
            minutes=Sum("minutes"),
            missions=Count("mission", distinct=True),
            volunteers=Count("mission__volunteer", distinct=True),
        )
        .order_by("-year", "company_name", "company_id")
    )


@dataclass
class MissionLine:
    """One mission on the receipt: who, when, how long, what was done, what it is worth."""

    mission_id: int
    title: str
    description: str
    volunteer: str
    first_day: date
    last_day: date
    minutes: int
    entries: list = field(default_factory=list)  # (day, minutes, description) by date
    valuation: Decimal | None = None  # as the company declared it; None: not declared
    capped: bool = False


@dataclass
class Receipt:
    """The receipt data of a structure for one company and one year."""

    structure: Organisation
    company: Organisation
    year: int
    missions: list
    first_day: date
    last_day: date
    minutes: int
    # The sum of the missions' valuations; None as soon as one is missing: no total invented.
    valuation: Decimal | None = None
    # The year's social-security ceiling is not in Probono's table yet: nothing can be valued.
    pass_missing: bool = False
    # The year is not over: hours can still be confirmed until the 31st of December.
    provisional: bool = False

    @property
    def structure_siren(self):
        return siren_of(self.structure)

    @property
    def company_siren(self):
        return siren_of(self.company)

    @property
    def undeclared(self):
        """The missions whose valuation the company has not declared."""
        return [line for line in self.missions if line.valuation is None]

    @property
    def valuation_in_words(self):
        return amount_in_words(self.valuation) if self.valuation is not None else ""


def siren_of(organisation):
    """The SIREN, or the one the SIRET starts with ("" without either)."""
    return organisation.siren or organisation.siret[:9]


def is_provisional(year, today=None):
    """Whether a year's figures may still grow: the year is not over."""
    return year >= (today or timezone.localdate()).year


def receipt_for(structure, company, year, today=None):
    """The receipt data, or None when the structure received no mécénat hours from that
    company that year. A fixed number of queries, whatever the number of missions."""
    if not MINYEAR <= year <= MAXYEAR:
        return None  # no date in it: no hours either (and no date(year, 1, 1) to raise)
    hours = mecenat_hours(structure).filter(mission__offer__organisation=company, day__year=year)
    lines = _mission_lines(hours)
    if not lines:
        return None
    _attach_entries(lines, hours)
    totals = hours.aggregate(first_day=Min("day"), last_day=Max("day"), minutes=Sum("minutes"))
    receipt = Receipt(structure=structure, company=company, year=year, missions=lines, **totals)
    receipt.provisional = is_provisional(year, today)
    _attach_valuation(receipt)
    return receipt


def _mission_lines(hours):
    rows = (
        hours.values(
            "mission",
            "mission__need__title",
            "mission__need__description",
            "mission__volunteer__first_name",
            "mission__volunteer__last_name",
        )
        .annotate(first_day=Min("day"), last_day=Max("day"), minutes=Sum("minutes"))
        .order_by(
            "mission__volunteer__last_name", "mission__volunteer__first_name", "first_day",
            "mission",
        )
    )  # fmt: skip
    return [
        MissionLine(
            mission_id=row["mission"],
            title=row["mission__need__title"],
            description=row["mission__need__description"],
            volunteer=f"{row['mission__volunteer__first_name']} "
            f"{row['mission__volunteer__last_name']}".strip(),
            first_day=row["first_day"],
            last_day=row["last_day"],
            minutes=row["minutes"],
        )
        for row in rows
    ]


def _attach_entries(lines, hours):
    """Every confirmed entry's description, by date, under its mission: the exhaustive
    description of the services the form asks for."""
    by_mission = {line.mission_id: line for line in lines}
    entries = hours.values_list("mission", "day", "minutes", "description").order_by(
        "mission", "day", "pk"
    )
    for mission_id, day, minutes, description in entries:
        by_mission[mission_id].entries.append((day, minutes, description))


def _attach_valuation(receipt):
    """The company's valuation of each mission (its statement's, so the cap per employee counts
    the hours they gave every structure that year), and their total when none is missing."""
    statement = for_company_year(receipt.company, receipt.year)
    valued = {line.mission_id: line for line in statement.for_structure(receipt.structure.pk)}
    for line in receipt.missions:
        declared = valued.get(line.mission_id)
        line.valuation = declared.capped if declared else None
        line.capped = bool(declared and declared.is_capped)
    receipt.pass_missing = statement.pass_missing
    if not receipt.undeclared:
        receipt.valuation = sum((line.valuation for line in receipt.missions), Decimal("0.00"))


def amount_in_words(amount):
    """1234.56 → « mille deux cent trente-quatre euros et cinquante-six centimes ».

    Always in French, whatever the page's language: the receipt is a French tax form. num2words
    spells the numbers; the units are written here because its currency mode writes
    « un million euros » and « et zéro centimes ».
    """
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    euros, cents = divmod(int(amount * 100), 100)
    if not cents:
        return _spelled(euros, "euro", "euros")
    if not euros:
        return _spelled(cents, "centime", "centimes")
    return f"{_spelled(euros, 'euro', 'euros')} et {_spelled(cents, 'centime', 'centimes')}"


def _spelled(number, singular, plural):
    words = num2words(number, lang="fr")
    unit = singular if number < 2 else plural
    # « un million d'euros », but « un million deux cents euros ».
    if words.endswith(("million", "millions", "milliard", "milliards")):
        return f"{words} d'{unit}"
    return f"{words} {unit}"
