"""Optimal capacity-aware assignment by min-cost flow, a greedy baseline, and `match`.

Flow network (integer costs are minus the points, points = round(score × SCALE)):

    source ─(cap 1, cost −B)───────────────▶ need   first unit, needs not already covered
    source ─(cap slots − first, cost 0)────▶ need   the other units
    need   ─(cap 1, cost −points)──────────▶ offer  one arc per pair of the working set
    offer  ─(cap remaining_slots, cost 0)──▶ sink
    source ─(cap F, cost 0)────────────────▶ sink   bypass, so the routed amount is free

The source supplies F = Σ slots_wanted and the sink absorbs it. B (the coverage bonus) exceeds
the best total points any assignment could reach, so a minimum-cost flow first maximises the
number of newly covered needs, then the total points: the lexicographic objective, exactly.

Pruning without loss (column generation): the working set starts as each need's best
`max_per_need` pairs. After each solve, Bellman–Ford on the residual graph gives potentials π
with non-negative reduced costs on every residual arc. A pair left out can only improve the
flow if its points exceed π(need) − π(offer); candidates.price adds those (a need's best
`max_per_need` of them) and the flow is solved again. When no pair is left to add, π proves the
flow optimal for the full candidate set, not only for the working set (Assignment.exact).

Pricing converges in one or two rounds on typical data, but where many needs compete for a
few offers (one skill in one département, offers scarcer than needs) each round adds only a
little and it took 48 rounds. After MAX_ROUNDS, or once the working set has grown past half of
all candidate pairs, the flow is solved once over every candidate pair instead: exact by
construction, so a result is never stored as optimal when it is not.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from matching.engine.candidates import (
    DEFAULT_MAX_PER_NEED,
    Candidates,
    build_candidates,
    complete,
    pair_facts,
    price,
)
from matching.engine.departements import DEPARTEMENTS, INDEX, NEIGHBOURS
from matching.engine.inputs import LEVELS, SCALE, Need, Offer, Weights
from matching.engine.problem import Problem
from matching.engine.scoring import PARTS, PLACES, level_points, place_points

# Pricing rounds before solving over every candidate pair at once (see the module docstring).
MAX_ROUNDS = 3
# Potential of a need with no pair in the working set: every pair of it is worth pricing in.
UNREACHED = 1 << 40


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed pair: score (= points / SCALE), its named parts, and details to explain it."""

    need_id: int
    offer_id: int
    score: float
    points: int
    parts: dict[str, float]
    details: dict[str, object]


@dataclass(frozen=True)
class Assignment:
    """Proposals sorted by (need id, offer id); `covered` counts newly covered needs.

    `exact` is True when the result is proved optimal for every candidate pair, pruned or
    not; `rounds` counts flow solves; `candidates` is the final working set.
    """

    proposals: tuple[Proposal, ...]
    covered: int
    total_points: int
    exact: bool = True
    rounds: int = 1
    candidates: Candidates | None = field(default=None, repr=False, compare=False)

    @property
    def score(self) -> float:
        """Total score of the proposals."""
        return self.total_points / SCALE


def match(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    forbidden: Iterable[tuple[int, int]] = (),
    weights: Weights | None = None,
    *,
    max_per_need: int | None = DEFAULT_MAX_PER_NEED,
    today: date | None = None,
    departement_counts: Mapping[str, tuple[int, int]] | None = None,
) -> Assignment:
    """Build the candidates and assign them optimally, in one call.

    Equity needs to know which départements are behind. Without `departement_counts` (needs
    served, needs), it is measured: a first assignment without the equity part shows the share
    of each département's needs served, and the second one boosts those below the region's.
    """
    options = {"max_per_need": max_per_need, "today": today}
    needs, offers, forbidden = tuple(needs), tuple(offers), tuple(forbidden)
    weights = weights or Weights()
    if departement_counts is None and weights.equity > 0:
        plain = replace(weights, equity=0.0)
        first = assign(build_candidates(needs, offers, forbidden, plain, **options))
        departement_counts = served_counts(needs, first)
    candidates = build_candidates(
        needs, offers, forbidden, weights, departement_counts=departement_counts, **options
    )
    return assign(candidates)


