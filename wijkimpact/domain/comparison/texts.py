"""The comparison in words and tables, in the current language: changes, intervals, notes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wijkimpact.domain.comparison.estimate import Estimate
from wijkimpact.domain.comparison.matching import MatchResult
from wijkimpact.domain.comparison.result import Analysis
from wijkimpact.formatting import number, signed
from wijkimpact.i18n import N_, _, localized_text

LABELS = {
    "lbm": N_("Leefbaarometer-score"),
    "fys": N_("Fysieke omgeving"),
    "onv": N_("Overlast en onveiligheid"),
    "soc": N_("Sociale samenhang"),
    "vrz": N_("Voorzieningen"),
    "won": N_("Woningvoorraad"),
    "inwoners": N_("Inwoners"),
    "huishoudensgrootte": N_("Gemiddelde huishoudensgrootte"),
    "pct_0_15": N_("Inwoners 0 tot 15 jaar (%)"),
    "pct_15_25": N_("Inwoners 15 tot 25 jaar (%)"),
    "pct_25_45": N_("Inwoners 25 tot 45 jaar (%)"),
    "pct_45_65": N_("Inwoners 45 tot 65 jaar (%)"),
    "pct_65plus": N_("Inwoners 65 jaar of ouder (%)"),
}
CHANGE_DECIMALS = {"score": 2, "personen": 2, "%": 1, "x 1.000 euro": 1}
CAVEAT = Path(__file__).parents[2] / "content" / "bijdrage.md"
ASSOCIATION_NOTE = N_(
    "Dit is een samenhang, geen bewijs dat de onderneming de wijk veranderde: ook andere "
    "dingen kunnen het verschil verklaren."
)
# estimate_table's and match_table's columns (Dutch; /bijdrage shows them translated)
TABLE_COLUMNS = (
    N_("Indicator"),
    N_("Van"),
    N_("Tot"),
    N_("Verandering wijk"),
    N_("Verandering vergelijkingswijken"),
    N_("Verschil"),
    N_("Vergelijkingswijken"),
    N_("Opmerking"),
    N_("Wijk"),
    N_("Code"),
    N_("Gemeente"),
    N_("Afstand"),
)


def change_text(value: float, unit: str | None = None) -> str:
    """A change in the current number format with its sign: '+0,03', '-1.234'; '0,00' when it
    rounds to nothing (never '-0,00')."""
    decimals = CHANGE_DECIMALS.get(unit or "", 0)
    if isinstance(value, float) and np.isnan(value):
        return number(value)
    rounded = round(float(value), decimals) + 0.0
    return number(rounded, decimals) if rounded == 0 else signed(number(rounded, decimals))


def _bounds(estimate: Estimate, unit: str | None) -> dict[str, str]:
    return {"laag": change_text(estimate.low, unit), "hoog": change_text(estimate.high, unit)}


def interval_text(estimate: Estimate, unit: str | None = None) -> str:
    """'90%-interval −0,01 tot +0,07'."""
    level = f"{estimate.level * 100:.0f}"
    return _("{niveau}%-interval {laag} tot {hoog}", niveau=level, **_bounds(estimate, unit))


def estimate_text(estimate: Estimate, unit: str | None = None) -> str:
    """'+0,03 t.o.v. vergelijkingsgroep (2014–2018; 90%-interval ...; 5 vergelijkingswijken)'."""
    if not estimate.ok:
        return estimate.reason or ""
    return _(
        "{verschil} t.o.v. vergelijkingsgroep ({van}–{tot}; {interval}; {n} vergelijkingswijken)",
        verschil=change_text(estimate.did, unit),
        van=estimate.before_year,
        tot=estimate.after_year,
        interval=interval_text(estimate, unit),
        n=estimate.n_comparison,
    )


def baseline_note(analysis: Analysis) -> str:
    """In plain words: from which year the comparison starts, and why."""
    ref, founded = analysis.reference_year, analysis.founding_year
    if founded is None:
        return _("Oprichtingsjaar onbekend; vergeleken vanaf {jaar}.", jaar=ref)
    if analysis.pre_founding:
        return _(
            "Opgericht in {opgericht}; vergeleken met het laatste jaar met cijfers t/m {jaar}.",
            opgericht=founded,
            jaar=ref,
        )
    return _(
        "Opgericht in {opgericht}, vóór de eerste cijfers: het referentiejaar is daarom het "
        "eerste jaar met cijfers ({jaar}), niet het oprichtingsjaar. Wat er in de wijk veranderde "
        "voordat er cijfers waren, zit niet in de vergelijking.",
        opgericht=founded,
        jaar=ref,
    )


def caveat_markdown() -> str:
    """What a difference can and cannot mean, in the current language (shown on /bijdrage)."""
    return localized_text(CAVEAT)


def _note(estimate: Estimate) -> str:
    if estimate.reason:
        return estimate.reason
    if estimate.before_is_late:
        return _(
            "geen cijfers t/m {jaar}; vanaf {van}",
            jaar=estimate.reference_year,
            van=estimate.before_year,
        )
    return ""


def estimate_table(
    analysis: Analysis, labels: dict[str, str], units: dict[str, str | None]
) -> pd.DataFrame:
    """One row per indicator with formatted changes, difference, interval and a note (in the
    current language; the column names are Dutch, TABLE_COLUMNS)."""
    rows = []
    for name, est in analysis.estimates.items():
        unit = units.get(name)
        rows.append(
            {
                "Indicator": labels.get(name) or _label(name),
                "Van": str(est.before_year or "–"),
                "Tot": str(est.after_year or "–"),
                "Verandering wijk": change_text(est.change_wijk, unit),
                "Verandering vergelijkingswijken": change_text(est.change_group, unit),
                "Verschil": change_text(est.did, unit),
                f"{est.level * 100:.0f}%-interval": (
                    _("{laag} tot {hoog}", **_bounds(est, unit)) if est.ok else "–"
                ),
                "Vergelijkingswijken": est.n_comparison,
                "Opmerking": _note(est),
            }
        )
    return pd.DataFrame(rows)


def match_table(match: MatchResult, wijken: pd.DataFrame) -> pd.DataFrame:
    """The chosen comparison wijken with their gemeente and distance (current number format)."""
    names = wijken.set_index("area_code")
    return pd.DataFrame(
        {
            "Wijk": [names["name"].get(c, c) for c in match.chosen],
            "Code": list(match.chosen),
            "Gemeente": [names["gemeente_code"].get(c, "") for c in match.chosen],
            "Afstand": [number(d, 2) for d in match.distances],
        }
    )


def _label(name: str, labels: dict[str, str] | None = None) -> str:
    """A LABELS text in the current language, else ``labels``' label, else the name."""
    return _(LABELS[name]) if name in LABELS else (labels or {}).get(name, name)


def features_text(match: MatchResult, labels: dict[str, str] | None = None) -> str:
    """'Inwoners (2019), Leefbaarometer-score (2018)'; ``labels`` names features that LABELS
    does not have."""
    return ", ".join(f"{_label(f, labels)} ({match.feature_years[f]})" for f in match.features)
