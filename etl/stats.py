"""Read CBS kerncijfers and Leefbaarometer CSV files and load them into area_stat."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import statline
from etl.errors import InputError, Problem
from etl.loadresult import LoadResult
from etl.tables import decode_text

DELIMITERS = ";,\t|"
MISSING = {"", ".", "-", "x", "X", "?"}  # StatLine writes '.' (often padded) for "no figure"
MAX_PROBLEMS = 20
LBM_SOURCE = "Leefbaarometer 3.0 (BZK)"
LBM_SCORES = {"lbm", "afw", "fys", "onv", "soc", "vrz", "won"}
LBM_KEYS = ("bucode", "wkcode", "gmcode")  # most detailed level first
KEY_STEMS = (
    "wijkenenbuurten",
    "codering",
    "code",
    "gwbcode",
    "statcode",
    "gebiedscode",
    "regiocode",
    "bucode",
    "wkcode",
    "gmcode",
    "buurtcode",
    "wijkcode",
    "gemeentecode",
)
YEAR_STEMS = ("perioden", "jaar", "year")


@dataclass
class StatFile:
    """The figures of one statistics file, as area_stat rows, ready to load."""

    stats: pd.DataFrame  # area_code, year, indicator, value (value NaN = unknown or secret)
    indicators: pd.DataFrame  # rows for table `indicator` (+ column `catalogue`)
    kind: str  # "kerncijfers" | "leefbaarometer"
    source: str = ""  # file name
    notes: list[str] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        """The years the file has figures for."""
        return sorted(int(y) for y in self.stats["year"].dropna().unique())


@dataclass
class StatCounts:
    """What storing area_stat rows did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    unknown_codes: int = 0
    changed_codes: set[str] = field(default_factory=set)


def read_stats(path: Path, year: int | None = None) -> StatFile:
    """Read a CBS kerncijfers (StatLine) or Leefbaarometer CSV file.

    The year comes from ``year`` (``--year``), else a ``Perioden``/``jaar`` column, else a
    4-digit year in the file name. Raises InputError, in Dutch, for anything unreadable.
    """
    path = Path(path)
    name = path.name
    table = _read_csv(path, name)
    table.columns = [str(c).strip().lstrip("\ufeff") for c in table.columns]
    columns = {statline.normalise(statline.stem(c)): c for c in reversed(table.columns)}
    kind = _kind(columns)
    notes: list[str] = []
    codes = _codes(table, columns, kind, name)
    blank_row = table.apply(lambda col: col.str.strip().eq("")).all(axis=1)
    country = codes.fillna("").str.startswith("NL")
    if country.any():
        notes.append(f"{int(country.sum())} rij(en) voor heel Nederland overgeslagen")
    keep = ~blank_row & ~country
    table, codes = table[keep], codes[keep]
    _check_codes(codes, name, _code_label(columns, kind))
    years = _years(table, columns, year, name, notes)
    keep = years.notna()
    table, codes, years = table[keep], codes[keep], years[keep]
    _check_duplicates(codes, years, name)

    value_columns = [
        c for c in table.columns if statline.normalise(statline.stem(c)) not in statline.META_STEMS
    ]
    numbers = _numbers(table[value_columns], name, notes)
    mapping, map_notes = statline.map_columns(numbers.columns)
    notes += map_notes
    empty = statline.empty_columns(numbers, mapping)
    if empty:
        notes.append("lege kolommen overgeslagen: " + ", ".join(empty))
    frame = numbers.assign(area_code=codes.to_numpy())
    stats = statline.to_long(frame, mapping, years.astype("Int64"))
    if stats.empty:
        detail = f" (alleen lege kolommen: {', '.join(empty)})" if empty else ""
        raise InputError(
            f"geen cijfers gevonden: geen enkele kolom met getallen naast de gebiedscodes{detail}",
            file=name,
        )
    source = LBM_SOURCE if kind == "leefbaarometer" else "CBS"
    labels = {ind: statline.stem(col) for col, ind in mapping.items()}
    indicators = statline.indicator_rows(stats["indicator"].unique(), labels, source)
    return StatFile(stats, indicators, kind, name, notes)


def load_stats(con: duckdb.DuckDBPyConnection, stat_file: StatFile) -> LoadResult:
    """Insert or replace the figures of ``stat_file``; reloading the same file changes nothing."""
    with transaction(con):
        counts = store_stats(con, stat_file.stats, stat_file.indicators)
    notes = list(stat_file.notes)
    if counts.unknown_codes:
        notes.append(
            f"{counts.unknown_codes} gebiedscode(s) staan (nog) niet in de gebiedentabel; "
            "hun cijfers zijn wel geladen"
        )
    return LoadResult(
        rows=len(stat_file.stats),
        added=counts.added,
        replaced=counts.replaced,
        unchanged=counts.unchanged,
        notes=notes,
        unknown_codes=counts.unknown_codes,
    )


