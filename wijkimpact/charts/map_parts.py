"""Parts of the area map (charts.figures.choropleth): why an area has no value and its colour and
legend entry, colours in classes (the Leefbaarometer's nine), and area names on the map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from wijkimpact.escaping import for_plotly
from wijkimpact.i18n import N_, _

# An area's hover name is in its feature's properties in the map's GeoJSON (kaart.geojson), which
# the browser fetches once, not in every session's figure: the hovers read it from there
NAME_PROPERTY = "naam"
HOVER_NAME = f"%{{properties.{NAME_PROPERTY}}}"
# Why an area has no value, each with its colour and legend entry: an enterprise metric of a wijk
# without enterprises is not 0 but empty, and reads otherwise than a wijk whose figures are
# withheld to protect an enterprise's private figures.
NO_DATA, WITHHELD, NO_ENTERPRISE = "geen_gegevens", "afgeschermd", "geen_onderneming"
MISSING = {
    NO_DATA: (N_("geen gegevens"), "#c8c8c8"),
    WITHHELD: (N_("geen gegevens (afgeschermd)"), "#8c8c8c"),
    NO_ENTERPRISE: (N_("geen onderneming"), "#ebebeb"),
}
# ColorBrewer PiYG, nine classes (colour-blind safe): bad in magenta, good in green
CLASS_COLOURS = (
    "#c51b7d",
    "#de77ae",
    "#f1b6da",
    "#fde0ef",
    "#f7f7f7",
    "#e6f5d0",
    "#b8e186",
    "#7fbc41",
    "#4d9221",
)
LABEL_FONT = {"size": 10, "color": "#1a1a1a"}


def missing_label(reason: str) -> str:
    """The hover text of a reason for a missing value, translated: 'geen onderneming'."""
    return _(MISSING.get(reason, MISSING[NO_DATA])[0])


def legend_entry(reason: str) -> str:
    """The legend entry of a reason: 'Geen onderneming'."""
    text = missing_label(reason)
    return text[:1].upper() + text[1:]


def missing_groups(missing: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The areas without a value by reason (column ``ontbreekt``; none: no data), in the order
    of MISSING."""
    reasons = missing["ontbreekt"] if "ontbreekt" in missing else pd.Series(NO_DATA, missing.index)
    return [(key, missing[reasons == key]) for key in MISSING if (reasons == key).any()]


def value_colours(legend, scale) -> dict:
    """colorscale, zmin, zmax and colorbar ticks of the coloured areas: the legend's classes as
    steps (one colour per class, the class names at the colour bar), else ``scale`` over the
    legend's range."""
    bounds = tuple(getattr(legend, "bounds", ()) or ())
    if not bounds:
        return {"colorscale": scale, "zmin": legend.zmin, "zmax": legend.zmax, "ticks": {}}
    width = bounds[1] - bounds[0]
    edges = [bounds[0] - width, *bounds, bounds[-1] + width]
    low, high = edges[0], edges[-1]
    at = [(edge - low) / (high - low) for edge in edges]
    steps = []
    for i, colour in enumerate(CLASS_COLOURS[: len(edges) - 1]):
        steps += [[at[i], colour], [at[i + 1], colour]]
    middles = [(a + b) / 2 for a, b in zip(edges, edges[1:], strict=False)]
    ticks = {
        "tickmode": "array",
        "tickvals": middles,
        "ticktext": [for_plotly(f"{i} {name}") for i, name in enumerate(legend.classes, start=1)],
    }
    return {"colorscale": steps, "zmin": low, "zmax": high, "ticks": ticks}


def missing_traces(area_trace, geojson, missing: pd.DataFrame, border: float) -> list:
    """One grey area trace per reason a value is missing (missing_groups), with its legend entry
    (none for a plain 'geen gegevens' alone); ``geojson`` a FeatureCollection or its URL."""
    groups = missing_groups(missing)
    traces = []
    for reason, part in groups:
        colour = MISSING[reason][1]
        traces.append(
            area_trace(
                geojson=_features(geojson, set(part["area_code"])),
                locations=part["area_code"],
                featureidkey="id",
                z=[0] * len(part),
                **_reasons(part, reason),
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker={"line": {"width": border, "color": "#777"}, "opacity": 0.85},
                name=legend_entry(reason),
                showlegend=len(groups) > 1 or reason != NO_DATA,
            )
        )
    return traces


def _reasons(part: pd.DataFrame, reason: str) -> dict:
    """The hover's second line: an area's own reason (column reden), or the one reason of the
    trace written once in the template (not once per area: 3,000 grey wijken of the national
    map would send it 3,000 times)."""
    reasons = part["reden"] if "reden" in part else pd.Series([missing_label(reason)])
    if reasons.nunique(dropna=False) > 1:
        return {
            "customdata": reasons,
            "hovertemplate": f"<b>{HOVER_NAME}</b><br>%{{customdata}}<extra></extra>",
        }
    label = for_plotly(str(reasons.iloc[0]))
    return {"hovertemplate": f"<b>{HOVER_NAME}</b><br>{label}<extra></extra>"}


def _features(geojson, codes: set[str]):
    if isinstance(geojson, str):  # a URL: the browser picks the areas from the one file
        return geojson
    chosen = [f for f in geojson["features"] if f["id"] in codes]
    return {"type": "FeatureCollection", "features": chosen}


def names_traces(labels: pd.DataFrame | None, svg: bool) -> list:
    """Area names at their centres (columns lat, lon, label: escaped) as text on the map; no
    hover, no clicks (the area under a name takes them). None or empty: no trace."""
    if labels is None or labels.empty:
        return []
    trace = go.Scattergeo if svg else go.Scattermap
    # a light halo keeps a name readable on a dark area (SVG text only; MapLibre has none)
    font = {**LABEL_FONT, "shadow": "auto"} if svg else LABEL_FONT
    return [
        trace(
            lat=labels["lat"],
            lon=labels["lon"],
            mode="text",
            text=labels["label"],
            textfont=font,
            hoverinfo="skip",
            name=_("Namen"),
            showlegend=False,
        )
    ]
