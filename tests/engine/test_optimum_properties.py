"""From a pruned first working set, the engine reaches the proven optimum, adversarial shapes too.

Each instance is solved twice: by the engine, starting from each need's 1 to 3 best pairs so
that pricing (or the fallback over every pair) must find the rest, and by the MILP of
reference.py over EVERY candidate pair. They must agree on coverage, then total points, and
the engine must say its result is exact. Shapes: random mixes, one skill in one département with
offers scarcer than needs (where pricing converges slowly), identical rows (many tied optima:
objective values are compared, never the chosen pairs), and capacity 1 everywhere.

Settings are in this file and derandomised, without an example database, so a CI run draws
the same examples as a local one.
"""

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import NamedTuple
from unittest import mock

from hypothesis import event, given, settings
from hypothesis import strategies as st

from matching.engine import LEVELS, Need, Offer, Weights, assign, build_candidates, match
from matching.engine.reference import reference_optimum
from tests.engine.builders import DAY

OPTIMUM = settings(max_examples=60, deadline=None, derandomize=True, database=None)
# Hauts-de-France, then neighbours outside it (Ardennes, Seine-Maritime, Val-d'Oise).
CODES = ("59", "62", "80", "02", "60", "08", "76", "95")
# Default weights; no equity; only skill and place (more ties); equity heavy enough to matter.
WEIGHTS = (
    Weights(),
    Weights(equity=0.0),
    Weights(availability=0.0, waiting=0.0, equity=0.0),
    Weights(equity=4.0, waiting=2.0),
)
MAX_NEEDS = 25
MAX_OFFERS = 25


class Instance(NamedTuple):
    """Everything build_candidates takes, so the engine and the MILP see the same problem."""

    needs: list[Need]
    offers: list[Offer]
    forbidden: set[tuple[int, int]]
    weights: Weights
    departement_counts: dict[str, tuple[int, int]] | None
    today: date | None

    def candidates(self, max_per_need: int | None):
        return build_candidates(
            self.needs,
            self.offers,
            self.forbidden,
            self.weights,
            max_per_need=max_per_need,
            today=self.today,
            departement_counts=self.departement_counts,
        )


# --- strategies -------------------------------------------------------------------------------

first_working_sets = st.integers(1, 3)
periods = st.tuples(st.integers(-20, 40), st.one_of(st.none(), st.integers(0, 60)))
levels = st.sampled_from(LEVELS)
departement_counts = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(CODES),
        st.integers(0, 10).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total))),
        max_size=5,
    ),
)
todays = st.one_of(st.none(), st.integers(0, 30).map(lambda days: DAY + timedelta(days=days)))


def dates(period: tuple[int, int | None]) -> tuple[date, date | None]:
    """(start, end) from an offset to DAY and a length; a None length is an open end."""
    offset, length = period
    start = DAY + timedelta(days=offset)
    return start, None if length is None else start + timedelta(days=length)


def period_fields(period: tuple[int, int | None]) -> dict[str, date | None]:
    """The start and end fields of a row."""
    start, end = dates(period)
    return {"start": start, "end": end}


def ids(draw, count: int) -> list[int]:
    """Distinct, sparse, unordered ids, so no code can confuse an id with a position."""
    return draw(st.permutations(range(1, 3 * count + 1)))[:count]


def forbidden_pairs(draw, needs: list[Need], offers: list[Offer]) -> set[tuple[int, int]]:
    """A few forbidden pairs between real rows, and one about rows that do not exist."""
    if not needs or not offers:
        return set()
    pair = st.tuples(
        st.sampled_from([n.id for n in needs]), st.sampled_from([o.id for o in offers])
    )
    return draw(st.sets(pair, max_size=6)) | {(0, 0)}


def instance(draw, needs: list[Need], offers: list[Offer]) -> Instance:
    """Wrap rows with forbidden pairs, weights, equity counts and a day of computation."""
    return Instance(
        needs,
        offers,
        forbidden_pairs(draw, needs, offers),
        draw(st.sampled_from(WEIGHTS)),
        draw(departement_counts),
        draw(todays),
    )


@st.composite
def random_instances(draw) -> Instance:
    """Several skills and départements, remote flags, periods, capacities 0..3, slots 0..2."""
    n_skills = draw(st.integers(1, 3))
    skills = st.integers(1, n_skills)
    needs = [
        Need(
            id=i,
            skill_id=draw(skills),
            departement=draw(st.sampled_from(CODES)),
            remote_ok=draw(st.booleans()),
            **period_fields(draw(periods)),
            waiting_days=draw(st.integers(0, 200)),
            slots_wanted=draw(st.integers(0, 2)),
            already_covered=draw(st.booleans()),
        )
        for i in ids(draw, draw(st.integers(0, MAX_NEEDS)))
    ]
    offers = [
        Offer(
            id=j,
            skills=draw(st.dictionaries(skills, levels, min_size=1, max_size=2)),
            departements=draw(st.frozensets(st.sampled_from(CODES), min_size=1, max_size=3)),
            remote_ok=draw(st.booleans()),
            **period_fields(draw(periods)),
            remaining_slots=draw(st.integers(0, 3)),
        )
        for j in ids(draw, draw(st.integers(0, MAX_OFFERS)))
    ]
    return instance(draw, needs, offers)


