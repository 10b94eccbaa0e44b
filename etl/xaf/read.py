"""Read an auditfile streaming and safely: lxml's iterparse with entities, the network and any
DTD off, and a file with a DOCTYPE refused before its first element is read (an auditfile has
none; a DTD is how XML reads other files or blows up). Elements are dropped once read, so a
100 MB file takes little memory. The bookings are summed per account, period and booking
month as they are read; the checks of the standard run on the way (etl.xaf.checks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from etl.errors import InputError, Problem
from etl.messages import N_
from etl.xaf import checks

VERSIONS = {
    "http://www.auditfiles.nl/XAF/3.1": "3.1",
    "http://www.auditfiles.nl/XAF/3.2": "3.2",
    "http://www.odb.belastingdienst.nl/Belastingdienst/BCPP/1.1/structures/XmlauditfileXAF_4.0": (
        "4.0"
    ),
}
SUFFIXES = (".xaf", ".xml")
UNSAFE = N_(
    "onveilige XML: het bestand bevat een DOCTYPE (een DTD of entiteiten), wat een auditfile "
    "nooit heeft; er is niets uit het bestand of van elders gelezen"
)
CUT_OFF = N_(
    "het bestand is onvolledig: het houdt op in regel {regel} voordat de auditfile af is "
    "(afgebroken bij het exporteren of uploaden?); exporteer de auditfile opnieuw"
)
NOT_XML = N_("geen geldige XML in regel {regel}: {fout}")
NOT_XAF = N_(
    "geen XML Auditfile Financieel: het hoofdelement is {element}; verwacht auditfile met de "
    "namespace van XAF 3.1, 3.2 of 4.0"
)
EMPTY = N_("het bestand is leeg")
NO_TRANSACTIONS = N_("de auditfile bevat geen boekingen (transactions)")


@dataclass(frozen=True)
class Account:
    """A ledger account: its number, description, type (B, P or M) and RGS code if any."""

    id: str
    description: str
    type: str
    rgs: str | None


@dataclass
class Ledger:
    """What an auditfile holds, summed: the header, the accounts, the periods, and per
    (account, period, year and month of trDt) the debit minus credit."""

    file: str
    path: Path
    version: str
    software: str = ""
    software_version: str = ""
    fiscal_year: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    kvk: str | None = None
    company_ident: str | None = None
    company: str = ""
    accounts: dict[str, Account] = field(default_factory=dict)
    periods: dict[int, tuple[dt.date | None, dt.date | None]] = field(default_factory=dict)
    sums: dict[tuple[str, int | None, int | None, int | None], Decimal] = field(
        default_factory=dict
    )
    lines: int = 0
    notes: list[str] = field(default_factory=list)


def is_auditfile(path: Path) -> bool:
    """Whether a file is to be read as an auditfile: by its suffix, or an XML start."""
    if Path(path).suffix.lower() in SUFFIXES:
        return True
    with open(path, "rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<?xml") or head.startswith(b"<auditfile")


def read_ledger(path: Path, display_name: str | None = None) -> Ledger:
    """Read and check an auditfile; raise InputError listing every problem found."""
    path = Path(path)
    name = display_name or path.name
    if not path.is_file():
        raise InputError(f"bestand niet gevonden: {path}", file=name)
    if path.stat().st_size == 0:
        raise InputError(EMPTY, file=name)
    reader = _Reader(name, path)
    try:
        reader.run()
    except etree.XMLSyntaxError as err:
        started = reader.ledger is not None  # the auditfile began: it stops too soon
        raise InputError(_syntax_problem(name, path, err, started)) from None
    except _Refused as refused:
        raise InputError(refused.problem) from None
    return reader.result()


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.message)


def _syntax_problem(name: str, path: Path, err, started: bool) -> Problem:
    line = err.lineno or 1
    message = str(err.msg or err)
    if started and ("end of data" in message or line >= _last_line(path)):
        return Problem(name, None, None, None, None, CUT_OFF, {"regel": line})
    if "Entity" in message or "entity" in message:
        return Problem(name, None, None, None, None, UNSAFE)
    return Problem(name, None, None, None, None, NOT_XML, {"regel": line, "fout": message})


def _last_line(path: Path) -> int:
    """The number of the file's last line that holds anything."""
    lines, last = 0, b""
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            lines += chunk.count(b"\n")
            last = chunk
    return lines if last.endswith(b"\n") else lines + 1


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _children(elem) -> dict[str, str]:
    """The text of each child element by local name (the first of a name)."""
    out: dict[str, str] = {}
    for child in elem:
        tag = child.tag
        if isinstance(tag, str):
            key = tag[tag.find("}") + 1 :]
            if key not in out:
                out[key] = (child.text or "").strip()
    return out


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if text else None
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


