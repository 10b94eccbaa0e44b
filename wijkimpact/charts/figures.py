"""Plotly figure builders (DataFrame in, Figure out), Dutch number formats throughout; text
from the data (names, themes, labels) is escaped here, where it enters a figure."""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from wijkimpact.charts import map_parts
from wijkimpact.escaping import for_plotly
from wijkimpact.formatting import euro
from wijkimpact.i18n import _, current_language

DUTCH = {"separators": ",.", "font": {"family": "Source Sans Pro, sans-serif"}}
ENGLISH = {**DUTCH, "separators": ".,"}


def locale_layout() -> dict:
    """Plotly layout settings of the current language: decimal and thousands separators."""
    return ENGLISH if current_language() == "en" else DUTCH


EARNED = "#1b7837"
GRANTED = "#f1a340"
NEUTRAL = "#4a6fa5"
SEQUENTIAL = "Viridis"  # colour-blind safe
DIVERGING = "RdBu"  # ColorBrewer red-white-blue, colour-blind safe: changes and deviations
NO_DATA = "#c8c8c8"
# plotly's geo map (SVG) for areas: Mercator fitted to the areas, no land or sea of its own
SVG_GEO = {
    "fitbounds": "locations",
    "visible": False,
    "projection": {"type": "mercator"},
    "bgcolor": "rgba(0,0,0,0)",
}
CATEGORY_COLOURS = {
    "verdiend": ["#1b7837", "#5aae61", "#a6dba0", "#2c7fb8", "#7fcdbb", "#c7e9b4"],
    "gesubsidieerd": ["#e08214", "#fdb863", "#b35806", "#fee0b6"],
}
EURO_AXIS = {"tickprefix": "€ ", "tickformat": ",.0f"}


def styled_figure(title: str | None = None, height: int = 360, **layout) -> go.Figure:
    """An empty figure in the app's look: the language's number format, ``title``,
    ``height``, narrow margins, the legend below, one hover per x; ``layout`` on top of that
    look (a figure's own setting wins, such as the hover of horizontal bars). Traces are added
    after: plotly checks a layout set before the traces once, and one changed after them twice
    as slowly (measured: 7 ms against 3 ms for a figure of two bar series, in every script run
    that shows it)."""
    return go.Figure(
        layout={
            **locale_layout(),
            "title": title,
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
            "legend": {"orientation": "h", "y": -0.15},
            "hovermode": "x unified",
            **layout,
        }
    )


def earned_vs_granted(by_year: pd.DataFrame) -> go.Figure:
    """Stacked bars of earned and granted income per year, with verdienvermogen on hover."""
    fig = styled_figure(
        _("Omzet: eigen verdiend en gesubsidieerd"),
        barmode="stack",
        yaxis=EURO_AXIS,
        xaxis={"dtick": 1},
    )
    for column, name, colour in (
        ("eigen_verdiend", _("Eigen verdiend"), EARNED),
        ("gesubsidieerd", _("Subsidies en fondsen"), GRANTED),
    ):
        fig.add_bar(
            x=by_year["year"],
            y=by_year[column],
            name=name,
            marker_color=colour,
            hovertemplate="%{y:,.0f}",
            texttemplate="",
        )
    return fig


def income_by_source(income: pd.DataFrame) -> go.Figure:
    """Income per source stacked over the years (earned sources green, granted orange)."""
    rows = income[income["kind"] == "inkomsten"]
    english = current_language() == "en" and "categorie_en" in rows
    label_column = "categorie_en" if english else "categorie"
    fig = styled_figure(
        _("Inkomsten per bron"), height=420, barmode="stack", yaxis=EURO_AXIS, xaxis={"dtick": 1}
    )
    counters = {"verdiend": 0, "gesubsidieerd": 0}
    for (_order, label, kind), part in rows.groupby(["sort_order", label_column, "income_type"]):
        palette = CATEGORY_COLOURS[kind]
        colour = palette[counters[kind] % len(palette)]
        counters[kind] += 1
        fig.add_bar(
            x=part["year"],
            y=part["bedrag"],
            name=for_plotly(label),
            marker_color=colour,
            hovertemplate="€ %{y:,.0f}",
        )
    return fig


def ratio_trend(rows: pd.DataFrame, column: str, title: str, name: str | None = None) -> go.Figure:
    """A fraction (e.g. verdienvermogen) over the years as a line, axis in percent."""
    fig = styled_figure(
        title, yaxis={"tickformat": ".0%", "rangemode": "tozero"}, xaxis={"dtick": 1}
    )
    if name and "name" in rows:
        for label, part in rows.groupby(name):
            fig.add_scatter(
                x=part["year"],
                y=part[column],
                mode="lines+markers",
                name=for_plotly(label),
                hovertemplate="%{y:.1%}",
            )
    else:
        fig.add_scatter(
            x=rows["year"],
            y=rows[column],
            mode="lines+markers",
            name=title,
            line_color=EARNED,
            hovertemplate="%{y:.1%}",
        )
    return fig


