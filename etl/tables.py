"""Read the sheets of a spreadsheet file (xlsx, or CSV/TXT in any common dialect) into grids
of text in DuckDB (etl.grid)."""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import openpyxl
import pandas as pd

from etl import xlsx_caps
from etl.cells import cell_text
from etl.errors import InputError
from etl.grid import Grid, scratch_connection

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CANDIDATE_ENCODINGS = ["utf_8", "cp1252"]
DELIMITERS = ";,\t|"
HEAD_ROWS = 50  # the first non-blank rows of a sheet in RawTable.grid, to find the header in
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError)


@dataclass
class RawTable:
    """One sheet as the user sees it: its cells as text in DuckDB, row 1 being the first line."""

    file: str
    sheet: str | None  # None for a CSV file
    cells: Grid
    delimiter: str | None = None  # a text file's (None: a workbook's sheet)
    checksum: str | None = None  # sha256 of the file's bytes

    @property
    def grid(self) -> pd.DataFrame:
        """The first HEAD_ROWS rows that are not blank (object cells, index = row number)."""
        return self.cells.head(HEAD_ROWS)

    def whole_grid(self) -> pd.DataFrame:
        """Every row of the sheet that is not blank."""
        return self.cells.head(max(self.cells.rows, 1))


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
                rows = xlsx_caps.read_rows(sheet, name)
            except InputError as err:
                problems += err.problems
                continue
            grid = Grid.from_rows([[cell_text(v) for v in row] for row in rows])
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


def _read_text(data: bytes, name: str, source: Path) -> RawTable:
    """A text file's grid: read by DuckDB as it is when it is plain UTF-8 (DuckDB refuses a
    file that is not), else decoded here and read by DuckDB or, when it has quotes, escapes or
    empty lines, split by the csv module."""
    if b"\x00" in data[:4096]:
        raise InputError("dit is geen tekst- of CSV-bestand (het bevat binaire gegevens)", name)
    sample = "\n".join(_first_lines(data, 50))
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
    width = max(line.count(delimiter) for line in sample.splitlines()) + 1
    plain = _plain(data, dialect)
    grid = _plain_grid(data, source, delimiter, width) if plain else None
    if grid is None:
        text, utf8 = _decode(data, name)
        if plain and not utf8:  # DuckDB reads UTF-8 only: a copy of the text in UTF-8
            with tempfile.TemporaryDirectory(prefix="wijkimpact-csv-") as tmp:
                copy = Path(tmp) / "text.csv"
                copy.write_text(text, encoding="utf-8", newline="")
                grid = _plain_grid(data, copy, delimiter, width)
    if grid is None:  # quotes, escapes or empty lines: the csv module splits it
        dialect = options.pop("dialect", "excel")
        reader = csv.reader(io.StringIO(text, newline=""), dialect, **options)
        try:
            grid = Grid.from_rows(list(reader))
        except csv.Error as exc:
            raise InputError(f"het CSV-bestand is niet te lezen: {exc}", file=name) from exc
    return RawTable(name, None, grid, delimiter)


def _first_lines(data: bytes, count: int) -> list[str]:
    """The first ``count`` non-blank lines of the text (decoded as UTF-8, a character that is
    not taken as one: enough to tell the dialect), without decoding it all."""
    size = 1 << 16
    while True:
        lines = data[:size].decode("utf-8-sig", errors="replace").splitlines()
        if size < len(data):
            lines = lines[:-1]  # the last one may be cut off
        filled = [line for line in lines if line.strip()]
        if len(filled) >= count or size >= len(data):
            return filled[:count]
        size *= 4


def _plain(data: bytes, dialect) -> bool:
    """Whether the text has no quote or escape characters, which DuckDB would not split as the
    csv module does (UTF-8 or cp1252: the characters looked for are ASCII, the same bytes)."""
    quotechar = (getattr(dialect, "quotechar", None) or '"') if dialect is not None else '"'
    if b'"' in data or quotechar.encode() in data:
        return False
    return dialect is None or not (
        dialect.skipinitialspace or (dialect.escapechar and dialect.escapechar.encode() in data)
    )


def _plain_grid(data: bytes, source: Path, delimiter: str, width: int) -> Grid | None:
    """The grid as DuckDB reads the UTF-8 file ``source`` (the text of ``data``), when it splits
    it exactly as the csv module would: every \\r in a \\r\\n line end and no empty line, which
    DuckDB skips; else None. DuckDB reads while Python looks at the bytes."""
    con = scratch_connection()
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(Grid.read_csv, source, delimiter, width, b"\r" in data, con)
        cr = data.count(b"\r")
        plain = not cr or cr == data.count(b"\r\n")
        if not plain:
            con.interrupt()
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        grid = reading.result()
    if not plain or grid is None or grid.rows != lines:
        con.close()
        return None
    return grid
