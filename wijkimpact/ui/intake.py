"""Uploaded enterprise files: saved under safe names, recognised, checked, and loaded."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.api import (
    InputError,
    LoadResult,
    Number,
    ParsedFile,
    Problem,
    Sheet,
    database_context,
    enterprise_ids,
    load_parsed,
    read_enterprise_files,
    recognise_file,
    sheet_specs,
    staged_database,
    validate_files,
)
from wijkimpact.data import db
from wijkimpact.data.access import Viewer
from wijkimpact.formatting import DASH, euro, number
from wijkimpact.i18n import N_, _, current_language, problem_message
from wijkimpact.ui import auditfiles

MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
SUFFIXES = (".xlsx", ".csv", ".txt", ".xaf", ".xml")  # .xaf, .xml: auditfiles
PREVIEW_ROWS = 5
# the problem table's columns and their widths in pixels (None: as wide as the messages)
PROBLEM_WIDTHS = {N_("Bestand"): 140, N_("Blad"): 90, N_("Rij"): 45, N_("Kolom"): 120}
PROBLEM_WIDTHS[N_("Waarde")] = 100
PROBLEM_WIDTHS[N_("Probleem")] = None
PROBLEM_COLUMNS = list(PROBLEM_WIDTHS)
SUMMARY_COLUMNS = [  # shown translated: rename(columns=_)
    N_("Bestand"), N_("Rijen"), N_("Nieuw"), N_("Vervangen"), N_("Ongewijzigd"), N_("Toelichting")
]  # fmt: skip


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its sanitised name and its bytes."""

    name: str
    data: bytes


@dataclass
class SheetPreview:
    """A recognised sheet as the user should check it: kind, row count, first rows."""

    file: str
    sheet: str | None
    kind: str
    rows: int
    head: pd.DataFrame  # text only, with the spreadsheet row number in 'Rij'

    @property
    def label(self) -> str:
        """'invoer.xlsx, blad Financiën: financien, 12 rijen'."""
        rows = _("1 rij") if self.rows == 1 else _("{n} rijen", n=self.rows)
        if self.sheet:
            return _(
                "{bestand}, blad {blad}: {soort}, {rijen}",
                bestand=self.file,
                blad=self.sheet,
                soort=self.kind,
                rijen=rows,
            )
        return f"{self.file}: {self.kind}, {rows}"


@dataclass
class Check:
    """What a set of uploads holds and every problem in it."""

    sheets: list[SheetPreview] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=lambda: problem_table([]))
    notes: list[str] = field(default_factory=list)
    # auditfiles: a koppeling to fill in for the accounts without a category (ui.auditfiles)
    koppeling: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def ok(self) -> bool:
        """Whether the files can be loaded."""
        return self.problems.empty and bool(self.sheets)


@dataclass
class Outcome:
    """The result of a load: a summary per file, or the problems that stopped it."""

    summary: pd.DataFrame
    problems: pd.DataFrame

    @property
    def loaded(self) -> bool:
        """Whether the database was changed (or found already up to date)."""
        return self.problems.empty


def safe_name(name: str) -> str:
    """The file name without folders or odd characters (letters with accents stay)."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", str(name)))[-1]
    base = re.sub(r"[^\w .()+-]", "_", base).strip(" .-")
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"\s+", " ", stem)[:80].strip() or "bestand"
    return f"{stem}.{suffix.lower()[:10]}" if suffix else stem


def uploads(files: Iterable | None) -> list[Upload]:
    """Uploads from st.file_uploader's files (anything with .name and .getvalue())."""
    out: list[Upload] = []
    taken: set[str] = set()
    for file in files or []:
        name = safe_name(file.name)
        stem, suffix = Path(name).stem, Path(name).suffix
        number_ = 2
        while name.lower() in taken:
            name, number_ = f"{stem} ({number_}){suffix}", number_ + 1
        taken.add(name.lower())
        out.append(Upload(name, bytes(file.getvalue())))
    return out


