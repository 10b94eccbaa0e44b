"""Income and costs of the Demostad enterprises, 2019-2024, per year or per month, in cents."""

from __future__ import annotations

import numpy as np

from etl.demo.enterprises import COSTS, ENTERPRISES, INCOME, SUBSIDISED, Enterprise

YEARS = tuple(range(2019, 2025))
CATEGORIES = INCOME + COSTS
FINANCIEN_COLUMNS = ("onderneming", "jaar", "maand", *CATEGORIES)
# Covid: rooms and cafés closed in 2020, partly in 2021; emergency funds and subsidies came in.
COVID = {
    2020: {
        "verhuur": 0.55,
        "horeca": 0.40,
        "deelnemersbijdragen": 0.65,
        "verkoop": 0.85,
        "fondsen": 1.35,
        "subsidie_gemeente": 1.08,
    },
    2021: {"verhuur": 0.80, "horeca": 0.70, "deelnemersbijdragen": 0.85, "fondsen": 1.15},
}
# Enterprise in trouble: costs as a multiple of income in these years (a loss two years running).
LOSS_YEARS = {"bloemenhof": {2022: 1.06, 2023: 1.08}}
# Enterprise drifting towards grants: its café income shrinks by the factor and its earned
# share of income drops by the given points in each of these years (three falls in a row).
EARNED_DECLINE = {"oudehaven": {2022: (0.95, 0.03), 2023: (0.93, 0.04), 2024: (0.92, 0.04)}}
# Share of total costs per cost category: (low, high); overige_kosten takes the rest.
COST_SHARES = {"personeelskosten": (0.50, 0.60), "huisvestingskosten": (0.15, 0.22)}
ACTIVITY_COST_SHARE = (0.10, 0.16)


def annual_amounts(rng: np.random.Generator, e: Enterprise) -> dict[int, dict[str, int]]:
    """Return the amounts in cents per year and category (income and costs) of one enterprise."""
    growth = rng.uniform(0.015, 0.04)
    amounts = {}
    earned_share = 1.0
    for year in YEARS:
        trend = e.omzet * (1.0 + growth) ** (year - 2019)
        income = {}
        for category, share in zip(INCOME, e.mix, strict=True):
            value = trend * share * COVID.get(year, {}).get(category, 1.0) * rng.normal(1.0, 0.05)
            income[category] = max(0, round(value * 100))
        if year in EARNED_DECLINE.get(e.id, {}):
            income = _shift_to_grants(income, *EARNED_DECLINE[e.id][year], earned_share)
        total_income = sum(income.values())
        earned_share = 1.0 - sum(income[c] for c in SUBSIDISED) / total_income
        if year in LOSS_YEARS.get(e.id, {}):
            total_costs = total_income * LOSS_YEARS[e.id][year]
        elif year in COVID:
            # Costs are sticky: in the covid years they did not fall as fast as the income.
            total_costs = (0.5 * trend * 100 + 0.5 * total_income) * rng.uniform(0.90, 0.975)
        else:
            total_costs = total_income * rng.uniform(0.90, 0.975)
        costs = {}
        for category, (low, high) in COST_SHARES.items():
            costs[category] = round(total_costs * rng.uniform(low, high))
        costs["activiteitenkosten"] = round(total_costs * rng.uniform(*ACTIVITY_COST_SHARE))
        costs["overige_kosten"] = round(total_costs) - sum(costs.values())
        amounts[year] = {**income, **{c: costs[c] for c in COSTS}}
    return amounts


def _shift_to_grants(
    income: dict[str, int], factor: float, drop: float, previous_share: float
) -> dict[str, int]:
    """Shrink the earned income by factor and raise the grants so the earned share drops."""
    earned = {c: round(v * factor) for c, v in income.items() if c not in SUBSIDISED}
    subsidised = {c: income[c] for c in SUBSIDISED}
    target = previous_share - drop
    needed = sum(earned.values()) * (1.0 - target) / target
    scale = needed / sum(subsidised.values())
    return {**earned, **{c: round(v * scale) for c, v in subsidised.items()}}


def _month_weights(rng: np.random.Generator, category: str, year: int) -> np.ndarray:
    """Return how a category's annual amount spreads over the 12 months."""
    months = np.arange(1, 13)
    if category == "subsidie_gemeente":  # paid in quarterly advances
        return np.isin(months, (1, 4, 7, 10)).astype(float)
    if category == "bijdrage_woningcorporatie":
        return np.isin(months, (3, 9)).astype(float)
    if category == "fondsen":  # a few grants, whenever they come in
        chosen = rng.choice(12, size=int(rng.integers(1, 4)), replace=False)
        weights = np.zeros(12)
        weights[chosen] = rng.uniform(0.5, 1.5, size=len(chosen))
        return weights
    if category == "donaties":
        return np.where(months == 12, 4.0, 1.0) * rng.uniform(0.7, 1.3, size=12)
    if category == "personeelskosten":  # holiday pay in May
        return np.where(months == 5, 1.75, 1.0) * rng.uniform(0.98, 1.02, size=12)
    if category == "huisvestingskosten":
        return rng.uniform(0.95, 1.05, size=12)
    weights = 1.0 + 0.12 * np.cos(2.0 * np.pi * (months - 1) / 12.0)
    weights = np.where(np.isin(months, (7, 8)), weights * 0.75, weights)
    if year == 2020 and category in ("verhuur", "horeca", "deelnemersbijdragen"):
        weights = weights * np.select([months <= 2, months <= 6, months <= 9], [1.6, 0.3, 1.1], 0.5)
    return weights * rng.uniform(0.9, 1.1, size=12)


def split_cents(total: int, weights: np.ndarray) -> list[int]:
    """Split an amount in cents over weights so that the parts add up to it exactly."""
    exact = total * weights / weights.sum()
    parts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[: total - int(parts.sum())]] += 1
    return [int(p) for p in parts]


def financien(rng: np.random.Generator) -> tuple[list[dict], dict[tuple[str, int], int]]:
    """Return the financien rows (amounts in cents) and the result per (enterprise, year).

    Monthly reporters get 12 rows a year (maand 1-12), the others one row with maand None.
    Rows are sorted by enterprise, year and month.
    """
    rows = []
    results = {}
    for e in ENTERPRISES:
        amounts = annual_amounts(rng, e)
        for year in YEARS:
            year_amounts = amounts[year]
            income = sum(year_amounts[c] for c in INCOME)
            results[(e.id, year)] = income - sum(year_amounts[c] for c in COSTS)
            if not e.monthly:
                rows.append({"onderneming": e.id, "jaar": year, "maand": None, **year_amounts})
                continue
            monthly = {
                c: split_cents(year_amounts[c], _month_weights(rng, c, year)) for c in CATEGORIES
            }
            for month in range(12):
                row = {c: monthly[c][month] for c in CATEGORIES}
                rows.append({"onderneming": e.id, "jaar": year, "maand": month + 1, **row})
    return rows, results
