"""Byte-exact writers for the demo files: GeoJSON, CSV in several dialects and xlsx."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import xlsxwriter

# A fixed creation date: it also fixes the timestamps inside the xlsx zip container.
XLSX_CREATED = datetime(2025, 1, 1)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes to path, creating its folder; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def geojson_bytes(collection: dict) -> bytes:
    """Return a GeoJSON object as compact UTF-8 JSON with a final newline."""
    text = json.dumps(collection, ensure_ascii=False, indent=None, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def csv_bytes(
    rows: list[list[str]],
    *,
    delimiter: str,
    lineterminator: str,
    encoding: str,
    quote_all: bool = False,
) -> bytes:
    """Return rows of strings as CSV bytes with the given dialect and encoding."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=lineterminator,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def dutch_amount(cents: int) -> str:
    """Format an amount in cents the way Dutch Excel saves it in a CSV: 12.345,67."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"


@dataclass
class Sheet:
    """One worksheet: name, column names, rows (dicts), number formats, optional title row."""

    name: str
    columns: tuple[str, ...]
    rows: list[dict]
    formats: dict[str, str] = field(default_factory=dict)
    title: str | None = None


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """Return a workbook with the sheets: bold headers, numeric cells, fitted column widths.

    With a title the sheet gets the title in row 1, an empty row 2 and the header in row 3.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_urls": False})
    workbook.set_properties(
        {"title": "Demostad (fictief)", "author": "Wijkimpact demo", "created": XLSX_CREATED}
    )
    bold = workbook.add_format({"bold": True})
    title_format = workbook.add_format({"bold": True, "font_size": 14})
    formats = {}
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.name)
        header_row = 0
        if sheet.title:
            worksheet.write_string(0, 0, sheet.title, title_format)
            header_row = 2
        widths = [len(c) for c in sheet.columns]
        for col, name in enumerate(sheet.columns):
            worksheet.write_string(header_row, col, name, bold)
        for offset, row in enumerate(sheet.rows, start=1):
            for col, name in enumerate(sheet.columns):
                value = row[name]
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    worksheet.write_string(header_row + offset, col, value)
                    widths[col] = max(widths[col], len(value))
                    continue
                number_format = sheet.formats.get(name)
                if number_format and number_format not in formats:
                    formats[number_format] = workbook.add_format({"num_format": number_format})
                worksheet.write_number(header_row + offset, col, value, formats.get(number_format))
                shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
                widths[col] = max(widths[col], len(shown))
        for col, width in enumerate(widths):
            worksheet.set_column(col, col, min(width, 60) + 2)
        worksheet.freeze_panes(header_row + 1, 0)
    workbook.close()
    return buffer.getvalue()
