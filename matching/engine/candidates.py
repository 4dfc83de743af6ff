"""Candidate pairs (need × offer) with their score parts: a numpy builder and a loop twin.

An offer is a candidate for a need when it covers the need's skill; acts in the need's
département, or a neighbouring one, or both accept remote work; its availability overlaps the
need's wished period by at least one day; it has a slot left; the need wants a slot; and the
pair is not forbidden. The place kind is the best that applies: same > neighbour > remote.

The numpy builder scans, per skill, dense blocks of needs (rows) × offers covering that skill
(columns), a bounded number of cells at a time. It keeps each need's `max_per_need` best pairs
(points, then lower offer id) as the initial working set; `price` scans again to find the
dropped pairs that could still improve a solution (see assign.py), so pruning costs no
optimality in the end.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.engine.departements import NEIGHBOURS
from matching.engine.inputs import LEVELS, Need, Offer, Weights
from matching.engine.problem import Problem, prepare
from matching.engine.scoring import (
    PARTS,
    availability_points,
    availability_points_array,
    level_points,
    place_points,
)

# Initial working set per need. Only a speed knob: the assignment prices dropped pairs back in.
# 60 was certified optimal in one round on the 5,000 × 50,000 synthetic instance.
DEFAULT_MAX_PER_NEED = 60
EQUITY = PARTS.index("equity")
# Cells (needs × offers) evaluated at once; bounds the working memory to a few tens of MB.
CHUNK_CELLS = 1 << 21
# Ranking keys are slack × (columns + 1) + column; capping the slack keeps them in int64.
SLACK_CAP = 1 << 40
COLUMNS = ("need", "offer", "level", "place", "overlap", "parts")


@dataclass(frozen=True, eq=False)
class Candidates:
    """Scored candidate pairs, one array entry per pair, sorted by (need id, offer id).

    `need` and `offer` index into `needs` and `offers` (both sorted by id). `parts` holds
    integer points, one column per scoring.PARTS; `points` is their sum. `considered` counts
    every pair that passed the rules, `pruned_needs` the needs that had more than
    `max_per_need` of them (0 means this set holds every candidate pair).
    """

    problem: Problem
    need: np.ndarray  # int32
    offer: np.ndarray  # int32
    level: np.ndarray  # int8 index into LEVELS
    place: np.ndarray  # int8 index into scoring.PLACES
    overlap: np.ndarray  # float64 fraction of the need's wished period covered
    parts: np.ndarray  # int64 (pairs, len(PARTS))
    considered: int
    pruned_needs: int
    max_per_need: int | None

    @property
    def needs(self) -> tuple[Need, ...]:
        """Needs sorted by id."""
        return self.problem.needs

    @property
    def offers(self) -> tuple[Offer, ...]:
        """Offers sorted by id."""
        return self.problem.offers

    @property
    def weights(self) -> Weights:
        """The weights the parts were computed with."""
        return self.problem.weights

    @property
    def departement_counts(self) -> dict[str, tuple[int, int]]:
        """(needs served, needs) per département, as used by the equity part."""
        return self.problem.departement_counts

    @property
    def points(self) -> np.ndarray:
        """Total integer points per pair, every part included (what a proposal shows)."""
        return self.parts.sum(axis=1)

    @property
    def pair_points(self) -> np.ndarray:
        """Points the assignment earns per pair: all parts but equity.

        Equity is earned once per need, when it is covered: counted on every pair, it would
        buy second proposals for the needs of a département behind the others with the very
        offers that could cover more of them.
        """
        return self.parts[:, :EQUITY].sum(axis=1) + self.parts[:, EQUITY + 1 :].sum(axis=1)

    @property
    def need_equity(self) -> np.ndarray:
        """Equity points of each need (indexed like `needs`), earned when it is covered."""
        return self.problem.need_points[:, 1]

    def __len__(self) -> int:
        return len(self.need)


def build_candidates(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    forbidden: Iterable[tuple[int, int]] = (),
    weights: Weights | None = None,
    *,
    max_per_need: int | None = DEFAULT_MAX_PER_NEED,
    today: date | None = None,
    departement_counts: Mapping[str, tuple[int, int]] | None = None,
) -> Candidates:
    """Vectorised candidate building, keeping each need's max_per_need best pairs."""
    _check_max(max_per_need)
    problem = prepare(needs, offers, forbidden, weights or Weights(), today, departement_counts)
    pieces, considered, pruned = [], 0, 0
    for block in _scan(problem):
        per_need = block.ok.sum(axis=1)
        considered += int(per_need.sum())
        if max_per_need is not None:
            pruned += int((per_need > max_per_need).sum())
        rows, cols = _best(block.ok, block.points, max_per_need, per_need)
        pieces.append(_columns(problem, block, rows, cols))
    return _candidates(problem, _merge(pieces), considered, pruned, max_per_need)


