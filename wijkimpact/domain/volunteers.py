"""The money value of volunteer hours: each year at that year's rate, with its source."""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wijkimpact.i18n import N_

# The money value of volunteer work by its replacement cost ("vervangingswaarde": what the same
# hours would cost if paid), priced at the Dutch statutory minimum wage for workers of 21 and
# older. Movisie describes this method in "De waarde van vrijwillige inzet" (after L. Meijs,
# Erasmus Universiteit); the minimum wage is its conservative lower bound. One row per year in
# volunteer_rates.csv: the minimum hourly wage on 1 January of that year (before 2024 the law
# set a monthly wage; the hourly wage is the one the ministry gives for a 36-hour week, the week
# the statutory hourly wage of 2024 was set at) and its publication. Add a row once a year.
RATES = Path(__file__).with_name("volunteer_rates.csv")
HOLIDAY_ALLOWANCE = 0.08  # minimumvakantiebijslag, paid on top of the minimum wage
METHOD = N_(
    "het wettelijk minimumuurloon (21 jaar en ouder) per 1 januari van dat jaar, plus 8% "
    "vakantiegeld; methode: vervangingswaarde, zoals beschreven door Movisie"
)
RATE_VARIABLE = "WIJKIMPACT_UURTARIEF"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HourRate:
    """Euro per volunteer hour and where it comes from."""

    rate: float
    year: int | None  # the year whose minimum wage it is; None: set by the administrator
    wage: float | None = None  # the minimum hourly wage it is made of
    source: str = ""  # the publication of that wage (a title: it stays Dutch)


@cache
def rates() -> tuple[HourRate, ...]:
    """The rate of every year in volunteer_rates.csv, oldest first."""
    with open(RATES, encoding="utf-8", newline="") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["jaar"]))
    return tuple(
        HourRate(
            round(float(r["minimumuurloon"]) * (1 + HOLIDAY_ALLOWANCE), 2),
            int(r["jaar"]),
            float(r["minimumuurloon"]),
            r["bron"],
        )
        for r in rows
    )


def _configured() -> float | None:
    """$WIJKIMPACT_UURTARIEF ('16,20' or '16.20'): one rate for every year, or None."""
    text = os.environ.get(RATE_VARIABLE, "").strip()
    if not text:
        return None
    try:
        rate = float(text.replace("€", "").strip().replace(",", "."))
    except ValueError:
        rate = -1.0
    if not 0 < rate < 1000:
        log.warning("%s=%r is geen uurtarief; de tarieven per jaar tellen", RATE_VARIABLE, text)
        return None
    return rate


def hour_rate(year: int | None) -> HourRate:
    """The rate for volunteer hours of ``year``: that year's, else the nearest year's before it
    (a year before the first row: the first row's); the administrator's rate when one is set."""
    configured = _configured()
    if configured is not None:
        return HourRate(configured, None)
    known = rates()
    if year is None:
        return known[-1]
    earlier = [r for r in known if r.year <= year]
    return earlier[-1] if earlier else known[0]


def volunteer_value(hours: float, year: int | None) -> tuple[float, HourRate]:
    """What the volunteer hours of ``year`` are worth, and the rate that makes it. The one
    place the value is computed (/onderneming and the annual report)."""
    rate = hour_rate(year)
    return float(hours) * rate.rate, rate