@st.composite
def scarce_instances(draw, periods=periods, min_needs=4) -> Instance:
    """One skill, one département (the Nord), fewer offers than needs: all compete for few."""
    n_needs = draw(st.integers(min_needs, MAX_NEEDS))
    needs = [
        Need(
            id=i,
            skill_id=1,
            departement="59",
            remote_ok=False,
            **period_fields(draw(periods)),
            waiting_days=draw(st.integers(0, 150)),
            slots_wanted=draw(st.integers(1, 2)),
            already_covered=draw(st.sampled_from((False, False, False, True))),
        )
        for i in ids(draw, n_needs)
    ]
    offers = [
        Offer(
            id=j,
            skills={1: draw(levels)},
            departements=frozenset({"59"}),
            remote_ok=False,
            **period_fields(draw(periods)),
            remaining_slots=draw(st.integers(1, 2)),
        )
        for j in ids(draw, draw(st.integers(min(4, n_needs - 1), n_needs - 1)))
    ]
    return instance(draw, needs, offers)


@st.composite
def tied_instances(draw) -> Instance:
    """Copies of one or two needs and one or two offers: rows differ by id only, optima tie."""
    need_kinds = draw(
        st.lists(st.tuples(need_templates(), st.integers(2, 10)), min_size=1, max_size=2)
    )
    offer_kinds = draw(
        st.lists(st.tuples(offer_templates(), st.integers(1, 10)), min_size=1, max_size=2)
    )
    need_rows = [template for template, copies in need_kinds for _ in range(copies)]
    offer_rows = [template for template, copies in offer_kinds for _ in range(copies)]
    needs = [Need(i, **row) for i, row in zip(ids(draw, len(need_rows)), need_rows, strict=True)]
    offers = [
        Offer(j, **row) for j, row in zip(ids(draw, len(offer_rows)), offer_rows, strict=True)
    ]
    return instance(draw, needs, offers)


@st.composite
def need_templates(draw) -> dict:
    """The fields of a need, to copy under several ids."""
    return {
        "skill_id": 1,
        "departement": draw(st.sampled_from(("59", "62"))),
        "remote_ok": draw(st.booleans()),
        **period_fields(draw(periods)),
        "waiting_days": draw(st.sampled_from((0, 45, 120))),
        "slots_wanted": draw(st.integers(1, 2)),
    }


@st.composite
def offer_templates(draw) -> dict:
    """The fields of an offer, to copy under several ids."""
    return {
        "skills": {1: draw(levels)},
        "departements": frozenset({draw(st.sampled_from(("59", "62", "80")))}),
        "remote_ok": draw(st.booleans()),
        **period_fields(draw(periods)),
        "remaining_slots": draw(st.integers(1, 2)),
    }


def capacity_one(instance: Instance) -> Instance:
    """The same instance where every need wants one proposal and every offer takes one."""
    return instance._replace(
        needs=[replace(n, slots_wanted=1) for n in instance.needs],
        offers=[replace(o, remaining_slots=1) for o in instance.offers],
    )


capacity_one_instances = st.one_of(random_instances(), scarce_instances()).map(capacity_one)


# --- checks -----------------------------------------------------------------------------------


def assert_engine_reaches_the_optimum(instance: Instance, max_per_need: int) -> None:
    """The engine from a pruned working set equals the MILP over every pair, and says exact."""
    working_set = instance.candidates(max_per_need)
    every_pair = instance.candidates(None)
    result = assign(working_set)
    _record_how_hard(working_set, every_pair)
    assert_feasible(instance, result, every_pair)
    assert result.exact
    assert (result.covered, result.total_points) == reference_optimum(every_pair)


def _record_how_hard(working_set, every_pair) -> None:
    """Statistics (pytest --hypothesis-show-statistics): how often pruning alone fell short."""
    if working_set.pruned_needs == 0:
        event("nothing pruned")
        return
    alone, full = assign(working_set, exact=False), assign(every_pair)
    short = (alone.covered, alone.total_points) < (full.covered, full.total_points)
    event("pruned, working set alone short of the optimum" if short else "pruned, enough")
    result = assign(working_set)
    how = "every pair" if result.candidates.max_per_need is None else "pricing"
    event(f"proved by {how} after {result.rounds} rounds")


