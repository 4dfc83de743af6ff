"""Optimal capacity-aware assignment by min-cost flow, a greedy baseline, and `match`.

Flow network (integer costs are minus the points, points = round(score × SCALE)):

    source ─(cap 1, cost −B)──────────────▶ need   first unit, needs not already covered
    source ─(cap u − first, cost 0)───────▶ need   the other units, u = min(slots, degree)
    need   ─(cap 1, cost −points)─────────▶ offer  one arc per candidate pair
    offer  ─(cap min(slots, degree), 0)───▶ sink
    source ─(cap F, cost 0)───────────────▶ sink   bypass, so the routed amount is free

The source supplies F = Σ u and the sink absorbs it. B (the coverage bonus) exceeds the best
total points any assignment could reach, so a minimum-cost flow first maximises the number of
newly covered needs, then the total points: the lexicographic objective, solved exactly.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

from matching.engine.candidates import DEFAULT_MAX_PER_NEED, Candidates, build_candidates
from matching.engine.departements import NEIGHBOURS
from matching.engine.inputs import LEVELS, SCALE, Need, Offer, Weights
from matching.engine.scoring import PARTS, PLACES


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed pair: score (= points / SCALE), its named parts, and details to explain it."""

    need_id: int
    offer_id: int
    score: float
    points: int
    parts: dict[str, float]
    details: dict[str, object]


@dataclass(frozen=True, slots=True)
class Assignment:
    """Proposals sorted by (need id, offer id); `covered` counts newly covered needs."""

    proposals: tuple[Proposal, ...]
    covered: int
    total_points: int

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
    """Build the candidates and assign them optimally: the one call the Django side needs."""
    candidates = build_candidates(
        needs,
        offers,
        forbidden,
        weights,
        max_per_need=max_per_need,
        today=today,
        departement_counts=departement_counts,
    )
    return assign(candidates)


def assign(candidates: Candidates) -> Assignment:
    """Optimal assignment: most needs covered first, then the most points (min-cost flow)."""
    return _assignment(candidates, _flow_choice(candidates))


def greedy_assign(candidates: Candidates) -> Assignment:
    """Baseline for the benchmark: take pairs by points (then ids) while slots remain."""
    need_left = [n.slots_wanted for n in candidates.needs]
    offer_left = [o.remaining_slots for o in candidates.offers]
    chosen = np.zeros(len(candidates), dtype=bool)
    order = np.lexsort((candidates.offer, candidates.need, -candidates.points))
    needs, offers = candidates.need.tolist(), candidates.offer.tolist()
    for a in order.tolist():
        i, j = needs[a], offers[a]
        if need_left[i] > 0 and offer_left[j] > 0:
            chosen[a] = True
            need_left[i] -= 1
            offer_left[j] -= 1
    return _assignment(candidates, chosen)


def _units(candidates: Candidates) -> tuple[np.ndarray, np.ndarray]:
    """Units each need can take (slots capped by its degree) and whether its first is fresh."""
    degree = np.bincount(candidates.need, minlength=len(candidates.needs))
    slots = np.array([n.slots_wanted for n in candidates.needs], dtype=np.int64)
    units = np.minimum(slots, degree)
    covered = np.array([n.already_covered for n in candidates.needs], dtype=bool)
    return units, (units > 0) & ~covered


def coverage_bonus(candidates: Candidates, units: np.ndarray) -> int:
    """1 + the best total points any assignment could reach: each need's best `units` pairs."""
    points = candidates.points
    order = np.lexsort((-points, candidates.need))
    need = candidates.need[order]
    rank = np.arange(len(order)) - np.searchsorted(need, need, side="left")
    return int(points[order][rank < units[need]].sum()) + 1


