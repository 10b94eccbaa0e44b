"""One enterprise's main ratios against the median of the other loaded enterprises."""

from __future__ import annotations

import pandas as pd

from wijkimpact.formatting import DASH, number, percent
from wijkimpact.i18n import N_, _

RATIOS = {
    "verdienvermogen": N_("Verdienvermogen (eigen verdiend ÷ omzet)"),
    "marge": N_("Resultaat als deel van de omzet"),
    "herinvesteringsgraad": N_("Geherinvesteerd als deel van het resultaat"),
    "uren_per_1000": N_("Vrijwilligersuren per € 1.000 omzet"),
}


def ratios(rows: pd.DataFrame) -> pd.DataFrame:
    """Add the benchmark ratios to enterprise_year rows."""
    out = rows.copy()
    omzet = out["omzet"].where(out["omzet"] > 0)
    out["marge"] = out["resultaat"] / omzet
    out["herinvesteringsgraad"] = out["geherinvesteerd"] / out["resultaat"].where(
        out["resultaat"] > 0
    )
    out["uren_per_1000"] = out["vrijwilligersuren"] / (omzet / 1000)
    return out


def benchmark(rows: pd.DataFrame, enterprise_id: str, year: int) -> pd.DataFrame:
    """Ratio, this enterprise's value, the median of the others and how many others had one."""
    chosen = ratios(rows[rows["year"] == year])
    mine = chosen[chosen["enterprise_id"] == enterprise_id]
    others = chosen[chosen["enterprise_id"] != enterprise_id]
    records = []
    for column, label in RATIOS.items():
        values = others[column].dropna()
        records.append(
            {
                "ratio": column,
                "Maatstaf": label,
                "Deze onderneming": mine[column].iloc[0] if not mine.empty else float("nan"),
                "Mediaan andere ondernemingen": values.median() if len(values) else float("nan"),
                "Aantal andere": len(values),
            }
        )
    return pd.DataFrame.from_records(records)


def benchmark_display(table: pd.DataFrame) -> pd.DataFrame:
    """The benchmark as the page shows it: translated labels, values formatted per ratio."""

    def shown(ratio: str, value: float) -> str:
        if pd.isna(value):
            return DASH
        return number(value, 1) if ratio == "uren_per_1000" else percent(value)

    return pd.DataFrame(
        {
            _("Maatstaf"): [_(RATIOS[r]) for r in table["ratio"]],
            _("Deze onderneming"): [
                shown(r, v) for r, v in zip(table["ratio"], table["Deze onderneming"], strict=True)
            ],
            _("Mediaan andere ondernemingen"): [
                shown(r, v)
                for r, v in zip(table["ratio"], table["Mediaan andere ondernemingen"], strict=True)
            ],
            _("Aantal andere"): table["Aantal andere"],
        }
    )


def property_display(buildings: pd.DataFrame) -> pd.DataFrame:
    """The property table with translated column names."""
    return buildings.rename(
        columns={
            "name": _("Pand"),
            "wijk_naam": _("Wijk"),
            "m2": "m²",
            "owned": _("Eigendom"),
            "occupancy_pct": _("Bezetting (%)"),
        }
    )