def size_problems(files: Sequence[Upload]) -> list[Problem]:
    """Files of a kind Wijkimpact does not read, or larger than the limit."""
    problems = []
    for file in files:
        if Path(file.name).suffix.lower() not in SUFFIXES:
            message = N_(
                "dit soort bestand kan Wijkimpact niet lezen: kies een .xlsx-, .csv- of .txt"
            )
            problems.append(Problem(file.name, None, None, None, None, message))
        elif len(file.data) > MAX_BYTES:
            size = {"size": Number(len(file.data) / 1024 / 1024, 1), "max": Number(MAX_MB)}
            message = N_(
                "het bestand is {size} MB; de grens is {max} MB. Splits het op (bijvoorbeeld "
                "per jaar) of laat een beheerder het laden met python -m etl load"
            )
            problems.append(Problem(file.name, None, None, None, None, message, size))
    return problems


def save(files: Sequence[Upload], folder: Path) -> list[Path]:
    """Write the uploads into ``folder`` under their own names (problems then name them)."""
    paths = []
    for file in files:
        path = Path(folder) / file.name
        path.write_bytes(file.data)
        paths.append(path)
    return paths


def problem_table(problems: Iterable[Problem]) -> pd.DataFrame:
    """Problems as a table of plain text: Bestand, Blad, Rij, Kolom, Waarde, Probleem (in the
    current language)."""
    rows = [
        [
            p.file,
            p.sheet or "",
            "" if p.row is None else str(p.row),
            p.column or "",
            "" if p.value is None else str(p.value),
            problem_message(p),
        ]
        for p in problems
    ]
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS, dtype=object)


def upload_refusal(files: Sequence[Upload], viewer: Viewer) -> list[Problem]:
    """A problem per file when the viewer may not load data at all (not an onderneming or a
    beheerder)."""
    if viewer.may_upload:
        return []
    message = N_(
        "alleen een onderneming (voor haar eigen gegevens) en beheerders mogen gegevens laden; "
        "er is niets geladen"
    )
    return [Problem(f.name, None, None, None, None, message) for f in files]


def scope_problems(sheets: Iterable[Sheet], viewer: Viewer) -> list[Problem]:
    """A problem for every row of an enterprise the viewer may not load data for: an
    onderneming only its own rows (and no new enterprises), a beheerder anything."""
    if viewer.sees_all:
        return []
    own = ", ".join(viewer.scope) or _("geen")
    problems = []
    for sheet in sheets:
        column = sheet_specs()[sheet.kind].key[0]  # id, or onderneming
        for row, value in _enterprises(sheet).items():
            if value is not None and not viewer.may_write(str(value)):
                problems.append(
                    Problem(
                        sheet.file,
                        sheet.sheet,
                        int(row),
                        column,
                        value,
                        N_(
                            "u mag alleen gegevens van uw eigen onderneming laden "
                            "({eigen}); deze rij hoort bij een andere onderneming"
                        ),
                        {"eigen": own},
                    )
                )
    return problems


def _enterprises(sheet: Sheet) -> dict:
    """Row number -> the enterprise of the row: once checked as read (a name became its id),
    else as written."""
    if sheet.data is None or sheet.data.empty:
        return enterprise_ids(sheet).to_dict()
    found = sheet.data["enterprise_id"].astype(object)
    return {row: None if pd.isna(v) else v for row, v in found.items()}