def served_counts(needs: Iterable[Need], assignment: Assignment) -> dict[str, tuple[int, int]]:
    """(needs served, needs) per département: served = already covered or given a proposal."""
    served = {p.need_id for p in assignment.proposals}
    counts: dict[str, list[int]] = {}
    for need in needs:
        if need.slots_wanted <= 0 and not need.already_covered:
            continue
        row = counts.setdefault(need.departement, [0, 0])
        row[0] += need.already_covered or need.id in served
        row[1] += 1
    return {code: (served, total) for code, (served, total) in counts.items()}


def assign(candidates: Candidates, *, exact: bool = True) -> Assignment:
    """Optimal assignment: most needs covered first, then the most points (min-cost flow).

    With exact=True (the default) left-out pairs are priced in until the result is optimal
    for the full candidate set, or every pair is solved at once when pricing is slow to
    converge; exact=False solves the given pairs only.
    """
    is_complete, rounds = candidates.holds_every_pair, 0
    while True:
        rounds += 1
        chosen, potentials = _solve(candidates, prices=exact and not is_complete)
        if is_complete or not exact:
            break
        grown = price(candidates, *potentials)
        if len(grown) == len(candidates):
            is_complete = True
            break
        if rounds >= MAX_ROUNDS or 2 * len(grown) > grown.considered:
            candidates, is_complete = complete(grown), True
        else:
            candidates = grown
    return _assignment(candidates, chosen, exact=is_complete, rounds=rounds)


def _solve(candidates: Candidates, prices: bool) -> tuple[np.ndarray, tuple | None]:
    """Chosen pairs, and the potentials of needs and offers when `prices`.

    Each connected part of the working set (needs and offers linked by pairs) is solved as
    its own network: the optimum splits into independent parts, so solving them apart gives
    the same result, faster; and a group split along such parts on several workers (see
    matcher.full_pass_groups) builds exactly the same networks, ties included.
    """
    problem = candidates.problem
    chosen = np.zeros(len(candidates), dtype=bool)
    need_potential = np.full(len(problem.need_slots), -UNREACHED, dtype=np.int64)
    offer_potential = np.zeros(len(problem.offer_slots), dtype=np.int64)
    for pairs in _parts(candidates):
        network = _Network(candidates, pairs)
        flows = network.solve()
        chosen[pairs] = flows[: len(pairs)] > 0
        if prices:
            needs, offers = network.potentials(flows)
            need_potential[network.needs] = needs
            offer_potential[network.offers] = offers
    return chosen, (need_potential, offer_potential) if prices else None


def _parts(candidates: Candidates) -> list[np.ndarray]:
    """Pair indices of each connected part of the working set, in order of its first pair."""
    if len(candidates) == 0:
        return []
    n_needs = len(candidates.problem.need_slots)
    size = n_needs + len(candidates.problem.offer_slots)
    tails = candidates.need.astype(np.int64)
    labels = _component_labels(tails, n_needs + candidates.offer.astype(np.int64), size)
    label = labels[tails]
    order = np.argsort(label, kind="stable")
    bounds = np.flatnonzero(np.diff(label[order])) + 1
    parts = np.split(order, bounds)
    return sorted(parts, key=lambda part: part[0])


def _component_labels(tails: np.ndarray, heads: np.ndarray, size: int) -> np.ndarray:
    """Per node, the smallest node of its connected part (edges tails[k]–heads[k]).

    Hook and compress, vectorised: each round links the roots at both ends of every edge to
    the smaller one, then points every node at its root; it ends when no edge joins two trees.
    """
    label = np.arange(size)
    while True:
        low = np.minimum(label[tails], label[heads])
        hooked = label.copy()
        np.minimum.at(hooked, label[tails], low)
        np.minimum.at(hooked, label[heads], low)
        while True:
            jumped = hooked[hooked]
            if np.array_equal(jumped, hooked):
                break
            hooked = jumped
        if np.array_equal(hooked, label):
            return label
        label = hooked


