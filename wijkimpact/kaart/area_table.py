"""The map as a table: value per area (and both years of a change), for download and display."""

from __future__ import annotations

import pandas as pd

from wijkimpact.i18n import _
from wijkimpact.kaart.map_data import LEVEL_NAMES, Legend

# Decimals kept in the download: euros to the cent; other values as loaded, without the float
# noise of sums and differences (973794.9800000001, 0.07000000000000028).
EURO_DECIMALS = 2
OTHER_DECIMALS = 6


def table(
    values: pd.DataFrame,
    shapes: pd.DataFrame,
    leg: Legend,
    level: str,
    change: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """The map as a table for download: code, name, gemeente and the value (and in change
    mode both years), largest value first, missing values last; euros rounded to the cent."""
    gemeente = shapes.set_index("area_code")["gemeente_naam"]
    out = pd.DataFrame(
        {
            _("Code"): values["area_code"],
            _(LEVEL_NAMES.get(level, level)): values["name"],
            _("Gemeente"): values["area_code"].map(gemeente),
        }
    )
    if change:
        label = leg.name or leg.title
        out[f"{label} {change[0]}"] = values["eerder"].to_numpy()
        out[f"{label} {change[1]}"] = values["later"].to_numpy()
        key = _("Verandering")
        out[key] = values["value"].to_numpy()
    else:
        key = leg.title
        out[key] = values["value"].to_numpy()
    decimals = EURO_DECIMALS if leg.prefix.startswith("€") else OTHER_DECIMALS
    out[out.columns[3:]] = out[out.columns[3:]].astype("float64").round(decimals)
    return out.sort_values(key, ascending=False, na_position="last").reset_index(drop=True)


def formatted(frame: pd.DataFrame, leg: Legend, year_legend: Legend) -> pd.DataFrame:
    """table() with its value columns as Dutch text: changes signed, the years' values plain."""
    out = frame.copy()
    for column in out.columns[3:]:
        chosen = leg if column in (_("Verandering"), leg.title) else year_legend
        out[column] = [chosen.format(v) for v in out[column]]
    return out


def excel_formats(frame: pd.DataFrame, leg: Legend) -> dict[str, str]:
    """Number formats of export.to_excel for the value columns of table()."""
    kind = "euro" if leg.prefix == "€ " and leg.decimals == 0 else None
    kind = kind or ("number" if leg.decimals == 0 else "decimal")
    return {column: kind for column in frame.columns[3:]}
