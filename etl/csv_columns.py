"""The columns of a CSV sheet checked in DuckDB (etl.csv_sql.validate), in one of two ways.

A column with few distinct cells (ids, wijkcodes, dates, counts, themes ...) gets a map: each
distinct cell is parsed once by the reference parsers of etl.enterprise_files, and the map is
joined to the grid; or, when every distinct cell is fine and in a form whose value SQL computes
exactly (the text as it is, 31-03-2024, 12, 2,5), that SQL instead of a join. A column with
many distinct cells (amounts) is parsed by SQL expressions for the common forms; every other
cell sends its row to the reference parsers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.csv_sql import (
    SQL_TYPES,
    WS_NUMBER,
    WS_SQL,
    _all,
    _ascii,
    _blank,
    _edges,
    _lit,
    _name,
    style_sql,
)

MAP_LIMIT = 50_000  # more distinct cells than this: SQL expressions instead of a map
SQL_FIRST = {"amount"}  # columns of mostly distinct cells: SQL without trying a map
NUMBERS = {"amount", "hours", "area_m2", "percentage", "latitude", "longitude"}
# SQL that gives a cell's value without the map, when every distinct cell has the form and
# the map's value is what Python computes here (the same conversion as DuckDB's)
SHORTCUTS = {
    "raw": ("{c}", None, lambda r: r),
    "int": ("cast({c} as bigint)", r"[0-9]{1,9}", int),
    "dmy": (  # the form fixes where day, month and year are
        "strptime({c}, '%d-%m-%Y')::date",
        r"[0-9]{2}-[0-9]{2}-[0-9]{4}",
        lambda r: dt.date(int(r[6:]), int(r[3:5]), int(r[:2])),
    ),
    "ymd": (
        "strptime({c}, '%Y-%m-%d')::date",
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
        lambda r: dt.date(int(r[:4]), int(r[5:7]), int(r[8:])),
    ),
    "comma": ("replace({c}, ',', '.')::double", r"[0-9]{1,12}(,[0-9]{1,2})?", None),
    "point": ("cast({c} as double)", r"[0-9]{1,12}(\.[0-9]{1,2})?", float),
}
SHORTCUT_KINDS = {
    "text": ("raw",),
    "id": ("raw",),
    "wijkcode": ("raw",),
    "year": ("int",),
    "founding_year": ("int",),
    "month": ("int",),
    "count": ("int",),
    "date": ("dmy", "ymd"),
    "amount": ("comma", "point"),
    "hours": ("comma", "point"),
    "area_m2": ("comma", "point"),
    "percentage": ("comma", "point"),
}
ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "BOOLEAN": pa.bool_(),
}


@dataclass
class ColumnPlan:
    """One present column of the sheet: its spec, grid position and how it is checked."""

    index: int  # position in the sheet spec
    column: object  # etl.sheet_spec.ColumnSpec
    position: int  # grid column c{position}
    key: bool  # part of the sheet's key
    distinct: list | None = None  # map: the column's distinct cells (None left out) and counts
    table: str | None = None  # map: its DuckDB table (raw, v, ok, blank, k, ex)
    styles: tuple[int, int] = (0, 0)  # map: Dutch and English numbers among the cells
    keys: int = 0  # map: distinct key texts (the key ids are 1 .. keys; 0 is blank)
    bijective: bool = False  # map: key text and parsed value determine each other
    # map: "join" (to the map), or a SQL expression of the cell that gives exactly the map's
    # values, every distinct cell being fine and its own key text: see SHORTCUTS
    mode: str = "join"

    @property
    def mapped(self) -> bool:
        """Checked through a map (else by SQL expressions)."""
        return self.distinct is not None


def plan_columns(raw, spec) -> list[ColumnPlan]:
    """A plan for every column of the sheet that the file has."""
    plans = []
    for i, column in enumerate(spec.columns):
        if column.name not in raw:
            continue
        plan = ColumnPlan(i, column, raw.positions[column.name], column.name in spec.key)
        if column.name == spec.key[0]:  # always a map: it marks the example rows
            plan.distinct = raw.distinct(column.name)
        elif column.type not in SQL_FIRST:
            plan.distinct = raw.distinct(column.name, MAP_LIMIT)
        if plan.distinct is not None:
            plan.styles = _map_styles(plan.distinct)
        plans.append(plan)
    return plans


def _map_styles(distinct: list) -> tuple[int, int]:
    """Dutch and English numbers among the cells, as tables._number_styles counts them."""
    from etl.tables import DUTCH_NUMBER, ENGLISH_NUMBER

    cells = pd.Series([v for v, _ in distinct], dtype=object)
    counts = np.array([n for _, n in distinct], dtype=np.int64)
    if cells.empty:
        return 0, 0
    dutch = cells.str.fullmatch(DUTCH_NUMBER).to_numpy(bool)
    english = cells.str.fullmatch(ENGLISH_NUMBER).to_numpy(bool)
    return int(counts[dutch].sum()), int(counts[english].sum())


def build_map(con, plan: ColumnPlan, decimal_comma: bool, context, example_id: bool) -> None:
    """Parse the column's distinct cells with the reference parsers into the map table:
    raw cell, value, ok (no problem), blank, key id, example row (the template's)."""
    from etl import cells
    from etl import enterprise_files as ef
    from etl.sheet_spec import normalise_name

    column = plan.column
    raws = [v for v, _ in plan.distinct]
    series = pd.Series(raws, dtype=object)
    bad = np.zeros(len(raws), dtype=bool)

    def report(mask: pd.Series, _column: str, _message: str) -> None:
        bad[mask.to_numpy(dtype=bool, na_value=False)] = True

    values = ef._parse_column(column.type, series, decimal_comma, context, report, column.name)
    blank = cells.is_blank(series).to_numpy(dtype=bool) if raws else bad.copy()
    if column.required:
        bad |= blank
    values = [_plain(v) for v in values]
    keys = np.zeros(len(raws), dtype=np.int64)
    if plan.key:
        pairs = zip(raws, blank, strict=True)
        texts = [None if b else cells._cell_text(v).upper() for v, b in pairs]
        ids: dict[str, int] = {}
        keys[:] = [0 if t is None else ids.setdefault(t, len(ids) + 1) for t in texts]
        plan.keys = len(ids)
        # blank cells (and empty ones, not in the map) have key 0 and no value
        plan.bijective = _bijective([0, *keys.tolist()], [None, *values])
    example = [
        example_id and not b and normalise_name(v.strip()) == ef.EXAMPLE_ID
        for v, b in zip(raws, blank, strict=True)
    ]
    fine = not (bad.any() or blank.any() or any(example))
    distinct_texts = not plan.key or plan.keys == len(raws)
    plan.mode = _shortcut(column.type, raws, values) if fine and distinct_texts else "join"
    if plan.mode != "join":
        return  # the pass computes the values itself: no table to join
    table = pa.table(
        {
            "raw": pa.array(raws, pa.string()),
            "v": pa.array(values, ARROW_TYPES[SQL_TYPES[column.type]]),
            "ok": pa.array(~bad),
            "blank": pa.array(blank),
            "k": pa.array(keys),
            "ex": pa.array(example, pa.bool_()),
        }
    )
    plan.table = plan.table or _name("map")
    con.register("map_rows", table)
    try:
        con.execute(f"create or replace table {plan.table} as select * from map_rows")
    finally:
        con.unregister("map_rows")


def _shortcut(kind: str, raws: list, values: list) -> str:
    """The first shortcut of SHORTCUTS that gives every value of the map; else "join"."""
    for mode in SHORTCUT_KINDS.get(kind, ()):
        _, pattern, convert = SHORTCUTS[mode]
        if convert is None:  # Dutch decimals: 12,5 is 12.5
            convert = lambda r: float(r.replace(",", "."))  # noqa: E731
        form = re.compile(pattern) if pattern else None
        try:
            if all(
                (form is None or form.fullmatch(r)) and convert(r) == v
                for r, v in zip(raws, values, strict=True)
            ):
                return mode
        except ValueError:
            continue
    return "join"


def shortcut_sql(plan: ColumnPlan, c: str) -> str:
    """SQL: the value of cell ``c`` of a column whose mode is a shortcut."""
    return SHORTCUTS[plan.mode][0].format(c=c)


def _plain(value):
    """A parsed cell as a Python value for Arrow: None for every kind of missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _bijective(keys: list[int], values: list) -> bool:
    """Whether equal key texts always have equal values and equal values equal key texts."""
    pairs = set(zip(keys, values, strict=True))
    return len(pairs) == len({k for k, _ in pairs}) == len({v for _, v in pairs})


def _number_text(r: str) -> str:
    """SQL: a number cell with € and spaces taken off as etl.cells.parse_amount does."""
    euro = f"regexp_replace({r}, '^(-?)[{WS_NUMBER}]*€[{WS_NUMBER}]*', '\\1')"
    euro = f"regexp_replace({euro}, '^€[{WS_NUMBER}]*(-?)', '\\1')"
    return f"replace(replace({euro}, chr(160), ''), ' ', '')"


def _number_value(t: str, decimal_comma: bool) -> str:
    if decimal_comma:
        return (
            f"(case when contains({t}, '.') then replace(replace({t}, '.', ''), ',', '.') "
            f"else replace({t}, ',', '.') end)"
        )
    return t


def sql_column(plan: ColumnPlan, decimal_comma: bool, limits: dict) -> dict:
    """SQL for a column without a map, over the raw cell r{i} (NULL when empty): ``first``
    and ``second`` (alias -> expression) are computed in turn, then ``ok`` (false sends the
    row to the reference parsers), ``blank`` and the cell's number style (``dutch``,
    ``english``, ``unusual``: to be counted by Python)."""
    i, kind = plan.index, plan.column.type
    r, v = f"r{i}", f"v{i}"
    first: dict[str, str] = {}
    second: dict[str, str] = {}
    styles = style_sql(r)
    known = None  # a condition under which the cell's number style is known to be none
    check = "true"  # the value's check, where there is a value
    blank = f"({r} is null or {_blank(r)})"
    if kind == "text" or (kind == "id" and plan.column.name == "id"):
        first[f"e{i}"] = _edges(r)
        second[v] = f"(case when e{i} then nullif(trim({r}, {WS_SQL}), '') else {r} end)"
        blank = f"({v} is null)"
    elif kind == "id":
        first[v] = f"(case when {r} in (select id from {limits['ids']}) then {r} end)"
    elif kind == "wijkcode":
        first[v] = f"(case when {_ascii(r)} then upper(replace({r}, ' ', '')) end)"
        check = f"{v} in (select code from {limits['wijken']})"
    elif kind == "wijkcodes":
        # a list in one cell: only through its map (a few distinct cells, as werkgebied
        # has); without one every filled cell goes to the reference parser
        first[v] = "null::varchar"
        check = "false"
    elif kind in ("year", "founding_year", "month", "count"):
        low, high = limits[kind]
        digits = f"regexp_full_match({r}, '[0-9]{{1,9}}')"
        first[v] = f"(case when {digits} then cast({r} as bigint) end)"
        check = f"{v} >= {low}" + (f" and {v} <= {high}" if high is not None else "")
        known = f"{v} is not null"
    elif kind in NUMBERS:
        comma = decimal_comma and kind not in ("latitude", "longitude")
        pattern = (
            r"([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]{1,2})?" if comma else r"[0-9]+(\.[0-9]{1,2})?"
        )
        # at most 15 digits: the double is exact to the cent, as parse_amount's round(2).
        # p{i}: the common form as it is (no € or spaces); its number style follows from it
        first[f"p{i}"] = _all(f"strlen({r}) <= 15", f"regexp_full_match({r}, '{pattern}')")
        t = _number_text(r)
        other = _all(
            f"(contains({r}, '€') or contains({r}, ' ') or contains({r}, chr(160)))",
            f"length({t}) <= 15",
            f"regexp_full_match({t}, '{pattern}')",
        )
        second[v] = (
            f"try_cast((case when p{i} then {_number_value(r, comma)} "
            f"when {other} then {_number_value(t, comma)} end) as double)"
        )
        low, high = limits.get(kind, (None, None))
        checks = [f"{v} >= {low}"] if low is not None else []
        checks += [f"{v} <= {high}"] if high is not None else []
        check = " and ".join(checks) or "true"
        common = (f"contains({r}, ',')", "false") if comma else ("false", f"contains({r}, '.')")
        styles = (
            f"(case when p{i} then {common[0]} else {styles[0]} end)",
            f"(case when p{i} then {common[1]} else {styles[1]} end)",
            f"(case when p{i} then false else {styles[2]} end)",
        )
    elif kind == "date":
        first_year, last_year = limits["date"]
        first[v] = (  # one regular expression per cell: the third character tells the format
            f"(case when substr({r}, 3, 1) = '-' then (case when "
            f"regexp_full_match({r}, '[0-9]{{2}}-[0-9]{{2}}-[0-9]{{4}}') "
            f"then try_strptime({r}, '%d-%m-%Y')::date end) "
            f"when regexp_full_match({r}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
            f"then try_strptime({r}, '%Y-%m-%d')::date end)"
        )
        check = f"year({v}) between {first_year} and {last_year}"
        known = f"{v} is not null"
    elif kind == "bool":
        yes, no = limits["bool"]
        first[v] = (
            f"(case when not {_ascii(r)} then null "
            f"when list_contains({_sql_list(yes)}, lower({r})) then true "
            f"when list_contains({_sql_list(no)}, lower({r})) then false end)"
        )
        known = f"{v} is not null"
    else:
        raise ValueError(f"unknown cell type {kind}")
    if known:
        styles = tuple(f"(case when {known} then false else {e} end)" for e in styles)
    empty = "false" if plan.column.required else "true"  # what a blank cell is: ok or not
    return {
        "type": SQL_TYPES[kind],
        "first": first,
        "second": second,
        # the common case first: a value; then a blank cell; anything else is not ok
        "ok": f"(case when {v} is not null then coalesce({check}, false) "
        f"when {blank} then {empty} else false end)",
        "blank": blank,
        "dutch": styles[0],
        "english": styles[1],
        "unusual": styles[2],
    }


def _sql_list(words) -> str:
    return "[" + ", ".join(_lit(w) for w in sorted(words)) + "]"
