"""Seeded synthetic instances shaped like Hauts-de-France, for the benchmark and scale checks."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from matching.engine.departements import DEPARTEMENTS, NEIGHBOURS
from matching.engine.inputs import LEVELS, Need, Offer

HAUTS_DE_FRANCE = ("59", "62", "60", "80", "02")
# Share of rows per Hauts-de-France département (Nord first), the rest go elsewhere.
HDF_SHARES = (0.40, 0.22, 0.13, 0.10, 0.07)
BASE_DAY = date(2025, 1, 6)


@dataclass(frozen=True)
class Instance:
    """A generated problem: needs, offers and forbidden pairs."""

    needs: tuple[Need, ...]
    offers: tuple[Offer, ...]
    forbidden: frozenset[tuple[int, int]]


def synthetic_instance(n_needs: int, n_offers: int, n_skills: int = 25, seed: int = 0) -> Instance:
    """Needs and offers mostly in Hauts-de-France, 1–4 skills and 1–5 départements per offer."""
    rng = np.random.default_rng(seed)
    needs = tuple(_need(rng, i + 1, n_skills) for i in range(n_needs))
    offers = tuple(_offer(rng, j + 1, n_skills) for j in range(n_offers))
    picks = rng.integers(1, [n_needs + 1, n_offers + 1], size=(n_needs // 5, 2))
    forbidden = frozenset((int(n), int(o)) for n, o in picks)
    return Instance(needs, offers, forbidden)


def _departement(rng: np.random.Generator) -> str:
    """A département: Hauts-de-France most of the time."""
    roll = rng.random()
    for code, share in zip(HAUTS_DE_FRANCE, np.cumsum(HDF_SHARES), strict=True):
        if roll < share:
            return code
    return DEPARTEMENTS[rng.integers(len(DEPARTEMENTS))]


def _day(rng: np.random.Generator, low: int, high: int) -> date:
    """A day between BASE_DAY + low and BASE_DAY + high."""
    return BASE_DAY + timedelta(days=int(rng.integers(low, high + 1)))


def _need(rng: np.random.Generator, need_id: int, n_skills: int) -> Need:
    """One need with a wished period, sometimes open-ended."""
    start = _day(rng, 0, 120)
    covered = rng.random() < 0.1
    return Need(
        id=need_id,
        skill_id=int(rng.integers(1, n_skills + 1)),
        departement=_departement(rng),
        remote_ok=bool(rng.random() < 0.3),
        start=start,
        end=None if rng.random() < 0.3 else start + timedelta(days=int(rng.integers(14, 181))),
        waiting_days=int(rng.integers(0, 200)),
        slots_wanted=1 if covered else 2,
        already_covered=covered,
    )


def _offer(rng: np.random.Generator, offer_id: int, n_skills: int) -> Offer:
    """One offer acting around a home département."""
    home = _departement(rng)
    around = [home, *NEIGHBOURS[home], *HAUTS_DE_FRANCE]
    extra = rng.choice(around, size=int(rng.integers(0, 5)))
    skills = rng.choice(np.arange(1, n_skills + 1), size=int(rng.integers(1, 5)), replace=False)
    start = _day(rng, -60, 90)
    return Offer(
        id=offer_id,
        skills={int(s): LEVELS[int(rng.integers(len(LEVELS)))] for s in skills},
        departements=frozenset({home, *(str(code) for code in extra)}),
        remote_ok=bool(rng.random() < 0.4),
        start=start,
        end=None if rng.random() < 0.5 else start + timedelta(days=int(rng.integers(30, 366))),
        remaining_slots=int(rng.choice([0, 1, 1, 2, 2, 3])),
    )


def scarce_group_instance(n_needs: int, n_offers: int, seed: int = 0) -> Instance:
    """The adversarial shape: every need and offer on one skill in the Nord, one slot per
    offer and two wanted per need, so offers are scarcer than the slots needs want and every
    need ranks the same few offers (experts available early) first."""
    rng = np.random.default_rng(seed)
    needs = tuple(
        Need(
            id=i + 1,
            skill_id=1,
            departement="59",
            remote_ok=False,
            start=_day(rng, 0, 120),
            end=None if rng.random() < 0.3 else _day(rng, 130, 300),
            waiting_days=int(rng.integers(0, 200)),
            slots_wanted=2,
        )
        for i in range(n_needs)
    )
    offers = tuple(
        Offer(
            id=j + 1,
            skills={1: LEVELS[int(rng.integers(len(LEVELS)))]},
            departements=frozenset({"59"}),
            remote_ok=False,
            start=_day(rng, -60, 90),
        )
        for j in range(n_offers)
    )
    return Instance(needs, offers, frozenset())
