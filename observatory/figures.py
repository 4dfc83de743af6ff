"""The observatory's figures for one selection (a period and a territory), all counted by the
database: each group is one aggregate or one GROUP BY, so the page makes the same number of
queries for ten needs or a hundred thousand.

The words are observatory/definitions.py's. Where the issue is silent:
- Needs follow the cohort of the period (posted in it) to their status today.
- Proposals are counted by the step's own date: *made* when created, *approved* or *rejected*
  when the CRESS decided, *accepted* when the last side accepted (the mission starts in the
  same step), *declined* when one side declined (the proposal closes: one decline each).
- Delays are medians over the cohort's needs that reached the step: days from publication to
  the first approval of one of its proposals, and to the start of its first mission.
- Shares served by area: the five priority areas of the 2019 study (priority skills) first,
  then each domain for the needs of its other skills, so every need is in one row only.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from matching.models import Need, Proposal, Skill, SkillDomain
from missions.models import Answer, Mission, Review

from . import definitions

SECONDS_PER_DAY = 86_400


class DaysBetween(Func):
    """Days (with their fraction) from `earlier` to `later`, two datetimes; NULL if either is."""

    output_field = FloatField()
    arg_joiner = " - "
    template = f"(EXTRACT(EPOCH FROM (%(expressions)s))::double precision / {SECONDS_PER_DAY})"

    def __init__(self, later, earlier, **extra):
        super().__init__(later, earlier, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite stores datetimes as ISO text in UTC, which julianday() reads as fractional days.
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra_context,
        )


class Median(Aggregate):
    """PostgreSQL's continuous median (NULLs left out); see `median` for other databases."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class MedianOf:
    """A median and how many values it was taken over (None over none)."""

    value: float | None
    count: int


def median(queryset, expression):
    """The median of `expression` over the rows of `queryset` where it is not NULL, in one
    query: PostgreSQL's percentile_cont; elsewhere (SQLite) the middle rows by rank."""
    if connection.vendor == "postgresql":
        found = queryset.aggregate(value=Median(expression), count=Count(expression))
        return MedianOf(found["value"], found["count"])
    return median_by_rank(queryset, expression)


def median_by_rank(queryset, expression):
    """The median for databases without percentile_cont: a window function ranks the values
    and the database returns only the middle one (odd count) or two (even count)."""
    middle = (
        queryset.order_by()
        .annotate(value=expression)
        .filter(value__isnull=False)
        .annotate(rank=Window(RowNumber(), order_by=F("value").asc()), total=Window(Count("pk")))
        .filter(rank__gte=(F("total") + 1) / 2, rank__lte=(F("total") + 2) / 2)
        .values_list("value", "total")
    )
    rows = list(middle)
    if not rows:
        return MedianOf(None, 0)
    return MedianOf(sum(value for value, _total in rows) / len(rows), rows[0][1])


def first_approval():
    """Per need (an outer query's row): when the CRESS first approved one of its proposals."""
    return Subquery(
        Proposal.objects.filter(need=OuterRef("pk"), approved_at__isnull=False)
        .order_by("approved_at")
        .values("approved_at")[:1]
    )


def first_mission_start():
    """Per need (an outer query's row): when its first mission started."""
    return Subquery(
        Mission.objects.filter(need=OuterRef("pk")).order_by("started_at").values("started_at")[:1]
    )


@dataclass(frozen=True)
class AreaRow:
    """Needs posted and served in one priority area or one skill domain."""

    name: str
    posted: int
    served: int
    is_priority: bool

    @property
    def declined(self):
        """Proposals declined in the period: one side's decline closes a proposal."""
        return sum(reason.count for reason in self.declines)

    @property
    def share_served(self):
        return definitions.share(self.served, self.posted)


@dataclass(frozen=True)
class ReasonRow:
    label: str
    count: int


@dataclass(frozen=True)
class Figures:
    """Every figure of the dashboard for one selection."""

    selection: object
    needs: dict
    active_offers: int
    active_volunteers: int
    proposals: dict
    rejections: list
    declines: list
    days_to_approval: MedianOf
    days_to_start: MedianOf
    hours_given: float
    population: int
    areas: list

    @property
    def needs_per_10k(self):
        return definitions.per_inhabitants(self.needs["posted"], self.population)

    @property
    def volunteers_per_10k(self):
        return definitions.per_inhabitants(self.active_volunteers, self.population)

    @property
    def hours_per_10k(self):
        return definitions.per_inhabitants(self.hours_given, self.population)

    @property
    def declined(self):
        """Proposals declined in the period: one side's decline closes a proposal."""
        return sum(reason.count for reason in self.declines)

    @property
    def share_served(self):
        return definitions.share(self.needs["served"], self.needs["posted"])


