"""Cached map shapes for /kaart, per level, gemeente and zoom, keyed on the database version."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from wijkimpact import db, map_settings, maps, queries, store


@dataclass(frozen=True)
class MapShapes:
    """The areas of one map: GeoJSON for the browser, the view that shows them, their rows."""

    geojson: dict
    view: dict
    areas: pd.DataFrame  # area_code, name, parent_code, gemeente_code, gemeente_naam
    coarse: bool


def level_counts(gemeente: str | None) -> dict[str, int]:
    """How many wijken and buurten with a shape are loaded (in one gemeente, or all)."""
    frame = store.load(queries.map_levels, gemeente=gemeente)
    return {row.level: int(row.areas) for row in frame.itertuples()}


def shapes(level: str, gemeente: str | None, areas: int) -> MapShapes:
    """The shapes of a level; coarse geometry when the map shows many areas across NL."""
    coarse = map_settings.use_coarse(gemeente, areas)
    return _shapes(db.database_version(), level, gemeente, coarse)


@st.cache_data(show_spinner=False, max_entries=16)
def _shapes(version: str, level: str, gemeente: str | None, coarse: bool) -> MapShapes:
    with db.cursor() as cur:
        frame = queries.map_shapes(cur, level, gemeente, coarse)
    return MapShapes(
        maps.feature_collection(frame, compact=True),
        maps.fit_view(frame),
        frame.drop(columns="geometry"),
        coarse,
    )
