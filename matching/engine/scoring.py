"""Score parts in integer points (round(score × SCALE)), shared by both candidate builders.

Every formula is written once and evaluated in the same floating-point order for a scalar and
for a numpy array, so the vectorised and the loop builders agree to the last point.
"""

import numpy as np

from matching.engine.inputs import LEVELS, SCALE, Weights

PARTS: tuple[str, ...] = ("skill", "place", "availability", "waiting", "equity")
PLACES: tuple[str, ...] = ("same", "neighbour", "remote")


def level_points(weights: Weights) -> np.ndarray:
    """Skill part per level, indexed like LEVELS."""
    return np.array(
        [round(weights.skill * weights.level_points(level) * SCALE) for level in LEVELS],
        dtype=np.int64,
    )


def place_points(weights: Weights) -> np.ndarray:
    """Place part per kind, indexed like PLACES."""
    values = (weights.same_departement, weights.neighbour, weights.remote)
    return np.array([round(value * SCALE) for value in values], dtype=np.int64)


def availability_points(weights: Weights, fraction: float) -> int:
    """Availability part for the fraction of the need's period the offer covers."""
    return round(weights.availability * fraction * SCALE)


def availability_points_array(weights: Weights, fraction: np.ndarray) -> np.ndarray:
    """availability_points over an array of fractions."""
    return np.rint(weights.availability * fraction * SCALE).astype(np.int64)


def waiting_points(weights: Weights, days: int) -> int:
    """Waiting part: grows linearly with the days waited, flat after waiting_cap_days."""
    capped = min(max(days, 0), weights.waiting_cap_days)
    return round(weights.waiting * capped / weights.waiting_cap_days * SCALE)


def equity_factor(offers: int, needs: int) -> float:
    """1 − min(1, offers / needs): 1 where no offer acts, 0 where offers match needs or more."""
    if needs <= 0:
        return 0.0
    return 1.0 - min(1.0, offers / needs)


def equity_points(weights: Weights, offers: int, needs: int) -> int:
    """Equity part of a need in a département with `offers` acting offers and `needs` needs."""
    return round(weights.equity * equity_factor(offers, needs) * SCALE)
