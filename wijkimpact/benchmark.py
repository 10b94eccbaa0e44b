"""One enterprise's main ratios against the median of the other loaded enterprises."""

from __future__ import annotations

import pandas as pd

RATIOS = {
    "verdienvermogen": "Verdienvermogen (eigen verdiend ÷ omzet)",
    "marge": "Resultaat als deel van de omzet",
    "herinvesteringsgraad": "Geherinvesteerd als deel van het resultaat",
    "uren_per_1000": "Vrijwilligersuren per € 1.000 omzet",
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