def greedy_assign(candidates: Candidates) -> Assignment:
    """Baseline for the benchmark: take pairs by points (then ids) while slots remain."""
    need_left = candidates.problem.need_slots.tolist()
    offer_left = candidates.problem.offer_slots.tolist()
    chosen = np.zeros(len(candidates), dtype=bool)
    order = np.lexsort((candidates.offer, candidates.need, -candidates.points))
    needs, offers = candidates.need.tolist(), candidates.offer.tolist()
    for a in order.tolist():
        i, j = needs[a], offers[a]
        if need_left[i] > 0 and offer_left[j] > 0:
            chosen[a] = True
            need_left[i] -= 1
            offer_left[j] -= 1
    return _assignment(candidates, chosen, exact=False, rounds=0)


def coverage_bonus(problem: Problem, needs: np.ndarray) -> int:
    """1 + an upper bound of the total points these needs could earn with any offers."""
    weights = problem.weights
    best_pair = int(level_points(weights).max() + place_points(weights).max())
    best_pair += round(weights.availability * SCALE)
    own = best_pair + problem.need_points[needs].sum(axis=1)
    return int((problem.need_slots[needs] * own).sum()) + 1


class _Network:
    """The flow network of one connected part of a working set: its needs and offers only,
    numbered in id order, and its arc arrays, pair arcs first."""

    def __init__(self, candidates: Candidates, pairs: np.ndarray) -> None:
        problem = candidates.problem
        self.needs = np.unique(candidates.need[pairs])
        self.offers = np.unique(candidates.offer[pairs])
        n_needs, n_offers = len(self.needs), len(self.offers)
        self.source, self.sink, self.first_need, self.first_offer = 0, 1, 2, 2 + n_needs
        self.n_nodes = 2 + n_needs + n_offers
        slots, fresh = problem.need_slots[self.needs], problem.need_fresh[self.needs]
        capacity = problem.offer_slots[self.offers]
        self.supply = int(slots.sum())
        bonus = coverage_bonus(problem, self.needs)
        rest = slots - fresh
        pair_needs = np.searchsorted(self.needs, candidates.need[pairs])
        pair_offers = np.searchsorted(self.offers, candidates.offer[pairs])
        # A need's first unit earns the coverage bonus and its equity points; its pairs, the rest.
        first = np.flatnonzero(fresh)
        equity = candidates.need_equity[self.needs[first]]
        arcs = [
            (self.first_need + pair_needs, self.first_offer + pair_offers, 1,
             -candidates.pair_points[pairs]),
            self._from_source(first, 1, -(bonus + equity)),
            self._from_source(np.flatnonzero(rest > 0), rest[rest > 0], 0),
            self._to_sink(np.flatnonzero(capacity > 0), capacity[capacity > 0]),
            ([self.source], [self.sink], self.supply, 0),
        ]  # fmt: skip
        self.tails, self.heads, self.capacities, self.costs = _concat(arcs)

    def _from_source(self, needs: np.ndarray, capacity, cost) -> tuple:
        """source → need arcs."""
        return np.full(len(needs), self.source), self.first_need + needs, capacity, cost

    def _to_sink(self, offers: np.ndarray, capacity) -> tuple:
        """offer → sink arcs."""
        return self.first_offer + offers, np.full(len(offers), self.sink), capacity, 0

    def solve(self) -> np.ndarray:
        """Flow on every arc of a minimum-cost flow; RuntimeError unless OPTIMAL."""
        if self.supply == 0:
            return np.zeros(len(self.tails), dtype=np.int64)
        flow = SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            self.tails, self.heads, self.capacities, self.costs
        )
        flow.set_nodes_supplies(
            np.array([self.source, self.sink]), np.array([self.supply, -self.supply])
        )
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"min-cost flow did not reach an optimum: {status!r}")
        return flow.flows(arcs)

    def potentials(self, flows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Potentials π = −(shortest residual distance to the sink) of need and offer nodes.

        These are the natural dual prices: 0 for an offer with a slot left, the value it
        creates for a full one, the marginal value of its last unit for a need.
        """
        forward, backward = flows < self.capacities, flows > 0
        tails = np.concatenate([self.tails[forward], self.heads[backward]])
        heads = np.concatenate([self.heads[forward], self.tails[backward]])
        costs = np.concatenate([self.costs[forward], -self.costs[backward]])
        potential = -_distances_to(self.sink, self.n_nodes, tails, heads, costs)
        return potential[self.first_need : self.first_offer], potential[self.first_offer :]


def _concat(arcs: list[tuple]) -> tuple[np.ndarray, ...]:
    """Arc groups (tails, heads, capacity, cost; scalars broadcast) into four arrays."""
    columns = [[], [], [], []]
    for tails, heads, capacity, cost in arcs:
        tails = np.asarray(tails, dtype=np.int32)
        columns[0].append(tails)
        columns[1].append(np.asarray(heads, dtype=np.int32))
        columns[2].append(np.broadcast_to(np.asarray(capacity, dtype=np.int64), tails.shape))
        columns[3].append(np.broadcast_to(np.asarray(cost, dtype=np.int64), tails.shape))
    return tuple(np.concatenate(column) for column in columns)


def _distances_to(target: int, n_nodes: int, tails, heads, costs) -> np.ndarray:
    """Shortest distances to `target` (Bellman–Ford, vectorised over arcs).

    A node that cannot reach the target gets the distance of a virtual arc to it costing more
    than any simple path, so every value stays finite and the potentials stay feasible.
    """
    far = 2 * int(np.abs(costs).sum()) + 1
    distance = np.full(n_nodes, far, dtype=np.int64)
    distance[target] = 0
    if len(tails) == 0:
        return distance
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    sources, starts = np.unique(tails, return_index=True)
    for _ in range(n_nodes + 1):
        best = np.minimum.reduceat(costs + distance[heads], starts)
        improved = best < distance[sources]
        if not improved.any():
            return distance
        distance[sources[improved]] = best[improved]
    raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")


def _assignment(candidates: Candidates, chosen: np.ndarray, exact: bool, rounds: int) -> Assignment:
    """Assignment from the chosen pairs (already in (need id, offer id) order)."""
    picked = np.flatnonzero(chosen)
    problem = candidates.problem
    fresh = np.unique(candidates.need[picked])
    fresh = fresh[problem.need_fresh[fresh]]
    return Assignment(
        proposals=_proposals(problem, candidates.need[picked], candidates.offer[picked]),
        covered=len(fresh),
        total_points=int(
            candidates.pair_points[picked].sum() + candidates.need_equity[fresh].sum()
        ),
        exact=exact,
        rounds=rounds,
        candidates=candidates,
    )


def _proposals(problem: Problem, need: np.ndarray, offer: np.ndarray) -> tuple[Proposal, ...]:
    """Proposals of the pairs (need[k], offer[k]), with their parts and details.

    Columns first, then one plain loop: a full pass explains thousands of pairs.
    """
    facts = pair_facts(problem, need, offer)
    columns = problem.need_columns
    rows = zip(
        columns.id[need].tolist(), problem.offer_id[offer].tolist(), facts.parts.tolist(),
        columns.skill_id[need].tolist(), problem.need_dept[need].tolist(),
        columns.waiting_days[need].tolist(), facts.level.tolist(), facts.place.tolist(),
        facts.overlap.tolist(), offer.tolist(), strict=True,
    )  # fmt: skip
    cap = problem.weights.waiting_cap_days
    proposals = []
    for need_id, offer_id, parts, skill, dept, waiting, level, place, overlap, j in rows:
        code, points = DEPARTEMENTS[dept], sum(parts)
        served_there, needs_there = problem.departement_counts.get(code, (0, 0))
        details = {
            "skill_id": skill,
            "level": LEVELS[level],
            "place": PLACES[place],
            "departement": code,
            "via_departement": _via(PLACES[place], code, problem.offer_depts[j]),
            "overlap": overlap,
            "waiting_days": waiting,
            "waiting_cap_days": cap,
            "departement_served": served_there,
            "departement_needs": needs_there,
            "region_share": problem.region_share,
        }
        proposals.append(Proposal(
            need_id=need_id, offer_id=offer_id, score=points / SCALE, points=points,
            parts={name: value / SCALE for name, value in zip(PARTS, parts, strict=True)},
            details=details,
        ))  # fmt: skip
    return tuple(proposals)


def _via(place: str, departement: str, offer_depts: np.ndarray) -> str | None:
    """The offer's département that gave the place part (None for remote)."""
    if place == "same":
        return departement
    if place == "neighbour":
        return next(code for code in NEIGHBOURS[departement] if offer_depts[INDEX[code]])
    return None
