"""Atomic publication of the database: build next to the live file, then rename over it."""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl.schema import create_schema


@contextmanager
def staged_database(target: Path, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a staging copy of ``target`` and publish it atomically on success.

    With ``fresh`` the staging database starts empty (schema only); otherwise it starts as a
    copy of the live database (or empty when there is none yet). When the block raises, the
    staging file is removed and the live database is untouched: readers never see a
    half-loaded database.
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target):
        yield from _staged(target, fresh)


@contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """One writer at a time: a second load waits, then starts from the first one's result."""
    with open(target.with_name(f".{target.name}.lock"), "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _staged(target: Path, fresh: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB must create the file itself
    try:
        if not fresh and target.exists():
            shutil.copyfile(target, tmp)
            con = duckdb.connect(str(tmp))
        else:
            con = duckdb.connect(str(tmp))
            create_schema(con)
        try:
            yield con
            con.execute("checkpoint")
        finally:
            con.close()
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
