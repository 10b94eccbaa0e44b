"""Auditfiles written as packages write them, for tests: every amount the file books is known
here, so a test computes what the load must give without reading the file back.

``auditfile`` takes accounts (id, description, type, RGS code) and transactions (journal, nr,
period, date, lines of (account, amount, D/C)); ``Package`` says how a package writes: its
version, encoding, periods, declaration, BOM, line ends and what it leaves out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

NAMESPACES = {
    "3.1": "http://www.auditfiles.nl/XAF/3.1",
    "3.2": "http://www.auditfiles.nl/XAF/3.2",
    "4.0": "http://www.odb.belastingdienst.nl/Belastingdienst/BCPP/1.1/structures/"
    "XmlauditfileXAF_4.0",
}


@dataclass(frozen=True)
class Package:
    """How a bookkeeping package writes its auditfile."""

    name: str = "Exact Online"
    version: str = "3.2"
    encoding: str = "UTF-8"
    declaration: bool = True
    bom: bool = False
    crlf: bool = False
    comment: bool = False  # a comment before the root element
    software_version: bool = True
    periods: str = "calendar"  # calendar | none | four-weekly
    fiscal_year: str | None = None  # what the header says (None: the year of the dates)
    totals: bool = True


@dataclass(frozen=True)
class Booking:
    journal: str
    nr: str
    period: int
    date: dt.date
    lines: tuple[tuple[str, str, str], ...]  # (account, amount as written, D or C)


def auditfile(
    package: Package,
    accounts: list[tuple[str, str, str, str | None]],
    bookings: list[Booking],
    start: dt.date = dt.date(2024, 1, 1),
    end: dt.date = dt.date(2024, 12, 31),
    kvk: str | None = None,
) -> bytes:
    """The bytes of an auditfile."""
    out = []
    if package.declaration:
        out.append(f'<?xml version="1.0" encoding="{package.encoding}"?>')
    if package.comment:
        out.append(f"<!-- geëxporteerd door {package.name} -->")
    out.append(f'<auditfile xmlns="{NAMESPACES[package.version]}">')
    out.append("<header>")
    out.append(f"<fiscalYear>{package.fiscal_year or start.year}</fiscalYear>")
    out.append(f"<startDate>{start}</startDate><endDate>{end}</endDate>")
    out.append(f"<softwareDesc>{escape(package.name)}</softwareDesc>")
    if package.software_version:
        out.append("<softwareVersion>2024.3</softwareVersion>")
    out.append("</header><company>")
    if kvk:
        out.append(f"<Commercenr>{kvk}</Commercenr>")
    else:
        out.append("<companyIdent>1</companyIdent>")
    out.append("<companyName>Buurtbedrijf Test</companyName><generalLedger>")
    for account, description, kind, rgs in accounts:
        code = f"<RGScode>{rgs}</RGScode>" if rgs else ""
        out.append(
            f"<ledgerAccount><accID>{account}</accID><accDesc>{escape(description)}</accDesc>"
            f"<accTp>{kind}</accTp>{code}</ledgerAccount>"
        )
    out.append("</generalLedger>")
    out.append(_periods(package, start))
    lines = [line for b in bookings for line in b.lines]
    debit = sum(float(a) for _, a, t in lines if t == "D")
    credit = sum(float(a) for _, a, t in lines if t == "C")
    out.append("<transactions>")
    if package.totals:
        out.append(
            f"<linesCount>{len(lines)}</linesCount><totalDebit>{debit:.2f}</totalDebit>"
            f"<totalCredit>{credit:.2f}</totalCredit>"
        )
    for journal in dict.fromkeys(b.journal for b in bookings):
        out.append(f"<journal><jrnID>{journal}</jrnID><desc>Dagboek</desc>")
        for b in (b for b in bookings if b.journal == journal):
            out.append(
                f"<transaction><nr>{b.nr}</nr><desc>Boeking</desc>"
                f"<periodNumber>{b.period}</periodNumber><trDt>{b.date}</trDt>"
            )
            for n, (account, amount, kind) in enumerate(b.lines, start=1):
                out.append(
                    f"<trLine><nr>{n}</nr><accID>{account}</accID><docRef>{b.nr}</docRef>"
                    f"<amnt>{amount}</amnt><amntTp>{kind}</amntTp></trLine>"
                )
            out.append("</transaction>")
        out.append("</journal>")
    out.append("</transactions></company></auditfile>")
    text = ("\r\n" if package.crlf else "\n").join(out) + "\n"
    data = text.encode("latin-1" if package.encoding.upper() == "ISO-8859-1" else "utf-8")
    return (b"\xef\xbb\xbf" if package.bom else b"") + data


def _periods(package: Package, start: dt.date) -> str:
    if package.periods == "none":
        return ""
    parts = ["<periods>"]
    for n in range(1, 13):
        if package.periods == "calendar":
            first = dt.date(start.year, n, 1)
            last = (dt.date(start.year + (n == 12), n % 12 + 1, 1)) - dt.timedelta(days=1)
        else:  # thirteen periods of four weeks: not calendar months
            first = start + dt.timedelta(days=28 * (n - 1))
            last = first + dt.timedelta(days=27)
        parts.append(
            f"<period><periodNumber>{n}</periodNumber><startDatePeriod>{first}</startDatePeriod>"
            f"<endDatePeriod>{last}</endDatePeriod></period>"
        )
    parts.append("</periods>")
    return "".join(parts)
