"""An auditfile as one of the files of a load: read and checked with the other files of the
batch (AuditFile, read_auditfile); made the enterprise's financien with the koppeling of the
batch and the database (prepare); loaded, replacing the months it covers (load_months)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.errors import Problem
from etl.messages import N_
from etl.schema import ensure_tables
from etl.xaf.koppeling import Result, account_key, categorise
from etl.xaf.months import Months, by_month
from etl.xaf.read import Ledger, read_ledger

KIND = "auditfile"
NO_ENTERPRISE = N_(
    "voor welke onderneming is deze auditfile? Het bestand heeft geen KvK-nummer "
    "(Commercenr) dat bij een onderneming in Wijkimpact hoort: laad hem als die onderneming "
    "op de pagina Gegevens, of met python -m etl load BESTAND --onderneming ID"
)
UNKNOWN_ENTERPRISE = N_("onbekende onderneming {onderneming}: dit id staat niet in de database")
OTHER_KVK = N_(
    "het KvK-nummer van de auditfile ({kvk}) is dat van onderneming {andere}, niet van "
    "{onderneming}"
)


@dataclass
class AuditFile:
    """An auditfile among the files of a load (as etl.enterprise_files.ParsedFile, without
    sheets): its ledger, and once prepared, the enterprise, its months and its finance rows."""

    file: str
    path: Path
    sheets: list = field(default_factory=list)  # none: an auditfile is not a spreadsheet
    notes: list[str] = field(default_factory=list)
    checksum: str | None = None  # computed from the file when logged
    ledger: Ledger | None = None
    enterprise: str | None = None  # given (--onderneming, the page), or found by KvK number
    months: Months | None = None
    result: Result | None = None
    kind: str = KIND

    def describe(self) -> str:
        """What load_log keeps of the file: version, software, fiscal year, months."""
        ledger = self.ledger
        software = " ".join(p for p in (ledger.software, ledger.software_version) if p)
        months = self.months.covered if self.months else []
        span = ""
        if months:
            span = f"{months[0][1]}-{months[0][0]} t/m {months[-1][1]}-{months[-1][0]}"
        return (
            f"auditfile XAF {ledger.version} uit {software or 'onbekend pakket'}, boekjaar "
            f"{ledger.fiscal_year or '?'}, onderneming {self.enterprise}, maanden {span}"
        )


# the enterprise a command names for its auditfiles (python -m etl load --onderneming ID)
_GIVEN: ContextVar[str | None] = ContextVar("auditfile_enterprise", default=None)


@contextmanager
def given_enterprise(enterprise: str | None) -> Iterator[None]:
    """Within the block, auditfiles without an enterprise of their own are ``enterprise``'s."""
    token = _GIVEN.set(enterprise)
    try:
        yield
    finally:
        _GIVEN.reset(token)


def read_auditfile(path: Path, display_name: str | None = None) -> AuditFile:
    """Read and check an auditfile (InputError on any problem)."""
    ledger = read_ledger(Path(path), display_name)
    return AuditFile(ledger.file, Path(path), [], [], None, ledger=ledger)


def _kvk(text: object) -> str:
    return "".join(ch for ch in str(text or "") if ch.isdigit()).lstrip("0")


def prepare(con: duckdb.DuckDBPyConnection, files: list) -> list[Problem]:
    """Find each auditfile's enterprise and make its finance rows with the koppeling: the
    batch's grootboek sheets over the database's. Returns the problems (nothing is written)."""
    audits = [pf for pf in files if isinstance(pf, AuditFile)]
    if not audits:
        return []
    known = dict(con.execute("select enterprise_id, kvk from enterprise").fetchall())
    for pf in files:
        for sheet in pf.sheets:
            if sheet.kind == "ondernemingen" and sheet.data is not None:
                for row in sheet.data[["enterprise_id", "kvk"]].itertuples(index=False):
                    known[str(row.enterprise_id)] = row.kvk
    koppeling = _koppeling(con, files)
    problems: list[Problem] = []
    for pf in audits:
        pf.enterprise = pf.enterprise or _GIVEN.get()
        found = _enterprise(pf, known, problems)
        if found is None:
            continue
        pf.enterprise = found
        pf.months = by_month(pf.ledger)
        pf.result = categorise(pf.ledger, pf.months, found, koppeling.get(found, {}))
        problems += pf.result.problems
        pf.notes = pf.months.notes + pf.result.notes
    return problems


