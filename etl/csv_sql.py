"""CSV files read and checked in DuckDB, for speed on large files (millions of rows).

The grid of a plain CSV file (no quotes, one kind of line end, no empty lines) is read by
DuckDB's read_csv into a table. ``validate`` parses and checks a recognised sheet in one pass
over that table (etl.csv_pass; per column etl.csv_columns: its distinct cells parsed once by
the reference parsers, or SQL for the common forms of many distinct numbers); every row with a
problem, or a cell outside those forms, goes through the pandas parsers of etl.cells, so values
and problem messages stay exactly those of the reference path (etl.enterprise_files). Python's
notion of whitespace (str.strip, ``\\s``) is spelled out in the regular expressions.
"""

from __future__ import annotations

import itertools
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

# Every character for which str.isspace() is true: what Python's strip() and \s take off.
WS_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
WS_SQL = "'" + WS_CHARS + "'"
WS_CODES = "[" + ", ".join(str(ord(c)) for c in WS_CHARS) + "]"
# The same within the characters the SQL number parsers accept: ASCII, € and no-break space.
WS_NUMBER = r"\t\n\x0b\x0c\r\x1c-\x1f \x{a0}"
NUMBER_CHARS = r"[\x00-\x7f€\x{a0}]*"
DUTCH = rf"[{WS_NUMBER}]*(€[{WS_NUMBER}]*)?-?[0-9.]*[0-9],([0-9]{{1,2}}|-)[{WS_NUMBER}]*"
ENGLISH = rf"[{WS_NUMBER}]*(€[{WS_NUMBER}]*)?-?[0-9,]*[0-9]\.[0-9]{{1,2}}[{WS_NUMBER}]*"
CSV_FIELD_LIMIT = 131_072  # the csv module refuses longer fields
HEAD_SCAN_ROWS = 10_000  # rows searched first for the non-blank rows at the top
SQL_TYPES = {
    "text": "VARCHAR",
    "id": "VARCHAR",
    "wijkcode": "VARCHAR",
    "wijkcodes": "VARCHAR",  # a list, stored as text (etl.cells.CODES_SEPARATOR)
    "year": "BIGINT",
    "founding_year": "BIGINT",
    "month": "BIGINT",
    "count": "BIGINT",
    "amount": "DOUBLE",
    "hours": "DOUBLE",
    "area_m2": "DOUBLE",
    "percentage": "DOUBLE",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "date": "DATE",
    "bool": "BOOLEAN",
}
_counter = itertools.count()


def _name(prefix: str) -> str:
    return f"{prefix}_{next(_counter)}"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _edge(char: str) -> str:
    """SQL: whether the (first) character of a text is whitespace; cheap, unlike trim."""
    return f"list_contains({WS_CODES}, ord({char}))"


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _edges(expr: str) -> str:
    """SQL: whether the first or last character of a cell may be whitespace."""
    return f"({_edge(expr)} or {_edge(f'substr({expr}, -1)')})"


def _strip(expr: str) -> str:
    """SQL for Python's str.strip() (trim with a character list is slow: only where an end
    may be whitespace)."""
    return f"(case when {_edges(expr)} then trim({expr}, {WS_SQL}) else {expr} end)"


def _blank(expr: str) -> str:
    """SQL: whether a cell is empty or only whitespace (Python's ``not v.strip()``)."""
    return f"({expr} = '' or ({_edge(expr)} and trim({expr}, {WS_SQL}) = ''))"


def _blank_to_null(expr: str) -> str:
    """SQL: NULL for a cell of only whitespace, else the cell."""
    return f"(case when {_blank(expr)} then null else {expr} end)"


def _all(*conditions: str) -> str:
    """SQL: every condition true, evaluated left to right and only as far as needed (DuckDB
    evaluates all operands of AND; CASE only where the earlier ones held)."""
    out = conditions[-1]
    for condition in reversed(conditions[:-1]):
        out = f"(case when {condition} then {out} else false end)"
    return out


def _ascii(expr: str) -> str:
    return f"(strlen({expr}) = length({expr}))"


