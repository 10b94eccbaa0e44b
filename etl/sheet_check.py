"""A recognised sheet, and its check in DuckDB: each column's distinct cells are parsed once by
the rule of its type (etl.cell_rules), then every row of the sheet is read in one pass; then
the checks across rows (duplicate keys, annual and monthly figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.cell_rules import (
    DEFAULTS,
    REQUIRED,
    SQL_TYPES,
    WS,
    Context,
    Rule,
    decide_decimal_comma,
    is_blank,
    key_text,
    rule,
    stripped,
    style_counts,
)
from etl.errors import Problem
from etl.grid import Grid, unique_name
from etl.messages import N_, Message
from etl.sheet_spec import ColumnSpec, normalise_name, sheet_specs

EXAMPLE_ID = "voorbeeld"  # rows of this enterprise are the template's examples: skipped
# the template's sheets that hold no data (etl.template): skipped without a note
INSTRUCTIONS_SHEET, LISTS_SHEET = "Instructies", "lijsten"
# SQL of a cell c that gives, for some columns, exactly the values their rule gives: when it
# does for every distinct cell of a column (each fine, no whitespace around it), the pass
# over the rows reads the column by it instead of joining the parsed distinct cells
SHORTCUTS = {
    "VARCHAR": ("{c}",),
    "BIGINT": ("try_cast({c} as bigint)",),
    "DOUBLE": (
        "try_cast({c} as double)",
        "try_cast(replace(replace({c}, '.', ''), ',', '.') as double)",
    ),
    "DATE": ("try_strptime({c}, '%d-%m-%Y')::date", "try_cast({c} as date)"),
}


@dataclass
class Sheet:
    """A recognised sheet: its kind, where it came from, and the grid column of each of its
    columns; after the check, its rows parsed (``data``; ``table`` for the loader)."""

    kind: str
    file: str
    sheet: str | None
    header_row: int
    grid: Grid
    positions: dict[str, int]  # column name (as in the spec) -> grid column c{position}
    delimiter: str | None = None  # a text file's: its number style is decided from its cells
    every_row: bool = False  # a form: blank rows and example rows are checked too
    decimal_comma: bool = False
    examples: int = 0  # example rows of the template (enterprise 'voorbeeld') left out
    rows: int = 0  # rows below the header, blank and example rows left out
    units: int | None = None  # how many different keys its rows hold, when the check knows
    data: pd.DataFrame | None = None  # parsed, database column names, plus 'row'
    table: pa.Table | None = None  # ``data`` as Arrow, in row order
    cells: dict[str, str] = field(default_factory=dict)  # cell type -> its distinct cells
    blank_cells: set[str] = field(default_factory=set)  # cell types with cells of whitespace
    example_cells: str | None = None  # table of the id cells of the example rows

    def types(self) -> dict[str, list[ColumnSpec]]:
        """The sheet's columns by cell type (one rule each: the amounts, say)."""
        found: dict[str, list[ColumnSpec]] = {}
        for column in sheet_specs()[self.kind].columns:
            if column.name in self.positions:
                found.setdefault(column.type, []).append(column)
        return found

    def survey(self) -> None:
        """The distinct cells below the header of each cell type's columns (with how often
        each occurs), the example rows, the rows."""
        con, below = self.grid.con, f"rowid >= {self.header_row}"
        for kind, columns in self.types().items():
            cells = " union all ".join(
                f"select c{self.positions[c.name]} as raw from {self.grid.table} where {below}"
                for c in columns
            )
            table = unique_name("cells")
            con.execute(
                f"create table {table} as select raw, count(*) as n from ({cells}) "
                "where raw is not null group by all"
            )
            self.cells[kind] = table
        if self.cells:  # which cell types have a cell of only whitespace: one query for all
            blank = ", ".join(
                f"exists (select 1 from {table} where {is_blank('raw')})"
                for table in self.cells.values()
            )
            found = con.execute(f"select {blank}").fetchall()[0]
            self.blank_cells |= {kind for kind, b in zip(self.cells, found, strict=True) if b}
        spec = sheet_specs()[self.kind]
        key = spec.key[0]  # id on ondernemingen, onderneming on the others: of type id
        if key in self.positions and not self.every_row:
            found = con.execute(f"select raw, {stripped('raw')} from {self.cells['id']}")
            examples = [raw for raw, t in found.fetchall() if t and normalise_name(t) == EXAMPLE_ID]
            if examples:
                self.example_cells = unique_name("examples")
                con.execute(
                    f"create table {self.example_cells} as select unnest(?) as raw", [examples]
                )
                c = f"c{self.positions[key]}"
                self.examples = con.execute(
                    f"select count(*) from {self.grid.table} where {below} "
                    f"and {c} in (select raw from {self.example_cells})"
                ).fetchall()[0][0]
        self.rows = con.execute(
            f"select count(*) from {self.grid.table} g where {self.where('g')}"
        ).fetchall()[0][0]

    def where(self, g: str) -> str:
        """SQL over the grid ``g``: the rows that are the sheet's rows."""
        below = f"{g}.rowid >= {self.header_row}"
        if self.every_row:
            return below
        blank = []
        # the template fills in the onderneming of rows to come: a row with nothing but an id
        # there is blank (a stray text such as ',5', the rest of a line a carriage return cut,
        # is not: that row is reported)
        prefilled = sheet_specs()[self.kind].key[0] if self.kind != "ondernemingen" else None
        for kind, columns in self.types().items():
            for column in columns:
                c = f"{g}.c{self.positions[column.name]}"
                if column.name == prefilled:
                    id_like = f"'[{WS}]*[A-Za-z0-9_-]*[{WS}]*'"
                    blank.append(f"coalesce(regexp_full_match({c}, {id_like}), true)")
                    continue
                blank.append(f"{c} is null")
                if kind in self.blank_cells:  # or only whitespace
                    only = f"select raw from {self.cells[kind]} where {is_blank('raw')}"
                    blank[-1] += f" or {c} in ({only})"
                blank[-1] = f"({blank[-1]})"
        out = f"{below} and not ({' and '.join(blank) or 'true'})"
        if self.example_cells:
            c = f"{g}.c{self.positions[sheet_specs()[self.kind].key[0]]}"
            out += f" and coalesce({c} not in (select raw from {self.example_cells}), true)"
        return out

    def texts(self, column: str) -> set[str]:
        """The distinct texts (stripped) of a column in the sheet's rows."""
        found = self.grid.con.execute(
            f"select distinct {stripped('g.c' + str(self.positions[column]))} "
            f"from {self.grid.table} g where {self.where('g')}"
        ).fetchall()
        return {t for (t,) in found if t is not None}

    @cached_property
    def raw(self) -> pd.DataFrame:
        """The cells of the sheet's rows as written, under the sheet's column names (index =
        row number; None where empty): for a preview or a look at every row."""
        columns = "".join(f", g.c{p} as c_{i}" for i, p in enumerate(self.positions.values()))
        found = self.grid.con.execute(
            f"select g.rowid + 1{columns} from {self.grid.table} g where {self.where('g')} "
            "order by 1"
        ).fetchall()
        frame = pd.DataFrame([r[1:] for r in found], columns=list(self.positions), dtype=object)
        frame.index = pd.Index([r[0] for r in found], dtype="int64")
        return frame


