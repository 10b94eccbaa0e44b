"""The metric views against totals computed here, independently, from the demo input files."""

from __future__ import annotations

import duckdb
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
        sep=";",
        decimal=",",
        thousands=".",
        encoding="cp1252",
    )
    frame = pd.concat([annual, monthly], ignore_index=True)
    frame[EARNED + GRANTED + COSTS] = frame[EARNED + GRANTED + COSTS].fillna(0)
    return frame


def test_enterprise_year_equals_independent_totals(demo_con):
    inputs = _demo_finances()
    want = inputs.groupby(["onderneming", "jaar"]).sum(numeric_only=True)
    got = (
        demo_con.execute("select * from enterprise_year").df().set_index(["enterprise_id", "year"])
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
    reinvested = (
        pd.read_excel(book, sheet_name="Herinvesteringen")
        .groupby(["onderneming", "jaar"])["bedrag"]
        .sum()
    )
    activities = pd.read_csv(
        DEMO / "ondernemingen" / "activiteiten.csv", sep=";", encoding="utf-8-sig"
    )
    activities["jaar"] = pd.to_datetime(activities["datum"], format="%d-%m-%Y").dt.year
    people = activities.groupby(["onderneming", "jaar"])[
        ["deelnemers", "vrijwilligers", "vrijwilligersuren"]
    ].sum()
    got = (
        demo_con.execute("select * from enterprise_year").df().set_index(["enterprise_id", "year"])
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
    per_enterprise = (
        demo_con.execute("select * from enterprise_year")
        .df()
        .merge(enterprises, on="enterprise_id")
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


ORDERED_VIEWS = ("enterprise_year", "wijk_year")  # those with an order by (etl/sql/views.sql)


def _view_rows(con, view: str) -> list[tuple]:
    return con.execute(f'select * from "{view}"').fetchall()


@pytest.mark.parametrize("database", ["demo_db", "crossed_db", "partial_db"])
def test_the_app_reads_the_views_kept_at_opening_and_they_equal_the_views(database, request):
    # wijkimpact/data/db.py computes every view once per database version into a table of its
    # in-memory catalog: the app's cursor must read from those tables the rows the views give on
    # a plain connection to the file (in the same order where the view orders them)
    from wijkimpact.data import db

    path = request.getfixturevalue(database)
    plain = duckdb.connect(str(path), read_only=True)
    try:
        views = [
            v
            for (v,) in plain.execute(
                "select view_name from duckdb_views() where not internal order by all"
            ).fetchall()
        ]
        want = {v: _view_rows(plain, v) for v in views}
    finally:
        plain.close()
    assert {"enterprise_year", "wijk_year", "enterprise_period", "year_period"} <= set(views)
    with db.cursor(path) as cur:
        kept = {
            t
            for (t,) in cur.execute(
                "select table_name from duckdb_tables() where database_name = 'memory'"
            ).fetchall()
        }
        assert kept == set(views)
        for view in views:
            source = cur.execute(
                "select table_catalog from information_schema.tables where table_name = ? "
                "order by table_catalog = 'memory' desc",
                [view],
            ).fetchone()
            assert source == ("memory",)
            got = _view_rows(cur, view)
            if view in ORDERED_VIEWS:
                assert got == want[view], view
            else:
                assert sorted(got, key=repr) == sorted(want[view], key=repr), view


def test_a_load_after_the_app_opened_the_database_shows_in_the_kept_views(demo_copy, tmp_path):
    from tests.conftest import etl_command
    from wijkimpact.data import db

    def dekroon_2026(cur) -> list[tuple]:
        return cur.execute(
            "select omzet, kosten from enterprise_year where enterprise_id = 'dekroon' "
            "and year = 2026"
        ).fetchall()

    with db.cursor(demo_copy) as cur:
        assert dekroon_2026(cur) == []
    sheet = tmp_path / "financien.csv"
    sheet.write_text(
        "onderneming;jaar;maand;verhuur;personeelskosten\ndekroon;2026;1;1.234,50;99,25\n",
        encoding="utf-8",
    )
    done = etl_command("load", sheet, "--db", demo_copy)
    assert done.returncode == 0, done.stdout + done.stderr
    with db.cursor(demo_copy) as cur:
        assert dekroon_2026(cur) == [(1234.5, 99.25)]
        assert cur.execute(
            "select maanden, compleet from enterprise_period where enterprise_id = 'dekroon' "
            "and year = 2026"
        ).fetchall() == [([1], False)]
