"""The pass over a CSV grid in DuckDB that parses a recognised sheet (etl.csv_sql.validate),
and the checks across its rows: duplicate keys, annual and monthly figures."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from etl import enterprise_files as ef
from etl.csv_sql import SQL_TYPES, SqlRaw, _ascii, _name, _q, _strip, _values_table

ROW_GROUP = 122_880  # rows of a DuckDB row group, the unit of its parallel work
PARALLEL_ROWS = 20_000  # fewer rows than this: not worth a second query at once


def head_styles(cells: pd.DataFrame) -> np.ndarray:
    """The number styles among some cells of the first rows (tables._number_styles)."""
    from etl.tables import _number_styles

    return np.array(_number_styles(cells.stack().astype(str)), dtype=np.int64)


def parse(raw: SqlRaw, spec, plans, decimal_comma: bool, limits: dict) -> tuple[str, dict]:
    """The one pass over the grid: every row below the header (blank and example rows left
    out) with its parsed values, whether the reference parsers must see it (``suspect``), its
    key id (``kid``) and the number styles of its cells in columns without a map. Returns the
    name of the result (an Arrow table, in row order) and its counts."""
    from etl import csv_columns as cc

    a = ["g.rowid + 1 as row"]
    joins, first, second, ok, blank, styles = [], [], [], [], [], ([], [], [])
    example, key_parts = "false", {}
    for plan in plans:
        i, c = plan.index, f"g.c{plan.position}"
        required = "false" if plan.column.required else "true"
        if plan.mapped and plan.mode != "join":  # no join: the value is the cell's SQL
            a += [f"{cc.shortcut_sql(plan, c)} as v{i}", f"{c} as r{i}"]
            ok.append(f"(r{i} is not null or {required})")
            blank.insert(0, f"r{i} is null")
            # the key text is the cell; the value serves when they determine each other
            key_parts[i] = f"v{i}" if plan.bijective else f"r{i}"
        elif plan.mapped:
            joins.append(f"left join {plan.table} m{i} on {c} = m{i}.raw")
            a += [f"m{i}.v as v{i}", f"m{i}.ok as o{i}", f"coalesce(m{i}.blank, true) as b{i}"]
            a += [f"coalesce(m{i}.k, 0) as k{i}"] if plan.key else []
            ok.append(f"coalesce(o{i}, {required})")
            blank.insert(0, f"b{i}")
            key_parts[i] = f"k{i}"
            if plan.column.name == spec.key[0]:
                a.append(f"coalesce(m{i}.ex, false) as ex")
                example = "ex"
        else:
            a.append(f"{c} as r{i}")
            sql = cc.sql_column(plan, decimal_comma, limits)
            first += [f"{e} as {alias}" for alias, e in sql["first"].items()]
            second += [f"{e} as {alias}" for alias, e in sql["second"].items()]
            ok.append(sql["ok"])
            blank.append(sql["blank"])
            for kept, e in zip(styles, (sql["dutch"], sql["english"], sql["unusual"]), strict=True):
                kept.append(f"{e}::integer")
    outputs = []
    for i, column in enumerate(spec.columns):
        present = any(p.index == i for p in plans)
        value = f"v{i}" if present else f"null::{SQL_TYPES[column.type]}"
        outputs.append(f"{value} as {_q(column.db_column)}")
    keys = [p for p in plans if p.key and p.mapped]
    kid, exact = _key_id(keys, key_parts) if keys else ("0", True)
    # the number styles of the cells of columns without a map (none: none to count)
    names = ("dutch", "english", "unusual")
    styles_sql = "".join(f", {' + '.join(s)} as {n}" for s, n in zip(styles, names, strict=True))
    styles_sql = styles_sql if styles[0] else ""
    # a join does not keep the rows' order; without one the pass keeps it
    order = " order by row" if joins else ""
    query = f"""
        with a as (
            select {", ".join(a)} from {raw.grid.table} g {" ".join(joins)}
            where g.rowid >= $first and g.rowid < $stop
        ),
        b as (select *{"".join(", " + e for e in first)} from a),
        c as (select *{"".join(", " + e for e in second)} from b)
        select row, {", ".join(outputs)}, not ({" and ".join(ok) or "true"}) as suspect,
               {kid} as kid{styles_sql}
        from c where not {example} and not ({" and ".join(blank) or "true"}){order}
        """
    table = run_in_parts(raw.con, query, raw.header_row, raw.grid.rows)
    parsed = _name("parsed")
    raw.con.register(parsed, table)
    rows = table.column("row").to_numpy()
    if not order and len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):
        table = raw.con.sql(f"select * from {parsed} order by row").to_arrow_table()
        raw.con.unregister(parsed)
        raw.con.register(parsed, table)
    sums = [f"coalesce(sum({n}), 0)" if styles_sql else "0" for n in names]
    # distinct keys, for the check of duplicate keys when every key column has a map
    distinct = "count(distinct kid)" if keys and all(p.mapped for p in plans if p.key) else "0"
    found = raw.con.execute(
        f"select count(*), count(*) filter (where suspect), {', '.join(sums)}, {distinct} "
        f"from {parsed}"
    ).fetchall()[0]
    names = ("rows", "suspect", *names, "distinct")
    found = dict(zip(names, (int(v) for v in found), strict=True))
    return parsed, {**found, "exact": exact, "table": table}


def run_in_parts(con, query: str, first: int, stop: int) -> pa.Table:
    """The pass over the grid rows ``first`` to ``stop`` (rowids) as an Arrow table. DuckDB
    works on a table's row groups in parallel; a grid of about one row group is worked on in
    two halves at once (each query in a cursor of its own)."""
    rows = stop - first
    if not PARALLEL_ROWS <= rows < 2 * ROW_GROUP:
        return con.sql(query, params={"first": first, "stop": stop}).to_arrow_table()
    middle = first + rows // 2

    def part(bounds: tuple[int, int]) -> pa.Table:
        cursor = con.cursor()
        try:
            params = {"first": bounds[0], "stop": bounds[1]}
            return cursor.sql(query, params=params).to_arrow_table()
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        halves = list(pool.map(part, [(first, middle), (middle, stop)]))
    return pa.concat_tables(halves)


def _key_id(keys, parts: dict) -> tuple[str, bool]:
    """SQL: one number per distinct key (the key ids of the columns combined), and True; a
    hash and False when a column has no key ids (its cells are its key texts: see
    csv_columns.SHORTCUTS) or they do not fit in 63 bits (equal hashes only cost a look)."""
    sizes = [p.keys + 1 for p in keys]
    if any(p.mode != "join" for p in keys) or float(np.prod(np.array(sizes, float))) >= 2**62:
        return f"hash({', '.join(parts[p.index] for p in keys)})", False
    out, stride = [], 1
    for plan, size in zip(reversed(keys), reversed(sizes), strict=True):
        out.append(f"k{plan.index}::bigint * {stride}")
        stride *= size
    return " + ".join(out), True


def unmapped_styles(raw: SqlRaw, spec, plans, found: dict) -> np.ndarray:
    """Number styles of the cells of the columns without a map: counted in the pass, plus
    the example rows it left out; all by style_counts when a cell needs Python."""
    positions = [p.position for p in plans if not p.mapped]
    below = f"rowid >= {raw.header_row}"
    if found["unusual"]:
        return np.array(raw.grid.style_counts(positions, below), dtype=np.int64)
    styles = np.array([found["dutch"], found["english"]], dtype=np.int64)
    examples = raw.dropped.get(spec.key[0])
    if examples:
        c = f"c{raw.positions[spec.key[0]]}"
        values = _values_table(raw.con, "v", examples)
        where = f"{below} and {c} in (select v from {values})"
        styles += np.array(raw.grid.style_counts(positions, where), dtype=np.int64)
    return styles


def merge_reference(sheet, parsed: str, types: dict, suspect: int, context, problems) -> str:
    """Rows with a cell outside the SQL forms (or a problem) parsed by the reference path."""
    raw: SqlRaw = sheet.raw
    con = raw.con
    columns = ", ".join(["row", *(_q(db) for db in types)])
    if not suspect:
        return parsed
    subset = raw.frame(f"row in (select row from {parsed} where suspect)")
    part = ef.Sheet(
        sheet.kind, sheet.file, sheet.sheet, sheet.header_row, subset, sheet.decimal_comma
    )
    reference = ef.validate_sheet(part, context, problems, whole_sheet=False)
    reference = reference.astype(object).where(reference.notna(), None)
    final = _name("final")
    casts = ", ".join(
        ["row::bigint as row", *(f"{_q(db)}::{t} as {_q(db)}" for db, t in types.items())]
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


def check_key_ids(sheet, spec, parsed: str, keys, found: dict, problems: list) -> None:
    """Duplicate keys by key id (each key column had a map: its key ids are exact); the
    reference check reports them. With key texts and values determining each other, the
    number of distinct keys is also that of the loader's units."""
    if not spec.has_key(sheet.raw):
        return
    con = sheet.raw.con
    distinct = found["distinct"]
    if (found["exact"] or distinct == found["rows"]) and all(p.bijective for p in keys):
        sheet.distinct_keys = int(distinct)
    if distinct == found["rows"]:
        return
    rows = con.execute(
        f"select row from {parsed} where kid in "
        f"(select kid from {parsed} group by kid having count(*) > 1)"
    ).fetchall()
    subset = sheet.raw.frame("list_contains(?, row)", [[r for (r,) in rows]])
    part = ef.Sheet(
        sheet.kind, sheet.file, sheet.sheet, sheet.header_row, subset, sheet.decimal_comma
    )
    ef._check_keys(part, spec, problems)


def _upper_map(con, table: str, column: str) -> str | None:
    """A table mapping the non-ASCII stripped values of a column to Python's upper(); DuckDB's
    upper differs for a few letters (ß)."""
    values = con.execute(
        f"select distinct {_strip(_q(column))} as v from {table} "
        f"where {_q(column)} is not null and not {_ascii(_q(column))}"
    ).fetchall()
    if not values:
        return None
    name = _name("upper")
    con.execute(f"create temp table {name} (v varchar, u varchar)")
    con.executemany(f"insert into {name} values (?, ?)", [(v, v.upper()) for (v,) in values])
    return name


def check_keys(sheet, spec, problems: list) -> None:
    """Duplicate keys: SQL finds the rows whose key (stripped, upper case) may occur more than
    once (by a hash of the key: a collision only costs a look); the reference check reports."""
    raw: SqlRaw = sheet.raw
    if not spec.has_key(raw):
        return
    present = [k for k in spec.key if k in raw]
    con = raw.con
    joins, keys = [], []
    for n, column in enumerate(present):
        stripped = _strip(f"r.{_q(column)}")
        mapping = _upper_map(con, raw.table, column)
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


def check_periods(sheet, final: str, problems: list) -> None:
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
