"""Figures of the enterprise page: activities by month, and a small map of reinvestments."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wijkimpact.charts.figures import (
    EARNED,
    GRANTED,
    NEUTRAL,
    SVG_GEO,
    count_and_hours_axes,
    locale_layout,
    styled_figure,
)
from wijkimpact.escaping import for_plotly
from wijkimpact.formatting import euro
from wijkimpact.i18n import N_, _

MONTHS = [
    N_("jan"), N_("feb"), N_("mrt"), N_("apr"), N_("mei"), N_("jun"),
    N_("jul"), N_("aug"), N_("sep"), N_("okt"), N_("nov"), N_("dec"),
]  # fmt: skip


def activity_by_month(months: pd.DataFrame, year: int) -> go.Figure:
    """Participants and volunteer deployments per month (bars), volunteer hours (line)."""
    chosen = months[months["year"] == year].copy()
    chosen["m"] = pd.to_datetime(chosen["maand"]).dt.month
    counts = ["deelnemers", "vrijwilligers", "vrijwilligersuren"]
    full = pd.DataFrame({"m": range(1, 13)}).merge(chosen, on="m", how="left")
    full[counts] = full[counts].fillna(0)
    labels = [_(MONTHS[m - 1]) for m in full["m"]]
    fig = styled_figure(
        _("Activiteiten per maand, {jaar}", jaar=year),
        height=380,
        barmode="group",
        **count_and_hours_axes(),
    )
    fig.add_bar(x=labels, y=full["deelnemers"], name=_("Deelnemers"), marker_color=NEUTRAL)
    fig.add_bar(
        x=labels, y=full["vrijwilligers"], name=_("Vrijwilligersinzet"), marker_color=EARNED
    )
    fig.add_scatter(
        x=labels,
        y=full["vrijwilligersuren"],
        name=_("Vrijwilligersuren"),
        yaxis="y2",
        mode="lines+markers",
        line_color=GRANTED,
    )
    return fig


def reinvestment_map(
    geojson: dict, view: dict, per_wijk: pd.DataFrame, svg: bool = False
) -> go.Figure:
    """Small map: the wijken of the gemeente, coloured by what this enterprise reinvested there.

    ``per_wijk`` has area_code, name and amount (0 where nothing went). ``svg``: plotly's geo
    map instead of MapLibre (see figures.choropleth).
    """
    trace = (go.Choropleth if svg else go.Choroplethmap)(
        geojson=geojson,
        locations=per_wijk["area_code"],
        featureidkey="id",
        z=per_wijk["amount"],
        text=per_wijk["name"].map(for_plotly),
        customdata=[euro(v) for v in per_wijk["amount"]],
        colorscale=[[0, "#f3f3f3"], [0.0001, "#d9f0d3"], [1, "#1b7837"]],
        marker={"line": {"width": 0.8, "color": "#777"}},
        showscale=False,
        hovertemplate="<b>%{text}</b><br>"
        + _("Geherinvesteerd: {bedrag}", bedrag="%{customdata}")
        + "<extra></extra>",
    )
    layout = {
        **locale_layout(),
        **({"geo": SVG_GEO} if svg else {"map": {"style": "white-bg", **view}}),
        "height": 300,
        "margin": {"l": 0, "r": 0, "t": 30, "b": 0},
        "title": _("Waar het geld naartoe ging"),
    }
    return go.Figure(data=[trace], layout=layout)  # in one go: figures.styled_figure