def style_sql(c: str) -> tuple[str, str, str]:
    """SQL: whether a cell is a Dutch number (1.234,50), an English one (1,234.50), as
    tables._number_styles counts them, and whether it is a cell SQL cannot judge (one with a
    comma or dot and characters outside ASCII, € and no-break space: Python counts those)."""
    f = f"ord({c})"
    # a number (or a cell Python's \d or \s might see as one) starts with a digit, a sign, a
    # separator, €, whitespace or another non-ASCII character
    may_count = f"({f} between 44 and 57 or {f} >= 128 or {f} <= 32)"
    simple = f"({_ascii(c)} or regexp_full_match({c}, '{NUMBER_CHARS}'))"
    dutch = _all(
        f"(case when {may_count} then contains({c}, ',') else false end)",
        simple,
        f"regexp_full_match({c}, {_lit(DUTCH)})",
    )
    english = _all(
        f"(case when {may_count} then contains({c}, '.') else false end)",
        simple,
        f"regexp_full_match({c}, {_lit(ENGLISH)})",
    )
    unusual = _all(f"(contains({c}, ',') or contains({c}, '.'))", may_count, f"not {simple}")
    return dutch, english, unusual


def plain_text(data: bytes, dialect, quotechar: str) -> bool:
    """Whether DuckDB splits this text exactly as the csv module would: no quote or escape
    characters, no NUL, every \\r in a \\r\\n line end (and no empty lines: SqlGrid.read
    counts the rows, as DuckDB skips them, which would shift the row numbers). ``data``: the
    file's bytes, UTF-8 or cp1252 (the characters looked for are ASCII: the same bytes in
    both)."""
    if not _unquoted(data, dialect, quotechar):
        return False
    cr = data.count(b"\r")
    return not cr or cr == data.count(b"\r\n")


def _unquoted(data: bytes, dialect, quotechar: str) -> bool:
    """The quick part of plain_text: no quote or escape characters, no NUL."""
    if b'"' in data or quotechar.encode() in data or b"\x00" in data:
        return False
    return dialect is None or not (
        dialect.skipinitialspace or (dialect.escapechar and dialect.escapechar.encode() in data)
    )


