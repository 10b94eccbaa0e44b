"""Every page with AppTest on the demo database: no exception, and the numbers it holds."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.page_content import charts, element_ids
from wijkimpact.data.access import BEHEERDER
from wijkimpact.formatting import euro, number, percent
from wijkimpact.ui.session import ROLE_KEY

PAGES = ["overzicht", "onderneming", "financiers", "kaart", "methode"]


@pytest.fixture
def app(open_app):
    def open_page(name: str) -> AppTest:
        # as beheerder: every figure (the demo starts as the public)
        return open_app(f"pages/{name}.py", state={ROLE_KEY: BEHEERDER})

    return open_page


def _latest(demo_con) -> int:
    return demo_con.execute("select max(year) from enterprise_year").fetchall()[0][0]


def plotly_values(data) -> list:
    """Plotly sends numeric arrays base64-encoded ({'dtype', 'bdata'}); decode them."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def _metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"metric {label!r} not shown; shown: {[m.label for m in at.metric]}"
    return values[0]


TITLES = {
    "overzicht": "Overzicht",
    "onderneming": "Onderneming",
    "financiers": "Financiers",
    "kaart": "Kaart",
    "methode": "Methode en bronnen",
}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_runs(app, name):
    at = app(name)
    assert at.title[0].value == TITLES[name]


def test_sidebar_says_the_demo_is_fictional(app):
    # AppTest keeps the router's sidebar only for the first page it runs; the browser test
    # checks the notice on every page of the real app.
    at = app("overzicht")
    assert "fictief" in " ".join(block.value for block in at.sidebar.info)
    assert at.sidebar.selectbox(key="gemeente").value == "GM9999"


def test_overzicht_shows_the_database_totals(app, demo_con):
    year = _latest(demo_con)
    omzet, earned, reinvested, hours, omzet_before = demo_con.execute(
        """
        select sum(omzet) filter (where year = $y), sum(eigen_verdiend) filter (where year = $y),
               sum(geherinvesteerd) filter (where year = $y),
               sum(vrijwilligersuren) filter (where year = $y),
               sum(omzet) filter (where year = $y - 1)
        from enterprise_year
        """,
        {"y": year},
    ).fetchall()[0]
    at = app("overzicht")
    assert _metric(at, "Omzet") == euro(omzet)
    assert _metric(at, "Verdienvermogen") == percent(earned / omzet)
    assert _metric(at, "Geherinvesteerd") == euro(reinvested)
    assert _metric(at, "Vrijwilligersuren") == number(hours)
    delta = [m.delta for m in at.metric if m.label == "Omzet"][0]
    change = (omzet - omzet_before) / omzet_before * 100
    assert delta == f"{'+' if change >= 0 else ''}{change:.1f}%".replace(".", ",")


def test_overzicht_follows_the_year_chosen_in_the_sidebar(app, demo_con):
    at = app("overzicht")
    at.sidebar.selectbox(key="jaar").select(2020).run()
    omzet = demo_con.execute("select sum(omzet) from enterprise_year where year = 2020").fetchall()
    assert _metric(at, "Omzet") == euro(omzet[0][0])


def test_onderneming_shows_each_enterprise(app, demo_con):
    year = _latest(demo_con)
    at = app("onderneming")
    box = at.selectbox(key="onderneming")
    rows = demo_con.execute(
        "select enterprise_id, omzet, resultaat from enterprise_year where year = ?", [year]
    ).fetchall()
    for enterprise_id, omzet, resultaat in rows:
        box.select(enterprise_id).run()
        assert not at.exception
        assert _metric(at, f"Omzet {year}") == euro(omzet)
        assert _metric(at, "Resultaat") == euro(resultaat)


# the sections of /onderneming as tabs: the charts and downloads of tables each one shows
ONDERNEMING_TABS = {
    "Inkomsten": {"inkomsten_bron", "verdiend_gegeven", "verdienvermogen"},
    "Resultaat en herinvesteringen": {"resultaat", "herinv_thema", "herinv_wijk", "herinv_kaart"},
    "Deelnemers en vrijwilligers": {"mensen", "mensen_maand"},
    "Vergelijking": {"benchmark_xlsx", "benchmark_csv"},
    "Vastgoed": {"vastgoed_xlsx", "vastgoed_csv"},
}


