"""The users file an administrator keeps: who may log in, with which role and scope.

Columns (Dutch headers, case- and space-insensitive, CSV or xlsx): email, rol, onderneming,
portefeuille. Roles: onderneming (needs its enterprise in kolom onderneming), financier (needs
a portefeuille: enterprise ids separated by commas, semicolons or spaces), professional and
beheerder (neither). A load replaces the whole list, atomically, like every other load.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import cells
from etl.errors import InputError, Problem
from etl.loadlog import log_load, next_batch_id
from etl.schema import ensure_tables
from etl.sheet_spec import normalise_name
from etl.tables import read_tables

# The roles a users file may give: the values app_user.role may hold (etl/sql/schema.sql).
# wijkimpact.data.access decides what each may see.
ONDERNEMING = "onderneming"
FINANCIER = "financier"
PROFESSIONAL = "professional"
BEHEERDER = "beheerder"
ROLES = (ONDERNEMING, FINANCIER, PROFESSIONAL, BEHEERDER)

COLUMNS = {
    "email": ("email", "e-mail", "emailadres", "e-mailadres", "mail"),
    "rol": ("rol", "role"),
    "onderneming": ("onderneming", "enterprise", "enterprise_id"),
    "portefeuille": ("portefeuille", "portfolio"),
}
REQUIRED = ("email", "rol")
HEADER_SEARCH_ROWS = 10
EMAIL = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[a-z]{2,}$", re.IGNORECASE)
SEPARATORS = re.compile(r"[,;\s]+")
USER_TABLES = ("app_user", "portfolio_member")


@dataclass
class User:
    """One row of the users file, checked."""

    email: str
    role: str
    enterprise_id: str | None = None
    portfolio: list[str] = field(default_factory=list)
    portfolio_text: str | None = None


def read_users(path: Path, enterprises: set[str]) -> list[User]:
    """Read and check a users file against the known enterprise ids; raise InputError listing
    every problem (file, row, column) when anything is wrong."""
    path = Path(path)
    tables = [t for t in read_tables(path) if not t.grid.dropna(how="all").empty]
    problems: list[Problem] = []
    if not tables:
        raise InputError("het bestand is leeg: verwacht een kopregel met email en rol", path.name)
    table = tables[0]  # the first sheet with anything in it
    grid = table.whole_grid().dropna(how="all")
    header_row, columns = _find_header(grid)
    if header_row is None:
        raise InputError(
            Problem(
                table.file,
                table.sheet,
                None,
                None,
                None,
                f"geen kopregel met de kolommen email en rol gevonden in de eerste "
                f"{HEADER_SEARCH_ROWS} rijen; verwacht: email, rol, onderneming, portefeuille",
            )
        )
    missing = [c for c in REQUIRED if c not in columns]
    for name in missing:
        problems.append(
            Problem(table.file, table.sheet, header_row, name, None, f"kolom {name} ontbreekt")
        )
    if problems:
        raise InputError(problems)
    body = grid.loc[grid.index > header_row]
    text = {
        name: cells.parse_text(body[position])[0] if position is not None else None
        for name, position in columns.items()
    }
    users: list[User] = []
    seen: dict[str, int] = {}
    for row in body.index:
        values = {name: (col.at[row] if col is not None else None) for name, col in text.items()}
        if all(v is None for v in values.values()):
            continue
        user = _check_row(table.file, table.sheet, int(row), values, enterprises, problems)
        if user is None:
            continue
        if user.email in seen:
            problems.append(
                Problem(
                    table.file,
                    table.sheet,
                    int(row),
                    "email",
                    user.email,
                    f"dit e-mailadres staat er al op rij {seen[user.email]}: één rij per adres",
                )
            )
            continue
        seen[user.email] = int(row)
        users.append(user)
    if not users and not problems:
        problems.append(
            Problem(table.file, table.sheet, header_row, None, None, "geen gebruikers gevonden")
        )
    if problems:
        raise InputError(problems)
    return users


def _find_header(grid: pd.DataFrame) -> tuple[int | None, dict[str, object]]:
    lookup = {normalise_name(alias): name for name, aliases in COLUMNS.items() for alias in aliases}
    for row in grid.index[:HEADER_SEARCH_ROWS]:
        found: dict[str, object] = {}
        for position, title in grid.loc[row].items():
            name = lookup.get(normalise_name(title)) if isinstance(title, str) else None
            if name and name not in found:
                found[name] = position
        if all(c in found for c in REQUIRED):
            return int(row), {name: found.get(name) for name in COLUMNS}
    return None, {}


def _check_row(file, sheet, row, values, enterprises, problems) -> User | None:
    def problem(column: str | None, value: object, message: str) -> None:
        problems.append(Problem(file, sheet, row, column, value, message))

    before = len(problems)
    email = (values["email"] or "").strip().lower()
    if not email:
        problem("email", None, "e-mailadres ontbreekt")
    elif not EMAIL.match(email):
        problem(
            "email", values["email"], "geen geldig e-mailadres: verwacht iets als naam@voorbeeld.nl"
        )
    role = (values["rol"] or "").strip().lower()
    enterprise = (values["onderneming"] or "").strip() or None
    portfolio_text = (values["portefeuille"] or "").strip() or None
    portfolio = [p for p in SEPARATORS.split(portfolio_text or "") if p]
    if not role:
        problem("rol", None, "rol ontbreekt: kies " + _choices())
    elif role not in ROLES:
        problem("rol", values["rol"], "onbekende rol: kies " + _choices())
    elif role == ONDERNEMING:
        if enterprise is None:
            problem("onderneming", None, "rol onderneming zonder onderneming: vul het id in")
        elif enterprise not in enterprises:
            problem("onderneming", enterprise, _unknown(enterprises))
        if portfolio_text:
            problem("portefeuille", portfolio_text, "alleen een financier heeft een portefeuille")
    elif role == FINANCIER:
        if enterprise:
            problem(
                "onderneming",
                enterprise,
                "een financier heeft geen eigen onderneming: zet de ondernemingen die hij "
                "financiert in kolom portefeuille",
            )
        if not portfolio:
            problem(
                "portefeuille",
                None,
                "rol financier zonder portefeuille: vul de ids van de gefinancierde ondernemingen "
                "in, gescheiden door komma's",
            )
        for unknown in [p for p in portfolio if p not in enterprises]:
            problem("portefeuille", unknown, _unknown(enterprises))
    else:
        if enterprise:
            problem("onderneming", enterprise, f"rol {role} heeft geen onderneming: laat leeg")
        if portfolio_text:
            problem(
                "portefeuille", portfolio_text, f"rol {role} heeft geen portefeuille: laat leeg"
            )
    if len(problems) > before:
        return None
    return User(
        email,
        role,
        enterprise if role == ONDERNEMING else None,
        sorted(set(portfolio)) if role == FINANCIER else [],
        portfolio_text if role == FINANCIER else None,
    )


def _choices() -> str:
    return ", ".join(ROLES[:-1]) + " of " + ROLES[-1]


def _unknown(enterprises: set[str]) -> str:
    known = ", ".join(sorted(enterprises)) or "er zijn nog geen ondernemingen geladen"
    return f"onbekende onderneming: dit id staat niet in de database (bekend: {known})"


def ensure_user_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create app_user and portfolio_member in a database made before they existed."""
    ensure_tables(con, USER_TABLES)


def load_users(con: duckdb.DuckDBPyConnection, path: Path) -> list[User]:
    """Check the users file against the enterprises in ``con`` and replace the whole user list
    (run inside etl.publish.staged_database: nothing changes when the file has a problem)."""
    ensure_user_tables(con)
    enterprises = {r[0] for r in con.execute("select enterprise_id from enterprise").fetchall()}
    users = read_users(path, enterprises)
    con.execute("delete from portfolio_member")
    con.execute("delete from app_user")
    con.executemany(
        "insert into app_user (email, role, enterprise_id, portfolio) values (?, ?, ?, ?)",
        [[u.email, u.role, u.enterprise_id, u.portfolio_text] for u in users],
    )
    members = [[u.email, e] for u in users for e in u.portfolio]
    if members:
        con.executemany(
            "insert into portfolio_member (email, enterprise_id) values (?, ?)", members
        )
    log_load(
        con,
        batch_id=next_batch_id(con),
        source=Path(path),
        kind="gebruikers",
        rows=len(users),
        outcome="geladen",
        added=len(users),
        message="de hele gebruikerslijst is vervangen",
    )
    return users
