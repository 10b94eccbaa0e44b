"""The difference-in-differences estimate of one indicator, with a bootstrap interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkimpact.domain.comparison.matching import MIN_COMPARISON
from wijkimpact.domain.comparison.panel import panel, with_shares, year_for
from wijkimpact.i18n import _

N_BOOT = 2000
LEVEL = 0.90
SEED = 2024


@dataclass(frozen=True)
class Estimate:
    """Difference-in-differences of one indicator, with a bootstrap interval."""

    indicator: str
    reference_year: int
    before_year: int | None = None
    after_year: int | None = None
    change_wijk: float = float("nan")
    change_group: float = float("nan")  # mean change of the comparison wijken
    did: float = float("nan")  # change_wijk - change_group
    low: float = float("nan")
    high: float = float("nan")
    n_comparison: int = 0
    level: float = LEVEL
    n_boot: int = N_BOOT
    reason: str | None = None  # why there is no estimate (current language)

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def before_is_late(self) -> bool:
        """No figure up to the reference year: the first later year serves as 'before'."""
        return self.before_year is not None and self.before_year > self.reference_year


def difference_in_differences(
    stats: pd.DataFrame,
    treated_code: str,
    comparison: Sequence[str],
    indicator: str,
    reference_year: int,
    *,
    end_year: int | None = None,
    n_boot: int = N_BOOT,
    level: float = LEVEL,
    seed: int = SEED,
    min_comparison: int = MIN_COMPARISON,
) -> Estimate:
    """Change in the wijk minus the mean change of the comparison wijken, from the last year
    with a figure up to ``reference_year`` (or the first after it) to the last year up to
    ``end_year``; the interval is a percentile bootstrap over the comparison wijken (seeded)."""
    base = {
        "indicator": indicator,
        "reference_year": reference_year,
        "level": level,
        "n_boot": n_boot,
    }
    table = panel(with_shares(stats), indicator)
    before = year_for(table, treated_code, reference_year)
    if before is None:
        return Estimate(**base, reason=_("Te weinig jaren: geen cijfers voor deze wijk."))
    years = table.loc[treated_code].dropna().index
    after = years[(years > before) & (years <= (end_year or years.max()))]
    if after.empty:
        return Estimate(
            **base,
            before_year=before,
            reason=_("Te weinig jaren: geen cijfers na {jaar} om mee te vergelijken.", jaar=before),
        )
    after = int(after.max())
    rows = table.reindex(list(comparison))
    changes = (rows[after] - rows[before]).dropna()
    wijk = table.loc[treated_code, after] - table.loc[treated_code, before]
    found = {
        **base,
        "before_year": before,
        "after_year": after,
        "change_wijk": float(wijk),
        "n_comparison": len(changes),
    }
    if len(changes) < min_comparison:
        return Estimate(
            **found,
            reason=_(
                "Te weinig vergelijkingswijken met cijfers voor {van} en {tot}: {n}, minstens "
                "{minimum} nodig.",
                van=before,
                tot=after,
                n=len(changes),
                minimum=min_comparison,
            ),
        )
    values = changes.to_numpy(dtype=float)
    draws = np.random.default_rng(seed).integers(0, len(values), size=(n_boot, len(values)))
    spread = wijk - values[draws].mean(axis=1)
    low, high = np.quantile(spread, [(1 - level) / 2, (1 + level) / 2])
    return Estimate(
        **found,
        change_group=float(values.mean()),
        did=float(wijk - values.mean()),
        low=float(low),
        high=float(high),
    )


def trend(
    stats: pd.DataFrame,
    treated_code: str,
    comparison: Sequence[str],
    indicator: str,
    estimate: Estimate | None = None,
) -> pd.DataFrame:
    """Per year: the wijk, the comparison mean, min and max, and (from the 'before' year of
    ``estimate``) the path the wijk would follow if it changed like the group."""
    table = panel(with_shares(stats), indicator)
    group = table.reindex(list(comparison))
    out = pd.DataFrame(
        {
            "wijk": table.loc[treated_code] if treated_code in table.index else np.nan,
            "groep": group.mean(),
            "groep_min": group.min(),
            "groep_max": group.max(),
            "n": group.count(),
        },
        index=table.columns,
    ).rename_axis("year")
    out["verwacht"] = np.nan
    if estimate is not None and estimate.ok:
        later = out.index >= estimate.before_year
        gap = out.loc[estimate.before_year, ["wijk", "groep"]]
        out.loc[later, "verwacht"] = out.loc[later, "groep"] + gap["wijk"] - gap["groep"]
    return out.reset_index()
