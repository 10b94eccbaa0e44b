"""RGS (Referentie Grootboekschema) codes that decide a cost account's finance category.
RGS tells kinds of costs apart; it cannot tell a municipal subsidy from a gift, so income
accounts always need a line in the koppeling. Longest prefix first; /methode lists them."""

from __future__ import annotations

COSTS = (
    ("WPer", "personeelskosten"),  # lonen, sociale lasten, pensioen, overige personeelskosten
    ("WBedHui", "huisvestingskosten"),  # huur, energie, onderhoud van het pand
    ("WKpr", "activiteitenkosten"),  # kostprijs van de omzet: inkoop van café en activiteiten
    ("WAfs", "overige_kosten"),  # afschrijvingen
    ("WBed", "overige_kosten"),  # overige bedrijfskosten: kantoor, verzekeringen, algemeen
    ("WBel", "overige_kosten"),  # belastingen
    ("WFbe", "overige_kosten"),  # financiële lasten (bankkosten, rente): only when a cost
)
FINANCIAL = "WFbe"  # financial income and costs share this group


def category(code: str | None, net_debit: float) -> str | None:
    """The category of an account with RGS code ``code`` whose year's bookings come to
    ``net_debit`` (debit minus credit); None when RGS cannot tell."""
    if not code:
        return None
    for prefix, found in sorted(COSTS, key=lambda item: -len(item[0])):
        if code.startswith(prefix):
            if prefix == FINANCIAL and net_debit < 0:
                return None  # interest received: income, which the koppeling decides
            return found
    return None
