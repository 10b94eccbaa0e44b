"""One wijk with an enterprise against its comparison wijken: the data it needs, the whole
analysis, and the summary for the annual report."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from wijkimpact.data import queries
from wijkimpact.domain.comparison.estimate import Estimate, difference_in_differences
from wijkimpact.domain.comparison.matching import match_comparison_wijken
from wijkimpact.domain.comparison.panel import (
    LBM,
    NEEDED,
    default_reference_year,
    founding_year,
    with_shares,
)
from wijkimpact.domain.comparison.result import Analysis
from wijkimpact.domain.comparison.texts import ASSOCIATION_NOTE, baseline_note, estimate_text
from wijkimpact.i18n import _


@dataclass(frozen=True)
class ComparisonData:
    """What the comparison needs from the database, as frames."""

    stats: pd.DataFrame  # area_code, gemeente_code, year, indicator, value (wijken only)
    enterprises: pd.DataFrame  # enterprise_id, name, founded, area_code
    wijken: pd.DataFrame  # area_code, name, gemeente_code


@dataclass(frozen=True)
class ContributionSummary:
    """The headline for the annual report: the Leefbaarometer score against the comparison."""

    enterprise_id: str
    wijk_code: str
    wijk_name: str
    comparison_names: tuple[str, ...]
    analysis: Analysis
    lbm: Estimate
    caveat: str = ASSOCIATION_NOTE

    def sentence(self) -> str:
        """'Leefbaarometer-score in X: +0,03 t.o.v. vergelijkingsgroep (2014–2018, ...).'"""
        return _(
            "Leefbaarometer-score in {wijk}: {verschil}.",
            wijk=self.wijk_name,
            verschil=estimate_text(self.lbm, "score"),
        )

    def baseline_note(self) -> str:
        return baseline_note(self.analysis)


def load_data(cur, indicators: Iterable[str] = NEEDED) -> ComparisonData:
    """Read the frames from a database cursor (the only function here that touches it)."""
    return ComparisonData(
        queries.wijk_stats(cur, tuple(sorted(set(indicators) | set(NEEDED)))),
        queries.enterprises(cur),
        queries.wijken(cur),
    )


def analyse(
    data: ComparisonData,
    wijk_code: str,
    *,
    reference_year: int | None = None,
    end_year: int | None = None,
    indicators: Sequence[str] = LBM,
    **match_options,
) -> Analysis:
    """Match ``wijk_code`` (a wijk with an enterprise) and estimate every indicator."""
    stats = with_shares(data.stats)
    founded = founding_year(data.enterprises, wijk_code)
    default, pre = default_reference_year(stats, wijk_code, founded)
    ref = default if reference_year is None else reference_year
    if ref is None:
        ref = founded or 0
    exclude = set(data.enterprises["area_code"].dropna())
    match = match_comparison_wijken(
        stats, wijk_code, founded, baseline_year=ref, exclude=exclude, **match_options
    )
    estimates = {
        name: difference_in_differences(
            stats,
            wijk_code,
            match.chosen,
            name,
            ref,
            end_year=end_year,
            min_comparison=match.min_comparison,
        )
        for name in indicators
    }
    return Analysis(wijk_code, founded, ref, pre, end_year, match, estimates)


def summarise_contribution(
    source, enterprise_id: str, year: int | None
) -> tuple[ContributionSummary | None, str]:
    """The summary for the annual report of ``year``, or None and the reason why not.

    ``source`` is a database cursor or a ComparisonData."""
    data = source if isinstance(source, ComparisonData) else load_data(source)
    row = data.enterprises[data.enterprises["enterprise_id"] == enterprise_id]
    if row.empty:
        return None, _("Onbekende onderneming.")
    wijk = str(row.iloc[0]["area_code"])
    analysis = analyse(data, wijk, end_year=year)
    if not analysis.match.ok:
        return None, analysis.match.reason
    lbm = analysis.estimates["lbm"]
    if not lbm.ok:
        return None, lbm.reason
    names = data.wijken.set_index("area_code")["name"]
    summary = ContributionSummary(
        enterprise_id,
        wijk,
        str(names.get(wijk, wijk)),
        tuple(str(names.get(c, c)) for c in analysis.match.chosen),
        analysis,
        lbm,
    )
    return summary, ""


def contribution_summary(source, enterprise_id: str, year: int | None):
    """ContributionSummary for the annual report, or None when there is not enough data
    (summarise_contribution() also gives the reason)."""
    return summarise_contribution(source, enterprise_id, year)[0]
