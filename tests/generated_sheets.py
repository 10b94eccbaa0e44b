"""Random enterprise sheets (CSV in any dialect, or a workbook) of which the generator knows
every outcome: each cell's value, or the problem it must be reported with, and the problems of
the sheet as a whole (header, duplicate keys, no rows). For the property tests of the checks.

A cell is written in a file of Dutch numbers (1.234,50), of English ones (1.234.50) or either:
``style`` says which it makes a text file (a file's cells decide how it is read); a workbook's
numbers are never Dutch, so a Dutch text in it is read as in an English file.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from etl.errors import Problem
from etl.sheet_spec import sheet_specs

WIJKEN = {"WK020201", "WK020202", "WK0363AE", "WK999901"}
KNOWN = {"steenhuis", "broekwerk", "Straße"}
MAX_YEAR = 2025
EXAMPLE = object()  # the cell makes its row an example row of the template: left out


@dataclass(frozen=True)
class Wrong:
    """The message a cell must be reported with."""

    message: str


@dataclass(frozen=True)
class Cell:
    """A cell's text and its value in a file of Dutch numbers (``nl``) and of English ones
    (``en``, when it differs); a Wrong for a problem, None for a blank cell, EXAMPLE for the
    enterprise of the template's example rows."""

    text: str
    nl: object
    en: object = "same"
    style: str | None = None  # "dutch" or "english": the number style this cell counts for

    def value(self, dutch: bool) -> object:
        return self.nl if dutch or self.en == "same" else self.en


def both(*cells: tuple) -> list[Cell]:
    return [Cell(*c) for c in cells]


