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
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property

import numpy as np

from matching.engine.departements import NEIGHBOURS
from matching.engine.inputs import LEVELS, Need, NeedColumns, Offer, OfferColumns, Weights
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
# Pairs of negative reduced cost added per need in a pricing round, at least.
PRICING_BATCH = 30
# Where a skill's offers carry fewer than SCARCE_BELOW × the slots its needs want, each offer
# keeps its best max_per_need // PER_OFFER_SHARE needs in the working set too.
SCARCE_BELOW = 2
PER_OFFER_SHARE = 8
# Bits of the tie-breaker between needs of equal value for an offer (values stay below 2**40).
SPREAD_BITS = 20
# Cells (needs × offers) evaluated at once; bounds the working memory to a few tens of MB.
CHUNK_CELLS = 1 << 21
# Ranking keys are slack × (columns + 1) + column; capping the slack keeps them in int64.
SLACK_CAP = 1 << 40
COLUMNS = ("need", "offer", "pair_points")


@dataclass(frozen=True, eq=False)
class Candidates:
    """Candidate pairs, one array entry per pair, sorted by (need id, offer id).

    `need` and `offer` index into the problem's needs and offers (both sorted by id);
    `pair_points` is what the assignment earns per pair (every part but equity). The parts
    themselves, the level, place and overlap are worked out on demand (`facts`), for the few
    pairs chosen: a full pass holds millions of pairs and explains a few thousand.
    `considered` counts every pair that passed the rules, `pruned_needs` the needs that had
    more than `max_per_need` of them (0 means this set holds every candidate pair).
    """

    problem: Problem
    need: np.ndarray  # int32
    offer: np.ndarray  # int32
    pair_points: np.ndarray  # int64: skill + place + availability + waiting points
    considered: int
    pruned_needs: int
    max_per_need: int | None

    @property
    def needs(self) -> tuple[Need, ...]:
        """Needs sorted by id, as records."""
        return self.problem.needs

    @property
    def offers(self) -> tuple[Offer, ...]:
        """Offers sorted by id, as records."""
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
    def holds_every_pair(self) -> bool:
        """True when the set holds every candidate pair of its problem."""
        return len(self) == self.considered

    @cached_property
    def facts(self) -> "PairFacts":
        """Level, place, overlap and parts of every pair (costly: for tests and small sets)."""
        return pair_facts(self.problem, self.need, self.offer)

    @property
    def level(self) -> np.ndarray:
        return self.facts.level

    @property
    def place(self) -> np.ndarray:
        return self.facts.place

    @property
    def overlap(self) -> np.ndarray:
        return self.facts.overlap

    @property
    def parts(self) -> np.ndarray:
        return self.facts.parts

    @property
    def points(self) -> np.ndarray:
        """Total integer points per pair, every part included (what a proposal shows)."""
        return self.pair_points + self.need_equity[self.need]

    @property
    def need_equity(self) -> np.ndarray:
        """Equity points of each need (indexed like `needs`), earned when it is covered.

        Equity is earned once per need, when it is covered: counted on every pair, it would
        buy second proposals for the needs of a département behind the others with the very
        offers that could cover more of them.
        """
        return self.problem.need_points[:, 1]

    def __len__(self) -> int:
        return len(self.need)


@dataclass(frozen=True, eq=False)
class PairFacts:
    """What explains the points of some pairs, one entry per pair."""

    level: np.ndarray  # int8 index into LEVELS
    place: np.ndarray  # int8 index into scoring.PLACES
    overlap: np.ndarray  # float64 fraction of the need's wished period covered
    parts: np.ndarray  # int64 (pairs, len(PARTS))


