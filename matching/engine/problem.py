"""Per-need and per-offer preparation shared by both candidate builders (no pair logic here)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.engine.departements import DEPARTEMENTS, INDEX, neighbour_matrix
from matching.engine.inputs import LEVELS, Need, Offer, Weights, sorted_unique
from matching.engine.scoring import equity_points, waiting_points

FAR = date.max.toordinal()


@dataclass(frozen=True, eq=False)
class Problem:
    """Needs and offers sorted by id, with the per-row arrays the builders need."""

    needs: tuple[Need, ...]
    offers: tuple[Offer, ...]
    weights: Weights
    need_skill: np.ndarray  # int64 skill id
    need_dept: np.ndarray  # intp index into DEPARTEMENTS
    need_remote: np.ndarray  # bool
    need_start: np.ndarray  # int64 ordinal, effective (see need_period)
    need_end: np.ndarray  # int64 ordinal, inclusive
    need_active: np.ndarray  # bool: wants a slot and has a non-empty period
    need_points: np.ndarray  # int64 (needs, 2): waiting and equity points
    offer_remote: np.ndarray  # bool
    offer_start: np.ndarray  # int64 ordinal
    offer_end: np.ndarray  # int64 ordinal, inclusive, FAR when open
    offer_active: np.ndarray  # bool: has a slot left and a non-empty period
    offer_depts: np.ndarray  # bool (offers, D)
    offer_reach: np.ndarray  # bool (offers, D): acts in a neighbour of that département
    skill_offer: np.ndarray  # int64 offer index, one row per (active offer, skill), by skill
    skill_id: np.ndarray  # int64 skill id of that row
    skill_level: np.ndarray  # int8 index into LEVELS
    forbidden: frozenset[tuple[int, int]]  # (need id, offer id)
    forbidden_need: np.ndarray  # int64 need index of each known forbidden pair, sorted
    forbidden_offer: np.ndarray  # int64 offer index of that pair
    departement_counts: dict[str, tuple[int, int]]  # code -> (needs served, needs)
    region_share: float  # the share of all counted needs that are served


def need_period(need: Need, weights: Weights, today: date | None) -> tuple[int, int]:
    """Wished period as inclusive ordinals: starts no earlier than today; an open end means
    `open_period_days` from that start. Empty (end < start) when it is already over."""
    start = need.start if today is None else max(need.start, today)
    if need.end is None:
        return start.toordinal(), start.toordinal() + weights.open_period_days - 1
    return start.toordinal(), need.end.toordinal()


def offer_period(offer: Offer, today: date | None) -> tuple[int, int]:
    """Availability as inclusive ordinals: starts no earlier than today; open end = FAR."""
    start = offer.start if today is None else max(offer.start, today)
    return start.toordinal(), FAR if offer.end is None else offer.end.toordinal()


def prepare(
    needs: Iterable[Need],
    offers: Iterable[Offer],
    forbidden: Iterable[tuple[int, int]],
    weights: Weights,
    today: date | None,
    departement_counts: Mapping[str, tuple[int, int]] | None,
) -> Problem:
    """Sort, validate and turn the input rows into arrays."""
    needs = sorted_unique(needs, "need")
    forbidden = frozenset((int(n), int(o)) for n, o in forbidden)
    offers = sorted_unique(offers, "offer")
    need_start, need_end = _periods([need_period(n, weights, today) for n in needs])
    offer_start, offer_end = _periods([offer_period(o, today) for o in offers])
    need_active = np.array([n.slots_wanted > 0 for n in needs], dtype=bool)
    need_active &= need_start <= need_end
    offer_active = np.array([o.remaining_slots > 0 for o in offers], dtype=bool)
    offer_active &= offer_start <= offer_end
    need_dept = np.array([INDEX[n.departement] for n in needs], dtype=np.intp)
    offer_depts = _departement_matrix(offers)
    counts = _counts(departement_counts)
    return Problem(
        needs=needs,
        offers=offers,
        weights=weights,
        need_skill=np.array([n.skill_id for n in needs], dtype=np.int64),
        need_dept=need_dept,
        need_remote=np.array([n.remote_ok for n in needs], dtype=bool),
        need_start=need_start,
        need_end=need_end,
        need_active=need_active,
        need_points=_need_points(needs, weights, counts),
        offer_remote=np.array([o.remote_ok for o in offers], dtype=bool),
        offer_start=offer_start,
        offer_end=offer_end,
        offer_active=offer_active,
        offer_depts=offer_depts,
        offer_reach=_reach(offer_depts),
        **_skill_rows(offers, offer_active),
        forbidden=forbidden,
        **_forbidden_rows(needs, offers, forbidden),
        departement_counts=counts,
        region_share=region_share(counts),
    )


def _periods(periods: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Split (start, end) pairs into two int64 arrays."""
    array = np.array(periods, dtype=np.int64).reshape(-1, 2)
    return array[:, 0].copy(), array[:, 1].copy()


def _departement_matrix(offers: tuple[Offer, ...]) -> np.ndarray:
    """Boolean (offers, D) matrix of the départements each offer acts in."""
    matrix = np.zeros((len(offers), len(DEPARTEMENTS)), dtype=bool)
    rows = [j for j, offer in enumerate(offers) for _ in offer.departements]
    cols = [INDEX[code] for offer in offers for code in offer.departements]
    matrix[rows, cols] = True
    return matrix


def _reach(offer_depts: np.ndarray) -> np.ndarray:
    """(offers, D) bool: the offer acts in a neighbour of that département."""
    adjacency = neighbour_matrix().astype(np.float32)
    return (offer_depts.astype(np.float32) @ adjacency) > 0


def _forbidden_rows(
    needs: tuple[Need, ...], offers: tuple[Offer, ...], forbidden: frozenset[tuple[int, int]]
) -> dict[str, np.ndarray]:
    """Forbidden pairs between known rows, as index arrays sorted by need then offer."""
    need_at = {n.id: i for i, n in enumerate(needs)}
    offer_at = {o.id: j for j, o in enumerate(offers)}
    pairs = sorted(
        (need_at[n], offer_at[o]) for n, o in forbidden if n in need_at and o in offer_at
    )
    array = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    return {"forbidden_need": array[:, 0].copy(), "forbidden_offer": array[:, 1].copy()}


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
    needs: tuple[Need, ...], weights: Weights, counts: dict[str, tuple[int, int]]
) -> np.ndarray:
    """Waiting and equity points of each need (they do not depend on the offer)."""
    region = region_share(counts)
    shares = {code: served / total for code, (served, total) in counts.items() if total}
    rows = [
        (
            waiting_points(weights, n.waiting_days),
            equity_points(weights, shares[n.departement], region) if n.departement in shares else 0,
        )
        for n in needs
    ]
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def _skill_rows(offers: tuple[Offer, ...], active: np.ndarray) -> dict[str, np.ndarray]:
    """One row per (active offer, skill), sorted by skill then offer index."""
    rows = [
        (j, skill, LEVELS.index(level))
        for j, offer in enumerate(offers)
        if active[j]
        for skill, level in offer.skills.items()
    ]
    array = np.array(rows, dtype=np.int64).reshape(-1, 3)
    array = array[np.lexsort((array[:, 0], array[:, 1]))]
    return {
        "skill_offer": array[:, 0].copy(),
        "skill_id": array[:, 1].copy(),
        "skill_level": array[:, 2].astype(np.int8),
    }
