"""/kaart on real CBS data (../shared/data/real): Arnhem's 24 wijken, and all of the Netherlands."""

from __future__ import annotations

import csv
import json
import time

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.cli import main
from tests.conftest import REAL, need
from tests.page_content import markdown_text
from tests.test_kaart import coloured, frame_with, map_element, map_spec, values_of
from wijkimpact.charts import figures
from wijkimpact.data import queries
from wijkimpact.formatting import number
from wijkimpact.kaart import geojson, map_data

NATIONAL_MAP_BYTES = 1_500_000  # the budget of the national wijk map (plotly JSON)


def statline(code_prefix: str = "") -> dict[str, float]:
    with open(need(REAL / "kwb_2024_gemeente_wijk.csv"), encoding="utf-8", newline="") as fh:
        return {
            row["code"]: float(row["AantalInwoners_5"])
            for row in csv.DictReader(fh)
            if row["code"].startswith(code_prefix) and row["AantalInwoners_5"]
        }


def load(db, *commands: list[str]) -> None:
    for command in commands:
        assert main([*command, "--db", str(db)]) == 0, command


@pytest.fixture(scope="module")
def arnhem_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("arnhem") / "wijkimpact.duckdb"
    gpkg = need(REAL / "wijkenbuurten_2024_arnhem_amstelveen_rd.gpkg")
    kwb = need(REAL / "kwb_2024_gemeente_wijk.csv")
    load(db, ["areas", str(gpkg), "--gemeente", "GM0202"], ["stats", str(kwb)])
    return db


@pytest.fixture(scope="module")
def national_db(tmp_path_factory, national_wijken):
    """The national gemeenten and wijken with their kerncijfers. The gemeenten and the
    figures come in as `python -m etl areas` and `stats` load them; the wijken as the ETL read
    them for tests/test_areas.py (conftest.national_wijken), loaded the way `areas` loads a file
    it has read (etl.areas.load_areas)."""
    from etl.areas import load_areas
    from etl.publish import staged_database

    db = tmp_path_factory.mktemp("nl") / "wijkimpact.duckdb"
    load(db, ["areas", str(need(REAL / "gemeenten_2024.geojson"))])
    with staged_database(db) as con:
        load_areas(con, national_wijken)
    load(db, ["stats", str(need(REAL / "kwb_2024_gemeente_wijk.csv"))])
    return db


@pytest.fixture
def open_kaart(open_app):
    """/kaart through the router on a database of real areas (as the public: no enterprises)."""

    def run(db, **query) -> AppTest:
        return open_app("pages/kaart.py", db=db, query=query, timeout=120)

    return run


def test_arnhem_wijken_with_inhabitants_from_statline(arnhem_db, open_kaart):
    at = open_kaart(arnhem_db)
    assert at.selectbox(key="kaart_maat").value == "inwoners"  # no enterprises: CBS first
    assert at.selectbox(key="kaart_jaar").value == 2024
    got = values_of(coloured(map_spec(at)))
    want = statline("WK0202")
    assert len(got) == 24 and set(got) == set(want)
    assert got == pytest.approx(want)
    assert "Bron: CBS" in markdown_text(" ".join(c.value for c in at.caption))


def test_arnhem_wijk_profile_against_the_gemeente(arnhem_db, open_kaart):
    at = open_kaart(arnhem_db, wijk="WK020201")
    want = statline("")
    row = frame_with(at, "Kenmerk").set_index("Kenmerk").loc["Inwoners"]
    assert row["Wijk"] == number(want["WK020201"]) and row["Gemeente"] == number(want["GM0202"])
    infos = " ".join(i.value for i in at.info)
    assert "Geen ondernemingen actief in deze wijk." in infos
    assert "Geen Leefbaarometer-scores geladen voor deze wijk." in infos


def test_national_wijk_map_stays_light(national_db, open_kaart):
    started = time.perf_counter()
    at = open_kaart(national_db)
    seconds = time.perf_counter() - started
    spec = map_element(at).bytes  # what the map gets: figure, config, bundle URL
    shown = sum(len(t["locations"]) for t in json.loads(spec)["figure"]["data"])
    assert shown == 3455
    # the national map has a hole where SOURCES.md holds two gemeenten back: it names them
    holes = markdown_text(" ".join(i.value for i in at.info))
    assert "ontbreken de wijken van 2 gemeenten: Hengelo (O.), Utrecht." in holes
    # the same map with the detailed geometry, for comparison
    con = duckdb.connect(str(national_db), read_only=True)
    detailed = queries.map_shapes(con, "wijk", None, coarse=False)
    con.close()
    values = map_data.year_values(detailed, detailed.assign(year=2024, value=1.0), 2024)
    values["text"] = map_data.area_names(detailed, True).to_numpy()
    leg = map_data.legend(map_data.MapMetric("x", "X", "aantal", "CBS", (2024,)), values["value"])
    full = figures.choropleth(
        geojson.feature_collection(detailed), values, leg, geojson.fit_view(detailed)
    ).to_json()
    print(
        f"\nnationale wijkkaart: {len(spec):,} bytes (grof), {len(full):,} bytes (gedetailleerd); "
        f"eerste keer /kaart in AppTest {seconds:.1f} s"
    )
    assert len(spec) <= NATIONAL_MAP_BYTES < len(full)


def test_one_gemeente_in_a_national_database_gets_detailed_borders(national_db, open_kaart):
    at = open_kaart(national_db)
    at.sidebar.selectbox(key="gemeente").select("GM0202").run()
    assert not at.exception, at.exception
    spec = map_element(at).bytes
    assert len(values_of(coloured(json.loads(spec)["figure"]))) == 24
    assert "vereenvoudigd" not in " ".join(c.value for c in at.caption)
    print(f"\nwijkkaart Arnhem: {len(spec):,} bytes")
