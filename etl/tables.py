"""Read the raw grids of a spreadsheet file (xlsx, or CSV/TXT in any common dialect)."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import openpyxl
import pandas as pd

from etl import xlsx_caps
from etl.errors import InputError

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CANDIDATE_ENCODINGS = ["utf_8", "cp1252"]
DELIMITERS = ";,\t|"
SQL_HEAD_ROWS = 50  # rows of a DuckDB-read grid kept in RawTable.grid, to find the header in
DUTCH_NUMBER = r"\s*(€\s*)?-?[\d.]*\d,(\d{1,2}|-)\s*"  # a cell like 1.234,50
ENGLISH_NUMBER = r"\s*(€\s*)?-?[\d,]*\d\.\d{1,2}\s*"  # a cell like 1,234.50
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError)


@dataclass
class RawTable:
    """One sheet as the user sees it: a grid of cells, row 1 being the first line."""

    file: str
    sheet: str | None  # None for a CSV file
    grid: pd.DataFrame  # object dtype, positional columns, index = Excel row number
    decimal_comma: bool = False  # text files only: numbers are written 1.234,50
    # Plain CSV files: the whole grid in DuckDB (etl.csv_sql.SqlGrid); ``grid`` then
    # holds only its first SQL_HEAD_ROWS non-blank rows, enough to find the header.
    cells: object = None

    def whole_grid(self) -> pd.DataFrame:
        """Every row of the sheet: ``grid`` holds only the first rows of a plain CSV."""
        return self.grid if self.cells is None else self.cells.head(max(self.cells.rows, 1))


def read_tables(path: Path, display_name: str | None = None) -> list[RawTable]:
    """Read every sheet of ``path``; raise InputError when the file cannot be read at all."""
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise InputError(f"bestand niet gevonden: {path}", file=name)
    data = path.read_bytes()
    if not data or data.isspace():  # only whitespace: what data.strip() takes off (no copy)
        raise InputError("het bestand is leeg", file=name)
    # the checksum of the bytes checked, for load_log: hashlib lets other threads run, so
    # it is computed while this one reads the file
    with ThreadPoolExecutor(max_workers=1) as pool:
        checksum = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        suffix = path.suffix.lower()
        if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
            tables = _read_workbook(data, name)
        elif suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise InputError(
                "dit is een oud Excel-bestand (.xls); sla het op als .xlsx of als CSV", file=name
            )
        else:
            tables = [_read_text(data, name, path)]
        for table in tables:
            table.checksum = checksum.result()
    return tables


def _read_workbook(data: bytes, name: str) -> list[RawTable]:
    """Every sheet of a workbook, within etl.xlsx_caps: its size as listed in the zip and as
    each sheet declares it is checked before a row is read, and no row or column beyond the
    caps is ever read."""
    try:
        xlsx_caps.check_archive(data, name)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except UNREADABLE as exc:
        raise _unreadable(name, exc) from exc
    tables = []
    try:
        problems = xlsx_caps.declared_problems(workbook.worksheets, name)
        if problems:  # not a row read
            raise InputError(problems)
        for sheet in workbook.worksheets:
            try:
                grid = pd.DataFrame(xlsx_caps.read_rows(sheet, name), dtype=object)
            except InputError as err:
                problems += err.problems
                continue
            grid.index = pd.RangeIndex(1, len(grid) + 1)
            tables.append(RawTable(name, sheet.title, grid))
    except UNREADABLE as exc:  # a cell openpyxl cannot place, say
        raise _unreadable(name, exc) from exc
    finally:
        workbook.close()
    if problems:
        raise InputError(problems)
    return tables


def _unreadable(name: str, exc: Exception) -> InputError:
    return InputError(f"geen leesbaar Excel-werkboek (.xlsx): {type(exc).__name__}", file=name)


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) or cp1252 text; refuse binary files."""
    return _decode(data, name)[0]


