"""Choosing comparison wijken: the wijken without an enterprise that resembled a wijk most."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wijkimpact.domain.comparison.panel import (
    FEATURES,
    URBANISATION,
    default_reference_year,
    panel,
    with_shares,
    year_for,
)
from wijkimpact.i18n import N_, _

LOG_FEATURES = frozenset({"inwoners"})  # wijken differ in size by orders of magnitude
K = 5
MIN_SAME_GEMEENTE = 3
MIN_COMPARISON = 3
POOLS = {
    "gemeente": N_("dezelfde gemeente"),
    "stedelijkheid": N_("wijken met dezelfde stedelijkheid, ook in andere gemeenten"),
    "alle wijken": N_("alle geladen wijken, ook in andere gemeenten"),
}


@dataclass(frozen=True)
class MatchResult:
    """The comparison wijken chosen for one wijk, and how they were chosen."""

    treated: str
    founding_year: int | None
    baseline_year: int
    chosen: tuple[str, ...]
    distances: tuple[float, ...]  # root mean square difference, in standard deviations
    pool: str  # a key of POOLS
    features: tuple[str, ...]  # the features that could be used
    feature_years: dict[str, int]  # the year each feature was measured in
    candidates: int  # wijken in the pool that could be compared at all
    k: int = K
    min_same_gemeente: int = MIN_SAME_GEMEENTE
    min_comparison: int = MIN_COMPARISON
    reason: str | None = None  # why there is no usable comparison group (current language)

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def fell_back(self) -> bool:
        """Whether wijken outside the gemeente were needed."""
        return self.pool != "gemeente"

    @property
    def late_features(self) -> tuple[str, ...]:
        """Features measured only after the baseline year."""
        return tuple(f for f in self.features if self.feature_years[f] > self.baseline_year)


def _distances(stats, treated, codes, baseline, features):
    """Root mean square of the standardised differences to ``treated``, per candidate."""
    diffs, used, years = {}, [], {}
    pool = [treated, *codes]
    for feature in features:
        table = panel(stats, feature)
        year = year_for(table, treated, baseline)
        if year is None:
            continue
        values = table[year].reindex(pool)
        if feature in LOG_FEATURES:
            values = np.log(values.where(values > 0))
        if values.drop(treated).count() < 2:
            continue
        sd = values.std(ddof=1)  # 0: every wijk has the same value, so no one differs
        diffs[feature] = (values.drop(treated) - values[treated]) / (sd if sd > 0 else 1.0)
        used.append(feature)
        years[feature] = year
    frame = pd.DataFrame(diffs, index=list(codes), columns=used)
    # a candidate must have at least half of the features; missing ones are left out
    enough = frame.notna().sum(axis=1) * 2 >= max(len(used), 1)
    distance = np.sqrt((frame[enough] ** 2).mean(axis=1, skipna=True)).dropna()
    order = sorted(distance.index, key=lambda c: (distance[c], c))
    return distance.loc[order], tuple(used), years


def match_comparison_wijken(
    stats: pd.DataFrame,
    treated_code: str,
    founding_year: int | None,
    *,
    baseline_year: int | None = None,
    exclude: Iterable[str] = (),
    k: int = K,
    min_same_gemeente: int = MIN_SAME_GEMEENTE,
    min_comparison: int = MIN_COMPARISON,
    features: Sequence[str] = FEATURES,
) -> MatchResult:
    """Choose the k wijken without an enterprise that resembled ``treated_code`` most in the
    baseline year (default: default_reference_year()).

    Each feature is taken in the latest year up to the baseline year in which the treated wijk
    has it, otherwise in its first later year (MatchResult.late_features says which).
    Features are standardised over the pool (inhabitants on a log scale); the distance is the
    root mean square of the standardised differences over the features a candidate has (at
    least half of them). The pool is the wijk's own gemeente; with fewer than
    ``min_same_gemeente`` comparable wijken there it becomes the wijken of the same
    stedelijkheid class anywhere, or, without that indicator, all loaded wijken.
    ``exclude`` holds the wijken with an enterprise."""
    stats = with_shares(stats)
    if baseline_year is None:
        baseline_year = default_reference_year(stats, treated_code, founding_year)[0]
    gemeenten = stats.drop_duplicates("area_code").set_index("area_code")["gemeente_code"]
    base = {
        "treated": treated_code,
        "founding_year": founding_year,
        "k": k,
        "min_same_gemeente": min_same_gemeente,
        "min_comparison": min_comparison,
    }
    if treated_code not in gemeenten.index or baseline_year is None:
        return MatchResult(
            **base,
            baseline_year=baseline_year or 0,
            chosen=(),
            distances=(),
            pool="gemeente",
            features=(),
            feature_years={},
            candidates=0,
            reason=_("Te weinig jaren: er zijn geen cijfers voor deze wijk."),
        )
    others = gemeenten.drop([treated_code, *exclude], errors="ignore")
    same = others[others == gemeenten[treated_code]].index
    distance, used, years = _distances(stats, treated_code, same, baseline_year, features)
    pool = "gemeente"
    if len(distance) < min_same_gemeente:
        for wider, codes in _fallbacks(stats, treated_code, others, same, baseline_year):
            distance, used, years = _distances(stats, treated_code, codes, baseline_year, features)
            pool = wider
            if len(distance) >= min_comparison:
                break
    chosen = distance.iloc[:k]
    reason = None
    if not used:
        reason = _(
            "Te weinig vergelijkingswijken: deze wijk heeft geen kenmerken om op te vergelijken."
        )
    elif len(chosen) < min_comparison:
        reason = _(
            "Te weinig vergelijkingswijken: {n} gevonden, minstens {minimum} nodig.",
            n=len(chosen),
            minimum=min_comparison,
        )
    return MatchResult(
        **base,
        baseline_year=baseline_year,
        chosen=tuple(chosen.index),
        distances=tuple(float(d) for d in chosen),
        pool=pool,
        features=used,
        feature_years=years,
        candidates=len(distance),
        reason=reason,
    )


def _fallbacks(stats, treated, others, same, baseline):
    """Wider pools, in order: same stedelijkheid class anywhere, then all loaded wijken."""
    table = panel(stats, URBANISATION)
    year = year_for(table, treated, baseline)
    if year is not None:
        klass = table[year].reindex(others.index)
        alike = klass[klass == table.loc[treated, year]].index
        yield "stedelijkheid", same.union(alike)
    yield "alle wijken", others.index
