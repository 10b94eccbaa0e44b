"""Excel and CSV downloads: formatted sheets, Dutch headers, formula injection neutralised."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping

import pandas as pd

FORMULA_START = ("=", "+", "-", "@")
# a spreadsheet skips leading spaces and line breaks before a formula: ' =1+1', '\n=1+1'
CONTROL_START = ("\t", "\r", "\n")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # Excel refuses these in a sheet name
SHEET_MAX = 31


# a number written as text ('+0,08', '-1.234', '12,5%'): no formula, and an apostrophe before
# it would make a spreadsheet keep it as text
NUMBER_TEXT = re.compile(r"[+-]?[0-9][0-9.,]*%?")
DECIMALS = {"fraction": 4}  # decimals a download keeps per kind of column; amounts: cents


def neutralise(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe: text that
    starts with = + - @ (also after spaces or line breaks), a tab or a carriage return; not a
    number written as text."""
    if isinstance(value, str) and NUMBER_TEXT.fullmatch(value):
        return value
    if isinstance(value, str) and (
        value.startswith(CONTROL_START) or value.lstrip().startswith(FORMULA_START)
    ):
        return "'" + value
    return value


def sheet_names(names: Iterable[str]) -> list[str]:
    """Names Excel accepts for the sheets, in order: without / \\ [ ] : * ? and the apostrophe
    at either end, at most 31 characters, none empty, no two the same (Excel ignores case)."""
    out: list[str] = []
    taken = {"history"}  # Excel keeps this name for itself
    for number, name in enumerate(names, start=1):
        clean = SHEET_FORBIDDEN.sub("_", str(name)).strip(" '")[:SHEET_MAX].strip(" '")
        clean = clean or f"Blad{number}"
        unique, copy = clean, 1
        while unique.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            unique = clean[: SHEET_MAX - len(suffix)].rstrip() + suffix
        taken.add(unique.casefold())
        out.append(unique)
    return out


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and column name neutralised; numbers untouched."""
    out = frame.copy()
    out.columns = [neutralise(column) for column in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def rounded(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Numbers as a download holds them: amounts to the cent (no 973794.9800000001), fractions
    to four decimals, a column of whole numbers without decimals (no 1254,0)."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_float_dtype(out[column]):
            continue
        kind = (formats or {}).get(column, "")
        values = out[column].round(DECIMALS.get(kind, 2))
        present = values.dropna()
        if kind != "fraction" and len(present) and (present % 1 == 0).all():
            values = values.astype("Int64")
        out[column] = values
    return out


def to_excel(sheets: Mapping[str, pd.DataFrame], formats: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx workbook, one formatted sheet per frame; ``formats`` maps column -> kind.

    Kinds: 'euro' (€ #.##0), 'fraction' (0,0%), 'number' (#.##0), 'decimal' (0,00).
    """
    formats = formats or {}
    buffer = io.BytesIO()
    # text stays text: no formulas, and an address in a name or description is no link
    options = {"strings_to_formulas": False, "strings_to_urls": False, "in_memory": True}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        book = writer.book
        styles = {
            "euro": book.add_format({"num_format": "€ #,##0;€ -#,##0"}),
            "fraction": book.add_format({"num_format": "0.0%"}),
            "number": book.add_format({"num_format": "#,##0"}),
            "decimal": book.add_format({"num_format": "0.00"}),
        }
        header = book.add_format({"bold": True, "bg_color": "#E8F1E8", "border": 1})
        for sheet_name, frame in zip(sheet_names(sheets), sheets.values(), strict=True):
            safe = safe_frame(rounded(frame, formats))
            # strings_to_formulas is off above, but neutralising keeps a re-save by Excel safe too
            safe.to_excel(writer, sheet_name=sheet_name, index=False)
            sheet = writer.sheets[sheet_name]
            kinds = [formats.get(column, "") for column in frame.columns]
            for position, (column, kind) in enumerate(zip(safe.columns, kinds, strict=True)):
                sheet.write_string(0, position, str(column), header)
                width = (
                    min(
                        max(len(str(column)), *(len(str(v)) for v in safe[column].head(200)))
                        if len(safe)
                        else len(str(column)),
                        50,
                    )
                    + 2
                )
                sheet.set_column(position, position, width, styles.get(kind))
            sheet.freeze_panes(1, 0)
            if len(safe):
                sheet.autofilter(0, 0, len(safe), len(safe.columns) - 1)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame, formats: Mapping[str, str] | None = None) -> bytes:
    """CSV as Dutch Excel reads it: ';' separated, decimal comma, UTF-8 with BOM; a column of
    amounts with cents in two decimals (1254,00 beside 973794,98), of whole numbers in none."""
    formats = formats or {}
    out = rounded(frame, formats)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            decimals = DECIMALS.get(formats.get(column, ""), 2)
            out[column] = out[column].map(
                lambda v, d=decimals: "" if pd.isna(v) else f"{v:.{d}f}".replace(".", ",")
            )
    return safe_frame(out).to_csv(index=False, sep=";").encode("utf-8-sig")