def _decode(data: bytes, name: str) -> tuple[str, bool]:
    """decode_text, and whether the bytes were UTF-8."""
    if b"\x00" in data[:4096]:
        raise InputError(
            "dit is geen tekst- of CSV-bestand (het bevat binaire gegevens)", file=name
        )
    try:
        return data.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError(
            "de tekencodering is niet te herkennen; sla het bestand op als CSV UTF-8", file=name
        )
    text = str(best)
    if _control_characters(text) > 0.01 * max(len(text), 1):
        raise InputError(
            "dit is geen tekst- of CSV-bestand (het bevat binaire gegevens)", file=name
        )
    return text, False


def _control_characters(text: str) -> int:
    return sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")


def _read_text(data: bytes, name: str, source: Path | None = None) -> RawTable:
    text, utf8 = _decode(data, name)
    sample = "\n".join(_first_lines(text, 50))
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        dialect = None
    if dialect is None or dialect.delimiter not in DELIMITERS:
        delimiter = max(DELIMITERS, key=lambda d: sample.count(d))
        if sample.count(delimiter) == 0:
            raise InputError(
                "geen kolommen gevonden: verwacht een CSV met ; , of tab tussen de kolommen",
                file=name,
            )
        options = {"delimiter": delimiter}
    else:
        options = {"dialect": dialect}
        delimiter = dialect.delimiter
    fast = _sql_table(text, data, dialect, delimiter, sample, name, source if utf8 else None)
    if fast is not None:
        return fast
    reader = csv.reader(io.StringIO(text, newline=""), options.pop("dialect", "excel"), **options)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(
            f"het CSV-bestand is niet te lezen: {exc}",
            file=name,
        ) from exc
    grid = pd.DataFrame(rows, dtype=object)
    grid.index = pd.RangeIndex(1, len(grid) + 1)
    grid = grid.map(lambda v: None if v is None or (isinstance(v, str) and not v.strip()) else v)
    return RawTable(name, None, grid, decimal_comma=_uses_decimal_comma(grid, delimiter))


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` non-blank lines (``text.splitlines()`` without splitting it all)."""
    size = 1 << 16
    while size < len(text):
        lines = text[:size].splitlines()[:-1]  # the last one may be cut off
        filled = [line for line in lines if line.strip()]
        if len(filled) >= count:
            return filled[:count]
        size *= 4
    return [line for line in text.splitlines() if line.strip()][:count]


def _sql_table(text, data, dialect, delimiter, sample, name, source) -> RawTable | None:
    """The grid in DuckDB (etl.csv_sql) when the text is plain enough for DuckDB to split it
    exactly as the csv module does; None otherwise (and when DuckDB cannot). ``source``: the
    file, when DuckDB may read it as it is (UTF-8)."""
    from etl import csv_sql

    width = max(line.count(delimiter) for line in sample.splitlines()) + 1
    grid = csv_sql.SqlGrid.read_plain(text, data, source, dialect, delimiter, width)
    if grid is None:
        return None
    head = grid.head(SQL_HEAD_ROWS)
    # the number style of the first rows; etl.csv_sql.validate decides it from every cell
    return RawTable(name, None, head, _uses_decimal_comma(head, delimiter), grid)


def _uses_decimal_comma(grid: pd.DataFrame, delimiter: str) -> bool:
    """Whether numbers in this text file are written the Dutch way (1.234,50)."""
    dutch, english = _number_styles(grid.stack().astype(str))
    return _decide_decimal_comma(dutch, english, delimiter)


def _number_styles(cells: pd.Series) -> tuple[int, int]:
    """How many cells hold a Dutch number (1.234,50) and how many an English one (1,234.50)."""
    dutch = cells.str.fullmatch(DUTCH_NUMBER).sum()
    english = cells.str.fullmatch(ENGLISH_NUMBER).sum()
    return int(dutch), int(english)


def _decide_decimal_comma(dutch: int, english: int, delimiter: str) -> bool:
    if delimiter == ",":
        return False if english or not dutch else dutch > english
    return dutch >= english and dutch > 0
