"""Auditfiles among the uploads on /gegevens: whose they are (an enterprise loads only its own),
what they give per category, and the koppeling to offer when accounts lack a category."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.api import (
    MISSING_KOPPELING,
    ONDERNEMING,
    AuditFile,
    Problem,
    check_auditfiles,
    record_step,
)
from wijkimpact.data import db
from wijkimpact.data.access import Viewer
from wijkimpact.formatting import euro, month_name
from wijkimpact.i18n import _

OFFER_COLUMNS = ["onderneming", "rekening", "omschrijving", "categorie"]


@dataclass
class Found:
    """What the auditfiles of a set of uploads give: problems, a preview per file, and the
    koppeling rows to offer (one per account without a category, a suggestion filled in)."""

    problems: list[Problem] = field(default_factory=list)
    previews: list[tuple[str, int, pd.DataFrame]] = field(default_factory=list)
    offer: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OFFER_COLUMNS))


def own_enterprise(viewer: Viewer) -> str | None:
    """The enterprise an onderneming loads for: its own (its auditfile is its own, whatever
    number the file carries)."""
    if viewer.role == ONDERNEMING and len(viewer.scope) == 1:
        return viewer.scope[0]
    return None


def assign(parsed: Sequence, viewer: Viewer, chosen: str | None = None) -> None:
    """An enterprise's auditfiles are its own; a beheerder's are ``chosen``'s, or found by
    their KvK number. A load of them is done again (python -m etl rebuild) for that
    enterprise."""
    own = own_enterprise(viewer) or (chosen if viewer.sees_all else None)
    audits = [pf for pf in parsed if isinstance(pf, AuditFile)]
    if own is None or not audits:
        return
    for pf in audits:
        pf.enterprise = own
    record_step("load", *(pf.path for pf in parsed), "--onderneming", own)


def check(
    parsed: Sequence, db_path: Path | None, viewer: Viewer, chosen: str | None = None
) -> Found:
    """Prepare the auditfiles among ``parsed`` (checked files) against the database: their
    enterprise, their amounts, the accounts without a category."""
    found = Found()
    if not any(isinstance(pf, AuditFile) for pf in parsed):
        return found
    assign(parsed, viewer, chosen)
    with db.cursor(db_path) as cur:
        found.problems = check_auditfiles(cur, list(parsed))
    rows = [[p.params[k] for k in ("onderneming", "rekening", "omschrijving", "voorstel")]
            for p in found.problems if p.template == MISSING_KOPPELING]  # fmt: skip
    found.offer = pd.DataFrame(rows, columns=OFFER_COLUMNS, dtype=object)
    for pf in parsed:
        if isinstance(pf, AuditFile) and pf.result is not None and not pf.result.problems:
            found.previews.append((pf.file, pf.ledger.lines, preview(pf)))
    return found


def preview(pf: AuditFile) -> pd.DataFrame:
    """Per category (as read from the books) its amount per month, in euros."""
    amounts: dict[str, dict[tuple[int, int], float]] = {}
    for (year, month, category), amount in pf.result.rows.items():
        amounts.setdefault(category, {})[(year, month)] = float(amount)
    months = pf.months.covered
    frame = pd.DataFrame({_("Categorie"): list(amounts)}, dtype=object)
    for year, month in months:
        label = f"{month_name(month)[:3]} {year}"
        frame[label] = [euro(amounts[c].get((year, month), 0.0)) for c in amounts]
    frame[_("Totaal")] = [euro(sum(amounts[c].values())) for c in amounts]
    return frame