def pair_facts(problem: Problem, need: np.ndarray, offer: np.ndarray) -> PairFacts:
    """Level, place, overlap and parts of the pairs (need[a], offer[a]), all candidates."""
    weights = problem.weights
    need, offer = np.asarray(need, dtype=np.int64), np.asarray(offer, dtype=np.int64)
    dept = problem.need_dept[need]
    place = np.where(
        problem.offer_depts[offer, dept], 0, np.where(problem.offer_reach[offer, dept], 1, 2)
    ).astype(np.int8)
    # Skill rows are sorted by (skill id, offer index): one search finds each pair's level.
    width = len(problem.offer_active) + 1
    keys = problem.skill_id * width + problem.skill_offer
    rows = np.searchsorted(keys, problem.need_skill[need] * width + offer)
    level = problem.skill_level[rows].astype(np.int8)
    start, end = problem.need_start[need], problem.need_end[need]
    days = np.minimum(problem.offer_end[offer], end)
    days -= np.maximum(problem.offer_start[offer], start) - 1
    overlap = days / (end - start + 1)
    parts = np.column_stack(
        [
            level_points(weights)[level],
            place_points(weights)[place],
            availability_points_array(weights, overlap),
            problem.need_points[need],
        ]
    ).astype(np.int64)
    return PairFacts(level=level, place=place, overlap=overlap, parts=parts.reshape(-1, len(PARTS)))


def build_candidates(
    needs: Iterable[Need] | NeedColumns,
    offers: Iterable[Offer] | OfferColumns,
    forbidden: Iterable[tuple[int, int]] = (),
    weights: Weights | None = None,
    *,
    max_per_need: int | None = DEFAULT_MAX_PER_NEED,
    today: date | None = None,
    departement_counts: Mapping[str, tuple[int, int]] | None = None,
) -> Candidates:
    """Vectorised candidate building: the first working set.

    Each need keeps its max_per_need best pairs, and each offer its best needs (per skill,
    PER_OFFER_SHARE of max_per_need): where many needs rank the same few offers first, the
    offers further down still get the needs that suit them best, so the first solve already
    covers what it can instead of leaving it to many pricing rounds.
    """
    _check_max(max_per_need)
    problem = prepare(needs, offers, forbidden, weights or Weights(), today, departement_counts)
    own = problem.need_points[:, 0]
    pieces, considered, pruned = [], 0, 0
    for group, blocks in _scan(problem):
        per_offer = _per_offer(max_per_need, group)
        offer_side = []
        for block in blocks:
            per_need = block.ok.sum(axis=1)
            considered += int(per_need.sum())
            if max_per_need is not None:
                pruned += int((per_need > max_per_need).sum())
            rows, cols = _best(block.ok, block.points, max_per_need, per_need)
            pieces.append(_columns(block, rows, cols, own))
            if per_offer is not None:
                value = block.points + own[block.needs][:, None]
                offer_side.append(_best_per_offer(block, value, per_offer, own))
        pieces.extend(_keep_per_offer(offer_side, per_offer))
    return _candidates(problem, _merge(pieces), considered, pruned, max_per_need)


def price(
    candidates: Candidates, need_potential: np.ndarray, offer_potential: np.ndarray
) -> Candidates:
    """The working set plus, per need and per offer, the best pairs of negative reduced cost.

    A pair (n, o) outside the set could improve the flow only if its points exceed
    π(n) − π(o); the potentials π come from the residual graph of an optimal flow.
    """
    problem = candidates.problem
    # At least PRICING_BATCH per need: a small first working set must not mean small rounds.
    limit = max(candidates.max_per_need or DEFAULT_MAX_PER_NEED, PRICING_BATCH)
    own = problem.need_points[:, 0]  # waiting; equity rides on the need's first unit
    pieces = []
    for group, blocks in _scan(problem):
        per_offer = _per_offer(limit, group)
        offer_side = []
        for block in blocks:
            _clear(block.ok, block.needs, block.group, candidates.need, candidates.offer)
            slack = block.points + (own - need_potential)[block.needs][:, None]
            slack += offer_potential[block.group.offers][None, :]
            better = block.ok & (slack > 0)
            if not better.any():
                continue
            slack = np.minimum(slack, SLACK_CAP)
            rows, cols = _best(better, slack, limit, better.sum(axis=1))
            pieces.append(_columns(block, rows, cols, own))
            if per_offer is not None:
                offer_side.append(_best_per_offer(replace(block, ok=better), slack, per_offer, own))
        pieces.extend(_keep_per_offer(offer_side, per_offer))
    if not pieces:
        return candidates
    working = {name: getattr(candidates, name) for name in COLUMNS}
    merged = _merge([working, *pieces])
    return _candidates(
        problem, merged, candidates.considered, candidates.pruned_needs, candidates.max_per_need
    )


