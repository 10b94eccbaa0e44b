"""/kaart on the demo database (AppTest), and in the real app in headless Chromium."""

from __future__ import annotations

import json
import shutil

import duckdb
import plotly
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.live_app import CHROMIUM
from tests.page_content import charts, markdown_text
from tests.test_pages import plotly_values
from wijkimpact.charts import figures
from wijkimpact.data.access import BEHEERDER
from wijkimpact.data.queries import map_layers
from wijkimpact.escaping import for_plotly
from wijkimpact.kaart import geojson, settings
from wijkimpact.ui import store
from wijkimpact.ui.kaart import map_chart, map_view, profile_view
from wijkimpact.ui.session import ROLE_KEY

KAART = "pages/kaart.py"
RDBU_LOW, RDBU_HIGH = "rgb(103,0,31)", "rgb(5,48,97)"
VIRIDIS_LOW = "#440154"


@pytest.fixture
def kaart(open_app):
    """Open /kaart through the router as beheerder (every figure: the demo starts as the
    public); optional query parameters (e.g. wijk=...)."""

    def open_kaart(db=None, **query) -> AppTest:
        return open_app(KAART, db=db, state={ROLE_KEY: BEHEERDER}, query=query, timeout=90)

    return open_kaart


AREA_TRACES = ("choropleth", "choroplethmap")  # plotly's SVG geo map, or MapLibre (tiles)


def map_element(at: AppTest):
    """The SVG map's component (ui.kaart.map_chart) in the page: its proto has the bytes."""
    found = [e for e in at.get("bidi_component") if e.proto.component_name == map_chart.NAME]
    assert len(found) == 1, "no SVG map drawn"
    return found[0].proto


def map_component(at: AppTest) -> dict:
    """What the SVG map's component got: figure, config, bundle."""
    return json.loads(map_element(at).bytes)


def map_spec(at: AppTest) -> dict:
    maps = [c for c in charts(at) if any(t["type"] in AREA_TRACES for t in c["data"])]
    assert maps, "no map drawn"
    return maps[0]


def coloured(spec: dict) -> dict:
    """The trace of areas with a value: its area codes and values."""
    trace = next(t for t in spec["data"] if t["type"] in AREA_TRACES and t.get("showscale", 1))
    return trace


def stored(trace: dict) -> dict:
    """The static GeoJSON file the browser fetches for ``trace``."""
    relative = trace["geojson"].removeprefix("/app/static/")
    return json.loads((ROOT / "static" / relative).read_text())


def stored_names(trace: dict) -> dict[str, str]:
    """Area code -> hover name, as the static GeoJSON file of ``trace`` holds them."""
    return {f["id"]: f["properties"][geojson.NAME_PROPERTY] for f in stored(trace)["features"]}


def values_of(trace: dict) -> dict[str, float]:
    return dict(zip(trace["locations"], plotly_values(trace["z"]), strict=True))


def choose(at: AppTest, **widgets) -> AppTest:
    for key, value in widgets.items():
        widget = at.radio(key=key) if key in ("kaart_weergave", "kaart_niveau") else None
        if widget is not None:
            widget.set_value(value)
        else:
            at.selectbox(key=key).select(value)
        at.run()
        assert not at.exception, at.exception
    return at


def frame_with(at: AppTest, column: str):
    """The first table shown that has ``column``."""
    frames = [d.value for d in at.dataframe if column in d.value.columns]
    assert frames, f"no table with column {column!r}"
    return frames[0]


def map_table(at: AppTest):
    """The table of the map, after opening its expander (it is built only when open)."""
    at.session_state["kaart_tabel_open"] = True
    at.run()
    assert not at.exception, at.exception
    return frame_with(at, "Code")


def caption_text(at: AppTest) -> str:
    return markdown_text(" ".join(c.value for c in at.caption))


def test_metric_selector_lists_every_indicator_of_the_database(kaart, demo_con):
    at = kaart()
    options = at.selectbox(key="kaart_maat").options
    rows = demo_con.execute(
        """
        select distinct i.indicator, i.label_nl
        from area_stat s join area a using (area_code) join indicator i using (indicator)
        where a.level = 'wijk' and s.value is not null
        """
    ).fetchall()
    assert len(rows) >= 20
    for _, label in rows:
        assert any(option.startswith(f"{label} · ") for option in options), label
    for label in ("Omzet", "Geherinvesteerd", "Geherinvesteerd per inwoner"):
        assert f"{label} · ondernemingen" in options
    assert "Leefbaarometer-score · Leefbaarometer 3.0 (BZK)" in options


