"""95% intervals for survey KPIs, computed from additive sums (n, sum, sum of squares, counts).

Every function accepts scalars or numpy/pandas arrays and returns an Estimate of float arrays
(0-d for scalar input). Undefined cells (n = 0, or n = 1 for a spread) give NaN, never an error.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

Z95 = 1.959963984540054
MIN_RESPONSES = 30  # survey cells with fewer responses are suppressed


Floats = NDArray[np.float64] | np.float64  # a column of cells, or one cell


class Estimate(NamedTuple):
    """A value with its 95% interval and standard error (all in the KPI's unit)."""

    value: Floats
    low: Floats
    high: Floats
    se: Floats


def _floats(*values: ArrayLike) -> list[NDArray[np.float64]]:
    return [np.asarray(v, dtype=np.float64) for v in values]


def mean_estimate(n: ArrayLike, total: ArrayLike, sumsq: ArrayLike) -> Estimate:
    """Mean with a normal-approximation 95% interval from the sample variance."""
    n, total, sumsq = _floats(n, total, sumsq)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        variance = np.where(n > 1, (sumsq - total * total / n) / (n - 1), np.nan)
        se = np.sqrt(np.clip(variance, 0.0, None) / n)
    return Estimate(mean, mean - Z95 * se, mean + Z95 * se, se)


def proportion_estimate(successes: ArrayLike, n: ArrayLike, scale: float = 100.0) -> Estimate:
    """Share successes/n × scale with a Wilson 95% interval (se: the normal approximation)."""
    x, n = _floats(successes, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(n > 0, x / n, np.nan)
        z2 = Z95 * Z95
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = Z95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
        se = np.sqrt(p * (1 - p) / n)
    return Estimate(p * scale, (centre - half) * scale, (centre + half) * scale, se * scale)


def nps_estimate(n: ArrayLike, promoters: ArrayLike, detractors: ArrayLike) -> Estimate:
    """NPS (−100…100) with var = (pP + pD − (pP − pD)²) / n and a normal 95% interval."""
    n, promoters, detractors = _floats(n, promoters, detractors)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_promoters = np.where(n > 0, promoters / n, np.nan)
        p_detractors = np.where(n > 0, detractors / n, np.nan)
        score = p_promoters - p_detractors
        variance = (p_promoters + p_detractors - score * score) / n
        se = np.sqrt(np.clip(variance, 0.0, None)) * 100
    value = score * 100
    return Estimate(value, value - Z95 * se, value + Z95 * se, se)


def significant_change(a: Estimate, b: Estimate) -> bool | None:
    """True when the 95% interval of a − b excludes 0; None when either side is undefined."""
    difference = float(a.value) - float(b.value)
    se = float(np.hypot(float(a.se), float(b.se)))
    if np.isnan(difference) or np.isnan(se):
        return None
    return abs(difference) > Z95 * se
