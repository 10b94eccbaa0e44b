"""Pure functions of the map and the wijk profile: values, formats, figures, geometry."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
import shapely
from shapely.geometry import box

from etl import geometry
from tests.test_pages import plotly_values
from wijkimpact.charts import figures, trend_figures
from wijkimpact.charts.shared_figure import SharedFigure
from wijkimpact.kaart import area_table, geojson, map_data, settings, wijk_profile
from wijkimpact.ui.kaart import map_state

# --- settings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "on"), [("1", True), ("ja", True), ("true", True), ("", False), ("0", False)]
)
def test_tiles_setting_from_the_environment(value, on):
    assert settings.tiles_default({settings.TILES_ENV: value}) is on
    assert settings.map_style(on) == "white-bg"
    assert bool(settings.tile_layers(on, {})) is on


def test_tile_server_can_be_replaced():
    env = {settings.TILE_URL_ENV: "https://tegels.example.nl/{z}/{x}/{y}.png"}
    (layer,) = settings.tile_layers(True, env)
    assert layer["source"] == ["https://tegels.example.nl/{z}/{x}/{y}.png"]
    assert layer["below"] == "traces" and "OpenStreetMap" in layer["sourceattribution"]


def test_levels_and_geometry_per_zoom():
    national = {"wijk": 3455, "buurt": 13421}
    assert settings.levels_shown(national, None) == ["wijk"]  # too many buurten for NL
    assert settings.levels_shown({"wijk": 24, "buurt": 83}, "GM0202") == ["wijk", "buurt"]
    assert settings.levels_shown({"buurt": 5}, "GM0202") == ["buurt"]
    assert settings.use_coarse(None, 3455) and not settings.use_coarse("GM0363", 3455)
    assert not settings.use_coarse(None, 24)


# --- metrics and values ------------------------------------------------------------------

INDICATORS = pd.DataFrame(
    {
        "indicator": ["inwoners", "fys", "lbm", "eigen_kolom"],
        "label_nl": ["Inwoners", "Fysieke omgeving", "Leefbaarometer-score", "Eigen kolom"],
        "unit": ["aantal", "score", "score", None],
        "source": ["CBS", "Leefbaarometer 3.0 (BZK)", "Leefbaarometer 3.0 (BZK)", "CBS"],
        "years": [[2023, 2024], [2018, 2022], [2018, 2022], [2024]],
    }
)


def test_catalogue_enterprise_metrics_then_leefbaarometer_then_cbs():
    options = map_data.catalogue(INDICATORS, [2024, 2023, 2024], "wijk")
    keys = list(options)
    n = len(map_data.ENTERPRISE_METRICS)
    assert keys[:n] == list(map_data.ENTERPRISE_METRICS)
    assert keys[n:] == ["lbm", "fys", "eigen_kolom", "inwoners"]
    assert options["resultaat"].deviation and not options["omzet"].deviation
    assert options["omzet"].years == (2023, 2024) and options["omzet"].enterprise
    assert options["fys"].deviation and not options["lbm"].deviation
    assert options["inwoners"].option_label == "Inwoners · CBS"
    assert map_data.default_metric(options) == "omzet"


def test_catalogue_without_enterprise_figures_or_at_buurt_level():
    for years, level in (([], "wijk"), ([2024], "buurt")):
        options = map_data.catalogue(INDICATORS, years, level)
        assert "omzet" not in options
        assert map_data.default_metric(options) == "inwoners"


def test_default_years():
    assert map_data.default_year([2018, 2020, 2022], 2020) == 2020
    # a year without data (between two Leefbaarometer editions): the edition before it
    assert map_data.default_year([2018, 2020, 2022], 2021) == 2020
    assert map_data.default_year([2018, 2020, 2022], 2025) == 2022
    assert map_data.default_year([2018, 2020, 2022], 2010) == 2022  # none before: the latest
    assert map_data.default_year([2018, 2020, 2022], None) == 2022
    assert map_data.default_change([2019, 2020, 2024], 2020) == (2019, 2020)
    assert map_data.default_change([2019, 2020, 2024], 2019) == (2019, 2024)
    assert map_data.default_change([2024], 2024) == (2024, 2024)


AREAS = pd.DataFrame(
    {
        "area_code": ["WK000101", "WK000102", "WK000103"],
        "name": ["Noord", "Zuid", None],
        "parent_code": ["GM0001"] * 3,
        "gemeente_code": ["GM0001"] * 3,
        "gemeente_naam": ["Stad", "Stad", None],
    }
)
LONG = pd.DataFrame(
    {
        "area_code": ["WK000101", "WK000101", "WK000102", "WK000102", "WK000103"],
        "year": [2020, 2024, 2020, 2024, 2024],
        "value": [100.0, 130.0, 80.0, 60.0, 5.0],
    }
)


def test_year_values_keep_every_area_missing_as_nan():
    out = map_data.year_values(AREAS, LONG, 2020)
    assert list(out["area_code"]) == list(AREAS["area_code"])
    assert out["value"].tolist()[:2] == [100.0, 80.0] and math.isnan(out["value"].iloc[2])


def test_change_is_later_minus_earlier_whatever_the_order():
    out = map_data.change_values(AREAS, LONG, 2024, 2020).set_index("area_code")
    assert out.loc["WK000101", "value"] == 30.0 and out.loc["WK000102", "value"] == -20.0
    assert math.isnan(out.loc["WK000103", "value"])  # no 2020 value
    assert out.loc["WK000102", ["eerder", "later"]].tolist() == [80.0, 60.0]


def test_values_withheld_for_privacy_are_flagged_and_say_so():
    withheld = LONG.assign(onderdrukt=[False, False, False, True, False])
    withheld.loc[3, "value"] = np.nan
    out = map_data.year_values(AREAS, withheld, 2024)
    assert out["onderdrukt"].tolist() == [False, True, False]
    texts = map_data.missing_reasons(out)
    assert pd.isna(texts["reden"].iloc[0])
    assert texts["reden"].iloc[1] == "geen gegevens (afgeschermd)"
    assert texts["ontbreekt"].iloc[1] == "afgeschermd"
    change = map_data.change_values(AREAS, withheld, 2020, 2024)
    assert change["onderdrukt"].tolist() == [False, True, False]
    assert map_data.year_values(AREAS, LONG, 2024)["onderdrukt"].tolist() == [False] * 3
    missing = map_data.year_values(AREAS, LONG, 2020)
    reasons = map_data.missing_reasons(missing).iloc[2]
    assert (reasons["reden"], reasons["ontbreekt"]) == ("geen gegevens", "geen_gegevens")


def metric(unit, key="x", label="Iets", source="CBS", deviation=False):
    return map_data.MapMetric(key, label, unit, source, (2020, 2024), deviation)


@pytest.mark.parametrize(
    ("unit", "value", "change", "text"),
    [
        ("euro", 1234567.4, False, "€ 1.234.567"),
        ("euro", -1234.0, False, "€ -1.234"),
        ("euro2", 3.456, False, "€ 3,46"),
        ("score", 4.1234, False, "4,12"),
        ("%", 12.54, False, "12,5%"),
        ("aantal", 12345.0, True, "+12.345"),
        ("aantal", -12.0, True, "-12"),
        ("personen", 2.134, False, "2,13"),
        ("aantal", None, False, "–"),
    ],
)
def test_dutch_formats_per_unit(unit, value, change, text):
    leg = map_data.legend(metric(unit), pd.Series([1.0, 2.0]), (2020, 2024) if change else None)
    assert leg.format(value) == text


def test_unknown_unit_uses_decimals_only_when_the_values_have_them():
    assert map_data.legend(metric(None), pd.Series([1.0, 2.0])).decimals == 0
    assert map_data.legend(metric(None), pd.Series([1.5, 2.0])).decimals == 2
    assert map_data.value_text(7465.0, None) == "7.465"
    assert map_data.value_text(2.5, None) == "2,50"


def test_legend_titles_and_diverging():
    leg = map_data.legend(metric("aantal", label="Inwoners"), LONG["value"], (2019, 2024))
    assert leg.title == "Verandering inwoners, 2019–2024" and leg.diverging and leg.change
    assert leg.d3_format == "+,.0f" and leg.name == "Inwoners"
    assert map_data.legend(metric("score", deviation=True), LONG["value"]).diverging
    income = metric("x 1.000 euro", label="Gemiddeld inkomen per inwoner")
    assert map_data.legend(income, LONG["value"]).title.endswith("(x 1.000 euro)")


def test_colour_range_leaves_out_outliers_only_for_many_areas():
    few = pd.Series([1.0, 2.0, 100.0])
    assert map_data.colour_range(few, False) == (1.0, 100.0, False)
    assert map_data.colour_range(few, True) == (-100.0, 100.0, False)
    many = pd.Series([*range(99), 10_000.0], dtype="float64")
    low, high, clipped = map_data.colour_range(many, False)
    assert clipped and high < 10_000 and low > 0
    low, high, clipped = map_data.colour_range(many - 50, True)
    assert clipped and low == -high
    assert map_data.colour_range(pd.Series([np.nan]), False) == (None, None, False)


def test_source_note_names_cbs_and_the_leefbaarometer():
    assert map_data.source_note(metric("aantal"), "wijk") == (
        "Bron: CBS (wijkgrenzen en kerncijfers)"
    )
    lbm = metric("score", source="Leefbaarometer 3.0 (BZK)")
    assert map_data.source_note(lbm, "buurt") == "Bron: CBS (buurtgrenzen); Leefbaarometer 3.0, BZK"
    omzet = metric("euro", source=map_data.ENTERPRISE_SOURCE)
    assert "de ondernemingen zelf" in map_data.source_note(omzet, "wijk")


def test_area_names_escaped_and_with_gemeente_across_nl():
    areas = AREAS.assign(name=["<b>Noord</b>", "Zuid & Oost", None])
    local = map_data.area_names(areas, with_gemeente=False).tolist()
    assert local == ["&lt;b&gt;Noord&lt;/b&gt;", "Zuid &amp; Oost", "WK000103"]
    national = map_data.area_names(areas, with_gemeente=True).tolist()
    assert national[1] == "Zuid &amp; Oost (Stad)" and national[2] == "WK000103 (GM0001)"


def test_table_for_download_sorted_with_missing_last():
    values = map_data.year_values(AREAS, LONG, 2020)
    leg = map_data.legend(metric("aantal", label="Inwoners"), values["value"])
    table = area_table.table(values, AREAS, leg, "wijk")
    assert list(table.columns) == ["Code", "Wijk", "Gemeente", "Inwoners"]
    assert table["Code"].tolist() == ["WK000101", "WK000102", "WK000103"]
    assert area_table.excel_formats(table, leg) == {"Inwoners": "number"}
    shown = area_table.formatted(table, leg, leg)
    assert shown["Inwoners"].tolist() == ["100", "80", "–"]

    change = map_data.change_values(AREAS, LONG, 2020, 2024)
    leg = map_data.legend(metric("euro", label="Omzet"), change["value"], (2020, 2024))
    table = area_table.table(change, AREAS, leg, "wijk", (2020, 2024))
    assert list(table.columns[3:]) == ["Omzet 2020", "Omzet 2024", "Verandering"]
    assert table["Verandering"].tolist()[:2] == [30.0, -20.0]
    shown = area_table.formatted(table, leg, map_data.legend(metric("euro"), change["later"]))
    assert shown.loc[0, "Verandering"] == "€ +30" and shown.loc[0, "Omzet 2024"] == "€ 130"


def test_markers_grow_with_omzet_and_hover_is_plain_text():
    enterprises = pd.DataFrame(
        {
            "enterprise_id": ["a", "b", "c", "d"],
            "name": ["<script>x</script>", "Klein & co", "Zonder cijfers", "Zonder plek"],
            "area_code": ["WK000101"] * 4,
            "wijk_naam": ["Noord"] * 4,
            "lat": [52.0, 52.1, 52.2, None],
            "lon": [5.0, 5.1, 5.2, None],
            "description": ["Een café & meer", None, None, None],
        }
    )
    years = pd.DataFrame(
        {"enterprise_id": ["a", "b", "a"], "year": [2024, 2024, 2023], "omzet": [400.0, 100.0, 1]}
    )
    out = map_data.markers(enterprises, years, 2024).set_index("enterprise_id")
    assert list(out.index) == ["a", "b", "c"]  # no coordinates, no marker
    assert out.loc["a", "size"] > out.loc["b", "size"] > out.loc["c", "size"]
    assert out.loc["a", "size"] == pytest.approx(30.0)
    assert out.loc["b", "size"] == pytest.approx(8 + 22 * 0.5)  # area ~ omzet: sqrt(1/4)
    assert "<script>" not in out.loc["a", "hover"] and "&lt;script&gt;" in out.loc["a", "hover"]
    assert out.loc["b", "hover"] == "Klein &amp; co<br>Noord<br>Omzet 2024: € 100"
    assert "€ 400" in out.loc["a", "hover"] and "café" not in out.loc["a", "hover"]
    assert map_data.marker_sizes(pd.Series([np.nan, np.nan])).tolist() == [8.0, 8.0]


# --- figures -------------------------------------------------------------------------------


def shapes_frame() -> pd.DataFrame:
    polygons = [box(5.0, 52.0, 5.1, 52.1), box(5.1, 52.0, 5.2, 52.1), box(5.0, 52.1, 5.2, 52.2)]
    return AREAS.assign(geometry=[bytearray(shapely.to_wkb(p)) for p in polygons])


def test_compact_feature_collection_and_fitted_view():
    frame = shapes_frame()
    full = geojson.feature_collection(frame)
    compact = geojson.feature_collection(frame, compact=True)
    assert full["features"][0]["properties"] == {} and full["features"][0]["type"] == "Feature"
    assert set(compact["features"][0]) == {"id", "geometry"}
    assert [f["id"] for f in compact["features"]] == AREAS["area_code"].tolist()
    assert len(json.dumps(compact)) < len(json.dumps(full))
    view = geojson.fit_view(frame)
    assert view["center"]["lon"] == pytest.approx(5.1)
    assert 52.0 < view["center"]["lat"] < 52.2 and 9 < view["zoom"] < 12
    assert geojson.fit_view(frame.iloc[0:0])["zoom"] == pytest.approx(6.3)


def test_choropleth_sends_each_shape_once_and_greys_missing_areas():
    frame = shapes_frame()
    geo = geojson.feature_collection(frame, compact=True)
    values = map_data.year_values(AREAS, LONG, 2020)
    values = map_data.missing_reasons(values)
    leg = map_data.legend(metric("aantal", label="A<b>"), values["value"])
    spec = json.loads(figures.choropleth(geo, values, leg, geojson.fit_view(frame)).to_json())
    coloured, grey = spec["data"]
    assert coloured["locations"] == ["WK000101", "WK000102"]
    assert [f["id"] for f in coloured["geojson"]["features"]] == ["WK000101", "WK000102"]
    assert [f["id"] for f in grey["geojson"]["features"]] == ["WK000103"]
    assert grey["name"] == "Geen gegevens" and grey["colorscale"][0][1] == figures.NO_DATA
    # the names are in the features (kaart.geojson), not sent with the figure
    assert "text" not in grey and "text" not in coloured
    assert grey["hovertemplate"] == "<b>%{properties.naam}</b><br>geen gegevens<extra></extra>"
    assert coloured["z"]["dtype"] == "f4" and plotly_values(coloured["z"]) == [100.0, 80.0]
    assert "A&lt;b&gt;" in coloured["hovertemplate"]
    assert "%{z:,.0f}" in coloured["hovertemplate"]
    assert spec["layout"]["separators"] == ",."
    notes = spec["layout"]["annotations"][0]["text"]
    assert "Bron: CBS" in notes and "grijs: geen gegevens" in notes


def test_choropleth_diverging_and_markers():
    frame = shapes_frame()
    values = map_data.change_values(AREAS, LONG, 2020, 2024)
    leg = map_data.legend(metric("aantal"), values["value"], (2020, 2024))
    markers = pd.DataFrame(
        {"lat": [52.05], "lon": [5.05], "size": [12.0], "hover": ["x"], "area_code": ["WK000101"]}
    )
    fig = figures.choropleth(
        geojson.feature_collection(frame, compact=True),
        values,
        leg,
        geojson.fit_view(frame),
        markers,
        layers=settings.tile_layers(True, {}),
    )
    spec = json.loads(fig.to_json())
    coloured = spec["data"][0]
    assert coloured["colorscale"][0][1] == "rgb(103,0,31)"  # RdBu: red ... white ... blue
    assert (coloured["zmin"], coloured["zmax"]) == (-30.0, 30.0)
    ring, dot = [t for t in spec["data"] if t["type"] == "scattermap"]
    assert plotly_values(ring["marker"]["size"]) == [16.0] and dot["customdata"] == ["WK000101"]
    assert spec["layout"]["map"]["layers"][0]["sourcetype"] == "raster"


# --- the wijk profile ----------------------------------------------------------------------


def stat_rows() -> pd.DataFrame:
    rows = [
        ("WK000101", "wijk", 2024, "inwoners", 1000.0, "Inwoners", "aantal"),
        ("WK000102", "wijk", 2024, "inwoners", 3000.0, "Inwoners", "aantal"),
        ("GM0001", "gemeente", 2024, "inwoners", 4000.0, "Inwoners", "aantal"),
        ("WK000101", "wijk", 2023, "huishoudensgrootte", 2.134, "Huishoudensgrootte", "personen"),
        ("WK000101", "wijk", 2020, "lbm", 4.0, "Leefbaarometer-score", "score"),
        ("WK000101", "wijk", 2022, "lbm", 4.2, "Leefbaarometer-score", "score"),
        ("WK000102", "wijk", 2022, "lbm", 3.8, "Leefbaarometer-score", "score"),
    ]
    columns = ["area_code", "level", "year", "indicator", "value", "label_nl", "unit"]
    return pd.DataFrame(rows, columns=columns)


def test_key_figures_against_the_gemeente_with_a_weighted_lbm():
    table, weighted = wijk_profile.key_figures(stat_rows(), "WK000101", "GM0001")
    rows = table.set_index("Kenmerk")
    assert rows.loc["Inwoners"].tolist() == ["1.000", "4.000", "2024"]
    assert rows.loc["Huishoudensgrootte"].tolist() == ["2,13", "–", "2023"]
    # no Leefbaarometer score of the gemeente itself: (4,2 x 1000 + 3,8 x 3000) / 4000 = 3,90
    assert rows.loc["Leefbaarometer-score"].tolist() == ["4,20", "3,90*", "2022"]
    assert weighted


def test_weighted_mean_uses_the_nearest_year_of_inhabitants():
    mean = wijk_profile.weighted_wijk_mean(stat_rows(), "GM0001", "lbm")
    assert mean[2022] == pytest.approx((4.2 * 1000 + 3.8 * 3000) / 4000)
    assert mean[2020] == pytest.approx(4.0)  # only one wijk has a 2020 score


def test_lbm_trend_wijk_first_then_gemeente():
    trend = wijk_profile.lbm_trend(stat_rows(), "WK000101", "Noord", "GM0001", "Stad")
    assert trend["reeks"].unique().tolist() == ["Noord", "Stad (gemiddelde van de wijken)"]
    assert trend[trend["reeks"] == "Noord"]["year"].tolist() == [2020, 2022]
    assert wijk_profile.lbm_trend(stat_rows(), "WK000102x", "X", "GM0001", "Stad").empty
    fig = trend_figures.lbm_trend(trend)
    assert [t.name for t in fig.data] == ["Noord", "Stad (gemiddelde van de wijken)"]


def test_enterprise_cards_are_plain_text_and_links_only_http():
    rows = pd.DataFrame(
        {
            "name": ["**Vet** [klik](javascript:alert(1))", "Tweede"],
            "thuiswijk": [True, False],
            "thuiswijk_naam": ["Noord", "Zuid"],
            "description": ["<img src=x onerror=alert(1)>", None],
            "volunteers_wanted": ["# Kop", " "],
            "contact": ["info@x.nl", None],
            "website": ["javascript:alert(1)", "www.tweede.nl"],
        }
    )
    first, second = wijk_profile.enterprise_cards(rows)
    joined = "\u2060\\:\u2060"  # a colon escaped, with invisible word joiners (no icon, no link)
    assert first.name == r"\*\*Vet\*\* \[klik\]\(javascript" + joined + r"alert\(1\)\)"
    assert first.description.startswith(r"\<img") and first.volunteers_wanted == r"\# Kop"
    assert first.website is None and first.role == "Gevestigd in deze wijk"
    assert second.role == r"Actief in deze wijk \(gevestigd in Zuid\)"
    assert second.website == "https://www.tweede.nl" and second.volunteers_wanted is None


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.nl/a?b=1", "https://x.nl/a?b=1"),
        ("http://x.nl", "http://x.nl"),
        ("x.nl", "https://x.nl"),
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("https://x.nl/a b", None),
        (None, None),
    ],
)
def test_safe_url(url, safe):
    assert wijk_profile.safe_url(url) == safe


def test_wijk_codes_from_links_and_clicks():
    assert wijk_profile.valid_wijk_code(" wk0363ae ") == "WK0363AE"
    assert wijk_profile.valid_wijk_code("BU02020101") is None
    assert wijk_profile.valid_wijk_code("<script>") is None
    areas = pd.DataFrame({"area_code": ["BU02020101"], "parent_code": ["WK020201"]})
    assert wijk_profile.wijk_of("BU02020101", areas) == "WK020201"
    assert wijk_profile.wijk_of("BU02029999", areas) == "WK020299"
    assert wijk_profile.wijk_of("WK020201", areas) == "WK020201"


def test_reinvestment_tables():
    rows = pd.DataFrame(
        {
            "year": [2024, 2024, 2023],
            "onderneming": ["A", "B", "A"],
            "project": ["Speeltuin", "Bankjes", "Moestuin"],
            "thema": ["Jeugd", "Groen", "Groen"],
            "amount": [1500.0, 250.0, 1000.0],
        }
    )
    assert wijk_profile.reinvested_per_year(rows).table.values.tolist() == [
        ["2024", "€ 1.750"],
        ["2023", "€ 1.000"],
    ]
    assert wijk_profile.reinvestment_table(rows)["Bedrag"].tolist()[0] == "€ 1.500"


@pytest.mark.parametrize(
    ("event", "code"),
    [
        ({"selection": {"points": [{"location": "WK000101", "z": 3}]}}, "WK000101"),
        ({"selection": {"points": [{"customdata": ["WK000102"]}]}}, "WK000102"),
        ({"selection": {"points": [{"customdata": "WK000103"}]}}, "WK000103"),
        ({"selection": {"points": []}}, None),
        (None, None),
    ],
)
def test_clicked_area(event, code):
    assert map_state.clicked_area(event) == code


# --- geometry for the national map ---------------------------------------------------------


def test_coarse_geometry_keeps_borders_shared_with_fewer_vertices():
    # two wijken (RD New metres) sharing a border that zigzags 100 m: detail for one gemeente,
    # below what the national map can show
    border = [(4000 + (100 if i % 2 else 0), 50 * i) for i in range(81)]
    west = shapely.Polygon([(0, 0), *border, (0, 4000)])
    east = shapely.Polygon([*border, (8000, 4000), (8000, 0)])
    cells = np.array([west, east], dtype=object)
    detailed = geometry.simplify_coverage(cells, 25, 25)
    coarse = geometry.simplify_further(detailed, 300)
    assert shapely.get_num_coordinates(detailed).min() > 80  # the zigzag is still there
    assert shapely.get_num_coordinates(coarse).max() < 10
    assert coarse[0].intersection(coarse[1]).area < 1.0  # no overlap, no gap:
    assert shapely.union_all(coarse).area == pytest.approx(8000 * 4000, rel=1e-3)
    moved = shapely.transform(coarse, lambda xy: xy + [150_000, 450_000])  # into the NL
    wgs = geometry.reproject(moved, geometry.RD_NEW, geometry.WGS84)
    rounded = geometry.round_coordinates(wgs, geometry.COARSE_DECIMALS)
    assert shapely.is_valid(rounded).all()
    assert all(len(str(x).split(".")[1]) <= 3 for x, _ in shapely.get_coordinates(rounded))


def test_an_svg_map_has_geo_traces_one_marker_trace_with_a_ring_and_fits_the_areas():
    frame = shapes_frame()
    values = map_data.missing_reasons(map_data.year_values(AREAS, LONG, 2020))
    leg = map_data.legend(metric("aantal"), values["value"])
    markers = pd.DataFrame(
        {"lat": [52.05], "lon": [5.05], "size": [12.0], "hover": ["x"], "area_code": ["WK000101"]}
    )
    fig = figures.choropleth(
        "/app/static/kaart/x.json", values, leg, geojson.fit_view(frame), markers, svg=True
    )
    spec = json.loads(fig.to_json())
    assert [t["type"] for t in spec["data"]] == ["choropleth", "choropleth", "scattergeo"]
    assert spec["data"][0]["geojson"] == spec["data"][1]["geojson"] == "/app/static/kaart/x.json"
    dots = spec["data"][2]
    assert dots["marker"]["line"] == {"color": "white", "width": 1}  # thin around a 12 px dot
    assert dots["customdata"] == ["WK000101"]
    assert spec["layout"]["geo"]["fitbounds"] == "locations" and "map" not in spec["layout"]
    assert spec["layout"]["geo"]["projection"]["type"] == "mercator"


def test_many_markers_get_smaller_dots():
    few = pd.DataFrame({"omzet": [0.0, 50_000.0, 200_000.0]})
    assert map_data.marker_sizes(few["omzet"]).tolist() == [8.0, 19.0, 30.0]
    enterprises = pd.DataFrame(
        {
            "enterprise_id": [f"e{i}" for i in range(300)],
            "name": [f"E{i}" for i in range(300)],
            "lat": 52.0,
            "lon": 5.0,
            "area_code": "WK000101",
            "wijk_naam": "Noord",
        }
    )
    years = pd.DataFrame(
        {"enterprise_id": enterprises["enterprise_id"], "year": 2024, "omzet": range(300)}
    )
    sizes = map_data.markers(enterprises, years, 2024)["size"]
    assert (sizes.min(), sizes.max()) == (4.0, 14.0)  # SMALL_MARKERS: they leave the areas seen


def test_svg_map_ranges_hold_every_area_with_a_margin():
    frame = shapes_frame()
    ranges = geojson.fit_ranges(frame)
    bounds = shapely.total_bounds(shapely.from_wkb([bytes(g) for g in frame["geometry"]]))
    low_lon, high_lon = ranges["lonaxis"]["range"]
    low_lat, high_lat = ranges["lataxis"]["range"]
    assert low_lon < bounds[0] and high_lon > bounds[2]
    assert low_lat < bounds[1] and high_lat > bounds[3]
    assert high_lon - low_lon == pytest.approx((bounds[2] - bounds[0]) * 1.06, abs=1e-3)
    empty = geojson.fit_ranges(frame.iloc[0:0])  # nothing loaded: the Netherlands
    assert empty["lonaxis"]["range"][0] < 3.4 and empty["lataxis"]["range"][1] > 53.5
    values = map_data.missing_reasons(map_data.year_values(AREAS, LONG, 2020))
    leg = map_data.legend(metric("aantal"), values["value"])
    fig = figures.choropleth("x.json", values, leg, {}, svg=True, ranges=ranges)
    geo = fig.to_dict()["layout"]["geo"]
    assert geo["fitbounds"] is False and geo["lonaxis"]["range"] == [low_lon, high_lon]


# --- the shared map figure -----------------------------------------------------------------


def test_a_shared_figure_is_sent_as_the_figure_it_copies():
    codes = ["WK001", "WK002", "WK003"]
    plain = go.Figure(
        go.Choropleth(locations=codes, z=np.array([1.5, 2.0, np.nan]), text=["a", "b", "c"])
    )
    plain.update_layout(title="Omzet", uirevision="GM1")
    shared = SharedFigure(plain)
    assert shared.to_dict() == plain.to_dict()
    assert pio.to_json(shared, validate=False) == pio.to_json(plain, validate=False)
    assert json.loads(pio.to_json(shared.to_dict(), validate=False))["data"][0]["text"] == [
        "a",
        "b",
        "c",
    ]
    assert shared.to_dict() is shared.to_dict()  # made once, for every session