def test_default_is_omzet_of_the_sidebar_year_on_a_white_map_with_the_source(kaart, demo_con):
    at = kaart()
    spec = map_spec(at)
    # without tiles: plotly's SVG map (no WebGL), fitted to the areas, no land or sea drawn
    assert coloured(spec)["type"] == "choropleth" and "map" not in spec["layout"]
    geo = spec["layout"]["geo"]  # Demostad: ranges from its wijken, not fitted in the browser
    assert geo["fitbounds"] is False
    lon, lat = geo["lonaxis"]["range"], geo["lataxis"]["range"]
    blobs = demo_con.execute("select geometry from area where level = 'wijk'").fetchall()
    low_lon, low_lat, high_lon, high_lat = shapely.total_bounds(
        shapely.from_wkb([bytes(blob) for (blob,) in blobs])
    )
    assert lon[0] < low_lon < high_lon < lon[1] and lat[0] < low_lat < high_lat < lat[1]
    assert spec["layout"]["geo"]["visible"] is False
    # its world map (plotly fetches one) is an empty one of our own, served locally
    drawn = map_component(at)
    assert drawn["config"]["topojsonURL"] == "/app/static/geo/"
    # drawn by plotly's geo bundle of the plotly.js version the figure was written for, served
    # from static/ (not by Streamlit's chart element, which loads the whole plotly.js)
    version = plotly.offline.get_plotlyjs_version()
    assert drawn["bundle"] == f"/app/static/js/plotly-geo-{version}.min.js"
    bundle = (ROOT / "static" / "js" / f"plotly-geo-{version}.min.js").read_text()
    assert f"plotly.js (geo - minified) v{version}\n" in bundle[:200]
    assert not at.get("plotly_chart")
    world = json.loads((ROOT / "static" / "geo" / "world_110m.json").read_text())
    assert world["type"] == "Topology" and not any(
        layer["geometries"] for layer in world["objects"].values()
    )
    trace = coloured(spec)
    assert trace["colorscale"][0][1] == VIRIDIS_LOW  # sequential, colour-blind safe
    year = demo_con.execute("select max(year) from enterprise_year").fetchone()[0]
    assert at.selectbox(key="kaart_jaar").value == year
    # wijken where no enterprise has finances have no omzet (grey), not € 0
    want = dict(
        demo_con.execute(
            "select area_code, omzet from wijk_year where year = ? and ondernemingen > 0", [year]
        ).fetchall()
    )
    assert values_of(trace) == pytest.approx(want)
    notes = " ".join(a["text"] for a in spec["layout"]["annotations"])
    assert "Bron: CBS" in notes and "Bron: CBS" in caption_text(at)


def test_year_follows_the_sidebar_where_the_metric_has_data(kaart):
    at = kaart()
    at.sidebar.selectbox(key="jaar").select(2020).run()
    assert at.selectbox(key="kaart_jaar").value == 2020
    choose(at, kaart_maat="lbm")  # Leefbaarometer editions: 2018, 2020, 2022, 2024
    assert at.selectbox(key="kaart_jaar").value == 2020
    at.sidebar.selectbox(key="jaar").select(2021).run()
    assert at.selectbox(key="kaart_jaar").value == 2020  # no 2021 edition: the one before


def test_change_between_two_years_is_later_minus_earlier_on_a_diverging_scale(kaart, demo_con):
    at = choose(kaart(), kaart_maat="inwoners", kaart_weergave="verandering")
    choose(at, kaart_van=2024, kaart_tot=2019)  # the order does not matter
    want = dict(
        demo_con.execute(
            """
            select a.area_code, b.value - a.value
            from area_stat a join area_stat b using (area_code, indicator)
            join area w on w.area_code = a.area_code
            where a.indicator = 'inwoners' and a.year = 2019 and b.year = 2024
              and w.level = 'wijk'
            """
        ).fetchall()
    )
    trace = coloured(map_spec(at))
    assert values_of(trace) == pytest.approx(want)
    assert trace["colorscale"][0][1] == RDBU_LOW and trace["colorscale"][-1][1] == RDBU_HIGH
    assert trace["zmin"] == pytest.approx(-trace["zmax"])  # centred on 0
    assert "2019–2024" in trace["colorbar"]["title"]["text"]
    table = map_table(at)
    assert list(table.columns[-3:]) == ["Inwoners 2019", "Inwoners 2024", "Verandering"]


