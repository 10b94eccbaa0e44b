"""The map geometry as a static file (wijkimpact.kaart.static_files): the browser gets the shapes
once.
The shared map view of /kaart is tested in test_kaart.py."""

from __future__ import annotations

import json
import os
import time

import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from wijkimpact.charts import figures
from wijkimpact.kaart import geojson, static_files
from wijkimpact.ui.kaart import map_store


def frame() -> pd.DataFrame:
    polygons = [box(5.0, 52.0, 5.1, 52.1), box(5.1, 52.0, 5.2, 52.1)]
    return pd.DataFrame(
        {
            "area_code": ["WK000101", "WK000102"],
            "geometry": [bytearray(shapely.to_wkb(p)) for p in polygons],
        }
    )


def test_the_text_is_the_compact_feature_collection():
    text = geojson.feature_collection_text(frame())
    assert json.loads(text) == geojson.feature_collection(frame(), compact=True)
    assert json.loads(text)["features"][1]["id"] == "WK000102"


def test_the_hover_names_travel_in_the_features_properties():
    # names as map_data.area_names gives them: escaped for plotly, any character JSON needs
    # to escape kept as it is
    names = ['Oud &amp; "Nieuw" \\ Zuid', "Überbuurt (Ede)"]
    for compact in (True, False):
        text = geojson.feature_collection_text(frame(), compact=compact, names=names)
        features = json.loads(text)["features"]
        assert [f["properties"] for f in features] == [{geojson.NAME_PROPERTY: n} for n in names]
        assert [f["id"] for f in features] == ["WK000101", "WK000102"]
        plain = json.loads(geojson.feature_collection_text(frame(), compact=compact))["features"]
        assert [f["geometry"] for f in features] == [f["geometry"] for f in plain]
        assert ("type" in features[0]) is not compact


def test_a_new_file_format_gets_new_file_names(monkeypatch):
    # a file an older release wrote for the same database (without names) is not taken
    before = static_files.file_name("db:1:2:3", "wijk", None, True)
    monkeypatch.setattr(static_files, "FORMAT", static_files.FORMAT + 1)
    assert static_files.file_name("db:1:2:3", "wijk", None, True) != before


def test_file_names_differ_per_database_version_and_choice():
    one = static_files.file_name("db:1:2:3", "wijk", None, True)
    assert one.endswith("-wijk-nl-grof.json")
    assert static_files.file_name("db:1:2:4", "wijk", None, True) != one
    name = static_files.file_name("db:1:2:3", "buurt", "GM0363", False)
    assert name.endswith("-buurt-GM0363.json")


def test_publish_writes_once_and_gives_the_url(tmp_path):
    name = static_files.file_name("v1", "wijk", "GM0363", False)
    path = static_files.publish(name, '{"a": 1}', tmp_path)
    assert path == tmp_path / "kaart" / name and json.loads(path.read_text()) == {"a": 1}
    assert static_files.publish(name, '{"b": 2}', tmp_path) == path  # the same version: kept
    assert json.loads(path.read_text()) == {"a": 1}
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp files
    assert static_files.url(path, tmp_path) == f"/app/static/kaart/{name}"
    based = static_files.url(path, tmp_path, "/wijkimpact/")
    assert based == f"/wijkimpact/app/static/kaart/{name}"


def test_files_of_replaced_versions_are_removed_after_an_hour(tmp_path):
    old = static_files.publish(static_files.file_name("v1", "wijk", None, True), "{}", tmp_path)
    recent = static_files.publish(static_files.file_name("v2", "wijk", None, True), "{}", tmp_path)
    hours_ago = time.time() - 2 * static_files.KEEP_OLD_S
    os.utime(old, (hours_ago, hours_ago))
    current = static_files.publish(static_files.file_name("v3", "wijk", None, True), "{}", tmp_path)
    assert not old.exists() and recent.exists() and current.exists()


def test_a_folder_that_cannot_be_written_gives_none(tmp_path):
    blocked = tmp_path / "static"
    blocked.write_text("a file where the folder should be")
    assert static_files.publish("x.json", "{}", blocked) is None


