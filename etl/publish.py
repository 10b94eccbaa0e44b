"""Atomic publication of the database: build next to the live file, then rename over it."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl import archive, versions
from etl.errors import InputError, Problem
from etl.messages import N_
from etl.schema import create_schema, database_schema_version, schema_version

OTHER_SCHEMA = N_(
    "de database heeft schemaversie {heeft}; deze versie van Wijkimpact werkt met {verwacht}. "
    "Maak de database opnieuw uit het archief met python -m etl rebuild"
)


@contextmanager
def staged_database(
    target: Path,
    *,
    fresh: bool = False,
    origin: archive.Origin | None = None,
    start_from: Path | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a staging copy of ``target`` and publish it atomically on success.

    With ``fresh`` the staging database starts empty (schema only); with ``start_from`` as a
    copy of that file; otherwise as a copy of the live database (or empty when there is none
    yet). The inputs the load accepted are archived, and the live database kept as a version,
    before the new one is published (etl.archive, etl.versions); ``origin`` says who gave them
    (default: as etl.archive.given_by says). When the block raises, the staging file is
    removed and the live database and the archive are untouched: readers never see a
    half-loaded database.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with exclusive(target), archive.staging(origin) as stage:
        yield from _staged(target, fresh, stage, start_from)


_held = threading.local()  # the databases this thread holds the lock of (a rebuild, say)


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """One writer at a time: a second load waits, then starts from the first one's result.
    A thread that holds the lock already (a rebuild publishing) goes on."""
    held = _held.__dict__.setdefault("paths", set())
    if target in held:
        yield
        return
    with open(target.with_name(f".{target.name}.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        held.add(target)
        try:
            yield
        finally:
            held.discard(target)
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _staged(
    target: Path, fresh: bool, stage: archive.Stage, start_from: Path | None
) -> Iterator[duckdb.DuckDBPyConnection]:
    if stage.origin.replay and not fresh and target.exists():
        # a rebuild replaying into its own scratch database, which nobody reads: changed in
        # place rather than copied for every load (the rebuild publishes it as a whole)
        con = duckdb.connect(str(target))
        try:
            yield con
            con.execute("checkpoint")
        finally:
            con.close()
        return
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    empty = fresh or (start_from is None and not target.exists())
    try:
        if not empty:
            shutil.copyfile(start_from or target, tmp)
            con = duckdb.connect(str(tmp))
            _check_schema(con, target)
        else:
            con = duckdb.connect(str(tmp))
            create_schema(con)
        try:
            yield con
            if not stage.origin.replay:
                archive.note_enterprises(con, stage)
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        if not stage.origin.replay:
            base = versions.live_version(target)
            nr = archive.write_entry(target, stage, base, empty or start_from is not None)
            versions.keep(tmp, target, nr)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
        if not stage.origin.replay:
            versions.prune(target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _check_schema(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Refuse to load into a database of another schema version (rebuild it first)."""
    found, wanted = database_schema_version(con), schema_version()
    if found != wanted:
        con.close()
        params = {"heeft": found or "van vóór de schemaversies", "verwacht": wanted}
        raise InputError(Problem(target.name, None, None, None, None, OTHER_SCHEMA, params))


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