SAFE = {  # nothing is read because a file says so: no DTD, no entities, no network
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
LINE_FIELDS = ("nr", "accID", "amnt", "amntTp", "debitAmount", "creditAmount")
TRANSACTION_FIELDS = ("nr", "periodNumber", "trDt")


def _line(values: list[str | None]) -> tuple[str, str, str, str]:
    """A line's number, account, amount and D or C (from amnt and amntTp, or from the
    debitAmount or creditAmount of older exports)."""
    number, account, amount, kind, debit_amount, credit_amount = values
    if amount is None and (debit_amount or credit_amount):
        amount, kind = (debit_amount, "D") if debit_amount else (credit_amount, "C")
    return (number or "").strip(), (account or "").strip(), amount or "", (kind or "").strip()


def _first_element(path: Path):
    """The root element, from a look at the start of the file (its DOCTYPE known by then)."""
    for _, elem in etree.iterparse(str(path), events=("start",), **SAFE):
        return elem
    return None


class _Reader:
    """One pass over the file: a handler per element of interest, at its end."""

    def __init__(self, name: str, path: Path) -> None:
        self.name, self.path = name, path
        self.check = checks.Checker(name)
        self.ledger: Ledger | None = None
        self.stated: dict[str, str] = {}
        self.first_use: dict[str, tuple[str, str, str]] = {}
        self.debit = self.credit = Decimal(0)
        self.journal = ""
        self.pending: list[tuple[str, str, str, str]] = []  # the lines of this transaction
        self.fields: dict[str, int] = {}  # a line's fields by qualified tag
        self.transaction_fields: dict[str, int] = {}  # and a transaction's
        self.line_tag = "trLine"

    def run(self) -> None:
        root = _first_element(self.path)
        self._root(root)
        ns = root.tag[: root.tag.find("}") + 1]
        self.fields = {ns + name: i for i, name in enumerate(LINE_FIELDS)}
        self.transaction_fields = {ns + name: i for i, name in enumerate(TRANSACTION_FIELDS)}
        self.line_tag = ns + "trLine"
        handlers = {
            "transaction": self._transaction,
            "jrnID": self._journal,
            "ledgerAccount": self._account,
            "period": self._period,
            "header": self._header,
            "linesCount": self._stated,
            "totalDebit": self._stated,
            "totalCredit": self._stated,
            "Commercenr": self._company,
            "companyIdent": self._company,
            "companyName": self._company,
        }
        handlers = {ns + tag: handler for tag, handler in handlers.items()}
        events = etree.iterparse(str(self.path), events=("end",), tag=list(handlers), **SAFE)
        for _, elem in events:
            handlers[elem.tag](elem)

    def _root(self, elem) -> None:
        if elem is None:
            raise _Refused(Problem(self.name, None, None, None, None, EMPTY))
        docinfo = elem.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise _Refused(Problem(self.name, None, None, None, None, UNSAFE))
        namespace, _, local = elem.tag.rpartition("}")
        version = VERSIONS.get(namespace.lstrip("{"))
        if local != "auditfile" or version is None:
            raise _Refused(
                Problem(self.name, None, None, None, None, NOT_XAF, {"element": elem.tag})
            )
        self.ledger = Ledger(self.name, self.path, version)

    @staticmethod
    def _drop(elem) -> None:
        """Drop what was read, and the siblings before it: memory stays bounded."""
        elem.clear(keep_tail=False)
        parent = elem.getparent()
        if parent is not None:
            while elem.getprevious() is not None:
                del parent[0]

    def _journal(self, elem) -> None:
        self.journal = (elem.text or "").strip()

    def _stated(self, elem) -> None:
        self.stated[_local(elem.tag)] = (elem.text or "").strip()

    def _company(self, elem) -> None:
        text = (elem.text or "").strip()
        tag = _local(elem.tag)
        if tag == "Commercenr":
            self.ledger.kvk = text or None
        elif tag == "companyIdent":
            self.ledger.company_ident = text or None
        else:
            self.ledger.company = text

    def _period(self, elem) -> None:
        values = _children(elem)
        number = _int(values.get("periodNumber"))
        if number is not None:
            self.ledger.periods[number] = (
                _date(values.get("startDatePeriod")),
                _date(values.get("endDatePeriod")),
            )
        self._drop(elem)

    def _header(self, elem) -> None:
        values = _children(elem)
        ledger = self.ledger
        ledger.fiscal_year = values.get("fiscalYear", "")
        ledger.start = _date(values.get("startDate"))
        ledger.end = _date(values.get("endDate"))
        ledger.software = values.get("softwareDesc", "")
        ledger.software_version = values.get("softwareVersion", "")

    def _account(self, elem) -> None:
        values = _children(elem)
        account_id = values.get("accID", "")
        rgs = values.get("RGScode") or _rgs_reference(elem)
        self.ledger.accounts[account_id] = Account(
            account_id, values.get("accDesc", ""), values.get("accTp", "").upper(), rgs or None
        )
        self._drop(elem)

    def _transaction(self, elem) -> None:
        """A transaction and its lines (read here, not each at its own end: half the events)."""
        found: list[str | None] = [None] * 3
        fields, line_fields, line_tag = self.transaction_fields, self.fields, self.line_tag
        pending = self.pending
        for child in elem:
            if child.tag == line_tag:
                values: list[str | None] = [None] * 6
                for part in child:
                    i = line_fields.get(part.tag)
                    if i is not None:
                        values[i] = part.text
                pending.append(_line(values))
                continue
            i = fields.get(child.tag)
            if i is not None and found[i] is None:
                found[i] = child.text
        number = (found[0] or "").strip()
        period = _int(found[1])
        date = _date(found[2])
        year, month = (date.year, date.month) if date else (None, None)
        debit = credit = Decimal(0)
        sums = self.ledger.sums
        for line, account, text, kind in self.pending:
            if account not in self.first_use:
                self.first_use[account] = (self.journal, number, line)
            try:
                amount = Decimal(text)
            except InvalidOperation:
                amount = None
            if amount is None or not amount.is_finite() or kind not in ("D", "C", "d", "c"):
                where = {"dagboek": self.journal, "boeking": number, "regel": line}
                shown = f"{text} {kind}".strip()
                self.check.add(checks.BAD_AMOUNT, text, **where, rekening=account, waarde=shown)
                continue
            key = (account, period, year, month)
            if kind in ("D", "d"):
                debit += amount
                sums[key] = sums.get(key, 0) + amount
            else:
                credit += amount
                sums[key] = sums.get(key, 0) - amount
        checks.balance(self.check, self.journal, number, debit, credit)
        self.ledger.lines += len(self.pending)
        self.debit += debit
        self.credit += credit
        self.pending = []
        self._drop(elem)

    def result(self) -> Ledger:
        ledger = self.ledger
        checks.totals(self.check, self.stated, ledger.lines, self.debit, self.credit)
        checks.unknown_accounts(self.check, self.first_use, ledger.accounts)
        problems = self.check.finish()
        if not problems and not ledger.lines:
            problems.append(Problem(self.name, None, None, None, None, NO_TRANSACTIONS))
        if problems:
            raise InputError(problems)
        return ledger


def _rgs_reference(elem) -> str | None:
    """A 3.2 RGS taxonomy reference of a ledger account, where a package writes one: the text
    of a descendant whose name speaks of RGS or a taxonomy reference and looks like a code."""
    for child in elem.iter():
        if not isinstance(child.tag, str) or child is elem:
            continue
        local = _local(child.tag).lower()
        text = (child.text or "").strip()
        named = "rgs" in local or local in ("taxoref", "referencecode")
        if named and text[:1] in "WB" and text.isalnum() and len(text) > 1:
            return text
    return None