def store_stats(
    con: duckdb.DuckDBPyConnection, stats: pd.DataFrame, indicators: pd.DataFrame
) -> StatCounts:
    """Upsert area_stat rows by (area_code, year, indicator) and their indicator rows."""
    counts = StatCounts()
    if stats.empty:
        return counts
    con.register("incoming_stat", stats[statline.STAT_COLUMNS])
    con.register("incoming_indicator", indicators)
    try:
        con.execute(
            """
            create or replace temp table stat_change as
            select n.area_code, n.year, n.indicator, n.value, o.area_code is null as is_new
            from incoming_stat n
            left join area_stat o
              on o.area_code = n.area_code and o.year = n.year and o.indicator = n.indicator
            where o.area_code is null or o.value is distinct from n.value
            """
        )
        added, replaced = con.execute(
            "select count(*) filter (where is_new), count(*) filter (where not is_new) "
            "from stat_change"
        ).fetchall()[0]
        counts.added, counts.replaced = int(added), int(replaced)
        counts.unchanged = len(stats) - counts.added - counts.replaced
        counts.changed_codes = {
            row[0] for row in con.execute("select distinct area_code from stat_change").fetchall()
        }
        con.execute(
            "insert or replace into area_stat (area_code, year, indicator, value) "
            "select area_code, year, indicator, value from stat_change"
        )
        con.execute("drop table stat_change")
        counts.unknown_codes = int(
            con.execute(
                "select count(distinct area_code) from incoming_stat n "
                "where not exists (select 1 from area a where a.area_code = n.area_code)"
            ).fetchall()[0][0]
        )
        con.execute(
            "insert or replace into indicator "
            "select indicator, label_nl, label_en, unit, source, "
            "cast(higher_is_better as boolean) from incoming_indicator where catalogue"
        )
        con.execute(
            "insert or ignore into indicator "
            "select indicator, label_nl, label_en, unit, source, "
            "cast(higher_is_better as boolean) from incoming_indicator where not catalogue"
        )
    finally:
        con.unregister("incoming_stat")
        con.unregister("incoming_indicator")
    return counts


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run a block in a transaction of its own, or in the caller's when one is open."""
    own = not _in_transaction(con)
    if own:
        con.begin()
    try:
        yield
    except BaseException:
        if own:
            con.rollback()
        raise
    if own:
        con.commit()


def _in_transaction(con: duckdb.DuckDBPyConnection) -> bool:
    # In auto-commit mode every statement is a transaction of its own with a new id; a failed
    # BEGIN would abort the caller's transaction, so ask twice instead of trying.
    first = con.execute("select txid_current()").fetchall()[0][0]
    return con.execute("select txid_current()").fetchall()[0][0] == first


def _read_csv(path: Path, name: str) -> pd.DataFrame:
    if not path.is_file():
        raise InputError(f"bestand niet gevonden: {path}", file=name)
    data = path.read_bytes()
    if not data.strip():
        raise InputError("het bestand is leeg", file=name)
    if data[:4] == b"PK\x03\x04" or data[:16] == b"SQLite format 3\x00":
        raise InputError(
            "dit is geen CSV-bestand; sla de cijfers op als CSV (puntkomma of komma)", file=name
        )
    text = decode_text(data, name)
    sample = "\n".join(text.splitlines()[:50])
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = text.splitlines()[0]
        delimiter = max(DELIMITERS, key=header.count)
        if header.count(delimiter) == 0:
            raise InputError(
                "geen kolommen gevonden: verwacht een CSV met ; of , tussen de kolommen",
                file=name,
            ) from None
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"het CSV-bestand is niet te lezen: {exc}", file=name) from exc


def _kind(columns: dict[str, str]) -> str:
    if any(k in columns for k in LBM_KEYS) and len(LBM_SCORES & columns.keys()) >= 2:
        return "leefbaarometer"
    return "kerncijfers"


def _codes(table: pd.DataFrame, columns: dict[str, str], kind: str, name: str) -> pd.Series:
    """The area code of every row: the first code-like key column (for Leefbaarometer: the
    most detailed of bu_code, wk_code and gm_code that the row fills in)."""
    if kind == "leefbaarometer":
        codes = pd.Series(pd.NA, index=table.index, dtype="str")
        for key in LBM_KEYS:
            if key in columns:
                codes = codes.fillna(statline.clean_codes(table[columns[key]]))
        return codes
    for key in KEY_STEMS:
        if key not in columns:
            continue
        codes = statline.clean_codes(table[columns[key]])
        filled = codes.dropna()
        looks_right = statline.valid_codes(filled) | filled.str.startswith("NL")
        if len(filled) and looks_right.mean() >= 0.5:
            return codes
    raise InputError(
        Problem(
            name,
            None,
            1,
            None,
            None,
            "geen kolom met gebiedscodes gevonden; verwacht WijkenEnBuurten, Codering_3, code "
            "of gm_code/wk_code/bu_code met codes als GM0202, WK020201, BU02020101 "
            f"(gevonden kolommen: {', '.join(table.columns[:15])})",
        )
    )


