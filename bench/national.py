"""Synthetic needs and offers over the 101 départements, spread like the population of France.

For the national benchmark (bench/national_bench.py), not for the app: the populations come from
accounts/data/departements.csv (built by accounts/data/build_departements.py from Etalab's
data). The rows have the shape of the Hauts-de-France generator (matching/engine/synthetic.py:
skills, levels, periods, remote shares, capacity), but every draw is made for all rows at once
with numpy, so a million offers take seconds rather than minutes.
"""

import csv
from datetime import timedelta
from pathlib import Path

import numpy as np

from matching.engine.departements import NEIGHBOURS
from matching.engine.inputs import LEVELS, Need, Offer
from matching.engine.synthetic import BASE_DAY, Instance

POPULATIONS_CSV = Path(__file__).resolve().parent.parent / "accounts/data/departements.csv"

# Same shares as the Hauts-de-France generator, so the two benchmarks stay comparable.
NEED_REMOTE_SHARE = 0.3
OFFER_REMOTE_SHARE = 0.4
NEED_OPEN_END_SHARE = 0.3
OFFER_OPEN_END_SHARE = 0.5
NEED_ALREADY_COVERED_SHARE = 0.1
MOST_SKILLS_PER_OFFER = 4
MOST_NEIGHBOURS_PER_OFFER = 2
# Live proposals an offer may carry: 8 h a month is one, 40 h and more is five.
OFFER_SLOTS = (1, 1, 1, 2, 2, 3, 5)


def load_populations(path=POPULATIONS_CSV):
    """{INSEE code: population} of the 101 départements."""
    with Path(path).open(encoding="utf-8", newline="") as source:
        return {
            row["code"]: int(row["population"]) for row in csv.DictReader(source, delimiter=";")
        }


def national_instance(n_needs, n_offers, seed=0, populations=None, n_skills=25):
    """Needs and offers over every département in proportion to its population; each offer
    acts in its home département and up to two of its neighbours. Deterministic for a seed."""
    populations = load_populations() if populations is None else populations
    rng = np.random.default_rng(seed)
    codes = sorted(populations)
    weights = np.array([populations[code] for code in codes], dtype=float)
    shares = weights / weights.sum()
    needs = _needs(rng, n_needs, codes, shares, n_skills)
    offers = _offers(rng, n_offers, codes, shares, n_skills)
    # Pairs CRESS staff rejected earlier, as in the Hauts-de-France generator.
    picks = rng.integers(1, [n_needs + 1, n_offers + 1], size=(n_needs // 5, 2))
    forbidden = frozenset((int(n), int(o)) for n, o in picks)
    return Instance(needs, offers, forbidden)


def _homes(rng, size, codes, shares):
    """A département per row, drawn in proportion to population."""
    return [codes[i] for i in rng.choice(len(codes), size=size, p=shares).tolist()]


def _period(rng, size, low, high, open_share, shortest, longest):
    """(start, end or None) per row: starts between BASE_DAY + low and + high."""
    starts = rng.integers(low, high + 1, size=size)
    ends = np.where(
        rng.random(size) < open_share, -1, starts + rng.integers(shortest, longest + 1, size=size)
    )
    # A few hundred distinct days: date objects made once, shared by the rows.
    day = {offset: BASE_DAY + timedelta(days=offset) for offset in range(low, high + longest + 1)}
    return [
        (day[start], None if end < 0 else day[end])
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
    ]


def _needs(rng, n, codes, shares, n_skills):
    homes = _homes(rng, n, codes, shares)
    skills = rng.integers(1, n_skills + 1, size=n).tolist()
    remote = (rng.random(n) < NEED_REMOTE_SHARE).tolist()
    periods = _period(rng, n, 0, 120, NEED_OPEN_END_SHARE, 14, 180)
    waiting = rng.integers(0, 200, size=n).tolist()
    covered = (rng.random(n) < NEED_ALREADY_COVERED_SHARE).tolist()
    return tuple(
        Need(
            id=i + 1,
            skill_id=skills[i],
            departement=homes[i],
            remote_ok=remote[i],
            start=periods[i][0],
            end=periods[i][1],
            waiting_days=waiting[i],
            slots_wanted=1 if covered[i] else 2,
            already_covered=covered[i],
        )
        for i in range(n)
    )


def _offers(rng, n, codes, shares, n_skills):
    homes = _homes(rng, n, codes, shares)
    skill_counts = rng.integers(1, MOST_SKILLS_PER_OFFER + 1, size=n).tolist()
    skills = _distinct_skills(rng, n, n_skills).tolist()
    levels = rng.integers(0, len(LEVELS), size=(n, MOST_SKILLS_PER_OFFER)).tolist()
    neighbour_counts = rng.integers(0, MOST_NEIGHBOURS_PER_OFFER + 1, size=n).tolist()
    neighbour_picks = rng.random((n, MOST_NEIGHBOURS_PER_OFFER)).tolist()
    remote = (rng.random(n) < OFFER_REMOTE_SHARE).tolist()
    periods = _period(rng, n, -60, 90, OFFER_OPEN_END_SHARE, 30, 365)
    slots = rng.choice(OFFER_SLOTS, size=n).tolist()
    return tuple(
        Offer(
            id=j + 1,
            skills={
                skill: LEVELS[level]
                for skill, level in zip(skills[j][: skill_counts[j]], levels[j], strict=False)
            },
            departements=_areas(homes[j], neighbour_picks[j][: neighbour_counts[j]]),
            remote_ok=remote[j],
            start=periods[j][0],
            end=periods[j][1],
            remaining_slots=slots[j],
        )
        for j in range(n)
    )


def _distinct_skills(rng, n, n_skills, chunk=100_000):
    """(n, MOST_SKILLS_PER_OFFER) skill ids, distinct within a row: the first columns of a
    random permutation of the skills, drawn by chunks to bound memory."""
    parts = []
    for start in range(0, n, chunk):
        keys = rng.random((min(chunk, n - start), n_skills), dtype=np.float32)
        parts.append(np.argsort(keys, axis=1)[:, :MOST_SKILLS_PER_OFFER] + 1)
    return np.concatenate(parts) if parts else np.empty((0, MOST_SKILLS_PER_OFFER), dtype=int)


def _areas(home, picks):
    """The home département and the neighbours the uniform draws `picks` point at."""
    around = NEIGHBOURS[home]
    if not around:
        return frozenset((home,))
    return frozenset((home, *(around[int(p * len(around))] for p in picks)))