def _shown_keys(at) -> set[str]:
    every = set().union(*ONDERNEMING_TABS.values())
    return {key for key in every for i in element_ids(at) if i.endswith(f"-{key}")}


def test_onderneming_builds_only_the_open_tab(app):
    at = app("onderneming")
    at.selectbox(key="onderneming").select("dekroon").run()
    assert [t.label for t in at.tabs] == list(ONDERNEMING_TABS)
    assert _shown_keys(at) == ONDERNEMING_TABS["Inkomsten"]  # the first tab, only
    for label, keys in ONDERNEMING_TABS.items():
        at.session_state["onderneming_tab"] = label
        at.run()
        assert not at.exception, at.exception
        assert _shown_keys(at) == keys, label
    # the small map of reinvestments: plotly's SVG map, its world map served locally
    at.session_state["onderneming_tab"] = "Resultaat en herinvesteringen"
    at.run()
    small = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-herinv_kaart"))
    assert json.loads(small.proto.spec)["data"][0]["type"] == "choropleth"
    assert json.loads(small.proto.config)["topojsonURL"] == "/app/static/geo/"


def test_financiers_table_and_totals(app, demo_con):
    year = _latest(demo_con)
    at = app("financiers")
    table = at.dataframe[0].value
    want = demo_con.execute(
        "select e.name, ey.omzet from enterprise_year ey join enterprise e using (enterprise_id) "
        "where year = ? order by omzet desc",
        [year],
    ).fetchall()
    # the enterprises, largest omzet first, and the total as the last row of the same table
    assert list(table["Onderneming"])[:-1] == [name for name, _ in want]
    assert list(table["Omzet"])[:-1] == pytest.approx([omzet for _, omzet in want])
    total = table.iloc[-1]
    assert total["Onderneming"] == f"Totaal ({len(want)} ondernemingen)"
    assert total["Omzet"] == pytest.approx(sum(omzet for _, omzet in want))
    assert at.get("download_button")
    # the portfolio's key figures: sums over its enterprises, the ratio from the sums
    [(omzet, eigen, resultaat)] = demo_con.execute(
        "select sum(omzet), sum(eigen_verdiend), sum(resultaat) from enterprise_year "
        "where year = ?",
        [year],
    ).fetchall()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Omzet portefeuille"] == euro(omzet)
    assert shown["Verdienvermogen"] == percent(eigen / omzet)
    assert shown["Resultaat"] == euro(resultaat)


def test_kaart_colours_every_demostad_wijk_with_enterprise_finances(app, demo_con):
    year = _latest(demo_con)
    at = app("kaart")
    spec = charts(at)[0]
    areas = [t for t in spec["data"] if t["type"] == "choropleth"]
    choropleth = next(t for t in areas if t.get("showscale", True))
    assert spec["layout"]["geo"]["visible"] is False  # the SVG map: only the wijken, no world
    # coloured: the wijken where enterprises have finances; the others grey, not € 0
    want = dict(
        demo_con.execute(
            "select area_code, omzet from wijk_year where year = ? and ondernemingen > 0", [year]
        ).fetchall()
    )
    got = dict(zip(choropleth["locations"], plotly_values(choropleth["z"]), strict=True))
    assert got == pytest.approx(want)
    drawn = {code for trace in areas for code in trace["locations"]}
    assert len(drawn) == 12
    markers = next(t for t in spec["data"] if t["type"] == "scattergeo" and t["mode"] == "markers")
    assert len(plotly_values(markers["lat"])) == 8


