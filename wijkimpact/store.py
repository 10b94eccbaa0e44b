"""Cached query results for the app, keyed on the database version so a new load shows at once."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from wijkimpact import db, queries


def load(query: Callable, **params) -> pd.DataFrame | list:
    """Run ``queries.<name>(cursor, **params)`` once per database version and parameters."""
    return _cached(db.database_version(), query.__name__, tuple(sorted(params.items())))


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(version: str, name: str, params: tuple) -> pd.DataFrame | list:
    query = getattr(queries, name)
    with db.cursor() as cur:
        return query(cur, **dict(params))


def database_ready() -> bool:
    """Whether the database file exists (pages show how to build it when not)."""
    try:
        db.database_version()
    except db.DatabaseMissing:
        return False
    return True


def geojson(level: str, gemeente: str | None) -> tuple[dict, dict]:
    """The FeatureCollection and map view of one level, built once per database version."""
    return _geojson(db.database_version(), level, gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _geojson(version: str, level: str, gemeente: str | None) -> tuple[dict, dict]:
    from wijkimpact import maps

    with db.cursor() as cur:
        shapes = queries.area_shapes(cur, level, gemeente)
    return maps.feature_collection(shapes), maps.view_of(shapes)