def test_leefbaarometer_dimensions_are_deviations_on_a_diverging_scale(kaart, demo_con):
    at = choose(kaart(), kaart_maat="fys")
    trace = coloured(map_spec(at))
    assert trace["colorscale"][0][1] == RDBU_LOW
    assert trace["zmin"] == pytest.approx(-trace["zmax"])
    want = dict(
        demo_con.execute(
            "select area_code, value from area_stat where indicator = 'fys' and year = 2024"
        ).fetchall()
    )
    assert values_of(trace) == pytest.approx(want)
    assert "Leefbaarometer 3.0, BZK" in caption_text(at)


def test_markers_are_sized_by_omzet(kaart, demo_con):
    at = kaart()
    spec = map_spec(at)
    dots = next(t for t in spec["data"] if t["type"] == "scattergeo" and t["mode"] == "markers")
    assert dots["marker"]["line"] == {"color": "white", "width": 2}  # a ring: seen on any colour
    year = at.selectbox(key="kaart_jaar").value
    omzet = dict(
        demo_con.execute(
            "select e.name, coalesce(ey.omzet, 0) from enterprise e "
            "left join enterprise_year ey on ey.enterprise_id = e.enterprise_id and ey.year = ? "
            "where e.lat is not null",
            [year],
        ).fetchall()
    )
    sizes = plotly_values(dots["marker"]["size"])
    names = [text.split("<br>")[0] for text in dots["text"]]
    assert sorted(names) == sorted(omzet)
    by_omzet = sorted(zip(names, sizes, strict=True), key=lambda pair: omzet[pair[0]])
    ordered = [size for _, size in by_omzet]
    assert ordered == sorted(ordered) and ordered[-1] > ordered[0]


def test_missing_values_are_grey_with_geen_gegevens(kaart, demo_db, tmp_path):
    db = tmp_path / "gaten.duckdb"
    shutil.copyfile(demo_db, db)
    con = duckdb.connect(str(db))
    con.execute("delete from area_stat where indicator = 'inwoners' and area_code = 'WK999905'")
    con.close()
    at = choose(kaart(db), kaart_maat="inwoners")
    spec = map_spec(at)
    grey = next(t for t in spec["data"] if t.get("name") == "Geen gegevens")
    # the name comes with the shapes' file, fetched once, not with every session's figure
    assert grey["locations"] == ["WK999905"] and "text" not in grey
    assert stored_names(grey)["WK999905"] == "Schildersbuurt"
    assert grey["hovertemplate"] == "<b>%{properties.naam}</b><br>geen gegevens<extra></extra>"
    assert "WK999905" not in coloured(spec)["locations"]
    assert "1 van 12 wijken zonder gegevens (grijs)" in caption_text(at)


def test_downloads_of_the_map_table(kaart):
    at = kaart()
    # the table and its downloads are built when their expander is opened, not every visit
    assert not [d for d in at.dataframe if "Code" in d.value.columns]
    assert not at.get("download_button")
    table = map_table(at)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Excel", "CSV"} <= set(buttons)
    assert list(table.columns[:3]) == ["Code", "Wijk", "Gemeente"] and len(table) == 12


def _active(demo_con, code: str) -> list[tuple[str, str]]:
    return demo_con.execute(
        """
        select distinct e.name, e.contact from enterprise e
        where e.area_code = $code
           or e.enterprise_id in (select enterprise_id from enterprise_area where area_code = $code)
        order by e.name
        """,
        {"code": code},
    ).fetchall()


def profile_text(at: AppTest) -> str:
    return markdown_text(" ".join(m.value for m in at.markdown))


def test_choosing_a_wijk_shows_its_profile_with_its_enterprises(kaart, demo_con):
    at = kaart()
    assert at.selectbox(key="kaart_wijk").value is None
    choose(at, kaart_wijk="WK999904")
    assert at.subheader[0].value == "Vogelbuurt"
    text = profile_text(at)
    active = _active(demo_con, "WK999904")
    assert active
    for name, contact in active:
        assert name in text and contact in text
    figures = frame_with(at, "Kenmerk")
    inwoners = demo_con.execute(
        "select value from area_stat where area_code = 'WK999904' and indicator = 'inwoners' "
        "and year = 2024"
    ).fetchone()[0]
    row = figures.set_index("Kenmerk").loc["Inwoners"]
    assert row["Wijk"] == f"{inwoners:,.0f}".replace(",", ".")
    assert row["Gemeente"] != "–"
    assert at.query_params["wijk"] == ["WK999904"] or at.query_params["wijk"] == "WK999904"
    assert len([c for c in charts(at) if "Leefbaarometer" in json.dumps(c)]) == 1


