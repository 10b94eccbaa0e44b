"""/kaart as the professional uses it (issue 16, 13-17): enterprise maps that tell 'no enterprise'
from 'withheld', dots for every enterprise, the Leefbaarometer's nine classes, change maps
clipped at a percentile, finding a wijk by name or postcode, partial reinvestment totals and
the gemeenten a national map leaves out. Values are computed here from the database."""

from __future__ import annotations

import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from etl.api import PROFESSIONAL
from tests.conftest import etl_command
from tests.test_kaart import KAART, caption_text, map_spec
from tests.test_pages import plotly_values
from wijkimpact.charts import map_parts
from wijkimpact.kaart import lbm_classes, map_data, search, wijk_profile
from wijkimpact.ui.kaart import map_state
from wijkimpact.ui.session import ROLE_KEY

POSTCODES = "PC6;Huisnummer;Buurt2023;Wijk2023;Gemeente2023\n"


@pytest.fixture
def professional(open_app):
    """Open /kaart as the professional (no enterprise's private figures)."""

    def open_kaart(db=None, **state):
        return open_app(KAART, db=db, state={ROLE_KEY: PROFESSIONAL, **state}, timeout=90)

    return open_kaart


def traces(spec: dict) -> dict[str, dict]:
    return {t.get("name"): t for t in spec["data"]}


# --- the Leefbaarometer in classes, change maps clipped -------------------------------------


def test_leefbaarometer_scores_fall_in_the_nine_classes_with_their_names():
    scores = pd.Series([3.5, 3.80, 3.9, 4.0, 4.05, 4.11, 4.12, 4.25, 4.3, 4.36, 4.9, np.nan])
    assert lbm_classes.classes(scores).tolist() == [1, 2, 3, 4, 5, 5, 6, 7, 8, 9, 9, pd.NA]
    assert lbm_classes.labels(scores).tolist()[:2] == ["1 zeer onvoldoende", "2 ruim onvoldoende"]
    assert lbm_classes.class_label(9) == "9 uitstekend"
    metric = map_data.MapMetric("lbm", "Leefbaarometer-score", "score", "Leefbaarometer", (2024,))
    legend = map_data.legend(metric, scores)
    colours = map_parts.value_colours(legend, "Viridis")
    assert colours["ticks"]["ticktext"][0] == "1 zeer onvoldoende"
    assert colours["ticks"]["ticktext"][8] == "9 uitstekend"
    assert (colours["zmin"], colours["zmax"]) == pytest.approx((3.72, 4.44))
    # a score of 4.15 (class 6) gets the sixth colour: the step of the scale around it
    at = (4.15 - colours["zmin"]) / (colours["zmax"] - colours["zmin"])
    step = [
        c
        for (lo, c), (hi, _) in zip(colours["colorscale"], colours["colorscale"][1:], strict=False)
        if lo <= at < hi
    ]
    assert step[0] == map_parts.CLASS_COLOURS[5]


def test_a_change_map_stops_its_colours_at_the_95th_percentile_of_the_changes():
    changes = pd.Series([1.0, -2.0, 3.0, -4.0, 5.0, 6.0, -7.0, 8.0, 9.0, 10.0, 400.0])
    metric = map_data.MapMetric("inwoners", "Inwoners", "aantal", "CBS", (2020, 2024))
    legend = map_data.legend(metric, changes, (2020, 2024))
    top = float(np.quantile(np.abs(changes.to_numpy()), 0.95))  # 205, not 400
    assert (legend.zmin, legend.zmax, legend.clipped) == (-top, top, True)
    few = map_data.legend(metric, changes[:4], (2020, 2024))  # four areas: no percentile
    assert (few.zmax, few.clipped) == (4.0, False)


