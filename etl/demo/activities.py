"""Activities of the Demostad enterprises: dated events with participants and volunteers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from etl.demo.areas import Town
from etl.demo.enterprises import ENTERPRISES

YEARS = tuple(range(2019, 2025))
ACTIVITEITEN_COLUMNS = (
    "onderneming",
    "datum",
    "activiteit",
    "thema",
    "wijkcode",
    "deelnemers",
    "vrijwilligers",
    "vrijwilligersuren",
)
EMPTY_WIJK_SHARE = 0.03
NEIGHBOUR_SHARE = 0.12


@dataclass(frozen=True)
class Kind:
    """A kind of activity: thema, ranges of participants, volunteers, hours, and its season."""

    thema: str
    participants: tuple[int, int]
    volunteers: tuple[int, int]
    hours: tuple[float, float]  # per volunteer
    months: tuple[int, int] = (1, 12)


CATALOGUE = {
    "Koffieochtend": Kind("Ontmoeting", (8, 35), (1, 3), (2.0, 4.0)),
    "Repair Café": Kind("Groen", (10, 45), (3, 9), (3.0, 5.0)),
    "Huiswerkbegeleiding": Kind("Jeugd", (5, 25), (2, 6), (2.0, 3.0)),
    "Buurtfeest": Kind("Ontmoeting", (60, 150), (6, 15), (3.0, 5.0), (5, 9)),
    "Zomerfestival": Kind("Ontmoeting", (90, 150), (8, 15), (4.0, 5.0), (6, 8)),
    "Taalcafé": Kind("Werk", (5, 20), (2, 5), (2.0, 3.0)),
    "Moestuindag": Kind("Groen", (4, 20), (2, 8), (2.0, 4.0), (3, 10)),
    "Kledingruil": Kind("Armoede", (15, 60), (2, 6), (3.0, 5.0)),
    "Spreekuur geldzaken": Kind("Armoede", (3, 15), (1, 3), (2.0, 4.0)),
    "Sollicitatietraining": Kind("Werk", (4, 14), (1, 3), (2.0, 4.0)),
    "Beweegochtend 65+": Kind("Zorg", (8, 25), (1, 3), (2.0, 3.0)),
    "Mantelzorgcafé": Kind("Zorg", (5, 20), (1, 4), (2.0, 3.0)),
    "Buurtschouw": Kind("Veiligheid", (5, 20), (2, 6), (2.0, 3.0)),
    "Kinderkookclub": Kind("Jeugd", (6, 18), (2, 5), (2.0, 4.0)),
    "Opschoondag": Kind("Groen", (10, 50), (3, 10), (2.0, 4.0), (3, 10)),
    "Buurtmaaltijd": Kind("Ontmoeting", (20, 60), (3, 8), (3.0, 5.0)),
    "Sinterklaasfeest": Kind("Jeugd", (40, 120), (5, 12), (3.0, 5.0), (11, 12)),
    "Klussendag": Kind("Werk", (4, 15), (2, 6), (3.0, 6.0)),
    "Fietsenmakerij open": Kind("Werk", (5, 25), (2, 5), (3.0, 5.0)),
    "Naaiatelier": Kind("Armoede", (4, 12), (1, 3), (2.0, 4.0)),
    "Kinderboerderij open dag": Kind("Groen", (40, 150), (5, 12), (3.0, 5.0), (4, 9)),
    "Seniorendiner": Kind("Zorg", (15, 45), (3, 8), (3.0, 4.0)),
}


def _date_in(rng: np.random.Generator, year: int, months: tuple[int, int]) -> dt.date:
    """Return a random date of the year within the months (inclusive)."""
    first = dt.date(year, months[0], 1)
    last = dt.date(year + (months[1] == 12), months[1] % 12 + 1, 1) - dt.timedelta(days=1)
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def activiteiten(rng: np.random.Generator, town: Town) -> list[dict]:
    """Return 15-40 activities per enterprise and year, sorted by enterprise, date and name.

    An activity happens at most once a day per enterprise, so onderneming/datum/activiteit
    is a key already (the readers' key adds thema and wijkcode).

    2020 (covid) has fewer and smaller activities. The wijkcode is mostly the home wijk,
    sometimes a neighbour and empty for about 3 % of the rows.
    """
    rows = []
    used: set[tuple[str, dt.date, str]] = set()  # onderneming/datum/activiteit, once each
    for e in ENTERPRISES:
        neighbours = town.wijk(e.wijkcode).neighbours
        weights = 1.0 / np.sqrt(np.arange(1, len(e.activities) + 1))
        weights /= weights.sum()
        for year in YEARS:
            covid = year == 2020
            count = int(rng.integers(15, 23 if covid else 41))
            for _ in range(count):
                name = e.activities[int(rng.choice(len(e.activities), p=weights))]
                kind = CATALOGUE[name]
                participants = int(rng.integers(kind.participants[0], kind.participants[1] + 1))
                if covid:
                    participants = max(3, round(participants * 0.6))
                volunteers = int(rng.integers(kind.volunteers[0], kind.volunteers[1] + 1))
                hours = int(np.clip(round(volunteers * rng.uniform(*kind.hours)), 1, 80))
                draw = rng.random()
                if draw < EMPTY_WIJK_SHARE:
                    wijkcode = ""
                elif draw < EMPTY_WIJK_SHARE + NEIGHBOUR_SHARE and neighbours:
                    wijkcode = str(rng.choice(neighbours))
                else:
                    wijkcode = e.wijkcode
                date = _date_in(rng, year, kind.months)
                while (e.id, date, name) in used:
                    date = _date_in(rng, year, kind.months)
                used.add((e.id, date, name))
                rows.append(
                    {
                        "onderneming": e.id,
                        "datum": date,
                        "activiteit": name,
                        "thema": kind.thema,
                        "wijkcode": wijkcode,
                        "deelnemers": participants,
                        "vrijwilligers": volunteers,
                        "vrijwilligersuren": hours,
                    }
                )
    return sorted(rows, key=lambda r: (r["onderneming"], r["datum"], r["activiteit"]))
