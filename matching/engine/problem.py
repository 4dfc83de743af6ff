"""Per-need and per-offer preparation shared by both candidate builders (no pair logic here).

Everything is columns: needs and offers sorted by id, one array per field. Records (Need,
Offer) are turned into columns here; the matcher gives columns straight from its cursors, and
records are made back only for the few rows an explanation or a test needs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from matching.engine.departements import DEPARTEMENTS, INDEX, neighbour_matrix
from matching.engine.inputs import (
    LEVELS,
    NO_END,
    Need,
    NeedColumns,
    Offer,
    OfferColumns,
    Weights,
    check_columns,
    sorted_unique,
)
from matching.engine.scoring import equity_points, waiting_points_array

FAR = date.max.toordinal()


@dataclass(frozen=True, eq=False)
class Problem:
    """Needs and offers sorted by id, with the per-row arrays the builders need."""

    need_columns: NeedColumns  # sorted by id
    offer_columns: OfferColumns  # sorted by id
    weights: Weights
    need_skill: np.ndarray  # int64 skill id
    need_dept: np.ndarray  # intp index into DEPARTEMENTS
    need_remote: np.ndarray  # bool
    need_start: np.ndarray  # int64 ordinal, effective (see need_periods)
    need_end: np.ndarray  # int64 ordinal, inclusive
    need_slots: np.ndarray  # int64 slots wanted, 0 for a need that takes no part
    need_fresh: np.ndarray  # bool: takes part and is not already covered
    need_active: np.ndarray  # bool: wants a slot and has a non-empty period
    need_points: np.ndarray  # int64 (needs, 2): waiting and equity points
    offer_remote: np.ndarray  # bool
    offer_start: np.ndarray  # int64 ordinal
    offer_end: np.ndarray  # int64 ordinal, inclusive, FAR when open
    offer_slots: np.ndarray  # int64 remaining slots, 0 for an offer that takes no part
    offer_active: np.ndarray  # bool: has a slot left and a non-empty period
    offer_depts: np.ndarray  # bool (offers, D)
    offer_reach: np.ndarray  # bool (offers, D): acts in a neighbour of that département
    skill_offer: np.ndarray  # int64 offer index, one row per (active offer, skill), by skill
    skill_id: np.ndarray  # int64 skill id of that row
    skill_level: np.ndarray  # int8 index into LEVELS
    forbidden_need: np.ndarray  # int64 need index of each known forbidden pair, sorted
    forbidden_offer: np.ndarray  # int64 offer index of that pair
    departement_counts: dict[str, tuple[int, int]]  # code -> (needs served, needs)
    region_share: float  # the share of all counted needs that are served

    @property
    def need_id(self) -> np.ndarray:
        return self.need_columns.id

    @property
    def offer_id(self) -> np.ndarray:
        return self.offer_columns.id

    @cached_property
    def needs(self) -> tuple[Need, ...]:
        """The needs as records, sorted by id (made on demand: tests and the loop twin)."""
        return tuple(self.need_columns.record(i) for i in range(len(self.need_columns)))

    @cached_property
    def offers(self) -> tuple[Offer, ...]:
        """The offers as records, sorted by id (made on demand: tests and the loop twin)."""
        return tuple(self.offer_record(j) for j in range(len(self.offer_columns)))

    @cached_property
    def forbidden(self) -> frozenset[tuple[int, int]]:
        """Forbidden (need id, offer id) pairs between known rows."""
        pairs = zip(
            self.need_id[self.forbidden_need], self.offer_id[self.forbidden_offer], strict=True
        )
        return frozenset((int(n), int(o)) for n, o in pairs)

    def offer_record(self, j: int) -> Offer:
        """Offer j as a record."""
        columns = self.offer_columns
        rows = np.flatnonzero(columns.skill_offer_id == columns.id[j])
        end = int(columns.end[j])
        return Offer(
            id=int(columns.id[j]),
            skills={int(columns.skill_id[r]): LEVELS[columns.skill_level[r]] for r in rows},
            departements=frozenset(DEPARTEMENTS[d] for d in np.flatnonzero(self.offer_depts[j])),
            remote_ok=bool(columns.remote_ok[j]),
            start=date.fromordinal(int(columns.start[j])),
            end=None if end == NO_END else date.fromordinal(end),
            remaining_slots=int(columns.remaining_slots[j]),
        )


def prepare(
    needs: Iterable[Need] | NeedColumns,
    offers: Iterable[Offer] | OfferColumns,
    forbidden: Iterable[tuple[int, int]],
    weights: Weights,
    today: date | None,
    departement_counts: Mapping[str, tuple[int, int]] | None,
) -> Problem:
    """Sort, validate and turn the input into arrays."""
    if not isinstance(needs, NeedColumns):
        needs = NeedColumns.from_needs(sorted_unique(needs, "need"))
    if not isinstance(offers, OfferColumns):
        offers = OfferColumns.from_offers(sorted_unique(offers, "offer"))
    check_columns(needs, offers)
    needs, offers = _sorted_needs(needs), _sorted_offers(offers)
    today_ordinal = None if today is None else today.toordinal()
    need_start, need_end = need_periods(needs, weights, today_ordinal)
    offer_start, offer_end = offer_periods(offers, today_ordinal)
    need_active = (needs.slots_wanted > 0) & (need_start <= need_end)
    offer_active = (offers.remaining_slots > 0) & (offer_start <= offer_end)
    offer_depts = _departement_matrix(offers)
    counts = _counts(departement_counts)
    need_dept = needs.departement.astype(np.intp)
    return Problem(
        need_columns=needs,
        offer_columns=offers,
        weights=weights,
        need_skill=needs.skill_id,
        need_dept=need_dept,
        need_remote=needs.remote_ok,
        need_start=need_start,
        need_end=need_end,
        need_slots=np.where(need_active, needs.slots_wanted, 0),
        need_fresh=need_active & ~needs.already_covered,
        need_active=need_active,
        need_points=_need_points(needs, weights, counts),
        offer_remote=offers.remote_ok,
        offer_start=offer_start,
        offer_end=offer_end,
        offer_slots=np.where(offer_active, offers.remaining_slots, 0),
        offer_active=offer_active,
        offer_depts=offer_depts,
        offer_reach=_reach(offer_depts),
        **_skill_rows(offers, offer_active),
        **_forbidden_rows(needs, offers, forbidden),
        departement_counts=counts,
        region_share=region_share(counts),
    )


def need_periods(
    needs: NeedColumns, weights: Weights, today: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Wished periods as inclusive ordinals: they start no earlier than today; an open end
    means `open_period_days` from that start. Empty (end < start) when already over."""
    start = needs.start if today is None else np.maximum(needs.start, today)
    end = np.where(needs.end == NO_END, start + weights.open_period_days - 1, needs.end)
    return start, end