def line_count(data: bytes) -> int:
    """How many lines the csv module sees in a plain text (plain_text): what SqlGrid.read
    must find as rows when none is empty."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


class SqlGrid:
    """A text file's grid in DuckDB: table columns c0 .. cN as read (row = rowid + 1), in an
    in-memory database of its own (plain tables, no temporary ones: a cursor sees them)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, table: str, width: int, delimiter: str, rows: int
    ) -> None:
        self.con = con
        self.table = table
        self.width = width
        self.delimiter = delimiter
        self.rows = rows
        self._head: dict[int, pd.DataFrame] = {}

    @classmethod
    def read_plain(
        cls, text: str, data: bytes, source: Path | None, dialect, delimiter: str, width: int
    ):
        """The grid of a plain text (plain_text) or None (the caller takes the csv module).
        DuckDB reads while Python checks the bytes: the read is dropped when they are not
        plain."""
        quotechar = (getattr(dialect, "quotechar", None) or '"') if dialect is not None else '"'
        if not _unquoted(data, dialect, quotechar):
            return None
        con = duckdb.connect()
        with ThreadPoolExecutor(max_workers=1) as pool:
            reading = pool.submit(
                cls.read, text, source, delimiter, width, None, b"\r" in data, con
            )
            plain = plain_text(data, dialect, quotechar)
            if not plain:
                con.interrupt()
            lines = line_count(data) if plain else None
            grid = reading.result()
        if not plain or grid is None or grid.rows != lines:
            con.close()
            return None
        return grid

    @classmethod
    def read(
        cls,
        text: str,
        source: Path | None,
        delimiter: str,
        width: int,
        lines: int | None = None,
        crlf: bool | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ):
        """Read ``text`` (or the UTF-8 file ``source`` it came from) with ``width`` columns;
        None when DuckDB finds a line with more fields, or not ``lines`` rows (it skips
        empty lines): the caller takes the csv module. ``crlf``: the lines end in \\r\\n
        (default: the text's first ones do); ``con``: a new connection to read it into."""
        if crlf is None:
            crlf = "\r" in text[:4096]
        con = con or duckdb.connect()
        table = _name("grid")
        columns = {f"c{i}": "VARCHAR" for i in range(width)}
        with tempfile.TemporaryDirectory(prefix="wijkimpact-csv-") as tmp:
            if source is None:
                source = Path(tmp) / "text.csv"
                source.write_text(text, encoding="utf-8", newline="")
            try:
                con.execute(
                    f"create table {table} as select * from read_csv(?, delim = ?, "
                    "quote = '', escape = '', header = false, auto_detect = false, "
                    "columns = ?, null_padding = true, new_line = ?, max_line_size = ?)",
                    [
                        str(source),
                        delimiter,
                        columns,
                        "\\r\\n" if crlf else "\\n",
                        # a longer field would fail in the csv module: a longer line is read
                        # by it (the caller's fallback), with its own error when it fails
                        CSV_FIELD_LIMIT,
                    ],
                )
            except duckdb.Error:
                con.close()
                return None
        rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        if lines is not None and rows != lines:
            con.close()
            return None
        return cls(con, table, width, delimiter, rows)

    def style_counts(self, positions, where: str = "true") -> tuple[int, int]:
        """How many cells of the columns ``positions`` in the rows ``where`` look Dutch
        (1.234,50) and how many English (1,234.50), as tables._number_styles counts them."""
        from etl.tables import _number_styles

        positions = list(positions)
        if not positions:
            return 0, 0
        parts = []
        for p in positions:
            parts += [f"count(*) filter (where {e})" for e in style_sql(f"c{p}")]
        found = self.con.execute(
            f"select {', '.join(parts)} from {self.table} where {where}"
        ).fetchall()[0]
        dutch, english = sum(found[0::3]), sum(found[1::3])
        for p, unusual in zip(positions, found[2::3], strict=True):
            if not unusual:
                continue
            c = f"c{p}"  # cells with characters SQL cannot judge: Python counts them
            found = self.con.execute(
                f"select {c}, count(*) from {self.table} where ({where}) and {style_sql(c)[2]} "
                "group by all"
            ).fetchall()
            values = pd.Series([v for v, _ in found], dtype=object)
            more = _number_styles(values.repeat([n for _, n in found]))
            dutch, english = dutch + more[0], english + more[1]
        return int(dutch), int(english)

    def head(self, count: int) -> pd.DataFrame:
        """The first ``count`` rows that are not blank (index = row number, cells or None)."""
        if count not in self._head:
            filled = " or ".join(f"c{i} is not null" for i in range(self.width))
            query = (  # the bound inlined: a literal limits the table scan, a parameter not
                f"select rowid + 1, * from {self.table} where rowid < {{}} and ({filled}) "
                "order by rowid limit {}"
            )
            bound, limit = HEAD_SCAN_ROWS, count
            while True:  # cells of only whitespace are blank too: Python's strip() judges
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
        """Whether column ``position`` holds anything below row ``after_row``."""
        c = f"c{position}"
        return bool(
            self.con.execute(
                f"select count(*) > 0 from {self.table} where rowid + 1 > ? and not {_blank(c)}",
                [after_row],
            ).fetchall()[0][0]
        )

    def body(self, header_row: int, positions: dict[str, int]) -> SqlRaw:
        """The rows below the header under the sheet's column names, blank rows left out."""
        return SqlRaw(self, header_row, positions)


