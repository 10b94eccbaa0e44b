"""The funder page's pieces: signals and benchmark (saved portfolios: test_saved_portfolios.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from wijkimpact.domain.benchmark import benchmark
from wijkimpact.domain.funder_table import reinvestment_by_wijk
from wijkimpact.domain.signals import signals


def _rows(values: dict[int, tuple[float, float]], name="Buurthuis X", eid="x") -> pd.DataFrame:
    """enterprise_year-like rows from {year: (verdienvermogen, resultaat)}."""
    return pd.DataFrame(
        [
            {
                "enterprise_id": eid,
                "name": name,
                "year": y,
                "verdienvermogen": v,
                "resultaat": r,
                "omzet": 100_000.0,
            }
            for y, (v, r) in values.items()
        ]
    )


def _periods(eid="x", years=(2021, 2022, 2023, 2024), months=0, annual=True) -> pd.DataFrame:
    return pd.DataFrame(
        [{"enterprise_id": eid, "year": y, "maanden": months, "jaarcijfers": annual} for y in years]
    )


def test_falling_earning_power_three_years_in_a_row():
    rows = _rows({2021: (0.80, 1), 2022: (0.75, 1), 2023: (0.70, 1), 2024: (0.62, 1)})
    found = signals(rows, _periods(), 2024)
    assert [s.kind for s in found] == ["verdienvermogen_daalt"]
    assert "80,0% in 2021 naar 62,0% in 2024" in found[0].sentence
    # two declines and one rise: no signal
    rows = _rows({2021: (0.80, 1), 2022: (0.75, 1), 2023: (0.78, 1), 2024: (0.62, 1)})
    assert signals(rows, _periods(), 2024) == []


def test_two_losses_running_and_one_loss():
    rows = _rows({2023: (0.7, -1500.0), 2024: (0.7, -200.0)})
    found = signals(rows, _periods(years=(2023, 2024)), 2024)
    assert [s.kind for s in found] == ["verlies"]
    assert "€ -1.500 in 2023" in found[0].sentence
    rows = _rows({2023: (0.7, 1500.0), 2024: (0.7, -200.0)})
    assert signals(rows, _periods(years=(2023, 2024)), 2024) == []


def test_missing_year_and_missing_months():
    rows = _rows({2023: (0.7, 1.0), 2024: (0.7, 1.0)})
    found = signals(rows, _periods(years=(2023,)), 2024)
    assert [s.kind for s in found] == ["ontbreekt"]
    assert "ontbreken de financiële cijfers over 2024" in found[0].sentence
    found = signals(rows, _periods(years=(2023, 2024), months=9, annual=False), 2024)
    assert "maar 9 van de 12 maanden" in found[0].sentence


def test_demo_signals_name_the_enterprises_built_to_trigger_them(demo_con):
    from wijkimpact.data import queries
    from wijkimpact.data.access import BEHEERDER_VIEWER

    rows = queries.enterprise_years(demo_con, BEHEERDER_VIEWER)
    periods = queries.finance_periods(demo_con, BEHEERDER_VIEWER)
    kinds_2023 = {(s.enterprise_id, s.kind) for s in signals(rows, periods, 2023)}
    assert ("bloemenhof", "verlies") in kinds_2023
    kinds_2024 = {(s.enterprise_id, s.kind) for s in signals(rows, periods, 2024)}
    assert ("oudehaven", "verdienvermogen_daalt") in kinds_2024


def test_benchmark_median_of_the_others():
    rows = pd.DataFrame(
        [
            {
                "enterprise_id": e,
                "year": 2024,
                "omzet": o,
                "resultaat": r,
                "geherinvesteerd": g,
                "verdienvermogen": v,
                "vrijwilligersuren": h,
            }
            for e, o, r, g, v, h in [
                ("a", 100_000, 10_000, 5_000, 0.6, 500),
                ("b", 200_000, 20_000, 4_000, 0.7, 1000),
                ("c", 400_000, -5_000, 0, 0.9, 800),
                ("d", 300_000, 30_000, 30_000, 0.5, 0),
            ]
        ]
    )
    table = benchmark(rows, "a", 2024).set_index("ratio")
    assert table.at["verdienvermogen", "Deze onderneming"] == 0.6
    assert table.at["verdienvermogen", "Mediaan andere ondernemingen"] == 0.7
    assert table.at["marge", "Mediaan andere ondernemingen"] == pytest.approx(0.1)
    # c has a loss: no reinvestment rate; median of b (0.2) and d (1.0)
    assert table.at["herinvesteringsgraad", "Mediaan andere ondernemingen"] == pytest.approx(0.6)
    assert table.at["herinvesteringsgraad", "Aantal andere"] == 2


def _wijk(name, year, amount, inhabitants, withheld=False) -> dict:
    """A wijk_years-like row; a withheld row has its reinvestment blanked, as suppress does."""
    return {
        "wijk_naam": name,
        "year": year,
        "geherinvesteerd": float("nan") if withheld else amount,
        "geherinvesteerd_per_inwoner": float("nan") if withheld else amount / inhabitants,
        "inwoners": inhabitants,
        "onderdrukt_herinvesteringen": withheld,
    }


def test_reinvestment_per_wijk_shows_the_wijken_of_the_year_that_received_any():
    wijken = pd.DataFrame(
        [
            _wijk("Noord", 2024, 12_000.0, 4_000),
            _wijk("Zuid", 2024, 0.0, 2_500),  # nothing reinvested: no bar
            _wijk("Oost", 2024, 9_000.0, 3_000, withheld=True),
            _wijk("West", 2024, 5_000.0, 1_000),
            _wijk("Noord", 2023, 7_000.0, 4_000),  # another year
        ]
    )
    found = reinvestment_by_wijk(wijken, 2024)
    per_inhabitant = found.shown.set_index("wijk_naam")["geherinvesteerd_per_inwoner"]
    assert per_inhabitant.sort_index().to_dict() == {
        "Noord": 3.0,  # 12.000 / 4.000
        "West": 5.0,  # 5.000 / 1.000
    }
    assert found.withheld_note == (
        "niet getoond: minder dan drie ondernemingen die hun cijfers niet openbaar maken"
    )
    in_2023 = reinvestment_by_wijk(wijken, 2023)
    assert list(in_2023.shown["geherinvesteerd"]) == [7_000.0]
    assert in_2023.withheld_note is None  # nothing withheld in 2023: no caption


def test_reinvestment_per_wijk_when_only_withheld_or_nothing():
    wijken = pd.DataFrame(
        [_wijk("Oost", 2024, 9_000.0, 3_000, withheld=True), _wijk("Zuid", 2024, 0.0, 2_500)]
    )
    found = reinvestment_by_wijk(wijken, 2024)
    assert found.shown.empty  # the page says there were no reinvestments it may show
    assert found.withheld_note is not None
    assert reinvestment_by_wijk(wijken, 2022).shown.empty