def test_geometry_source_is_a_url_when_served_else_inline(tmp_path, monkeypatch):
    shapes = map_store.MapShapes(
        geojson.feature_collection_text(frame()), {}, {}, frame(), False, "v-wijk-GM0001.json"
    )
    monkeypatch.setattr(static_files, "STATIC_ROOT", tmp_path)
    monkeypatch.setattr(static_files.publish, "__defaults__", (tmp_path,))
    monkeypatch.setattr(static_files.url, "__defaults__", (tmp_path, ""))
    monkeypatch.setattr(map_store, "static_serving", lambda: True)
    source = map_store.geometry_source(shapes)
    assert source == "/app/static/kaart/v-wijk-GM0001.json"
    stored = json.loads((tmp_path / "kaart" / "v-wijk-GM0001.json").read_text())
    assert [f["id"] for f in stored["features"]] == ["WK000101", "WK000102"]
    (tmp_path / "kaart" / "v-wijk-GM0001.json").unlink()
    monkeypatch.setattr(static_files.publish_empty_world, "__defaults__", (tmp_path,))
    map_store.ensure_served(shapes)  # cleaned up by another server: written again
    assert (tmp_path / "kaart" / "v-wijk-GM0001.json").exists()
    assert (tmp_path / "geo" / "world_110m.json").exists()  # and the SVG maps' world map
    monkeypatch.setattr(map_store, "static_serving", lambda: False)
    assert map_store.geometry_source(shapes) == geojson.feature_collection(frame(), compact=True)


def test_both_traces_take_their_areas_from_one_url():
    values = pd.DataFrame({"area_code": ["WK000101", "WK000102"], "value": [3.0, None]})
    legend = pytest.importorskip("wijkimpact.kaart.map_data").Legend("Omzet", "€ ", 0, "", False)
    fig = figures.choropleth("/app/static/kaart/x.json", values, legend, {"zoom": 6})
    coloured, grey = fig.to_dict()["data"]
    assert coloured["geojson"] == grey["geojson"] == "/app/static/kaart/x.json"
    assert list(coloured["locations"]) == ["WK000101"] and list(grey["locations"]) == ["WK000102"]


# --- plotly's SVG map: an empty world map of our own, rings the way d3-geo wants them --------


def test_svg_config_serves_an_empty_world_map_here(tmp_path, monkeypatch):
    config = static_files.svg_config("", tmp_path)
    assert config == {"topojsonURL": "/app/static/geo/"}  # plotly adds world_110m.json
    assert static_files.svg_config("/wijkimpact/", tmp_path) == {
        "topojsonURL": "/wijkimpact/app/static/geo/"
    }
    for name in ("world_110m.json", "world_50m.json"):
        world = json.loads((tmp_path / "geo" / name).read_text())
        assert world["type"] == "Topology" and world["arcs"] == []
        assert {"land", "countries", "coastlines"} <= set(world["objects"])
        assert all(layer["geometries"] == [] for layer in world["objects"].values())


def test_without_static_files_there_is_no_svg_config(tmp_path, monkeypatch):
    monkeypatch.setattr(map_store, "static_serving", lambda: False)
    assert map_store.svg_config() is None  # the maps fall back to MapLibre
    blocked = tmp_path / "static"
    blocked.write_text("a file where the folder should be")
    assert static_files.svg_config("", blocked) is None


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))


def test_outer_rings_are_clockwise_and_holes_counter_clockwise_for_plotly():
    outer = [(5.0, 52.0), (5.2, 52.0), (5.2, 52.2), (5.0, 52.2), (5.0, 52.0)]  # anticlockwise
    hole = [(5.05, 52.05), (5.05, 52.1), (5.1, 52.1), (5.1, 52.05), (5.05, 52.05)]
    polygon = shapely.Polygon(outer, [hole])
    shapes = pd.DataFrame(
        {"area_code": ["WK000101"], "geometry": [bytearray(shapely.to_wkb(polygon))]}
    )
    rings = json.loads(geojson.feature_collection_text(shapes))["features"][0]["geometry"]
    exterior, interior = rings["coordinates"]
    assert _signed_area(exterior) < 0 < _signed_area(interior)  # d3-geo: outer clockwise
    # the full GeoJSON (downloads, other tools) keeps RFC 7946's anticlockwise outer rings
    full = geojson.feature_collection(shapes)["features"][0]["geometry"]["coordinates"]
    assert _signed_area(full[0]) > 0