def complete(candidates: Candidates) -> Candidates:
    """Every candidate pair of the same problem, none pruned: solving it is exact at once."""
    if candidates.holds_every_pair:
        return candidates
    own = candidates.problem.need_points[:, 0]
    pieces, considered = [], 0
    for _group, blocks in _scan(candidates.problem):
        for block in blocks:
            considered += int(block.ok.sum())
            pieces.append(_columns(block, *np.nonzero(block.ok), own))
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
    kept, considered, pruned = set(), 0, 0
    by_offer = {}
    for i in range(len(problem.needs)):
        found = _loop_need(problem, i)
        considered += len(found)
        pruned += max_per_need is not None and len(found) > max_per_need
        found.sort()
        kept.update(found[:max_per_need])
        for row in found:
            by_offer.setdefault((row[1], problem.needs[i].skill_id), []).append(row)
    groups = {int(skill): _group(problem, int(skill)) for skill in np.unique(problem.need_skill)}
    for (j, skill), rows in by_offer.items():
        per_offer = _per_offer(max_per_need, groups[skill])
        if per_offer is not None:
            rows.sort(key=lambda row: (-row[2], -_spread(row[3], j)))
            kept.update(rows[:per_offer])
    rows = sorted(kept, key=lambda row: (row[3], row[1]))
    return _from_rows(problem, rows, considered, pruned, max_per_need)


def _check_max(max_per_need: int | None) -> None:
    """max_per_need is None (no pruning) or at least 1."""
    if max_per_need is not None and max_per_need < 1:
        raise ValueError("max_per_need must be None or >= 1")


