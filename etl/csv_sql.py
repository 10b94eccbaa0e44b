"""CSV files read and checked in DuckDB, for speed on large files (millions of rows).

The grid of a plain CSV file (no quotes, one kind of line end, no empty lines) is read by
DuckDB's read_csv into a table. The cells of the common, unambiguous forms (``2024``,
``31-03-2024``, ``1.234,50``, a known id or wijkcode) are parsed and checked in SQL; every
other cell, and every row with a problem, goes through the pandas parsers of etl.cells, so
values and problem messages stay exactly those of the reference path (etl.enterprise_files).
Python's notion of whitespace (str.strip, ``\\s``) is spelled out in the regular expressions.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

# Every character for which str.isspace() is true: what Python's strip() and \s take off.
WS_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
WS_SQL = "'" + WS_CHARS + "'"
WS_CODES = "[" + ", ".join(str(ord(c)) for c in WS_CHARS) + "]"
# The same within the characters the SQL number parsers accept: ASCII, € and no-break space.
WS_NUMBER = r"\t\n\x0b\x0c\r\x1c-\x1f \x{a0}"
NUMBER_CHARS = r"[\x00-\x7f€\x{a0}]*"
CSV_FIELD_LIMIT = 131_072  # the csv module refuses longer fields
HEAD_SCAN_ROWS = 10_000  # rows searched first for the non-blank rows at the top
SQL_TYPES = {
    "text": "VARCHAR",
    "id": "VARCHAR",
    "wijkcode": "VARCHAR",
    "year": "BIGINT",
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


def _strip(expr: str, clean: bool = False) -> str:
    """SQL for Python's str.strip(); ``clean``: the column has no whitespace at either end of
    any cell (trim with a character list is slow: only where an end may be whitespace)."""
    if clean:
        return expr
    return f"(case when {_edges(expr)} then trim({expr}, {WS_SQL}) else {expr} end)"


def _blank(expr: str, clean: bool = False) -> str:
    """SQL: whether a cell is empty or only whitespace (Python's ``not v.strip()``)."""
    if clean:
        return f"({expr} = '')"
    return f"({expr} = '' or ({_edge(expr)} and trim({expr}, {WS_SQL}) = ''))"


def _blank_to_null(expr: str, clean: bool = False) -> str:
    """SQL: NULL for a cell of only whitespace, else the cell."""
    if clean:
        return f"nullif({expr}, '')"
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


def plain_text(data: bytes, dialect, quotechar: str) -> bool:
    """Whether DuckDB splits this text exactly as the csv module would: no quote or escape
    characters, no NUL, \\n or \\r\\n line ends throughout, no empty lines (DuckDB skips them,
    which would shift the row numbers). ``data``: the file's bytes, UTF-8 or cp1252 (the
    characters looked for are ASCII: the same bytes in both)."""
    if b'"' in data or quotechar.encode() in data or b"\x00" in data:
        return False
    if dialect is not None and (
        dialect.skipinitialspace or (dialect.escapechar and dialect.escapechar.encode() in data)
    ):
        return False
    cr = data.count(b"\r")
    if cr and (cr != data.count(b"\r\n") or cr != data.count(b"\n")):
        return False
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    return not (body.startswith((b"\n", b"\r")) or re.search(rb"\n\r?\n", data))


class SqlGrid:
    """A text file's grid in DuckDB: table columns c0 .. cN as read (row = rowid + 1)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, width: int) -> None:
        self.con = con
        self.table = table
        self.width = width
        self.styles = (0, 0)  # Dutch and English numbers among the simple cells
        self._unusual: list[int] = []  # columns with numbers SQL cannot judge
        self.clean: list[bool] = [False] * width  # no cell with whitespace at an end
        self._head: dict[int, pd.DataFrame] = {}

    @classmethod
    def read(
        cls,
        text: str,
        source: Path | None,
        delimiter: str,
        width: int,
        styles: tuple[bool, bool] = (True, True),
    ):
        """Read ``text`` (or the UTF-8 file ``source`` it came from) with ``width`` columns;
        None when DuckDB finds a line with more fields (the caller takes the csv module).
        ``styles``: whether to count Dutch and English numbers (False: there are none)."""
        con = duckdb.connect()
        table = _name("grid")
        columns = {f"c{i}": "VARCHAR" for i in range(width)}
        with tempfile.TemporaryDirectory(prefix="wijkimpact-csv-") as tmp:
            if source is None:
                source = Path(tmp) / "text.csv"
                source.write_text(text, encoding="utf-8", newline="")
            try:
                con.execute(
                    f"create temp table {table} as select * from read_csv(?, delim = ?, "
                    "quote = '', escape = '', header = false, auto_detect = false, "
                    "columns = ?, null_padding = true, new_line = ?, max_line_size = ?)",
                    [
                        str(source),
                        delimiter,
                        columns,
                        "\\r\\n" if "\r" in text[:4096] else "\\n",
                        # a longer field would fail in the csv module: a longer line is read
                        # by it (the caller's fallback), with its own error when it fails
                        CSV_FIELD_LIMIT,
                    ],
                )
            except duckdb.Error:
                con.close()
                return None
        grid = cls(con, table, width)
        grid._scan(*styles)
        return grid

    def _scan(self, dutch_numbers: bool = True, english_numbers: bool = True) -> None:
        """One pass over every cell: the numbers' style (decimal comma) and
        which columns have whitespace at the ends of cells. Each cell's first and last
        character and its commas and dots are looked up once (DuckDB repeats repeated
        function calls)."""
        dutch = rf"[{WS_NUMBER}]*(€[{WS_NUMBER}]*)?-?[0-9.]*[0-9],([0-9]{{1,2}}|-)[{WS_NUMBER}]*"
        english = rf"[{WS_NUMBER}]*(€[{WS_NUMBER}]*)?-?[0-9,]*[0-9]\.[0-9]{{1,2}}[{WS_NUMBER}]*"
        inner, parts = [], []
        for i in range(self.width):
            c = f"c{i}"
            # a number (or a cell Python's \d or \s might see as one) starts with a digit,
            # a sign, a separator, €, whitespace or another non-ASCII character
            may_count = f"(f{i} between 44 and 57 or f{i} >= 128 or f{i} <= 32)"
            inner += [
                c,
                f"ord({c}) as f{i}",
                f"ord(substr({c}, -1)) as l{i}",
            ]
            outer_k = f"(case when {may_count} then contains({c}, ',') else false end)"
            outer_d = f"(case when {may_count} then contains({c}, '.') else false end)"
            simple = f"({_ascii(c)} or regexp_full_match({c}, '{NUMBER_CHARS}'))"
            number = f"(contains({c}, ',') or contains({c}, '.'))"
            is_dutch = f"regexp_full_match({c}, {_lit(dutch)})"
            is_english = f"regexp_full_match({c}, {_lit(english)})"
            if not dutch_numbers:
                outer_k, number = "false", f"contains({c}, '.')"
            if not english_numbers:
                outer_d, number = "false", f"contains({c}, ',')"
            if not (dutch_numbers or english_numbers):
                number = "false"
            parts += [
                f"count(*) filter (where {_all(outer_k, simple, is_dutch)})",
                f"count(*) filter (where {_all(outer_d, simple, is_english)})",
                f"count(*) filter (where {_all(number, may_count, f'not {simple}')})",
                f"count(*) filter (where list_contains({WS_CODES}, f{i}) "
                f"or list_contains({WS_CODES}, l{i}))",
            ]
        found = self.con.execute(
            f"with cells as (select {', '.join(inner)} from {self.table}) "
            f"select {', '.join(parts)} from cells"
        ).fetchone()
        stats = [found[k : k + 4] for k in range(0, len(found), 4)]
        self.styles = (sum(s[0] for s in stats), sum(s[1] for s in stats))
        self._unusual = [i for i, s in enumerate(stats) if s[2]]
        self.clean = [s[3] == 0 for s in stats]

    def decimal_comma(self, counts: Callable[[pd.Series], tuple[int, int]]) -> tuple[int, int]:
        """How many cells look Dutch (1.234,50) and how many English (1,234.50), as
        tables._uses_decimal_comma counts them; ``counts`` counts the cells SQL cannot."""
        dutch, english = self.styles
        for i in self._unusual:
            c = f"c{i}"
            found = self.con.execute(
                f"select {c}, count(*) from {self.table} "
                f"where (contains({c}, ',') or contains({c}, '.')) and not {_ascii(c)} "
                f"and not regexp_full_match({c}, '{NUMBER_CHARS}') group by all"
            ).fetchall()
            values = pd.Series([v for v, _ in found], dtype=object).repeat([n for _, n in found])
            more_dutch, more_english = counts(values)
            dutch, english = dutch + more_dutch, english + more_english
        return int(dutch), int(english)

    def _cells(self) -> list[str]:
        return [f"{_blank_to_null(f'c{i}', self.clean[i])} as c{i}" for i in range(self.width)]

    def head(self, count: int) -> pd.DataFrame:
        """The first ``count`` rows that are not blank (index = row number, cells or None)."""
        if count not in self._head:
            filled = " or ".join(f"not {_blank(f'c{i}', self.clean[i])}" for i in range(self.width))
            query = (
                f"select rowid + 1 as row, {', '.join(self._cells())} from {self.table} "
                f"where rowid < ? and ({filled}) order by rowid limit {int(count)}"
            )
            rows = self.con.execute(query, [HEAD_SCAN_ROWS]).fetchall()
            if len(rows) < count:
                rows = self.con.execute(query, [2**62]).fetchall()
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
                f"select count(*) > 0 from {self.table} where rowid + 1 > ? "
                f"and not {_blank(c, self.clean[position])}",
                [after_row],
            ).fetchone()[0]
        )

    def body(self, header_row: int, positions: dict[str, int]) -> SqlRaw:
        """The rows below the header under the sheet's column names, blank rows left out."""
        table = _name("raw")
        clean = {n: self.clean[p] for n, p in positions.items()}
        cells = [f"{_blank_to_null(f'c{p}', clean[n])} as {_q(n)}" for n, p in positions.items()]
        filled = " or ".join(f"not {_blank(f'c{p}', clean[n])}" for n, p in positions.items())
        # a view: the later queries read each cell once anyway; no copy of a large file
        self.con.execute(
            f"create temp view {table} as select rowid + 1 as row"
            f"{''.join(', ' + c for c in cells)} from {self.table} "
            f"where rowid + 1 > {int(header_row)} and ({filled or 'false'})"
        )
        return SqlRaw(self.con, table, list(positions), clean)


class SqlRaw:
    """The raw cells of a recognised sheet in DuckDB, with the little of a DataFrame's
    interface that callers of Sheet.raw use (len, in, [column], head, empty)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        table: str,
        columns: list[str],
        clean: dict[str, bool] | None = None,
    ) -> None:
        self.con = con
        self.table = table
        self.columns = list(columns)
        self.clean = clean or {}  # column -> no cell with whitespace at an end
        self._len: int | None = None

    def __len__(self) -> int:
        if self._len is None:
            self._len = self.con.execute(f"select count(*) from {self.table}").fetchone()[0]
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
        return not self.con.execute(f"select exists (select 1 from {self.table})").fetchone()[0]

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

    def without(self, column: str, drop: Callable[[object], bool]) -> tuple[SqlRaw, int]:
        """A copy without the rows whose ``column`` value (stripped text) ``drop`` accepts;
        and how many rows that were."""
        stripped = _strip(_q(column), self.clean.get(column, False))
        values = self.con.execute(
            f"select distinct {stripped} from {self.table} where {_q(column)} is not null"
        ).fetchall()
        dropped = [v for (v,) in values if drop(v)]
        if not dropped:
            return self, 0
        values_table = _values_table(self.con, "v", dropped)
        table = _name("raw")
        self.con.execute(
            f"create temp view {table} as select * from {self.table} "
            f"where {stripped} is null or {stripped} not in (select v from {values_table})"
        )
        kept = SqlRaw(self.con, table, self.columns, self.clean)
        return kept, len(self) - len(kept)


def _values_table(con: duckdb.DuckDBPyConnection, column: str, values) -> str:
    name = _name("known")
    con.execute(f"create temp table {name} ({column} varchar primary key)")
    frame = pd.DataFrame({column: sorted({str(v) for v in values})}, dtype=object)
    con.register("known_values", frame)
    try:
        con.execute(f"insert into {name} select {column} from known_values")
    finally:
        con.unregister("known_values")
    return name


def _number_text(s: str, decimal_comma: bool) -> tuple[str, str, str]:
    """(normalised text, pattern, value) for amounts and decimal numbers in their common forms:
    no sign, at most two decimals; € and spaces taken off as etl.cells.parse_amount does.
    Other forms (signs, 1.234,-, thousands commas ...) do not match ``pattern`` and are left
    to parse_amount; so do cells with other whitespace than SQL takes off here."""
    euro = f"regexp_replace({s}, '^(-?)[{WS_NUMBER}]*€[{WS_NUMBER}]*', '\\1')"
    euro = f"regexp_replace({euro}, '^€[{WS_NUMBER}]*(-?)', '\\1')"
    spaced = f"replace(replace({s}, chr(160), ''), ' ', '')"
    t = (
        f"(case when contains({s}, '€') then replace(replace({euro}, chr(160), ''), ' ', '') "
        f"when contains({s}, ' ') or contains({s}, chr(160)) then {spaced} else {s} end)"
    )
    if decimal_comma:
        pattern = r"([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]{1,2})?"
        value = "(case when contains({t}, '.') then replace(replace({t}, '.', ''), ',', '.') "
        return t, pattern, value + "else replace({t}, ',', '.') end)"
    return t, r"[0-9]+(\.[0-9]{1,2})?", "{t}"


def _columns_sql(column, i: int, decimal_comma: bool, limits: dict) -> dict:
    """SQL of one column over the layered query of validate(): r{i} the cell (NULL when
    blank), s{i} stripped, t{i} normalised number text; returns type, t, value and ok (false
    sends the row to the reference parsers)."""
    r, s, t, v = f"r{i}", f"s{i}", f"t{i}", f"v{i}"
    kind = column.type
    out = {"t": None}
    if kind == "text" or (kind == "id" and column.name == "id"):
        out.update(type="VARCHAR", value=s, ok="true")
    elif kind == "id":
        out.update(type="VARCHAR", value=s, ok=f"{s} in (select id from {limits['ids']})")
    elif kind == "wijkcode":
        value = f"(case when {_ascii(s)} then upper(replace({s}, ' ', '')) end)"
        out.update(type="VARCHAR", value=value, ok=f"{v} in (select code from {limits['wijken']})")
    elif kind in ("year", "month", "count"):
        low, high = limits[kind]
        value = f"(case when regexp_full_match({s}, '[0-9]{{1,9}}') then cast({s} as bigint) end)"
        ok = f"{v} >= {low}" + (f" and {v} <= {high}" if high is not None else "")
        out.update(type="BIGINT", value=value, ok=ok)
    elif kind in ("amount", "hours", "area_m2", "percentage", "latitude", "longitude"):
        comma = decimal_comma and kind not in ("latitude", "longitude")
        text, pattern, value = _number_text(s, comma)
        low, high = limits.get(kind, (None, None))
        # at most 15 digits: the double is exact to the cent, as parse_amount's round(2)
        checks = [f"length({t}) <= 15", f"regexp_full_match({t}, '{pattern}')"]
        checks += [f"{v} >= {low}"] if low is not None else []
        checks += [f"{v} <= {high}"] if high is not None else []
        ok = _all(*checks)
        value = f"try_cast({value.format(t=t)} as double)"
        out.update(type="DOUBLE", t=text, value=value, ok=ok)
    elif kind == "date":
        first, last = limits["date"]
        value = (  # one regular expression per cell: the third character tells the format
            f"(case when substr({s}, 3, 1) = '-' then (case when "
            f"regexp_full_match({s}, '[0-9]{{2}}-[0-9]{{2}}-[0-9]{{4}}') "
            f"then try_strptime({s}, '%d-%m-%Y')::date end) "
            f"when regexp_full_match({s}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"then try_strptime({s}, '%Y-%m-%d')::date end)"
        )
        out.update(type="DATE", value=value, ok=f"year({v}) between {first} and {last}")
    elif kind == "bool":
        yes, no = limits["bool"]
        value = (
            f"(case when not {_ascii(s)} then null "
            f"when list_contains({_sql_list(yes)}, lower({s})) then true "
            f"when list_contains({_sql_list(no)}, lower({s})) then false end)"
        )
        out.update(type="BOOLEAN", value=value, ok=f"{v} is not null")
    else:
        raise ValueError(f"unknown cell type {kind}")
    blank = "false" if column.required else "true"
    out["ok"] = f"(case when {r} is null then {blank} else coalesce({out['ok']}, false) end)"
    return out


def _sql_list(words) -> str:
    return "[" + ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(words)) + "]"


def _upper_map(con, table: str, column: str, clean: bool) -> str | None:
    """A table mapping the non-ASCII stripped values of a column to Python's upper(); DuckDB's
    upper differs for a few letters (ß)."""
    values = con.execute(
        f"select distinct {_strip(_q(column), clean)} as v from {table} "
        f"where {_q(column)} is not null and not {_ascii(_q(column))}"
    ).fetchall()
    if not values:
        return None
    name = _name("upper")
    con.execute(f"create temp table {name} (v varchar, u varchar)")
    con.executemany(f"insert into {name} values (?, ?)", [(v, v.upper()) for (v,) in values])
    return name


def validate(sheet, context, problems: list) -> pd.DataFrame:
    """Parse and check a sheet whose raw cells are in DuckDB (SqlRaw); same values and
    problems as etl.enterprise_files.validate_sheet. Sets ``sheet.arrow`` for the loader."""
    from etl import cells
    from etl import enterprise_files as ef
    from etl.sheet_spec import sheet_specs

    spec = sheet_specs()[sheet.kind]
    raw: SqlRaw = sheet.raw
    con = raw.con
    limits = {
        "ids": _values_table(con, "id", context.enterprises),
        "wijken": _values_table(con, "code", context.wijken),
        "year": (ef.MIN_YEAR, context.max_year),
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
    present = [(i, c) for i, c in enumerate(spec.columns) if c.name in raw]
    parts = {i: _columns_sql(c, i, sheet.decimal_comma, limits) for i, c in present}
    layer_a = ", ".join(
        f"{_q(c.name)} as r{i}, {_strip(_q(c.name), raw.clean.get(c.name, False))} as s{i}"
        for i, c in present
    )
    layer_b = ", ".join(f"{p['t']} as t{i}" for i, p in parts.items() if p["t"]) or "1 as _t"
    layer_c = ", ".join(f"{p['value']} as v{i}" for i, p in parts.items()) or "1 as _v"
    types = {c.db_column: (SQL_TYPES[c.type], None) for c in spec.columns}
    for i, c in present:
        types[c.db_column] = (parts[i]["type"], f"v{i}")
    outputs = ", ".join(
        f"{expr or f'null::{sql_type}'} as {_q(db)}" for db, (sql_type, expr) in types.items()
    )
    suspect = _all(*(p["ok"] for p in parts.values())) if parts else "true"
    parsed = _name("parsed")
    con.execute(
        f"""
        create temp table {parsed} as
        with a as (select row{", " + layer_a if layer_a else ""} from {raw.table}),
        b as (select *, {layer_b} from a),
        c as (select *, {layer_c} from b)
        select row, {outputs}, not ({suspect}) as suspect from c
        """
    )
    final = _merge_reference(sheet, parsed, types, context, problems, ef)
    _check_keys(sheet, spec, problems, ef)
    if sheet.kind == "financien":
        _check_periods(sheet, final, problems, ef)
    if sheet.kind == "ondernemingen":
        con.execute(f"update {final} set public = coalesce(public, false)")
    columns = ", ".join(["row", *(_q(db) for db in types)])
    order = " order by row" if final != parsed else ""  # parsed is in row order already
    table = con.sql(f"select {columns} from {final}{order}").to_arrow_table()
    sheet.arrow = table
    data = table.to_pandas(types_mapper=pd.ArrowDtype)
    data.index = pd.Index(table.column("row").to_numpy(), dtype="int64")
    return data


def _merge_reference(sheet, parsed: str, types: dict, context, problems: list, ef) -> str:
    """Rows with a cell outside the SQL forms (or a problem) parsed by the reference path."""
    raw: SqlRaw = sheet.raw
    con = raw.con
    columns = ", ".join(["row", *(_q(db) for db in types)])
    count = con.execute(f"select count(*) from {parsed} where suspect").fetchone()[0]
    if not count:
        return parsed
    subset = raw.frame(f"row in (select row from {parsed} where suspect)")
    part = ef.Sheet(
        sheet.kind, sheet.file, sheet.sheet, sheet.header_row, subset, sheet.decimal_comma
    )
    reference = ef.validate_sheet(part, context, problems, whole_sheet=False)
    reference = reference.astype(object).where(reference.notna(), None)
    final = _name("final")
    casts = ", ".join(
        ["row::bigint as row", *(f"{_q(db)}::{t} as {_q(db)}" for db, (t, _) in types.items())]
    )
    con.register("reference_rows", reference)
    try:
        con.execute(
            f"create temp table {final} as "
            f"select {columns} from {parsed} where not suspect "
            f"union all select {casts} from reference_rows"
        )
    finally:
        con.unregister("reference_rows")
    return final


def _check_keys(sheet, spec, problems: list, ef) -> None:
    """Duplicate keys: SQL finds the rows whose key (stripped, upper case) may occur more than
    once (by a hash of the key: a collision only costs a look); the reference check reports."""
    raw: SqlRaw = sheet.raw
    present = [k for k in spec.key if k in raw]
    if len(present) < len([k for k in spec.key if k != "maand"]):
        return
    con = raw.con
    joins, keys = [], []
    for n, column in enumerate(present):
        stripped = _strip(f"r.{_q(column)}", raw.clean.get(column, False))
        mapping = _upper_map(con, raw.table, column, raw.clean.get(column, False))
        if mapping:
            joins.append(f"left join {mapping} m{n} on m{n}.v = {stripped}")
            keys.append(f"coalesce(m{n}.u, upper({stripped}))")
        else:
            keys.append(f"upper({stripped})")
    rows = con.execute(
        f"""
        with k as (select r.row, hash({", ".join(keys)}) as h from {raw.table} r {" ".join(joins)}),
        d as (select h from k group by h having count(*) > 1)
        select k.row from k semi join d using (h)
        """
    ).fetchall()
    if rows:
        subset = raw.frame("list_contains(?, row)", [[r for (r,) in rows]])
        part = ef.Sheet(
            sheet.kind, sheet.file, sheet.sheet, sheet.header_row, subset, sheet.decimal_comma
        )
        ef._check_keys(part, spec, problems)


def _check_periods(sheet, final: str, problems: list, ef) -> None:
    """Annual and monthly figures of the same enterprise and year: the reference reports."""
    con = sheet.raw.con
    frame = con.execute(
        f"""
        with f as (select * from {final} where enterprise_id is not null and year is not null),
        mixed as (
            select enterprise_id, year from f group by all
            having count(*) filter (where month is null) > 0
               and count(*) filter (where month is not null) > 0
        )
        select row, enterprise_id, year, month from f semi join mixed using (enterprise_id, year)
        order by row
        """
    ).fetchall()
    if frame:
        out = pd.DataFrame(frame, columns=["row", "enterprise_id", "year", "month"], dtype=object)
        out.index = pd.Index(out["row"].astype("int64"))
        ef._check_annual_and_monthly(sheet, out, problems)
