"""Recognise, map and validate enterprise input files; collect every problem, not only the first.

Every sheet, whatever it came from (a CSV file, a workbook, a form), is a grid of text in
DuckDB (etl.tables, etl.grid) and is checked there by one path (etl.sheet_check), whose rules
for cells are stated once (etl.cell_rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.cell_rules import Context
from etl.cells import cell_text
from etl.errors import InputError, Problem
from etl.grid import Grid
from etl.messages import N_, Message
from etl.sheet_check import EXAMPLE_ID, INSTRUCTIONS_SHEET, LISTS_SHEET, Sheet, check
from etl.sheet_spec import SheetSpec, normalise_name, sheet_specs
from etl.tables import RawTable, read_tables

__all__ = [
    "EXAMPLE_ID",
    "Context",
    "ParsedFile",
    "Sheet",
    "read_enterprise_files",
    "recognise_file",
    "validate_files",
    "validate_frame",
]

HEADER_SEARCH_ROWS = 15
# files read, and sheets checked, at once: each in DuckDB of its own, which works (on the
# machine's cores) while Python waits for it
AT_ONCE = 2

# a sheet without data rows beside one with data: (in a workbook, only example rows) -> note
EMPTY_NOTES = {
    (True, False): N_("blad {blad}: geen gegevensrijen, overgeslagen"),
    (True, True): N_(
        "blad {blad}: geen gegevensrijen (alleen voorbeeldrijen van {id}), overgeslagen"
    ),
    (False, False): N_("{blad}: geen gegevensrijen, overgeslagen"),
    (False, True): N_("{blad}: geen gegevensrijen (alleen voorbeeldrijen van {id}), overgeslagen"),
}


@dataclass
class ParsedFile:
    """Everything read from one file, validated."""

    file: str
    path: Path
    sheets: list[Sheet]
    notes: list[str] = field(default_factory=list)
    checksum: str | None = None  # sha256 of the bytes read (None: compute it from the file)


def read_enterprise_files(paths: Iterable[Path], context: Context) -> list[ParsedFile]:
    """Read and validate several files as one batch; raise InputError listing every problem
    of every file (a file that cannot be read does not keep the others from being checked)."""
    paths = [Path(p) for p in paths]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        found = list(pool.map(_recognised, paths))
    problems = [problem for _, file_problems in found for problem in file_problems]
    try:
        validate_files([parsed for parsed, _ in found if parsed is not None], context)
    except InputError as err:
        problems += err.problems
    if problems:  # by file, in the order given; in a file as found
        order = {path.name: n for n, path in enumerate(paths)}
        raise InputError(sorted(problems, key=lambda p: order.get(p.file, len(order))))
    return [parsed for parsed, _ in found if parsed is not None]


def _recognised(path: Path) -> tuple[ParsedFile | None, list[Problem]]:
    problems: list[Problem] = []
    try:
        return recognise_file(path, problems), problems
    except InputError as err:
        return None, problems + err.problems


def validate_files(parsed: list[ParsedFile], context: Context) -> list[ParsedFile]:
    """Parse and check every sheet of files recognised without a problem, as one batch (ids
    from any ondernemingen sheet count as known); raise InputError listing every problem."""
    problems: list[Problem] = []
    known = set(context.enterprises)
    for pf in parsed:
        for sheet in pf.sheets:
            if sheet.kind == "ondernemingen" and "id" in sheet.positions:
                known |= sheet.texts("id")
    full = Context(known, context.wijken, context.max_year, context.names)
    sheets = [sheet for pf in parsed for sheet in pf.sheets]
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        for found in pool.map(lambda sheet: _checked(sheet, full), sheets):
            problems += found
    if problems:
        raise InputError(sorted(problems, key=_position))
    return parsed


def _checked(sheet: Sheet, context: Context) -> list[Problem]:
    problems: list[Problem] = []
    check(sheet, context, problems)
    return problems


def _position(problem: Problem) -> tuple:
    return (problem.file, problem.sheet or "", problem.row or 0, problem.column or "")


def recognise_file(path: Path, problems: list[Problem], display_name: str | None = None):
    """Find the sheets of a file, their kind, header row and columns. An auditfile (.xaf,
    .xml) is read and checked whole instead (etl.xaf: an AuditFile, without sheets)."""
    if Path(path).suffix.lower() in (".xaf", ".xml"):
        from etl.xaf.finance import read_auditfile  # lxml: only for auditfiles

        return read_auditfile(path, display_name)
    tables = read_tables(path, display_name)
    name = display_name or path.name
    sheets, notes = [], []
    for table in tables:
        sheet = _recognise_table(table, path, len(tables) == 1, problems)
        if sheet is None:
            if table.sheet and table.sheet not in (INSTRUCTIONS_SHEET, LISTS_SHEET):
                notes.append(
                    Message(N_("blad '{blad}' overgeslagen: geen bekend blad"), blad=table.sheet)
                )
            continue
        sheets.append(sheet)
        if sheet.examples and sheet.rows:  # a sheet of examples only: its own note says so
            template = (
                N_("blad {blad}: {n} voorbeeldrij(en) ({id}) overgeslagen")
                if sheet.sheet
                else N_("{blad}: {n} voorbeeldrij(en) ({id}) overgeslagen")
            )
            notes.append(
                Message(template, blad=sheet.sheet or sheet.kind, n=sheet.examples, id=EXAMPLE_ID)
            )
    sheets = _empty_sheets(sheets, problems, notes)
    if not sheets and not any(p.file == name for p in problems):
        problems.append(
            Problem(
                name,
                None,
                None,
                None,
                None,
                N_(
                    "geen herkenbaar blad gevonden: verwacht een kopregel met de kolommen van "
                    "ondernemingen, financien, herinvesteringen, activiteiten of vastgoed"
                ),
            )
        )
    return ParsedFile(name, path, sheets, notes, tables[0].checksum if tables else None)


def _recognise_table(table: RawTable, path: Path, only: bool, problems: list[Problem]):
    grid = table.grid
    if grid.empty:
        if only:
            problems.append(
                Problem(table.file, table.sheet, None, None, None, N_("het blad is leeg"))
            )
        return None
    specs = sheet_specs()
    by_name = _kind_from_name(table.sheet) or (_kind_from_name(path.stem) if only else None)
    header_row, kind, _score = _find_header(grid, specs, by_name)
    if kind is None:
        if only or by_name:
            message = N_("geen kopregel met bekende kolommen gevonden in de eerste {n} rijen")
            values = {"n": HEADER_SEARCH_ROWS}
            problems.append(Problem(table.file, table.sheet, None, None, None, message, values))
        return None
    spec = specs[kind]
    positions = _columns(table, spec, header_row, problems)
    sheet = Sheet(kind, table.file, table.sheet, header_row, table.cells, positions)
    sheet.delimiter = table.delimiter
    sheet.survey()
    return sheet


def _empty_sheets(sheets: list[Sheet], problems: list[Problem], notes: list[str]) -> list:
    """The sheets with data rows. A sheet with none (or only example rows) beside one that has
    some is skipped with a note: a treasurer fills in one sheet of the template and leaves the
    others as they came. Without any data row in the whole file, each says there is nothing."""
    filled = [sheet for sheet in sheets if sheet.rows]
    for sheet in sheets:
        if sheet.rows:
            continue
        values = {"blad": sheet.sheet or sheet.kind, "id": EXAMPLE_ID}
        if filled:
            notes.append(Message(EMPTY_NOTES[bool(sheet.sheet), bool(sheet.examples)], **values))
        else:
            message = (
                N_(
                    "geen gegevensrijen onder de kopregel (alleen voorbeeldrijen van {id}): er is "
                    "niets geladen"
                )
                if sheet.examples
                else N_("geen gegevensrijen onder de kopregel: er is niets geladen")
            )
            problems.append(
                Problem(sheet.file, sheet.sheet, sheet.header_row, None, None, message, values)
            )
    return filled or sheets


def _columns(table: RawTable, spec: SheetSpec, header_row: int, problems: list) -> dict:
    """The grid column of each column of the sheet in its header row; a problem for every
    column without a name that holds data, unknown or twice, and every required one missing."""
    lookup = spec.lookup()
    positions: dict[str, int] = {}

    def problem(column: str | None, message: str, **values: object) -> None:
        problems.append(Problem(table.file, table.sheet, header_row, column, None, message, values))

    for position, title in table.grid.loc[header_row].items():
        if title is None:
            if table.cells.has_data(position, header_row):
                problem(_col_letter(position), N_("kolom zonder naam bevat gegevens"))
            continue
        column = lookup.get(normalise_name(title))
        if column is None:
            expected = ", ".join(c.name for c in spec.columns)
            message = N_("onbekende kolom voor blad {blad}; verwacht een van: {kolommen}")
            problem(str(title), message, blad=spec.name, kolommen=expected)
        elif column.name in positions:
            problem(str(title), N_("kolom {kolom} staat er twee keer in"), kolom=column.name)
        else:
            positions[column.name] = position
    for column in spec.columns:
        if column.required and column.name not in positions:
            problem(column.name, N_("verplichte kolom {kolom} ontbreekt"), kolom=column.name)
    return positions


def validate_frame(
    frame: pd.DataFrame, kind: str, context: Context, file: str
) -> tuple[Sheet, list[Problem]]:
    """Check rows given as a DataFrame under the sheet's Dutch column names (a form, say) by
    the same rules as a file; rows count from 2, as under a header row, and every row is
    checked, even a blank one. Returns the sheet, parsed into ``sheet.data``, and every
    problem found."""
    problems: list[Problem] = []
    spec = sheet_specs()[kind]
    lookup = spec.lookup()
    positions: dict[str, int] = {}
    for position, title in enumerate(frame.columns):
        column = lookup.get(normalise_name(title))
        if column is None or column.name in positions:
            message = N_("onbekende kolom voor blad {blad}")
            problems.append(Problem(file, None, 1, str(title), None, message, {"blad": kind}))
            continue
        positions[column.name] = position
    for column in spec.columns:
        if column.required and column.name not in positions:
            message = N_("verplichte kolom {kolom} ontbreekt")
            problems.append(
                Problem(file, None, 1, column.name, None, message, {"kolom": column.name})
            )
    rows = [[str(title) for title in frame.columns]]
    rows += [[cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    sheet = Sheet(kind, file, None, 1, Grid.from_rows(rows), positions, every_row=True)
    sheet.survey()
    check(sheet, context, problems)
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