UNKNOWN_ID = Wrong(
    "onbekende onderneming: dit id staat niet in de database en niet in het blad ondernemingen"
)
UNKNOWN_WIJK = Wrong("onbekende wijkcode: verwacht een CBS-wijkcode zoals WK020207")
CODES = ": verwacht CBS-wijkcodes zoals WK020207, gescheiden door komma's, puntkomma's of spaties"
NO_AMOUNT = Wrong("geen bedrag: verwacht een getal zoals 1234,50 of € 1.234")
NO_WHOLE = Wrong("geen heel getal")
NO_DATE = Wrong("geen geldige datum: verwacht bijvoorbeeld 31-03-2024 of 2024-03-31")
MONTH = Wrong("maand moet 1 tot en met 12 zijn, of leeg voor een heel jaar")
D = dt.date
CELLS: dict[str, list[Cell]] = {
    "id": both(
        ("steenhuis", "steenhuis"),
        (" broekwerk ", "broekwerk"),
        ("\u00a0steenhuis", "steenhuis"),
        ("steenhuis\u3000", "steenhuis"),
        ("Straße", "Straße"),
        ("STEENHUIS", UNKNOWN_ID),
        ("onbekend", UNKNOWN_ID),
        ("STRASSE", UNKNOWN_ID),
        ("voorbeeld", EXAMPLE),
        ("Voorbeeld ", EXAMPLE),
    ),
    "text": both(
        ("Repair Café", "Repair Café"),
        ("  Buurtfeest ", "Buurtfeest"),
        ("x", "x"),
        ("€ 12", "€ 12"),
        ("1.234,5", "1.234,5", "same", "dutch"),
        ("ß", "ß"),
        ("\t", None),
    ),
    "wijkcode": both(
        ("WK020201", "WK020201"),
        ("wk 0202 01", "WK020201"),
        ("wk0363ae", "WK0363AE"),
        (" WK999901", "WK999901"),
        ("WK999999", UNKNOWN_WIJK),
        ("WK02020\u0661", UNKNOWN_WIJK),
    ),
    "wijkcodes": both(
        ("WK020201", "WK020201"),
        ("wk020201, WK020202", "WK020201, WK020202"),
        ("WK020202;WK0363AE", "WK020202, WK0363AE"),
        (" WK999901  WK020201 ", "WK999901, WK020201"),
        ("WK020201,WK020201", "WK020201"),
        (",WK0363AE;", "WK0363AE"),
        ("WK999999", Wrong("onbekende wijkcode WK999999" + CODES)),
        ("WK020201, WK999999", Wrong("onbekende wijkcode WK999999" + CODES)),
        ("wk 0363ae", Wrong("onbekende wijkcodes WK, 0363AE" + CODES)),
        ("WK02020\u0661 WK999998", Wrong("onbekende wijkcodes WK02020\u0661, WK999998" + CODES)),
    ),
    "date": both(
        ("2024-03-31", D(2024, 3, 31)),
        ("31-03-2024", D(2024, 3, 31)),
        ("1-3-2024", D(2024, 3, 1)),
        ("31/03/2024", D(2024, 3, 31)),
        ("31.03.2024", D(2024, 3, 31)),
        ("2024/03/31", D(2024, 3, 31)),
        ("45000", D(2023, 3, 15)),  # Excel's day number
        ("2024-3-1", D(2024, 3, 1)),
        (" 2024-03-31 ", D(2024, 3, 31)),
        ("2000-01-01", D(2000, 1, 1)),
        ("31-12-2025", D(2025, 12, 31)),
        ("31-02-2024", NO_DATE),
        ("morgen", NO_DATE),
        ("2024-03-31 00:00", NO_DATE),
        ("2099-01-01", Wrong("datum moet tussen 2000 en 2025 liggen")),
        ("1999-12-31", Wrong("datum moet tussen 2000 en 2025 liggen")),
    ),
    "count": both(
        ("0", 0),
        ("12", 12),
        ("007", 7),
        (" 3 ", 3),
        ("+4", 4),
        ("12.0", 12, "same", "english"),
        ("1e3", 1000),
        ("999999999999", 999999999999),
        ("-1", Wrong("moet een heel getal van 0 of meer zijn")),
        ("1.5", NO_WHOLE, "same", "english"),
        ("12,0", NO_WHOLE, "same", "dutch"),
        ("x", NO_WHOLE),
        ("\u0661\u0662", NO_WHOLE),
    ),
    "amount": both(
        ("1.234,50", 1234.5, 1234.5, "dutch"),
        ("1234,5", 1234.5, 1234.5, "dutch"),
        ("€ 1.234", 1234.0, 1.23),
        ("1.234,-", 1234.0, 1234.0, "dutch"),
        ("-12,50", -12.5, -12.5, "dutch"),
        ("- € 12", -12.0),
        ("€-5", -5.0),
        ("0,125", 0.12, 125.0),  # to even cents
        ("12,345", 12.34, 12345.0),
        ("1\u00a0234,00", 1234.0),
        ("0", 0.0),
        ("€\u00a012,00", 12.0, 12.0, "dutch"),
        ("1 234", 1234.0),
        ("98.765.432,10", 98765432.1, 98765432.1, "dutch"),
        ("0,01", 0.01, 0.01, "dutch"),
        ("12", 12.0),
        ("12345678901234567", 12345678901234567.0),
        ("5,-", 5.0, 5.0, "dutch"),
        ("1234.5", 1234.5, "same", "english"),
        ("1,234.50", 1234.5, "same", "english"),
        ("1,234,567.5", 1234567.5, "same", "english"),
        ("€ 12.50", 12.5, "same", "english"),
        ("0.125", 125.0, 0.12),
        ("-3", -3.0),
        ("abc", NO_AMOUNT),
        (",5", NO_AMOUNT),
        ("12.", NO_AMOUNT),
        ("\u0661\u0662,5", NO_AMOUNT),
        ("1.23.4", NO_AMOUNT),
    ),
    "hours": both(
        ("2,5", 2.5, 2.5, "dutch"),
        ("3", 3.0),
        ("1.000", 1000.0, 1.0),
        ("4,25", 4.25, 4.25, "dutch"),
        ("2.5", 2.5, "same", "english"),
        ("0", 0.0),
        ("-1", Wrong("moet 0 of meer zijn")),
        ("x", Wrong("geen getal")),
    ),
    "year": both(
        ("2024", 2024),
        ("2019", 2019),
        ("2024.0", 2024, "same", "english"),
        (" 2025", 2025),
        ("1999", Wrong("jaar moet tussen 2000 en 2025 liggen")),
        ("2026", Wrong("jaar moet tussen 2000 en 2025 liggen")),
        ("jaar", NO_WHOLE),
        ("20 24", NO_WHOLE),
    ),
    "founding_year": both(
        ("1985", 1985),
        ("1800", 1800),
        (" 1999", 1999),
        ("1950.0", 1950, "same", "english"),
        ("1799", Wrong("oprichtingsjaar moet tussen 1800 en 2025 liggen")),
        ("2026", Wrong("oprichtingsjaar moet tussen 1800 en 2025 liggen")),
        ("jaar", NO_WHOLE),
    ),
    "month": both(
        ("1", 1),
        ("12", 12),
        ("06", 6),
        ("1.0", 1, "same", "english"),
        (" 7 ", 7),
        ("13", MONTH),
        ("0", MONTH),
        ("m", MONTH),
    ),
    "bool": both(
        ("ja", True),
        ("Nee", False),
        ("JA ", True),
        ("yes", True),
        ("0", False),
        ("waar", True),
        ("Ja\u00a0", True),
        ("x", True),
        ("misschien", Wrong("verwacht ja of nee")),
        ("nope", Wrong("verwacht ja of nee")),
    ),
    "latitude": both(
        ("52.370216", 52.370216),
        ("52.37", 52.37, "same", "english"),
        ("51", 51.0),
        ("51,987654", 51.987654),
        ("52.3702161", 52.3702161),
        ("52,37", 52.37, "same", "dutch"),
        ("40.0", Wrong("breedtegraad moet in Nederland liggen (50.6-53.7)"), "same", "english"),
        ("x", Wrong("geen getal: verwacht graden zoals 51,987654 of 51.987654")),
    ),
    "longitude": both(
        ("4.895168", 4.895168),
        ("5.9", 5.9, "same", "english"),
        ("6", 6.0),
        ("5,912345", 5.912345),
        ("4,9", 4.9, "same", "dutch"),
        ("8.0", Wrong("lengtegraad moet in Nederland liggen (3.2-7.3)"), "same", "english"),
    ),
}
# the columns written (all but the first keys may be left out)
COLUMNS = {
    "activiteiten": (
        "onderneming",
        "datum",
        "activiteit",
        "thema",
        "wijkcode",
        "deelnemers",
        "vrijwilligers",
        "vrijwilligersuren",
    ),
    "financien": (
        "onderneming",
        "jaar",
        "maand",
        "verhuur",
        "horeca",
        "subsidie_gemeente",
        "personeelskosten",
    ),
    "ondernemingen": ("id", "naam", "wijkcode", "werkgebied", "opgericht", "lat", "lon", "publiek"),
}


