"""Data completeness per enterprise and year: what is loaded, and what is still missing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from wijkimpact.formatting import DASH
from wijkimpact.i18n import N_, _

COLUMNS = [  # Dutch; the page shows them translated (rename(columns=_))
    N_("Onderneming"),
    N_("Jaar"),
    N_("Wat ontbreekt"),
    N_("Financiën"),
    N_("Ontbrekende maanden"),
    N_("Activiteiten"),
    N_("Activiteiten zonder wijk"),
    N_("Herinvesteringen"),
    N_("Vastgoed"),
]
KINDS = {
    "jaarcijfers": N_("jaarcijfers"),
    "maandcijfers": N_("maandcijfers"),
    "ontbreken": N_("ontbreken"),
}


def expected_months(year: int, today: dt.date) -> list[int]:
    """The months a monthly reporter should have for ``year``: all twelve, but for the current
    year only the months that are over."""
    if year < today.year:
        return list(range(1, 13))
    if year == today.year:
        return list(range(1, today.month))
    return []


def missing_months(year: int, months: Iterable[int], today: dt.date) -> list[int]:
    """Expected months without monthly figures."""
    have = {int(m) for m in months}
    return [m for m in expected_months(year, today) if m not in have]


def finance_kind(annual: bool, months: Iterable[int]) -> str:
    """'jaarcijfers', 'maandcijfers' or 'ontbreken'."""
    if annual:
        return "jaarcijfers"
    return "maandcijfers" if len(list(months)) else "ontbreken"


def overview(rows: pd.DataFrame, today: dt.date | None = None) -> pd.DataFrame:
    """One row per enterprise and year (from ``queries.data_completeness``) with Dutch columns."""
    today = today or dt.date.today()
    records = [_record(row, today) for row in rows.to_dict("records")]
    table = pd.DataFrame(records, columns=COLUMNS)
    table["Jaar"] = table["Jaar"].astype("Int64")
    return table


def _record(row: dict, today: dt.date) -> dict:
    buildings = int(row["panden"])
    if buildings:
        vastgoed = _("ja (1 pand)") if buildings == 1 else _("ja ({n} panden)", n=buildings)
    else:
        vastgoed = _("nee")
    if row["year"] is None or pd.isna(row["year"]):
        return {
            "Onderneming": row["name"],
            "Jaar": None,
            "Wat ontbreekt": _("nog geen cijfers"),
            "Financiën": _("ontbreken"),
            "Ontbrekende maanden": DASH,
            "Activiteiten": 0,
            "Activiteiten zonder wijk": 0,
            "Herinvesteringen": 0,
            "Vastgoed": vastgoed,
        }
    year = int(row["year"])
    months = [int(m) for m in _as_list(row["maanden"])]
    kind = finance_kind(bool(row["jaarcijfers"]), months)
    gaps = missing_months(year, months, today) if kind == "maandcijfers" else []
    wanting = []
    if kind == "ontbreken":
        wanting.append(_("financiën"))
    if gaps:
        wanting.append(
            _("1 maand financiën") if len(gaps) == 1 else _("{n} maanden financiën", n=len(gaps))
        )
    if not row["activiteiten"]:
        wanting.append(_("activiteiten"))
    if row["zonder_wijk"]:
        wanting.append(
            _("wijk bij {activiteiten}", activiteiten=_activities(int(row["zonder_wijk"])))
        )
    if not row["herinvesteringen"]:
        wanting.append(_("herinvesteringen"))
    return {
        "Onderneming": row["name"],
        "Jaar": year,
        "Financiën": _(KINDS[kind]),
        "Ontbrekende maanden": ", ".join(map(str, gaps)) if gaps else DASH,
        "Activiteiten": int(row["activiteiten"]),
        "Activiteiten zonder wijk": int(row["zonder_wijk"]),
        "Herinvesteringen": int(row["herinvesteringen"]),
        "Vastgoed": vastgoed,
        "Wat ontbreekt": ", ".join(wanting) if wanting else _("niets"),
    }


def _as_list(value: object) -> list:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return list(value)


def _activities(count: int) -> str:
    return _("1 activiteit") if count == 1 else _("{n} activiteiten", n=count)
