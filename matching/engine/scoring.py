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


def waiting_points_array(weights: Weights, days: np.ndarray) -> np.ndarray:
    """waiting_points over an array of days."""
    capped = np.clip(np.asarray(days, dtype=np.int64), 0, weights.waiting_cap_days)
    return np.rint(weights.waiting * capped / weights.waiting_cap_days * SCALE).astype(np.int64)


def equity_factor(share: float, region_share: float) -> float:
    """1 − share / region share, floored at 0: how far a département is behind the region.

    `share` is the part of the département's needs that are served (have a proposal);
    a département served as well as the region or better gets nothing.
    """
    if region_share <= 0:
        return 0.0
    return max(0.0, 1.0 - share / region_share)


def equity_points(weights: Weights, share: float, region_share: float) -> int:
    """Equity part of a need whose département has `share` of its needs served."""
    return round(weights.equity * equity_factor(share, region_share) * SCALE)
