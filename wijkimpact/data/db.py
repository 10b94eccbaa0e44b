"""Read-only database access: one shared connection per database version, a cursor per query.

A published database never changes (the ETL publishes a new file), so the connection computes
the database's views (etl/sql/views.sql: the metrics, the periods) once, as tables of its own
in-memory catalog, and every cursor reads those before the file: a figure query then scans a
few rows instead of planning and running the views' dozens of operators each time (on the
demo a figure query takes less than half the time; BENCHMARKS.md, "The views kept"). The views
stay the database's, and their definition the ETL's: a query run on any other connection to
the file (the ETL's, a test's) gets the same rows from the views themselves."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from etl.api import database_schema_version, schema_version
from wijkimpact.config import database_path
from wijkimpact.i18n import _

Cursor = duckdb.DuckDBPyConnection  # what every query takes

_lock = threading.Lock()
_shared: dict[str, object] = {"version": None, "connection": None}


class DatabaseMissing(RuntimeError):
    """There is no database file yet."""


class SchemaMismatch(RuntimeError):
    """The database was made by another version of the schema; the message (in the user's
    language) names the file and says how to make it again (python -m etl rebuild)."""


def database_version(path: Path | None = None) -> str:
    """Changes whenever the ETL publishes a new database (atomic rename gives a new inode)."""
    path = path or database_path()
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise DatabaseMissing(str(path)) from exc
    return f"{path}:{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_size}"


def _connection(path: Path) -> tuple[str, duckdb.DuckDBPyConnection]:
    version = database_version(path)
    with _lock:
        if _shared["version"] != version:
            # The previous connection is dropped, not closed: cursors in use keep it alive.
            # The file is attached to a fresh in-memory database rather than opened with
            # duckdb.connect(path): DuckDB's instance cache would hand back the instance that
            # is still open for that path, i.e. the replaced (old) file.
            con = duckdb.connect(":memory:")
            con.execute("attach ? as wijkimpact (read_only)", [str(path)])
            con.execute("use wijkimpact")
            _check_schema(con, path)
            _keep_views(con)
            _shared["connection"] = con
            _shared["version"] = version
        return version, _shared["connection"]


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Open only a database of this code's schema: another one would fail later on a missing
    column, far from the reason."""
    found, wanted = database_schema_version(con), schema_version()
    if found != wanted:
        con.close()
        raise SchemaMismatch(
            _(
                "De database `{path}` is gemaakt met een andere versie van Wijkimpact "
                "(schemaversie {found}; deze versie werkt met {wanted}). Maak hem opnieuw uit het "
                "archief van ingelezen bestanden met `python -m etl rebuild` (README, 'Upgrade').",
                path=str(path).replace("`", "'"),  # a code span: shown as it is
                found=found or _("onbekend"),
                wanted=wanted,
            )
        )


# Where a cursor reads a name: the views kept (in-memory), then the database file.
_READ_KEPT_VIEWS_FIRST = "set search_path = 'memory.main,wijkimpact.main'"


def _keep_views(con: duckdb.DuckDBPyConnection) -> None:
    """Every view of the database, computed once into a table of the same name in the
    connection's in-memory catalog (the views are small: rows per enterprise, wijk and year)."""
    views = con.execute(
        "select view_name from duckdb_views() where database_name = 'wijkimpact' and not internal"
    ).fetchall()
    for (view,) in views:
        con.execute(f'create table memory.main."{view}" as select * from wijkimpact.main."{view}"')


def check_schema(path: Path | None = None) -> None:
    """Raise SchemaMismatch when the database is of another schema version (DatabaseMissing
    when there is none)."""
    _connection(path or database_path())


@contextmanager
def cursor(path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the shared read-only connection (a connection is not thread-safe)."""
    _, con = _connection(path or database_path())
    cur = con.cursor()
    cur.execute(_READ_KEPT_VIEWS_FIRST)  # a cursor starts with the in-memory catalog only
    try:
        yield cur
    finally:
        cur.close()


def fetch_df(sql: str, params: list | dict | None = None, path: Path | None = None) -> pd.DataFrame:
    """Run one parameterised query and return a DataFrame."""
    with cursor(path) as cur:
        return cur.execute(sql, params or []).df()