def _code_label(columns: dict[str, str], kind: str) -> str:
    keys = LBM_KEYS if kind == "leefbaarometer" else KEY_STEMS
    return "/".join(columns[k] for k in keys if k in columns)


def _check_codes(codes: pd.Series, name: str, column: str) -> None:
    bad = ~statline.valid_codes(codes)
    if bad.any():
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    int(i) + 2,
                    column,
                    codes[i],
                    "geen geldige CBS-gebiedscode (verwacht GM0202, WK020201 of BU02020101)"
                    if pd.notna(codes[i])
                    else "gebiedscode ontbreekt",
                )
                for i in codes.index[bad][:MAX_PROBLEMS]
            ]
        )


def _years(
    table: pd.DataFrame, columns: dict[str, str], year: int | None, name: str, notes: list[str]
) -> pd.Series:
    """The year of every row; rows of other years than ``year`` become NA (to be dropped)."""
    key = next((k for k in YEAR_STEMS if k in columns), None)
    if key is None:
        found = year or statline.year_from_name(name)
        if found is None:
            raise InputError(
                "het jaar van de cijfers is onbekend: het bestand heeft geen kolom Perioden of "
                "jaar en de bestandsnaam geen jaartal; geef het jaar op met --year",
                file=name,
            )
        return pd.Series(found, index=table.index, dtype="Int64")
    column = columns[key]
    text = table[column].str.strip()
    years = pd.to_numeric(text.str.extract(r"^((?:19|20)\d{2})", expand=False), errors="coerce")
    bad = years.isna()
    if bad.any():
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    int(i) + 2,
                    column,
                    table.at[i, column],
                    "geen jaartal (verwacht bijvoorbeeld 2024 of 2024JJ00)",
                )
                for i in table.index[bad][:MAX_PROBLEMS]
            ]
        )
    years = years.astype("Int64")
    if year is None:
        return years
    present = sorted(int(y) for y in years.unique())
    if year in present:
        if len(present) > 1:
            others = ", ".join(str(y) for y in present if y != year)
            notes.append(f"alleen jaar {year} geladen (het bestand heeft ook {others})")
        return years.where(years == year)
    if len(present) == 1:
        notes.append(f"jaar {present[0]} uit kolom {column} vervangen door --year {year}")
        return pd.Series(year, index=table.index, dtype="Int64")
    raise InputError(
        Problem(
            name,
            None,
            None,
            column,
            year,
            f"jaar {year} komt niet voor in dit bestand (wel: {', '.join(map(str, present))})",
        )
    )


def _check_duplicates(codes: pd.Series, years: pd.Series, name: str) -> None:
    keys = pd.DataFrame({"code": codes, "year": years})
    dup = keys.duplicated(keep="first")
    if dup.any():
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    int(i) + 2,
                    None,
                    codes[i],
                    f"gebied {codes[i]} staat voor {years[i]} meer dan eens in het bestand",
                )
                for i in codes.index[dup][:MAX_PROBLEMS]
            ]
        )


def _numbers(text: pd.DataFrame, name: str, notes: list[str]) -> pd.DataFrame:
    """Parse the value columns; text columns (names, ...) are left out.

    Decimal comma or point is decided per file (StatLine's ';' export writes '12,5'); a
    catalogue column (always numeric) with a cell that is not a number is an error, another
    column with text among its numbers is skipped with a note.
    """
    cells = text.apply(lambda col: col.str.strip())
    missing = cells.isin(MISSING)
    comma = cells.apply(lambda col: col.str.fullmatch(r"-?\d+,\d+")).to_numpy().any()
    if comma:
        cells = cells.apply(
            lambda col: col.str.replace(
                r"^(-?\d{1,3}(?:\.\d{3})+)(?=,|$)", _drop_dots, regex=True
            ).str.replace(",", ".", regex=False)
        )
    numbers = cells.where(~missing).apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna() & ~missing
    keep, problems = [], []
    for column in numbers.columns:
        has_number = numbers[column].notna().any()
        if not bad[column].any():
            keep.append(column)
        elif statline.match_indicator(column):
            problems += [
                Problem(name, None, int(i) + 2, column, text.at[i, column], "geen getal")
                for i in numbers.index[bad[column]][:MAX_PROBLEMS]
            ]
        elif has_number:
            notes.append(f"kolom {column} overgeslagen: bevat tekst tussen de getallen")
    if problems:
        raise InputError(problems[:MAX_PROBLEMS])
    return numbers[keep].astype("float64")


def _drop_dots(match) -> str:
    return match.group(1).replace(".", "")
