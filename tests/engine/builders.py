"""Small builders for engine tests: hand-made rows with sensible defaults."""

from datetime import date, timedelta

import numpy as np

from matching.engine import LEVELS, Need, Offer

DAY = date(2025, 3, 3)


def need(id=1, skill_id=1, departement="02", remote_ok=False, **fields) -> Need:
    """A need in the Aisne wishing 30 days from DAY, with two free slots."""
    fields.setdefault("start", DAY)
    fields.setdefault("end", DAY + timedelta(days=29))
    return Need(id=id, skill_id=skill_id, departement=departement, remote_ok=remote_ok, **fields)


def offer(id=1, skills=None, departements=("02",), remote_ok=False, **fields) -> Offer:
    """An offer of skill 1 at confirmed level in the Aisne, open-ended from DAY, one slot."""
    fields.setdefault("start", DAY)
    return Offer(
        id=id,
        skills={1: "confirmed"} if skills is None else skills,
        departements=frozenset(departements),
        remote_ok=remote_ok,
        **fields,
    )


def random_rows(seed: int, n_needs: int, n_offers: int, n_skills: int = 3):
    """Random needs, offers and forbidden pairs over a few départements, for twin checks."""
    rng = np.random.default_rng(seed)
    codes = ("02", "59", "60", "62", "80", "08", "75", "2A", "2B", "971")
    needs = [
        Need(
            id=i + 1,
            skill_id=int(rng.integers(1, n_skills + 1)),
            departement=str(rng.choice(codes)),
            remote_ok=bool(rng.random() < 0.4),
            start=DAY + timedelta(days=int(rng.integers(0, 60))),
            end=None if rng.random() < 0.3 else DAY + timedelta(days=int(rng.integers(60, 120))),
            waiting_days=int(rng.integers(0, 150)),
            slots_wanted=int(rng.integers(0, 3)),
            already_covered=bool(rng.random() < 0.2),
        )
        for i in range(n_needs)
    ]
    offers = [
        Offer(
            id=j + 1,
            skills={
                int(s): LEVELS[int(rng.integers(3))]
                for s in rng.choice(np.arange(1, n_skills + 1), int(rng.integers(1, 3)), False)
            },
            departements=frozenset(str(c) for c in rng.choice(codes, int(rng.integers(1, 4)))),
            remote_ok=bool(rng.random() < 0.4),
            start=DAY + timedelta(days=int(rng.integers(-30, 90))),
            end=None if rng.random() < 0.5 else DAY + timedelta(days=int(rng.integers(90, 200))),
            remaining_slots=int(rng.integers(0, 3)),
        )
        for j in range(n_offers)
    ]
    forbidden = {(int(rng.integers(1, n_needs + 1)), int(rng.integers(1, n_offers + 1)))}
    return needs, offers, forbidden


def pairs(candidates) -> list[tuple[int, int]]:
    """(need id, offer id) of every candidate pair."""
    return [
        (candidates.needs[i].id, candidates.offers[j].id)
        for i, j in zip(candidates.need, candidates.offer, strict=True)
    ]


def assert_same_candidates(a, b) -> None:
    """Two candidate sets hold the same pairs with the same parts and details."""
    for name in ("need", "offer", "level", "place", "overlap", "parts"):
        left, right = getattr(a, name), getattr(b, name)
        assert left.shape == right.shape, name
        assert np.array_equal(left, right), name
    assert (a.considered, a.pruned_needs) == (b.considered, b.pruned_needs)
