"""The rules for the cells of enterprise sheets, each stated once: SQL over a cell's text (every
input is first a grid of text in DuckDB, etl.grid), and the message that says what is wrong.

A rule turns the stripped text ``t`` of a cell (never NULL: blank cells are the sheet's
concern) into its parsed value ``p``; NULL there means the text is not of the form (message
``invalid``). Then its checks run in order on ``t`` and ``p``; the first that holds is the
cell's problem. etl.sheet_check applies the rules to each column's distinct cells once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from etl.sheet_spec import amount_columns

MIN_YEAR = 2000  # financial years, reinvestments and activity dates
MIN_FOUNDED = 1800  # founding years: bewonersbedrijven since the 1980s, older buildings
NL_LAT = (50.6, 53.7)
NL_LON = (3.2, 7.3)
TRUE_WORDS = ("ja", "j", "yes", "y", "true", "waar", "1", "x")
FALSE_WORDS = ("nee", "n", "no", "false", "onwaar", "0")
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")
EXCEL_SERIALS = (20_000, 80_000)  # a 5-digit day number between these: an Excel date
CODES_SEPARATOR = ", "  # how a list of codes (werkgebied) is stored: WK020201, WK020202
# Whitespace is what Python's str.strip() takes off (str.isspace()); WS: the same as the
# body of a regular expression's character class.
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
WS = "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE)
# Numbers written the Dutch way (1.234,50) and the English way (1,234.50): which of the two a
# text file's cells use more decides how it is read (decide_decimal_comma)
DUTCH_STYLE = rf"[{WS}]*(€[{WS}]*)?-?[0-9.]*[0-9],([0-9]{{1,2}}|-)[{WS}]*"
ENGLISH_STYLE = rf"[{WS}]*(€[{WS}]*)?-?[0-9,]*[0-9]\.[0-9]{{1,2}}[{WS}]*"
DUTCH_AMOUNT = r"-?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,([0-9]+|-))?"
ENGLISH_AMOUNT = r"-?([0-9]{1,3}(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?|-?[0-9]+,-"
# a Dutch amount in a file of English numbers (typed as text in a workbook: 1.234,50 or 12,5)
# is unambiguous when the part after the comma has one or two digits or is '-'
UNAMBIGUOUS_DUTCH = r"-?([0-9]{1,3}(\.[0-9]{3})*|[0-9]+),([0-9]{1,2}|-)"
DECIMAL = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"  # what becomes a whole number
REQUIRED = "dit veld is verplicht maar leeg"  # a blank cell in a required column
# what a blank cell of these (database) columns stores
DEFAULTS = {"public": "false", "public_partial": "false"}
SQL_TYPES = {  # the type of each cell type's value
    "text": "VARCHAR",
    "id": "VARCHAR",
    "wijkcode": "VARCHAR",
    "wijkcodes": "VARCHAR",  # the codes joined by CODES_SEPARATOR
    "year": "BIGINT",
    "founding_year": "BIGINT",
    "month": "BIGINT",
    "count": "BIGINT",
    "amount": "DOUBLE",
    "hours": "DOUBLE",
    "area_m2": "DOUBLE",
    "percentage": "DOUBLE",
    "latitude": "DOUBLE",
    "longitude": "DOUBLE",
    "date": "DATE",
    "bool": "BOOLEAN",
    "category": "VARCHAR",  # a finance category (grootboek), in lower case
}
NO_WIJKEN = " (er zijn nog geen wijken geladen: python -m etl areas)"
CODES_EXPECTED = (
    ": verwacht CBS-wijkcodes zoals WK020207, gescheiden door komma's, puntkomma's of spaties"
)


@dataclass
class Context:
    """What the database already knows, to check references against."""

    enterprises: set[str] = field(default_factory=set)
    wijken: set[str] = field(default_factory=set)
    max_year: int = field(default_factory=lambda: dt.date.today().year)
    # an enterprise's name as it may be written in the onderneming column (name_key) -> its id
    names: dict[str, str] = field(default_factory=dict)


def name_key(name: str) -> str:
    """An enterprise's name as the onderneming column matches it: case and runs of spaces do
    not count (the SQL of the rule for ids does the same to a cell)."""
    return " ".join(name.split()).lower()


@dataclass(frozen=True)
class Check:
    """A problem a parsed cell may have: ``condition`` (SQL over t and p) and its message,
    which may name ``detail`` (SQL). Its value is kept for the checks across rows, or not."""

    condition: str
    message: str
    keeps_value: bool = False
    detail: str | None = None


@dataclass(frozen=True)
class Rule:
    """How a cell type is read: ``text`` (SQL over t) gives x, ``parsed`` (SQL over x) the
    value p; ``value`` (SQL over p) is what is stored. ``lists``: its checks name the list
    known.wijken (the other known values are tables)."""

    parsed: str
    invalid: str | None = None
    checks: tuple[Check, ...] = ()
    text: str = "t"
    value: str = "p"
    lists: bool = False


def stripped(cell: str) -> str:
    """SQL: the cell without whitespace around it; NULL when nothing else is left. (A cell
    that begins and ends with a visible ASCII character has none: no regular expression.)"""
    plain = f"ord({cell}) between 33 and 126 and ord(right({cell}, 1)) between 33 and 126"
    strip = f"nullif(regexp_replace({cell}, '^[{WS}]+|[{WS}]+$', '', 'g'), '')"
    return f"(case when {plain} then {cell} else {strip} end)"


def is_blank(cell: str) -> str:
    """SQL: whether a (non-NULL) cell holds only whitespace (it begins with some, then)."""
    return f"(not ord({cell}) between 33 and 126 and regexp_full_match({cell}, '[{WS}]*'))"


def key_text(text: str) -> str:
    """SQL: a key cell's text as keys compare (in upper case; ß as SS, as str.upper has it)."""
    return f"upper(replace({text}, 'ß', 'ss'))"


