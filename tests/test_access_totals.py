"""No total is made of one or two enterprises a viewer may not see: every total query, for every
viewer, on the demo and on a database where the private enterprises work in each other's home
wijken (conftest.crossed_db), checked against contributors counted here from the base tables."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.conftest import PRIVATE_HOMES
from tests.contributions import FIGURES, cells, contributions
from tests.test_access_matrix import VIEWERS
from wijkimpact.data import db, queries
from wijkimpact.data.access import BEHEERDER_VIEWER, PUBLIC_VIEWER


@pytest.fixture(scope="module", params=["demo_db", "crossed_db", "partial_db"])
def database(request):
    """A cursor as the app opens it (wijkimpact/data/db.py: the views kept as tables), and the
    contributors counted from the base tables."""
    path = request.getfixturevalue(request.param)
    with db.cursor(path) as cur:
        yield cur, contributions(path)


def _check(shown: pd.DataFrame, cells: pd.DataFrame, keys: list[str], where: str) -> int:
    """Every figure ``shown`` (not empty) is its true total, and its group's cell holds no, or
    at least three, enterprises the viewer may not see; an empty figure is withheld or has no
    contributors. Returns how many figures were shown."""
    checked = 0
    for group, columns in FIGURES.items():
        part = cells[cells["groep"] == group].drop(columns="groep")
        merged = shown.merge(part, on=keys, how="left", suffixes=("", "_echt"))
        hidden = merged["verborgen"].fillna(0)
        for column in columns:
            value = merged[column].astype("float64")
            present = value.notna()
            small = present & hidden.between(1, 2)
            assert not small.any(), (
                f"{where}: {column} shown made of 1-2 hidden enterprises: "
                f"{merged.loc[small, [*keys, column]].to_dict('records')[:5]}"
            )
            truth = merged[f"{column}_echt"].astype("float64").fillna(0)
            assert np.allclose(value[present], truth[present]), f"{where}: {column} is wrong"
            checked += int(present.sum())
    return checked


@pytest.mark.parametrize("who", list(VIEWERS))
def test_wijk_totals_never_come_from_one_or_two_hidden_enterprises(database, who):
    con, rows = database
    viewer = VIEWERS[who]
    shown = queries.wijk_years(con, viewer).rename(columns={"area_code": "wijk"})
    table = cells(rows, ["wijk", "year"], viewer)
    checked = _check(shown, table, ["wijk", "year"], f"wijk_years {who}")
    if viewer == BEHEERDER_VIEWER:
        assert checked > 100  # a beheerder sees every figure: the check ran over real values


@pytest.mark.parametrize("who", list(VIEWERS))
def test_gemeente_and_national_totals_never_come_from_one_or_two_hidden(database, who):
    con, rows = database
    viewer = VIEWERS[who]
    national = queries.enterprise_totals(con, viewer).assign(alles="NL")
    _check(
        national,
        cells(rows.assign(alles="NL"), ["alles", "year"], viewer),
        ["alles", "year"],
        f"national {who}",
    )
    for gemeente in rows["gemeente"].dropna().unique():
        totals = queries.enterprise_totals(con, viewer, gemeente).assign(gemeente=gemeente)
        _check(
            totals,
            cells(rows, ["gemeente", "year"], viewer),
            ["gemeente", "year"],
            f"{gemeente} {who}",
        )


@pytest.mark.parametrize("who", list(VIEWERS))
def test_a_gemeente_total_minus_the_wijken_shown_never_isolates_a_withheld_wijk(database, who):
    # Finances partition a gemeente's total over its wijken (home wijk). Where the gemeente's
    # total is shown, the wijken withheld together must hold 0 or at least three hidden
    # enterprises, or the total minus the wijken shown gives them away.
    con, rows = database
    viewer = VIEWERS[who]
    finance = rows[rows["groep"] == "financien"]
    hidden = cells(finance, ["wijk", "year"], viewer)[["wijk", "year", "verborgen"]]
    wijken = queries.wijk_years(con, viewer).rename(columns={"area_code": "wijk"})
    wijken = wijken.merge(hidden, on=["wijk", "year"], how="inner")
    for gemeente in finance["gemeente"].dropna().unique():
        totals = queries.enterprise_totals(con, viewer, gemeente).set_index("year")
        for year, in_year in wijken[wijken["gemeente_code"] == gemeente].groupby("year"):
            if np.isnan(totals.at[year, "omzet"]):
                continue
            withheld = int(in_year.loc[in_year["omzet"].isna(), "verborgen"].sum())
            assert withheld == 0 or withheld >= 3, (who, gemeente, year, withheld)


@pytest.mark.parametrize("metric", ["omzet", "geherinvesteerd", "vrijwilligersuren"])
@pytest.mark.parametrize("who", ["publiek", "onderneming-dekroon", "financier-a"])
def test_map_values_follow_the_wijk_totals(database, who, metric):
    con, _rows = database
    viewer = VIEWERS[who]
    values = queries.map_values(con, viewer, metric, "wijk")
    wijken = queries.wijk_years(con, viewer).set_index(["area_code", "year"])
    expected = wijken.loc[list(zip(values["area_code"], values["year"], strict=True)), metric]
    assert np.allclose(values["value"], expected.to_numpy(), equal_nan=True)
    group = {"omzet": "financien", "geherinvesteerd": "herinvesteringen"}.get(
        metric, "activiteiten"
    )
    flags = wijken.loc[
        list(zip(values["area_code"], values["year"], strict=True)), f"onderdrukt_{group}"
    ]
    assert values["onderdrukt"].tolist() == flags.tolist()


def test_the_crossed_database_has_the_case_that_leaked(crossed_db):
    # In a private enterprise's home wijk its finances are the only private ones, while three
    # private enterprises held activities there: the finances stay withheld for the public,
    # the activities (three hidden) are shown.
    rows = contributions(crossed_db)
    table = cells(rows, ["wijk", "year"], PUBLIC_VIEWER).set_index(["wijk", "year", "groep"])
    con = duckdb.connect(str(crossed_db), read_only=True)
    try:
        wijken = queries.wijk_years(con, PUBLIC_VIEWER).set_index(["area_code", "year"])
    finally:
        con.close()
    for host, wijk in PRIVATE_HOMES.items():
        assert table.at[(wijk, 2024, "financien"), "verborgen"] == 1, host
        assert table.at[(wijk, 2024, "activiteiten"), "verborgen"] == 3, host
        row = wijken.loc[(wijk, 2024)]
        assert np.isnan(row["omzet"]) and row["onderdrukt_financien"], host
        assert row["deelnemers"] == pytest.approx(
            table.at[(wijk, 2024, "activiteiten"), "deelnemers"]
        )


@pytest.mark.parametrize("who", ["publiek", "onderneming-bloemenhof", "financier-a", "beheerder"])
def test_each_enterprise_counts_once_in_the_totals(database, who):
    # The totals count their rows (queries/totals.py, _contributor_counts): right only while
    # each row is one enterprise of that year. `ondernemingen`, shown beside the totals, is
    # counted over the same rows: it must be the number of different enterprises with figures
    # in the year (in their home gemeente), counted here from the base tables.
    con, rows = database
    viewer = VIEWERS[who]
    national = queries.enterprise_totals(con, viewer).set_index("year")["ondernemingen"]
    expected = rows.groupby("year")["enterprise_id"].nunique()
    assert national.to_dict() == expected.to_dict()
    for gemeente, own in rows.groupby("gemeente"):
        shown = queries.enterprise_totals(con, viewer, gemeente).set_index("year")
        assert (
            shown["ondernemingen"].to_dict()
            == own.groupby("year")["enterprise_id"].nunique().to_dict()
        ), gemeente


def test_each_enterprise_counts_once_in_the_year_on_year_comparison(database):
    # like_for_like counts its rows too (ondernemingen, and the contributors per group): over
    # two complete years it compares the enterprises with figures in both, each once
    con, rows = database
    partial = {
        year
        for (year,) in con.execute(
            "select distinct year from finance group by enterprise_id, year "
            "having not (bool_or(month is null) or count(distinct month) = 12)"
        ).fetchall()
    }
    by_year = rows.groupby("year")["enterprise_id"].agg(set)
    compared = 0
    for year in by_year.index:
        if year - 1 not in by_year.index or {year, year - 1} & partial:
            continue
        both = len(by_year[year] & by_year[year - 1])
        shown = queries.like_for_like(con, PUBLIC_VIEWER, int(year))
        assert shown["ondernemingen"].tolist() == [both, both], year
        compared += 1
    assert compared >= 4