class SqlRaw:
    """The raw cells of a recognised sheet in DuckDB (a view of the grid: the rows below the
    header, blank ones and the template's example rows left out), with the little of a
    DataFrame's interface that callers of Sheet.raw use (len, in, [column], head, empty)."""

    def __init__(
        self,
        grid: SqlGrid,
        header_row: int,
        positions: dict[str, int],
        dropped: dict[str, list[str]] | None = None,
        distinct: dict | None = None,
    ) -> None:
        self.grid = grid
        self.con = grid.con
        self.header_row = int(header_row)
        self.positions = dict(positions)
        self.columns = list(positions)
        self.dropped = dropped or {}  # column -> raw cells whose rows are left out
        self._distinct = {} if distinct is None else distinct  # shared with copies
        self._len: int | None = None
        self.table = _name("raw")
        cells = [f"{_blank_to_null(f'c{p}')} as {_q(n)}" for n, p in positions.items()]
        filled = " or ".join(f"not {_blank(f'c{p}')}" for p in positions.values())
        where = [f"rowid >= {self.header_row}", f"({filled or 'false'})"]
        for column, values in self.dropped.items():
            c, table = f"c{positions[column]}", _values_table(self.con, "v", values)
            where.append(f"({c} is null or {c} not in (select v from {table}))")
        # a view: the later queries read each cell once anyway; no copy of a large file
        self.con.execute(
            f"create view {self.table} as select rowid + 1 as row"
            f"{''.join(', ' + c for c in cells)} from {grid.table} where {' and '.join(where)}"
        )

    def __len__(self) -> int:
        if self._len is None:
            self._len = self.con.execute(f"select count(*) from {self.table}").fetchall()[0][0]
        return self._len

    def __contains__(self, column: object) -> bool:
        return column in self.columns

    @property
    def empty(self) -> bool:
        """Like DataFrame.empty: no rows (or no columns)."""
        if not self.columns:
            return True
        if self._len is not None:
            return self._len == 0
        for column, found in self._distinct.items():  # a filled cell of a row that is kept
            if (column in self.dropped or not self.dropped) and found is not None:
                left_out = set(self.dropped.get(column, ()))
                if any(v.strip() and v not in left_out for v, _ in found):
                    return False
        return not self.con.execute(f"select exists (select 1 from {self.table})").fetchall()[0][0]

    def __getitem__(self, column: str) -> pd.Series:
        rows = self.con.execute(f"select row, {_q(column)} from {self.table} order by row")
        rows = rows.fetchall()
        return pd.Series(
            [r[1] for r in rows], index=pd.Index([r[0] for r in rows]), dtype=object, name=column
        )

    def head(self, count: int = 5) -> pd.DataFrame:
        """The first rows as an object DataFrame indexed by row number."""
        return self.frame(f"row in (select row from {self.table} order by row limit {int(count)})")

    def frame(self, where: str = "true", params: list | None = None) -> pd.DataFrame:
        """Rows matching a SQL condition as the reference path holds them: object cells,
        None for blank, index = row number."""
        cols = ", ".join(_q(c) for c in self.columns)
        rows = self.con.execute(
            f"select row{', ' + cols if cols else ''} from {self.table} where {where} order by row",
            params or [],
        ).fetchall()
        frame = pd.DataFrame([r[1:] for r in rows], columns=self.columns, dtype=object)
        frame.index = pd.Index([r[0] for r in rows], dtype="int64")
        return frame

    def distinct(self, column: str, limit: int | None = None) -> list | None:
        """The distinct cells of ``column`` (as read: not stripped; empty ones left out) in
        every row below the header, with how often each occurs; None when there are more
        than ``limit``."""
        if column not in self._distinct:
            c = f"c{self.positions[column]}"
            cut = f" limit {int(limit) + 1}" if limit is not None else ""
            found = self.con.execute(
                f"select {c}, count(*) from {self.grid.table} "
                f"where rowid >= {self.header_row} and {c} is not null group by all{cut}"
            ).fetchall()
            self._distinct[column] = None if limit is not None and len(found) > limit else found
        return self._distinct[column]

    def without(self, column: str, drop) -> tuple[SqlRaw, int]:
        """A copy without the rows whose ``column`` value (stripped text) ``drop`` accepts;
        and how many rows that were."""
        found = [(v, n) for v, n in self.distinct(column) if v.strip() and drop(v.strip())]
        if not found:
            return self, 0
        dropped = {**self.dropped, column: [v for v, _ in found]}
        kept = SqlRaw(self.grid, self.header_row, self.positions, dropped, self._distinct)
        return kept, sum(n for _, n in found)


def _values_table(con: duckdb.DuckDBPyConnection, column: str, values) -> str:
    name = _name("known")
    con.execute(f"create table {name} ({column} varchar primary key)")
    frame = pd.DataFrame({column: sorted({str(v) for v in values})}, dtype=object)
    con.register("known_values", frame)
    try:
        con.execute(f"insert into {name} select {column} from known_values")
    finally:
        con.unregister("known_values")
    return name


