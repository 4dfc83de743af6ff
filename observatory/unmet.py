"""Unmet needs: what waits longest, where volunteers are lacking, and the equity gauge.

*Candidate offers* of a waiting need follow the matcher's place rule (matching/engine/
candidates.py): active offers carrying the need's main skill that act in the need's
département or a neighbouring one (land borders, matching.engine.NEIGHBOURS), or anywhere when
both the need and the offer accept remote work. They count the supply a need could draw on, not
the matcher's pairs of the day: availability dates, capacity left, the employer's verification
and past refusals change from one day to the next and are the review queue's business.
"Active" is definitions.active_offers' word (`is_active`), so this page and the figures agree.

Need by need, the count is an annotation (one CASE over the selection's départements, each
branch a counting subquery with that département's reach as a literal list): the needs' rows
come in one query whatever their number, and PostgreSQL counts only for the rows of the page.
The table per département × skill counts the same offers from grouped rows instead (see
shortfall_cells), so that it does not probe the offers once per waiting need.

The *equity gauge* compares the départements of the selection that posted needs in the period:
the least-served one's share of needs served ÷ the best-served one's (definitions.py words).
1 means every territory is served alike; near 0, one is left behind. It is undefined (None,
shown « – ») with fewer than two such départements or when none was served at all. Its history
takes each month's cohort (needs published that month), from one grouped query.
"""

from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from accounts.departements import label
from matching.engine.departements import NEIGHBOURS
from matching.models import Need, Offer, OfferArea, OfferSkill

from . import definitions


def reach(code):
    """The départements whose offers reach a need of `code`: itself and its neighbours."""
    return (code, *NEIGHBOURS.get(code, ()))


def acting_near(code):
    """Ids of offers with an area from which they reach a need of `code` (uncorrelated: the
    database builds the set once per query)."""
    return OfferArea.objects.filter(departement__in=reach(code)).values("offer")


def _offers_reaching(code):
    """Active offers with the outer need's main skill acting near `code`, or open to remote
    work when the need is too."""
    both_remote = Q(Exact(OuterRef("remote_ok"), True), remote_ok=True)
    return Offer.objects.filter(
        Q(pk__in=acting_near(code)) | both_remote,
        is_active=True,
        skills__skill=OuterRef("main_skill"),
    )


