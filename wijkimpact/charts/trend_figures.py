"""Figures of a wijk over the years: against its comparison wijken (/bijdrage), and its
Leefbaarometer score against its gemeente (the wijk profile on /kaart)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wijkimpact.charts.figures import EARNED, NEUTRAL, styled_figure
from wijkimpact.escaping import for_plotly
from wijkimpact.i18n import _


def _value_format(unit: str | None) -> str:
    return {"score": ".2f", "%": ".1f", "personen": ".2f", "x 1.000 euro": ".1f"}.get(
        unit or "", ",.0f"
    )


def comparison_trend(
    rows: pd.DataFrame,
    title: str,
    wijk_name: str,
    reference_year: int,
    unit: str | None = None,
    legend: bool = True,
) -> go.Figure:
    """A wijk against its comparison wijken over the years (rows from comparison.trend()):
    the group mean with the range of the comparison wijken as a band, the path the wijk would
    follow if it changed like the group, and the reference year as a dashed line."""
    fmt = _value_format(unit)
    fig = styled_figure(
        for_plotly(title),
        height=340 if legend else 260,
        xaxis={"dtick": 1},
        yaxis={"tickformat": fmt},
        showlegend=legend,
    )
    fig.add_scatter(
        x=rows["year"],
        y=rows["groep_max"],
        mode="lines",
        line={"width": 0},
        showlegend=False,
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=rows["year"],
        y=rows["groep_min"],
        mode="lines",
        line={"width": 0},
        fill="tonexty",
        fillcolor="rgba(74, 111, 165, 0.18)",
        name=_("Spreiding vergelijkingswijken"),
        hoverinfo="skip",
    )
    expected = {"color": "#888888", "dash": "dot"}
    for column, name, mode, line in (
        ("groep", _("Vergelijkingswijken (gemiddeld)"), "lines+markers", {"color": NEUTRAL}),
        ("verwacht", _("Verwacht bij gelijke ontwikkeling"), "lines", expected),
        ("wijk", for_plotly(wijk_name), "lines+markers", {"color": EARNED, "width": 3}),
    ):
        fig.add_scatter(
            x=rows["year"],
            y=rows[column],
            mode=mode,
            name=name,
            line=line,
            hovertemplate=f"%{{y:{fmt}}}",
        )
    # the reference year as fig.add_vline(x, annotation_position="top right") draws it, in one
    # layout update: add_vline took a fifth of /bijdrage's rerun (one chart per indicator)
    fig.update_layout(
        shapes=[
            {
                "type": "line",
                "x0": reference_year,
                "x1": reference_year,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"dash": "dash", "color": "#555555", "width": 1},
            }
        ],
        annotations=[
            {
                "text": _("referentiejaar {jaar}", jaar=reference_year),
                "x": reference_year,
                "xref": "x",
                "xanchor": "left",
                "y": 1,
                "yref": "y domain",
                "yanchor": "top",
                "showarrow": False,
            }
        ],
    )
    return fig


def lbm_trend(rows: pd.DataFrame) -> go.Figure:
    """Leefbaarometer score per edition, the wijk (first series) against its gemeente."""
    fig = styled_figure(
        _("Leefbaarometer: wijk en gemeente"),
        height=320,
        xaxis={"dtick": 2},
        yaxis={"title": _("score"), "tickformat": ".2f"},
    )
    styles = [{"color": EARNED, "width": 3}, {"color": NEUTRAL, "dash": "dot"}]
    for i, (name, part) in enumerate(rows.groupby("reeks", sort=False)):
        fig.add_scatter(
            x=part["year"],
            y=part["value"],
            mode="lines+markers",
            name=for_plotly(name),
            line=styles[min(i, 1)],
            hovertemplate="%{y:.2f}",
        )
    return fig