def assert_feasible(instance: Instance, result, every_pair) -> None:
    """Slots, capacities and forbidden pairs hold; every proposal is a real candidate pair;
    the claimed coverage and total points are those of the proposals themselves."""
    chosen = [(p.need_id, p.offer_id) for p in result.proposals]
    per_need, per_offer = Counter(n for n, _ in chosen), Counter(o for _, o in chosen)
    assert len(set(chosen)) == len(chosen)
    assert all(per_need[n.id] <= n.slots_wanted for n in instance.needs)
    assert all(per_offer[o.id] <= o.remaining_slots for o in instance.offers)
    assert not set(chosen) & instance.forbidden
    pair_points, shown_points, equity = candidate_points(every_pair)
    assert set(chosen) <= set(pair_points)
    assert [p.points for p in result.proposals] == [shown_points[pair] for pair in chosen]
    covered_needs = {p.need_id for p in result.proposals} - already_covered(instance)
    assert result.covered == len(covered_needs)
    earned = sum(pair_points[pair] for pair in chosen) + sum(equity[n] for n in covered_needs)
    assert result.total_points == earned


def candidate_points(candidates) -> tuple[dict, dict, dict]:
    """Per (need id, offer id): points the objective earns, points a proposal shows; per need
    id: equity points, earned once when it is covered."""
    need_ids = [n.id for n in candidates.needs]
    offer_ids = [o.id for o in candidates.offers]
    keys = [
        (need_ids[i], offer_ids[j])
        for i, j in zip(candidates.need.tolist(), candidates.offer.tolist(), strict=True)
    ]
    return (
        dict(zip(keys, candidates.pair_points.tolist(), strict=True)),
        dict(zip(keys, candidates.points.tolist(), strict=True)),
        dict(zip(need_ids, candidates.need_equity.tolist(), strict=True)),
    )


def already_covered(instance: Instance) -> set[int]:
    return {n.id for n in instance.needs if n.already_covered}


def shuffled(instance: Instance, random) -> Instance:
    """The same instance with its rows and forbidden pairs in another order."""
    needs, offers, forbidden = list(instance.needs), list(instance.offers), list(instance.forbidden)
    for rows in (needs, offers, forbidden):
        random.shuffle(rows)
    return instance._replace(needs=needs, offers=offers, forbidden=forbidden)


# --- tests ------------------------------------------------------------------------------------


@OPTIMUM
@given(random_instances(), first_working_sets)
def test_it_reaches_the_optimum_on_random_instances(instance, max_per_need):
    assert_engine_reaches_the_optimum(instance, max_per_need)


@OPTIMUM
@given(scarce_instances(), first_working_sets)
def test_it_reaches_the_optimum_when_one_skill_in_one_departement_is_scarce(instance, max_per_need):
    """Where pricing adds little per round (the case that once took 48 rounds)."""
    assert_engine_reaches_the_optimum(instance, max_per_need)


@OPTIMUM
@given(tied_instances(), first_working_sets)
def test_it_reaches_the_optimum_when_many_optima_tie(instance, max_per_need):
    assert_engine_reaches_the_optimum(instance, max_per_need)


@OPTIMUM
@given(capacity_one_instances, first_working_sets)
def test_it_reaches_the_optimum_with_capacity_one_everywhere(instance, max_per_need):
    assert_engine_reaches_the_optimum(instance, max_per_need)


# Availabilities that all overlap: every offer is a candidate of every need, so the working set
# stays a small part of all pairs for several rounds and the fallback comes late.
overlapping_periods = st.tuples(st.integers(0, 10), st.none())
crowded_instances = scarce_instances(periods=overlapping_periods, min_needs=15)


@OPTIMUM
@given(st.one_of(crowded_instances, crowded_instances.map(capacity_one)), first_working_sets)
def test_pricing_alone_proves_the_optimum_when_the_fallback_comes_late(instance, max_per_need):
    """With many rounds allowed, pricing (not the solve over every pair) usually ends the loop,
    so its proof of optimality is what is checked here."""
    with mock.patch("matching.engine.assign.MAX_ROUNDS", 1_000):
        assert_engine_reaches_the_optimum(instance, max_per_need)


@OPTIMUM
@given(
    st.one_of(tied_instances(), scarce_instances()),
    first_working_sets,
    st.randoms(use_true_random=False),
)
def test_tied_or_scarce_input_in_another_order_gets_the_same_proposals(
    instance, max_per_need, random
):
    """Among tied optima the engine picks the same one whatever the order of the rows."""
    other = shuffled(instance, random)
    assert assign(other.candidates(max_per_need)) == assign(instance.candidates(max_per_need))
    options = {"weights": instance.weights, "max_per_need": max_per_need, "today": instance.today}
    assert match(other.needs, other.offers, other.forbidden, **options) == match(
        instance.needs, instance.offers, instance.forbidden, **options
    )