def _count(queryset):
    """A subquery counting the rows of `queryset` (always one row: no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def candidate_offers(codes):
    """An expression on needs of these départements: how many candidate offers each has."""
    branches = [When(departement=code, then=_count(_offers_reaching(code))) for code in codes]
    return Case(*branches, default=Value(0), output_field=IntegerField())


def waiting_needs(selection):
    """Published needs of the selected territory, the longest waiting first, with their
    organisation, skill, domain and number of candidate offers (one query for the rows)."""
    return (
        Need.objects.published()
        .filter(selection.within("departement"))
        .select_related("organisation", "main_skill__domain")
        .annotate(candidates=candidate_offers(selection.departements))
        .order_by("published_at", "pk")
    )


@dataclass(frozen=True)
class Cell:
    """Waiting needs of one département and one skill, and the offers that could take them."""

    departement: str
    domain: str
    skill: str
    is_priority: bool
    waiting: int
    without_candidate: int
    candidates: int

    @property
    def label(self):
        return label(self.departement)


def shortfall_cells(selection, english=False):
    """Waiting needs per département × skill with the offers that could take at least one of
    them, département then catalogue order, from two grouped queries.

    Counting candidates need by need would probe the offers once per waiting need; here the
    needs are grouped by (département, skill, remote or not) and the offers by skill, with one
    count per département of the selection: the work grows with the groups, not the rows. The
    numbers are those of candidate_offers(): acting near, plus, for remote needs, the remote
    offers acting elsewhere (tests/observatory/test_unmet.py checks both against each other).
    """
    groups = _waiting_groups(selection, english)
    supply = {row["skill"]: row for row in supply_by_skill(selection)}
    cells = {}
    for group in groups:  # grouped rows: at most 2 per cell
        candidates = _candidates_of(group, supply.get(group["main_skill"]), selection)
        key = (group["departement"], group["main_skill"])
        cell = cells.get(key) or Cell(
            departement=group["departement"], domain=group["domain"], skill=group["skill"],
            is_priority=group["main_skill__is_priority"], waiting=0, without_candidate=0,
            candidates=0,
        )  # fmt: skip
        cells[key] = replace(
            cell,
            waiting=cell.waiting + group["waiting"],
            without_candidate=cell.without_candidate + (0 if candidates else group["waiting"]),
            # A remote need's candidates include an on-site one's: the larger is the cell's.
            candidates=max(cell.candidates, candidates),
        )
    return list(cells.values())


def _waiting_groups(selection, english):
    """Waiting needs counted by département, main skill and remote or not, in display order."""
    suffix = "en" if english else "fr"
    return (
        Need.objects.published()
        .filter(selection.within("departement"))
        .order_by()
        .values(
            "departement",
            "main_skill",
            "remote_ok",
            "main_skill__is_priority",
            domain_position=F("main_skill__domain__position"),
            skill_position=F("main_skill__position"),
            domain=F(f"main_skill__domain__name_{suffix}"),
            skill=F(f"main_skill__name_{suffix}"),
        )
        .annotate(waiting=Count("pk"))
        .order_by("departement", "domain_position", "skill_position", "skill", "remote_ok")
    )


def supply_by_skill(selection):
    """Offers counted by skill, for the skills of waiting needs, in one grouped query: the
    active offers carrying it that are remote (`remote`), that act near the selection's i-th
    département (`near_i`), and both (`near_remote_i`). An offer carries a skill once
    (OfferSkill is unique), so its rows count offers."""
    counts = {"remote": Count("pk", filter=Q(offer__remote_ok=True))}
    for index, code in enumerate(selection.departements):
        acting = Q(offer__in=acting_near(code))
        counts[f"near_{index}"] = Count("pk", filter=acting)
        counts[f"near_remote_{index}"] = Count("pk", filter=acting & Q(offer__remote_ok=True))
    waiting_skills = Need.objects.published().filter(selection.within("departement"))
    return (
        OfferSkill.objects.filter(
            offer__is_active=True, skill__in=waiting_skills.values("main_skill")
        )
        .order_by()
        .values("skill")
        .annotate(**counts)
    )


def _candidates_of(group, supply, selection):
    """Candidate offers of the needs of one group (same département, skill, remote flag)."""
    if supply is None:
        return 0
    index = selection.departements.index(group["departement"])
    near = supply[f"near_{index}"]
    if not group["remote_ok"]:
        return near
    return near + supply["remote"] - supply[f"near_remote_{index}"]


class End(NamedTuple):
    """A département at one end of the gauge: its share served and the needs it comes from,
    so that a share of 100 % on one need reads as such."""

    code: str
    share: float
    served: int
    posted: int


@dataclass(frozen=True)
class Gauge:
    """The equity gauge of one cohort: None when undefined; its two ends when defined."""

    value: float | None
    departements: int  # départements of the selection that posted needs
    least: End | None = None
    best: End | None = None


def gauge(counts):
    """The gauge from {code: (needs posted, needs served)}. Ties go to the lower code."""
    ends = [
        End(code, definitions.share(served, posted), served, posted)
        for code, (posted, served) in counts.items()
        if posted
    ]
    if len(ends) < 2:
        return Gauge(None, len(ends))
    least = min(ends, key=lambda end: (end.share, end.code))
    best = min(ends, key=lambda end: (-end.share, end.code))
    return Gauge(definitions.share(least.share, best.share), len(ends), least, best)


@dataclass(frozen=True)
class MonthGauge:
    month: date
    gauge: Gauge


def equity(selection):
    """(the period's gauge, [MonthGauge for each month the period touches]), one query."""
    rows = (
        definitions.needs_posted(selection)
        .annotate(month=TruncMonth("published_at"))
        .order_by()
        .values("month", "departement")
        .annotate(posted=Count("pk"), served=Count("pk", filter=definitions.served()))
    )
    by_month, whole = {}, {}
    for row in rows:  # grouped rows: months × départements at most
        month = timezone.localtime(row["month"]).date()
        counts = (row["posted"], row["served"])
        by_month.setdefault(month, {})[row["departement"]] = counts
        posted, served = whole.get(row["departement"], (0, 0))
        whole[row["departement"]] = (posted + counts[0], served + counts[1])
    history = [
        MonthGauge(month, gauge(by_month.get(month, {})))
        for month in months(selection.start, selection.end)
    ]
    return gauge(whole), history


def months(start, end):
    """The first day of each month from start's to end's, both included."""
    month = date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
