"""Metric arithmetic on enterprise_year rows: totals, ratios and year-on-year changes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

SUMMED = [
    "omzet",
    "eigen_verdiend",
    "gesubsidieerd",
    "kosten",
    "resultaat",
    "geherinvesteerd",
    "deelnemers",
    "vrijwilligers",
    "vrijwilligersuren",
]


@dataclass(frozen=True)
class Metric:
    """A metric shown in the app: column, Dutch label, unit and whether higher is better."""

    column: str
    label: str
    unit: str
    higher_is_better: bool = True


METRICS = {
    m.column: m
    for m in [
        Metric("omzet", "Omzet", "euro"),
        Metric("eigen_verdiend", "Eigen verdiend inkomen", "euro"),
        Metric("gesubsidieerd", "Subsidies en fondsen", "euro", higher_is_better=False),
        Metric("kosten", "Kosten", "euro", higher_is_better=False),
        Metric("resultaat", "Resultaat", "euro"),
        Metric("verdienvermogen", "Verdienvermogen", "fraction"),
        Metric("subsidieafhankelijkheid", "Subsidie-afhankelijkheid", "fraction", False),
        Metric("geherinvesteerd", "Geherinvesteerd", "euro"),
        Metric("geherinvesteerd_per_inwoner", "Geherinvesteerd per inwoner", "euro2"),
        Metric("deelnemers", "Deelnemers", "aantal"),
        Metric("vrijwilligers", "Vrijwilligersinzet", "aantal"),
        Metric("vrijwilligersuren", "Vrijwilligersuren", "aantal"),
        Metric("inwoners", "Inwoners", "aantal"),
        Metric("lbm", "Leefbaarometer-score", "score"),
        Metric("ondernemingen", "Ondernemingen", "aantal"),
    ]
}


def totals(rows: pd.DataFrame) -> pd.Series:
    """Sum the additive metrics and recompute the ratios from the sums (not an average)."""
    total = rows[SUMMED].sum()
    total["verdienvermogen"] = (
        total["eigen_verdiend"] / total["omzet"] if total["omzet"] else float("nan")
    )
    total["subsidieafhankelijkheid"] = 1 - total["verdienvermogen"]
    total["ondernemingen"] = rows["enterprise_id"].nunique() if "enterprise_id" in rows else 0
    return total


def totals_by_year(rows: pd.DataFrame) -> pd.DataFrame:
    """totals() per year, years ascending."""
    if rows.empty:
        return pd.DataFrame(columns=["year", *SUMMED, "verdienvermogen"])
    return (
        rows.groupby("year")[[c for c in rows.columns if c in SUMMED or c == "enterprise_id"]]
        .apply(totals)
        .reset_index()
    )


def year_and_previous(
    by_year: pd.DataFrame, year: int
) -> tuple[pd.Series | None, pd.Series | None]:
    """The totals of ``year`` and of the year before, each None when absent."""
    indexed = by_year.set_index("year")
    now = indexed.loc[year] if year in indexed.index else None
    before = indexed.loc[year - 1] if year - 1 in indexed.index else None
    return now, before


def with_ratios(rows: pd.DataFrame) -> pd.DataFrame:
    """Add subsidieafhankelijkheid = 1 - verdienvermogen to enterprise_year rows."""
    out = rows.copy()
    out["subsidieafhankelijkheid"] = 1 - out["verdienvermogen"]
    return out