@dataclass
class _Column:
    """A column of the sheet in the pass over the rows: its value, problem, shown text, key."""

    spec: ColumnSpec
    rule: Rule
    value: str
    problem: str | None
    shown: str
    key: str
    detail: str | None


def check(sheet: Sheet, context: Context, problems: list[Problem]) -> None:
    """Parse and check every cell and row of the sheet; append a Problem for each bad one.
    Sets ``sheet.decimal_comma`` (a text file's: from its cells), ``table`` and ``data``."""
    spec = sheet_specs()[sheet.kind]
    con = sheet.grid.con
    if sheet.delimiter is not None and sheet.cells:
        every = " union all ".join(f"select raw, n from {t}" for t in sheet.cells.values())
        dutch, english = con.execute(style_counts(f"({every})")).fetchall()[0]
        sheet.decimal_comma = decide_decimal_comma(int(dutch), int(english), sheet.delimiter)
    _known(con, context)
    parsed = {}  # the distinct cells of the columns of each cell type, parsed once
    for kind, same in sheet.types().items():
        the_rule = rule(kind, same[0].name, sheet.decimal_comma, context)
        parsed[kind] = _parse(sheet, the_rule, kind, any(c.name in spec.key for c in same))
    columns, joins = {}, []
    for i, column in enumerate(spec.columns):
        if column.name in sheet.positions:
            c = f"g.c{sheet.positions[column.name]}"
            columns[i] = _column(sheet, column, parsed[column.type], c, f"m{i}", joins)
    select = ["g.rowid + 1 as row"]
    for i, column in enumerate(spec.columns):
        value = columns[i].value if i in columns else f"null::{SQL_TYPES[column.type]}"
        if column.db_column in DEFAULTS:
            value = f"coalesce({value}, {DEFAULTS[column.db_column]})"
        select.append(f'{value} as "{column.db_column}"')
    for i, col in columns.items():
        if col.problem:  # the cell's text and detail only where it has a problem
            select.append(f"{col.problem} as p{i}")
            select.append(f"case when {col.problem} is not null then {col.shown} end as s{i}")
            select += [f"{col.detail} as d{i}"] if col.detail else []
    keys = [f"coalesce({col.key}, '')" for col in columns.values() if col.spec.name in spec.key]
    if spec.has_key(sheet.positions) and keys:  # a hash in the pass; texts where it repeats
        select.append(f"hash({', '.join(keys)}) as kh")
    rows_sql = f"from {sheet.grid.table} g {' '.join(joins)} where {sheet.where('g')}"
    body = con.sql(f"select {', '.join(select)} {rows_sql}").to_arrow_table()
    rows = body.column("row")
    if len(rows) > 1 and not pc.all(pc.greater(rows[1:], rows[:-1])).as_py():
        body = body.sort_by("row")  # a join need not keep the rows' order
    name = unique_name("body")
    con.register(name, body)
    try:
        _cell_problems(sheet, con, name, columns, problems)
        if "kh" in body.column_names and _keys_differ(sheet, con, name, keys, rows_sql, problems):
            key_types = {col.spec.type for col in columns.values() if col.spec.name in spec.key}
            if all(parsed[kind].one_to_one for kind in key_types):
                sheet.units = len(body)  # as many different keys, by text or by value
        if sheet.kind == "financien":
            _annual_and_monthly(sheet, con, name, problems)
    finally:
        con.unregister(name)
    sheet.table = body.select(["row", *(c.db_column for c in spec.columns)])
    sheet.data = sheet.table.to_pandas(types_mapper=pd.ArrowDtype)
    sheet.data.index = pd.Index(sheet.table.column("row").to_numpy(), dtype="int64")


