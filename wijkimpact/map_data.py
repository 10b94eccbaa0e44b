"""What the map colours: one value per wijk for a metric and year, and the enterprise markers."""

from __future__ import annotations

import pandas as pd

from wijkimpact.formatting import euro

MAP_METRICS = {
    "omzet": ("Omzet", "euro"),
    "geherinvesteerd": ("Geherinvesteerd", "euro"),
    "geherinvesteerd_per_inwoner": ("Geherinvesteerd per inwoner", "euro2"),
    "lbm": ("Leefbaarometer-score", "score"),
    "inwoners": ("Inwoners", "aantal"),
}


def wijk_values(wijken: pd.DataFrame, wijk_years: pd.DataFrame, metric: str, year: int):
    """Every wijk with the metric's value in ``year`` (NaN where there is none)."""
    chosen = wijk_years[wijk_years["year"] == year][["area_code", metric]]
    out = wijken[["area_code", "name"]].merge(chosen, on="area_code", how="left")
    return out.rename(columns={metric: "value"})


def markers(enterprises: pd.DataFrame, enterprise_years: pd.DataFrame, year: int) -> pd.DataFrame:
    """Enterprises with coordinates, their omzet in ``year`` and a hover text (plain text)."""
    located = enterprises.dropna(subset=["lat", "lon"])
    omzet = enterprise_years[enterprise_years["year"] == year][["enterprise_id", "omzet"]]
    out = located.merge(omzet, on="enterprise_id", how="left")
    out["hover"] = [
        "<br>".join(
            _escape(part)
            for part in (
                f"{r.name}",
                f"{r.wijk_naam}",
                f"Omzet {year}: {euro(r.omzet)}",
                r.description or "",
            )
            if part
        )
        for r in out.itertuples()
    ]
    return out


def _escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover text: show names as text, never markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