def test_a_link_with_wijk_opens_its_profile(kaart, demo_con):
    at = kaart(wijk="WK999901")
    assert at.selectbox(key="kaart_wijk").value == "WK999901"
    assert at.subheader[0].value == "Centrum"
    for name, _ in _active(demo_con, "WK999901"):
        assert name in profile_text(at)
    spent = demo_con.execute(
        "select count(*) from reinvestment where area_code = 'WK999901'"
    ).fetchone()[0]
    assert len(frame_with(at, "Project")) == spent


def test_a_bad_link_gets_a_warning(kaart):
    at = kaart(wijk="<script>")
    assert any("geen wijkcode" in w.value for w in at.warning)
    assert at.selectbox(key="kaart_wijk").value is None
    at = kaart(wijk="WK123456")
    assert any("niet geladen" in w.value for w in at.warning)


def test_many_wijken_are_chosen_gemeente_first(kaart, monkeypatch):
    """All of NL (3,455 wijken): the profile's wijk list asks for a gemeente first; a wijk
    clicked or linked brings its gemeente along; another gemeente lets go of the wijk."""
    monkeypatch.setattr(profile_view, "MANY_WIJKEN", 5)  # Demostad's 12 wijken count as many
    at = kaart()
    at.sidebar.selectbox(key="gemeente").select("__alle__").run()
    within = at.selectbox(key=profile_view.GEMEENTE_KEY)
    assert within.value is None and within.options == ["Demostad (GM9999)"]
    assert at.selectbox(key="kaart_wijk").disabled and at.selectbox(key="kaart_wijk").options == []
    within.select("GM9999").run()
    wijken = at.selectbox(key="kaart_wijk")
    assert not wijken.disabled and len(wijken.options) == 12
    wijken.select("WK999904").run()
    assert at.subheader[0].value == "Vogelbuurt"
    linked = kaart(wijk="WK999901")  # a link: its gemeente is chosen with it
    linked.sidebar.selectbox(key="gemeente").select("__alle__").run()
    assert linked.selectbox(key=profile_view.GEMEENTE_KEY).value == "GM9999"
    assert linked.selectbox(key="kaart_wijk").value == "WK999901"
    # no other gemeente in the demo: clearing the gemeente lets go of the wijk and the link
    linked.selectbox(key=profile_view.GEMEENTE_KEY).set_value(None).run()
    assert linked.selectbox(key="kaart_wijk").value is None
    assert "wijk" not in linked.query_params
    assert not linked.exception


def dot_traces(spec: dict) -> list[dict]:
    """The enterprise dots of a map (not the text of the wijk names)."""
    return [t for t in spec["data"] if t["type"] == "scattergeo" and t["mode"] == "markers"]


def test_many_enterprises_on_a_map_of_all_gemeenten_are_dots_only_when_asked(
    kaart, monkeypatch, demo_con
):
    located = demo_con.execute("select count(*) from enterprise where lat is not null").fetchone()
    (with_figures,) = demo_con.execute(
        "select count(distinct enterprise_id) from enterprise_year"
    ).fetchone()
    monkeypatch.setattr(settings, "MANY_MARKERS", with_figures - 1)  # Demostad's count as many
    at = kaart()
    assert at.toggle(key="kaart_bolletjes").value is True  # one gemeente: dots
    assert dot_traces(map_spec(at))
    at.sidebar.selectbox(key="gemeente").select("__alle__").run()
    assert at.toggle(key="kaart_bolletjes").value is False  # all gemeenten, too many: none
    assert not dot_traces(map_spec(at))
    # the toggle counts the dots it draws: every enterprise with a place (not those with figures)
    assert f"({located[0]})" in at.toggle(key="kaart_bolletjes").label
    at.toggle(key="kaart_bolletjes").set_value(True).run()
    dots = dot_traces(map_spec(at))[0]
    assert len(dots["text"]) == located[0]
    at.run()  # a rerun keeps the choice
    assert at.toggle(key="kaart_bolletjes").value is True
    at.sidebar.selectbox(key="gemeente").select("GM9999").run()
    assert at.toggle(key="kaart_bolletjes").value is True


