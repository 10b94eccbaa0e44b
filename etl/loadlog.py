"""The load_log table: one row for every load, whatever its outcome."""

from __future__ import annotations

import getpass
import hashlib
from datetime import datetime
from pathlib import Path

import duckdb


def file_checksum(path: Path) -> str:
    """Return the sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    """Reserve the id of a new load batch."""
    return con.execute("select nextval('load_batch')").fetchall()[0][0]


def log_load(
    con: duckdb.DuckDBPyConnection,
    *,
    batch_id: int,
    source: Path,
    kind: str,
    rows: int,
    outcome: str,
    added: int = 0,
    replaced: int = 0,
    message: str | None = None,
    checksum: str | None = None,
) -> None:
    """Append a load_log row for ``source``."""
    con.execute(
        """
        insert into load_log (batch_id, source_file, checksum, kind, rows, added, replaced,
                              loaded_by, loaded_at, outcome, message)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            batch_id,
            Path(source).name,
            checksum or file_checksum(Path(source)),
            kind,
            rows,
            added,
            replaced,
            _who(),
            datetime.now().replace(microsecond=0),
            outcome,
            message,
        ],
    )


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"
