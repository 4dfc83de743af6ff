"""Unmet needs: what waits longest, where volunteers are lacking, and the equity gauge.

*Candidate offers* of a waiting need follow the matcher's place rule (matching/engine/
candidates.py): active offers carrying the need's main skill that act in the need's
département or a neighbouring one (land borders, matching.engine.NEIGHBOURS), or anywhere when
both the need and the offer accept remote work. They count the supply a need could draw on, not
the matcher's pairs of the day: availability dates, capacity left, the employer's verification
and past refusals change from one day to the next and are the review queue's business.
"Active" is definitions.active_offers' word (`is_active`), so this page and the figures agree.

The count is an annotation (one CASE over the selection's départements, each branch a counting
subquery with that département's reach as a literal list): the needs' rows come in one query
whatever their number.

The *equity gauge* compares the départements of the selection that posted needs in the period:
the least-served one's share of needs served ÷ the best-served one's (definitions.py words).
1 means every territory is served alike; near 0, one is left behind. It is undefined (None,
shown « – ») with fewer than two such départements or when none was served at all. Its history
takes each month's cohort (needs published that month), from one grouped query.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.departements import label
from matching.engine.departements import NEIGHBOURS
from matching.models import Need, Offer, OfferArea

from . import definitions


def reach(code):
    """The départements whose offers reach a need of `code`: itself and its neighbours."""
    return (code, *NEIGHBOURS.get(code, ()))


def _offers_reaching(code, remote):
    """Active offers with the outer need's main skill acting near `code`, or open to remote
    work when the need is (`remote`)."""
    acting_near = Exists(
        OfferArea.objects.filter(offer=OuterRef("pk"), departement__in=reach(code))
    )
    place = acting_near | Q(remote_ok=True) if remote else Q(acting_near)
    return Offer.objects.filter(place, is_active=True, skills__skill=OuterRef("main_skill"))


def _count(queryset):
    """A subquery counting the rows of `queryset` (always one row: no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def candidate_offers(codes):
    """An expression on needs of these départements: how many candidate offers each has."""
    branches = []
    for code in codes:
        branches.append(
            When(departement=code, remote_ok=True, then=_count(_offers_reaching(code, True)))
        )
        branches.append(When(departement=code, then=_count(_offers_reaching(code, False))))
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
    """Waiting needs per département × skill, in one grouped query, département then catalogue
    order. A cell's candidate offers are those able to take at least one of its needs: the
    offers reaching a remote need include those reaching a need on site (same département and
    skill), so that is the largest count of the cell's needs."""
    suffix = "en" if english else "fr"
    rows = (
        Need.objects.published()
        .filter(selection.within("departement"))
        .annotate(candidates=candidate_offers(selection.departements))
        .order_by()
        .values(
            "departement",
            "main_skill",
            "main_skill__is_priority",
            domain_position=F("main_skill__domain__position"),
            skill_position=F("main_skill__position"),
            domain=F(f"main_skill__domain__name_{suffix}"),
            skill=F(f"main_skill__name_{suffix}"),
        )
        .annotate(
            waiting=Count("pk"),
            without_candidate=Count("pk", filter=Q(candidates=0)),
            most_candidates=Max("candidates"),
        )
        .order_by("departement", "domain_position", "skill_position", "skill")
    )
    return [
        Cell(
            departement=row["departement"],
            domain=row["domain"],
            skill=row["skill"],
            is_priority=row["main_skill__is_priority"],
            waiting=row["waiting"],
            without_candidate=row["without_candidate"],
            candidates=row["most_candidates"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Gauge:
    """The equity gauge of one cohort: None when undefined; its two ends when defined."""

    value: float | None
    departements: int  # départements of the selection that posted needs
    least: tuple | None = None  # (code, share served)
    best: tuple | None = None


def gauge(counts):
    """The gauge from {code: (needs posted, needs served)}. Ties go to the lower code."""
    shares = {
        code: definitions.share(served, posted)
        for code, (posted, served) in counts.items()
        if posted
    }
    if len(shares) < 2:
        return Gauge(None, len(shares))
    least = min(shares.items(), key=lambda item: (item[1], item[0]))
    best = min(shares.items(), key=lambda item: (-item[1], item[0]))
    return Gauge(definitions.share(least[1], best[1]), len(shares), least, best)


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
