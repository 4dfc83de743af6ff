"""Reference optimum by integer linear programming (scipy/HiGHS), for tests and the benchmark.

Independent of the flow formulation: binary x[a] per candidate pair, binary y[n] per need that is
not already covered ("n gets at least one proposal"), with

    y[n] <= Σ x[a] over n's pairs,   Σ x[a] over n's pairs <= slots_wanted[n],
    Σ x[a] over o's pairs <= remaining_slots[o].

Stage 1 maximises Σ y (coverage); stage 2 maximises Σ points[a]·x[a] with Σ y >= that coverage.
Both stages run with a zero MIP gap, so the answer is exact on the given candidate set.
"""

from typing import NamedTuple

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from matching.engine.candidates import Candidates


class ReferenceOptimum(NamedTuple):
    """Optimal (coverage, total points) of a candidate set."""

    covered: int
    total_points: int


def reference_optimum(
    candidates: Candidates, time_limit: float = 600.0, relaxed: bool = False
) -> ReferenceOptimum:
    """Solve the lexicographic problem as two exact MILPs on the same candidates.

    relaxed=True solves the two linear programmes without integrality: far faster at the
    benchmark's scale, and an upper bound of the optimum (equal to it whenever the LP's vertex
    is integral, which the flow structure makes the usual case); totals are then rounded down.
    """
    n_pairs = len(candidates)
    fresh = np.array([not n.already_covered for n in candidates.needs], dtype=bool)
    fresh &= np.bincount(candidates.need, minlength=len(candidates.needs)) > 0
    fresh_needs = np.flatnonzero(fresh)
    if n_pairs == 0:
        return ReferenceOptimum(0, 0)
    rows = _constraints(candidates, fresh_needs)
    size = n_pairs + len(fresh_needs)
    coverage = np.concatenate([np.zeros(n_pairs), np.ones(len(fresh_needs))])
    integral = not relaxed
    covered = _floor(-_solve(-coverage, rows, size, time_limit, integral))
    # Equity is earned once per covered need (on y), the other parts per pair (on x).
    points = np.concatenate(
        [candidates.pair_points.astype(float), candidates.need_equity[fresh_needs].astype(float)]
    )
    at_least = LinearConstraint(coverage[None, :], lb=covered, ub=np.inf)
    total = _floor(-_solve(-points, [*rows, at_least], size, time_limit, integral))
    return ReferenceOptimum(covered, total)


def _constraints(candidates: Candidates, fresh_needs: np.ndarray) -> list[LinearConstraint]:
    """Slot, capacity and coverage-link rows over the variables [x..., y...]."""
    n_pairs, n_fresh = len(candidates), len(fresh_needs)
    width = n_pairs + n_fresh
    pairs = np.arange(n_pairs)
    slots = np.array([n.slots_wanted for n in candidates.needs], dtype=float)
    capacity = np.array([o.remaining_slots for o in candidates.offers], dtype=float)
    return [
        LinearConstraint(_rows(candidates.need, pairs, 1.0, (len(slots), width)), ub=slots),
        LinearConstraint(_rows(candidates.offer, pairs, 1.0, (len(capacity), width)), ub=capacity),
        LinearConstraint(_link(candidates, fresh_needs, width), ub=0),
    ]


def _rows(rows: np.ndarray, cols: np.ndarray, value: float, shape: tuple[int, int]):
    """Sparse matrix with `value` at each (row, col)."""
    return coo_array((np.full(len(rows), value), (rows, cols)), shape=shape).tocsr()


def _link(candidates: Candidates, fresh_needs: np.ndarray, width: int):
    """Rows y[k] − Σ x[a] over the pairs of the k-th fresh need (must be <= 0)."""
    n_pairs, n_fresh = len(candidates), len(fresh_needs)
    position = np.full(len(candidates.needs), -1)
    position[fresh_needs] = np.arange(n_fresh)
    pairs = np.flatnonzero(position[candidates.need] >= 0)
    shape = (n_fresh, width)
    minus_x = _rows(position[candidates.need[pairs]], pairs, -1.0, shape)
    plus_y = _rows(np.arange(n_fresh), n_pairs + np.arange(n_fresh), 1.0, shape)
    return (minus_x + plus_y).tocsr()


def _floor(value: float) -> int:
    """Round a solver's optimum to an integer, flooring an LP bound's fraction (not its noise)."""
    return int(np.floor(value + 1e-6))


def _solve(
    objective: np.ndarray, constraints: list, size: int, time_limit: float, integral: bool = True
) -> float:
    """Minimise an objective over binary (or, relaxed, [0, 1]) variables; raise unless optimal."""
    result = milp(
        objective,
        constraints=constraints,
        integrality=np.ones(size) if integral else np.zeros(size),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0, "time_limit": time_limit},
    )
    if result.status != 0:
        raise RuntimeError(f"reference MILP not solved to optimality: {result.message}")
    return float(result.fun)