def price(
    candidates: Candidates, need_potential: np.ndarray, offer_potential: np.ndarray
) -> Candidates:
    """The working set plus, per need, its best pairs of negative reduced cost.

    A pair (n, o) outside the set could improve the flow only if its points exceed
    π(n) − π(o); the potentials π come from the residual graph of an optimal flow.
    """
    problem = candidates.problem
    limit = candidates.max_per_need or DEFAULT_MAX_PER_NEED
    own = problem.need_points[:, 0]  # waiting; equity rides on the need's first unit
    pieces = []
    for block in _scan(problem):
        _clear(block.ok, block.needs, block.group, candidates.need, candidates.offer)
        slack = block.points + (own - need_potential)[block.needs][:, None]
        slack += offer_potential[block.group.offers][None, :]
        better = block.ok & (slack > 0)
        if better.any():
            rows, cols = _best(better, np.minimum(slack, SLACK_CAP), limit, better.sum(axis=1))
            pieces.append(_columns(problem, block, rows, cols))
    if not pieces:
        return candidates
    working = {name: getattr(candidates, name) for name in COLUMNS}
    merged = _merge([working, *pieces])
    return _candidates(
        problem, merged, candidates.considered, candidates.pruned_needs, candidates.max_per_need
    )


def complete(candidates: Candidates) -> Candidates:
    """Every candidate pair of the same problem, none pruned: solving it is exact at once."""
    if candidates.pruned_needs == 0:
        return candidates
    pieces, considered = [], 0
    for block in _scan(candidates.problem):
        considered += int(block.ok.sum())
        pieces.append(_columns(candidates.problem, block, *np.nonzero(block.ok)))
    return _candidates(candidates.problem, _merge(pieces), considered, 0, None)


def candidates_loop(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    forbidden: Iterable[tuple[int, int]] = (),
    weights: Weights | None = None,
    *,
    max_per_need: int | None = DEFAULT_MAX_PER_NEED,
    today: date | None = None,
    departement_counts: Mapping[str, tuple[int, int]] | None = None,
) -> Candidates:
    """Plain Python twin of build_candidates (same result), for tests and the benchmark."""
    _check_max(max_per_need)
    problem = prepare(needs, offers, forbidden, weights or Weights(), today, departement_counts)
    rows, considered, pruned = [], 0, 0
    for i in range(len(problem.needs)):
        found = _loop_need(problem, i)
        considered += len(found)
        pruned += max_per_need is not None and len(found) > max_per_need
        found.sort()
        rows.extend(sorted(found[:max_per_need], key=lambda row: row[1]))
    return _from_rows(problem, rows, considered, pruned, max_per_need)


def _check_max(max_per_need: int | None) -> None:
    """max_per_need is None (no pruning) or at least 1."""
    if max_per_need is not None and max_per_need < 1:
        raise ValueError("max_per_need must be None or >= 1")


@dataclass(frozen=True, eq=False)
class _Group:
    """The active offers covering one skill, transposed for fast per-need row gathers."""

    offers: np.ndarray  # offer indices, by id
    levels: np.ndarray  # int8 level of each
    depts: np.ndarray  # bool (D, offers): acts in the département
    reach: np.ndarray  # bool (D, offers): acts in a neighbour of it
    remote: np.ndarray
    start: np.ndarray
    end: np.ndarray
    column: np.ndarray  # offer index -> column in this group, -1 when absent