def check(
    files: Sequence[Upload],
    db_path: Path | None = None,
    *,
    viewer: Viewer,
    onderneming: str | None = None,
) -> Check:
    """Recognise every sheet of the uploads and check them against the database and the
    viewer's scope, loading nothing. ``onderneming``: the enterprise a beheerder says the
    auditfiles are of (else their KvK number)."""
    problems = size_problems(files) + upload_refusal(files, viewer)
    readable = [f for f in files if not any(p.file == f.name for p in problems)]
    result = Check()
    with tempfile.TemporaryDirectory(prefix="wijkimpact_upload_") as tmp:
        found: list[Problem] = []  # as etl.enterprise_files.read_enterprise_files finds them
        recognised = []
        for path in save(readable, Path(tmp)):  # each file read once
            try:
                parsed = recognise_file(path, found)
            except InputError as err:
                found += err.problems
                continue
            recognised.append(parsed)
            result.notes += [f"{parsed.file}: {problem_message(note)}" for note in parsed.notes]
        if recognised:  # every file that could be read, whatever the others hold
            with db.cursor(db_path) as cur:
                context = database_context(cur)
            try:
                validate_files(recognised, context)
            except InputError as err:
                found += err.problems
            problems += scope_problems((s for pf in recognised for s in pf.sheets), viewer)
            books = auditfiles.check(recognised, db_path, viewer, onderneming)
            found += books.problems
            result.koppeling = books.offer
        result.sheets = [_preview(sheet) for pf in recognised for sheet in pf.sheets]
        if recognised:
            result.sheets += [
                SheetPreview(file, None, "auditfile", lines, head)
                for file, lines, head in books.previews
            ]
    order = {f.name: n for n, f in enumerate(files)}  # by file as uploaded; in it as found
    result.problems = problem_table(sorted(problems + found, key=lambda p: order.get(p.file, 0)))
    return result


@st.cache_data(show_spinner=False, max_entries=16)
def _check_cached(
    version: str,
    files: tuple[tuple[str, bytes], ...],
    viewer: Viewer,
    language: str,
    given: str | None = None,
) -> Check:
    """``version`` and ``language`` are only cache keys: the check's texts are in ``language``,
    which is the current language of this script run."""
    uploads_ = [Upload(name, data) for name, data in files]
    return check(uploads_, viewer=viewer, onderneming=given)


def cached_check(
    files: Sequence[Upload], viewer: Viewer, onderneming: str | None = None
) -> Check:
    """``check`` once per set of uploads, database version, viewer, language and enterprise
    given for auditfiles (the page reruns often; its messages are in the language chosen)."""
    files_key = tuple((f.name, f.data) for f in files)
    version = db.database_version()
    return _check_cached(version, files_key, viewer, current_language(), onderneming)


def _preview(sheet: Sheet) -> SheetPreview:
    """The first rows: per column what Wijkimpact read, in the user's notation, and beside it
    what the cell holds where that reads otherwise ('3.792,-' beside '€ 3.792,00')."""
    raw = sheet.raw.head(PREVIEW_ROWS)
    head = pd.DataFrame({"Rij": [str(i) for i in raw.index]}, index=raw.index, dtype=object)
    columns = {c.name: c for c in sheet_specs()[sheet.kind].columns}
    for name in raw.columns:
        spec = columns[name]
        typed = [_text(v, spec.type, workbook=sheet.sheet is not None) for v in raw[name]]
        if sheet.data is None or spec.db_column not in sheet.data:
            head[name] = typed
            continue
        values = sheet.data[spec.db_column].astype(object).reindex(raw.index)
        read = [shown(v, spec.type) if t else "" for v, t in zip(values, typed, strict=True)]
        head[name] = read
        if read != typed:
            head[_("{kolom} (ingevuld)", kolom=name)] = typed
    return SheetPreview(sheet.file, sheet.sheet, sheet.kind, len(sheet.raw), head)


def _text(value: object, kind: str = "text", workbook: bool = False) -> str:
    """A cell as the user typed it; a date of a workbook (its text is 2024-03-31) as Excel
    shows it, 31-03-2024."""
    if value is None:
        return ""
    text = str(value)
    if workbook and kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text).strftime("%d-%m-%Y")
    return text


