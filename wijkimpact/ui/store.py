"""Cached query results for the app, keyed on the database version so a new load shows at once,
and on the session's viewer: a query that returns enterprise data only ever runs with it."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from functools import cache, lru_cache

import pandas as pd
import streamlit as st

from wijkimpact.data import db, queries
from wijkimpact.data.access import Viewer
from wijkimpact.ui import session

log = logging.getLogger("wijkimpact")


def load(query: Callable, **params) -> pd.DataFrame | list | bool:
    """Run ``queries.<name>(cursor, [viewer,] **params)`` once per database version, viewer and
    parameters. A query that takes a viewer gets the session's (session.current_viewer());
    a page cannot pass another one. Nothing runs when the app may not serve data
    (session.serving_mode)."""
    if "viewer" in params:
        raise TypeError("store.load neemt de kijker uit de sessie; geef geen viewer mee")
    viewer = session.current_viewer() if takes_viewer(query.__name__) else None
    if viewer is None:
        session.serving_mode()  # current_viewer() checks it too
    found = _cached(db.database_version(), query.__name__, viewer, tuple(sorted(params.items())))
    # every caller gets its own frame or list over the one kept: with pandas' copy-on-write a
    # change a page makes copies what it changes, and the cache stays as the query left it
    if isinstance(found, pd.DataFrame):
        return found.copy(deep=False)
    return list(found) if isinstance(found, list) else found


@cache
def takes_viewer(name: str) -> bool:
    """Whether ``queries.<name>`` takes the viewer (it returns enterprise data)."""
    return "viewer" in inspect.signature(getattr(queries, name)).parameters


# Kept as the objects themselves, not pickled, behind a plain LRU: a Streamlit cache read
# unpickled every frame again and inspected the function's signature on every call, many times
# in every run (a third of the server's time on /kaart with the national data). Every key is
# hashable: the version, a name, the frozen Viewer and a tuple of plain values.
@lru_cache(maxsize=512)
def _cached(
    version: str, name: str, viewer: Viewer | None, params: tuple
) -> pd.DataFrame | list | bool:
    query = getattr(queries, name)
    with db.cursor() as cur:
        if viewer is None:
            return query(cur, **dict(params))
        return query(cur, viewer, **dict(params))


def schema_refused() -> bool:
    """Whether the database is of another schema version (schema_refusal then says so)."""
    try:
        db.check_schema()
    except db.SchemaMismatch:
        return True
    except db.DatabaseMissing:
        return False
    return False


def schema_refusal() -> None:
    """The page of a database of another schema version: the reason and what to do (run
    python -m etl rebuild), in the page and the server log, and no data."""
    try:
        db.check_schema()
    except db.SchemaMismatch as refusal:
        log.error("%s", refusal)
        st.error(str(refusal), icon=":material/database:")
        st.stop()


def database_ready() -> bool:
    """Whether the database file exists (pages show how to build it when not)."""
    try:
        db.database_version()
    except db.DatabaseMissing:
        return False
    return True
