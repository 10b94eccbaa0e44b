"""Vectorised parsers for the cell types of the enterprise sheets (amounts, dates, counts ...).

Each parser takes a Series of raw cells (str, int, float, datetime or None) and returns the
parsed Series plus a boolean mask of the cells that are filled in but not valid.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
from babel.numbers import get_decimal_symbol, get_group_symbol

NL_DECIMAL = get_decimal_symbol("nl_NL")  # ","
NL_GROUP = get_group_symbol("nl_NL")  # "."
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "waar", "1", "x"}
FALSE_WORDS = {"nee", "n", "no", "false", "onwaar", "0"}
CODES_SEPARATOR = ", "  # how a list of codes (werkgebied) is stored: WK020201, WK020202


def is_blank(cells: pd.Series) -> pd.Series:
    """Cells that hold nothing (None, NaN or only spaces)."""
    return cells.isna() | cells.astype(str).str.strip().eq("")


def parse_text(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text as written, stripped; integers from Excel lose their '.0'."""
    text = [_cell_text(v) for v in cells.astype(object)]
    text = pd.Series([t if t else None for t in text], index=cells.index, dtype=object)
    return text, pd.Series(False, index=cells.index)


def _cell_text(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _numbers_and_text(cells: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Blank cells; the values of cells that are numbers already (NaN elsewhere); the other
    filled cells as text without € and spaces, for the number parsers to read."""
    blank = is_blank(cells)
    numeric = cells.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    values = pd.Series(np.nan, index=cells.index, dtype="float64")
    values[numeric] = cells[numeric].astype("float64")
    text = cells[~numeric & ~blank].astype(str).str.strip()
    text = text.str.replace(r"^(-?)\s*€\s*", r"\1", regex=True).str.replace(
        r"^€\s*(-?)", r"\1", regex=True
    )
    text = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    return blank, values, text


def parse_amount(cells: pd.Series, decimal_comma: bool) -> tuple[pd.Series, pd.Series]:
    """Euro amounts: 1234.5, 1.234,50, € 1.234, 1.234,- (Dutch when ``decimal_comma``)."""
    blank, values, text = _numbers_and_text(cells)
    dutch = text.str.fullmatch(r"-?(\d{1,3}(\.\d{3})+|\d+)(,(\d+|-))?")
    english = text.str.fullmatch(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|-?\d+,-")
    if not decimal_comma:
        # a Dutch amount typed as text in a workbook (1.234,50 or 12,5): unambiguous when the
        # part after the comma has one or two digits or is '-'
        unambiguous = text.str.fullmatch(r"-?(\d{1,3}(\.\d{3})*|\d+),(\d{1,2}|-)")
        dutch = dutch & unambiguous & ~english
    ok = dutch if decimal_comma else english | dutch
    as_dutch = dutch if not decimal_comma else ok
    text = text.str.replace(",-", "", regex=False)
    text = text.where(
        ~as_dutch,
        text.str.replace(NL_GROUP, "", regex=False).str.replace(NL_DECIMAL, ".", regex=False),
    )
    text = text.where(as_dutch, text.str.replace(",", "", regex=False))
    parsed = pd.to_numeric(text.where(ok), errors="coerce")
    values[parsed.index] = parsed
    invalid = ~blank & values.isna()
    return values.round(2), invalid


def parse_integer(cells: pd.Series, low: float | None = None, high: float | None = None):
    """Whole numbers within [low, high]; returns (values as Int64, invalid, out of range)."""
    blank = is_blank(cells)
    numbers = pd.to_numeric(
        cells.map(lambda v: v.strip() if isinstance(v, str) else v), errors="coerce"
    )
    whole = numbers.notna() & (numbers == np.floor(numbers.fillna(0)))
    invalid = ~blank & ~whole
    out_of_range = pd.Series(False, index=cells.index)
    if low is not None:
        out_of_range |= whole & (numbers < low)
    if high is not None:
        out_of_range |= whole & (numbers > high)
    values = numbers.where(whole & ~out_of_range).astype("Int64")
    return values, invalid, out_of_range


def parse_number(cells: pd.Series, decimal_comma: bool, low=None, high=None):
    """Decimal numbers (hours, m², percentages); returns (values, invalid, out_of_range)."""
    values, invalid = parse_amount(cells, decimal_comma)
    return _within(values, invalid, low, high)


def parse_coordinate(cells: pd.Series, low=None, high=None):
    """Degrees (lat/lon) with every decimal kept: 51.987654 or 51,987654 (a comma is always
    the decimal sign here: degrees have no thousands); € and spaces are taken off as
    parse_amount does. Returns (values, invalid, out_of_range)."""
    blank, values, text = _numbers_and_text(cells)
    text = text[text.str.fullmatch(r"-?[0-9]+([.,][0-9]+)?").astype(bool)]
    values[text.index] = [float(t.replace(NL_DECIMAL, ".")) for t in text]
    invalid = ~blank & values.isna()
    return _within(values, invalid, low, high)


def _within(values: pd.Series, invalid: pd.Series, low, high):
    """(values inside [low, high], NaN outside; invalid; out_of_range)."""
    out_of_range = pd.Series(False, index=values.index)
    if low is not None:
        out_of_range |= values < low
    if high is not None:
        out_of_range |= values > high
    return values.where(~out_of_range), invalid, out_of_range


def parse_date(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates as 2024-03-31, 31-03-2024, 31/03/2024, Excel dates or Excel serial numbers."""
    blank = is_blank(cells)
    result = pd.Series(pd.NaT, index=cells.index, dtype="datetime64[us]")
    is_dt = cells.map(lambda v: isinstance(v, (dt.date, pd.Timestamp)))
    if is_dt.any():
        result[is_dt] = pd.to_datetime(cells[is_dt].map(_date_only))
    serial = cells.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    text = cells[~is_dt & ~blank & ~serial].astype(str).str.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"):
        todo = text[result[text.index].isna()]
        if todo.empty:
            break
        parsed = pd.to_datetime(todo, format=fmt, errors="coerce")
        result[parsed.index] = result[parsed.index].fillna(parsed)
    serial |= cells.map(
        lambda v: isinstance(v, str) and v.strip().isdigit() and len(v.strip()) == 5
    )
    numbers = pd.to_numeric(cells[serial & result.isna()], errors="coerce")
    numbers = numbers[(numbers > 20000) & (numbers < 80000)]
    result[numbers.index] = EXCEL_EPOCH + pd.to_timedelta(numbers.astype(int), unit="D")
    invalid = ~blank & result.isna()
    return result.dt.date.where(result.notna(), None), invalid


def _date_only(value: object) -> object:
    return value.date() if isinstance(value, dt.datetime) else value


def parse_bool(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ja/nee (also yes/no, true/false, 1/0)."""
    blank = is_blank(cells)
    words = (
        cells.map(lambda v: _cell_text(v))
        .astype(object)
        .map(lambda v: v.lower() if isinstance(v, str) else v)
    )
    values = words.map(lambda v: True if v in TRUE_WORDS else False if v in FALSE_WORDS else None)
    invalid = ~blank & values.isna()
    return values.astype(object), invalid


def normalise_code(cells: pd.Series) -> pd.Series:
    """CBS codes as CBS writes them: upper case, no spaces (WK0363AE)."""
    text, _ = parse_text(cells)
    return pd.Series(
        [v.replace(" ", "").upper() if isinstance(v, str) else None for v in text],
        index=cells.index,
        dtype=object,
    )


def split_codes(cells: pd.Series) -> pd.Series:
    """Several CBS codes in one cell, separated by commas, semicolons or spaces
    (``WK020201, wk020202;WK020203``): lists of codes in upper case, each once, in the order
    written; None for a blank cell (or one of only separators)."""
    text, _ = parse_text(cells)

    def codes(value: object) -> list[str] | None:
        if not isinstance(value, str):
            return None
        found = [code.upper() for code in re.split(r"[,;\s]+", value) if code]
        return list(dict.fromkeys(found)) or None

    return pd.Series([codes(v) for v in text], index=cells.index, dtype=object)