def test_the_leefbaarometer_map_shows_classes_and_follows_the_sidebar_year(professional, demo_con):
    at = professional()
    at.selectbox(key="kaart_maat").select("lbm").run()
    at.sidebar.selectbox(key="jaar").select(2023).run()  # no 2023 edition: the one before it
    assert at.selectbox(key="kaart_jaar").value == 2022
    spec = map_spec(at)
    trace = next(t for t in spec["data"] if t.get("showscale", True) and t["type"] == "choropleth")
    scores = dict(
        demo_con.execute(
            "select s.area_code, s.value from area_stat s where indicator = 'lbm' and year = 2022"
        ).fetchall()
    )
    expected = [
        lbm_classes.class_label(int(np.searchsorted(lbm_classes.BOUNDS, scores[c], "right")) + 1)
        for c in trace["locations"]
    ]
    assert trace["customdata"] == expected
    assert trace["colorbar"]["ticktext"][4] == "5 voldoende"
    at.selectbox(key="kaart_jaar").select(2018).run()  # the user's own choice stays ...
    at.run()
    assert at.selectbox(key="kaart_jaar").value == 2018
    at.sidebar.selectbox(key="jaar").select(2020).run()  # ... until the sidebar's year changes
    assert at.selectbox(key="kaart_jaar").value == 2020


# --- enterprise maps: no enterprise, withheld, and a dot for every enterprise ----------------


def test_an_enterprise_map_tells_no_enterprise_from_withheld_and_counts_its_dots(
    professional, demo_db, tmp_path
):
    db = tmp_path / "zonder_plek.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:  # one enterprise without coordinates
        con.execute(
            "update enterprise set lat = null, lon = null where enterprise_id = 'molenwerk'"
        )
        homes = {r[0] for r in con.execute("select area_code from enterprise").fetchall()}
        wijken = {
            r[0] for r in con.execute("select area_code from area where level = 'wijk'").fetchall()
        }
        private = {
            r[0]
            for r in con.execute("select area_code from enterprise where not public").fetchall()
        }
        centre = con.execute(
            "select centroid_lat, centroid_lon from area where area_code = 'WK999903'"
        ).fetchone()
        located = con.execute("select count(*) from enterprise").fetchone()[0]
        centres = {
            name: (lat, lon)
            for name, lat, lon in con.execute(
                "select name, centroid_lat, centroid_lon from area where level = 'wijk'"
            ).fetchall()
        }
    at = professional(db)
    assert at.selectbox(key="kaart_maat").value == "omzet"
    spec = map_spec(at)
    named = traces(spec)
    assert set(named["Geen onderneming"]["locations"]) == wijken - homes
    assert private <= set(named["Geen gegevens (afgeschermd)"]["locations"])
    assert "<br>geen onderneming<extra>" in named["Geen onderneming"]["hovertemplate"]
    withheld = len(named["Geen gegevens (afgeschermd)"]["locations"])
    caption = caption_text(at)
    assert f"{len(wijken - homes)} wijken zonder onderneming (lichtgrijs)." in caption
    assert f"{withheld} wijken afgeschermd, donkergrijs (niet getoond: minder dan drie" in caption
    assert spec["layout"]["showlegend"] is True
    # the wijk names on the map, each at its wijk's centre, with a halo to read them on any colour
    names = next(t for t in spec["data"] if t.get("mode") == "text")
    placed = zip(
        names["text"], plotly_values(names["lat"]), plotly_values(names["lon"]), strict=True
    )
    got = {name: (lat, lon) for name, lat, lon in placed}
    assert got.keys() == centres.keys()
    assert all(got[n] == pytest.approx(centres[n]) for n in centres)
    assert names["textfont"]["shadow"] == "auto" and names["hoverinfo"] == "skip"
    dots = next(t for t in spec["data"] if t["type"] == "scattergeo" and t["mode"] == "markers")
    assert len(dots["lat"] if isinstance(dots["lat"], list) else dots["text"]) == located == 8
    assert f"({located})" in at.toggle(key="kaart_bolletjes").label
    approximate = [i for i, text in enumerate(dots["text"]) if "bij benadering" in text]
    assert len(approximate) == 1 and dots["text"][approximate[0]].startswith("Buurtco")
    where = (plotly_values(dots["lat"])[approximate[0]], plotly_values(dots["lon"])[approximate[0]])
    assert where == pytest.approx(centre)  # Molenwerk's dot stands at its home wijk's centre
    lat = map_data.markers(
        pd.DataFrame(
            {
                "enterprise_id": ["x"],
                "name": ["X"],
                "lat": [None],
                "lon": [None],
                "area_code": ["WK999903"],
                "wijk_naam": ["Molenkwartier"],
                "wijk_lat": [centre[0]],
                "wijk_lon": [centre[1]],
            }
        ),
        pd.DataFrame({"enterprise_id": ["x"], "year": [2024], "omzet": [1.0]}),
        2024,
    )
    assert (lat["lat"].iloc[0], lat["lon"].iloc[0]) == centre
    assert "midden van de wijk" in lat["hover"].iloc[0]
    at.selectbox(key="kaart_maat").select("ondernemingen").run()  # a count: no 0 either
    named = traces(map_spec(at))
    assert set(named["Geen onderneming"]["locations"]) == wijken - homes


