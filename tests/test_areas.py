"""Tests for etl.areas: CBS/PDOK map files (GeoPackage, GeoJSON, TopoJSON) into table area."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from etl import geometry
from etl.areas import AREA_COLUMNS, read_areas
from etl.areas import load_areas as load
from etl.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
ARNHEM_BOX = (5.8, 51.95, 6.0, 52.05)  # lon/lat


def real(name: str) -> Path:
    """A file of ../shared/data/real, or a clean skip when ../shared is not there."""
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} ontbreekt (../shared niet aanwezig)")
    return path


def new_db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """An empty Wijkimpact database (tables only when the metric views do not build yet)."""
    from etl.schema import create_schema

    path = tmp_path / "test.duckdb"
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
    except duckdb.Error:
        con.close()
        path.unlink()
        con = duckdb.connect(str(path))
        con.execute((ROOT / "etl" / "sql" / "schema.sql").read_text(encoding="utf-8"))
    return con


def shapes(wkb) -> np.ndarray:
    """WKB column -> shapely geometries."""
    return shapely.from_wkb(np.asarray(list(wkb), dtype=object))


def to_rd(geoms) -> np.ndarray:
    return geometry.reproject(np.asarray(geoms, dtype=object), geometry.WGS84, geometry.RD_NEW)


def pairwise_overlap(geoms) -> float:
    """Summed area of the intersections of every pair of geometries."""
    geoms = np.asarray(geoms, dtype=object)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pair = left < right
    return float(shapely.area(shapely.intersection(geoms[left[pair]], geoms[right[pair]])).sum())


def holes(geoms) -> int:
    """Number of holes (gaps, enclaves) in the union of the geometries."""
    union = shapely.union_all(np.asarray(geoms, dtype=object))
    return sum(len(part.interiors) for part in shapely.get_parts(union))


# --- small files made in tmp_path -------------------------------------------------------

ZIGZAG_X = 191_000.0


def zigzag() -> list[tuple[float, float]]:
    """A wijk border in RD with 201 vertices wiggling +-2 m: detail below the tolerance."""
    rng = np.random.default_rng(7)
    ys = np.linspace(443_000.0, 447_000.0, 201)
    xs = ZIGZAG_X + rng.uniform(-2.0, 2.0, ys.size)
    xs[0] = xs[-1] = ZIGZAG_X
    return list(zip(xs, ys, strict=True))


def write_gpkg(path: Path, inwoners=(600.0, -99999999.0)) -> Path:
    """A CBS-style GeoPackage in RD New: gemeenten (with a water part), wijken, buurten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    border = zigzag()
    west = Polygon([(189_000, 443_000), *border, (189_000, 447_000)])
    east = Polygon([(193_000, 443_000), (193_000, 447_000), *border[::-1]])
    gemeenten = gpd.GeoDataFrame(
        {
            "gemeentecode": ["GM0202", "GM0202"],
            "gemeentenaam": ["Arnhem", "Arnhem"],
            "aantal_inwoners": [1000, -99999999],
            "opp_land": [1500.0, -99999999.0],
            "water": ["NEE", "JA"],
        },
        geometry=[box(189_000, 443_000, 193_000, 447_000), box(193_000, 443_000, 193_500, 447_000)],
        crs="EPSG:28992",
    )
    wijken = gpd.GeoDataFrame(
        {
            "wijkcode": ["WK020201  ", " WK020202"],
            "wijknaam": ["West", "Oost"],
            "gemeentecode": ["GM0202", "GM0202"],
            "gemeentenaam": ["Arnhem", "Arnhem"],
            "aantal_inwoners": list(inwoners),
            "bevolkingsdichtheid": [50.5, -99997.0],
            "water": ["NEE", "NEE"],
        },
        geometry=[west, east],
        crs="EPSG:28992",
    )
    buurten = gpd.GeoDataFrame(
        {"buurtcode": ["BU02020101", "BU02020102"], "buurtnaam": ["Zuid", "Noord"]},
        geometry=[box(189_000, 443_000, 190_000, 445_000), box(189_000, 445_000, 190_000, 447_000)],
        crs="EPSG:28992",
    )
    for layer, frame in (("gemeenten", gemeenten), ("wijken", wijken), ("buurten", buurten)):
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    return path