def test_kaart_metric_selector_switches_to_leefbaarometer(app, demo_con):
    at = app("kaart")
    at.selectbox(key="kaart_maat").select("lbm").run()
    spec = charts(at)[0]
    choropleth = next(t for t in spec["data"] if t["type"] == "choropleth")
    year = _latest(demo_con)
    want = dict(
        demo_con.execute("select area_code, lbm from wijk_year where year = ?", [year]).fetchall()
    )
    got = dict(zip(choropleth["locations"], plotly_values(choropleth["z"]), strict=True))
    assert got == pytest.approx(want)


def test_methode_explains_metrics_and_sources(app):
    at = app("methode")
    text = " ".join(m.value for m in at.markdown)
    for word in (
        "Verdienvermogen",
        "eigen verdiend inkomen ÷ omzet",
        "Bron: CBS",
        "Leefbaarometer 3.0",
    ):
        assert word in text


def test_pages_say_how_to_start_without_a_database(tmp_path, open_app):
    at = open_app("pages/overzicht.py", db=tmp_path / "geen.duckdb", router=False)
    assert "python -m etl build" in at.warning[0].value


def test_onderneming_shows_what_was_reinvested_where_in_the_year_or_all_years(open_app, demo_con):
    at = open_app("pages/onderneming.py", state={ROLE_KEY: BEHEERDER}, query={"id": "dekroon"})
    at.session_state["onderneming_tab"] = "Resultaat en herinvesteringen"
    at.run()
    box = next(s for s in at.selectbox if s.key.startswith("herinv_periode"))
    year = box.value  # the sidebar's year, as the card above it
    sql = "select sum(amount) from reinvestment where enterprise_id = 'dekroon'"
    [(this_year,)] = demo_con.execute(sql + " and year = ?", [year]).fetchall()
    [(every,)] = demo_con.execute(sql).fetchall()
    assert f"Geherinvesteerd, {year}: {euro(this_year)}" in [c.value for c in at.caption]
    assert _metric(at, "Geherinvesteerd") == euro(this_year)
    assert box.options[-1] == "alle jaren"
    box.set_value("alle").run()
    assert f"Geherinvesteerd, alle jaren: {euro(every)}" in [c.value for c in at.caption]
    assert this_year < every


def test_a_reinvestment_bar_hovers_with_its_own_theme_and_wijk(open_app):
    # Horizontal bars (per thema, per wijk) under the charts' one hover per x showed, in
    # Chromium, "Jeugd: € 8.878" with the pointer on the bar of Groen at € 8.878: the hover
    # followed the amount, not the bar. Each bar now has its own hover: the nearest bar,
    # named by its theme or wijk.
    at = open_app("pages/onderneming.py", state={ROLE_KEY: BEHEERDER}, query={"id": "oudehaven"})
    at.session_state["onderneming_tab"] = "Resultaat en herinvesteringen"
    at.run()
    specs = charts(at)
    bars = [s for s in specs if s["layout"]["title"]["text"].startswith(("Per thema", "Per wijk"))]
    assert len(bars) == 2
    for spec in bars:
        [trace] = spec["data"]
        assert trace["orientation"] == "h" and len(plotly_values(trace["x"])) >= 2
        assert spec["layout"]["hovermode"] == "closest"
        assert trace["hovertemplate"].startswith("%{y}: € %{x")
    # the other charts keep one hover per year
    others = [s for s in specs if s not in bars and s["layout"].get("xaxis", {}).get("dtick")]
    assert others and all(s["layout"]["hovermode"] == "x unified" for s in others)


def test_onderneming_opens_on_an_enterprise_whose_figures_the_viewer_sees(
    open_app, demo_db, tmp_path
):
    import shutil

    import duckdb

    db = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:  # the list now begins with two private enterprises
        con.execute("update enterprise set public = false where enterprise_id = 'dekroon'")
        names = con.execute("select name, public from enterprise order by name").fetchall()
    assert [public for _, public in names[:2]] == [False, False]
    first_public = next(name for name, public in names if public)
    at = open_app("pages/onderneming.py", db=db)  # as the public, the demo's first role
    chosen = at.selectbox(key="onderneming")
    assert chosen.format_func(chosen.value) == first_public == "Buurtcoöperatie Molenwerk"
    assert at.metric  # its figures, not the notice that they are private
