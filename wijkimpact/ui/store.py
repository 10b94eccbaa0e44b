"""Cached query results for the app, keyed on the database version so a new load shows at once,
and on the session's viewer: a query that returns enterprise data only ever runs with it."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache

import pandas as pd
import streamlit as st

from wijkimpact.data import db, queries
from wijkimpact.data.access import Viewer
from wijkimpact.ui import session


def load(query: Callable, **params) -> pd.DataFrame | list:
    """Run ``queries.<name>(cursor, [viewer,] **params)`` once per database version, viewer and
    parameters. A query that takes a viewer gets the session's (session.current_viewer());
    a page cannot pass another one. Nothing runs when the app may not serve data
    (session.serving_mode)."""
    if "viewer" in params:
        raise TypeError("store.load neemt de kijker uit de sessie; geef geen viewer mee")
    viewer = session.current_viewer() if takes_viewer(query.__name__) else None
    if viewer is None:
        session.serving_mode()  # current_viewer() checks it too
    return _cached(db.database_version(), query.__name__, viewer, tuple(sorted(params.items())))


@cache
def takes_viewer(name: str) -> bool:
    """Whether ``queries.<name>`` takes the viewer (it returns enterprise data)."""
    return "viewer" in inspect.signature(getattr(queries, name)).parameters


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(version: str, name: str, viewer: Viewer | None, params: tuple) -> pd.DataFrame | list:
    query = getattr(queries, name)
    with db.cursor() as cur:
        if viewer is None:
            return query(cur, **dict(params))
        return query(cur, viewer, **dict(params))


def database_ready() -> bool:
    """Whether the database file exists (pages show how to build it when not)."""
    try:
        db.database_version()
    except db.DatabaseMissing:
        return False
    return True