def test_a_wijk_without_enterprises_says_so(kaart, demo_db, tmp_path):
    db = tmp_path / "leeg.duckdb"
    shutil.copyfile(demo_db, db)
    con = duckdb.connect(str(db))
    for table in ("enterprise_area", "reinvestment", "activity"):
        con.execute(f"delete from {table} where area_code = 'WK999910'")
    con.execute("update enterprise set area_code = 'WK999909' where area_code = 'WK999910'")
    con.close()
    at = kaart(db, wijk="WK999910")
    infos = " ".join(i.value for i in at.info)
    assert "Geen ondernemingen actief in deze wijk." in infos
    assert "Nog niets geherinvesteerd in deze wijk" in infos


def test_tiles_setting(kaart, monkeypatch):
    monkeypatch.setenv("WIJKIMPACT_MAP_TILES", "1")
    at = kaart()
    assert at.toggle(key="kaart_tegels").value is True
    layout = map_spec(at)["layout"]["map"]
    assert layout["style"] == "white-bg"  # the areas stay visible when the tiles cannot load
    assert layout["layers"][0]["sourcetype"] == "raster"
    assert "cartocdn" in layout["layers"][0]["source"][0]
    assert coloured(map_spec(at))["type"] == "choroplethmap"  # tiles: drawn by MapLibre
    at.toggle(key="kaart_tegels").set_value(False).run()
    assert "map" not in map_spec(at)["layout"] and coloured(map_spec(at))["type"] == "choropleth"


# --- the geometry as a file, the map view shared -----------------------------------------


def test_kaart_sends_the_geometry_as_a_file_with_every_wijk(kaart, demo_con):
    at = kaart()
    url = map_spec(at)["data"][0]["geojson"]
    assert isinstance(url, str) and url.startswith("/app/static/kaart/")
    features = stored(map_spec(at)["data"][0])["features"]
    rows = demo_con.execute("select area_code, name from area where level = 'wijk'").fetchall()
    wijken = dict(rows)
    assert {f["id"] for f in features} == set(wijken) and len(wijken) == 12
    # served to anyone (SECURITY.md): public borders, codes and names only, no value; the
    # names escaped as plotly's hover needs them (the demo's one gemeente: without its name)
    assert all(set(f) == {"id", "geometry", "properties"} for f in features)
    names = {f["id"]: f["properties"] for f in features}
    assert names == {code: {"naam": for_plotly(name)} for code, name in wijken.items()}
    assert all("text" not in t for t in map_spec(at)["data"] if t["type"] in AREA_TRACES)


def test_a_rerun_that_changes_nothing_does_not_build_the_map_again(kaart, monkeypatch):
    built = []
    real = figures.choropleth
    monkeypatch.setattr(figures, "choropleth", lambda *a, **k: built.append(1) or real(*a, **k))
    map_view._view.clear()
    at = kaart()
    assert len(built) == 1
    at.run()  # a rerun: nothing chosen differently
    second = kaart()  # another session, same choice
    assert len(built) == 1 and map_spec(second) == map_spec(at)
    at.selectbox(key="kaart_maat").select("inwoners").run()
    assert len(built) == 2  # another metric: a new map
    at.sidebar.selectbox(key="taal").select("en").run()
    assert len(built) == 3  # another language: texts differ
    assert not at.exception


def test_a_change_between_enterprise_metrics_computes_the_wijk_totals_once(
    kaart, demo_con, monkeypatch
):
    computed = []
    real = map_layers.wijk_years
    monkeypatch.setattr(
        map_layers, "wijk_years", lambda *a, **k: computed.append(1) or real(*a, **k)
    )
    map_view._view.clear()
    store._cached.cache_clear()  # this test's loads, not an earlier test's
    at = kaart()  # omzet
    year = at.selectbox(key="kaart_jaar").value
    # per metric the wijken with figures of its group (the rest are empty, not 0)
    contributed = {
        "geherinvesteerd": "select area_code from reinvestment where year = $year",
        "deelnemers": "select coalesce(a.area_code, e.area_code) from activity a "
        "join enterprise e using (enterprise_id) where year(a.date) = $year",
        "resultaat": "select area_code from wijk_year where year = $year and ondernemingen > 0",
    }
    for metric, wijken in contributed.items():
        choose(at, kaart_maat=metric)
        want = dict(
            demo_con.execute(
                f"select area_code, {metric} from wijk_year where year = $year "
                f"and area_code in ({wijken})",
                {"year": year},
            ).fetchall()
        )
        assert want and values_of(coloured(map_spec(at))) == pytest.approx(want), metric
    assert len(computed) == 1  # one load of every enterprise metric, not one per metric


# --- the real app in Chromium ----------------------------------------------------------------

