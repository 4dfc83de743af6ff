"""Plain input records of the engine: needs, offers and the scoring weights."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from matching.engine.departements import DEPARTEMENTS, INDEX

LEVELS: tuple[str, ...] = ("junior", "confirmed", "expert")
DEFAULT_K = 2
# Scores are handled as integer "points" = round(score × SCALE) so the flow is exact.
SCALE = 1000


@dataclass(frozen=True, slots=True)
class Need:
    """A published skill need of an organisation, as the matcher sees it.

    `slots_wanted` is how many more proposals it may receive (K minus its live proposals);
    `already_covered` means it has a live proposal already, so covering it again earns no
    coverage priority. `end=None` is an open wished period.
    """

    id: int
    skill_id: int
    departement: str
    remote_ok: bool
    start: date
    end: date | None = None
    waiting_days: int = 0
    slots_wanted: int = DEFAULT_K
    already_covered: bool = False

    def __post_init__(self) -> None:
        _check_departement(self.departement, self)
        _check_period(self.start, self.end, self)
        if self.slots_wanted < 0:
            raise ValueError(f"need {self.id}: slots_wanted must be >= 0")


@dataclass(frozen=True, slots=True)
class Offer:
    """A volunteer's active skill offer.

    `skills` maps a skill id to a level in LEVELS; `departements` are the INSEE codes where the
    volunteer can act; `remaining_slots` is how many more live proposals the offer may carry.
    """

    id: int
    skills: Mapping[int, str]
    departements: frozenset[str]
    remote_ok: bool
    start: date
    end: date | None = None
    remaining_slots: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "departements", frozenset(self.departements))
        for code in self.departements:
            _check_departement(code, self)
        for level in self.skills.values():
            if level not in LEVELS:
                raise ValueError(f"offer {self.id}: unknown level {level!r}")
        _check_period(self.start, self.end, self)
        if self.remaining_slots < 0:
            raise ValueError(f"offer {self.id}: remaining_slots must be >= 0")


@dataclass(frozen=True, slots=True)
class Weights:
    """Scoring weights; the Django side builds it from settings (`Weights(**MATCHING_WEIGHTS)`).

    skill = skill × level points; place = one of the three place weights; availability =
    availability × overlap fraction; waiting = waiting × min(days, cap) / cap; equity =
    equity × (1 − min(1, offers acting in the département / needs there)). A need with an
    open end wishes `open_period_days` from its start (see candidates.py).
    """

    skill: float = 1.0
    junior: float = 1.0
    confirmed: float = 2.0
    expert: float = 3.0
    same_departement: float = 2.0
    neighbour: float = 1.0
    remote: float = 0.5
    availability: float = 1.0
    waiting: float = 1.0
    waiting_cap_days: int = 90
    equity: float = 1.5
    open_period_days: int = 180

    def __post_init__(self) -> None:
        if min(self.availability, self.waiting, self.equity) < 0:
            raise ValueError("weights must be >= 0")
        if not self.junior <= self.confirmed <= self.expert or self.skill * self.junior * SCALE < 1:
            raise ValueError("level points must be positive and ordered junior <= expert")
        if not self.same_departement >= self.neighbour >= self.remote >= 1 / SCALE:
            raise ValueError("place weights must be positive and ordered same >= neighbour")
        if self.waiting_cap_days < 1 or self.open_period_days < 1:
            raise ValueError("waiting_cap_days and open_period_days must be >= 1")

    def level_points(self, level: str) -> float:
        """Points of a level before the skill weight."""
        return {"junior": self.junior, "confirmed": self.confirmed, "expert": self.expert}[level]


def _check_departement(code: str, owner: Need | Offer) -> None:
    """Refuse a code that is not one of the 101 INSEE départements."""
    if code not in INDEX:
        raise ValueError(f"{type(owner).__name__.lower()} {owner.id}: unknown département {code!r}")


def _check_period(start: date, end: date | None, owner: Need | Offer) -> None:
    """Refuse a period that ends before it starts."""
    if end is not None and end < start:
        raise ValueError(f"{type(owner).__name__.lower()} {owner.id}: period ends before it starts")


def sorted_unique(items: Iterable, kind: str) -> tuple:
    """Items sorted by id; ValueError on a duplicate id, so the order of the input never matters."""
    result = tuple(sorted(items, key=lambda item: item.id))
    for before, after in zip(result, result[1:], strict=False):
        if before.id == after.id:
            raise ValueError(f"duplicate {kind} id {after.id}")
    return result


# Columnar input: what the matcher builds straight from database cursors, one array per field
# instead of one Python object per row (a full pass reads tens of thousands of offers).

NO_END = -1  # ordinal of an open end in NeedColumns/OfferColumns


@dataclass(frozen=True, eq=False)
class NeedColumns:
    """Needs as arrays, one entry per need: the columnar twin of a sequence of Need.

    Dates are ordinals (date.toordinal()), an open end is NO_END; `departement` is an index
    into departements.DEPARTEMENTS. Rows need not be sorted: the engine sorts them by id.
    """

    id: np.ndarray
    skill_id: np.ndarray
    departement: np.ndarray
    remote_ok: np.ndarray
    start: np.ndarray
    end: np.ndarray
    waiting_days: np.ndarray
    slots_wanted: np.ndarray
    already_covered: np.ndarray

    @classmethod
    def from_needs(cls, needs: Iterable[Need]) -> "NeedColumns":
        """Columns of Need records (validated when they were made)."""
        needs = tuple(needs)
        return cls(
            id=_ints([n.id for n in needs]),
            skill_id=_ints([n.skill_id for n in needs]),
            departement=_ints([INDEX[n.departement] for n in needs]),
            remote_ok=np.array([n.remote_ok for n in needs], dtype=bool),
            start=_ints([n.start.toordinal() for n in needs]),
            end=_ints([NO_END if n.end is None else n.end.toordinal() for n in needs]),
            waiting_days=_ints([n.waiting_days for n in needs]),
            slots_wanted=_ints([n.slots_wanted for n in needs]),
            already_covered=np.array([n.already_covered for n in needs], dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.id)

    def record(self, i: int) -> Need:
        """Row i as a Need (for explanations and tests)."""
        end = int(self.end[i])
        return Need(
            id=int(self.id[i]),
            skill_id=int(self.skill_id[i]),
            departement=DEPARTEMENTS[int(self.departement[i])],
            remote_ok=bool(self.remote_ok[i]),
            start=date.fromordinal(int(self.start[i])),
            end=None if end == NO_END else date.fromordinal(end),
            waiting_days=int(self.waiting_days[i]),
            slots_wanted=int(self.slots_wanted[i]),
            already_covered=bool(self.already_covered[i]),
        )


@dataclass(frozen=True, eq=False)
class OfferColumns:
    """Offers as arrays: one entry per offer, plus one row per (offer, skill) and per
    (offer, département) that refer to offers by id. The columnar twin of a sequence of Offer.

    `skill_level` indexes LEVELS; `area_departement` indexes DEPARTEMENTS; an open end is NO_END.
    """

    id: np.ndarray
    remote_ok: np.ndarray
    start: np.ndarray
    end: np.ndarray
    remaining_slots: np.ndarray
    skill_offer_id: np.ndarray
    skill_id: np.ndarray
    skill_level: np.ndarray
    area_offer_id: np.ndarray
    area_departement: np.ndarray

    @classmethod
    def from_offers(cls, offers: Iterable[Offer]) -> "OfferColumns":
        """Columns of Offer records (validated when they were made)."""
        offers = tuple(offers)
        skills = [(o.id, s, LEVELS.index(level)) for o in offers for s, level in o.skills.items()]
        areas = [(o.id, INDEX[code]) for o in offers for code in o.departements]
        skill_rows = np.array(skills, dtype=np.int64).reshape(-1, 3)
        area_rows = np.array(areas, dtype=np.int64).reshape(-1, 2)
        return cls(
            id=_ints([o.id for o in offers]),
            remote_ok=np.array([o.remote_ok for o in offers], dtype=bool),
            start=_ints([o.start.toordinal() for o in offers]),
            end=_ints([NO_END if o.end is None else o.end.toordinal() for o in offers]),
            remaining_slots=_ints([o.remaining_slots for o in offers]),
            skill_offer_id=skill_rows[:, 0].copy(),
            skill_id=skill_rows[:, 1].copy(),
            skill_level=skill_rows[:, 2].copy(),
            area_offer_id=area_rows[:, 0].copy(),
            area_departement=area_rows[:, 1].copy(),
        )

    def __len__(self) -> int:
        return len(self.id)


def _ints(values: list[int]) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def check_columns(needs: NeedColumns, offers: OfferColumns) -> None:
    """The checks Need and Offer make on each record, over whole columns at once."""
    for kind, ids in (("need", needs.id), ("offer", offers.id)):
        if len(np.unique(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} id")
    departements = np.concatenate([needs.departement, offers.area_departement])
    if ((departements < 0) | (departements >= len(DEPARTEMENTS))).any():
        raise ValueError("unknown département index")
    if ((offers.skill_level < 0) | (offers.skill_level >= len(LEVELS))).any():
        raise ValueError("unknown level index")
    for kind, start, end in (("need", needs.start, needs.end), ("offer", offers.start, offers.end)):
        if ((end != NO_END) & (end < start)).any():
            raise ValueError(f"{kind} period ends before it starts")
    if (needs.slots_wanted < 0).any() or (offers.remaining_slots < 0).any():
        raise ValueError("slots must be >= 0")
