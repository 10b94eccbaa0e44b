"""Read the raw grids of a spreadsheet file (xlsx, or CSV/TXT in any common dialect)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import openpyxl
import pandas as pd

from etl.errors import InputError

TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CANDIDATE_ENCODINGS = ["utf_8", "cp1252"]
DELIMITERS = ";,\t|"


@dataclass
class RawTable:
    """One sheet as the user sees it: a grid of cells, row 1 being the first line."""

    file: str
    sheet: str | None  # None for a CSV file
    grid: pd.DataFrame  # object dtype, positional columns, index = Excel row number
    decimal_comma: bool = False  # text files only: numbers are written 1.234,50


def read_tables(path: Path, display_name: str | None = None) -> list[RawTable]:
    """Read every sheet of ``path``; raise InputError when the file cannot be read at all."""
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise InputError(f"bestand niet gevonden: {path}", file=name)
    data = path.read_bytes()
    if not data.strip():
        raise InputError("het bestand is leeg", file=name)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES or data[:4] == b"PK\x03\x04":
        return _read_workbook(data, name)
    if suffix == ".xls" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise InputError(
            "dit is een oud Excel-bestand (.xls); sla het op als .xlsx of als CSV", file=name
        )
    return [_read_text(data, name)]


def _read_workbook(data: bytes, name: str) -> list[RawTable]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise InputError(
            f"geen leesbaar Excel-werkboek (.xlsx): {type(exc).__name__}", file=name
        ) from exc
    tables = []
    try:
        for sheet in workbook.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            grid = pd.DataFrame(rows, dtype=object)
            grid.index = pd.RangeIndex(1, len(grid) + 1)
            tables.append(RawTable(name, sheet.title, grid))
    finally:
        workbook.close()
    return tables


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM) or cp1252 text; refuse binary files."""
    if b"\x00" in data[:4096]:
        raise InputError(
            "dit is geen tekst- of CSV-bestand (het bevat binaire gegevens)", file=name
        )
    try:
        return data.decode("utf-8-sig")
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
    return text


def _control_characters(text: str) -> int:
    return sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")


def _read_text(data: bytes, name: str) -> RawTable:
    text = decode_text(data, name)
    lines = [line for line in text.splitlines() if line.strip()]
    sample = "\n".join(lines[:50])
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
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    else:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        delimiter = dialect.delimiter
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


def _uses_decimal_comma(grid: pd.DataFrame, delimiter: str) -> bool:
    """Whether numbers in this text file are written the Dutch way (1.234,50)."""
    cells = grid.stack().astype(str)
    dutch = cells.str.fullmatch(r"\s*(€\s*)?-?[\d.]*\d,(\d{1,2}|-)\s*").sum()
    english = cells.str.fullmatch(r"\s*(€\s*)?-?[\d,]*\d\.\d{1,2}\s*").sum()
    if delimiter == ",":
        return False if english or not dutch else dutch > english
    return dutch >= english and dutch > 0
