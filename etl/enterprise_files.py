"""Recognise, map and validate enterprise input files; collect every problem, not only the first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import cells
from etl.errors import InputError, Problem
from etl.sheet_spec import SheetSpec, normalise_name, sheet_specs
from etl.tables import RawTable, read_tables

MIN_YEAR = 2000  # financial years, reinvestments and activity dates
MIN_FOUNDED = 1800  # founding years: bewonersbedrijven since the 1980s, older buildings
HEADER_SEARCH_ROWS = 15
EXAMPLE_ID = "voorbeeld"  # rows of this enterprise are the template's examples: skipped
NL_LAT = (50.6, 53.7)
NL_LON = (3.2, 7.3)


@dataclass
class Context:
    """What the database already knows, to check references against."""

    enterprises: set[str] = field(default_factory=set)
    wijken: set[str] = field(default_factory=set)
    max_year: int = field(default_factory=lambda: dt.date.today().year)


@dataclass
class Sheet:
    """A recognised sheet: its kind, where it came from, and its cells under their Dutch names."""

    kind: str
    file: str
    sheet: str | None
    header_row: int
    raw: pd.DataFrame  # columns = spec names; index = Excel row numbers
    decimal_comma: bool
    data: pd.DataFrame | None = None  # parsed, database column names, plus 'row'
    examples: int = 0  # example rows of the template (enterprise 'voorbeeld') left out
    arrow: object = None  # CSV checked in DuckDB (etl.csv_sql): ``data`` as an Arrow table
    # etl.csv_sql: how many distinct keys, when parsed key values match key texts one to one
    distinct_keys: int | None = None


@dataclass
class ParsedFile:
    """Everything read from one file, validated."""

    file: str
    path: Path
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    checksum: str | None = None  # sha256 of the bytes read (None: compute it from the file)


def read_enterprise_files(paths: Iterable[Path], context: Context) -> list[ParsedFile]:
    """Read and validate several files as one batch; raise InputError listing every problem."""
    problems: list[Problem] = []
    parsed: list[ParsedFile] = []
    for path in paths:
        try:
            parsed.append(recognise_file(Path(path), problems))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    return validate_files(parsed, context)


def validate_files(parsed: list[ParsedFile], context: Context) -> list[ParsedFile]:
    """Parse and check every sheet of files recognised without a problem, as one batch (ids
    from any ondernemingen sheet count as known); raise InputError listing every problem."""
    problems: list[Problem] = []
    known = set(context.enterprises)
    for pf in parsed:
        for sheet in pf.sheets:
            if sheet.kind == "ondernemingen" and "id" in sheet.raw:
                ids, _ = cells.parse_text(sheet.raw["id"])
                known.update(i for i in ids if i)
    full = Context(known, context.wijken, context.max_year)
    for pf in parsed:
        for sheet in pf.sheets:
            sheet.data = validate_sheet(sheet, full, problems)
    if problems:
        raise InputError(sorted(problems, key=_position))
    return parsed


def _position(problem: Problem) -> tuple:
    return (problem.file, problem.sheet or "", problem.row or 0, problem.column or "")


def recognise_file(path: Path, problems: list[Problem], display_name: str | None = None):
    """Find the sheets of a file, their kind, header row and columns."""
    tables = read_tables(path, display_name)
    name = display_name or path.name
    sheets, notes = [], []
    for table in tables:
        sheet = _recognise_table(table, path, len(tables) == 1, problems)
        if sheet is None:
            if table.sheet:
                notes.append(f"blad {table.sheet!r} overgeslagen: geen bekend blad")
            continue
        sheets.append(sheet)
        if sheet.examples:
            where = f"blad {sheet.sheet}" if sheet.sheet else sheet.kind
            notes.append(f"{where}: {sheet.examples} voorbeeldrij(en) ({EXAMPLE_ID}) overgeslagen")
    if not sheets and not any(p.file == name for p in problems):
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                None,
                "geen herkenbaar blad gevonden: verwacht een kopregel met de kolommen van "
                "ondernemingen, financien, herinvesteringen, activiteiten of vastgoed",
            )
        )
    return ParsedFile(name, path, sheets, notes, tables[0].checksum if tables else None)


def _recognise_table(table: RawTable, path: Path, only: bool, problems: list[Problem]):
    grid = table.grid.dropna(how="all")
    if grid.empty:
        if only:
            problems.append(Problem(table.file, table.sheet, None, None, None, "het blad is leeg"))
        return None
    specs = sheet_specs()
    by_name = _kind_from_name(table.sheet) or (_kind_from_name(path.stem) if only else None)
    header_row, kind, matched = _find_header(grid, specs, by_name)
    if kind is None:
        if only or by_name:
            problems.append(
                Problem(
                    table.file,
                    table.sheet,
                    None,
                    None,
                    None,
                    "geen kopregel met bekende kolommen gevonden in de eerste "
                    f"{HEADER_SEARCH_ROWS} rijen",
                )
            )
        return None
    spec = specs[kind]
    lookup = spec.lookup()
    header = grid.loc[header_row]
    body = grid.loc[grid.index > header_row]
    columns: dict[str, pd.Series] = {}
    positions: dict[str, int] = {}
    for position, title in header.items():
        if cells.is_blank(pd.Series([title])).iloc[0]:
            in_body = (
                table.cells.has_data(position, header_row)
                if table.cells is not None
                else body[position].notna().any()
            )
            if in_body:
                problems.append(
                    Problem(
                        table.file,
                        table.sheet,
                        header_row,
                        _col_letter(position),
                        None,
                        "kolom zonder naam bevat gegevens",
                    )
                )
            continue
        column = lookup.get(normalise_name(title))
        if column is None:
            problems.append(
                Problem(
                    table.file,
                    table.sheet,
                    header_row,
                    str(title),
                    None,
                    f"onbekende kolom voor blad {kind}; verwacht een van: "
                    + ", ".join(c.name for c in spec.columns),
                )
            )
            continue
        if column.name in columns:
            problems.append(
                Problem(
                    table.file,
                    table.sheet,
                    header_row,
                    str(title),
                    None,
                    f"kolom {column.name} staat er twee keer in",
                )
            )
            continue
        columns[column.name] = body[position] if table.cells is None else None
        positions[column.name] = position
    for column in spec.columns:
        if column.required and column.name not in columns:
            problems.append(
                Problem(
                    table.file,
                    table.sheet,
                    header_row,
                    column.name,
                    None,
                    f"verplichte kolom {column.name} ontbreekt",
                )
            )
    if table.cells is not None:  # the rows below the header, blank ones left out, in DuckDB
        raw = table.cells.body(header_row, positions)
    else:
        raw = pd.DataFrame(columns, index=body.index)
        raw = raw.loc[~raw.apply(cells.is_blank).all(axis=1)] if len(raw.columns) else raw
    raw, examples = _without_examples(raw, spec)
    if raw.empty:
        only_examples = f" (alleen voorbeeldrijen van {EXAMPLE_ID})" if examples else ""
        problems.append(
            Problem(
                table.file,
                table.sheet,
                header_row,
                None,
                None,
                f"geen gegevensrijen onder de kopregel{only_examples}: er is niets geladen",
            )
        )
    sheet = Sheet(kind, table.file, table.sheet, header_row, raw, table.decimal_comma)
    sheet.examples = examples
    return sheet


def _without_examples(raw: pd.DataFrame, spec: SheetSpec) -> tuple[pd.DataFrame, int]:
    """Leave out the template's example rows: those of the enterprise 'voorbeeld'."""
    id_column = spec.key[0]  # id on ondernemingen, onderneming on the other sheets
    if id_column not in raw or raw.empty:
        return raw, 0
    if not isinstance(raw, pd.DataFrame):  # etl.csv_sql.SqlRaw
        return raw.without(id_column, lambda v: normalise_name(v) == EXAMPLE_ID)
    ids = cells.parse_text(raw[id_column])[0]
    example = ids.map(lambda v: isinstance(v, str) and normalise_name(v) == EXAMPLE_ID)
    return raw.loc[~example], int(example.sum())