# --- plotly's geo bundle (static/js/, fetched by scripts/plotly_geo_bundle.py) ----------------


def _bundle_script():
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "plotly_geo_bundle", ROOT / "scripts" / "plotly_geo_bundle.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _registry(monkeypatch, script, tarball: bytes, integrity: str) -> None:
    """The npm registry, answered from here: the version's metadata, then its tarball."""
    import io

    meta = {"dist": {"tarball": "https://registry.example/x.tgz", "integrity": integrity}}
    answers = iter([json.dumps(meta).encode(), tarball])
    monkeypatch.setattr(script.urllib.request, "urlopen", lambda *a, **k: io.BytesIO(next(answers)))


def _tarball(members: dict[str, bytes]) -> bytes:
    import io
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _integrity(data: bytes) -> str:
    import base64
    import hashlib

    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_the_geo_bundle_is_taken_from_the_registry_only_when_its_hash_agrees(monkeypatch):
    script = _bundle_script()
    code = b"/* plotly.js (geo - minified) v9.9.9 */"
    tarball = _tarball({"package/plotly-geo.min.js": code})
    _registry(monkeypatch, script, tarball, _integrity(tarball))
    assert script.fetch("9.9.9") == [code]
    # a tarball that is not the one the registry vouches for is refused, naming the package
    _registry(monkeypatch, script, tarball + b"x", _integrity(tarball))
    with pytest.raises(SystemExit, match="plotly.js-geo-dist-min 9.9.9: the tarball does not"):
        script.fetch("9.9.9")
    # the registry's tarball without the bundle: said so
    empty = _tarball({"package/README.md": b"-"})
    _registry(monkeypatch, script, empty, _integrity(empty))
    with pytest.raises(SystemExit, match="no package/plotly-geo.min.js in the tarball"):
        script.fetch("9.9.9")


def test_the_kept_geo_bundle_is_for_the_installed_plotly():
    # the figures are written by the installed plotly for its plotly.js: the bundle in static/js
    # must be that version (after an upgrade: scripts/plotly_geo_bundle.py, then commit)
    from plotly.offline import get_plotlyjs_version

    bundle = static_files.plotly_geo_bundle()
    assert bundle.name == f"plotly-geo-{get_plotlyjs_version()}.min.js"
    head = bundle.read_bytes()[:200].decode()
    assert f"plotly.js (geo - minified) v{get_plotlyjs_version()}\n" in head


def test_the_svg_map_is_drawn_by_the_geo_bundle_only_where_it_is_served(tmp_path, monkeypatch):
    from plotly.offline import get_plotlyjs_version
    from streamlit import config

    monkeypatch.setattr(static_files.plotly_geo_bundle, "__defaults__", (tmp_path,))
    monkeypatch.setattr(static_files.url, "__defaults__", (tmp_path, ""))
    monkeypatch.setattr(map_store, "static_serving", lambda: True)
    # not there: the map is drawn by st.plotly_chart (ui.kaart.map_chart)
    assert map_store.svg_bundle() is None
    name = f"plotly-geo-{get_plotlyjs_version()}.min.js"
    (tmp_path / "js").mkdir()
    (tmp_path / "js" / name).write_text("/* plotly */")
    assert map_store.svg_bundle() == f"/app/static/js/{name}"
    before = config.get_option("server.baseUrlPath")
    config.set_option("server.baseUrlPath", "/wijkimpact/")  # behind a proxy, under a path
    try:
        assert map_store.svg_bundle() == f"/wijkimpact/app/static/js/{name}"
    finally:
        config.set_option("server.baseUrlPath", before)
    monkeypatch.setattr(map_store, "static_serving", lambda: False)
    assert map_store.svg_bundle() is None