def validate(sheet, context, problems: list) -> pd.DataFrame:
    """Parse and check a sheet whose raw cells are in DuckDB (SqlRaw); same values and
    problems as etl.enterprise_files.validate_sheet. Sets ``sheet.decimal_comma`` (from every
    cell of the file, as tables._uses_decimal_comma decides), ``sheet.arrow`` for the loader
    and ``sheet.distinct_keys`` when the number of distinct keys is known."""
    from etl import cells, csv_pass
    from etl import csv_columns as cc
    from etl import enterprise_files as ef
    from etl.sheet_spec import sheet_specs
    from etl.tables import SQL_HEAD_ROWS, _decide_decimal_comma

    spec = sheet_specs()[sheet.kind]
    raw: SqlRaw = sheet.raw
    grid, con = raw.grid, raw.con
    limits = {
        "year": (ef.MIN_YEAR, context.max_year),
        "founding_year": (ef.MIN_FOUNDED, context.max_year),
        "month": (1, 12),
        "count": (0, None),
        "hours": (0, None),
        "area_m2": (0, None),
        "percentage": (0, 100),
        "latitude": ef.NL_LAT,
        "longitude": ef.NL_LON,
        "date": (ef.MIN_YEAR, context.max_year),
        "bool": (cells.TRUE_WORDS, cells.FALSE_WORDS),
    }
    plans = cc.plan_columns(raw, spec)
    unmapped = [p for p in plans if not p.mapped]
    if any(p.column.type == "id" for p in unmapped):
        limits["ids"] = _values_table(con, "id", context.enterprises)
    if any(p.column.type == "wijkcode" for p in unmapped):
        limits["wijken"] = _values_table(con, "code", context.wijken)
    # the number style of every cell of the file: the rows up to the header, the columns
    # with a map, and (counted in the pass itself) the others; the columns the sheet does not
    # use are blank below the header (else recognising it had found a problem)
    head = grid.head(SQL_HEAD_ROWS)  # holds every filled row up to the header
    fixed = csv_pass.head_styles(head.loc[head.index <= raw.header_row])
    fixed += np.array([p.styles for p in plans if p.mapped], dtype=np.int64).reshape(-1, 2).sum(0)
    below = head.loc[head.index > raw.header_row, [p.position for p in unmapped]]
    guessed = fixed + csv_pass.head_styles(below)
    decimal_comma = _decide_decimal_comma(*guessed, grid.delimiter)
    built = None
    while True:
        for plan in plans:
            if plan.mapped and (built is None or plan.column.type in cc.NUMBERS):
                example_id = plan.column.name == spec.key[0]
                cc.build_map(con, plan, decimal_comma, context, example_id)
        built = decimal_comma
        parsed, found = csv_pass.parse(raw, spec, plans, decimal_comma, limits)
        if not unmapped:
            break
        styles = fixed + csv_pass.unmapped_styles(raw, spec, plans, found)
        decimal_comma = _decide_decimal_comma(*styles, grid.delimiter)
        if decimal_comma == built:
            break
    sheet.decimal_comma = decimal_comma
    types = {c.db_column: SQL_TYPES[c.type] for c in spec.columns}
    final = csv_pass.merge_reference(sheet, parsed, types, found["suspect"], context, problems)
    raw._len = found["rows"]
    keys = [p for p in plans if p.key]
    if keys and all(p.mapped for p in keys):
        csv_pass.check_key_ids(sheet, spec, parsed, keys, found, problems)
    else:
        csv_pass.check_keys(sheet, spec, problems)
    if sheet.kind == "financien":
        csv_pass.check_periods(sheet, final, problems)
    if final == parsed and sheet.kind != "ondernemingen":  # in row order already
        table = found["table"].select(["row", *types])
    else:
        columns = ", ".join(["row", *(_q(db) for db in types)])
        if sheet.kind == "ondernemingen":
            columns = columns.replace('"public"', "coalesce(public, false) as public")
        table = con.sql(f"select {columns} from {final} order by row").to_arrow_table()
    sheet.arrow = table
    data = table.to_pandas(types_mapper=pd.ArrowDtype)
    data.index = pd.Index(table.column("row").to_numpy(), dtype="int64")
    return data