def feature(props: dict, coords) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [list(map(list, coords))]},
    }


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    collection = {"type": "FeatureCollection", "features": features}
    if crs:
        collection["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(collection), encoding="utf-8")
    return path


def square(x: float, y: float, size: float = 0.01):
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


TOPOJSON = {
    "type": "Topology",
    "transform": {"scale": [0.001, 0.001], "translate": [5.9, 51.98]},
    "objects": {
        "wijken": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": "Polygon",
                    "arcs": [[0, 1]],
                    "properties": {"wijkcode": "WK020201", "wijknaam": "A", "aantal_inwoners": 100},
                },
                {
                    "type": "Polygon",
                    "arcs": [[-1, 2]],  # the shared arc 0, walked backwards
                    "properties": {
                        "wijkcode": "WK020202",
                        "wijknaam": "B",
                        "aantal_inwoners": -99999999,
                    },
                },
            ],
        }
    },
    # quantised and delta-encoded: arc 0 is the border x = 5.902 between the two wijken
    "arcs": [
        [[2, 0], [0, 2]],
        [[2, 2], [-2, 0], [0, -2], [2, 0]],
        [[2, 0], [2, 0], [0, 2], [-2, 0]],
    ],
}


@pytest.fixture
def gpkg(tmp_path) -> Path:
    return write_gpkg(tmp_path / "wijkenbuurten_2024.gpkg")


# --- reading ----------------------------------------------------------------------------


def test_geopackage_layers_levels_parents_and_year(gpkg):
    area_file = read_areas(gpkg)
    areas = area_file.areas.set_index("area_code")
    assert list(area_file.areas.columns) == AREA_COLUMNS
    assert area_file.year == 2024
    assert areas["level"].to_dict() == {
        "GM0202": "gemeente",
        "WK020201": "wijk",
        "WK020202": "wijk",
        "BU02020101": "buurt",
        "BU02020102": "buurt",
    }
    assert areas.loc["WK020201", "name"] == "West"
    assert areas.loc["WK020202", "parent_code"] == "GM0202"
    assert areas.loc["BU02020102", "parent_code"] == "WK020201"  # derived: no wijkcode column
    assert pd_isna(areas.loc["GM0202", "parent_code"])
    assert set(areas["gemeente_code"]) == {"GM0202"}
    assert any("water" in note for note in area_file.notes)  # the water part was left out


def pd_isna(value) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def test_rd_new_is_stored_as_wgs84_with_point_inside(gpkg):
    areas = read_areas(gpkg).areas.set_index("area_code")
    lon0, lat0, lon1, lat1 = ARNHEM_BOX
    assert areas["centroid_lon"].between(lon0, lon1).all()
    assert areas["centroid_lat"].between(lat0, lat1).all()
    for code, row in areas.iterrows():
        shape = shapely.from_wkb(row["geometry"])
        assert shape.is_valid and shape.geom_type in ("Polygon", "MultiPolygon"), code
        assert shape.contains(shapely.Point(row["centroid_lon"], row["centroid_lat"])), code
        x0, y0, x1, y1 = shape.bounds
        assert lon0 < x0 < x1 < lon1 and lat0 < y0 < y1 < lat1


def test_land_area_from_attribute_else_from_geometry(gpkg):
    areas = read_areas(gpkg).areas.set_index("area_code")
    assert areas.loc["GM0202", "land_area_ha"] == 1500.0  # opp_land, not the 1600 ha drawn
    assert areas.loc["BU02020101", "land_area_ha"] == pytest.approx(200.0, rel=1e-6)


def test_sentinels_become_null(gpkg, tmp_path):
    area_file = read_areas(gpkg)
    stats = area_file.stats.set_index(["area_code", "indicator"])["value"]
    assert stats[("WK020201", "inwoners")] == 600
    assert np.isnan(stats[("WK020202", "inwoners")])  # -99999999
    assert np.isnan(stats[("WK020202", "bevolkingsdichtheid")])  # -99997
    assert (area_file.stats["value"].dropna() > -99995).all()
    con = new_db(tmp_path)
    load(con, area_file)
    value = con.execute(
        "select value from area_stat where area_code = ? and indicator = ? and year = ?",
        ["WK020202", "inwoners", 2024],
    ).fetchall()
    assert value in ([], [(None,)])
    assert con.execute("select min(value) from area_stat").fetchone()[0] > -99995