def style_counts(table: str) -> str:
    """SQL: how many cells of ``table`` (a query of distinct cells ``raw`` that occur ``n``
    times) look Dutch (1.234,50) and how many English (1,234.50)."""
    dutch = f"contains(raw, ',') and regexp_full_match(raw, {_lit(DUTCH_STYLE)})"
    english = f"contains(raw, '.') and regexp_full_match(raw, {_lit(ENGLISH_STYLE)})"
    return (
        f"select coalesce(sum(n) filter (where {dutch}), 0), "
        f"coalesce(sum(n) filter (where {english}), 0) from {table}"
    )


def decide_decimal_comma(dutch: int, english: int, delimiter: str) -> bool:
    """Whether a text file's numbers are written the Dutch way, from how many of its cells look
    Dutch and English; a comma-separated file needs more to be Dutch."""
    if delimiter == ",":
        return False if english or not dutch else dutch > english
    return dutch >= english and dutch > 0


def rule(kind: str, column: str, decimal_comma: bool, context: Context) -> Rule:
    """The rule of cells of type ``kind`` in column ``column``. Checks name the tables
    known_ids (id) and known_wijken (code), and the list known.wijken."""
    year = context.max_year
    if kind == "text" or (kind == "id" and column == "id"):
        return Rule("t")
    if kind == "id":  # the id, or the enterprise's own name (known_names: name_key -> id)
        message = (
            "onbekende onderneming: dit id staat niet in de database en niet in het blad "
            "ondernemingen"
        )
        by_name = (
            f"(select id from known_names where name = lower(regexp_replace(t, '[{WS}]+', ' ', "
            "'g')))"
        )
        return Rule(
            f"coalesce({by_name}, t)",
            checks=(Check("p not in (select id from known_ids)", message, True),),
        )
    hint = "" if context.wijken else NO_WIJKEN
    if kind == "wijkcode":
        message = "onbekende wijkcode: verwacht een CBS-wijkcode zoals WK020207" + hint
        check = Check("p not in (select code from known_wijken)", message, True)
        return Rule("upper(replace(t, ' ', ''))", checks=(check,))
    if kind == "wijkcodes":
        return _codes_rule(hint)
    if kind == "amount":
        message = "geen bedrag: verwacht een getal zoals 1234,50 of € 1.234"
        return Rule(_amount(decimal_comma), message, text=_number_text("t"))
    if kind in ("year", "founding_year", "month", "count"):
        low, high, message = {
            "year": (MIN_YEAR, year, f"jaar moet tussen {MIN_YEAR} en {year} liggen"),
            "founding_year": (
                MIN_FOUNDED,
                year,
                f"oprichtingsjaar moet tussen {MIN_FOUNDED} en {year} liggen",
            ),
            "month": (1, 12, "maand moet 1 tot en met 12 zijn, of leeg voor een heel jaar"),
            "count": (0, None, "moet een heel getal van 0 of meer zijn"),
        }[kind]
        whole = "case when isfinite(x) and x = floor(x) then try_cast(x as bigint) end"
        number = f"case when regexp_full_match(t, {_lit(DECIMAL)}) then try_cast(t as double) end"
        invalid = message if kind == "month" else "geen heel getal"
        return Rule(whole, invalid, _range(low, high, message), text=number)
    if kind in ("latitude", "longitude"):  # every decimal kept; a comma or a point
        low, high = NL_LAT if kind == "latitude" else NL_LON
        name = "breedtegraad" if kind == "latitude" else "lengtegraad"
        degrees = "case when regexp_full_match(x, '-?[0-9]+([.,][0-9]+)?') then "
        degrees += "cast(replace(x, ',', '.') as double) end"
        message = f"{name} moet in Nederland liggen ({low}-{high})"
        invalid = "geen getal: verwacht graden zoals 51,987654 of 51.987654"
        return Rule(degrees, invalid, _range(low, high, message), text=_number_text("t"))
    if kind in ("hours", "area_m2", "percentage"):
        low, high, message = {
            "hours": (0, None, "moet 0 of meer zijn"),
            "area_m2": (0, None, "moet 0 of meer zijn"),
            "percentage": (0, 100, "moet een percentage van 0 tot en met 100 zijn"),
        }[kind]
        checks = _range(low, high, message)
        return Rule(_amount(decimal_comma), "geen getal", checks, text=_number_text("t"))
    if kind == "date":
        formats = "[" + ", ".join(_lit(f) for f in DATE_FORMATS) + "]"
        first, last = EXCEL_SERIALS
        serial = (  # Excel's day number of the date
            f"case when regexp_full_match(t, '[0-9]{{5}}') and try_cast(t as integer) > {first}"
            f" and try_cast(t as integer) < {last} then date '1899-12-30' + t::integer end"
        )
        date = f"coalesce(try_strptime(t, {formats})::date, {serial})"
        message = f"datum moet tussen {MIN_YEAR} en {year} liggen"
        invalid = "geen geldige datum: verwacht bijvoorbeeld 31-03-2024 of 2024-03-31"
        return Rule(date, invalid, (Check(f"year(p) not between {MIN_YEAR} and {year}", message),))
    if kind == "category":  # a financien column, or negeren
        names = [*amount_columns("financien"), "negeren"]
        message = "onbekende categorie: verwacht een van " + ", ".join(names)
        known = f"p not in ({', '.join(map(_lit, names))})"
        return Rule("lower(replace(x, ' ', '_'))", checks=(Check(known, message),))
    if kind == "bool":
        words = (
            f"case when lower(t) in ({', '.join(map(_lit, TRUE_WORDS))}) then true "
            f"when lower(t) in ({', '.join(map(_lit, FALSE_WORDS))}) then false end"
        )
        return Rule(words, "verwacht ja of nee")
    raise ValueError(f"unknown cell type {kind}")