def _known(con, context: Context) -> None:
    """The enterprise ids and wijkcodes known, as the rules name them."""
    for table, column, values in (
        ("known_ids", "id", context.enterprises),
        ("known_wijken", "code", context.wijken),
    ):
        con.execute(
            f"create or replace table {table} as select unnest(?::varchar[]) as {column}",
            [sorted(values)],
        )
    names = {n: i for n, i in context.names.items() if n not in context.enterprises}
    con.execute(  # a name that is also an id stays that id
        "create or replace table known_names as select unnest(?::varchar[]) as name, "
        "unnest(?::varchar[]) as id",
        [list(names), list(names.values())],
    )
    con.execute("create or replace table known as select list(code) as wijken from known_wijken")


@dataclass(frozen=True)
class _Parsed:
    """The distinct cells of the columns of one cell type, parsed by its rule: a table (raw, t,
    problem, v, detail, k) and the shortcut that gives every value, if any."""

    rule: Rule
    table: str
    shortcut: str | None
    has_detail: bool
    distinct_keys: bool  # different cells have different key texts
    one_to_one: bool  # ... and different values


def _parse(sheet: Sheet, the_rule: Rule, kind: str, key: bool) -> _Parsed:
    """Parse the distinct cells of the columns of cell type ``kind`` once, by its rule;
    ``key``: one of them is a key column (its cells get their key texts)."""
    con = sheet.grid.con
    table = unique_name("parsed")
    cases = "".join(
        f" when {check.condition} then {n + 2}" for n, check in enumerate(the_rule.checks)
    )
    keeps = [n + 2 for n, check in enumerate(the_rule.checks) if check.keeps_value]
    kept = f" or problem in ({', '.join(map(str, keeps))})" if keeps else ""
    details = "".join(
        f" when {check.condition} then {check.detail or 'null'}" for check in the_rule.checks
    )
    has_detail = any(check.detail for check in the_rule.checks)
    con.execute(
        f"""
        create table {table} as
        with s as (select raw, {stripped("raw")} as t from {sheet.cells[kind]}),
        x as (select raw, t, {the_rule.text} as x from s where t is not null),
        p as (select *, {the_rule.parsed} as p from x),
        c as (select *, case when p is null then 1{cases} end as problem,
                     {f"case when p is null then null{details} end" if has_detail else "null"}
                     as detail
              from p{", known" if the_rule.lists else ""})
        select raw, t, problem, case when problem is null{kept} then {the_rule.value} end as v,
               detail::varchar as detail{f", {key_text('t')} as k" if key else ""}
        from c
        """
    )
    keys, values, shortcut = _survey_parsed(con, table, SQL_TYPES[kind], key)
    return _Parsed(the_rule, table, shortcut, has_detail, keys, keys and values)


def _survey_parsed(con, parsed: str, sql_type: str, key: bool) -> tuple[bool, bool, str | None]:
    """In one pass over the parsed cells: whether different cells have different key texts
    (``key``: else False) and different values, and the first shortcut that gives the value of
    every distinct cell, each fine and without whitespace around it (None when there is none)."""
    candidates = SHORTCUTS.get(sql_type, ())
    every = ["coalesce(bool_and(problem is null and t = raw), true)"]  # fine, nothing stripped
    every += [
        f"coalesce(bool_and({candidate.format(c='raw')} is not distinct from v), true)"
        for candidate in candidates
    ]
    distinct = ["count(distinct k) = count(*)", "count(distinct v) = count(*)"] if key else []
    found = con.execute(f"select {', '.join(distinct + every)} from {parsed}").fetchall()[0]
    keys, values = found[:2] if key else (False, False)
    plain, *gives = found[len(distinct) :]
    if not plain:
        return keys, values, None
    return keys, values, next((c for c, ok in zip(candidates, gives, strict=True) if ok), None)