@dataclass
class Generated:
    """A generated file and what checking it must give."""

    path: Path
    kind: str
    sheet: str | None  # a workbook's sheet name
    header_row: int
    dutch: bool  # read as a file of Dutch numbers
    recognition: list[Problem] = field(default_factory=list)  # header and rows problems
    problems: list[Problem] = field(default_factory=list)  # cells and keys
    rows: dict[int, dict] = field(default_factory=dict)  # row -> database column -> value
    examples: int = 0
    ids: set[str] = field(default_factory=set)  # the enterprise ids it defines


def generate(
    rng: random.Random,
    kind: str,
    folder: Path,
    rows: int,
    workbook: bool = False,
    known: frozenset[str] = frozenset(),
) -> Generated:
    """A sheet of ``kind`` with ``rows`` rows (at most 25: years 2000 ... are unique), good or
    with problems, as a CSV file or (``workbook``) an xlsx file of text cells. ``known``:
    enterprise ids that other files of the batch define."""
    good = rng.random() < 0.5
    spec = sheet_specs()[kind]
    required = {c.name for c in spec.columns if c.required}
    names = [n for n in COLUMNS[kind] if n in required or rng.random() < 0.85]
    delimiter = rng.choice([";", ";", ",", "\t"])
    dutch_pick = not workbook and delimiter != "," and rng.random() < 0.6
    header = [n if rng.random() < 0.8 else f" {n.upper()} " for n in names]
    extra = []
    if rng.random() < 0.1 and not good:
        extra.append("onbekend")
    if rng.random() < 0.1:
        extra.append("")
    unnamed_data = "" in extra and not good and rng.random() < 0.5
    title = rng.random() < 0.2
    header_row = 3 if title else 1
    grid: list[list[str]] = []
    if title:
        grid += [["Titel van het blad"] + [""] * (len(names) + len(extra) - 1), []]
    grid.append(header + extra)
    chosen: list[list[Cell | None]] = []
    for i in range(rows):
        chosen.append(_row(rng, kind, names, i, good, dutch_pick, delimiter, workbook))
        grid.append([c.text if c else "" for c in chosen[-1]] + [""] * len(extra))
        if unnamed_data and i == 0:
            grid[-1][len(names) + extra.index("")] = "x"
    name = f"{kind}_{rng.randrange(10**9)}"
    out = Generated(folder / f"{name}.csv", kind, None, header_row, False)
    cells = [c for row in chosen for c in row if c]
    out.dutch = not workbook and any(c.style == "dutch" for c in cells)
    if workbook:
        out.path, out.sheet = folder / f"{name}.xlsx", kind
        _write_workbook(out.path, kind, grid)
    else:
        _write_text(rng, out.path, grid, delimiter)
    _expect(out, names, header, extra, unnamed_data, chosen, KNOWN | known)
    return out


