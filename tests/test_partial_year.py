"""A year not yet complete (De Kroon loaded January to March 2025, tests/conftest.py partial_db):
labelled as such, not opened on, compared like with like, and kept from the public unless the
enterprise publishes its partial years. Expected values come from the loaded amounts and the
base tables, not from the app's views."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import PARTIAL_ENTERPRISE, PARTIAL_HOURS, PARTIAL_MONTHS
from tests.page_content import charts
from tests.test_pages import plotly_values
from wijkimpact.data import queries
from wijkimpact.data.access import (
    BEHEERDER,
    BEHEERDER_VIEWER,
    FINANCIER,
    ONDERNEMING,
    PROFESSIONAL,
    PUBLIC_VIEWER,
    Viewer,
)
from wijkimpact.formatting import change_percent, euro
from wijkimpact.ui.session import ROLE_KEY

INCOME_2025 = sum(
    verhuur + horeca + subsidie for verhuur, horeca, subsidie, _k in PARTIAL_MONTHS.values()
)
COSTS_2025 = sum(costs for *_income, costs in PARTIAL_MONTHS.values())


def _base(path, sql: str, params=()) -> float:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return float(con.execute(sql, params).fetchone()[0] or 0)
    finally:
        con.close()


def _income(path, enterprise: str | None, year: int, months=None) -> float:
    """Income from the base tables: one enterprise (or all), one year, those months (or all)."""
    return _base(
        path,
        "select sum(f.amount) from finance f join finance_category c using (category)"
        " where c.kind = 'inkomsten' and f.year = ? and (? is null or f.enterprise_id = ?)"
        " and (?::integer[] is null or list_contains(?::integer[], f.month))",
        [year, enterprise, enterprise, months, months],
    )


def _hours(path, enterprise: str | None, year: int, months=None) -> float:
    return _base(
        path,
        "select sum(volunteer_hours) from activity where year(date) = ?"
        " and (? is null or enterprise_id = ?)"
        " and (?::integer[] is null or list_contains(?::integer[], month(date)))",
        [year, enterprise, enterprise, months, months],
    )


def test_the_data_layer_knows_which_months_each_year_holds(partial_db):
    con = duckdb.connect(str(partial_db), read_only=True)
    try:
        periods = queries.year_periods(con).set_index("year")
        # every earlier year: each enterprise an annual row or twelve months, from the base table
        whole = con.execute(
            "select count(*) = count(*) filter (where jaarrij or maanden = 12) from ("
            " select bool_or(month is null) jaarrij, count(distinct month) maanden"
            " from finance where year < 2025 group by enterprise_id, year)"
        ).fetchone()[0]
    finally:
        con.close()
    assert whole
    assert not periods.loc[2025, "compleet"]
    assert list(periods.loc[2025, "maanden"]) == sorted(PARTIAL_MONTHS)
    assert periods.loc[2025, "onvolledig"] == 1
    assert all(periods.loc[y, "compleet"] for y in range(2019, 2025))


def test_a_session_opens_on_the_last_complete_year_and_names_the_partial_one(open_app, partial_db):
    at = open_app(db=partial_db, state={ROLE_KEY: BEHEERDER})
    year = at.selectbox(key="jaar")
    assert year.value == 2024
    assert year.options[0] == "2025, januari t/m maart"
    assert "2024" in year.options
    english = open_app(db=partial_db, state={ROLE_KEY: BEHEERDER, "taal": "en", "jaar": 2025})
    assert english.selectbox(key="jaar").options[0] == "2025, January to March"
    assert any("2025, January to March" in c.value for c in english.caption)


def test_change_figures_compare_the_same_months_of_the_same_enterprises(open_app, partial_db):
    at = open_app(db=partial_db, state={ROLE_KEY: BEHEERDER, "jaar": 2025})
    metrics = {m.label: m for m in at.metric}
    months = sorted(PARTIAL_MONTHS)
    assert metrics["Omzet"].value == euro(INCOME_2025)
    before = _income(partial_db, PARTIAL_ENTERPRISE, 2024, months)
    assert before > 0
    assert metrics["Omzet"].delta == change_percent(INCOME_2025, before)
    hours_before = _hours(partial_db, PARTIAL_ENTERPRISE, 2024, months)
    assert metrics["Vrijwilligersuren"].delta == change_percent(
        sum(PARTIAL_HOURS.values()), hours_before
    )
    assert not metrics["Geherinvesteerd"].delta  # annual: no months to compare
    caption = " ".join(c.value for c in at.caption)
    assert "2025, januari t/m maart" in caption
    assert "dezelfde maanden van 2024 (januari t/m maart)" in caption
    # the trends hold complete years only
    chart = charts(at)[0]
    years = {int(float(x)) for trace in chart["data"] for x in plotly_values(trace.get("x", []))}
    assert 2025 not in years and 2024 in years

    # a complete year: every enterprise, whole years
    at = open_app(db=partial_db, state={ROLE_KEY: BEHEERDER, "jaar": 2024})
    omzet = next(m for m in at.metric if m.label == "Omzet")
    assert omzet.delta == change_percent(
        _income(partial_db, None, 2024), _income(partial_db, None, 2023)
    )


@pytest.mark.parametrize(
    "viewer, sees",
    [
        (PUBLIC_VIEWER, False),
        (Viewer(PROFESSIONAL), False),
        (Viewer(ONDERNEMING, ("molenwerk",)), False),  # another enterprise
        (Viewer(FINANCIER, ("bloemenhof",)), False),
        (Viewer(FINANCIER, (PARTIAL_ENTERPRISE,)), True),
        (Viewer(ONDERNEMING, (PARTIAL_ENTERPRISE,)), True),
        (BEHEERDER_VIEWER, True),
    ],
)
def test_a_partial_year_is_shown_only_with_detail_rights_or_when_published(
    partial_db, published_db, viewer, sees
):
    for path, shown in ((partial_db, sees), (published_db, True)):
        con = duckdb.connect(str(path), read_only=True)
        try:
            years = queries.enterprise_years(con, viewer)
            mine = years[(years["enterprise_id"] == PARTIAL_ENTERPRISE) & (years["year"] == 2025)]
            sources = queries.income_by_source(con, viewer, PARTIAL_ENTERPRISE)
            totals = queries.enterprise_totals(con, viewer).set_index("year")
            compared = queries.like_for_like(con, viewer, 2025).set_index("year")
            full = years[(years["enterprise_id"] == PARTIAL_ENTERPRISE) & (years["year"] == 2024)]
        finally:
            con.close()
        assert len(full) == 1  # its complete years are public as before
        if shown:
            assert mine["omzet"].round(2).tolist() == [round(INCOME_2025, 2)]
            assert round(mine["kosten"].iloc[0], 2) == round(COSTS_2025, 2)
            assert 2025 in set(sources["year"])
            assert round(totals.loc[2025, "omzet"], 2) == round(INCOME_2025, 2)
            assert round(compared.loc[2024, "omzet"], 2) == round(
                _income(path, PARTIAL_ENTERPRISE, 2024, sorted(PARTIAL_MONTHS)), 2
            )
        else:
            assert mine.empty
            assert 2025 not in set(sources["year"])
            assert totals.loc[2025, "omzet"] != totals.loc[2025, "omzet"]  # withheld: NaN
            assert compared["omzet"].isna().all()


def test_an_enterprise_publishes_its_partial_years_through_the_sheet(published_db, partial_db):
    assert (
        _base(
            published_db,
            "select public_partial::int from enterprise where enterprise_id = ?",
            [PARTIAL_ENTERPRISE],
        )
        == 1
    )
    assert (
        _base(
            partial_db,
            "select public_partial::int from enterprise where enterprise_id = ?",
            [PARTIAL_ENTERPRISE],
        )
        == 0
    )
    assert _base(partial_db, "select count(*) from enterprise where public_partial") == 0


def test_a_wrong_publiek_deeljaar_is_refused_naming_where_and_what(partial_db, tmp_path):
    import shutil

    from tests.conftest import etl_command

    db = tmp_path / "wijkimpact.duckdb"
    shutil.copy(partial_db, db)
    sheet = tmp_path / "ondernemingen.csv"
    sheet.write_text(
        "id;naam;wijkcode;publiek;publiek_deeljaar\n"
        f"{PARTIAL_ENTERPRISE};Andere naam;WK999904;ja;misschien\n",
        encoding="utf-8",
    )
    done = etl_command("load", sheet, "--db", db)
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert (
        "ondernemingen.csv, rij 2, kolom publiek_deeljaar: verwacht ja of nee (waarde: 'misschien')"
    ) in said
    row = "select name, public, public_partial from enterprise where enterprise_id = ?"
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute(row, [PARTIAL_ENTERPRISE]).fetchone() == (
            "Bewonersbedrijf De Kroon",
            True,
            False,
        )
    finally:
        con.close()


def test_the_enterprise_page_names_its_partial_year_and_compares_no_whole_year(
    open_app, partial_db
):
    state = {ROLE_KEY: BEHEERDER, "jaar": 2025}
    at = open_app("pages/onderneming.py", db=partial_db, state=state, query={"id": "dekroon"})
    captions = " ".join(c.value for c in at.caption)
    assert "2025, januari t/m maart: het jaar is nog niet compleet; geen verschil met 2024" in (
        captions
    )
    metrics = {m.label: m for m in at.metric}
    assert metrics["Omzet 2025"].value == euro(INCOME_2025)
    assert not metrics["Verdienvermogen"].delta
    assert "De grafieken tonen alleen volledige jaren" in captions
    for spec in charts(at):  # the trends: complete years only
        years = {int(float(x)) for t in spec["data"] for x in plotly_values(t.get("x", []))}
        assert 2025 not in years and 2024 in years


def test_a_year_of_activities_or_reinvestments_only_is_judged_by_what_it_holds(
    demo_db, tmp_path
):
    import shutil

    db = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    try:
        # molenwerk: only an activity in February 2025; oudehaven: only a reinvestment in 2025;
        # nieuweweide: activities only in 2025, and finances again in 2026
        con.execute(
            "insert into activity (enterprise_id, date, activity) values"
            " ('molenwerk', '2025-02-03', 'Soep'), ('nieuweweide', '2025-05-06', 'Oogst')"
        )
        con.execute(
            "insert into reinvestment (enterprise_id, year, area_code, project, amount)"
            " values ('oudehaven', 2025, 'WK999902', 'Bankjes', 1200)"
        )
        con.execute(
            "insert into finance (enterprise_id, year, month, category, amount)"
            " values ('nieuweweide', 2026, null, 'verhuur', 1000)"
        )
        held = {
            (e, y): (list(m), c)
            for e, y, m, c in con.execute(
                "select enterprise_id, year, maanden, compleet from enterprise_period"
                " where year >= 2025"
            ).fetchall()
        }
    finally:
        con.close()
    assert held[("molenwerk", 2025)] == ([2], False)  # one month of activities, nothing later
    assert held[("oudehaven", 2025)] == ([], True)  # reinvestments are annual
    assert held[("nieuweweide", 2025)] == ([5], True)  # a later year was reported
    assert held[("nieuweweide", 2026)] == (list(range(1, 13)), True)  # an annual row
