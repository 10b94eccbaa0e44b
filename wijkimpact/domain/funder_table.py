"""The funders' side-by-side table: one row per enterprise for a year, trends, the totals, and
the wijken's reinvestment per inhabitant."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijkimpact.data import access
from wijkimpact.domain import metrics
from wijkimpact.i18n import N_, _

COLUMNS = {
    "name": N_("Onderneming"),
    "wijk_naam": N_("Wijk"),
    "omzet": N_("Omzet"),
    "eigen_verdiend": N_("Eigen verdiend"),
    "gesubsidieerd": N_("Subsidies en fondsen"),
    "verdienvermogen": N_("Verdienvermogen"),
    "kosten": N_("Kosten"),
    "resultaat": N_("Resultaat"),
    "geherinvesteerd": N_("Geherinvesteerd"),
    "deelnemers": N_("Deelnemers"),
    "vrijwilligersuren": N_("Vrijwilligersuren"),
}
FORMATS = {
    "Omzet": "euro",
    "Eigen verdiend": "euro",
    "Subsidies en fondsen": "euro",
    "Kosten": "euro",
    "Resultaat": "euro",
    "Geherinvesteerd": "euro",
    "Verdienvermogen": "fraction",
    "Deelnemers": "number",
    "Vrijwilligersuren": "number",
}
TRENDS = {
    "omzet": N_("Omzet door de jaren"),
    "verdienvermogen": N_("Verdienvermogen door de jaren"),
}


# the orders the table (and its download) can take: a column of COLUMNS; names A to Z, figures
# largest first
SORTS = [column for column in COLUMNS if column != "wijk_naam"]
DEFAULT_SORT = "omzet"


def portfolio_table(rows: pd.DataFrame, year: int, sort: str = DEFAULT_SORT) -> pd.DataFrame:
    """Enterprises of ``year`` with Dutch column names, in the order of ``sort`` (SORTS)."""
    chosen = rows[rows["year"] == year]
    if sort == "name":
        chosen = chosen.sort_values("name", key=lambda s: s.str.casefold(), kind="stable")
    else:
        chosen = chosen.sort_values(sort, ascending=False, kind="stable", na_position="last")
    return chosen[list(COLUMNS)].rename(columns=COLUMNS).reset_index(drop=True)


def with_trends(rows: pd.DataFrame, year: int, sort: str = DEFAULT_SORT) -> pd.DataFrame:
    """portfolio_table plus each enterprise's omzet and verdienvermogen through its complete
    years up to ``year`` (a year not yet complete would show as a fall)."""
    table = portfolio_table(rows, year, sort)
    complete = rows["compleet"].astype(bool) if "compleet" in rows else True
    history = rows[(rows["year"] <= year) & complete].sort_values("year")
    for column, label in TRENDS.items():
        series = history.groupby("name")[column].apply(lambda s: [float(v) for v in s])
        table.insert(3 if column == "omzet" else 7, label, table["Onderneming"].map(series))
    return table


def with_total(table: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    """The table with its totals row last, in the same columns (the trends empty)."""
    return pd.concat([table, total.reindex(columns=table.columns)], ignore_index=True)


def totals_row(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row 'Totaal' with sums, and verdienvermogen recomputed from the sums."""
    chosen = rows[rows["year"] == year]
    total = metrics.totals(chosen)
    out = {label: total.get(column) for column, label in COLUMNS.items()}
    out["Onderneming"] = _("Totaal ({n} ondernemingen)", n=len(chosen))
    out["Wijk"] = ""
    return pd.DataFrame([out])


def subsidy_dependence(rows: pd.DataFrame) -> pd.DataFrame:
    """Per enterprise and year the share of income from subsidies, funds and donations."""
    out = rows[["enterprise_id", "name", "year", "gesubsidieerd", "omzet"]].copy()
    out["subsidieafhankelijkheid"] = out["gesubsidieerd"] / out["omzet"].where(out["omzet"] > 0)
    return out


@dataclass(frozen=True)
class WijkReinvestment:
    """The wijken of one year for the chart of reinvestment per inhabitant."""

    shown: pd.DataFrame  # wijken that received reinvestment, whose figures may be shown
    withheld_note: str | None  # why some wijken have no bar, or None when none is withheld


def reinvestment_by_wijk(wijken: pd.DataFrame, year: int) -> WijkReinvestment:
    """From wijk_years rows (suppressed by access.suppress): the wijken of ``year`` with
    reinvestment that may be shown, and the reason when the reinvestment of some is withheld."""
    in_year = wijken[wijken["year"] == year]
    withheld = in_year[access.flag_column(access.REINVESTMENT)].astype(bool)
    shown = in_year[~withheld & (in_year["geherinvesteerd"] > 0)].reset_index(drop=True)
    return WijkReinvestment(shown, _(access.SUPPRESSED_NOTE) if withheld.any() else None)
