"""Plain input records of the engine: needs, offers and the scoring weights."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from matching.engine.departements import INDEX

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
