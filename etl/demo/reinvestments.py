"""Reinvestments: part of each year's profit goes back into projects in the neighbourhood."""

from __future__ import annotations

import numpy as np

from etl.demo.areas import Town
from etl.demo.enterprises import ENTERPRISES

HERINVESTERINGEN_COLUMNS = ("onderneming", "jaar", "wijkcode", "project", "thema", "bedrag")
# (project name, thema); {wijk} is replaced by the name of the wijk the project is in.
PROJECTS = (
    ("Geveltuinen {wijk}", "Groen"),
    ("Boomspiegels adopteren in {wijk}", "Groen"),
    ("Pluktuin bij het buurthuis", "Groen"),
    ("Groen schoolplein {wijk}", "Groen"),
    ("Huiswerkklas", "Jeugd"),
    ("Zomerspelweek {wijk}", "Jeugd"),
    ("Jongerenwerkplaats", "Jeugd"),
    ("Speeltuin {wijk} opknappen", "Jeugd"),
    ("Buurtmaaltijd op vrijdag", "Ontmoeting"),
    ("Nieuwe stoelen voor de buurtzaal", "Ontmoeting"),
    ("Burendag {wijk}", "Ontmoeting"),
    ("Taalcafé", "Ontmoeting"),
    ("Gratis ontbijt voor schoolkinderen", "Armoede"),
    ("Weggeefwinkel", "Armoede"),
    ("Energiecoaches in {wijk}", "Armoede"),
    ("Leerwerkplekken in de keuken", "Werk"),
    ("Opleiding klussendienst", "Werk"),
    ("Sollicitatiespreekuur", "Werk"),
    ("Mantelzorgcafé", "Zorg"),
    ("Boodschappenhulp voor ouderen", "Zorg"),
    ("Beweegmiddag 65-plus", "Zorg"),
    ("Buurtpreventie-app {wijk}", "Veiligheid"),
    ("Extra verlichting in het park", "Veiligheid"),
)


def herinvesteringen(
    rng: np.random.Generator, town: Town, results: dict[tuple[str, int], int]
) -> list[dict]:
    """Return reinvestment rows for every enterprise-year with a profit.

    `results` holds the result in cents per (enterprise, year). Each profitable year gets 1-3
    projects in whole euros that together take 20-70 % of the result; most are in the home
    wijk, some in a neighbouring wijk. Rows are sorted by enterprise, year and project.
    """
    rows = []
    for e in ENTERPRISES:
        home = town.wijk(e.wijkcode)
        for (enterprise_id, year), result in sorted(results.items()):
            if enterprise_id != e.id or result <= 0:
                continue
            count = 1 if result < 500_000 else int(rng.integers(1, 4))
            budget = result / 100.0 * rng.uniform(0.2, 0.7)
            shares = rng.dirichlet(np.full(count, 2.0))
            chosen = rng.choice(len(PROJECTS), size=count, replace=False)
            for share, index in zip(shares, chosen, strict=True):
                amount = int(np.floor(budget * share))
                if amount <= 0:
                    continue
                in_home = rng.random() < 0.75 or not home.neighbours
                wijk = home if in_home else town.wijk(str(rng.choice(home.neighbours)))
                template, theme = PROJECTS[index]
                rows.append(
                    {
                        "onderneming": e.id,
                        "jaar": year,
                        "wijkcode": wijk.code,
                        "project": template.format(wijk=wijk.name),
                        "thema": theme,
                        "bedrag": float(amount),
                    }
                )
    return sorted(rows, key=lambda r: (r["onderneming"], r["jaar"], r["project"]))