def test_simplified_neighbours_keep_sharing_their_border(gpkg):
    areas = read_areas(gpkg).areas.set_index("area_code")
    west, east = shapes(areas.loc[["WK020201", "WK020202"], "geometry"])
    assert shapely.get_num_coordinates(west) < 30  # the 201-vertex zigzag is simplified
    west_rd, east_rd = to_rd([west, east])
    assert west_rd.intersection(east_rd).area < 1.0  # m²: no overlap
    union = west_rd.union(east_rd)
    assert union.geom_type == "Polygon" and not union.interiors  # no gap between them
    assert union.area == pytest.approx(4000 * 4000, rel=1e-3)
    shared = west.boundary.intersection(east.boundary)
    assert to_rd([shared])[0].length == pytest.approx(4000, rel=1e-3)


def test_topojson_with_shared_arcs_and_negative_index(tmp_path):
    path = tmp_path / "wijken_2023.topojson"
    path.write_text(json.dumps(TOPOJSON), encoding="utf-8")
    area_file = read_areas(path)
    areas = area_file.areas.set_index("area_code")
    a, b = shapes(areas.loc[["WK020201", "WK020202"], "geometry"])
    assert a.equals(box(5.900, 51.980, 5.902, 51.982))
    assert b.equals(box(5.902, 51.980, 5.904, 51.982))
    assert a.intersection(b).geom_type == "LineString"
    assert area_file.year == 2023
    stats = area_file.stats.set_index("area_code")["value"]
    assert stats["WK020201"] == 100 and np.isnan(stats["WK020202"])


def test_geojson_with_declared_rd_crs(tmp_path):
    ring = [(190_000, 444_000), (191_000, 444_000), (191_000, 445_000), (190_000, 445_000)]
    path = write_geojson(
        tmp_path / "wijk.geojson",
        [feature({"wijkcode": "WK020201", "gemeentecode": "GM0202"}, [*ring, ring[0]])],
        crs="urn:ogc:def:crs:EPSG::28992",
    )
    row = read_areas(path, year=2022).areas.iloc[0]
    assert 5.8 < row["centroid_lon"] < 6.0 and 51.95 < row["centroid_lat"] < 52.05
    assert row["land_area_ha"] == pytest.approx(100.0, rel=1e-6)


def test_pdok_statcode_with_letter_codes(tmp_path):
    path = write_geojson(
        tmp_path / "amsterdam.geojson",
        [
            feature({"statcode": "GM0363", "statnaam": "Amsterdam"}, square(4.80, 52.30, 0.1)),
            feature({"statcode": " WK0363AE ", "statnaam": "Burgwallen"}, square(4.89, 52.37)),
            feature({"statcode": "BU0363AE01", "statnaam": "Kop Zeedijk"}, square(4.90, 52.37)),
        ],
    )
    areas = read_areas(path).areas.set_index("area_code")
    assert areas["level"].to_dict() == {
        "GM0363": "gemeente",
        "WK0363AE": "wijk",
        "BU0363AE01": "buurt",
    }
    assert areas.loc["BU0363AE01", "parent_code"] == "WK0363AE"
    assert areas.loc["WK0363AE", "parent_code"] == "GM0363"
    assert areas.loc["BU0363AE01", "name"] == "Kop Zeedijk"
    assert set(areas["gemeente_code"]) == {"GM0363"}


def test_level_from_properties_and_unknown_numbers_kept(tmp_path):
    path = write_geojson(
        tmp_path / "buurten.geojson",
        [
            feature(
                {
                    "buurtcode": "BU02020101",
                    "gemeentecode": "GM0202",
                    "jaar": 2021,
                    "aantal_inwoners": 5,
                    "fietsenstallingen": 3,
                },
                square(5.9, 51.98),
            ),
        ],
    )
    area_file = read_areas(path)
    assert area_file.areas["level"].tolist() == ["buurt"]
    assert area_file.areas["parent_code"].tolist() == ["WK020201"]
    assert area_file.year == 2021
    stats = area_file.stats.set_index("indicator")
    assert stats.loc["inwoners", "value"] == 5 and stats.loc["fietsenstallingen", "value"] == 3
    extra = area_file.indicators.set_index("indicator").loc["fietsenstallingen"]
    assert extra["label_nl"] == "fietsenstallingen" and not extra["catalogue"]


