"""The annual report's sentences: the summary, the explanations and the small words that join
them, in the current language."""

from __future__ import annotations

import pandas as pd

from wijkimpact.domain.volunteers import METHOD, HourRate
from wijkimpact.formatting import euro, number, percent
from wijkimpact.i18n import N_, _


def dutch_list(items: list[str]) -> str:
    """'a', 'a en b', 'a, b en c' (in English 'a, b and c')."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("{rijen} en {laatste}", rijen=", ".join(items[:-1]), laatste=items[-1])


# the nouns _plural counts, in the catalogue
NOUNS = (N_("project"), N_("projecten"), N_("wijk"), N_("wijken"), N_("pand"), N_("panden"))


def plural(count: int, one: str, many: str) -> str:
    """'1 project', '3 projecten': the noun translated."""
    return f"{number(count)} {_(one) if count == 1 else _(many)}"


def summary_text(name: str, row: pd.Series, income: pd.DataFrame, spent: pd.DataFrame, year: int):
    earned = income[(income["year"] == year) & (income["income_type"] == "verdiend")]
    biggest = earned[earned["bedrag"] > 0].sort_values("bedrag", ascending=False)
    sources = [s.lower() for s in biggest["categorie"].head(3)]
    parts = []
    if row["omzet"]:
        values = {
            "jaar": year,
            "naam": name,
            "omzet": euro(row["omzet"]),
            "verdiend": euro(row["eigen_verdiend"]),
            "vermogen": percent(row["verdienvermogen"]),
            "bronnen": dutch_list(sources),
        }
        parts.append(
            _(
                "In {jaar} had {naam} een omzet van {omzet}. Daarvan verdiende de onderneming "
                "{verdiend} zelf met {bronnen}: een verdienvermogen van {vermogen}.",
                **values,
            )
            if sources
            else _(
                "In {jaar} had {naam} een omzet van {omzet}. Daarvan verdiende de onderneming "
                "{verdiend} zelf: een verdienvermogen van {vermogen}.",
                **values,
            )
        )
        result = euro(abs(row["resultaat"]))
        parts.append(
            _("Het jaar sloot met een positief resultaat van {bedrag}.", bedrag=result)
            if row["resultaat"] >= 0
            else _("Het jaar sloot met een tekort van {bedrag}.", bedrag=result)
        )
    else:
        parts.append(
            _("Voor {jaar} zijn geen financiële cijfers van {naam} geladen.", jaar=year, naam=name)
        )
    if row["geherinvesteerd"]:
        wijken = dutch_list(sorted(spent["wijk_naam"].unique()))
        parts.append(
            _(
                "Er ging {bedrag} terug naar de buurt, naar {projecten} in {wijken}.",
                bedrag=euro(row["geherinvesteerd"]),
                projecten=plural(len(spent), "project", "projecten"),
                wijken=wijken,
            )
        )
    if row["vrijwilligersuren"]:
        parts.append(
            _(
                "Vrijwilligers zetten zich {n} keer in, samen {uren} uur.",
                n=number(row["vrijwilligers"]),
                uren=number(row["vrijwilligersuren"]),
            )
        )
    return " ".join(parts)


def explanations(used: HourRate) -> list[tuple[str, str]]:
    rate = euro(used.rate, 2)
    if used.year is None:
        basis = _("een tarief dat de beheerder instelde (standaard: {methode})", methode=_(METHOD))
    else:
        basis = _(
            "{methode}; voor {jaar}: {loon} + 8% ({bron})",
            methode=_(METHOD),
            jaar=used.year,
            loon=euro(used.wage, 2),
            bron=used.source,
        )
    return [
        (
            _("Wat betekent verdienvermogen?"),
            _(
                "Verdienvermogen is het deel van de omzet dat de onderneming zelf verdient: met "
                "zaalverhuur, een café, diensten of verkoop aan bewoners. De rest komt uit "
                "subsidies, bijdragen van de woningcorporatie, fondsen en donaties. Hoe hoger het "
                "verdienvermogen, hoe minder de onderneming van subsidie afhangt en hoe vrijer ze "
                "kan kiezen wat de wijk nodig heeft. Berekening: eigen verdiend inkomen ÷ omzet."
            ),
        ),
        (
            _("Wat is geherinvesteerd?"),
            _(
                "Het geld dat de onderneming in dit jaar uit eigen middelen in projecten in de "
                "buurt heeft gestoken, zoals een huiswerkklas, een buurtmaaltijd of groen op "
                "straat. Het resultaat is omzet min kosten; wat daarvan terug naar de wijk gaat, "
                "staat hier."
            ),
        ),
        (
            _("Hoe is de waarde van vrijwilligerswerk berekend?"),
            _(
                "Elk vrijwilligersuur telt voor {tarief}: {basis}. Zo veel zou hetzelfde werk "
                "minstens kosten als het betaald werd. De waarde voor de buurt zelf is vaak "
                "groter.",
                tarief=rate,
                basis=basis,
            ),
        ),
        (
            _("Waar komen de cijfers vandaan?"),
            _(
                "De onderneming levert haar cijfers zelf aan (eigen opgave). Wijkimpact rekent ze "
                "op dezelfde manier uit als het dashboard; de definities staan op de pagina "
                "Methode. Deelnemers zijn opgeteld per activiteit: wie twee keer meedoet, telt "
                "twee keer."
            ),
        ),
    ]