# --- finding a wijk -------------------------------------------------------------------------


def test_postcodes_are_written_as_cbs_does():
    assert search.postcode("6811 ab") == search.postcode("6811AB") == "6811AB"
    assert search.postcode(" 6811  AB ") == "6811AB"
    assert search.postcode("0811AB") is None and search.postcode("Vogelbuurt") is None
    assert search.written("6811AB") == "6811 AB"


def test_search_finds_a_wijk_by_name_and_by_postcode_once_loaded(professional, demo_db, tmp_path):
    db = tmp_path / "postcodes.duckdb"
    shutil.copy(demo_db, db)
    at = professional(db)
    at.text_input(key="kaart_zoek").input("6811 ab").run()  # no postcode table yet
    assert "python -m etl postcodes" in " ".join(i.value for i in at.info)
    file = tmp_path / "pc6hnr20230801_gwb.csv"
    file.write_text(
        POSTCODES + "6811AB;1;99990401;999904;9999\n6811AB;3;99990401;999904;9999\n"
        "6811AC;2;99990501;999905;9999\n",
        encoding="utf-8",
    )
    done = etl_command("postcodes", file, "--db", db)
    assert done.returncode == 0, done.stderr
    assert "3 adressen in 2 postcodes" in done.stdout
    at = professional(db)
    at.text_input(key="kaart_zoek").input("6811 ab").run()
    assert at.session_state[map_state.WIJK_KEY] == "WK999904"
    assert any(s.value == "Vogelbuurt" for s in at.subheader)
    at.text_input(key="kaart_zoek").input("9999ZZ").run()
    assert "9999 ZZ staat niet in de geladen postcodetabel" in " ".join(w.value for w in at.warning)
    at.text_input(key="kaart_zoek").input("schilders").run()
    hit = at.button(key="kaart_zoek_WK999905")
    assert hit.label.startswith("Schildersbuurt · wijk in")
    hit.click().run()
    assert at.session_state[map_state.WIJK_KEY] == "WK999905"
    assert any(s.value == "Schildersbuurt" for s in at.subheader)