# the areas drawn: plotly's SVG map has a path per area once the GeoJSON file is fetched
AREAS_DRAWN = """() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation')
  .length === 12"""


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_browser_click_on_a_wijk_and_a_link_open_the_profile(demo_server):
    from tests.live_app import chromium_page

    url = demo_server
    with chromium_page(1400, 1000, new_tab=True) as page:
        page.goto(f"{url}/kaart?wijk=WK999904")
        page.get_by_text("Bewonersbedrijf De Kroon").first.wait_for(timeout=60_000)
        assert page.get_by_text("Vogelbuurt").count() >= 1

        fetched = []
        page.on(
            "response", lambda r: fetched.append((r.url, r.status)) if "/static/" in r.url else 0
        )
        page.goto(f"{url}/kaart")
        page.wait_for_function(AREAS_DRAWN, timeout=60_000)
        # drawn by plotly's geo bundle, not by Streamlit's chart element with the whole plotly.js
        bundle = [status for u, status in fetched if "/app/static/js/plotly-geo-" in u]
        assert bundle == [200]
        assert not [u for u, _ in fetched if "/PlotlyChart." in u]
        # the toolbar of plotly.js 4 offers to upload the chart to plotly's cloud: not here
        titles = page.eval_on_selector_all(
            ".modebar-btn", "buttons => buttons.map(b => b.getAttribute('data-title'))"
        )
        assert "Zoom in" in titles and "Share chart..." not in titles
        # the wijken came as one static file (plotly fetches it again when it redraws before
        # the browser has cached it, as on a busy machine); the empty world map from here too
        kaart = [(u, status) for u, status in fetched if "/app/static/kaart/" in u]
        assert kaart and {status for _, status in kaart} == {200}
        assert len({u for u, _ in kaart}) == 1
        world = [status for u, status in fetched if "/app/static/geo/" in u]
        assert world and set(world) == {200}
        box = page.locator("path.choroplethlocation").first.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
        page.get_by_text("Ondernemingen in deze wijk").first.wait_for(timeout=60_000)
        assert "wijk=WK9999" in page.url


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_browser_the_map_waits_for_shapes_that_come_slowly(demo_server):
    # on a busy machine the areas' file can take seconds; plotly itself lets the second and
    # third trace of one file wait 5 s for the first one's fetch and then fails the whole map
    import time

    from tests.live_app import chromium_page

    def slowly(route) -> None:
        time.sleep(6)
        route.continue_()

    with chromium_page(1400, 1000, new_tab=True) as page:
        page.route("**/app/static/kaart/*.json", slowly)
        page.goto(f"{demo_server}/kaart")
        page.wait_for_function(AREAS_DRAWN, timeout=60_000)
        assert page.get_by_text("De kaart kon niet worden getekend").count() == 0


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_browser_the_map_takes_the_page_s_theme(demo_server):
    # Streamlit follows the system's dark setting; the map's own component takes the page's
    # colours (as Streamlit's chart element did), the legend keeps its light box and dark text
    from tests.live_app import chromium_page

    read = """() => {
      const gd = document.querySelector('.js-plotly-plot');
      const page = getComputedStyle(document.querySelector('.wijkimpact-kaart'));
      return [gd._fullLayout.paper_bgcolor, gd._fullLayout.font.color,
        gd._fullLayout.legend.font.color, page.getPropertyValue('--st-background-color').trim(),
        page.getPropertyValue('--st-text-color').trim()];
    }"""
    seen = {}
    with chromium_page(1400, 1000, new_tab=True) as page:
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.goto(f"{demo_server}/kaart")
            page.wait_for_function(AREAS_DRAWN, timeout=60_000)
            seen[scheme] = page.evaluate(read)
    for paper, text, legend, background, foreground in seen.values():
        assert (paper, text, legend) == (background, foreground, "#1a1a1a")
    assert seen["light"][0] != seen["dark"][0] and seen["light"][1] != seen["dark"][1]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_browser_a_map_whose_code_does_not_arrive_says_so(demo_server):
    from tests.live_app import chromium_page

    with chromium_page(1400, 1000, new_tab=True) as page:
        page.route("**/app/static/js/plotly-geo-*.min.js", lambda route: route.abort())
        page.goto(f"{demo_server}/kaart")
        page.get_by_text(
            "De kaart kon niet worden getekend: haar code of vormen kwamen niet aan. Laad de "
            "pagina opnieuw."
        ).wait_for(timeout=60_000)
        # the rest of the page is there: the controls and the wijk profile's search
        assert page.get_by_label("Zoek een wijk, buurt of postcode").count() == 1