def _row(rng, kind, names, i, good, dutch_pick, delimiter, workbook) -> list[Cell | None]:
    """One row's cells (None: an empty cell); every 20th row about is blank."""
    if rng.random() < 0.05:
        return [None] * len(names)
    spec = {c.name: c for c in sheet_specs()[kind].columns}
    row = []
    for name in names:
        cell_type = "id" if name in ("onderneming", "id") else spec[name].type
        options = [
            c
            for c in CELLS[cell_type]
            if (workbook or c.style != ("english" if dutch_pick else "dutch"))
            and delimiter not in c.text
            and (not good or not isinstance(c.nl, Wrong) and c.nl is not EXAMPLE)
            and (not good or c.nl is not None or not spec[name].required)
        ]
        cell = rng.choice(options)
        if name == "id" and i and cell.nl is not EXAMPLE:  # ids of their own
            cell = Cell(f"{cell.text.strip()}{i}", f"{cell.text.strip()}{i}")
        if name == "activiteit" and i:  # keys of their own
            cell = Cell(f"{cell.text.strip() or 'x'}{i}", f"{cell.text.strip() or 'x'}{i}")
        if name == "jaar" and (good or rng.random() < 0.7):
            cell = Cell(str(2000 + i), 2000 + i)
        if name == "maand" and (good or rng.random() < 0.7):
            cell = Cell(str(i % 12 + 1), i % 12 + 1) if i % 2 else None
        if name == "opgericht" and rng.random() < 0.3:
            cell = None
        row.append(cell)
    return row


def _expect(out: Generated, names, header, extra, unnamed_data, chosen, known) -> None:
    spec = sheet_specs()[out.kind]
    by_name = {c.name: c for c in spec.columns}
    where = (out.path.name, out.sheet)
    h = out.header_row
    for n, title in enumerate(header + extra):
        if title == "" and unnamed_data:
            message = "kolom zonder naam bevat gegevens"
            out.recognition.append(Problem(*where, h, chr(65 + n), None, message))
        elif title == "onbekend":
            expected = ", ".join(c.name for c in spec.columns)
            message = f"onbekende kolom voor blad {out.kind}; verwacht een van: {expected}"
            out.recognition.append(Problem(*where, h, title, None, message))
    keys: dict[tuple, list[int]] = {}
    periods: dict[tuple, list[tuple[int, object]]] = {}
    for i, row in enumerate(chosen):
        number = h + 1 + i
        if all(c is None or not c.text.strip() for c in row):
            continue
        if any(c is not None and c.nl is EXAMPLE for c in row):
            out.examples += 1
            continue
        others = [c for n, c in zip(names, row, strict=True) if n != "onderneming"]
        if all(c is None or not c.text.strip() for c in others):  # as the template prefills
            continue
        # a blank ja/nee column means nee (publiek, publiek_deeljaar)
        values = {c.db_column: False if c.type == "bool" else None for c in spec.columns}
        for name, cell in zip(names, row, strict=True):
            column = by_name[name]
            value = None if cell is None else cell.value(out.dutch)
            if name in ("id", "onderneming"):  # an onderneming's value is kept, known or not
                value = cell.text.strip()
                if name == "onderneming" and value not in known:
                    out.problems.append(Problem(*where, number, name, value, UNKNOWN_ID.message))
            elif isinstance(value, Wrong):
                out.problems.append(Problem(*where, number, name, cell.text.strip(), value.message))
                value = None
            elif value is None and column.required:
                message = "dit veld is verplicht maar leeg"
                out.problems.append(Problem(*where, number, name, None, message))
            values[column.db_column] = value if value is not None else values[column.db_column]
        if "id" in names:
            out.ids.add(values["enterprise_id"])
        out.rows[number] = values
        texts = {n: c.text.strip().upper() if c else "" for n, c in zip(names, row, strict=True)}
        keys.setdefault(tuple(texts.get(k, "") for k in spec.key), []).append(number)
        if out.kind == "financien" and values["year"] is not None:
            period = (values["enterprise_id"], values["year"])
            periods.setdefault(period, []).append((number, values["month"]))
    for rows in keys.values():
        if len(rows) > 1:
            shown = " en ".join(map(str, rows)) if len(rows) < 4 else ", ".join(map(str, rows))
            message = f"rijen {shown}: dezelfde {spec.key_label} komt {len(rows)} keer voor"
            out.problems.append(Problem(*where, rows[1], None, None, message))
    for (enterprise, year), found in periods.items():
        if len({month is None for _, month in found}) > 1:
            message = (
                f"{enterprise} {year}: zowel jaarcijfers (lege maand) als maandcijfers; kies "
                "een van beide, anders telt het jaar dubbel"
            )
            out.problems.append(Problem(*where, found[0][0], "maand", None, message))
    if not out.rows:
        only = " (alleen voorbeeldrijen van voorbeeld)" if out.examples else ""
        message = f"geen gegevensrijen onder de kopregel{only}: er is niets geladen"
        out.recognition.append(Problem(*where, h, None, None, message))


def _write_text(rng: random.Random, path: Path, grid: list[list[str]], delimiter: str) -> None:
    end = rng.choice(["\n", "\r\n"])
    width = max(len(row) for row in grid)
    lines = [delimiter.join(row + [""] * (width - len(row))) for row in grid]
    text = end.join(lines) + (end if rng.random() < 0.8 else "")
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252"])
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))


def _write_workbook(path: Path, kind: str, grid: list[list[str]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind
    for row in grid:
        sheet.append([cell or None for cell in row])
    book.save(path)