def _per_offer(max_per_need: int | None, group: "_Group") -> int | None:
    """How many needs each offer of a skill group keeps in the working set: None (none kept
    for the offers' sake) without pruning or where offers are plentiful, as most groups are:
    there each need's own best pairs hold the optimum, and offer-side picks only add pairs."""
    if max_per_need is None or group.capacity >= SCARCE_BELOW * group.demand:
        return None
    return max(2, max_per_need // PER_OFFER_SHARE)


@dataclass(frozen=True, eq=False)
class _Group:
    """The active offers covering one skill (in a block, only those that can reach its needs;
    capacity and demand stay the whole skill's)."""

    offers: np.ndarray  # offer indices, by id
    levels: np.ndarray  # int8 level of each
    remote: np.ndarray
    start: np.ndarray
    end: np.ndarray
    capacity: int  # slots of the group's offers
    demand: int  # slots wanted by the needs of this skill


@dataclass(frozen=True, eq=False)
class _Block:
    """Dense needs × offers of one skill: which pairs are candidates, and their pair points."""

    needs: np.ndarray  # need indices (rows)
    group: _Group
    ok: np.ndarray  # bool: the pair passes every rule
    points: np.ndarray  # int64: skill + place + availability points


def _scan(problem: Problem) -> Iterator[tuple[_Group, Iterator[_Block]]]:
    """Every skill group of the problem, with its dense blocks."""
    for skill in np.unique(problem.need_skill[problem.need_active]):
        group = _group(problem, int(skill))
        if len(group.offers) == 0:
            continue
        needs = np.flatnonzero(problem.need_active & (problem.need_skill == skill))
        yield group, _blocks(problem, group, needs)


def _blocks(problem: Problem, group: _Group, needs: np.ndarray) -> Iterator[_Block]:
    """Blocks of needs sharing a département and a remote flag, each against only the
    offers that can reach them: those acting there or next door, and the remote ones when the
    needs accept remote work. Across France most offers of a skill are far from a given
    need; scanning them all cost most of a full pass. A bounded number of cells at a time."""
    places = problem.need_dept[needs] * 2 + problem.need_remote[needs]
    order = np.argsort(places, kind="stable")
    needs, places = needs[order], places[order]
    starts = np.flatnonzero(np.r_[True, places[1:] != places[:-1]])
    # (D, offers) copies, so that a département's row is contiguous.
    depts = np.ascontiguousarray(problem.offer_depts[group.offers].T)
    reach = np.ascontiguousarray(problem.offer_reach[group.offers].T)
    for first, last in zip(starts, np.r_[starts[1:], len(needs)], strict=True):
        dept, remote = divmod(int(places[first]), 2)
        columns = np.flatnonzero(depts[dept] | reach[dept] | (group.remote & bool(remote)))
        if len(columns) == 0:
            continue
        nearby = replace(
            group, offers=group.offers[columns], levels=group.levels[columns],
            remote=group.remote[columns], start=group.start[columns], end=group.end[columns],
        )  # fmt: skip
        same, near = depts[dept, columns][None, :], reach[dept, columns][None, :]
        step = max(1, CHUNK_CELLS // len(columns))
        for chunk in range(first, last, step):
            yield _block(problem, nearby, needs[chunk : min(chunk + step, last)], same, near)


def _group(problem: Problem, skill: int) -> _Group:
    """Offer-side arrays of one skill."""
    lo, hi = np.searchsorted(problem.skill_id, [skill, skill + 1])
    offers = problem.skill_offer[lo:hi]
    return _Group(
        offers=offers,
        levels=problem.skill_level[lo:hi],
        remote=problem.offer_remote[offers],
        start=problem.offer_start[offers],
        end=problem.offer_end[offers],
        capacity=int(problem.offer_slots[offers].sum()),
        demand=int(problem.need_slots[problem.need_skill == skill].sum()),
    )


def _block(problem: Problem, group: _Group, needs: np.ndarray, same, near) -> _Block:
    """Candidate rules and pair points between `needs` (of one département) and some offers
    of a skill group; `same` and `near` say which offers act there or next door."""
    weights = problem.weights
    start, end = problem.need_start[needs], problem.need_end[needs]
    ok = same | near | np.outer(problem.need_remote[needs], group.remote)
    ok &= group.start[None, :] <= end[:, None]
    ok &= start[:, None] <= group.end[None, :]
    _clear(ok, needs, group, problem.forbidden_need, problem.forbidden_offer)
    overlap = np.minimum(group.end[None, :], end[:, None])
    overlap -= np.maximum(group.start[None, :], start[:, None]) - 1
    overlap = overlap / (end - start + 1)[:, None]
    place = np.where(same, 0, np.where(near, 1, 2))
    points = level_points(weights)[group.levels][None, :] + place_points(weights)[place]
    return _Block(needs, group, ok, points + availability_points_array(weights, overlap))


def _clear(ok: np.ndarray, needs: np.ndarray, group: _Group, p_need, p_offer) -> None:
    """Set ok to False for the given pairs (index arrays sorted by need) within this block."""
    lo = np.searchsorted(p_need, needs, side="left")
    counts = np.searchsorted(p_need, needs, side="right") - lo
    if not counts.any():
        return
    rows = np.repeat(np.arange(len(needs)), counts)
    # Positions lo[row], lo[row] + 1, … of each row's pairs, all at once.
    at = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
    offers = p_offer[at]
    cols = np.minimum(np.searchsorted(group.offers, offers), len(group.offers) - 1)
    hit = group.offers[cols] == offers
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


def _best_per_offer(block: _Block, value: np.ndarray, limit: int, own: np.ndarray) -> dict:
    """Each column's `limit` best cells of a block by value (ties: a spread of rows, so that
    offers of equal value do not all pick the same needs), with their values."""
    height = len(block.needs)
    if height <= limit:
        rows, cols = np.nonzero(block.ok)
    else:
        spread = _spread(block.needs[:, None], block.group.offers[None, :])
        key = np.where(block.ok, (value << SPREAD_BITS) + spread, -1)
        top = np.argpartition(key, height - limit, axis=0)[height - limit :, :]
        keep = np.take_along_axis(key, top, axis=0) >= 0
        cols = np.broadcast_to(np.arange(block.ok.shape[1])[None, :], top.shape)
        rows, cols = top[keep], cols[keep]
    columns = _columns(block, rows, cols, own)
    columns["value"] = value[rows, cols]
    return columns


def _spread(need, offer):
    """A deterministic tie-breaker below 2**SPREAD_BITS that differs from offer to offer."""
    return (need * 2654435761 + offer * 40503) % (1 << SPREAD_BITS)


def _keep_per_offer(pieces: list[dict], limit: int | None) -> list[dict]:
    """Across the blocks of one skill group, each offer's `limit` best needs."""
    if not pieces:
        return []
    merged = {name: np.concatenate([piece[name] for piece in pieces]) for name in pieces[0]}
    spread = _spread(merged["need"], merged["offer"])
    order = np.lexsort((-spread, -merged["value"], merged["offer"]))
    offer = merged["offer"][order]
    first = np.concatenate([[True], offer[1:] != offer[:-1]])
    starts = np.flatnonzero(first)
    rank = np.arange(len(offer)) - np.repeat(starts, np.diff(np.append(starts, len(offer))))
    keep = order[rank < limit]
    return [{name: merged[name][keep] for name in COLUMNS}]


def _columns(block: _Block, rows: np.ndarray, cols: np.ndarray, own: np.ndarray) -> dict:
    """Column arrays of the selected cells of a block."""
    needs = block.needs[rows]
    return {
        "need": needs,
        "offer": block.group.offers[cols],
        "pair_points": block.points[rows, cols] + own[needs],
    }


def _merge(pieces: list[dict]) -> dict:
    """Concatenate column sets, sorted by (need, offer), each pair once."""
    if not pieces:
        return _empty()
    merged = {name: np.concatenate([piece[name] for piece in pieces]) for name in COLUMNS}
    order = np.lexsort((merged["offer"], merged["need"]))
    need, offer = merged["need"][order], merged["offer"][order]
    fresh = np.ones(len(order), dtype=bool)
    fresh[1:] = (need[1:] != need[:-1]) | (offer[1:] != offer[:-1])
    return {name: values[order][fresh] for name, values in merged.items()}


def _empty() -> dict:
    """Empty column set."""
    return {
        "need": np.zeros(0, dtype=np.int64),
        "offer": np.zeros(0, dtype=np.int64),
        "pair_points": np.zeros(0, dtype=np.int64),
    }


def _candidates(
    problem: Problem, columns: dict, considered: int, pruned: int, max_per_need: int | None
) -> Candidates:
    """Wrap columns into a Candidates with canonical dtypes."""
    return Candidates(
        problem=problem,
        need=columns["need"].astype(np.int32),
        offer=columns["offer"].astype(np.int32),
        pair_points=columns["pair_points"].astype(np.int64),
        considered=considered,
        pruned_needs=pruned,
        max_per_need=max_per_need,
    )


def _loop_need(problem: Problem, i: int) -> list[tuple]:
    """Need i's candidates as sortable rows (-points, offer index, pair points, need index)."""
    need = problem.needs[i]
    if not problem.need_active[i]:
        return []
    start, end = int(problem.need_start[i]), int(problem.need_end[i])
    near = set(NEIGHBOURS[need.departement])
    waiting = int(problem.need_points[i, 0])
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
        points = levels[level] + places[place] + availability_points(problem.weights, overlap)
        found.append((-points, j, points + waiting, i))
    return found


def _from_rows(
    problem: Problem, rows: list[tuple], considered: int, pruned: int, max_per_need: int | None
) -> Candidates:
    """Candidates from the loop builder's rows (already in (need, offer) order)."""
    columns = _empty()
    if rows:
        columns = {
            "need": np.array([row[3] for row in rows]),
            "offer": np.array([row[1] for row in rows]),
            "pair_points": np.array([row[2] for row in rows], dtype=np.int64),
        }
    return _candidates(problem, columns, considered, pruned, max_per_need)
