"""The month a booking counts in. When the file's periods are the calendar months, a
booking's period decides (a prepaid or late booking is dated outside the year but booked in a
period inside it); otherwise its date (trDt). Period 0 is the opening balance: it holds
balances only and counts nowhere. A closing period (13 and up; some packages write 55) counts
in the last month of the year. A file covers the months from its start date to its end date
that bookings reach: a quarter gives three months."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from etl.xaf.read import Ledger

Month = tuple[int, int]  # (year, month)


@dataclass
class Months:
    """The sums per account and month, the months the file covers, and notes for the user."""

    sums: dict[tuple[str, Month], Decimal] = field(default_factory=dict)
    covered: list[Month] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def calendar_periods(ledger: Ledger) -> bool:
    """Whether every period from 1 to 12 the file lists is one calendar month."""
    regular = {n: dates for n, dates in ledger.periods.items() if 1 <= n <= 12}
    if not regular:
        return False
    for start, end in regular.values():
        if start is None or end is None or start.day != 1:
            return False
        last = calendar.monthrange(start.year, start.month)[1]
        if (end.year, end.month, end.day) != (start.year, start.month, last):
            return False
    return True


def _span(ledger: Ledger) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day of the file: its start and end date, else its periods'."""
    starts = [s for s, _ in ledger.periods.values() if s]
    ends = [e for _, e in ledger.periods.values() if e]
    start = ledger.start or (min(starts) if starts else None)
    end = ledger.end or (max(ends) if ends else None)
    return start, end


def _months(start: dt.date, end: dt.date) -> list[Month]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def by_month(ledger: Ledger) -> Months:
    """Sum the bookings of every account per month; the months covered; notes."""
    out = Months()
    start, end = _span(ledger)
    by_period = calendar_periods(ledger)
    seen: set[Month] = set()
    outside = 0
    for (account, period, year, month), amount in ledger.sums.items():
        if period == 0:
            continue  # the opening balance
        when: Month | None = None
        if period is not None and period >= 13:
            when = (end.year, end.month) if end else None
        elif by_period and period in ledger.periods:
            first = ledger.periods[period][0]
            when = (first.year, first.month)
        elif year is not None:
            when = (year, month)
            if start and end and not (start.year, start.month) <= when <= (end.year, end.month):
                outside += 1
                first = ledger.periods.get(period, (None, None))[0] if period else None
                if first is not None:
                    when = (first.year, first.month)
                else:
                    when = max((start.year, start.month), min(when, (end.year, end.month)))
        if when is None:
            continue
        seen.add(when)
        key = (account, when)
        out.sums[key] = out.sums.get(key, Decimal(0)) + amount
    if outside:
        out.notes.append(
            f"{outside} boekingsgroep(en) met een datum buiten het boekjaar geteld in de "
            "maand van hun periode (of de eerste of laatste maand van het jaar)"
        )
    if start and end:
        covered = _months(start, end)
        last = max(seen) if seen else None
        out.covered = [m for m in covered if last is not None and m <= last]
        if last is not None and len(out.covered) < len(covered):
            out.notes.append(
                f"de boekingen lopen tot {last[1]}-{last[0]}: alleen de maanden tot en met "
                "die maand zijn geladen"
            )
    else:
        out.covered = sorted(seen)
    year_text = ledger.fiscal_year.strip()
    if year_text and start and end and year_text not in (str(start.year), str(end.year)):
        out.notes.append(
            f"fiscalYear {year_text} past niet bij startDate {start} en endDate {end}: de "
            "datums en de boekingen beslissen"
        )
    return out
