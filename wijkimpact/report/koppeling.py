"""The koppeling an enterprise fills in when its auditfile has accounts without a category: the
sheet grootboek, pre-filled with a category suggested by each account's description, which the
enterprise checks and uploads beside the auditfile."""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from etl.api import KOPPELING_IGNORE, sheet_specs

FILE_NAME = "wijkimpact_koppeling.xlsx"
COLUMNS = ("onderneming", "rekening", "omschrijving", "categorie")
WIDTHS = (16, 12, 44, 28)
LAST_ROW = 1000


def categories() -> list[str]:
    """What the column categorie accepts: a financien category, or negeren."""
    finance = sheet_specs()["financien"].columns
    return [c.name for c in finance if c.type == "amount"] + [KOPPELING_IGNORE]


def build_koppeling(rows: pd.DataFrame) -> bytes:
    """The .xlsx with sheet grootboek: ``rows`` (onderneming, rekening, omschrijving,
    categorie) as text, and a dropdown of the categories."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    text = book.add_format({"num_format": "@"})
    header = book.add_format({"bold": True, "bg_color": "#B7D7B7", "border": 1})
    sheet = book.add_worksheet("grootboek")
    for position, (name, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True)):
        sheet.set_column(position, position, width, text)
        sheet.write_string(0, position, name, header)
    for row, values in enumerate(rows[list(COLUMNS)].itertuples(index=False), start=1):
        for position, value in enumerate(values):
            sheet.write_string(row, position, "" if value is None else str(value), text)
    sheet.data_validation(
        1,
        3,
        LAST_ROW,
        3,
        {
            "validate": "list",
            "source": categories(),  # in the rule itself (under Excel's 255 characters): no
            # sheet of its own, which a load would report as skipped
            "error_message": "Kies een categorie uit de lijst, of negeren.",
        },
    )
    sheet.write_comment(
        0,
        3,
        "Voorgesteld uit de omschrijving van de rekening: controleer elke regel. negeren = "
        "de rekening telt niet mee.",
        {"x_scale": 2},
    )
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