def validate_frame(
    frame: pd.DataFrame, kind: str, context: Context, file: str
) -> tuple[Sheet, list[Problem]]:
    """Check rows given as a DataFrame under the sheet's Dutch column names (a form, say) by
    the same rules as a file; rows count from 2, as under a header row. Returns the sheet,
    parsed into ``sheet.data``, and every problem found."""
    problems: list[Problem] = []
    spec = sheet_specs()[kind]
    lookup = spec.lookup()
    index = pd.RangeIndex(2, 2 + len(frame))
    columns: dict[str, pd.Series] = {}
    for title in frame.columns:
        column = lookup.get(normalise_name(title))
        if column is None or column.name in columns:
            problems.append(
                Problem(file, None, 1, str(title), None, f"onbekende kolom voor blad {kind}")
            )
            continue
        columns[column.name] = pd.Series(list(frame[title]), index=index, dtype=object)
    for column in spec.columns:
        if column.required and column.name not in columns:
            message = f"verplichte kolom {column.name} ontbreekt"
            problems.append(Problem(file, None, 1, column.name, None, message))
    sheet = Sheet(kind, file, None, 1, pd.DataFrame(columns, index=index), decimal_comma=False)
    sheet.data = validate_sheet(sheet, context, problems)
    return sheet, problems


