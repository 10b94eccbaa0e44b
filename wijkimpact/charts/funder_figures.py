"""Figures of the funder page: subsidy dependence over time, reinvestment per inhabitant."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wijkimpact.charts.figures import EARNED, styled_figure
from wijkimpact.escaping import for_plotly
from wijkimpact.i18n import _


def subsidy_dependence(rows: pd.DataFrame) -> go.Figure:
    """One line per enterprise: share of income from subsidies and funds, per year."""
    fig = styled_figure(
        _("Subsidie-afhankelijkheid per onderneming"),
        height=420,
        yaxis={"tickformat": ".0%", "rangemode": "tozero"},
        xaxis={"dtick": 1},
        legend={"orientation": "h", "y": -0.2},  # below the year labels of many enterprises
    )
    for name, part in rows.sort_values("year").groupby("name"):
        fig.add_scatter(
            x=part["year"],
            y=part["subsidieafhankelijkheid"],
            mode="lines+markers",
            name=for_plotly(name),
            hovertemplate="%{y:.1%}",
        )
    return fig


def reinvested_per_inhabitant(wijken: pd.DataFrame) -> go.Figure:
    """Horizontal bars: euro reinvested per inhabitant for each wijk that received any."""
    shown = wijken[wijken["geherinvesteerd"] > 0].sort_values("geherinvesteerd_per_inwoner")
    fig = styled_figure(
        _("Geherinvesteerd per inwoner"),
        height=max(240, 70 + 30 * len(shown)),
        xaxis={"tickprefix": "€ ", "tickformat": ",.2f"},
        hovermode="closest",  # horizontal bars: the bar under the pointer
    )
    fig.add_bar(
        x=shown["geherinvesteerd_per_inwoner"],
        y=shown["wijk_naam"].map(for_plotly),
        orientation="h",
        marker_color=EARNED,
        customdata=shown[["geherinvesteerd", "inwoners"]],
        hovertemplate=_(
            "{wijk}: € {bedrag} per inwoner<br>€ {totaal} voor {inwoners} inwoners",
            wijk="%{y}",
            bedrag="%{x:,.2f}",
            totaal="%{customdata[0]:,.0f}",
            inwoners="%{customdata[1]:,.0f}",
        )
        + "<extra></extra>",
    )
    return fig
