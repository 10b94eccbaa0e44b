"""One activity entered in a form: checked by the same rules as a file, then loaded."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.api import (
    Context,
    InputError,
    Problem,
    Sheet,
    database_context,
    load_parsed,
    read_enterprise_files,
    sheet_specs,
    staged_database,
    validate_frame,
)
from wijkimpact.config import database_path
from wijkimpact.data import db
from wijkimpact.data.access import Viewer
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import N_, _, problem_message
from wijkimpact.ui.intake import origin

KIND = "activiteiten"
FORM = "formulier"  # the 'file' that problems of the form name
RECORD_FILE = "formulier_activiteit.csv"  # what load_log records as the source
FIELDS = [column.name for column in sheet_specs()[KIND].columns]
STATUS = {
    "nieuw": N_("Activiteit opgeslagen."),
    "vervangen": N_("Deze activiteit stond er al; de gegevens zijn bijgewerkt."),
    "ongewijzigd": N_("Deze activiteit stond er al precies zo in; er is niets veranderd."),
}
NOT_SAVED = N_("Niet opgeslagen.")
# the number fields of the form: their label and widget key; typed as text, read by the rules
# of the activiteiten sheet (a decimal comma or point: 18,5 and 18.5 are both 18,5 hours)
NUMBERS = {
    "deelnemers": (N_("Deelnemers"), "form_deelnemers"),
    "vrijwilligers": (N_("Vrijwilligers"), "form_vrijwilligers"),
    "vrijwilligersuren": (N_("Vrijwilligersuren"), "form_uren"),
}


@dataclass
class Saved:
    """What became of a submitted activity: problems (in the language of the moment it was
    submitted), or how it was stored."""

    problems: list[str] = field(default_factory=list)
    status: str | None = None  # nieuw, vervangen or ongewijzigd

    @property
    def message(self) -> str:
        """One sentence on the outcome, in the current language."""
        return _(STATUS.get(self.status or "", NOT_SAVED))


def activity_frame(values: Mapping[str, object]) -> pd.DataFrame:
    """The form as a one-row activiteiten sheet under its Dutch column names."""
    row = {name: _blank_to_none(values.get(name)) for name in FIELDS}
    return pd.DataFrame([row], columns=FIELDS, dtype=object)


def _blank_to_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def check(values: Mapping[str, object], context: Context) -> tuple[Sheet, list[Problem]]:
    """Validate the activity exactly as a row of an activiteiten file would be."""
    return validate_frame(activity_frame(values), KIND, context, FORM)


def read_numbers(values: Mapping[str, object]) -> dict[str, tuple[object, str, str | None]]:
    """Each filled-in number field as saving would store it, before anything is saved: its
    value and cell type, or None and what is wrong (in the current language). Read by the
    rules of the activiteiten sheet (etl.cell_rules), as a file's cells are."""
    filled = [name for name in NUMBERS if _blank_to_none(values.get(name)) is not None]
    if not filled:
        return {}
    sheet, problems = check(values, Context())  # the numbers' rules need nothing known
    wrong = {p.column: problem_message(p) for p in problems if p.column in filled}
    kinds = {c.name: c for c in sheet_specs()[KIND].columns}
    return {
        name: (
            None if name in wrong else sheet.data[kinds[name].db_column].iloc[0],
            kinds[name].type,
            wrong.get(name),
        )
        for name in filled
    }


def describe(problem: Problem) -> str:
    """'deelnemers: moet een heel getal van 0 of meer zijn (ingevuld: -5)'."""
    where = f"{problem.column}: " if problem.column else ""
    if problem.value in (None, ""):
        return f"{where}{problem_message(problem)}"
    return f"{where}{problem_message(problem)} " + _("(ingevuld: {waarde})", waarde=problem.value)


def as_markdown(problems: list[str]) -> str:
    """The problems as a Markdown list, every character of the user's input escaped."""
    return "\n".join(f"- {for_markdown(problem)}" for problem in problems)


def save(values: Mapping[str, object], db_path: Path | None = None, *, viewer: Viewer) -> Saved:
    """Check the activity and, when it has no problem, load it like a file (idempotent). Only
    for the viewer's own enterprise (any for a beheerder)."""
    enterprise = _blank_to_none(values.get("onderneming"))
    if not viewer.may_upload:
        return Saved([_("alleen een onderneming en beheerders mogen activiteiten invoeren")])
    if enterprise is not None and not viewer.may_write(str(enterprise).strip()):
        message = N_("u mag alleen activiteiten van uw eigen onderneming invoeren")
        return Saved([describe(Problem(FORM, None, None, "onderneming", enterprise, message))])
    with db.cursor(db_path) as cur:
        _sheet, problems = check(values, database_context(cur))
    if problems:
        return Saved([describe(p) for p in problems])
    target = db_path or database_path()
    try:
        with tempfile.TemporaryDirectory(prefix="wijkimpact_form_") as tmp:
            # the small file the entry amounts to: what is loaded, archived and replayed
            record = Path(tmp) / RECORD_FILE
            activity_frame(values).to_csv(record, sep=";", index=False)
            with staged_database(target, origin=origin(viewer, "formulier")) as con:
                _sheet, problems = check(values, database_context(con))
                if problems:
                    raise InputError(problems)
                [result] = load_parsed(con, read_enterprise_files([record], database_context(con)))
    except InputError as err:
        return Saved([describe(p) for p in err.problems])
    status = "nieuw" if result.added else "vervangen" if result.replaced else "ongewijzigd"
    return Saved([], status)