def result_and_reinvested(rows: pd.DataFrame) -> go.Figure:
    """Resultaat and geherinvesteerd side by side per year."""
    fig = styled_figure(
        _("Resultaat en geherinvesteerd"), barmode="group", yaxis=EURO_AXIS, xaxis={"dtick": 1}
    )
    fig.add_bar(
        x=rows["year"],
        y=rows["resultaat"],
        name=_("Resultaat"),
        marker_color=NEUTRAL,
        hovertemplate="€ %{y:,.0f}",
    )
    fig.add_bar(
        x=rows["year"],
        y=rows["geherinvesteerd"],
        name=_("Geherinvesteerd"),
        marker_color=EARNED,
        hovertemplate="€ %{y:,.0f}",
    )
    return fig


def amount_bars(rows: pd.DataFrame, category: str, title: str) -> go.Figure:
    """Horizontal bars of summed amounts per category (theme, wijk ...), largest on top."""
    summed = rows.groupby(category, as_index=False)["amount"].sum().sort_values("amount")
    fig = styled_figure(
        title, height=max(220, 60 + 32 * len(summed)), xaxis=EURO_AXIS, hovermode="closest"
    )
    fig.add_trace(
        go.Bar(
            x=summed["amount"],
            y=summed[category].map(for_plotly),
            orientation="h",
            marker_color=EARNED,
            text=[euro(v) for v in summed["amount"]],
            textposition="auto",
            hovertemplate="%{y}: € %{x:,.0f}<extra></extra>",
        )
    )
    return fig


def count_and_hours_axes() -> dict:
    """Left axis counts (people), right axis volunteer hours; both from zero."""
    return {
        "yaxis": {"title": _("aantal"), "tickformat": ",.0f", "rangemode": "tozero"},
        "yaxis2": {
            "title": _("uren"),
            "overlaying": "y",
            "side": "right",
            "tickformat": ",.0f",
            "showgrid": False,
            "rangemode": "tozero",
        },
    }


def people_by_year(rows: pd.DataFrame) -> go.Figure:
    """Participants, volunteer deployments and volunteer hours per year."""
    fig = styled_figure(
        _("Deelnemers en vrijwilligers"),
        barmode="group",
        xaxis={"dtick": 1},
        **count_and_hours_axes(),
    )
    fig.add_bar(x=rows["year"], y=rows["deelnemers"], name=_("Deelnemers"), marker_color=NEUTRAL)
    fig.add_bar(
        x=rows["year"], y=rows["vrijwilligers"], name=_("Vrijwilligersinzet"), marker_color=EARNED
    )
    fig.add_scatter(
        x=rows["year"],
        y=rows["vrijwilligersuren"],
        name=_("Vrijwilligersuren"),
        yaxis="y2",
        mode="lines+markers",
        line_color=GRANTED,
    )
    return fig


