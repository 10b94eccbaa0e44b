"""The load_log table: one row for every load, whatever its outcome."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from etl import archive


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
    content: bytes | None = None,
) -> None:
    """Append a load_log row for ``source``, an input the load accepted, and hand the input
    to the archive (etl.archive: every kind of input that is logged is archived). An input that
    is no file (a saved portfolio) gives its ``content``."""
    if content is not None:
        checksum = hashlib.sha256(content).hexdigest()
    checksum = checksum or file_checksum(Path(source))
    when = archive.load_time()  # before accept: the archive keeps the same time
    place = archive.accept(Path(source), kind, checksum, batch_id, content)
    con.execute(
        """
        insert into load_log (batch_id, source_file, checksum, kind, rows, added, replaced,
                              loaded_by, loaded_at, outcome, message, archive_file)
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            batch_id,
            Path(source).name,
            checksum,
            kind,
            rows,
            added,
            replaced,
            archive.who(),
            when,
            outcome,
            message,
            place,
        ],
    )