def shown(value: object, kind: str) -> str:
    """A value read from a cell of type ``kind`` (etl.cell_rules) as the user reads it: an
    amount as € 1.234,50, a year as 2024, a count as 1.250, hours as 18,5, a date as
    31-03-2024, yes or no in words; a dash for a cell that gave no value (a problem)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return DASH
    if kind == "amount":
        return euro(float(value), 2)
    if kind in ("year", "founding_year", "month"):
        return str(int(value))
    if kind in ("count", "hours", "area_m2", "percentage", "latitude", "longitude"):
        digits = repr(float(value)).partition(".")[2].rstrip("0")  # every decimal it has
        return number(float(value), len(digits) if "e" not in digits else 6)
    if kind == "date":
        return value.strftime("%d-%m-%Y") if isinstance(value, dt.date) else str(value)
    if kind == "bool":
        return _("ja") if value else _("nee")
    return str(value)


def _quiet(_text: str) -> None:
    return None


def _load(
    files: Sequence[Upload],
    db_path: Path,
    *,
    viewer: Viewer,
    report: Callable[[str], object] = _quiet,
    onderneming: str | None = None,
) -> Outcome:
    """Check the uploads against a staging copy of the database and publish it atomically.

    Every row must belong to an enterprise the viewer may load data for (its own; any for a
    beheerder, who may say whose the auditfiles are: ``onderneming``). ``report`` receives a
    Dutch line per step. On any problem nothing is changed.
    """
    problems = size_problems(files) + upload_refusal(files, viewer)
    if problems:
        return Outcome(_summary([], []), problem_table(problems))
    with tempfile.TemporaryDirectory(prefix="wijkimpact_upload_") as tmp:
        paths = save(files, Path(tmp))
        report(_("Een kopie van de database maken ..."))
        try:
            with staged_database(db_path) as con:
                report(_("Bestanden controleren tegen de database ..."))
                parsed = read_enterprise_files(paths, database_context(con))
                auditfiles.assign(parsed, viewer, onderneming)
                refused = scope_problems((s for pf in parsed for s in pf.sheets), viewer)
                if refused:
                    raise InputError(refused)
                rows = sum(len(s.data) for pf in parsed for s in pf.sheets)
                report(_("{n} rijen laden ...", n=number(rows)))
                results = load_parsed(con, parsed)
                report(_("De nieuwe database in gebruik nemen ..."))
        except InputError as err:
            report(_("Niet geladen: de database is niet veranderd."))
            return Outcome(_summary([], []), problem_table(err.problems))
    report(_("Klaar."))
    return Outcome(_summary(parsed, results), problem_table([]))


def load(
    files: Sequence[Upload],
    db_path: Path,
    *,
    viewer: Viewer,
    report: Callable[[str], object] = _quiet,
    onderneming: str | None = None,
) -> Outcome:
    """Check the uploads against a staging copy of the database and publish it atomically,
    keeping the files in the archive beside it as the viewer's (see _load)."""
    from etl.api import given_by

    with given_by(origin(viewer, "gegevens")):
        return _load(files, db_path, viewer=viewer, report=report, onderneming=onderneming)


def origin(viewer: Viewer, via: str):
    """How the archive keeps a load from the app (an etl.api.Origin): who (the logged-in
    address, or the demo role), which way, and for which enterprise (the archive replays the
    files it accepted as python -m etl load)."""
    from etl.api import Origin

    scope = ":" + ",".join(viewer.scope) if viewer.scope else ""
    who = viewer.email or f"demo:{viewer.role}{scope}"
    return Origin(via=via, who=who, enterprises=viewer.scope)


def _notes(result: LoadResult) -> str:
    """A load's notes in the user's language (the ETL's own are Dutch)."""
    return "; ".join(map(problem_message, result.notes))


def _summary(parsed: list[ParsedFile], results: list[LoadResult]) -> pd.DataFrame:
    rows = [
        [pf.file, r.rows, r.added, r.replaced, r.unchanged, _notes(r)]
        for pf, r in zip(parsed, results, strict=True)
    ]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