def choropleth(
    geojson: dict | str,
    values: pd.DataFrame,
    legend,
    view: dict,
    markers: pd.DataFrame | None = None,
    map_style: str = "white-bg",
    layers: list[dict] | None = None,
    source: str = "",
    border: float = 0.8,
    uirevision: str | None = None,
    svg: bool = False,
    ranges: dict | None = None,
    labels: pd.DataFrame | None = None,
) -> go.Figure:
    """Areas coloured by one value (in the legend's classes when it has them), enterprises as
    markers, ``labels`` (lat, lon, label) as names on the map (map_parts.names_trace).

    Drawn by MapLibre (WebGL; ``view`` has its centre and zoom, ``layers`` may add street
    tiles), or with ``svg`` by plotly's own geo map: SVG paths in a Mercator projection fitted
    to the areas, no WebGL, so quick in any browser, also one without a GPU; it needs the
    page's plotly config ``topojsonURL`` (map_files.svg_config), and has no tiles. It shows
    ``ranges`` (maps.fit_ranges) when given, else it is fitted to the areas in the browser.

    ``values`` has area_code, value and optionally reden (why a value is missing;
    map_data.missing_reasons); ``legend`` a
    map_data.Legend (title, number format, colour range; diverging: red-white-blue around 0).
    Areas without a value are drawn grey in a trace per reason (column ``ontbreekt``:
    map_parts.MISSING) with its legend entry, so each shape is sent once. ``geojson`` is a
    FeatureCollection or the URL of one (map_files): the browser then fetches the shapes once
    and all traces pick their areas from them.
    The hover reads each area's name from its feature (map_parts.NAME_PROPERTY in its
    properties, kaart.geojson). ``markers`` has lat, lon, size, hover and area_code (the home wijk,
    for clicks). ``layers``: extra MapLibre layers, e.g. street tiles under the areas.
    """
    area_trace = go.Choropleth if svg else go.Choroplethmap
    has_value = values["value"].notna()
    shown, missing = values[has_value], values[~has_value]
    if isinstance(geojson, str):
        split = (geojson, geojson)
    else:
        split = _split_features(geojson, set(shown["area_code"]))
    colours = map_parts.value_colours(legend, DIVERGING if legend.diverging else SEQUENTIAL)
    classes = "klasse" in shown and bool(colours["ticks"])
    fig = go.Figure()
    if not shown.empty:
        fig.add_trace(
            area_trace(
                geojson=split[0],
                locations=shown["area_code"],
                featureidkey="id",
                z=shown["value"].to_numpy(dtype="float32"),  # 7 digits are plenty, half the bytes
                customdata=shown["klasse"] if classes else None,
                colorscale=colours["colorscale"],
                zmin=colours["zmin"],
                zmax=colours["zmax"],
                marker={"line": {"width": border, "color": "#555"}, "opacity": 0.85},
                colorbar={
                    "title": {
                        "text": "<br>".join(for_plotly(p) for p in textwrap.wrap(legend.title, 24))
                    },
                    "thickness": 14,
                    "outlinewidth": 0,
                    "len": 0.75,
                    "tickformat": legend.d3_format,
                    "tickprefix": legend.prefix,
                    "ticksuffix": legend.suffix,
                    **colours["ticks"],
                },
                hovertemplate=(
                    f"<b>{map_parts.HOVER_NAME}</b><br>{for_plotly(legend.title)}: "
                    f"{legend.prefix}%{{z:{legend.d3_format}}}{legend.suffix}"
                    + ("<br>%{customdata}" if classes else "")
                    + "<extra></extra>"
                ),
                name=for_plotly(legend.title),
            )
        )
    fig.add_traces(map_parts.missing_traces(area_trace, split[1], missing, border))
    fig.add_traces(map_parts.names_traces(labels, svg))
    if markers is not None and not markers.empty:
        _add_markers(fig, markers, svg)
    source = source or _("Bron: CBS")
    keyed = any(t.showlegend for t in fig.data)  # the reasons of grey areas have a legend
    grey = not missing.empty and not keyed
    notes = [for_plotly(source)] + ([_("grijs: geen gegevens")] if grey else [])
    if svg:  # drawn as it is (ui.kaart.map_chart): no template of plotly's (10 kB of JSON)
        fitted = {**SVG_GEO, **({"fitbounds": False, **ranges} if ranges else {})}
        where = {"geo": {**fitted, "uirevision": uirevision}, "template": "none"}
    else:
        where = {"map": {"style": map_style, "layers": layers or [], **view}}
    fig.update_layout(
        **locale_layout(),
        **where,
        height=620,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=keyed,
        # on a light box of its own: dark text also when the page is dark
        legend={
            "x": 0.005,
            "y": 0.995,
            "bgcolor": "rgba(255,255,255,0.8)",
            "font": {"color": "#1a1a1a"},
        },
        uirevision=uirevision,
        annotations=[
            {
                "text": " · ".join(notes),
                "xref": "paper",
                "yref": "paper",
                "x": 0.005,
                "y": 0.005,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": "#444"},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        ],
    )
    return fig


def _add_markers(fig: go.Figure, markers: pd.DataFrame, svg: bool) -> None:
    """Enterprises as dark dots with a white ring, visible on any colour; hover texts and the
    home wijk (for clicks) on the dots only."""
    dots = {
        "lat": markers["lat"],
        "lon": markers["lon"],
        "mode": "markers",
        "text": markers["hover"],
        "customdata": markers["area_code"],
        "hovertemplate": "<b>%{text}</b><br>%{customdata}<extra></extra>",
        "name": _("Ondernemingen"),
        "showlegend": False,
    }
    dot = {"size": markers["size"], "color": "#1a1a1a", "opacity": 1}
    if svg:  # an SVG marker has its own outline: one trace; thin around small dots
        ring = 2 if markers["size"].max() > 16 else 1
        fig.add_scattergeo(**dots, marker={**dot, "line": {"width": ring, "color": "white"}})
        return
    # MapLibre circles have no outline here: a white ring as a larger dot underneath
    fig.add_scattermap(
        lat=markers["lat"],
        lon=markers["lon"],
        mode="markers",
        marker={"size": markers["size"] + 4, "color": "white", "opacity": 1},
        hoverinfo="skip",
        name=_("Ondernemingen"),
        showlegend=False,
    )
    fig.add_scattermap(**dots, marker=dot)
    return fig


def _split_features(geojson: dict, with_value: set[str]) -> tuple[dict, dict]:
    """Two FeatureCollections: the features whose id is in ``with_value``, and the others."""
    inside, outside = [], []
    for feature in geojson["features"]:
        (inside if feature["id"] in with_value else outside).append(feature)
    return (
        {"type": "FeatureCollection", "features": inside},
        {"type": "FeatureCollection", "features": outside},
    )
