"""CBS's yearly table of postcodes and house numbers with their buurt, wijk and gemeente
("Buurt, wijk en gemeente [jaar] voor postcode huisnummer": PC6, Huisnummer, Buurt2023,
Wijk2023, Gemeente2023), loaded per postcode (PC6) and buurt into table ``postcode``: the app
finds a wijk by its postcode with it."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.errors import InputError, Problem
from etl.loadresult import LoadResult
from etl.messages import N_, Number
from etl.schema import ensure_tables
from etl.sheet_spec import normalise_name
from etl.tables import decode_text

DELIMITERS = ";,\t|"
MAX_PROBLEMS = 20
SAMPLE_BYTES = 1 << 16
# the columns, by their normalised name without the year CBS appends (Buurt2023 -> buurt)
COLUMNS = {
    "pc6": ("pc6", "postcode", "pc"),
    "huisnummer": ("huisnummer", "huisnr", "nummer"),
    "buurt": ("buurt", "buurtcode", "bucode"),
    "wijk": ("wijk", "wijkcode", "wkcode"),
    "gemeente": ("gemeente", "gemeentecode", "gmcode"),
}
REQUIRED = ("pc6", "buurt", "wijk", "gemeente")
# prefix and digits of each code: CBS writes them as numbers (03630000, or 3630000)
CODES = {"buurt": ("BU", 8), "wijk": ("WK", 6), "gemeente": ("GM", 4)}
CODE_PATTERNS = {
    "buurt": r"^BU[0-9]{4}[0-9A-Z]{4}$",
    "wijk": r"^WK[0-9]{4}[0-9A-Z]{2}$",
    "gemeente": r"^GM[0-9]{4}$",
}
PC6 = r"^[1-9][0-9]{3}[A-Z]{2}$"
BAD_PC6 = N_("geen postcode: verwacht vier cijfers en twee letters, bijvoorbeeld 6811AB")
BAD_CODE = N_("geen {soort}code: verwacht bijvoorbeeld {voorbeeld}")
MISSING_COLUMN = N_(
    "kolom {kolom} ontbreekt: verwacht de kolommen van CBS (PC6, Huisnummer, Buurt{jaar}, "
    "Wijk{jaar}, Gemeente{jaar})"
)
EXAMPLES = {"buurt": "BU02020101 of 02020101", "wijk": "WK020201", "gemeente": "GM0202"}


@dataclass(frozen=True)
class PostcodeFile:
    """A postcode file as read: where its columns are and what dialect it is written in."""

    path: Path
    name: str
    delimiter: str
    columns: dict[str, str]  # our name -> the file's header
    year: int | None


def read_header(path: Path, year: int | None = None) -> PostcodeFile:
    """The dialect (UTF-8 with or without BOM, cp1252; ; , tab or |) and the columns of a CBS
    postcode file; the year from ``year``, else the columns (Buurt2023), else the file name.
    Raises InputError, in Dutch, for anything unreadable or a column that is missing."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(f"bestand niet gevonden: {path}", file=name)
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    if not head.strip():
        raise InputError("het bestand is leeg", file=name)
    if head[:4] == b"PK\x03\x04":
        raise InputError("dit is geen CSV-bestand; sla de tabel op als CSV", file=name)
    text = decode_text(head, name)
    lines = text.splitlines()
    header = lines[0]
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = max(DELIMITERS, key=header.count)
    names = next(csv.reader([header], delimiter=delimiter))
    found: dict[str, str] = {}
    years = set()
    for raw in names:
        clean = raw.strip().lstrip("\ufeff").strip('"')
        key = normalise_name(clean)
        stem = re.sub(r"(19|20)[0-9]{2}$", "", key)
        if stem != key:
            years.add(int(key[len(stem) :]))
        for ours, words in COLUMNS.items():
            if stem in words and ours not in found:
                found[ours] = clean
    year = year or (max(years) if years else _year_of(name))
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        shown = {"pc6": "PC6", "buurt": "Buurt", "wijk": "Wijk", "gemeente": "Gemeente"}
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    1,
                    shown[c],
                    None,
                    MISSING_COLUMN,
                    {"kolom": shown[c], "jaar": year or "2023"},
                )
                for c in missing
            ]
        )
    return PostcodeFile(path, name, delimiter, found, year)


def _year_of(name: str) -> int | None:
    match = re.search(r"(19|20)[0-9]{2}", name)
    return int(match.group(0)) if match else None


