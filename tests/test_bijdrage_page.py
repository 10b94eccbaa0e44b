"""The /bijdrage page with AppTest on the demo database: it shows what the comparison package
(wijkimpact/domain/comparison/) computes."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.page_content import charts
from wijkimpact.domain import comparison
from wijkimpact.formatting import number

METRIC = "Verschil Leefbaarometer-score"
BIJDRAGE = "pages/bijdrage.py"


@pytest.fixture
def data(demo_db) -> comparison.ComparisonData:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return comparison.load_data(con, ("inwoners", "inkomen_per_inwoner"))


def latest_year(demo_db) -> int:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return con.execute("select max(year) from enterprise_year").fetchall()[0][0]


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"metric {label!r} not shown; shown: {[m.label for m in at.metric]}"
    return values[0]


def texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.warning, *at.info, *at.caption]
    return " ".join(p.value for p in parts)


def test_bijdrage_shows_the_estimate_the_function_computes(demo_db, data, open_app):
    at = open_app(BIJDRAGE)
    assert at.title[0].value == "Bijdrage aan de wijk"
    code = at.selectbox(key="bijdrage_wijk").value
    analysis = comparison.analyse(data, code, end_year=latest_year(demo_db))
    lbm = analysis.estimates["lbm"]
    assert lbm.ok
    assert metric(at, METRIC) == comparison.change_text(lbm.did, "score")
    assert comparison.interval_text(lbm, "score") in texts(at)
    assert "90%-interval" in texts(at) and "2.000 trekkingen" in texts(at)
    assert at.selectbox(key="bijdrage_referentiejaar").value == analysis.reference_year
    # the caveat: association, not proof, and what else could explain a difference
    shown = texts(at)
    assert comparison.ASSOCIATION_NOTE in shown
    for word in (
        "geen bewijs",
        "Selectie",
        "Andere programma's",
        "Nieuwbouw",
        "meetfouten",
        "Terugkeer naar het gemiddelde",
    ):
        assert word in shown
    assert "het referentiejaar is daarom het eerste jaar met cijfers" in shown
    assert "Bron: CBS; Leefbaarometer 3.0 (BZK)" in shown


def test_every_wijk_with_an_enterprise(demo_db, data, open_app):
    at = open_app(BIJDRAGE)
    box = at.selectbox(key="bijdrage_wijk")
    assert len(box.options) == data.enterprises["area_code"].nunique()
    table_rows = len(comparison.LBM) + 2  # the five dimensions and the two default CBS figures
    for code in data.enterprises["area_code"].unique():
        at.selectbox(key="bijdrage_wijk").select(code).run()
        assert not at.exception
        lbm = comparison.analyse(data, code, end_year=latest_year(demo_db)).estimates["lbm"]
        assert metric(at, METRIC) == comparison.change_text(lbm.did, "score")
        group = at.dataframe[1].value
        assert code not in set(group["Code"])
        assert not set(group["Code"]) & set(data.enterprises["area_code"])
        assert len(at.dataframe[0].value) == table_rows
        assert len(charts(at)) == len(comparison.LBM) + 2


def test_reference_year_can_be_chosen(demo_db, data, open_app):
    at = open_app(BIJDRAGE)
    code = at.selectbox(key="bijdrage_wijk").value
    at.selectbox(key="bijdrage_referentiejaar").select(2020).run()
    assert not at.exception
    analysis = comparison.analyse(data, code, reference_year=2020, end_year=latest_year(demo_db))
    assert analysis.estimates["lbm"].before_year == 2020
    assert metric(at, METRIC) == comparison.change_text(analysis.estimates["lbm"].did, "score")
    # every trend chart marks the chosen year: a dashed line over the plot's height, labelled
    for chart in charts(at):
        [line] = chart["layout"]["shapes"]
        assert (line["x0"], line["x1"], line["y0"], line["y1"]) == (2020, 2020, 0, 1)
        assert line["yref"] == "y domain" and line["line"]["dash"] == "dash"
        [label] = chart["layout"]["annotations"]
        assert (label["text"], label["x"]) == ("referentiejaar 2020", 2020)


def test_too_few_years_is_said(open_app):
    at = open_app()
    at.session_state["jaar"] = 2019  # chosen in the sidebar, then to the page
    at.switch_page(BIJDRAGE).run()
    assert not at.exception, at.exception
    assert not [m for m in at.metric if m.label == METRIC]
    assert "Te weinig jaren" in " ".join(i.value for i in at.info)


def test_too_few_comparison_wijken_is_said(demo_db, tmp_path, open_app):
    db = tmp_path / "weinig.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:  # only Centrum is left without an enterprise
        con.execute("delete from area_stat where area_code in ('WK999907','WK999909','WK999910')")
    at = open_app(BIJDRAGE, db=db)
    assert "Te weinig vergelijkingswijken" in at.warning[0].value
    assert not at.metric


def test_bijdrage_says_up_front_how_good_the_match_is(demo_db, open_app):
    """Oude Haven (founded 2012, figures from 2018) against the four wijken of Demostad without
    an enterprise: every candidate is used, and their Leefbaarometer level lies far above."""
    at = open_app(BIJDRAGE)
    code = at.selectbox(key="bijdrage_wijk").value  # the first: Oude Haven
    with duckdb.connect(str(demo_db), read_only=True) as con:
        name, founded, first = con.execute(
            "select (select name from area where area_code = $c), "
            "(select min(founded) from enterprise where area_code = $c), "
            "(select min(year) from area_stat where area_code = $c and indicator = 'lbm')",
            {"c": code},
        ).fetchone()
        free = con.execute(
            "select list(area_code order by area_code) from area where level = 'wijk' "
            "and gemeente_code = 'GM9999' and area_code not in (select area_code from enterprise)"
        ).fetchone()[0]
        own, group = con.execute(
            "select max(value) filter (where area_code = ?), "
            "avg(value) filter (where area_code in (select unnest(?))) from area_stat "
            "where indicator = 'lbm' and year = ?",
            [code, free, first],
        ).fetchone()
    box = at.info[0].value  # the first thing under the choices
    assert box.startswith(f"Opgericht in {founded}, vóór de eerste cijfers")
    assert f"het eerste jaar met cijfers ({first}), niet het oprichtingsjaar" in box
    assert f"{len(free)} van de {len(free)} vergelijkbare wijken zonder onderneming" in box
    assert "Dat zijn ze allemaal" in box
    assert f"{name} {number(own, 2)}" in box
    assert f"gemiddeld {number(group, 2)}" in box
    classes = number(abs(group - own) / 0.08, 1)  # the Leefbaarometer's class width
    assert group - own > 0.08 and f"Hun niveau ligt {classes} klassen hoger" in box
    lbm = [c.value for c in at.caption if "trekkingen" in c.value][0]
    did = float(metric(at, METRIC).replace(",", "."))
    assert "negen klassen van 0,08 punt" in lbm
    assert f"dit verschil is {number(abs(did) / 0.08, 1)} klasse" in lbm


def test_the_csv_has_the_changes_as_shown_and_no_apostrophe_before_a_number(
    open_app, monkeypatch
):
    import csv
    import io
    import re

    import streamlit.testing.v1.app_test as app_test_module

    from tests.page_content import Downloads

    NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*%?")  # a number written as text: +0,08

    monkeypatch.setattr(app_test_module, "MediaFileManager", Downloads)
    at = open_app(BIJDRAGE)
    [table] = [d.value for d in at.dataframe if "Verschil" in d.value.columns]
    made = Downloads.click(at, "bijdrage_tabel_csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(made), delimiter=";"))
    column = rows[0].index("Verschil")
    assert [row[column] for row in rows[1:]] == table["Verschil"].tolist()
    assert any(row[column].startswith(("+", "-")) for row in rows[1:])  # signed, as numbers
    numbers = [cell for row in rows for cell in row if NUMBER.fullmatch(cell.lstrip("'"))]
    assert numbers and not [cell for cell in numbers if cell.startswith("'")]