def _column(sheet: Sheet, column: ColumnSpec, parsed: _Parsed, c: str, m: str, joins) -> _Column:
    """A column in the pass over the rows: by the shortcut of its parsed cells when there is
    one (and no cell of only whitespace), else by a join to them."""
    if parsed.shortcut is not None and column.type not in sheet.blank_cells:
        return _Column(
            column,
            parsed.rule,
            parsed.shortcut.format(c=c),
            f"case when {c} is null then 0 end" if column.required else None,
            c,
            c if parsed.distinct_keys else key_text(c),
            None,
        )
    joins.append(f"left join {parsed.table} {m} on {c} = {m}.raw")
    problem = f"coalesce({m}.problem, case when {m}.t is null then 0 end)"
    return _Column(
        column,
        parsed.rule,
        f"{m}.v",
        problem if column.required else f"{m}.problem",
        f"{m}.t",
        f"{m}.k",
        f"{m}.detail" if parsed.has_detail else None,
    )


def _cell_problems(sheet: Sheet, con, body: str, columns: dict, problems: list) -> None:
    """A problem for every cell the pass found one in: per column by kind (as the rule lists
    them, a required cell left blank last), then by row."""
    for i, col in columns.items():
        if not col.problem:
            continue
        detail = f"d{i}" if col.detail else "null"
        found = con.execute(
            f"select row, p{i}, s{i}, {detail} from {body} where p{i} is not null "
            f"order by p{i} = 0, p{i}, {f'd{i}, ' if col.detail else ''}row"
        ).fetchall()
        messages = [REQUIRED, col.rule.invalid, *(check.message for check in col.rule.checks)]
        for row, code, shown, detail_text in found:
            params = {"detail": detail_text} if detail_text is not None else {}
            where = (sheet.file, sheet.sheet, int(row), col.spec.name)
            problems.append(Problem(*where, shown, messages[code], params))


def _keys_differ(sheet: Sheet, con, body: str, keys: list, rows_sql: str, problems) -> bool:
    """Whether every row has a key of its own (its texts as cell_rules.key_text has them; an
    empty optional key cell, or no such column, is a key value too); a problem for every set
    of rows with the same key. The pass gave each row a hash of its key: the texts are
    compared where a hash repeats."""
    count, distinct = con.execute(f"select count(*), count(distinct kh) from {body}").fetchall()[0]
    if count == distinct:
        return True
    texts = ", ".join(f"{key} as k{n}" for n, key in enumerate(keys))
    groups = con.execute(
        f"""
        with repeated as (select row from {body} where kh in
                          (select kh from {body} group by kh having count(*) > 1)),
        k as (select g.rowid + 1 as row, {texts} {rows_sql}
              and g.rowid + 1 in (select row from repeated))
        select list(row order by row) from k group by {", ".join(f"k{n}" for n in range(len(keys)))}
        having count(*) > 1 order by 1
        """
    ).fetchall()
    label = sheet_specs()[sheet.kind].key_label
    for (rows,) in groups:
        shown = ", ".join(map(str, rows))
        if len(rows) < 4:  # '2 en 4', '2, 3 en 4': in the user's language (etl.api.Message)
            shown = Message(
                N_("{rijen} en {laatste}"), rijen=shown.rsplit(", ", 1)[0], laatste=rows[-1]
            )
        message = N_("rijen {rijen}: dezelfde {sleutel} komt {n} keer voor")
        values = {"rijen": shown, "sleutel": label, "n": len(rows)}
        problems.append(Problem(sheet.file, sheet.sheet, int(rows[1]), None, None, message, values))
    return False


def _annual_and_monthly(sheet: Sheet, con, body: str, problems: list) -> None:
    """Annual figures (empty maand) and monthly ones of the same enterprise and year."""
    found = con.execute(
        f"""
        select enterprise_id, year, min(row) from {body}
        where enterprise_id is not null and year is not null group by all
        having count(*) filter (where month is null) > 0
           and count(*) filter (where month is not null) > 0
        order by enterprise_id, year
        """
    ).fetchall()
    for enterprise, year, row in found:
        message = N_(
            "{onderneming} {jaar}: zowel jaarcijfers (lege maand) als maandcijfers; kies een van "
            "beide, anders telt het jaar dubbel"
        )
        values = {"onderneming": enterprise, "jaar": year}
        problems.append(Problem(sheet.file, sheet.sheet, int(row), "maand", None, message, values))
