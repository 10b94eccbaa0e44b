"""CBS-style key figures ("Kerncijfers wijken en buurten") per wijk and for Demostad, 2019-2024."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.demo.areas import GEMEENTE_CODE, GEMEENTE_NAAM, Town

YEARS = tuple(range(2019, 2025))
AGE_STEMS = ("k_0Tot15Jaar", "k_15Tot25Jaar", "k_25Tot45Jaar", "k_45Tot65Jaar", "k_65JaarOfOuder")
# Age shares (0-15, 15-25, 25-45, 45-65, 65+) by kind of neighbourhood.
AGE_PROFILES = {
    "stad": (0.10, 0.17, 0.38, 0.22, 0.13),
    "gezin": (0.21, 0.12, 0.28, 0.25, 0.14),
    "volks": (0.16, 0.12, 0.26, 0.26, 0.20),
    "ouder": (0.13, 0.10, 0.20, 0.29, 0.28),
    "nieuwbouw": (0.26, 0.08, 0.38, 0.20, 0.08),
}
# Yearly drift of the age shares: the town slowly grows older.
AGE_DRIFT = (-0.001, -0.001, -0.002, 0.001, 0.003)


@dataclass(frozen=True)
class WijkProfile:
    """The character of a wijk in 2019: inhabitants, yearly growth, income, household size, ages."""

    inhabitants: int
    growth: float
    income: float
    household_size: float
    ages: str


# One profile per wijk, in code order (WK999901 ... WK999912).
PROFILES = (
    WijkProfile(5_200, 0.008, 31.5, 1.72, "stad"),  # Centrum
    WijkProfile(4_300, 0.005, 23.8, 1.85, "stad"),  # Oude Haven
    WijkProfile(6_100, 0.003, 26.4, 2.02, "volks"),  # Molenkwartier
    WijkProfile(8_900, -0.002, 21.6, 2.28, "gezin"),  # Vogelbuurt
    WijkProfile(7_600, 0.000, 23.2, 2.18, "volks"),  # Schildersbuurt
    WijkProfile(5_400, 0.002, 29.1, 2.10, "ouder"),  # Kerkebuurt
    WijkProfile(6_800, 0.004, 34.6, 2.30, "ouder"),  # Parkwijk
    WijkProfile(10_800, -0.003, 26.9, 2.21, "gezin"),  # Bloemenwijk
    WijkProfile(4_200, 0.001, 32.8, 2.42, "gezin"),  # Hoge Akker
    WijkProfile(2_050, 0.000, 35.8, 2.48, "ouder"),  # Bosrand
    WijkProfile(2_600, 0.180, 30.2, 2.58, "nieuwbouw"),  # De Nieuwe Weide
    WijkProfile(5_300, -0.001, 25.3, 1.98, "ouder"),  # Noorderhout
)
# The small wijk whose 2019 income CBS "suppresses" (empty field).
SUPPRESSED_INCOME = ("WK999910", 2019)

# StatLine stems with their position in the full table, relative to AantalInwoners.
STEMS = (
    ("AantalInwoners", 0),
    ("Mannen", 1),
    ("Vrouwen", 2),
    ("k_0Tot15Jaar", 3),
    ("k_15Tot25Jaar", 4),
    ("k_25Tot45Jaar", 5),
    ("k_45Tot65Jaar", 6),
    ("k_65JaarOfOuder", 7),
    ("HuishoudensTotaal", 23),
    ("GemiddeldeHuishoudensgrootte", 27),
    ("Bevolkingsdichtheid", 28),
    ("Woningvoorraad", 29),
    ("GemiddeldInkomenPerInwoner", 62),
    ("OppervlakteLand", 98),
)
# Suffix of AantalInwoners per year, and the columns CBS inserted before the later stems.
FIRST_SUFFIX = {2019: 5, 2020: 5, 2021: 4, 2022: 4, 2023: 4, 2024: 4}
INSERTED_COLUMNS = {2019: 0, 2020: 1, 2021: 1, 2022: 3, 2023: 3, 2024: 4}
FIRST_ID = {2019: 15_810, 2020: 15_874, 2021: 16_035, 2022: 16_112, 2023: 16_190, 2024: 16_251}


def column_names(year: int) -> list[str]:
    """Return the header of the kerncijfers file of a year, with that year's numeric suffixes."""
    names = ["ID", "WijkenEnBuurten", "Gemeentenaam_1", "SoortRegio_2", "Codering_3"]
    for stem, position in STEMS:
        extra = INSERTED_COLUMNS[year] if position > 7 else 0
        names.append(f"{stem}_{FIRST_SUFFIX[year] + position + extra}")
    return names


