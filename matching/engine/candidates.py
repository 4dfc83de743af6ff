"""Candidate pairs (need × offer) with their score parts: a numpy builder and a loop twin.

An offer is a candidate for a need when it covers the need's skill; acts in the need's
département, or a neighbouring one, or both accept remote work; its availability overlaps the
need's wished period by at least one day; it has a slot left; the need wants a slot; and the
pair is not forbidden. The place kind is the best that applies: same > neighbour > remote.

Pruning: only the `max_per_need` best candidates of each need are kept (by points, then by
lower offer id). The need's own parts (waiting, equity) do not change that ranking.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.engine.departements import NEIGHBOURS, neighbour_matrix
from matching.engine.inputs import LEVELS, Need, Offer, Weights
from matching.engine.problem import Problem, prepare
from matching.engine.scoring import (
    availability_points,
    availability_points_array,
    level_points,
    place_points,
)

DEFAULT_MAX_PER_NEED = 30
# Cells (offers × needs) evaluated at once; bounds the working memory to a few tens of MB.
CHUNK_CELLS = 1 << 21


@dataclass(frozen=True, eq=False)
class Candidates:
    """Scored candidate pairs, one array entry per pair, sorted by (need id, offer id).

    `need` and `offer` index into `needs` and `offers` (both sorted by id). `parts` holds
    integer points, one column per scoring.PARTS; `points` is their sum. `considered` counts
    the pairs that passed every rule before pruning; `pruned_needs` the needs that lost some.
    """

    needs: tuple[Need, ...]
    offers: tuple[Offer, ...]
    weights: Weights
    need: np.ndarray  # int32
    offer: np.ndarray  # int32
    level: np.ndarray  # int8 index into LEVELS
    place: np.ndarray  # int8 index into scoring.PLACES
    overlap: np.ndarray  # float64 fraction of the need's wished period covered
    parts: np.ndarray  # int64 (pairs, len(PARTS))
    departement_counts: dict[str, tuple[int, int]]
    considered: int
    pruned_needs: int
    max_per_need: int | None

    @property
    def points(self) -> np.ndarray:
        """Total integer points per pair."""
        return self.parts.sum(axis=1)

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
    """Vectorised candidate building: per skill, boolean offers × needs blocks."""
    problem = prepare(needs, offers, forbidden, weights or Weights(), today, departement_counts)
    _check_max(max_per_need)
    reach = _reach(problem.offer_depts)
    forbidden_keys = _forbidden_keys(problem)
    blocks, considered, pruned = [], 0, 0
    for skill in np.unique(problem.need_skill[problem.need_active]):
        for block in _skill_blocks(problem, reach, int(skill)):
            block = _drop_forbidden(block, forbidden_keys, len(problem.offers))
            considered += len(block["need"])
            block, lost = _prune(block, max_per_need)
            pruned += lost
            blocks.append(block)
    return _assemble(problem, blocks, considered, pruned, max_per_need)


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
    problem = prepare(needs, offers, forbidden, weights or Weights(), today, departement_counts)
    _check_max(max_per_need)
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


def _reach(offer_depts: np.ndarray) -> np.ndarray:
    """(offers, D) bool: the offer acts in a neighbour of that département."""
    adjacency = neighbour_matrix().astype(np.float32)
    return (offer_depts.astype(np.float32) @ adjacency) > 0


def _forbidden_keys(problem: Problem) -> np.ndarray:
    """Sorted int64 keys need_index × n_offers + offer_index of the forbidden pairs we know."""
    need_at = {n.id: i for i, n in enumerate(problem.needs)}
    offer_at = {o.id: j for j, o in enumerate(problem.offers)}
    keys = [
        need_at[n] * len(problem.offers) + offer_at[o]
        for n, o in problem.forbidden
        if n in need_at and o in offer_at
    ]
    return np.unique(np.array(keys, dtype=np.int64))


def _skill_blocks(problem: Problem, reach: np.ndarray, skill: int):
    """Yield candidate pairs of one skill, one chunk of needs at a time."""
    lo, hi = np.searchsorted(problem.skill_id, [skill, skill + 1])
    rows = problem.skill_offer[lo:hi]
    if len(rows) == 0:
        return
    levels = problem.skill_level[lo:hi]
    cols = np.flatnonzero(problem.need_active & (problem.need_skill == skill))
    sub = {
        "depts": problem.offer_depts[rows],
        "reach": reach[rows],
        "remote": problem.offer_remote[rows],
        "start": problem.offer_start[rows],
        "end": problem.offer_end[rows],
    }
    step = max(1, CHUNK_CELLS // len(rows))
    for first in range(0, len(cols), step):
        yield _block(problem, sub, rows, levels, cols[first : first + step])


def _block(problem: Problem, sub: dict, rows: np.ndarray, levels: np.ndarray, cols: np.ndarray):
    """Candidate pairs between the offers `rows` of a skill and the needs `cols`."""
    dept = problem.need_dept[cols]
    start, end = problem.need_start[cols], problem.need_end[cols]
    same = sub["depts"][:, dept]
    near = sub["reach"][:, dept]
    ok = same | near | np.outer(sub["remote"], problem.need_remote[cols])
    ok &= sub["start"][:, None] <= end[None, :]
    ok &= start[None, :] <= sub["end"][:, None]
    r, k = np.nonzero(ok)
    overlap_days = np.minimum(sub["end"][r], end[k]) - np.maximum(sub["start"][r], start[k]) + 1
    overlap = overlap_days / (end[k] - start[k] + 1)
    place = np.where(same[r, k], 0, np.where(near[r, k], 1, 2)).astype(np.int8)
    parts = np.column_stack(
        [
            level_points(problem.weights)[levels[r]],
            place_points(problem.weights)[place],
            availability_points_array(problem.weights, overlap),
            problem.need_points[cols[k]],
        ]
    )
    return {
        "need": cols[k],
        "offer": rows[r],
        "level": levels[r],
        "place": place,
        "overlap": overlap,
        "parts": parts,
    }


def _take(block: dict, mask: np.ndarray) -> dict:
    """The pairs of a block selected by a mask or an index array."""
    return {name: values[mask] for name, values in block.items()}


def _drop_forbidden(block: dict, keys: np.ndarray, n_offers: int) -> dict:
    """Remove forbidden pairs (before pruning, so they never take a kept place)."""
    if len(keys) == 0 or len(block["need"]) == 0:
        return block
    pair_keys = block["need"].astype(np.int64) * n_offers + block["offer"]
    at = np.minimum(np.searchsorted(keys, pair_keys), len(keys) - 1)
    return _take(block, keys[at] != pair_keys)


def _prune(block: dict, max_per_need: int | None) -> tuple[dict, int]:
    """Keep each need's best max_per_need pairs (points desc, then offer id); count losers."""
    counts = np.bincount(block["need"]) if len(block["need"]) else np.zeros(0, dtype=np.int64)
    if max_per_need is None or counts.max(initial=0) <= max_per_need:
        return block, 0
    order = np.lexsort((block["offer"], -block["parts"].sum(axis=1), block["need"]))
    ordered = block["need"][order]
    first = np.searchsorted(ordered, ordered, side="left")
    keep = order[np.arange(len(order)) - first < max_per_need]
    return _take(block, np.sort(keep)), int((counts > max_per_need).sum())