def _kind_from_name(name: str | None) -> str | None:
    if not name:
        return None
    folded = normalise_name(name)
    for kind in sheet_specs():
        if folded == kind or folded.startswith(kind) or kind in folded:
            return kind
    return None


def _find_header(grid: pd.DataFrame, specs: dict[str, SheetSpec], by_name: str | None):
    best = (None, None, 0)
    for row_number, row in grid.head(HEADER_SEARCH_ROWS).iterrows():
        names = {normalise_name(v) for v in row if v is not None and str(v).strip()}
        for kind, spec in specs.items():
            if by_name and kind != by_name:
                continue
            lookup = spec.lookup()
            matched = len({lookup[n].name for n in names if n in lookup})
            required = {c.name for c in spec.columns if c.required}
            has_required = len({lookup[n].name for n in names if n in lookup} & required)
            score = matched + has_required
            if matched >= 2 and score > best[2]:
                best = (row_number, kind, score)
    return best


def _col_letter(position: int) -> str:
    letters, n = "", position + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def validate_sheet(
    sheet: Sheet, context: Context, problems: list[Problem], whole_sheet: bool = True
) -> pd.DataFrame:
    """Parse every cell of a recognised sheet; append a Problem for each bad one.

    ``whole_sheet`` False leaves out the checks across rows (duplicate keys, annual and
    monthly figures): etl.csv_sql parses some rows here and checks across rows itself.
    """
    if not isinstance(sheet.raw, pd.DataFrame):  # a CSV file read into DuckDB
        from etl import csv_sql

        return csv_sql.validate(sheet, context, problems)
    spec = sheet_specs()[sheet.kind]
    out = pd.DataFrame(index=sheet.raw.index)
    out["row"] = sheet.raw.index

    def report(mask: pd.Series, column: str, message: str) -> None:
        for row in mask[mask].index:
            problems.append(
                Problem(
                    sheet.file,
                    sheet.sheet,
                    int(row),
                    column,
                    cells._cell_text(sheet.raw.at[row, column]),
                    message,
                )
            )

    for column in spec.columns:
        if column.name not in sheet.raw:
            out[column.db_column] = None
            continue
        raw = sheet.raw[column.name]
        values = _parse_column(column.type, raw, sheet.decimal_comma, context, report, column.name)
        if column.required:
            report(cells.is_blank(raw), column.name, "dit veld is verplicht maar leeg")
        out[column.db_column] = values
    if whole_sheet:
        _check_keys(sheet, spec, problems)
    if whole_sheet and sheet.kind == "financien":
        _check_annual_and_monthly(sheet, out, problems)
    if sheet.kind == "ondernemingen":
        out["public"] = out["public"].map(lambda v: bool(v) if v is not None else False)
    return out


def _parse_column(kind, raw, decimal_comma, context, report, name):
    today_year = context.max_year
    if kind in ("text",):
        return cells.parse_text(raw)[0]
    if kind == "id":
        values = cells.parse_text(raw)[0]
        if name != "id":
            unknown = values.notna() & ~values.isin(context.enterprises)
            report(
                unknown,
                name,
                "onbekende onderneming: dit id staat niet in de database en "
                "niet in het blad ondernemingen",
            )
        return values
    if kind == "wijkcode":
        values = cells.normalise_code(raw)
        unknown = values.notna() & ~values.isin(context.wijken)
        hint = "" if context.wijken else " (er zijn nog geen wijken geladen: python -m etl areas)"
        report(unknown, name, "onbekende wijkcode: verwacht een CBS-wijkcode zoals WK020207" + hint)
        return values
    if kind == "wijkcodes":
        return _parse_wijkcodes(raw, context, report, name)
    if kind == "amount":
        values, invalid = cells.parse_amount(raw, decimal_comma)
        report(invalid, name, "geen bedrag: verwacht een getal zoals 1234,50 of € 1.234")
        return values
    if kind in ("year", "founding_year", "month", "count"):
        low, high, message = {
            "year": (MIN_YEAR, today_year, f"jaar moet tussen {MIN_YEAR} en {today_year} liggen"),
            "founding_year": (
                MIN_FOUNDED,
                today_year,
                f"oprichtingsjaar moet tussen {MIN_FOUNDED} en {today_year} liggen",
            ),
            "month": (1, 12, "maand moet 1 tot en met 12 zijn, of leeg voor een heel jaar"),
            "count": (0, None, "moet een heel getal van 0 of meer zijn"),
        }[kind]
        values, invalid, out_of_range = cells.parse_integer(raw, low, high)
        report(invalid, name, "geen heel getal" if kind != "month" else message)
        report(out_of_range, name, message)
        return values
    if kind in ("hours", "area_m2", "percentage", "latitude", "longitude"):
        low, high, message = {
            "hours": (0, None, "moet 0 of meer zijn"),
            "area_m2": (0, None, "moet 0 of meer zijn"),
            "percentage": (0, 100, "moet een percentage van 0 tot en met 100 zijn"),
            "latitude": (
                *NL_LAT,
                f"breedtegraad moet in Nederland liggen ({NL_LAT[0]}-{NL_LAT[1]})",
            ),
            "longitude": (
                *NL_LON,
                f"lengtegraad moet in Nederland liggen ({NL_LON[0]}-{NL_LON[1]})",
            ),
        }[kind]
        if kind in ("latitude", "longitude"):  # every decimal kept; comma or point
            values, invalid, out_of_range = cells.parse_coordinate(raw, low, high)
            report(invalid, name, "geen getal: verwacht graden zoals 51,987654 of 51.987654")
            report(out_of_range, name, message)
            return values
        values, invalid, out_of_range = cells.parse_number(raw, decimal_comma, low, high)
        report(invalid, name, "geen getal")
        report(out_of_range, name, message)
        return values
    if kind == "date":
        values, invalid = cells.parse_date(raw)
        report(invalid, name, "geen geldige datum: verwacht bijvoorbeeld 31-03-2024 of 2024-03-31")
        years = values.map(lambda d: d.year if d is not None else None)
        bad = years.notna() & ((years < MIN_YEAR) | (years > today_year))
        report(bad, name, f"datum moet tussen {MIN_YEAR} en {today_year} liggen")
        return values.where(~bad, None)
    if kind == "bool":
        values, invalid = cells.parse_bool(raw)
        report(invalid, name, "verwacht ja of nee")
        return values
    raise ValueError(f"unknown cell type {kind}")


