"""The map of /kaart for one choice, built once and shared: the figure, the caption, the table
and its download are kept per database version, what the viewer may see, language and choice,
so a rerun that changed none of these (a click, another wijk in the profile, a second session
with the same choice) costs a lookup, not a new 3,455-area figure."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from wijkimpact.charts import figures, map_parts
from wijkimpact.charts.shared_figure import SharedFigure
from wijkimpact.data import access, db, queries
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import _, current_language
from wijkimpact.kaart import area_table, lbm_classes, map_data, settings
from wijkimpact.kaart.map_data import MapMetric
from wijkimpact.ui import store
from wijkimpact.ui.kaart import map_store
from wijkimpact.ui.session import current_viewer


@dataclass(frozen=True)
class MapChoice:
    """What the user chose on /kaart."""

    gemeente: str | None
    level: str
    metric: MapMetric
    year: int | None  # one year, or
    change: tuple[int, int] | None  # (earlier, later)
    tiles: bool
    dots: bool  # enterprises as dots
    areas: int  # how many areas the level has (coarse geometry for many)


@dataclass(frozen=True)
class MapView:
    """Everything /kaart shows for a choice. Shared between sessions: never change it."""

    figure: SharedFigure  # its dict made once for every session
    caption: str
    table: pd.DataFrame  # for download: raw values
    shown: pd.DataFrame  # for display: Dutch number texts
    excel_formats: dict[str, str]
    areas: pd.DataFrame  # area_code, name, ... of the level (for clicks)
    download_name: str
    geometry: map_store.MapShapes
    config: dict  # plotly config of the map
    bundle: str | None  # an SVG map: the URL of the plotly code that draws it (map_chart)
    dots: int  # enterprises with a place on the map (drawn when the dots are on)
    gaps: tuple[str, ...]  # a map of all gemeenten: the gemeenten without areas of the level


# how the map is used on /kaart; an SVG map also needs to know where its (empty) world map is
# (plotly.js 4 offers to upload a chart to its cloud: never, the map may hold private figures)
CONFIG = {"scrollZoom": True, "displaylogo": False, "showSendToCloud": False}


def view(choice: MapChoice) -> MapView:
    """The map view of ``choice`` for this session's viewer and language."""
    viewer = current_viewer()
    built = _view(db.database_version(), (viewer.role, viewer.scope), current_language(), choice)
    map_store.ensure_served(built.geometry)  # the shared file may have been cleaned up
    return built