def _assemble(
    problem: Problem, blocks: list[dict], considered: int, pruned: int, max_per_need: int | None
) -> Candidates:
    """Concatenate the blocks, sorted by (need, offer)."""
    merged = {
        name: np.concatenate([b[name] for b in blocks]) if blocks else _empty()[name]
        for name in _empty()
    }
    merged = _take(merged, np.lexsort((merged["offer"], merged["need"])))
    return _candidates(problem, merged, considered, pruned, max_per_need)


def _empty() -> dict:
    """Empty column set of a block."""
    return {
        "need": np.zeros(0, dtype=np.int64),
        "offer": np.zeros(0, dtype=np.int64),
        "level": np.zeros(0, dtype=np.int8),
        "place": np.zeros(0, dtype=np.int8),
        "overlap": np.zeros(0, dtype=np.float64),
        "parts": np.zeros((0, 5), dtype=np.int64),
    }


def _candidates(
    problem: Problem, columns: dict, considered: int, pruned: int, max_per_need: int | None
) -> Candidates:
    """Wrap columns into a Candidates with canonical dtypes."""
    return Candidates(
        needs=problem.needs,
        offers=problem.offers,
        weights=problem.weights,
        need=columns["need"].astype(np.int32),
        offer=columns["offer"].astype(np.int32),
        level=columns["level"].astype(np.int8),
        place=columns["place"].astype(np.int8),
        overlap=columns["overlap"].astype(np.float64),
        parts=columns["parts"].astype(np.int64).reshape(-1, 5),
        departement_counts=problem.departement_counts,
        considered=considered,
        pruned_needs=pruned,
        max_per_need=max_per_need,
    )


def _loop_need(problem: Problem, i: int) -> list[tuple]:
    """All candidates of need i as sortable rows (-points, offer, level, place, overlap, parts)."""
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
        parts = (
            levels[level],
            places[place],
            availability_points(problem.weights, overlap),
            *own,
        )
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