def _parse_wijkcodes(raw, context, report, name):
    """A list of wijkcodes (werkgebied): every code must be a known wijk; the message names
    the unknown ones. Stored as the codes joined by cells.CODES_SEPARATOR."""
    codes = cells.split_codes(raw)
    unknown = codes.map(lambda found: tuple(c for c in found or () if c not in context.wijken))
    hint = "" if context.wijken else " (er zijn nog geen wijken geladen: python -m etl areas)"
    for bad in sorted({u for u in unknown if u}):
        word = "onbekende wijkcode" if len(bad) == 1 else "onbekende wijkcodes"
        report(
            unknown.map(lambda u, bad=bad: u == bad),
            name,
            f"{word} {', '.join(bad)}: verwacht CBS-wijkcodes zoals WK020207, gescheiden door "
            "komma's, puntkomma's of spaties" + hint,
        )
    return codes.map(lambda found: cells.CODES_SEPARATOR.join(found) if found else None)


def _check_keys(sheet: Sheet, spec: SheetSpec, problems: list[Problem]) -> None:
    if not spec.has_key(sheet.raw):
        return
    present = [k for k in spec.key if k in sheet.raw]
    keys = (
        sheet.raw[present]
        .map(cells._cell_text)
        .map(lambda v: v.upper() if isinstance(v, str) else v)
    )
    # an empty optional key cell (maand of annual figures, an activity without thema or wijk)
    # is a key value too: groupby leaves out missing keys; a column left out is empty
    keys = keys.fillna({k: "" for k in present if k in spec.optional_key()}).astype(str)
    duplicated = keys.duplicated(keep=False)
    if not duplicated.any():
        return
    for _, group in keys[duplicated].groupby(list(keys.columns)):
        rows = [int(r) for r in group.index]
        shown = " en ".join(str(r) for r in rows) if len(rows) < 4 else ", ".join(map(str, rows))
        problems.append(
            Problem(
                sheet.file,
                sheet.sheet,
                rows[1],
                None,
                None,
                f"rijen {shown}: dezelfde {spec.key_label} komt {len(rows)} keer voor",
            )
        )


def _check_annual_and_monthly(sheet: Sheet, out: pd.DataFrame, problems: list[Problem]) -> None:
    frame = out.dropna(subset=["enterprise_id", "year"])
    kinds = frame.assign(annual=frame["month"].isna()).groupby(["enterprise_id", "year"])["annual"]
    mixed = kinds.nunique()
    for enterprise, year in mixed[mixed > 1].index:
        rows = frame[(frame.enterprise_id == enterprise) & (frame.year == year)]["row"]
        problems.append(
            Problem(
                sheet.file,
                sheet.sheet,
                int(rows.iloc[0]),
                "maand",
                None,
                f"{enterprise} {year}: zowel jaarcijfers (lege maand) als maandcijfers; "
                "kies een van beide, anders telt het jaar dubbel",
            )
        )
