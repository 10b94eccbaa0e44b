"""CBS codes, the indicator catalogue and turning wide source columns into area_stat rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pandas as pd

CATALOGUE_FILE = Path(__file__).with_name("indicators.csv")
INDICATOR_COLUMNS = ["indicator", "label_nl", "label_en", "unit", "source", "higher_is_better"]
STAT_COLUMNS = ["area_code", "year", "indicator", "value"]

# CBS codes as CBS writes them; since 2022 Amsterdam uses letters (WK0363AE, BU0363AE01).
CODE_PATTERN = r"GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4}"
LEVEL_PREFIX = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}

# CBS writes "unknown" or "secret" as large negative numbers; any value at or below this is one.
SENTINEL_MAX = -99995.0
# Columns that describe a row rather than give a figure (compared after normalise(stem(name))).
META_STEMS = {
    "id",
    "fid",
    "objectid",
    "ogcfid",
    "shapelength",
    "shapearea",
    "shapeleng",
    "wijkenenbuurten",
    "gemeentenaam",
    "soortregio",
    "codering",
    "code",
    "naam",
    "indelingswijzigingwijkenenbuurten",
    "meestvoorkomendepostcode",
    "perioden",
    "jaar",
    "year",
    "gemeentecode",
    "wijkcode",
    "buurtcode",
    "gmcode",
    "wkcode",
    "bucode",
    "gmnaam",
    "wknaam",
    "bunaam",
    "gwbcode",
    "statcode",
    "statnaam",
    "regio",
    "regiocode",
    "gebiedscode",
    "wijknaam",
    "buurtnaam",
    "water",
    "jrstatcode",
}
YEAR_IN_NAME = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


def normalise(name: str) -> str:
    """Compare column names case- and punctuation-free: 'aantal_inwoners' == 'AantalInwoners'."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def stem(name: str) -> str:
    """Strip a StatLine suffix: 'AantalInwoners_5' -> 'AantalInwoners', 'pdok_0_15' stays.

    The suffix is only taken off when the part before it ends in a word with a letter, so
    age-band names such as '0_15' or 'Pop_Age_0_15' are left alone.
    """
    name = str(name).strip()
    match = re.fullmatch(r"(.*?([^_]*))_\d+", name)
    if match and re.search(r"[A-Za-z]", match.group(2)):
        return match.group(1)
    return name


def snake_case(name: str) -> str:
    """Indicator name for a column outside the catalogue: 'GehuwdTotaal_14' -> 'gehuwd_totaal'."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", stem(name))
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") or "kolom"


@cache
def catalogue() -> pd.DataFrame:
    """The indicator catalogue of etl/indicators.csv, one row per indicator.

    Age groups: StatLine (``k_0Tot15Jaar``) and the Amsterdam files give counts, PDOK and the
    wijk- en buurtkaart give percentages. Both are kept as they are published, as separate
    indicators ``aantal_0_15`` ... and ``pct_0_15`` ...: nothing is derived or rounded here.
    """
    table = pd.read_csv(CATALOGUE_FILE, dtype=str, keep_default_na=False)
    table["higher_is_better"] = table["higher_is_better"].map(
        {"true": True, "false": False, "": None}
    )
    table["unit"] = table["unit"].replace("", None)
    return table


@cache
def _stem_index() -> dict[str, str]:
    index = {}
    for row in catalogue().itertuples():
        for name in [row.indicator, *row.stems.split("|")]:
            index.setdefault(normalise(name), row.indicator)
    return index


def match_indicator(column: str) -> str | None:
    """The catalogue indicator of a source column, by full name first and then by its stem."""
    index = _stem_index()
    return index.get(normalise(column)) or index.get(normalise(stem(column)))


def map_columns(columns: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map value columns to indicators; unknown ones get a snake_case name of their own.

    Returns the mapping and Dutch notes about columns skipped because an earlier column of
    the same file already gives that indicator.
    """
    mapping: dict[str, str] = {}
    taken: dict[str, str] = {}
    notes = []
    for column in columns:
        indicator = match_indicator(column) or snake_case(column)
        if indicator in taken:
            notes.append(
                f"kolom {column} overgeslagen: kolom {taken[indicator]} geeft al {indicator}"
            )
            continue
        taken[indicator] = column
        mapping[column] = indicator
    return mapping, notes


