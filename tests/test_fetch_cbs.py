"""python -m etl fetch-cbs: fails clearly offline; hands the downloads to the readers online."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from etl import fetch_cbs
from etl.cli import main

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens there


def square(lon: float, lat: float, size: float = 0.02) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(geometry: dict, **properties) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


GEMEENTE = feature(
    square(5.86, 51.96, 0.04),
    gemeentecode="GM0202",
    gemeentenaam="Arnhem",
    aantalInwoners=1700,
)
WIJKEN = [
    feature(
        square(5.86, 51.96),
        wijkcode="WK020201",
        wijknaam="Stadscentrum",
        gemeentecode="GM0202",
        gemeentenaam="Arnhem",
        aantalInwoners=1000,
    ),
    feature(
        square(5.88, 51.96),
        wijkcode="WK020202",
        wijknaam="Spijkerkwartier",
        gemeentecode="GM0202",
        gemeentenaam="Arnhem",
        aantalInwoners=700,
    ),
    # a wijk of another gemeente: a server that ignores the filter must not leak it in
    feature(
        square(4.86, 52.30),
        wijkcode="WK036201",
        wijknaam="Elders",
        gemeentecode="GM0362",
        gemeentenaam="Amstelveen",
        aantalInwoners=5,
    ),
]
ODATA_ROWS = [
    {
        "ID": 1,
        "WijkenEnBuurten": "GM0202  ",
        "Gemeentenaam_1": "Arnhem                                  ",
        "SoortRegio_2": "Gemeente  ",
        "Codering_3": "GM0202    ",
        "AantalInwoners_5": 1700,
        "Bevolkingsdichtheid_34": 425,
    },
    {
        "ID": 2,
        "WijkenEnBuurten": "WK020201  ",
        "Gemeentenaam_1": "Arnhem                                  ",
        "SoortRegio_2": "Wijk      ",
        "Codering_3": "WK020201  ",
        "AantalInwoners_5": 1000,
        "Bevolkingsdichtheid_34": None,
    },
    {
        "ID": 3,
        "WijkenEnBuurten": "WK020202  ",
        "Gemeentenaam_1": "Arnhem                                  ",
        "SoortRegio_2": "Wijk      ",
        "Codering_3": "WK020202  ",
        "AantalInwoners_5": 700,
        "Bevolkingsdichtheid_34": 310.5,
    },
]


class FakeServices(BaseHTTPRequestHandler):
    """PDOK's OGC API (wijken in two pages, no buurten) and CBS OData, from memory."""

    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        FakeServices.requests.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        base = f"http://{self.headers['Host']}"
        if url.path == "/pdok/collections/gemeenten/items":
            self._json({"type": "FeatureCollection", "features": [GEMEENTE], "links": []})
        elif url.path == "/pdok/collections/wijken/items":
            if query.get("page") == ["2"]:
                self._json({"type": "FeatureCollection", "features": WIJKEN[1:], "links": []})
            else:
                nxt = f"{base}/pdok/collections/wijken/items?f=json&page=2"
                links = [{"rel": "next", "href": nxt}]
                self._json({"type": "FeatureCollection", "features": WIJKEN[:1], "links": links})
        elif url.path == "/odata/85984NED/TypedDataSet":
            self._json({"odata.metadata": "x", "value": ODATA_ROWS})
        else:
            self.send_error(404)

    def _json(self, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def services(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeServices)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv(fetch_cbs.PDOK_ENV, base + "/pdok")
    monkeypatch.setenv(fetch_cbs.ODATA_ENV, base + "/odata")
    FakeServices.requests = []
    yield base
    server.shutdown()
    server.server_close()


def test_offline_fails_with_dutch_instructions_and_leaves_no_database(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(fetch_cbs.PDOK_ENV, UNREACHABLE)
    monkeypatch.setenv(fetch_cbs.ODATA_ENV, UNREACHABLE)
    db = tmp_path / "wijkimpact.duckdb"
    code = main(["fetch-cbs", "--year", "2024", "--gemeente", "GM0202", "--db", str(db)])
    err = capsys.readouterr().err
    assert code != 0
    assert not db.exists()
    assert "Downloaden mislukt" in err and "niet bereikbaar" in err
    assert "De database is niet veranderd." in err
    assert "85984NED" in err  # which StatLine table to download by hand
    assert (
        f"python -m etl areas wijkenbuurten_2024.gpkg --gemeente GM0202 --year 2024 --db {db}"
        in err
    )
    assert f"python -m etl stats kerncijfers_85984NED.csv --year 2024 --db {db}" in err


def test_offline_keeps_an_existing_database_unchanged(tmp_path, monkeypatch, demo_db):
    db = tmp_path / "live.duckdb"
    db.write_bytes(demo_db.read_bytes())
    before = db.stat().st_mtime_ns, db.read_bytes()
    monkeypatch.setenv(fetch_cbs.PDOK_ENV, UNREACHABLE)
    monkeypatch.setenv(fetch_cbs.ODATA_ENV, UNREACHABLE)
    assert main(["fetch-cbs", "--year", "2024", "--gemeente", "GM0202", "--db", str(db)]) == 3
    assert (db.stat().st_mtime_ns, db.read_bytes()) == before


def test_unknown_year_says_which_years_are_known(tmp_path, capsys):
    assert main(["fetch-cbs", "--year", "2009", "--gemeente", "GM0202", "--db", "x"]) == 3
    assert "geen CBS-tabel met kerncijfers bekend voor 2009" in capsys.readouterr().err


def test_downloads_are_loaded_by_the_area_and_stat_readers(services, tmp_path, capsys):
    db = tmp_path / "wijkimpact.duckdb"
    out = tmp_path / "downloads"
    code = main(
        ["fetch-cbs", "--year", "2024", "--gemeente", "gm0202", "--db", str(db), "--out", str(out)]
    )
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "PDOK heeft geen laag buurten voor 2024" in printed.out
    con = duckdb.connect(str(db), read_only=True)
    areas = con.execute("select area_code, level, name from area order by area_code").fetchall()
    assert areas == [
        ("GM0202", "gemeente", "Arnhem"),
        ("WK020201", "wijk", "Stadscentrum"),
        ("WK020202", "wijk", "Spijkerkwartier"),
    ]
    coarse = con.execute("select count(geometry_coarse) from area").fetchone()[0]
    assert coarse == 3
    inwoners = dict(
        con.execute(
            "select area_code, value from area_stat where indicator = 'inwoners' and year = 2024"
        ).fetchall()
    )
    assert inwoners == {"GM0202": 1700, "WK020201": 1000, "WK020202": 700}
    density = con.execute(
        "select value from area_stat where area_code = 'WK020201' "
        "and indicator = 'bevolkingsdichtheid'"
    ).fetchall()
    assert density in ([], [(None,)])  # a missing figure stays missing
    logged = con.execute("select kind from load_log order by batch_id").fetchall()
    assert [k for (k,) in logged] == ["gebieden", "gebieden", "kerncijfers"]
    con.close()
    assert sorted(p.name for p in out.iterdir()) == [
        "cbs_gemeenten_2024_GM0202.geojson",
        "cbs_wijken_2024_GM0202.geojson",
        "kerncijfers_85984NED_GM0202.csv",
    ]
    # the gemeente filter went to both services, and the second page of wijken was followed
    requests = [urllib.parse.unquote(r) for r in FakeServices.requests]
    assert any("/wijken/items" in r and "gemeentecode=GM0202" in r for r in requests)
    assert any("page=2" in r for r in requests)
    assert any("startswith(WijkenEnBuurten,'WK0202')" in r for r in requests)


def test_missing_buurten_layer_is_a_note_not_an_error(services, tmp_path):
    downloads = fetch_cbs.fetch(2024, ["GM0202"], tmp_path)
    assert [p.name for p in downloads.areas] == [
        "cbs_gemeenten_2024_GM0202.geojson",
        "cbs_wijken_2024_GM0202.geojson",
    ]
    assert any("buurten" in note for note in downloads.notes)


def test_http_error_is_a_fetch_error(services, tmp_path, monkeypatch):
    monkeypatch.setenv(fetch_cbs.ODATA_ENV, services + "/elders")
    with pytest.raises(fetch_cbs.FetchError, match="HTTP 404"):
        fetch_cbs.fetch(2024, ["GM0202"], tmp_path)
