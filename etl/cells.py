"""A cell as text: how the typed values of a workbook or a form (numbers, dates) are written
before they are checked (etl.cell_rules), and shown in a problem message."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd


def cell_text(value: object) -> str | None:
    """The text of a cell: strings as they are; whole numbers without '.0', other numbers with
    every digit and no exponent; dates (and the date of a date and time) as 2024-03-31; None
    for an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
        return np.format_float_positional(float(value), trim="-")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def parse_text(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cells as stripped text, None where empty (users files); and which are invalid (none)."""
    text = [cell_text(v) for v in cells.astype(object)]
    text = [t.strip() or None if t is not None else None for t in text]
    return pd.Series(text, index=cells.index, dtype=object), pd.Series(False, index=cells.index)