def _split(total: int, shares: np.ndarray) -> list[int]:
    """Split an integer total over shares with the largest-remainder method."""
    exact = total * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - int(counts.sum())]] += 1
    return [int(c) for c in counts]


def wijk_figures(rng: np.random.Generator, town: Town) -> dict[tuple[str, int], dict]:
    """Return the figures per (wijkcode, year): counts, households, dwellings and income."""
    figures = {}
    for wijk, profile in zip(town.wijken, PROFILES, strict=True):
        income = profile.income
        size = profile.household_size
        for year in YEARS:
            t = year - 2019
            people = round(profile.inhabitants * (1 + profile.growth) ** t * rng.normal(1, 0.004))
            shares = np.array(AGE_PROFILES[profile.ages]) + t * np.array(AGE_DRIFT)
            if profile.ages == "nieuwbouw":
                shares = np.array(AGE_PROFILES[profile.ages])
            shares = np.clip(shares * rng.normal(1, 0.02, size=5), 0.02, None)
            men = round(people * rng.uniform(0.485, 0.505))
            size = min(max(size + rng.normal(-0.004, 0.008), 1.70), 2.60)
            households = round(people / size)
            if year > 2019:
                income = income * (1.0 + rng.normal(0.018, 0.006))
            dwellings = round(households * rng.uniform(1.02, 1.045))
            figures[(wijk.code, year)] = {
                "people": people,
                "men": men,
                "ages": _split(people, shares),
                "households": households,
                "dwellings": dwellings,
                "income": round(income, 1),
                "area_ha": wijk.area_ha,
            }
    return figures


def _gemeente_figures(town: Town, figures: dict, year: int) -> dict:
    """Sum the wijken of a year into the gemeente figures (income weighted by inhabitants)."""
    rows = [figures[(code, year)] for code in town.codes]
    people = sum(r["people"] for r in rows)
    return {
        "people": people,
        "men": sum(r["men"] for r in rows),
        "ages": [sum(r["ages"][k] for r in rows) for k in range(5)],
        "households": sum(r["households"] for r in rows),
        "dwellings": sum(r["dwellings"] for r in rows),
        "income": round(sum(r["income"] * r["people"] for r in rows) / people, 1),
        "area_ha": town.area_ha,
    }


def _values(f: dict, income_known: bool) -> list[str]:
    """Format one row's figures in the order of STEMS."""
    density = round(f["people"] / (f["area_ha"] / 100.0))
    return [
        str(f["people"]),
        str(f["men"]),
        str(f["people"] - f["men"]),
        *(str(n) for n in f["ages"]),
        str(f["households"]),
        f"{f['people'] / f['households']:.1f}",
        str(density),
        str(f["dwellings"]),
        f"{f['income']:.1f}" if income_known else "",
        str(round(f["area_ha"])),
    ]


def kerncijfers_rows(town: Town, figures: dict, year: int) -> list[list[str]]:
    """Return the header and the rows (gemeente first, then the wijken) of one year's file."""
    rows = [column_names(year)]
    regions = [(GEMEENTE_CODE, "Gemeente", _gemeente_figures(town, figures, year))]
    regions += [(code, "Wijk", figures[(code, year)]) for code in town.codes]
    for index, (code, kind, f) in enumerate(regions):
        known = (code, year) != SUPPRESSED_INCOME
        rows.append(
            [
                str(FIRST_ID[year] + index),
                code.ljust(10),
                GEMEENTE_NAAM.ljust(20),
                kind.ljust(10),
                code.ljust(10),
                *_values(f, known),
            ]
        )
    return rows
