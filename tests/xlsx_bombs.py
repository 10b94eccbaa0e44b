"""Small Excel files that declare or hold a huge sheet, built for the tests of etl.xlsx_caps:
openpyxl writes a plain workbook, then its sheet's XML is rewritten in the zip."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import openpyxl

SHEET = "financien"
PART = "xl/worksheets/sheet1.xml"
CHUNK = b" " * (1024 * 1024)

# the widest sheet of the template, counted in the sheet list the ETL reads (one line a column)
with (Path(__file__).parents[1] / "etl" / "enterprise_sheets.csv").open(encoding="utf-8") as f:
    TEMPLATE_WIDTH = max(Counter(row["sheet"] for row in csv.DictReader(f)).values())


def workbook(extra_row: int | None = None) -> bytes:
    """A financien sheet of one enterprise year; ``extra_row``: one more cell that far down."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(["onderneming", "jaar", "maand", "verhuur"])
    sheet.append(["kroon", 2023, None, 1000])
    if extra_row:
        sheet.cell(extra_row, 1, "kroon")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def declares(ref: str, extra_row: int | None = 5000) -> bytes:
    """The workbook with its sheet's <dimension ref> set to ``ref`` (A1:XFD1048576, say)."""
    return _rewrite(
        workbook(extra_row), lambda xml: re.sub(rb'<dimension ref="[^"]*"', _dimension(ref), xml)
    )


def holds(cell: str, ref: str = "A1:D2") -> bytes:
    """The workbook with one more cell at ``cell`` (a row of its own after the others) while
    its <dimension> still says ``ref``: the file lies about its size."""
    column, row = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()
    new = f'<row r="{row}"><c r="{cell}"><v>1</v></c></row></sheetData>'.encode()

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"', _dimension(ref), xml)
        return xml.replace(b"</sheetData>", new)

    return _rewrite(workbook(), change)


def bomb(megabytes: int) -> bytes:
    """The workbook with ``megabytes`` MB of spaces in its sheet: a zip bomb of a few 100 kB."""
    return _rewrite(workbook(), lambda xml: xml, padding=megabytes)


def _dimension(ref: str) -> bytes:
    return f'<dimension ref="{ref}"'.encode()


def _rewrite(data: bytes, change: Callable[[bytes], bytes], padding: int = 0) -> bytes:
    """The zip ``data`` with the sheet's XML changed (and ``padding`` MB of spaces before its
    end, written in chunks)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            content = source.read(part.filename)
            if part.filename != PART:
                target.writestr(part, content)
                continue
            xml = change(content)
            head, tail = xml.split(b"</worksheet>")
            with target.open(PART, "w", force_zip64=True) as sheet:
                sheet.write(head)
                for _ in range(padding):
                    sheet.write(CHUNK)
                sheet.write(b"</worksheet>" + tail)
    return out.getvalue()
