"""Portfolios on /financiers: the page's fixed choices, the saved ones a viewer may pick, the
rules for a name, and saving one for its owner (in the database, through the ETL's publish)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from etl.api import Origin, staged_database, store_portfolio
from wijkimpact.config import database_path
from wijkimpact.data import queries
from wijkimpact.data.access import FINANCIER, Viewer
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import N_, _, catalog_messages

MINE = "__mijn__"  # a financier's own portfolio: the enterprises it funds
EVERY = "__alle__"  # every enterprise whose figures the viewer may see
FIXED_LABELS = {
    MINE: N_("Mijn portefeuille"),
    EVERY: N_("Alle ondernemingen"),
}
EVERY_LIMITED = N_("Alle ondernemingen waarvan u de cijfers mag zien")
MAX_NAME = 60
NAME_PATTERN = re.compile(r"[\w .,'()&/-]+")

NOT_ALLOWED = N_("Alleen financiers en beheerders kunnen een portefeuille bewaren.")
NAME_EMPTY = N_("Naam: leeg. Geef de portefeuille een naam.")
NAME_TOO_LONG = N_("Naam: {lengte} tekens is te lang; maximaal {maximum} tekens.")
NAME_CHARACTERS = N_(
    "Naam '{naam}': gebruik alleen letters, cijfers, spaties en . , ' ( ) & / - in de naam."
)
NAME_RESERVED = N_(
    "Naam '{naam}': deze naam is gereserveerd voor de vaste keuzes van deze pagina ({vast}) "
    "en voor namen die met een liggend streepje beginnen of eindigen; kies een andere naam."
)
NO_ENTERPRISES = N_("Ondernemingen: geen gekozen. Kies minstens één onderneming.")
NOT_VISIBLE = N_(
    "Ondernemingen: {ids} kunt u niet bewaren: u mag de cijfers ervan niet zien, of ze bestaan "
    "niet. Kies alleen ondernemingen uit de lijst."
)
STATUS = {
    "nieuw": N_("Portefeuille {naam} bewaard."),
    "vervangen": N_("Portefeuille {naam} bijgewerkt: de vorige inhoud is vervangen."),
}


@dataclass(frozen=True)
class Choice:
    """One entry of the page's portfolio list."""

    label: str
    ids: tuple[str, ...] | None  # None: every enterprise the viewer may see


@dataclass
class Saved:
    """What became of a portfolio the viewer asked to save."""

    problems: list[str] = field(default_factory=list)
    status: str | None = None  # nieuw or vervangen
    key: tuple[str, str] | None = None  # its choice: (owner, name)

    def message(self) -> str:
        """One sentence on the outcome, in the current language (Markdown-safe)."""
        name = for_markdown(f"'{self.key[1]}'") if self.key else ""
        return _(STATUS[self.status], naam=name) if self.status else ""

    def as_markdown(self) -> str:
        """The problems as a Markdown list, every character of the user's input escaped."""
        return "\n".join(f"- {for_markdown(problem)}" for problem in self.problems)


def choices(viewer: Viewer, saved: pd.DataFrame) -> dict[object, Choice]:
    """The page's portfolio list: a financier's own portfolio, all it may see, then the saved
    portfolios ``saved`` (queries.saved_portfolios, already limited to what the viewer may
    see), keyed (owner, name); another owner's are labelled with that owner."""
    out: dict[object, Choice] = {}
    if viewer.role == FINANCIER:
        out[MINE] = Choice(_(FIXED_LABELS[MINE]), viewer.scope)
    every = FIXED_LABELS[EVERY] if viewer.sees_all else EVERY_LIMITED
    out[EVERY] = Choice(_(every), None)
    for row in saved.itertuples(index=False):
        label = row.name
        if row.owner != viewer.owner:
            label = _("{naam} (van {eigenaar})", naam=row.name, eigenaar=owner_label(row.owner))
        out[(row.owner, row.name)] = Choice(label, tuple(str(i) for i in row.enterprise_ids))
    return out


def owner_label(owner: str) -> str:
    """An owner as people read it: the address, or which demo role (Viewer.owner)."""
    if not owner.startswith("demo:"):
        return owner
    _demo, role, *scope = owner.split(":", 2)
    if scope:
        return _("demo-{rol} met {ids}", rol=role, ids=scope[0].replace(",", ", "))
    return _("demo-{rol}", rol=role)


def reserved(name: str) -> bool:
    """Whether a name is, or looks like, one of the page's fixed choices: ``__mijn__``,
    ``__alle__`` or any name that starts or ends with an underscore, the words mijn and alle,
    and the fixed choices' labels in every language, whatever the case, spaces and marks."""
    folded = name.strip().casefold()
    return folded.startswith("_") or folded.endswith("_") or _core(folded) in _reserved_cores()


def _core(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


@cache
def _reserved_cores() -> frozenset[str]:
    english = catalog_messages("en")
    labels = [*FIXED_LABELS.values(), EVERY_LIMITED]
    return frozenset(
        {_core(key) for key in FIXED_LABELS}
        | {_core(label) for label in labels}
        | {_core(english.get(label) or label) for label in labels}
    )


def check(viewer: Viewer, name: str, enterprise_ids: list[str]) -> list[str]:
    """What is wrong with saving these (in the current language), each naming its field."""
    if viewer.owner is None:
        return [_(NOT_ALLOWED)]
    problems = []
    cleaned = name.strip()
    if not cleaned:
        problems.append(_(NAME_EMPTY))
    elif len(cleaned) > MAX_NAME:
        problems.append(_(NAME_TOO_LONG, lengte=len(cleaned), maximum=MAX_NAME))
    elif not NAME_PATTERN.fullmatch(cleaned):
        problems.append(_(NAME_CHARACTERS, naam=cleaned))
    elif reserved(cleaned):
        fixed = ", ".join(_(label) for label in FIXED_LABELS.values())
        problems.append(_(NAME_RESERVED, naam=cleaned, vast=fixed))
    if not enterprise_ids:
        problems.append(_(NO_ENTERPRISES))
    return problems


class _Refused(Exception):
    """Raised inside the staged database so that nothing is published."""

    def __init__(self, ids: list[str]) -> None:
        super().__init__(", ".join(ids))
        self.ids = ids


def save(
    viewer: Viewer, name: str, enterprise_ids: list[str], db_path: Path | None = None
) -> Saved:
    """Save the viewer's portfolio ``name`` (trimmed) of ``enterprise_ids``, replacing only its
    own portfolio of that name. Nothing changes when there is any problem: a name that is
    empty, too long, of other characters or reserved; no enterprise; an enterprise whose
    figures the viewer may not see (checked in the database that is written)."""
    problems = check(viewer, name, enterprise_ids)
    if problems:
        return Saved(problems)
    cleaned, owner = name.strip(), str(viewer.owner)
    try:
        origin = Origin(via="portefeuille", who=owner)
        with staged_database(db_path or database_path(), origin=origin) as con:
            outside = queries.not_visible(con, viewer, enterprise_ids)
            if outside:
                raise _Refused(outside)
            replaced = store_portfolio(con, owner, cleaned, enterprise_ids)
    except _Refused as refused:
        return Saved([_(NOT_VISIBLE, ids=", ".join(refused.ids))])
    return Saved([], "vervangen" if replaced else "nieuw", (owner, cleaned))