def test_invalid_geometry_is_repaired(tmp_path):
    bowtie = [(5.90, 51.98), (5.92, 52.00), (5.92, 51.98), (5.90, 52.00), (5.90, 51.98)]
    path = write_geojson(tmp_path / "wijk.geojson", [feature({"wijkcode": "WK020201"}, bowtie)])
    shape = shapely.from_wkb(read_areas(path, year=2024).areas["geometry"].iloc[0])
    assert shape.is_valid and shape.geom_type == "MultiPolygon" and shape.area > 0


def test_gemeente_filter(gpkg):
    areas = read_areas(gpkg, ["GM0202"]).areas
    assert len(areas) == 5
    with pytest.raises(InputError) as err:
        read_areas(gpkg, ["GM0202", "GM9999"])
    assert "GM9999" in str(err.value) and gpkg.name in str(err.value)


def test_year_argument_wins_and_unknown_year_only_loads_the_areas(tmp_path):
    path = write_geojson(
        tmp_path / "wijken.geojson",
        [feature({"wijkcode": "WK020201", "aantal_inwoners": 10}, square(5.9, 51.98))],
    )
    assert read_areas(path, year=2022).stats["year"].tolist() == [2022]
    area_file = read_areas(path)
    assert area_file.year is None
    con = new_db(tmp_path)
    result = load(con, area_file)
    assert result.added == 1 and any("--year" in note for note in result.notes)
    assert con.execute("select count(*) from area_stat").fetchone() == (0,)


# --- bad input --------------------------------------------------------------------------


def _no_code_column(tmp_path):
    return write_geojson(tmp_path / "zonder_code.geojson", [feature({"naam": "x"}, square(5, 52))])


def _bad_code(tmp_path):
    return write_geojson(
        tmp_path / "foute_code.geojson", [feature({"wijkcode": "W12"}, square(5, 52))]
    )


def _other_layers(tmp_path):
    path = tmp_path / "percelen.gpkg"
    frame = gpd.GeoDataFrame({"nummer": [1]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:28992")
    frame.to_file(path, layer="percelen", driver="GPKG", engine="pyogrio")
    return path


def _text(tmp_path):
    path = tmp_path / "notities.geojson"
    path.write_text("dit is geen kaart", encoding="utf-8")
    return path


def _csv(tmp_path):
    path = tmp_path / "tabel.csv"
    path.write_text("wijkcode,inwoners\nWK020201,5\n", encoding="utf-8")
    return path


def _empty(tmp_path):
    path = tmp_path / "leeg.gpkg"
    path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda tmp: tmp / "bestaat_niet.geojson", "niet gevonden"),
        (_text, "geen leesbaar kaartbestand"),
        (_empty, "geen leesbaar kaartbestand"),
        (_csv, "geometrie"),
        (_no_code_column, "geen kolom met gebiedscodes"),
        (_bad_code, "geen geldige CBS-code"),
        (_other_layers, "zonder laag gemeenten, wijken of buurten"),
    ],
)
def test_bad_input_raises_input_error_naming_the_file(tmp_path, make, words):
    path = make(tmp_path)
    with pytest.raises(InputError) as err:
        read_areas(path)
    assert path.name in str(err.value)
    assert words in str(err.value)


def test_no_area_of_the_gemeente(gpkg):
    with pytest.raises(InputError) as err:
        read_areas(gpkg, ["GM0363"])
    assert "GM0363" in str(err.value) and gpkg.name in str(err.value)


# --- loading ----------------------------------------------------------------------------


def _snapshot(con):
    return (
        con.execute("select * from area order by area_code").fetchall(),
        con.execute("select * from area_stat order by all").fetchall(),
        con.execute("select * from indicator order by indicator").fetchall(),
    )


