"""A sheet's cells as text in DuckDB: every input (a CSV file, a workbook's sheet, a form) is
first such a grid, and is checked from there (etl.sheet_check)."""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import weakref
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from etl.cell_rules import is_blank

CSV_FIELD_LIMIT = 131_072  # the csv module refuses longer fields
HEAD_SCAN_ROWS = 10_000  # rows searched first for the non-blank rows at the top
_names = itertools.count()
_process_db: tuple[int, duckdb.DuckDBPyConnection] | None = None  # its process id, itself
_process_db_lock = threading.Lock()
_inherited: list[duckdb.DuckDBPyConnection] = []  # a forked child's copy of its parent's


def unique_name(prefix: str) -> str:
    """A table name not used before in this process."""
    return f"{prefix}_{next(_names)}"


def scratch_connection() -> duckdb.DuckDBPyConnection:
    """A connection to an empty in-memory database of its own, for one sheet's grid and its
    check: a catalog attached to the process's one in-memory DuckDB (a new DuckDB costs about
    20 ms to start, an attached catalog 0.4 ms), detached once the connection is garbage."""
    global _process_db
    with _process_db_lock:
        if _process_db is not None and _process_db[0] != os.getpid():
            # a forked child: a DuckDB of its own, the parent's kept as it is (its threads
            # are not in this process: closing it here could crash)
            _inherited.append(_process_db[1])
            _process_db = None
        if _process_db is None:
            _process_db = (os.getpid(), duckdb.connect())
        process_db = _process_db[1]
        con = process_db.cursor()
    catalog = unique_name("sheet")
    con.execute(f"attach ':memory:' as {catalog}")
    con.execute(f"use {catalog}")
    weakref.finalize(con, _detach, process_db, catalog, os.getpid()).atexit = False
    return con


def _detach(process_db: duckdb.DuckDBPyConnection, catalog: str, pid: int) -> None:
    if os.getpid() != pid:  # a forked child's copy of the parent's grid: the parent's to drop
        return
    with contextlib.suppress(duckdb.Error):
        process_db.cursor().execute(f"detach {catalog}")


class Grid:
    """Columns c0 .. cN of one sheet (VARCHAR; NULL for an empty cell), row number = rowid + 1,
    in an in-memory catalog of its own (scratch_connection). Plain tables, no temporary ones:
    a cursor of the connection sees them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, width: int) -> None:
        self.con = con
        self.table = table
        self.width = width
        self.rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        self._head: dict[int, pd.DataFrame] = {}

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[str | None]]) -> Grid:
        """A grid of rows of text (None or '' for an empty cell), row 1 first."""
        width = max((len(row) for row in rows), default=0) or 1
        columns = {
            f"c{i}": pa.array(
                [row[i] or None if i < len(row) else None for row in rows], pa.string()
            )
            for i in range(width)
        }
        con = scratch_connection()
        table = unique_name("grid")
        con.register("grid_rows", pa.table(columns))
        try:
            con.execute(f"create table {table} as select * from grid_rows")
        finally:
            con.unregister("grid_rows")
        return cls(con, table, width)

    @classmethod
    def read_csv(
        cls, source: Path, delimiter: str, width: int, crlf: bool, con: duckdb.DuckDBPyConnection
    ) -> Grid | None:
        """Read the UTF-8 text file ``source`` with ``width`` columns, no quotes or escapes,
        into the new connection ``con``; None when DuckDB cannot (a line with more fields,
        say). DuckDB skips empty lines: the caller compares the rows with the lines."""
        table = unique_name("grid")
        try:
            con.execute(
                f"create table {table} as select * from read_csv(?, delim = ?, quote = '', "
                "escape = '', header = false, auto_detect = false, columns = ?, "
                "null_padding = true, new_line = ?, max_line_size = ?)",
                [
                    str(source),
                    delimiter,
                    {f"c{i}": "VARCHAR" for i in range(width)},
                    "\\r\\n" if crlf else "\\n",
                    # a longer field would fail in the csv module: a longer line is read by
                    # it (the caller's fallback), with its own error when it fails
                    CSV_FIELD_LIMIT,
                ],
            )
        except duckdb.Error:  # interrupted, too
            return None
        return cls(con, table, width)

    def head(self, count: int) -> pd.DataFrame:
        """The first ``count`` rows that are not blank (index = row number; cells as text,
        None where empty or only whitespace)."""
        if count not in self._head:
            filled = " or ".join(f"c{i} is not null" for i in range(self.width))
            query = (  # the bound inlined: a literal limits the table scan, a parameter not
                f"select rowid + 1, * from {self.table} where rowid < {{}} and ({filled}) "
                "order by rowid limit {}"
            )
            bound, limit = HEAD_SCAN_ROWS, count
            while True:  # a cell of only whitespace is blank too
                found = self.con.execute(query.format(bound, limit)).fetchall()
                rows = [
                    (r[0], *(v if v is not None and v.strip() else None for v in r[1:]))
                    for r in found
                ]
                rows = [r for r in rows if any(v is not None for v in r[1:])]
                if len(rows) >= count:
                    break
                if len(found) == limit:
                    limit *= 4
                elif bound < 2**62:
                    bound = 2**62
                else:
                    break
            rows = rows[:count]
            frame = pd.DataFrame([r[1:] for r in rows], dtype=object)
            frame = frame.reindex(columns=range(self.width)).astype(object)
            frame = frame.where(frame.notna(), None)
            frame.index = pd.Index([r[0] for r in rows], dtype="int64")
            self._head[count] = frame
        return self._head[count]

    def has_data(self, position: int, after_row: int) -> bool:
        """Whether column ``position`` holds anything but whitespace below ``after_row``."""
        c = f"c{position}"
        return bool(
            self.con.execute(
                f"select exists (select 1 from {self.table} where rowid + 1 > ? "
                f"and {c} is not null and not {is_blank(c)})",
                [after_row],
            ).fetchall()[0][0]
        )
