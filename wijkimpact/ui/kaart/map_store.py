"""Cached map shapes for /kaart, per level, gemeente and zoom, keyed on the database version;
the geometry goes to the browser as a static file (kaart.static_files) or, failing that, inline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import streamlit as st

from wijkimpact.data import db, queries
from wijkimpact.kaart import geojson, map_data, settings, static_files
from wijkimpact.ui import store


@dataclass(frozen=True)
class MapShapes:
    """The areas of one map: GeoJSON for the browser, the view that shows them, their rows."""

    text: str  # the compact GeoJSON FeatureCollection with hover names (feature_collection_text)
    view: dict  # MapLibre: centre and zoom
    ranges: dict  # plotly's SVG map: longitude and latitude ranges (geojson.fit_ranges)
    areas: pd.DataFrame  # area_code, name, parent_code, gemeente_code, gemeente_naam
    coarse: bool
    file_name: str  # under static/kaart/ when served as a file

    @cached_property
    def geojson(self) -> dict:
        """The FeatureCollection as a dict (the inline fallback)."""
        return json.loads(self.text)


def area_geojson(level: str, gemeente: str | None) -> tuple[dict, dict]:
    """The FeatureCollection and map view of one level, built once per database version."""
    return _area_geojson(db.database_version(), level, gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _area_geojson(version: str, level: str, gemeente: str | None) -> tuple[dict, dict]:
    with db.cursor() as cur:
        shapes = queries.area_shapes(cur, level, gemeente)
    return geojson.feature_collection(shapes), geojson.view_of(shapes)


def level_counts(gemeente: str | None) -> dict[str, int]:
    """How many wijken and buurten with a shape are loaded (in one gemeente, or all)."""
    frame = store.load(queries.map_levels, gemeente=gemeente)
    return {row.level: int(row.areas) for row in frame.itertuples()}


def shapes(level: str, gemeente: str | None, areas: int) -> MapShapes:
    """The shapes of a level; coarse geometry when the map shows many areas across NL."""
    coarse = settings.use_coarse(gemeente, areas)
    return _shapes(db.database_version(), level, gemeente, coarse)


def geometry_source(shapes: MapShapes) -> str | dict:
    """What a plotly map trace gets as ``geojson``: the URL of the static file, which the
    browser fetches once for all reruns; the FeatureCollection itself when Streamlit does not
    serve static files or the folder cannot be written."""
    if static_serving():
        path = static_files.publish(shapes.file_name, shapes.text)
        if path is not None:
            return static_files.url(path, base_path=st.get_option("server.baseUrlPath") or "")
    return shapes.geojson


def static_serving() -> bool:
    """Whether Streamlit serves static/ (server.enableStaticServing)."""
    try:
        return bool(st.get_option("server.enableStaticServing"))
    except RuntimeError:
        return False


def svg_config() -> dict | None:
    """The plotly config entries an SVG map needs (static_files.svg_config), or None: then the
    maps are drawn with MapLibre."""
    if not static_serving():
        return None
    return static_files.svg_config(st.get_option("server.baseUrlPath") or "")


def svg_bundle() -> str | None:
    """The URL of plotly's geo bundle (static_files.plotly_geo_bundle), which draws the SVG
    map (ui.kaart.map_chart); None when Streamlit does not serve static/ or it is not there."""
    bundle = static_files.plotly_geo_bundle()
    if not static_serving() or not bundle.exists():
        return None
    return static_files.url(bundle, base_path=st.get_option("server.baseUrlPath") or "")


def ensure_served(shapes: MapShapes) -> None:
    """Write the static files again (the shapes, the empty world map of the SVG maps) if they
    went missing since the figure was built."""
    if static_serving():
        static_files.publish(shapes.file_name, shapes.text)
        static_files.publish_empty_world()


# cache_resource: one shared copy per process (the national GeoJSON is 1.2 MB of text); the
# pages only read it
@st.cache_resource(show_spinner=False, max_entries=16)
def _shapes(version: str, level: str, gemeente: str | None, coarse: bool) -> MapShapes:
    with db.cursor() as cur:
        frame = queries.map_shapes(cur, level, gemeente, coarse)
    names = map_data.area_names(frame, with_gemeente=gemeente is None)
    return MapShapes(
        geojson.feature_collection_text(frame, names=names.tolist()),
        geojson.fit_view(frame),
        geojson.fit_ranges(frame),
        frame.drop(columns="geometry"),
        coarse,
        static_files.file_name(version, level, gemeente, coarse),
    )