@st.cache_resource(show_spinner=False, max_entries=24)
def _view(version: str, sees: tuple, language: str, choice: MapChoice) -> MapView:
    # store.load reads the viewer from the session: the one in ``sees``, the cache key
    gemeente, level, metric, change = choice.gemeente, choice.level, choice.metric, choice.change
    shapes = map_store.shapes(level, gemeente, choice.areas)
    if metric.key in queries.MAP_ENTERPRISE_COLUMNS:  # all of them in one load: a change of
        # metric takes another column (a new load per metric ran the wijk totals again)
        every = store.load(queries.enterprise_map_values, level=level, gemeente=gemeente)
        values_long = queries.metric_values(every, metric.key)
    else:
        values_long = store.load(
            queries.map_values, metric=metric.key, level=level, gemeente=gemeente
        )
    if change:
        values = map_data.change_values(shapes.areas, values_long, *change)
        marker_year = change[1]
    else:
        values = map_data.year_values(shapes.areas, values_long, choice.year)
        marker_year = choice.year
    enterprises = store.load(queries.enterprises, gemeente=gemeente)
    values = map_data.without_enterprise(values, metric, enterprises["area_code"].dropna())
    legend = map_data.legend(metric, values["value"], change)
    values = map_data.missing_reasons(values)  # the names: in the shapes' file (map_store)
    if legend.bounds:  # the class of each area, in its hover
        values["klasse"] = lbm_classes.labels(values["value"])
    # SVG unless street tiles are asked for (MapLibre draws those): no WebGL, a quick first
    # draw in any browser
    svg = None if choice.tiles else map_store.svg_config()
    points = map_data.markers(
        enterprises, store.load(queries.enterprise_years, gemeente=gemeente), marker_year
    )
    dots = len(points)
    points = points if choice.dots else points.iloc[0:0]
    gaps = () if gemeente else tuple(store.load(queries.map_gaps, level=level)["name"])
    source = map_data.source_note(metric, level)
    figure = figures.choropleth(
        map_store.geometry_source(shapes),
        values,
        legend,
        shapes.view,
        points,
        map_style=settings.map_style(choice.tiles),
        layers=settings.tile_layers(choice.tiles),
        source=source,
        border=settings.border_width(len(values)),
        uirevision=f"{gemeente}-{level}",
        svg=svg is not None,
        ranges=shapes.ranges,
        labels=map_data.name_labels(shapes.areas, level),
    )
    table = area_table.table(values, shapes.areas, legend, level, change)
    period = f"{change[0]}-{change[1]}" if change else choice.year
    return MapView(
        SharedFigure(figure),
        _caption(values, legend, choice, marker_year, not points.empty, shapes.coarse, source),
        table,
        area_table.formatted(table, legend, map_data.legend(metric, values.get("later"))),
        area_table.excel_formats(table, legend),
        shapes.areas,
        _("Kaart {maat} {periode}", maat=metric.key, periode=period),
        shapes,
        {**CONFIG, **(svg or {})},
        map_store.svg_bundle() if svg else None,
        dots,
        gaps,
    )


def _caption(values, legend, choice, marker_year, markers, coarse, source) -> str:
    names = _(settings.LEVEL_LABELS[choice.level]).lower()
    reasons = values["ontbreekt"].where(values["value"].isna())
    withheld = int((reasons == map_parts.WITHHELD).sum())
    without = int((reasons == map_parts.NO_ENTERPRISE).sum())
    missing = int(values["value"].isna().sum()) - withheld - without
    title = for_markdown(legend.title)  # the metric's label may come from the database
    notes = [f"{title}." if choice.change else f"{title}, {choice.year}."]
    if missing:
        notes.append(
            _(
                "{n} van {totaal} {gebieden} zonder gegevens (grijs).",
                n=missing,
                totaal=len(values),
                gebieden=names,
            )
        )
    if without:
        notes.append(
            _("{n} {gebieden} zonder onderneming (lichtgrijs).", n=without, gebieden=names)
        )
    if withheld:
        notes.append(
            _(
                "{n} {gebieden} afgeschermd, donkergrijs ({reden}).",
                n=withheld,
                gebieden=names,
                reden=_(access.SUPPRESSED_NOTE),
            )
        )
    if legend.clipped and choice.change:
        notes.append(
            _(
                "De kleuren lopen tot het {p}e percentiel van de veranderingen; uitschieters "
                "krijgen de uiterste kleur.",
                p=round(legend.quantile * 100),
            )
        )
    elif legend.clipped:
        notes.append(
            _(
                "De kleuren lopen van het 2e tot het 98e percentiel; uitschieters krijgen de "
                "uiterste kleur."
            )
        )
    if legend.bounds:
        notes.append(_("Kleuren: de negen klassen van de Leefbaarometer."))
    if markers:
        notes.append(_("Bolletjes: ondernemingen, grootte naar omzet {jaar}.", jaar=marker_year))
    notes.append(
        _("Klik op een wijk, of zoek er een hieronder, voor haar wijkprofiel.")
        if choice.level == "wijk"
        else _("Klik op een buurt, of zoek er een hieronder, voor het profiel van haar wijk.")
    )
    if coarse:
        notes.append(
            _("Grenzen vereenvoudigd voor heel Nederland; kies een gemeente voor details.")
        )
    return " ".join(notes) + f" {for_markdown(source)}."
