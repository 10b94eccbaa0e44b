"""Excel and CSV downloads: formatted sheets, Dutch headers, formula injection neutralised."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell neutralised; numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def to_excel(sheets: Mapping[str, pd.DataFrame], formats: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx workbook, one formatted sheet per frame; ``formats`` maps column -> kind.

    Kinds: 'euro' (€ #.##0), 'fraction' (0,0%), 'number' (#.##0), 'decimal' (0,00).
    """
    formats = formats or {}
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        book = writer.book
        styles = {
            "euro": book.add_format({"num_format": "€ #,##0;€ -#,##0"}),
            "fraction": book.add_format({"num_format": "0.0%"}),
            "number": book.add_format({"num_format": "#,##0"}),
            "decimal": book.add_format({"num_format": "0.00"}),
        }
        header = book.add_format({"bold": True, "bg_color": "#E8F1E8", "border": 1})
        for name, frame in sheets.items():
            safe = safe_frame(frame)
            sheet_name = name[:31]
            # strings_to_formulas is off below, but neutralising keeps a re-save by Excel safe too
            safe.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            for position, column in enumerate(safe.columns):
                sheet.write(0, position, str(column), header)
                width = (
                    min(
                        max(len(str(column)), *(len(str(v)) for v in safe[column].head(200)))
                        if len(safe)
                        else len(str(column)),
                        50,
                    )
                    + 2
                )
                sheet.set_column(position, position, width, styles.get(formats.get(column, "")))
            sheet.freeze_panes(1, 0)
            if len(safe):
                sheet.autofilter(0, 0, len(safe), len(safe.columns) - 1)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV as Dutch Excel reads it: ';' separated, decimal comma, UTF-8 with BOM."""
    return safe_frame(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