def test_a_bad_postcode_file_names_row_and_column_and_changes_nothing(demo_db, tmp_path):
    db = tmp_path / "postcodes.duckdb"
    shutil.copy(demo_db, db)
    good = tmp_path / "goed.csv"
    good.write_text(POSTCODES + "6811AB;1;99990401;999904;9999\n", encoding="utf-8")
    assert etl_command("postcodes", good, "--db", db).returncode == 0
    bad = tmp_path / "fout.csv"  # cp1252, comma-separated, as Excel writes it
    bad.write_bytes(
        b"PC6,Huisnummer,Buurt2023,Wijk2023,Gemeente2023\r\n"
        b"6811AB,1,99990501,999905,9999\r\n681 AB,2,99990401,999904,9999\r\n"
        b"6812XY,3,9999X,999904,9999\r\n"
    )
    done = etl_command("postcodes", bad, "--db", db)
    assert done.returncode == 1
    assert "fout.csv, rij 3, kolom PC6: geen postcode" in done.stderr and "'681 AB'" in done.stderr
    assert "fout.csv, rij 4, kolom Buurt2023: geen buurtcode" in done.stderr
    no_gemeente = tmp_path / "kort.csv"
    no_gemeente.write_text("PC6;Huisnummer;Buurt2023;Wijk2023\n6811AB;1;99990401;999904\n")
    done = etl_command("postcodes", no_gemeente, "--db", db)
    assert "kort.csv, rij 1, kolom Gemeente: kolom Gemeente ontbreekt" in done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select pc6, wijk_code from postcode").fetchall() == [
            ("6811AB", "WK999904")
        ]


# --- partial totals, and the gemeenten a national map leaves out -----------------------------


def test_reinvested_in_a_wijk_shows_the_total_by_the_suppression_rule_and_says_it_is_partial(
    professional, demo_con
):
    rows = demo_con.execute(
        "select r.year, e.public, sum(r.amount) from reinvestment r join enterprise e "
        "using (enterprise_id) where r.area_code = 'WK999904' group by all"
    ).fetchall()
    public = {y: a for y, p, a in rows if p}
    private_years = sorted({y for y, p, _ in rows if not p})  # one private enterprise: withheld
    at = professional(**{map_state.WIJK_KEY: "WK999904"})
    table = next(d.value for d in at.dataframe if "Totaal in de wijk" in d.value.columns)
    by_year = {int(r["Jaar"]): r for _, r in table.iterrows()}
    assert by_year[2019]["Bedrag"] == f"€ {public[2019]:,.0f}".replace(",", ".")  # € 10.956
    assert by_year[2019]["Totaal in de wijk"] == "niet getoond"
    assert by_year[2022]["Bedrag"] == "–"
    years = wijk_profile.year_list(tuple(private_years))
    note = " ".join(i.value for i in at.info)
    assert f"Deels: in {years} herinvesteerden hier ook ondernemingen" in note
    # a total that may be shown, and holds private amounts: shown beside the visible part
    totals = pd.DataFrame(
        {"year": [2024], "geherinvesteerd": [1500.0], "onderdrukt_herinvesteringen": [False]}
    )
    spent = pd.DataFrame({"year": [2024], "amount": [1000.0]})
    shown = wijk_profile.reinvested_per_year(spent, totals)
    assert shown.table.values.tolist() == [["2024", "€ 1.000", "€ 1.500"]]
    assert shown.covered == (2024,) and shown.withheld == ()


def test_a_national_map_names_the_gemeenten_whose_areas_are_missing(
    professional, demo_db, tmp_path
):
    db = tmp_path / "gat.duckdb"
    shutil.copy(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "insert into area (area_code, level, name, gemeente_code) values "
            "('GM0001', 'gemeente', 'Leegdorp', 'GM0001'), "
            "('GM0002', 'gemeente', 'Niemandsland', 'GM0002')"
        )
    at = professional(db, gemeente="__alle__")
    note = " ".join(i.value for i in at.info)
    assert "ontbreken de wijken van 2 gemeenten: Leegdorp, Niemandsland" in note
    names = [f"G{i:02d}" for i in range(14)]
    long = map_data.gaps_note(names, "wijk")  # twelve named, then how many more
    assert "G10, G11 en nog 2 andere." in long and "G12" not in long
    one = professional(db, gemeente="GM9999")  # one gemeente: no national map, no note
    assert "ontbreken" not in " ".join(i.value for i in one.info)