def indicator_rows(
    indicators: Iterable[str], labels: Mapping[str, str], source: str
) -> pd.DataFrame:
    """Rows for table `indicator`: catalogue entries, or the column name as label otherwise.

    The extra boolean column ``catalogue`` tells whether the row comes from the catalogue
    (and may overwrite an older definition) or was made up for an unknown column.
    """
    wanted = list(dict.fromkeys(indicators))
    known = catalogue().set_index("indicator")
    rows = []
    for name in wanted:
        if name in known.index:
            entry = known.loc[name]
            rows.append(
                [
                    name,
                    entry.label_nl,
                    entry.label_en,
                    entry.unit,
                    entry.source,
                    entry.higher_is_better,
                    True,
                ]
            )
        else:
            label = labels.get(name, name)
            rows.append([name, label, label, None, source, None, False])
    return pd.DataFrame(rows, columns=[*INDICATOR_COLUMNS, "catalogue"])


def clean_values(values: pd.DataFrame) -> pd.DataFrame:
    """Float columns with CBS sentinels (-99999999, -99997, ... any value <= -99995) as NaN."""
    numbers = values.astype("float64")
    return numbers.mask(numbers <= SENTINEL_MAX)


def to_long(
    frame: pd.DataFrame, mapping: Mapping[str, str], year: pd.Series | int | None
) -> pd.DataFrame:
    """Melt value columns of ``frame`` (with ``area_code``) into area_stat rows.

    Missing values stay as rows with a NULL value, so a newer file that no longer knows a
    figure replaces the old number; columns that are empty in the whole file are dropped.
    """
    if not mapping:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _STAT_DTYPES.items()})
    values = clean_values(frame[list(mapping)]).rename(columns=mapping)
    values = values.loc[:, values.notna().any()]
    values.insert(0, "area_code", frame["area_code"].to_numpy())
    values.insert(1, "year", year if not isinstance(year, pd.Series) else year.to_numpy())
    long = values.melt(id_vars=["area_code", "year"], var_name="indicator", value_name="value")
    return long.astype(_STAT_DTYPES)


_STAT_DTYPES = {"area_code": "str", "year": "Int64", "indicator": "str", "value": "float64"}


def empty_columns(frame: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The columns that have no number at all once sentinels are taken out."""
    columns = list(columns)
    if not columns:
        return []
    filled = clean_values(frame[columns]).notna().any()
    return [c for c in columns if not filled[c]]


def clean_codes(codes: pd.Series) -> pd.Series:
    """Area codes stripped of padding, upper case; blanks become NA."""
    text = codes.astype("str").str.strip().str.upper()
    return text.where(codes.notna() & text.ne(""))


def valid_codes(codes: pd.Series) -> pd.Series:
    """Which cleaned codes are CBS gemeente, wijk or buurt codes."""
    return codes.fillna("").str.fullmatch(CODE_PATTERN)


def level_of(codes: pd.Series) -> pd.Series:
    """gemeente / wijk / buurt from the code prefix."""
    return codes.str[:2].map(LEVEL_PREFIX)


def gemeente_of(codes: pd.Series) -> pd.Series:
    """The gemeente code inside any CBS code: WK020201 -> GM0202."""
    return "GM" + codes.str[2:6]


def year_from_name(name: str) -> int | None:
    """The single 4-digit year (19xx/20xx) in a file name, e.g. wijkenbuurten_2024.gpkg."""
    years = set(YEAR_IN_NAME.findall(Path(name).stem))
    return int(years.pop()) if len(years) == 1 else None


def normalise_gemeenten(codes: Iterable[str]) -> list[str]:
    """Gemeente codes as given on the command line: 'GM0202', 'gm0202' or '0202' -> 'GM0202'."""
    if isinstance(codes, str):
        codes = [codes]
    result = []
    for code in codes:
        text = str(code).strip().upper()
        if text.isdigit():
            text = f"GM{int(text):04d}"
        result.append(text)
    return list(dict.fromkeys(result))