def need_counts(selection):
    """The period's cohort of needs by what became of them (one aggregate)."""
    status = Need.Status
    return definitions.needs_posted(selection).aggregate(
        posted=Count("pk"),
        waiting=Count("pk", filter=Q(status=status.PUBLISHED)),
        served=Count("pk", filter=definitions.served()),
        completed=Count("pk", filter=Q(status=status.COMPLETED)),
        expired=Count("pk", filter=Q(status=status.EXPIRED)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
    )


def proposal_counts(selection):
    """Proposals of the territory's needs by the step taken in the period (one aggregate);
    a proposal has at most one review and one mission, so the joins count each once."""
    decided = selection.during("review__decided_at")
    decision = Review.Decision
    return Proposal.objects.filter(selection.within("need__departement")).aggregate(
        made=Count("pk", filter=selection.during("created_at")),
        approved=Count("pk", filter=decided & Q(review__decision=decision.APPROVED)),
        rejected=Count("pk", filter=decided & Q(review__decision=decision.REJECTED)),
        accepted=Count("pk", filter=selection.during("mission__started_at")),
    )


def _by_reason(grouped, choices):
    """Rows in the order of the reasons' list, zeros included, from {reason: count} rows."""
    counts = {row["reason"]: row["count"] for row in grouped}
    return [ReasonRow(label, counts.get(value, 0)) for value, label in choices]


def rejections_by_reason(selection):
    """The CRESS's rejections in the period, by reason (one GROUP BY)."""
    grouped = (
        Review.objects.filter(
            selection.within("proposal__need__departement"),
            selection.during("decided_at"),
            decision=Review.Decision.REJECTED,
        )
        .order_by()
        .values("reason")
        .annotate(count=Count("pk"))
    )
    return _by_reason(grouped, Review.RejectReason.choices)


def declines_by_reason(selection):
    """Proposals a side declined in the period, by reason (one GROUP BY)."""
    grouped = (
        Answer.objects.filter(
            selection.within("proposal__need__departement"),
            selection.during("answered_at"),
            decision=Answer.Decision.DECLINED,
        )
        .order_by()
        .values("reason")
        .annotate(count=Count("pk"))
    )
    return _by_reason(grouped, Answer.DeclineReason.choices)


def _count(needs, group_by, **match):
    """A subquery: how many of `needs` match the outer row (0 rather than NULL)."""
    counted = needs.filter(**match).order_by().values(group_by).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0, output_field=IntegerField())


def served_by_area(selection):
    """The five priority areas first, then each domain's other skills: needs posted and
    served (two queries, one row per catalogue entry, whatever the number of needs)."""
    needs = definitions.needs_posted(selection)
    served = needs.filter(definitions.served())
    priority = (
        Skill.objects.filter(is_priority=True)
        .order_by("domain__position", "position")
        .annotate(
            posted=_count(needs, "main_skill", main_skill=OuterRef("pk")),
            served=_count(served, "main_skill", main_skill=OuterRef("pk")),
        )
    )
    others = {"main_skill__domain": OuterRef("pk"), "main_skill__is_priority": False}
    domains = SkillDomain.objects.order_by("position").annotate(
        posted=_count(needs, "main_skill__domain", **others),
        served=_count(served, "main_skill__domain", **others),
    )
    return [
        *(AreaRow(skill.name, skill.posted, skill.served, True) for skill in priority),
        *(AreaRow(domain.name, domain.posted, domain.served, False) for domain in domains),
    ]


def hours_given(selection):
    """Confirmed hours given in the period, in hours (one aggregate)."""
    minutes = definitions.hours_given(selection).aggregate(minutes=Sum("minutes", default=0))
    return minutes["minutes"] / 60


def figures_for(selection):
    """Every figure of the dashboard: 11 queries, whatever the number of rows."""
    needs = definitions.needs_posted(selection)
    return Figures(
        selection=selection,
        needs=need_counts(selection),
        active_offers=definitions.active_offers(selection).count(),
        active_volunteers=definitions.active_volunteers(selection).count(),
        proposals=proposal_counts(selection),
        rejections=rejections_by_reason(selection),
        declines=declines_by_reason(selection),
        days_to_approval=median(needs, DaysBetween(first_approval(), F("published_at"))),
        days_to_start=median(needs, DaysBetween(first_mission_start(), F("published_at"))),
        hours_given=hours_given(selection),
        population=definitions.population_of(selection),
        areas=served_by_area(selection),
    )