def test_reload_changes_nothing_and_newer_file_replaces(tmp_path, gpkg):
    con = new_db(tmp_path)
    first = load(con, read_areas(gpkg))
    assert (first.rows, first.added, first.replaced, first.unchanged) == (5, 5, 0, 0)
    before = _snapshot(con)
    again = load(con, read_areas(gpkg))
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 5)
    assert _snapshot(con) == before

    newer = write_gpkg(tmp_path / "nieuw" / "wijkenbuurten_2024.gpkg", inwoners=(650.0, 700.0))
    result = load(con, read_areas(newer))
    assert (result.added, result.replaced, result.unchanged) == (0, 2, 3)
    values = dict(
        con.execute(
            "select area_code, value from area_stat where indicator = ? and year = ?",
            ["inwoners", 2024],
        ).fetchall()
    )
    assert values["WK020201"] == 650 and values["WK020202"] == 700
    label = con.execute("select label_nl from indicator where indicator = 'inwoners'").fetchone()
    assert label == ("Inwoners",)


def test_load_inside_a_callers_transaction(tmp_path, gpkg):
    con = new_db(tmp_path)
    con.begin()
    load(con, read_areas(gpkg))
    con.rollback()
    assert con.execute("select count(*) from area").fetchone() == (0,)


# --- the real CBS / PDOK extracts in ../shared ------------------------------------------


@pytest.fixture(scope="module")
def national(national_wijken):
    return national_wijken


def test_real_national_wijken(national):
    areas = national.areas
    assert len(areas) == 3455 and set(areas["level"]) == {"wijk"}
    assert (areas["gemeente_code"] == "GM0202").sum() == 24
    assert areas["geometry"].notna().all()
    assert national.year == 2024
    # the national wijk map stays small (measured: about 2.4 MB WKB with 25 m tolerance)
    assert sum(len(b) for b in areas["geometry"]) < 3_000_000


def test_real_inhabitants_equal_statline(national):
    path = real("kwb_2024_gemeente_wijk.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        statline = {row["code"]: row["AantalInwoners_5"] for row in csv.DictReader(fh)}
    stats = national.stats[national.stats["indicator"] == "inwoners"].set_index("area_code")
    for code in ("WK020201", "WK020224", "WK036201"):
        assert stats.loc[code, "value"] == float(statline[code])


def test_real_arnhem_borders_stay_shared(national):
    original = gpd.read_file(real("wijken_2024.geojson"), engine="pyogrio")
    original = original[original["wijkcode"].str.startswith("WK0202")]
    before = to_rd(geometry.repair(np.asarray(original.geometry.array, dtype=object)))
    arnhem = national.areas[national.areas["gemeente_code"] == "GM0202"]
    after = to_rd(shapes(arnhem["geometry"]))
    assert len(after) == 24
    assert pairwise_overlap(after) < 100.0  # m², of a 100 km² gemeente
    assert pairwise_overlap(after) <= pairwise_overlap(before)
    assert holes(after) <= holes(before)
    union_before = shapely.union_all(before).area
    assert shapely.union_all(after).area == pytest.approx(union_before, rel=0.01)


def test_real_geopackage_in_rd_new():
    area_file = read_areas(real("wijkenbuurten_2024_arnhem_amstelveen_rd.gpkg"))
    areas = area_file.areas.set_index("area_code")
    assert (areas["level"] == "wijk").sum() == 38 and (areas["level"] == "gemeente").sum() == 2
    lon, lat = areas.loc["WK020201", ["centroid_lon", "centroid_lat"]]
    assert 5.8 < lon < 6.0 and 51.95 < lat < 52.05
    assert areas.loc["GM0202", "land_area_ha"] == 9774  # opp_land
    stats = area_file.stats.set_index(["area_code", "indicator"])["value"]
    assert stats[("WK020201", "inwoners")] == 7465


def test_real_amsterdam_letter_codes():
    areas = read_areas(real("amsterdam_buurten_2022.geojson")).areas.set_index("area_code")
    assert len(areas) == 439
    row = areas.loc["BU0363AE01"]
    assert (row["level"], row["name"], row["parent_code"], row["gemeente_code"]) == (
        "buurt",
        "Kop Zeedijk",
        "WK0363AE",
        "GM0363",
    )
