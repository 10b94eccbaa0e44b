"""The metric views against totals computed here, independently, from the demo input files."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import ROOT

DEMO = ROOT / "data" / "demo"
EARNED = ["verhuur", "horeca", "diensten", "verkoop", "deelnemersbijdragen", "overige_inkomsten"]
GRANTED = ["subsidie_gemeente", "bijdrage_woningcorporatie", "fondsen", "donaties"]
COSTS = ["personeelskosten", "huisvestingskosten", "activiteitenkosten", "overige_kosten"]


def _demo_finances() -> pd.DataFrame:
    """Both finance inputs of the demo, read with plain pandas and their known formats."""
    book = DEMO / "ondernemingen" / "demostad_invoer.xlsx"
    annual = pd.read_excel(book, sheet_name="Financiën", header=2)
    monthly = pd.read_csv(
        DEMO / "ondernemingen" / "financien_maandelijks.csv",
        sep=";", decimal=",", thousands=".", encoding="cp1252",
    )
    frame = pd.concat([annual, monthly], ignore_index=True)
    frame[EARNED + GRANTED + COSTS] = frame[EARNED + GRANTED + COSTS].fillna(0)
    return frame


def test_enterprise_year_equals_independent_totals(demo_con):
    inputs = _demo_finances()
    want = inputs.groupby(["onderneming", "jaar"]).sum(numeric_only=True)
    got = demo_con.execute("select * from enterprise_year").df().set_index(
        ["enterprise_id", "year"]
    )
    assert len(got) == len(want) == 48
    for (enterprise, year), row in want.iterrows():
        earned, granted, costs = row[EARNED].sum(), row[GRANTED].sum(), row[COSTS].sum()
        view = got.loc[(enterprise, year)]
        assert view["omzet"] == pytest.approx(earned + granted, abs=0.01)
        assert view["eigen_verdiend"] == pytest.approx(earned, abs=0.01)
        assert view["gesubsidieerd"] == pytest.approx(granted, abs=0.01)
        assert view["kosten"] == pytest.approx(costs, abs=0.01)
        assert view["resultaat"] == pytest.approx(earned + granted - costs, abs=0.01)
        assert view["verdienvermogen"] == pytest.approx(earned / (earned + granted), abs=1e-9)


def test_reinvestments_and_activities_per_enterprise_year(demo_con):
    book = DEMO / "ondernemingen" / "demostad_invoer.xlsx"
    reinvested = pd.read_excel(book, sheet_name="Herinvesteringen").groupby(
        ["onderneming", "jaar"]
    )["bedrag"].sum()
    activities = pd.read_csv(DEMO / "ondernemingen" / "activiteiten.csv", sep=";",
                             encoding="utf-8-sig")
    activities["jaar"] = pd.to_datetime(activities["datum"], format="%d-%m-%Y").dt.year
    people = activities.groupby(["onderneming", "jaar"])[
        ["deelnemers", "vrijwilligers", "vrijwilligersuren"]
    ].sum()
    got = demo_con.execute("select * from enterprise_year").df().set_index(
        ["enterprise_id", "year"]
    )
    for key, amount in reinvested.items():
        assert got.loc[key, "geherinvesteerd"] == pytest.approx(amount, abs=0.01)
    for key, row in people.iterrows():
        assert got.loc[key, "deelnemers"] == row["deelnemers"]
        assert got.loc[key, "vrijwilligers"] == row["vrijwilligers"]
        assert got.loc[key, "vrijwilligersuren"] == row["vrijwilligersuren"]


def test_wijk_year_sums_and_per_inhabitant(demo_con):
    wijk_year = demo_con.execute("select * from wijk_year").df()
    assert wijk_year["area_code"].nunique() == 12
    enterprises = demo_con.execute("select enterprise_id, area_code from enterprise").df()
    per_enterprise = demo_con.execute("select * from enterprise_year").df().merge(
        enterprises, on="enterprise_id"
    )
    home = per_enterprise.groupby(["area_code", "year"])["omzet"].sum()
    indexed = wijk_year.set_index(["area_code", "year"])
    for key, omzet in home.items():
        assert indexed.loc[key, "omzet"] == pytest.approx(omzet)
    reinvested = demo_con.execute(
        "select area_code, year, sum(amount) from reinvestment group by all"
    ).fetchall()
    for code, year, amount in reinvested:
        row = indexed.loc[(code, year)]
        assert row["geherinvesteerd"] == pytest.approx(amount)
        assert row["geherinvesteerd_per_inwoner"] == pytest.approx(amount / row["inwoners"])


def test_wijk_year_leefbaarometer_uses_latest_edition(demo_con):
    lbm = pd.read_csv(DEMO / "leefbaarometer" / "leefbaarometer_wijken.csv")
    wijk_year = demo_con.execute("select * from wijk_year").df().set_index(["area_code", "year"])
    code = lbm["wk_code"].iloc[0]
    by_year = lbm[lbm["wk_code"] == code].set_index("jaar")["lbm"]
    assert wijk_year.loc[(code, 2020), "lbm"] == pytest.approx(by_year[2020])
    assert wijk_year.loc[(code, 2021), "lbm"] == pytest.approx(by_year[2020])
    assert wijk_year.loc[(code, 2021), "lbm_editie"] == 2020
    assert wijk_year.loc[(code, 2019), "lbm"] == pytest.approx(by_year[2018])