def _codes_rule(hint: str) -> Rule:
    """A list of wijkcodes in one cell (werkgebied), separated by commas, semicolons or
    whitespace: in upper case, each once, in the order written; every one a known wijk."""
    split = f"list_filter(string_split_regex(upper(t), '[,;{WS}]+'), lambda c: c <> '')"
    unknown = "list_filter(p, lambda c: not list_contains(known.wijken, c))"
    detail = f"array_to_string({unknown}, ', ')"
    checks = (
        Check(f"len({unknown}) = 1", "onbekende wijkcode {detail}" + CODES_EXPECTED + hint),
        Check(f"len({unknown}) > 1", "onbekende wijkcodes {detail}" + CODES_EXPECTED + hint),
    )
    return Rule(
        "list_filter(x, lambda c, i: list_position(x, c) = i)",
        checks=tuple(Check(c.condition, c.message, True, detail) for c in checks),
        text=split,
        value=f"nullif(array_to_string(p, {_lit(CODES_SEPARATOR)}), '')",
        lists=True,
    )


def _number_text(t: str) -> str:
    """SQL: a number's text with € (before or after a minus sign) and spaces taken off."""
    x = f"regexp_replace({t}, '^(-?)[{WS}]*€[{WS}]*', '\\1')"
    x = f"regexp_replace({x}, '^€[{WS}]*(-?)', '\\1')"
    x = f"replace(replace({x}, chr(160), ''), ' ', '')"
    # the common case (none of these characters) without a regular expression
    return f"(case when regexp_matches({t}, '[€ \\x{{a0}}]') then {x} else {t} end)"


def _amount(decimal_comma: bool) -> str:
    """SQL over x: euros as 1234.5, 1.234,50, 1.234,- (Dutch in a file of Dutch numbers; in
    another only when unambiguous), rounded to cents."""
    x = "replace(x, ',-', '')"
    dutch = f"replace(replace({x}, '.', ''), ',', '.')"
    if decimal_comma:
        number = f"case when regexp_full_match(x, {_lit(DUTCH_AMOUNT)}) then {dutch} end"
    else:
        number = (
            f"case when regexp_full_match(x, {_lit(ENGLISH_AMOUNT)}) then replace({x}, ',', '') "
            f"when regexp_full_match(x, {_lit(UNAMBIGUOUS_DUTCH)}) then {dutch} end"
        )
    return f"round_even(try_cast({number} as double) * 100, 0) / 100"  # to even cents


def _range(low: float | None, high: float | None, message: str) -> tuple[Check, ...]:
    bounds = ([f"p < {low}"] if low is not None else []) + (
        [f"p > {high}"] if high is not None else []
    )
    return (Check(" or ".join(bounds), message),) if bounds else ()


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
