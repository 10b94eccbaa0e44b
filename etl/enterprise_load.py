"""Load validated enterprise sheets into DuckDB: newer rows replace older ones per period."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl.cell_rules import CODES_SEPARATOR, Context, name_key
from etl.enterprise_files import ParsedFile
from etl.loadlog import file_checksum, log_load, next_batch_id
from etl.loadresult import LoadResult
from etl.messages import N_, Message
from etl.sheet_spec import amount_columns, sheet_specs

# the notes of a load, in the user's language in the app (etl.messages.Message)
SHEET_LOADED = N_(
    "blad {blad}: {rijen} rijen; {nieuw} nieuw, {vervangen} vervangen, {ongewijzigd} ongewijzigd"
)
KIND_LOADED = N_(
    "{soort}: {rijen} rijen; {nieuw} nieuw, {vervangen} vervangen, {ongewijzigd} ongewijzigd"
)
MONTHS_LOADED = N_(
    "{maanden} maanden; {nieuw} nieuw, {vervangen} vervangen, {ongewijzigd} ongewijzigd; "
    "{rgs} rekening(en) ingedeeld via RGS"
)


@dataclass(frozen=True)
class Target:
    """Where a sheet kind goes: its table, columns, and the unit that a newer file replaces."""

    table: str
    columns: tuple[str, ...]
    unit: tuple[str, ...]


TARGETS = {
    "ondernemingen": Target(
        "enterprise",
        (
            "enterprise_id",
            "name",
            "legal_form",
            "kvk",
            "founded",
            "area_code",
            "address",
            "postcode",
            "city",
            "lat",
            "lon",
            "website",
            "description",
            "volunteers_wanted",
            "contact",
            "public",
            "public_partial",
            "werkgebied",
        ),
        ("enterprise_id",),
    ),
    # An annual row (month null) and the monthly rows of the same year replace each other.
    "financien": Target(
        "finance",
        ("enterprise_id", "year", "month", "category", "amount"),
        ("enterprise_id", "year", "month"),
    ),
    "herinvesteringen": Target(
        "reinvestment",
        ("enterprise_id", "year", "area_code", "project", "theme", "amount"),
        ("enterprise_id", "year"),
    ),
    # the koppeling of ledger accounts to categories, for auditfiles (etl.xaf)
    "grootboek": Target(
        "ledger_mapping",
        ("enterprise_id", "account", "description", "category"),
        ("enterprise_id", "account"),
    ),
    "activiteiten": Target(
        "activity",
        (
            "enterprise_id",
            "date",
            "activity",
            "theme",
            "area_code",
            "participants",
            "volunteers",
            "volunteer_hours",
        ),
        # the same activity on one day for another thema or in another wijk is another one
        ("enterprise_id", "date", "activity", "theme", "area_code"),
    ),
    "vastgoed": Target(
        "property",
        ("enterprise_id", "name", "area_code", "m2", "owned", "occupancy_pct"),
        ("enterprise_id", "name"),
    ),
}
KIND_ORDER = list(TARGETS)


def database_context(con: duckdb.DuckDBPyConnection) -> Context:
    """The enterprise ids and wijk codes already in the database, and the names of the
    enterprises (a name two enterprises share names neither)."""
    found = con.execute("select enterprise_id, name from enterprise").fetchall()
    enterprises = {enterprise for enterprise, _name in found}
    wijken = {
        r[0] for r in con.execute("select area_code from area where level = 'wijk'").fetchall()
    }
    by_name: dict[str, set[str]] = {}
    for enterprise, name in found:
        if name:
            by_name.setdefault(name_key(name), set()).add(enterprise)
    names = {key: ids.pop() for key, ids in by_name.items() if len(ids) == 1}
    return Context(enterprises, wijken, names=names)


def load_parsed(con: duckdb.DuckDBPyConnection, files: list[ParsedFile]) -> list[LoadResult]:
    """Load validated files, ondernemingen sheets first; one load_log row per file."""
    _add_werkgebied(con)
    results = {pf.file: LoadResult(0, 0, 0, 0, list(pf.notes)) for pf in files}
    batches = {pf.file: next_batch_id(con) for pf in files}
    sheets = [(pf, sheet) for pf in files for sheet in pf.sheets]
    sheets.sort(key=lambda item: KIND_ORDER.index(item[1].kind))
    audits = _prepared_auditfiles(con, files)
    for pf, sheet in sheets:
        added, replaced, unchanged = replace_units(
            con,
            TARGETS[sheet.kind],
            sheet.table,
            batches[pf.file],
            _table_rows_sql(sheet.kind),
            _known_units(sheet),
        )
        result = results[pf.file]
        result.rows += len(sheet.data)
        result.added += added
        result.replaced += replaced
        result.unchanged += unchanged
        counts = {"rijen": len(sheet.data), "nieuw": added, "vervangen": replaced}
        if sheet.sheet:
            note = Message(SHEET_LOADED, blad=sheet.sheet, ongewijzigd=unchanged, **counts)
        else:
            note = Message(KIND_LOADED, soort=sheet.kind, ongewijzigd=unchanged, **counts)
        result.notes.append(note)
    for pf in audits:
        _load_auditfile(con, pf, batches[pf.file], results[pf.file])
    for pf in files:
        result = results[pf.file]
        outcome = "ongewijzigd" if result.added + result.replaced == 0 else "geladen"
        log_load(
            con,
            batch_id=batches[pf.file],
            source=pf.path,
            kind=_kinds(pf),
            rows=result.rows,
            outcome=outcome,
            added=result.added,
            replaced=result.replaced,
            message="; ".join(result.notes),
            checksum=pf.checksum or file_checksum(pf.path),
        )
    _refresh_enterprise_areas(con)
    return [results[pf.file] for pf in files]


def _known_units(sheet) -> int | None:
    """How many units the sheet's rows hold, when the check counted them: its different keys
    are its units when the unit is the key."""
    spec = sheet_specs()[sheet.kind]
    key = {c.db_column for c in spec.columns if c.name in spec.key}
    return sheet.units if key == set(TARGETS[sheet.kind].unit) else None


def _prepared_auditfiles(con, files: list[ParsedFile]) -> list:
    """The auditfiles of the batch, each with its enterprise and finance rows (their koppeling
    may be in the batch: they load last). An auditfile whose enterprise is unknown, or with an
    account without a category, raises InputError before anything is written."""
    from etl.errors import InputError
    from etl.xaf.finance import AuditFile, ensure_mapping, prepare

    ensure_mapping(con)
    problems = prepare(con, files)
    if problems:
        raise InputError(problems)
    return [pf for pf in files if isinstance(pf, AuditFile)]


def _load_auditfile(con, pf, batch_id: int, result: LoadResult) -> None:
    """An auditfile's months replace those stored: with rows where it has amounts; a covered
    month without any loses what was stored for it."""
    from etl.xaf.finance import empty_months, finance_table

    table = finance_table(pf)
    added, replaced, unchanged = replace_units(con, TARGETS["financien"], table, batch_id)
    years, months = table.column("year").to_pylist(), table.column("month").to_pylist()
    with_rows = set(zip(years, months, strict=True))
    emptied = empty_months(con, pf, with_rows)
    result.rows += pf.ledger.lines
    result.added += added
    result.replaced += replaced + emptied
    result.unchanged += unchanged
    result.notes[:0] = [pf.describe(), *pf.notes]
    result.notes.append(
        Message(
            MONTHS_LOADED,
            maanden=len(pf.months.covered),
            nieuw=added,
            vervangen=replaced + emptied,
            ongewijzigd=unchanged,
            rgs=pf.result.from_rgs,
        )
    )


def _kinds(pf: ParsedFile) -> str:
    if not pf.sheets and getattr(pf, "kind", None):
        return pf.kind  # an auditfile
    return ",".join(sorted({s.kind for s in pf.sheets}, key=KIND_ORDER.index))


def _table_rows_sql(kind: str) -> str:
    """SQL over ``incoming`` (a sheet's parsed rows) giving the table's rows: financien has
    one row per category with an amount."""
    cols = ", ".join(TARGETS[kind].columns)
    if kind != "financien":
        return f"select {cols} from incoming"
    amounts = ", ".join(amount_columns("financien"))
    return f"""
        select {cols} from (
            unpivot (select enterprise_id, year, month, {amounts} from incoming)
            on {amounts} into name category value amount
        )
        where amount is not null and not isnan(amount)
    """


def replace_units(
    con, target: Target, frame, batch_id: int, select: str | None = None, units: int | None = None
) -> tuple[int, int, int]:
    """Replace, per unit (e.g. enterprise + year + month), the rows in the database.

    ``frame`` (a DataFrame or an Arrow table) is queried as ``incoming``; ``select`` gives
    the table's rows from it (default: its columns as they are); ``units``: how many units
    the rows hold, when known. Returns how many units were added, replaced (different rows
    before) and unchanged.
    """
    cols = ", ".join(target.columns)
    unit = ", ".join(target.unit)
    new_hash = f"bit_xor(hash({cols}))"
    old_hash = "bit_xor(hash(" + ", ".join(f"t.{c}" for c in target.columns) + "))"
    con.register("incoming", frame)
    try:
        # typed like the target table, so that row hashes compare equal to the stored rows
        con.execute(
            f"create or replace temp table incoming_rows as "
            f"select {cols} from {target.table} limit 0"
        )
        extra = ", batch_id" if target.table != "enterprise" else ""
        value = ", ?" if extra else ""
        source = select or f"select {cols} from incoming"
        if not _any_stored(con, target, source):
            # nothing of these enterprises is stored yet: every unit is new. A first load of
            # a large file skips hashing and comparing millions of units; the rows are cast
            # as the insert into incoming_rows would cast them.
            types = {r[0]: r[1] for r in con.execute("describe incoming_rows").fetchall()}
            typed = ", ".join(f"cast({c} as {types[c]}) as {c}" for c in target.columns)
            typed = f"select {typed} from ({source})"
            added = units if units is not None else _count_units(con, typed, unit)
            _bulk_insert(
                con,
                f"insert into {target.table} ({cols}{extra}) select {cols}{value} from ({typed})",
                [batch_id] if extra else [],
            )
            return added, 0, 0
        con.execute(f"insert into incoming_rows {source}")
        match = " and ".join(f"t.{u} is not distinct from i.{u}" for u in target.unit)
        if target.table == "finance":
            # annual and monthly figures of the same year are one period in the other's eyes
            match = (
                "t.enterprise_id = i.enterprise_id and t.year = i.year and "
                "(t.month is not distinct from i.month or t.month is null or i.month is null)"
            )
        same_unit = " and ".join(f"n.{u} is not distinct from o.{u}" for u in target.unit)
        con.execute(
            f"""
            create or replace temp table unit_status as
            with new as (
                select {unit}, {new_hash} as h, count(*) as n from incoming_rows group by all
            ),
            old as (
                select {", ".join("i." + u for u in target.unit)}, {old_hash} as h, count(*) as n
                from {target.table} t
                join (select distinct {unit} from incoming_rows) i on {match}
                group by all
            )
            select n.*,
                   case when o.n is null then 'added'
                        when o.h = n.h and o.n = n.n then 'unchanged'
                        else 'replaced' end as status
            from new n left join old o on {same_unit}
            """
        )
        counts = con.execute(
            """
            select count(*) filter (where status = 'added'),
                   count(*) filter (where status = 'replaced'),
                   count(*) filter (where status = 'unchanged')
            from unit_status
            """
        ).fetchall()[0]
        # unchanged units are left exactly as they are (same rows, same batch)
        con.execute(
            f"""
            delete from {target.table} t
            where exists (select 1 from unit_status i where i.status <> 'unchanged' and {match})
            """
        )
        in_changed_unit = " and ".join(f"r.{u} is not distinct from i.{u}" for u in target.unit)
        _bulk_insert(
            con,
            f"""
            insert into {target.table} ({cols}{extra})
            select {", ".join("r." + c for c in target.columns)}{value} from incoming_rows r
            where exists (select 1 from unit_status i
                          where i.status <> 'unchanged' and {in_changed_unit})
            """,
            [batch_id] if extra else [],
        )
    finally:
        con.unregister("incoming")
    return counts


def _bulk_insert(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> None:
    """Insert many rows in parallel: the rows of a table have no order (queries sort), and
    DuckDB then writes them out compressed as it inserts, leaving the checkpoint little."""
    before = con.execute("select current_setting('preserve_insertion_order')").fetchall()[0][0]
    con.execute("set preserve_insertion_order = false")
    try:
        con.execute(sql, params)
    finally:
        con.execute(f"set preserve_insertion_order = {bool(before)}")


def _count_units(con: duckdb.DuckDBPyConnection, rows: str, unit: str) -> int:
    """How many distinct units the rows hold. Distinct hashes first (cheap): when every row
    has its own hash, every row is its own unit; else count the units themselves."""
    count, hashes = con.execute(
        f"select count(*), count(distinct hash({unit})) from ({rows})"
    ).fetchone()
    if hashes == count:
        return count
    return con.execute(f"select count(*) from (select distinct {unit} from ({rows}))").fetchone()[0]


def _any_stored(con: duckdb.DuckDBPyConnection, target: Target, source: str) -> bool:
    """Whether the table holds any row of the enterprises in the incoming rows."""
    if not con.execute(f"select exists (select 1 from {target.table})").fetchall()[0][0]:
        return False  # an empty table: no need to read the incoming rows
    return con.execute(
        f"select exists (select 1 from {target.table} "
        f"where enterprise_id in (select enterprise_id from ({source})))"
    ).fetchall()[0][0]


def _refresh_enterprise_areas(con: duckdb.DuckDBPyConnection) -> None:
    """enterprise_area: the home wijk and the wijken an enterprise declares (werkgebied), both
    public. Not the wijken of its reinvestments and activities: those are its figures and
    detail, which the queries show only to whoever may see them."""
    con.execute("delete from enterprise_area")
    con.execute(
        """
        insert into enterprise_area
        select distinct enterprise_id, area_code from (
            select enterprise_id, area_code from enterprise
            union
            select enterprise_id, unnest(string_split(werkgebied, $separator)) from enterprise
            where werkgebied is not null
        )
        """,
        {"separator": CODES_SEPARATOR},
    )


def _add_werkgebied(con: duckdb.DuckDBPyConnection) -> None:
    """A database made before enterprises declared a werkgebied gets the column (empty)."""
    con.execute("alter table enterprise add column if not exists werkgebied varchar")