def read_rows(con: duckdb.DuckDBPyConnection, file: PostcodeFile) -> str:
    """Read the file into a table of ``con`` (row, pc6, huisnummer, buurt, wijk, gemeente as
    text, codes with their prefix and padding); its name. Raises InputError listing up to
    MAX_PROBLEMS rows with a postcode or code that is not one."""
    table = "postcode_rows"
    source = _as_utf8(file)
    con.execute(f"drop table if exists {table}")
    picks = ", ".join(
        f'trim(cast("{header}" as varchar)) as {ours}' for ours, header in file.columns.items()
    )
    try:
        con.execute(
            f"create temp table {table}_raw as select row_number() over () + 1 as row, {picks} "
            "from read_csv(?, delim = ?, header = true, all_varchar = true, quote = '\"')",
            [str(source), file.delimiter],
        )
    except duckdb.Error as exc:
        raise InputError(f"het CSV-bestand is niet te lezen: {exc}", file=file.name) from exc
    codes = ", ".join(_code_sql(kind) for kind in CODES)
    con.execute(
        f"create temp table {table} as select row, "
        "upper(replace(coalesce(pc6, ''), ' ', '')) as pc6, "
        f"{'huisnummer' if 'huisnummer' in file.columns else 'null'} as huisnummer, {codes} "
        f"from {table}_raw"
    )
    _check(con, table, file)
    con.execute(f"drop table {table}_raw")
    return table


def _as_utf8(file: PostcodeFile) -> Path:
    """The file itself when it is UTF-8 (or plain ASCII, as CBS's is); else a UTF-8 copy."""
    data = file.path.read_bytes()
    try:
        data.decode("utf-8")
        return file.path
    except UnicodeDecodeError:
        import tempfile

        text = decode_text(data, file.name)
        copy = Path(tempfile.mkdtemp(prefix="wijkimpact-postcodes-")) / "postcodes.csv"
        copy.write_text(text, encoding="utf-8")
        return copy


def _code_sql(kind: str) -> str:
    prefix, digits = CODES[kind]
    bare = f"upper(regexp_replace(coalesce({kind}, ''), '^{prefix}', '', 'i'))"
    padded = (
        f"case when regexp_matches({bare}, '^[0-9]+$') "
        f"then lpad({bare}, {digits}, '0') else {bare} end"
    )
    return f"case when {bare} = '' then '' else '{prefix}' || {padded} end as {kind}"


def _check(con: duckdb.DuckDBPyConnection, table: str, file: PostcodeFile) -> None:
    rules = [("pc6", PC6, BAD_PC6, {})] + [
        (kind, CODE_PATTERNS[kind], BAD_CODE, {"soort": kind, "voorbeeld": EXAMPLES[kind]})
        for kind in CODES
    ]
    problems: list[Problem] = []
    for column, pattern, template, params in rules:
        bad = con.execute(
            f"select t.row, r.{column} from {table} t join {table}_raw r using (row) "
            f"where not regexp_matches(t.{column}, ?) order by t.row limit {MAX_PROBLEMS}",
            [pattern],
        ).fetchall()
        header = file.columns[column]
        problems += [
            Problem(file.name, None, row, header, value, template, params) for row, value in bad
        ]
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise InputError(problems[:MAX_PROBLEMS])
    if not con.execute(f"select count(*) from {table}").fetchall()[0][0]:
        raise InputError("geen rijen onder de kopregel: er is niets geladen", file=file.name)


def load_postcodes(
    con: duckdb.DuckDBPyConnection, path: Path, year: int | None = None
) -> LoadResult:
    """Read a CBS postcode file and put its postcodes in table ``postcode``: one row per
    postcode and buurt, with how many house numbers lie there. The postcodes in the file
    replace what was loaded for them before; others stay. Nothing changes on a bad file."""
    file = read_header(path, year)
    ensure_tables(con, ("postcode",))
    table = read_rows(con, file)
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    con.execute(
        f"""
        create temp table postcode_new as
        select pc6, buurt as buurt_code, wijk as wijk_code, gemeente as gemeente_code,
               ?::integer as year, count(*)::integer as addresses
        from {table} group by all
        """,
        [file.year],
    )
    replaced = con.execute(
        "select count(distinct pc6) from postcode where pc6 in (select pc6 from postcode_new)"
    ).fetchall()[0][0]
    total = con.execute("select count(distinct pc6) from postcode_new").fetchall()[0][0]
    con.execute("delete from postcode where pc6 in (select pc6 from postcode_new)")
    con.execute("insert into postcode select * from postcode_new")
    con.execute(f"drop table postcode_new; drop table {table}")
    note = f"{file.name}: {Number(rows)} adressen in {Number(total)} postcodes" + (
        f" ({file.year})" if file.year else ""
    )
    return LoadResult(
        rows=rows, added=total - replaced, replaced=replaced, unchanged=0, notes=[note]
    )
