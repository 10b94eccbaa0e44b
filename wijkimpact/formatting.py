"""Dutch number formats through Babel: € 1.234.567, 68,5%, 12.345."""

from __future__ import annotations

import functools
import math
from contextvars import ContextVar

from babel import Locale
from babel.dates import get_month_names
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "nl_NL"
DASH = "–"
_locale: ContextVar[str] = ContextVar("locale", default=LOCALE)


def use_locale(locale: str) -> None:
    """Format numbers for ``locale`` (nl_NL or en_GB) in this script run."""
    _locale.set(locale)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# What babel.numbers.format_currency/format_decimal/format_percent do with a format of their
# own: parse the pattern and the locale, then apply the pattern. Each pattern and locale is
# parsed once here (a table of a few thousand amounts formats them again and again; euro()
# took 23.6 us a call, now 13.2 us).
@functools.cache
def _pattern(text: str) -> NumberPattern:
    return parse_pattern(text)


@functools.cache
def _parsed_locale(name: str) -> Locale:
    return Locale.parse(name)


def _format(value: float, pattern: str, locale: str, **currency) -> str:
    return _pattern(pattern).apply(value, _parsed_locale(locale), **currency)


def euro(value: float | None, decimals: int = 0) -> str:
    """€ 1.234.567 (whole euros by default); a dash when unknown."""
    if _missing(value):
        return DASH
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    pattern = f"¤ {digits};¤ -{digits}"  # the Dutch way (€ -1.234); English keeps the space
    return _format(value, pattern, _locale.get(), currency="EUR", currency_digits=False)


def percent(value: float | None, decimals: int = 1) -> str:
    """68,5% for a fraction 0.685; a dash when unknown."""
    if _missing(value):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return _format(value, pattern, _locale.get())


def number(value: float | None, decimals: int = 0, locale: str | None = None) -> str:
    """12.345 or 4,21; a dash when unknown. ``locale``: this one instead of the run's (a text
    that is always Dutch, such as the template's)."""
    if _missing(value):
        return DASH
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _format(value, pattern, locale or _locale.get())


def month_name(month: int) -> str:
    """The month's name: januari (Dutch), January (English)."""
    return get_month_names("wide", locale=_locale.get())[int(month)]


def signed(text: str) -> str:
    """Put an explicit + before a formatted positive change (Babel already writes the minus)."""
    if text.startswith(("-", "−", DASH)) or text.startswith("€ -"):
        return text
    return f"+{text}"


def change_percent(new: float | None, old: float | None) -> str | None:
    """Relative change as '+12,5%' or None when there is nothing to compare with."""
    if _missing(new) or _missing(old) or old == 0:
        return None
    return signed(percent((new - old) / abs(old)))


def change_points(new: float | None, old: float | None) -> str | None:
    """Change of a fraction in percentage points: '+2,1 %-punt'."""
    if _missing(new) or _missing(old):
        return None
    unit = " pp" if _locale.get().startswith("en") else " %-punt"
    return signed(number((new - old) * 100, 1)) + unit


def format_value(value: float | None, unit: str | None) -> str:
    """Format a value by the unit of its metric or indicator."""
    if unit == "euro":
        return euro(value)
    if unit == "fraction":
        return percent(value)
    if unit == "score":
        return number(value, 2)
    if unit in ("%", "x 1.000 euro", "gemiddelde"):
        return number(value, 1)
    return number(value)
