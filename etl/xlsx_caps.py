"""Caps on the size of an Excel workbook, checked before and while it is read: a small file
that declares or holds a huge sheet is refused instead of filling memory (CSV has no caps)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl.utils import get_column_letter

from etl.errors import InputError, Problem
from etl.messages import N_, Number
from etl.sheet_spec import sheet_specs

# Rows per sheet: an enterprise's monthly figures for decades or thousands of activities a
# year fit many times over; larger sets go as CSV, which DuckDB reads without this cap.
MAX_ROWS = 100_000
# Columns per sheet: the template's widest sheet has about 17; the rest is room for empty
# formatted columns. Anything wider is not an enterprise file.
MAX_COLUMNS = 50
# The workbook's parts unpacked: a sheet of MAX_ROWS rows of the financien columns is ~70 MB.
MAX_UNPACKED_MB = 100
# How many times a part may have shrunk in the zip: Excel's parts shrink some 3 to 20 times,
# a zip bomb a thousand. Small parts (styles, themes) cost nothing and are not checked.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024


def check_archive(data: bytes, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_MB, or a part of which
    shrank more than MAX_RATIO times, before anything is unpacked. Python's zipfile never
    unpacks a part beyond the size it is listed with, so the list is a bound."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if unpacked > MAX_UNPACKED_MB * 1024 * 1024:
        message = N_(
            "uitgepakt is dit werkboek {size} MB; Wijkimpact leest hoogstens {max} MB per "
            "werkboek. Verwijder lege rijen en kolommen (selecteer ze en kies Verwijderen) en "
            "afbeeldingen, splits het werkboek (bijvoorbeeld per jaar) of sla de bladen op als "
            "CSV: daarvoor geldt deze grens niet"
        )
        size = {"size": Number(unpacked / 1024 / 1024, 1), "max": Number(MAX_UNPACKED_MB)}
        raise InputError(Problem(name, None, None, None, None, message, size))
    for part in parts:
        if part.file_size > RATIO_FROM_BYTES and part.file_size > MAX_RATIO * part.compress_size:
            message = N_(
                "een deel van dit werkboek is uitgepakt {ratio} keer zo groot als in het bestand; "
                "Wijkimpact leest niets dat meer dan {max} keer samengeperst is. Open het in "
                "Excel en sla het opnieuw op, of sla de bladen op als CSV"
            )
            ratio = {
                "ratio": Number(part.file_size / max(part.compress_size, 1)),
                "max": Number(MAX_RATIO),
            }
            raise InputError(Problem(name, None, None, None, part.filename, message, ratio))


def declared_problems(sheets: Iterable, name: str) -> list[Problem]:
    """A problem for every sheet whose own statement of its size (its <dimension>, which
    openpyxl reads without reading the rows) passes a cap."""
    problems = []
    for sheet in sheets:
        rows, columns = sheet.max_row, sheet.max_column
        if not rows or not columns:  # the file does not say: the rows read are checked
            continue
        ref = sheet.calculate_dimension()
        if columns > MAX_COLUMNS:
            problems.append(too_wide(name, sheet.title, None, columns, ref))
        elif rows > MAX_ROWS:
            problems.append(too_long(name, sheet.title, ref))
    return problems


def read_rows(sheet, name: str) -> list[tuple]:
    """Every row of a read-only sheet, as wide as the widest row that has a cell, reading
    no row or column beyond the caps whatever the sheet declares; InputError when a cell (even
    an empty formatted one) or a row lies beyond them."""
    sheet.reset_dimensions()  # rows as they are in the file: no padding to a declared size
    rows: list[tuple] = []
    for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if row_number > MAX_ROWS:  # a row here, or a gap openpyxl fills before a later row
            raise InputError(too_long(name, sheet.title, None))
        if len(row) > MAX_COLUMNS:  # a row is as wide as its last cell
            raise InputError(too_wide(name, sheet.title, row_number, len(row), None))
        rows.append(row)
    width = max((len(row) for row in rows), default=0)
    return [(*row, *(None,) * (width - len(row))) for row in rows]


def too_wide(name: str, sheet: str, row: int | None, columns: int, ref: str | None) -> Problem:
    """A sheet with a cell in column ``columns``, beyond MAX_COLUMNS (``ref``: as declared)."""
    message = N_(
        "het blad loopt door tot kolom {kolom}; Wijkimpact leest hoogstens {max} kolommen per "
        "blad (het sjabloon gebruikt er hoogstens {sjabloon}). Verwijder de kolommen rechts van "
        "de gegevens, ook als ze leeg lijken (selecteer ze en kies Verwijderen), en sla het "
        "bestand opnieuw op"
    )
    params = {
        "kolom": get_column_letter(columns),
        "max": Number(MAX_COLUMNS),
        "sjabloon": Number(max(len(spec.columns) for spec in sheet_specs().values())),
    }
    column = get_column_letter(columns) if row is not None else None
    return Problem(name, sheet, row, column, ref, message, params)


def too_long(name: str, sheet: str, ref: str | None) -> Problem:
    """A sheet with rows beyond MAX_ROWS (``ref``: as declared)."""
    message = N_(
        "het blad loopt door voorbij rij {max}; Wijkimpact leest hoogstens {max} rijen per "
        "Excel-blad. Verwijder de rijen onder de gegevens, ook als ze leeg lijken (selecteer ze "
        "en kies Verwijderen), splits het blad (bijvoorbeeld per jaar) of sla het op als CSV: "
        "daarvoor geldt deze grens niet"
    )
    return Problem(name, sheet, None, None, ref, message, {"max": Number(MAX_ROWS)})