@dataclass(frozen=True, eq=False)
class _Block:
    """Dense needs × offers of one skill: which pairs are candidates, and their pair parts."""

    needs: np.ndarray  # need indices (rows)
    group: _Group
    ok: np.ndarray  # bool: the pair passes every rule
    points: np.ndarray  # int64: skill + place + availability points
    place: np.ndarray  # int8 index into PLACES
    overlap: np.ndarray  # float64


def _scan(problem: Problem) -> Iterator[_Block]:
    """Every dense block of the problem, skill by skill, a chunk of needs at a time."""
    for skill in np.unique(problem.need_skill[problem.need_active]):
        group = _group(problem, int(skill))
        if len(group.offers) == 0:
            continue
        needs = np.flatnonzero(problem.need_active & (problem.need_skill == skill))
        step = max(1, CHUNK_CELLS // len(group.offers))
        for first in range(0, len(needs), step):
            yield _block(problem, group, needs[first : first + step])


def _group(problem: Problem, skill: int) -> _Group:
    """Offer-side arrays of one skill."""
    lo, hi = np.searchsorted(problem.skill_id, [skill, skill + 1])
    offers = problem.skill_offer[lo:hi]
    column = np.full(len(problem.offers), -1, dtype=np.int64)
    column[offers] = np.arange(len(offers))
    return _Group(
        offers=offers,
        levels=problem.skill_level[lo:hi],
        depts=np.ascontiguousarray(problem.offer_depts[offers].T),
        reach=np.ascontiguousarray(problem.offer_reach[offers].T),
        remote=problem.offer_remote[offers],
        start=problem.offer_start[offers],
        end=problem.offer_end[offers],
        column=column,
    )


def _block(problem: Problem, group: _Group, needs: np.ndarray) -> _Block:
    """Candidate rules and pair points between `needs` and the offers of a skill group."""
    weights = problem.weights
    dept = problem.need_dept[needs]
    start, end = problem.need_start[needs], problem.need_end[needs]
    same, near = group.depts[dept], group.reach[dept]
    ok = same | near | np.outer(problem.need_remote[needs], group.remote)
    ok &= group.start[None, :] <= end[:, None]
    ok &= start[:, None] <= group.end[None, :]
    _clear(ok, needs, group, problem.forbidden_need, problem.forbidden_offer)
    overlap = np.minimum(group.end[None, :], end[:, None])
    overlap -= np.maximum(group.start[None, :], start[:, None]) - 1
    overlap = overlap / (end - start + 1)[:, None]
    place = np.where(same, 0, np.where(near, 1, 2)).astype(np.int8)
    points = level_points(weights)[group.levels][None, :] + place_points(weights)[place]
    points += availability_points_array(weights, overlap)
    return _Block(needs, group, ok, points, place, overlap)


def _clear(ok: np.ndarray, needs: np.ndarray, group: _Group, p_need, p_offer) -> None:
    """Set ok to False for the given pairs (index arrays sorted by need) within this block."""
    lo, hi = np.searchsorted(p_need, [needs[0], needs[-1] + 1])
    p_need, p_offer = p_need[lo:hi], p_offer[lo:hi]
    rows = np.minimum(np.searchsorted(needs, p_need), len(needs) - 1)
    cols = group.column[p_offer]
    hit = (needs[rows] == p_need) & (cols >= 0)
    ok[rows[hit], cols[hit]] = False


def _best(ok: np.ndarray, value: np.ndarray, limit: int | None, per_need: np.ndarray):
    """(rows, cols) of each row's `limit` best cells by value, ties to the lower column."""
    width = ok.shape[1]
    if limit is None or per_need.max(initial=0) <= limit:
        return np.nonzero(ok)
    key = np.where(ok, value * (width + 1) + (width - np.arange(width))[None, :], -1)
    top = np.argpartition(key, width - limit, axis=1)[:, width - limit :]
    top.sort(axis=1)
    keep = np.take_along_axis(key, top, axis=1) >= 0
    rows = np.broadcast_to(np.arange(len(ok))[:, None], top.shape)
    return rows[keep], top[keep]


def _columns(problem: Problem, block: _Block, rows: np.ndarray, cols: np.ndarray) -> dict:
    """Column arrays of the selected cells of a block."""
    weights, levels = problem.weights, block.group.levels[cols]
    place, overlap = block.place[rows, cols], block.overlap[rows, cols]
    needs = block.needs[rows]
    return {
        "need": needs,
        "offer": block.group.offers[cols],
        "level": levels,
        "place": place,
        "overlap": overlap,
        "parts": np.column_stack(
            [
                level_points(weights)[levels],
                place_points(weights)[place],
                availability_points_array(weights, overlap),
                problem.need_points[needs],
            ]
        ),
    }


def _merge(pieces: list[dict]) -> dict:
    """Concatenate column sets, sorted by (need, offer)."""
    if not pieces:
        return _empty()
    merged = {name: np.concatenate([piece[name] for piece in pieces]) for name in COLUMNS}
    order = np.lexsort((merged["offer"], merged["need"]))
    return {name: values[order] for name, values in merged.items()}


def _empty() -> dict:
    """Empty column set."""
    return {
        "need": np.zeros(0, dtype=np.int64),
        "offer": np.zeros(0, dtype=np.int64),
        "level": np.zeros(0, dtype=np.int8),
        "place": np.zeros(0, dtype=np.int8),
        "overlap": np.zeros(0, dtype=np.float64),
        "parts": np.zeros((0, len(PARTS)), dtype=np.int64),
    }


def _candidates(
    problem: Problem, columns: dict, considered: int, pruned: int, max_per_need: int | None
) -> Candidates:
    """Wrap columns into a Candidates with canonical dtypes."""
    return Candidates(
        problem=problem,
        need=columns["need"].astype(np.int32),
        offer=columns["offer"].astype(np.int32),
        level=columns["level"].astype(np.int8),
        place=columns["place"].astype(np.int8),
        overlap=columns["overlap"].astype(np.float64),
        parts=columns["parts"].astype(np.int64).reshape(-1, len(PARTS)),
        considered=considered,
        pruned_needs=pruned,
        max_per_need=max_per_need,
    )


def _loop_need(problem: Problem, i: int) -> list[tuple]:
    """Need i's candidates as sortable rows (-points, offer, level, place, overlap, parts, i)."""
    need = problem.needs[i]
    if not problem.need_active[i]:
        return []
    start, end = int(problem.need_start[i]), int(problem.need_end[i])
    near = set(NEIGHBOURS[need.departement])
    own = tuple(int(p) for p in problem.need_points[i])
    levels, places = level_points(problem.weights).tolist(), place_points(problem.weights).tolist()
    found = []
    for j, offer in enumerate(problem.offers):
        if not problem.offer_active[j] or need.skill_id not in offer.skills:
            continue
        if (need.id, offer.id) in problem.forbidden:
            continue
        if need.departement in offer.departements:
            place = 0
        elif not near.isdisjoint(offer.departements):
            place = 1
        elif need.remote_ok and offer.remote_ok:
            place = 2
        else:
            continue
        o_start, o_end = int(problem.offer_start[j]), int(problem.offer_end[j])
        days = min(end, o_end) - max(start, o_start) + 1
        if days < 1:
            continue
        overlap = days / (end - start + 1)
        level = LEVELS.index(offer.skills[need.skill_id])
        parts = (levels[level], places[place], availability_points(problem.weights, overlap), *own)
        found.append((-sum(parts), j, level, place, overlap, parts, i))
    return found


def _from_rows(
    problem: Problem, rows: list[tuple], considered: int, pruned: int, max_per_need: int | None
) -> Candidates:
    """Candidates from the loop builder's rows (already in (need, offer) order)."""
    columns = _empty()
    if rows:
        columns = {
            "need": np.array([row[6] for row in rows]),
            "offer": np.array([row[1] for row in rows]),
            "level": np.array([row[2] for row in rows]),
            "place": np.array([row[3] for row in rows]),
            "overlap": np.array([row[4] for row in rows], dtype=np.float64),
            "parts": np.array([row[5] for row in rows], dtype=np.int64),
        }
    return _candidates(problem, columns, considered, pruned, max_per_need)
