"""The checks of the XAF standard, with their messages: every transaction balances, the totals
of ``transactions`` agree with the lines, every line's account is in the ledger, every amount
is a decimal with type D or C. Messages name the journal, transaction, line and account."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from etl.errors import Problem
from etl.messages import N_, Number

MAX_LISTED = 20  # problems of one kind listed; the rest counted

UNBALANCED = N_(
    "dagboek {dagboek}, boeking {boeking}: debet {debet} en credit {credit} zijn niet gelijk "
    "(verschil {verschil})"
)
UNKNOWN_ACCOUNT = N_(
    "dagboek {dagboek}, boeking {boeking}, regel {regel}: rekening {rekening} staat niet in het "
    "grootboek (generalLedger) van het bestand"
)
BAD_AMOUNT = N_(
    "dagboek {dagboek}, boeking {boeking}, regel {regel}, rekening {rekening}: geen bedrag "
    "({waarde}); verwacht een decimaal getal zoals 1234.50 met type D of C"
)
TOTALS = N_(
    "de totalen van het bestand kloppen niet: {veld} is volgens het bestand {opgegeven}, de "
    "boekingsregels geven {geteld}"
)
MORE = N_("en nog {n} dergelijke problemen")


def money(value: Decimal) -> Number:
    """An amount in a message: 1.234,50."""
    return Number(float(value), 2)


@dataclass
class Checker:
    """Collects the problems of one file while it is read, each kind listed up to MAX_LISTED."""

    file: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, template: str, value: object = None, **params: object) -> None:
        """A problem of kind ``template``; beyond MAX_LISTED of a kind only counted."""
        seen = self.counts.get(template, 0)
        self.counts[template] = seen + 1
        if seen < MAX_LISTED:
            self.problems.append(Problem(self.file, None, None, None, value, template, params))

    def finish(self) -> list[Problem]:
        """The problems found, with a line for each kind that had more than were listed."""
        out = list(self.problems)
        for count in self.counts.values():
            if count > MAX_LISTED:
                more = {"n": Number(count - MAX_LISTED)}
                out.append(Problem(self.file, None, None, None, None, MORE, more))
        return out


def balance(check: Checker, journal: str, number: str, debit: Decimal, credit: Decimal) -> None:
    """A transaction's debit and credit must be equal."""
    if debit != credit:
        check.add(
            UNBALANCED,
            dagboek=journal,
            boeking=number,
            debet=money(debit),
            credit=money(credit),
            verschil=money(abs(debit - credit)),
        )


def totals(check: Checker, stated: dict[str, str], lines: int, debit: Decimal, credit: Decimal):
    """``linesCount``, ``totalDebit`` and ``totalCredit`` of ``transactions``, where the file
    states them, against what the lines hold."""
    counted = {"linesCount": Decimal(lines), "totalDebit": debit, "totalCredit": credit}
    for name, value in counted.items():
        text = stated.get(name)
        if text is None:
            continue
        try:
            given = Decimal(text.strip())
        except ArithmeticError:
            given = None
        if given != value:
            decimals = 0 if name == "linesCount" else 2
            check.add(
                TOTALS,
                veld=name,
                opgegeven=text.strip(),
                geteld=Number(float(value), decimals),
            )


def unknown_accounts(check: Checker, first_use: dict[str, tuple[str, str, str]], ledger) -> None:
    """Every account a line books on must be in the ledger (``first_use``: where each account
    was first booked on: journal, transaction, line)."""
    for account, (journal, number, line) in first_use.items():
        if account not in ledger:
            where = {"dagboek": journal, "boeking": number, "regel": line}
            check.add(UNKNOWN_ACCOUNT, account, **where, rekening=account)
