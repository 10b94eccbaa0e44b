"""From accounts to finance categories. A profit-and-loss account (type P; M counted as P,
with a note) gets its category from the enterprise's koppeling (sheet grootboek) or, for a
cost account without a line there, from its RGS code (etl.xaf.rgs). Income is credit minus
debit, costs debit minus credit; balance accounts count nowhere. An account with bookings and
no category refuses the file, naming it with its description and total, and a suggestion
from its description that the enterprise confirms in the offered koppeling."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from etl.errors import Problem
from etl.messages import N_, Number
from etl.xaf import rgs
from etl.xaf.months import Month, Months
from etl.xaf.read import Ledger

IGNORE = "negeren"
CATEGORIES_SQL = Path(__file__).parents[1] / "sql" / "finance_categories.sql"
MISSING = N_(
    "rekening {rekening} ({omschrijving}) heeft geen categorie: boekingen {jaar} samen "
    "{totaal} {kant}; zet hem in de koppeling (blad grootboek) met een categorie of negeren"
)
# words of an account's description, in this order, and the category they suggest
INCOME_WORDS = (
    (r"subsidie|gemeente|wijkbudget", "subsidie_gemeente"),
    (r"woningcorporatie|corporatie|woonstichting|wooncorporatie", "bijdrage_woningcorporatie"),
    (r"fonds", "fondsen"),
    (r"gift|donatie|schenking|sponsor", "donaties"),
    (r"cursist|deelnemer|cursus|contributie|eigen bijdrage|lidmaatschap", "deelnemersbijdragen"),
    (r"zaal|verhuur|huur", "verhuur"),
    (r"caf[eé]|horeca|bar\b|kantine|lunch|consumptie|keuken", "horeca"),
    (r"dienst|klus|wasserette|schoonmaak|advies", "diensten"),
    (r"verkoop|winkel|omzet", "verkoop"),
)
COST_WORDS = (
    (r"loon|lonen|salaris|personeel|vrijwillig|sociale lasten|pensioen", "personeelskosten"),
    (r"huur|energie|gas|water|elektr|pand|gebouw|onderhoud|schoonmaak", "huisvestingskosten"),
    (r"inkoop|activiteit|materia|catering|boodschappen", "activiteitenkosten"),
)


@cache
def category_kinds() -> dict[str, str]:
    """Each finance category and whether it is inkomsten or kosten (finance_categories.sql)."""
    text = CATEGORIES_SQL.read_text(encoding="utf-8")
    return dict(re.findall(r"\('(\w+)',\s*'(inkomsten|kosten)'", text))


def account_key(account: object) -> str:
    """An account number as accounts compare: 0100 and 100 are one account (a spreadsheet
    drops leading zeros)."""
    text = str(account).strip()
    return text.lstrip("0") or "0" if text.isdigit() else text.upper()


@dataclass
class Result:
    """The finance rows of one enterprise from an auditfile, or the accounts without one."""

    rows: dict[tuple[int, int, str], Decimal] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    from_rgs: int = 0


def suggest(description: str, net_debit: Decimal) -> str:
    """The category an account's description suggests: income words for an account whose
    bookings are credit, cost words for one whose bookings are debit."""
    text = description.lower()
    words, fallback = (
        (COST_WORDS, "overige_kosten") if net_debit > 0 else (INCOME_WORDS, "overige_inkomsten")
    )
    for pattern, found in words:
        if re.search(pattern, text):
            return found
    return fallback


def categorise(
    ledger: Ledger, months: Months, enterprise: str, koppeling: dict[str, str]
) -> Result:
    """The amounts per year, month and category; ``koppeling``: account key -> category."""
    out = Result()
    kinds = category_kinds()
    covered = set(months.covered)
    per_account: dict[str, dict[Month, Decimal]] = {}
    for (account, month), amount in months.sums.items():
        if month in covered:
            per_account.setdefault(account, {})[month] = amount
    mixed = []
    for account_id, amounts in sorted(per_account.items()):
        account = ledger.accounts.get(account_id)
        if account is None or account.type not in ("P", "M"):
            continue
        total = sum(amounts.values(), Decimal(0))
        if not any(amounts.values()):
            continue
        if account.type == "M":
            mixed.append(account_id)
        found = koppeling.get(account_key(account_id))
        if found is None:
            found = rgs.category(account.rgs, total)
            out.from_rgs += found is not None
        if found is None:
            out.problems.append(_missing(ledger, account, total, months.covered, enterprise))
            continue
        if found == IGNORE:
            continue
        sign = 1 if kinds[found] == "kosten" else -1
        for (year, month), amount in amounts.items():
            key = (year, month, found)
            out.rows[key] = out.rows.get(key, Decimal(0)) + sign * amount
    if mixed:
        out.notes.append(
            f"rekening(en) {', '.join(mixed)} van soort M (gemengd) geteld als winst-en-"
            "verliesrekening; controleer of dat klopt"
        )
    return out


def _missing(ledger: Ledger, account, total: Decimal, covered: list[Month], enterprise: str):
    years = sorted({year for year, _ in covered})
    span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    params = {
        "rekening": account.id,
        "omschrijving": account.description,
        "jaar": span,
        "totaal": Number(float(abs(total)), 2),
        "kant": "debet" if total > 0 else "credit",
        "onderneming": enterprise,
        "voorstel": suggest(account.description, total),
    }
    return Problem(ledger.file, None, None, None, account.id, MISSING, params)