def _enterprise(pf: AuditFile, known: dict, problems: list[Problem]) -> str | None:
    by_kvk: dict[str, str] = {}
    for enterprise, kvk in known.items():
        if _kvk(kvk):
            by_kvk.setdefault(_kvk(kvk), enterprise)
    file_kvk = _kvk(pf.ledger.kvk)
    owner = by_kvk.get(file_kvk) if file_kvk else None
    if pf.enterprise is not None:
        if pf.enterprise not in known:
            params = {"onderneming": pf.enterprise}
            problems.append(Problem(pf.file, None, None, None, None, UNKNOWN_ENTERPRISE, params))
            return None
        if owner is not None and owner != pf.enterprise:
            params = {"kvk": pf.ledger.kvk, "andere": owner, "onderneming": pf.enterprise}
            problems.append(Problem(pf.file, None, None, None, None, OTHER_KVK, params))
            return None
        return pf.enterprise
    if owner is None:
        problems.append(Problem(pf.file, None, None, None, None, NO_ENTERPRISE))
    return owner


def _koppeling(con, files: list) -> dict[str, dict[str, str]]:
    """enterprise -> account key -> category: the database's, then the batch's sheets."""
    out: dict[str, dict[str, str]] = {}
    if _has_mapping(con):
        rows = con.execute("select enterprise_id, account, category from ledger_mapping")
        for enterprise, account, category in rows.fetchall():
            out.setdefault(enterprise, {})[account_key(account)] = category
    for pf in files:
        for sheet in pf.sheets:
            if sheet.kind == "grootboek" and sheet.data is not None:
                frame = sheet.data[["enterprise_id", "account", "category"]]
                for enterprise, account, category in frame.itertuples(index=False):
                    out.setdefault(str(enterprise), {})[account_key(account)] = str(category)
    return out


def _has_mapping(con) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_name = 'ledger_mapping'"
    )
    return found.fetchall()[0][0] > 0


def ensure_mapping(con: duckdb.DuckDBPyConnection) -> None:
    """A database made before koppelingen gets their table."""
    ensure_tables(con, ("ledger_mapping",))


def finance_table(pf: AuditFile) -> pa.Table:
    """The finance rows of a prepared auditfile (amounts to the cent; none of 0,00)."""
    rows = [
        (pf.enterprise, year, month, category, float(amount.quantize(Decimal("0.01"))))
        for (year, month, category), amount in sorted(pf.result.rows.items())
        if amount.quantize(Decimal("0.01")) != 0
    ]
    columns = ("enterprise_id", "year", "month", "category", "amount")
    return pa.table({name: [r[i] for r in rows] for i, name in enumerate(columns)})


def empty_months(con, pf: AuditFile, with_rows: set[tuple[int, int]]) -> int:
    """Delete what is stored for the covered months in which the file has no amounts: those
    months are now known to be empty. Returns how many months had rows."""
    gone = 0
    for year, month in pf.months.covered:
        if (year, month) in with_rows:
            continue
        found = con.execute(
            "select count(*) from finance where enterprise_id = ? and year = ? and month = ?",
            [pf.enterprise, year, month],
        ).fetchall()[0][0]
        if found:
            con.execute(
                "delete from finance where enterprise_id = ? and year = ? and month = ?",
                [pf.enterprise, year, month],
            )
            gone += 1
    return gone