def offer_periods(offers: OfferColumns, today: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Availability as inclusive ordinals: starts no earlier than today; open end = FAR."""
    start = offers.start if today is None else np.maximum(offers.start, today)
    return start, np.where(offers.end == NO_END, FAR, offers.end)


def _sorted_needs(needs: NeedColumns) -> NeedColumns:
    """The same needs in id order."""
    order = np.argsort(needs.id, kind="stable")
    fields = needs.__dataclass_fields__
    return NeedColumns(**{name: np.asarray(getattr(needs, name))[order] for name in fields})


def _sorted_offers(offers: OfferColumns) -> OfferColumns:
    """The same offers in id order (their skill and area rows refer to ids, not positions)."""
    order = np.argsort(offers.id, kind="stable")
    per_offer = ("id", "remote_ok", "start", "end", "remaining_slots")
    rows = {name: np.asarray(getattr(offers, name)) for name in offers.__dataclass_fields__}
    return OfferColumns(
        **{name: values[order] if name in per_offer else values for name, values in rows.items()}
    )


def _positions(ids: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of `wanted` ids in the sorted `ids`, and which of them are there at all."""
    at = np.minimum(np.searchsorted(ids, wanted), max(len(ids) - 1, 0))
    found = ids[at] == wanted if len(ids) else np.zeros(len(wanted), dtype=bool)
    return at, found


def _departement_matrix(offers: OfferColumns) -> np.ndarray:
    """Boolean (offers, D) matrix of the départements each offer acts in."""
    matrix = np.zeros((len(offers), len(DEPARTEMENTS)), dtype=bool)
    at, found = _positions(offers.id, offers.area_offer_id)
    matrix[at[found], offers.area_departement[found]] = True
    return matrix


def _reach(offer_depts: np.ndarray) -> np.ndarray:
    """(offers, D) bool: the offer acts in a neighbour of that département."""
    adjacency = neighbour_matrix().astype(np.float32)
    return (offer_depts.astype(np.float32) @ adjacency) > 0


def _forbidden_rows(
    needs: NeedColumns, offers: OfferColumns, forbidden: Iterable[tuple[int, int]]
) -> dict[str, np.ndarray]:
    """Forbidden pairs between known rows, as index arrays sorted by need then offer."""
    if isinstance(forbidden, np.ndarray):
        pairs = forbidden.astype(np.int64).reshape(-1, 2)
    else:
        pairs = np.array([(int(n), int(o)) for n, o in forbidden], dtype=np.int64).reshape(-1, 2)
    need_at, need_found = _positions(needs.id, pairs[:, 0])
    offer_at, offer_found = _positions(offers.id, pairs[:, 1])
    known = need_found & offer_found
    need_at, offer_at = need_at[known], offer_at[known]
    order = np.lexsort((offer_at, need_at))
    return {"forbidden_need": need_at[order], "forbidden_offer": offer_at[order]}


def _counts(given: Mapping[str, tuple[int, int]] | None) -> dict[str, tuple[int, int]]:
    """(needs served, needs) per département as given; none given means no equity part yet."""
    counts = {}
    for code, (served, needs) in (given or {}).items():
        if code not in INDEX:
            raise ValueError(f"unknown département {code!r} in departement_counts")
        if not 0 <= served <= needs:
            raise ValueError(f"département {code!r}: served needs must be between 0 and needs")
        counts[code] = (int(served), int(needs))
    return counts


def region_share(counts: Mapping[str, tuple[int, int]]) -> float:
    """The share of all needs that are served, over the départements counted."""
    needs = sum(n for _, n in counts.values())
    return sum(s for s, _ in counts.values()) / needs if needs else 0.0


def _need_points(
    needs: NeedColumns, weights: Weights, counts: dict[str, tuple[int, int]]
) -> np.ndarray:
    """Waiting and equity points of each need (they do not depend on the offer)."""
    region = region_share(counts)
    per_departement = np.zeros(len(DEPARTEMENTS), dtype=np.int64)
    for code, (served, total) in counts.items():
        if total:
            per_departement[INDEX[code]] = equity_points(weights, served / total, region)
    waiting = waiting_points_array(weights, needs.waiting_days)
    return np.column_stack([waiting, per_departement[needs.departement]]).astype(np.int64)


def _skill_rows(offers: OfferColumns, active: np.ndarray) -> dict[str, np.ndarray]:
    """One row per (active offer, skill), sorted by skill then offer index."""
    at, found = _positions(offers.id, offers.skill_offer_id)
    keep = found.copy()
    keep[found] &= active[at[found]]
    offer, skill = at[keep], offers.skill_id[keep]
    order = np.lexsort((offer, skill))
    return {
        "skill_offer": offer[order].astype(np.int64),
        "skill_id": skill[order].astype(np.int64),
        "skill_level": offers.skill_level[keep][order].astype(np.int8),
    }