def _flow_choice(candidates: Candidates) -> np.ndarray:
    """Boolean mask of the pairs chosen by the min-cost flow."""
    units, fresh = _units(candidates)
    supply = int(units.sum())
    if supply == 0:
        return np.zeros(len(candidates), dtype=bool)
    n_needs = len(candidates.needs)
    source, sink, need_node, offer_node = 0, 1, 2, 2 + n_needs
    bonus = coverage_bonus(candidates, units)
    flow = SimpleMinCostFlow()
    pair_arcs = _add_arcs(
        flow, need_node + candidates.need, offer_node + candidates.offer, 1, -candidates.points
    )
    needs = np.arange(n_needs)
    _add_arcs(flow, np.full(fresh.sum(), source), need_node + needs[fresh], 1, -bonus)
    rest = units - fresh
    _add_arcs(flow, np.full((rest > 0).sum(), source), need_node + needs[rest > 0], rest[rest > 0], 0)
    _add_offer_arcs(flow, candidates, offer_node, sink)
    _add_arcs(flow, np.array([source]), np.array([sink]), supply, 0)
    flow.set_nodes_supplies(np.array([source, sink]), np.array([supply, -supply]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow did not reach an optimum: {status!r}")
    return flow.flows(pair_arcs) > 0


def _add_offer_arcs(flow: SimpleMinCostFlow, candidates: Candidates, first: int, sink: int):
    """offer → sink arcs, capacity = remaining slots capped by the offer's degree."""
    degree = np.bincount(candidates.offer, minlength=len(candidates.offers))
    slots = np.array([o.remaining_slots for o in candidates.offers], dtype=np.int64)
    capacity = np.minimum(slots, degree)
    used = np.flatnonzero(capacity > 0)
    _add_arcs(flow, first + used, np.full(len(used), sink), capacity[used], 0)


def _add_arcs(flow: SimpleMinCostFlow, tails, heads, capacities, costs) -> np.ndarray:
    """Add arcs in bulk (scalars broadcast) and return their indices."""
    tails = np.asarray(tails, dtype=np.int32)
    shape = tails.shape
    return flow.add_arcs_with_capacity_and_unit_cost(
        tails,
        np.asarray(heads, dtype=np.int32),
        np.broadcast_to(np.asarray(capacities, dtype=np.int64), shape).copy(),
        np.broadcast_to(np.asarray(costs, dtype=np.int64), shape).copy(),
    )


def _assignment(candidates: Candidates, chosen: np.ndarray) -> Assignment:
    """Assignment from the chosen pairs (already in (need id, offer id) order)."""
    picked = np.flatnonzero(chosen)
    proposals = tuple(_proposal(candidates, int(a)) for a in picked)
    fresh = {int(i) for i in candidates.need[picked] if not candidates.needs[i].already_covered}
    return Assignment(
        proposals=proposals,
        covered=len(fresh),
        total_points=int(candidates.points[picked].sum()),
    )


def _proposal(candidates: Candidates, a: int) -> Proposal:
    """Proposal for pair a, with its parts and machine-readable details."""
    need = candidates.needs[candidates.need[a]]
    offer = candidates.offers[candidates.offer[a]]
    parts = [int(p) for p in candidates.parts[a]]
    return Proposal(
        need_id=need.id,
        offer_id=offer.id,
        score=sum(parts) / SCALE,
        points=sum(parts),
        parts={name: value / SCALE for name, value in zip(PARTS, parts, strict=True)},
        details=_details(candidates, a, need, offer),
    )


def _details(candidates: Candidates, a: int, need: Need, offer: Offer) -> dict[str, object]:
    """JSON-ready facts behind the parts; the Django side turns them into French text."""
    place = PLACES[candidates.place[a]]
    offers_there, needs_there = candidates.departement_counts[need.departement]
    return {
        "skill_id": need.skill_id,
        "level": LEVELS[candidates.level[a]],
        "place": place,
        "departement": need.departement,
        "via_departement": _via(place, need, offer),
        "overlap": float(candidates.overlap[a]),
        "waiting_days": need.waiting_days,
        "waiting_cap_days": candidates.weights.waiting_cap_days,
        "departement_offers": offers_there,
        "departement_needs": needs_there,
    }


def _via(place: str, need: Need, offer: Offer) -> str | None:
    """The offer's département that gave the place part (None for remote)."""
    if place == "same":
        return need.departement
    if place == "neighbour":
        return next(code for code in NEIGHBOURS[need.departement] if code in offer.departements)
    return None
