"""Signals that deserve a conversation with an enterprise, each explained in one Dutch sentence."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijkimpact.formatting import euro, percent
from wijkimpact.i18n import _


@dataclass(frozen=True)
class Signal:
    """One reason to talk: which enterprise, what kind, and the sentence a funder reads."""

    enterprise_id: str
    name: str
    kind: str  # verdienvermogen_daalt, verlies, ontbreekt
    sentence: str


def signals(rows: pd.DataFrame, periods: pd.DataFrame, year: int) -> list[Signal]:
    """All signals up to ``year``.

    ``rows``: enterprise_year with name; ``periods``: per enterprise and year the number of
    monthly periods (maanden) and whether there is an annual row (jaarcijfers).
    """
    found: list[Signal] = []
    for enterprise_id, own in _years_of_each(rows).items():
        name = str(next(iter(own.values()))["name"])  # as of its first year
        found += _falling_earning_power(enterprise_id, name, own, year)
        found += _losses(enterprise_id, name, own, year)
    found += _missing(rows, periods, year)
    return found


_COLUMNS = ("enterprise_id", "year", "name", "verdienvermogen", "resultaat", "compleet")


def _years_of_each(rows: pd.DataFrame) -> dict[str, dict[int, dict]]:
    """Per enterprise (by id) its rows by year, years ascending: one pass over the rows (a
    pandas group per enterprise cost 0.85 s for the 1,000 enterprises of the bench)."""
    columns = [c for c in _COLUMNS if c in rows]
    ordered = rows.sort_values(["enterprise_id", "year"], kind="stable")[columns]
    out: dict[str, dict[int, dict]] = {}
    for row in ordered.to_dict("records"):
        if not pd.isna(row["enterprise_id"]):
            out.setdefault(row["enterprise_id"], {})[row["year"]] = row
    return out


def _falling_earning_power(enterprise_id, name, own: dict[int, dict], year: int) -> list[Signal]:
    if year in own and "compleet" in own[year] and not own[year]["compleet"]:
        year -= 1  # a year not yet complete: the trend through the last complete year
    years = [year - 3, year - 2, year - 1, year]
    if not all(y in own for y in years):
        return []
    values = [own[y]["verdienvermogen"] for y in years]
    if any(pd.isna(v) for v in values) or not all(
        b < a for a, b in zip(values, values[1:], strict=False)
    ):
        return []
    return [
        Signal(
            enterprise_id,
            name,
            "verdienvermogen_daalt",
            _(
                "Het verdienvermogen van {name} daalde drie jaar op rij, van {van} in {jaar0} "
                "naar {naar} in {jaar}: er komt steeds meer van subsidies en fondsen en minder "
                "uit eigen inkomsten.",
                name=name,
                van=percent(values[0]),
                jaar0=years[0],
                naar=percent(values[-1]),
                jaar=year,
            ),
        )
    ]


def _losses(enterprise_id, name, own: dict[int, dict], year: int) -> list[Signal]:
    if not all(y in own for y in (year - 1, year)):
        return []
    before, now = own[year - 1]["resultaat"], own[year]["resultaat"]
    if not (before < 0 and now < 0):
        return []
    return [
        Signal(
            enterprise_id,
            name,
            "verlies",
            _(
                "{name} had twee jaar op rij een negatief resultaat ({eerst} in {vorig}, {nu} in "
                "{jaar}): de reserves lopen terug.",
                name=name,
                eerst=euro(before),
                vorig=year - 1,
                nu=euro(now),
                jaar=year,
            ),
        )
    ]


def _missing(rows: pd.DataFrame, periods: pd.DataFrame, year: int) -> list[Signal]:
    found = []
    names = rows.drop_duplicates("enterprise_id").set_index("enterprise_id")["name"]
    this_year = periods.loc[periods["year"] == year, ["enterprise_id", "maanden", "jaarcijfers"]]
    reported = {row["enterprise_id"]: row for row in this_year.to_dict("records")}
    earlier = set(periods.loc[periods["year"] < year, "enterprise_id"])
    for enterprise_id, name in names.items():
        if enterprise_id not in reported:
            if enterprise_id in earlier:
                found.append(
                    Signal(
                        enterprise_id,
                        name,
                        "ontbreekt",
                        _(
                            "Van {name} ontbreken de financiële cijfers over {jaar}, terwijl er "
                            "wel cijfers over eerdere jaren zijn.",
                            name=name,
                            jaar=year,
                        ),
                    )
                )
            continue
        row = reported[enterprise_id]
        months = int(row["maanden"])
        if not row["jaarcijfers"] and 0 < months < 12:
            found.append(
                Signal(
                    enterprise_id,
                    name,
                    "ontbreekt",
                    _(
                        "{name} leverde over {jaar} maar {maanden} van de 12 maanden aan: het "
                        "jaartotaal is daardoor te laag.",
                        name=name,
                        jaar=year,
                        maanden=months,
                    ),
                )
            )
    return found
