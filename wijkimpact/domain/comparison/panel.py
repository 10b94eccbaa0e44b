"""The long table of wijk figures the comparison reads: age shares, per-indicator panels, years."""

from __future__ import annotations

import numpy as np
import pandas as pd

LBM = ("lbm", "fys", "onv", "soc", "vrz", "won")
AGE_GROUPS = ("0_15", "15_25", "25_45", "45_65", "65plus")
# Size, household size, three age shares (the five shares sum to 100%) and liveability.
FEATURES = ("inwoners", "huishoudensgrootte", "pct_0_15", "pct_25_45", "pct_65plus", "lbm")
URBANISATION = "stedelijkheid"
NEEDED = tuple(sorted({*FEATURES, *LBM, URBANISATION, *(f"aantal_{g}" for g in AGE_GROUPS)}))


def with_shares(stats: pd.DataFrame) -> pd.DataFrame:
    """Add age shares (pct_0_15 ...) computed from counts where CBS gave only counts."""
    if stats.attrs.get("with_shares"):
        return stats
    inw = stats[stats["indicator"] == "inwoners"][["area_code", "year", "value"]]
    counts = stats[stats["indicator"].isin([f"aantal_{g}" for g in AGE_GROUPS])]
    counts = counts.merge(inw.rename(columns={"value": "inw"}), on=["area_code", "year"])
    counts = counts[counts["inw"] > 0]
    derived = counts.assign(
        indicator="pct_" + counts["indicator"].str.removeprefix("aantal_"),
        value=100 * counts["value"] / counts["inw"],
    ).drop(columns="inw")
    keys = ["area_code", "year", "indicator"]
    shares = stats[stats["indicator"].isin(derived["indicator"].unique())]
    have = pd.MultiIndex.from_frame(shares[keys])
    derived = derived[~pd.MultiIndex.from_frame(derived[keys]).isin(have)]
    out = pd.concat([stats, derived], ignore_index=True) if len(derived) else stats.copy()
    out.attrs["with_shares"] = True  # the comparison calls this again and again: make that free
    return out


def founding_year(enterprises: pd.DataFrame, wijk_code: str) -> int | None:
    """The earliest founding year of the enterprises based in a wijk."""
    years = enterprises.loc[enterprises["area_code"] == wijk_code, "founded"].dropna()
    return int(years.min()) if len(years) else None


def _treated_years(stats, wijk_code, indicators) -> pd.Series:
    rows = stats[(stats["area_code"] == wijk_code) & stats["indicator"].isin(indicators)]
    return rows.loc[rows["value"].notna(), "year"].astype(int)


def default_reference_year(
    stats: pd.DataFrame, wijk_code: str, founded: int | None, indicators=(*FEATURES, *LBM)
) -> tuple[int | None, bool]:
    """The default reference year and whether there are figures from before the founding.

    The founding year when the wijk has figures from before it; otherwise the first year
    with figures (and False). None when the wijk has no figures at all."""
    years = _treated_years(with_shares(stats), wijk_code, indicators)
    if years.empty:
        return founded, False
    if founded is not None and years.min() < founded:
        return founded, True
    return int(years.min()), False


def reference_options(stats: pd.DataFrame, wijk_code: str, end_year: int | None = None):
    """Years that can serve as reference year: from the first year with figures up to (not
    including) the last, so that there is an 'after'."""
    years = _treated_years(with_shares(stats), wijk_code, (*FEATURES, *LBM))
    if end_year is not None:
        years = years[years <= end_year]
    return list(range(int(years.min()), int(years.max()))) if len(years) else []


def panel(stats: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """One indicator as a wijk x year table (area_code rows, year columns, both sorted; a
    wijk's first value of a year where it has more)."""
    rows = stats[(stats["indicator"] == indicator) & stats["value"].notna()]
    rows = rows[rows["area_code"].notna() & rows["year"].notna()]
    # placed by numpy rather than pandas' pivot_table: the comparison asks for a dozen of these
    # per analysis, and a pivot cost four times as much (6 against 1.4 ms on the demo's wijken)
    areas, codes = pd.factorize(rows["area_code"], sort=True)
    years, year_values = pd.factorize(rows["year"], sort=True)
    cells, first = np.unique(areas * len(year_values) + years, return_index=True)
    table = np.full((len(codes), len(year_values)), np.nan)
    table.flat[cells] = rows["value"].to_numpy(dtype="float64")[first]
    return pd.DataFrame(
        table,
        index=pd.Index(codes, name="area_code"),
        columns=pd.Index(year_values, name="year"),
    )


def year_for(table: pd.DataFrame, code: str, baseline: int) -> int | None:
    """The latest year up to the baseline with a value for ``code``, else the first after it."""
    if code not in table.index:
        return None
    years = table.loc[code].dropna().index
    if years.empty:
        return None
    before = years[years <= baseline]
    return int(before.max() if len(before) else years.min())
