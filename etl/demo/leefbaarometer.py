"""Leefbaarometer 3.0-style scores per wijk for the editions 2018-2024."""

from __future__ import annotations

import numpy as np

from etl.demo.areas import Town

EDITIONS = (2018, 2020, 2022, 2024)
HEADER = ("wk_code", "wk_naam", "jaar", "lbm", "afw", "fys", "onv", "soc", "vrz", "won")
NATIONAL_MEAN = 4.1
# How much of a wijk's deviation each dimension carries (fys, onv, soc, vrz, won); sums to 1.
DIMENSION_WEIGHTS = np.array([0.12, 0.28, 0.27, 0.08, 0.25])
IMPROVEMENT_PER_EDITION = 0.02


def scores(
    rng: np.random.Generator, town: Town, income: dict[str, float], improving: set[str]
) -> list[list[str]]:
    """Return the header and rows (sorted by wk_code, jaar) of the wijk scores.

    Poorer wijken (lower `income`, in 1 000 euro) score lower; the wijken in `improving`
    get a modest rise per edition, the others stay flat or slip slightly.
    """
    rows = [list(HEADER)]
    for index, wijk in enumerate(town.wijken):
        base = 0.026 * (income[wijk.code] - 28.0) + rng.normal(0.0, 0.015)
        trend = IMPROVEMENT_PER_EDITION if wijk.code in improving else rng.uniform(-0.012, 0.004)
        # A lasting profile: the centre has many amenities (vrz) but old housing (won).
        structure = rng.normal(0.0, 0.03, size=5)
        if index < 3:
            structure += np.array([-0.03, -0.02, 0.0, 0.12, -0.07])
        elif index >= 8:
            structure += np.array([0.05, 0.02, 0.0, -0.08, 0.01])
        structure -= structure.mean()
        for step, year in enumerate(EDITIONS):
            deviation = base + trend * step + rng.normal(0.0, 0.006)
            noise = rng.normal(0.0, 0.012, size=5)
            dims = DIMENSION_WEIGHTS * deviation + structure + noise - noise.mean()
            dims = np.clip(dims, -0.25, 0.25)
            dims = [round(float(d), 6) for d in dims]
            afw = round(sum(dims), 6)
            lbm = round(NATIONAL_MEAN + afw, 6)
            rows.append([wijk.code, wijk.name, str(year), *map(_six, [lbm, afw, *dims])])
    return rows


def _six(value: float) -> str:
    """Format a score with 6 decimals (never as negative zero)."""
    return f"{value + 0.0:.6f}"
