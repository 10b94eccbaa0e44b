"""Tests for etl.stats: CBS kerncijfers (StatLine) and Leefbaarometer CSV files into area_stat."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import numpy as np
import pytest

from etl.errors import InputError
from etl.statline import match_indicator, snake_case, stem
from etl.stats import load_stats, read_stats

ROOT = Path(__file__).resolve().parents[1]
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"


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


def values(stat_file) -> dict:
    """{(area_code, year, indicator): value} of a StatFile."""
    s = stat_file.stats
    return dict(
        zip(zip(s["area_code"], s["year"], s["indicator"], strict=True), s["value"], strict=True)
    )


# StatLine 85984-style export of 2023: ';', quoted, padded, decimal comma, '.' = no figure, cp1252
KWB_2023 = """\
"ID";"WijkenEnBuurten";"Gemeentenaam_1";"SoortRegio_2";"Codering_3";"AantalInwoners_5";\
"k_0Tot15Jaar_8";"GemiddeldeHuishoudensgrootte_32";"GemiddeldInkomenPerInwoner_72";"Gehuwd_14"
"0";"NL00      ";"Nederland                     ";"Land      ";"NL00      ";"17811291";"2800000";\
"2,10";"32,6";"1"
"1";"GM0202    ";"Arnhem                        ";"Gemeente  ";"GM0202    ";"164096";"25000";\
"1,90";"        .";"2"
"2";"WK020201  ";"Arnhem                        ";"Wijk      ";"WK020201  ";"7465";"-99997";\
"1,30";"27,4";"3"
"3";"BU02020101";"Súdwest                       ";"Buurt     ";"BU02020101";"1.200";"       .";\
"1,40";"";"4"
"""

# The 2024 table: other suffixes, a Perioden column, ',' and decimal point, UTF-8 with BOM
KWB_2024 = """\
ID,WijkenEnBuurten,Perioden,Gemeentenaam_1,SoortRegio_2,Codering_3,\
IndelingswijzigingWijkenEnBuurten_4,AantalInwoners_6,k_0Tot15Jaar_9,\
GemiddeldeHuishoudensgrootte_33,GemiddeldInkomenPerInwoner_75
1,GM0202    ,2024JJ00,Arnhem    ,Gemeente  ,GM0202    ,1,167632,25500,1.9,.
2,WK020201  ,2024JJ00,Arnhem    ,Wijk      ,WK020201  ,1,7500,610,1.3,28.1
"""

LBM = """\
gm_code,wk_code,bu_code,jaar,lbm,afw,fys,onv,soc,vrz,won
GM0202,,,2020,4.10,0.01,0.02,-0.03,0.00,0.05,0.01
GM0202,WK020201,,2020,4.20,0.10,0.02,-0.13,0.01,0.15,0.02
GM0202,WK020201,BU02020101,2022,4.30,0.20,0.03,-0.10,0.02,0.16,0.03
GM0202,,,2022,4.15,0.06,0.02,-0.02,0.00,0.05,0.01
"""


@pytest.fixture
def kwb_2023(tmp_path) -> Path:
    path = tmp_path / "kerncijfers_wijken_en_buurten_2023.csv"
    path.write_bytes(KWB_2023.encode("cp1252"))
    return path


@pytest.fixture
def kwb_2024(tmp_path) -> Path:
    path = tmp_path / "85984NED.csv"
    path.write_bytes(KWB_2024.encode("utf-8-sig"))
    return path


@pytest.fixture
def lbm(tmp_path) -> Path:
    path = tmp_path / "leefbaarometer_arnhem.csv"
    path.write_text(LBM, encoding="utf-8")
    return path


# --- names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, expected",
    [
        ("AantalInwoners_5", "inwoners"),
        ("AantalInwoners_4", "inwoners"),
        ("aantal_inwoners", "inwoners"),
        ("aantalInwoners", "inwoners"),
        ("Population_Total", "inwoners"),
        ("k_0Tot15Jaar_8", "aantal_0_15"),
        ("Pop_Age_0_15", "aantal_0_15"),
        ("0_15", "pct_0_15"),
        ("pdok_0_15", "pct_0_15"),
        ("percentagePersonen0Tot15Jaar", "pct_0_15"),
        ("GemiddeldInkomenPerInwoner_72", "inkomen_per_inwoner"),
        ("Avg_Property_Value_1000EUR", "woz_waarde"),
        ("Woningvoorraad_35", "woningvoorraad"),
        ("OppervlakteLand_123", "oppervlakte_land_ha"),
        ("lbm", "lbm"),
        ("won", "won"),
        ("Gehuwd_14", None),
    ],
)
def test_columns_match_the_catalogue_by_stem(column, expected):
    assert match_indicator(column) == expected


def test_stem_and_snake_case():
    assert stem("AantalInwoners_5") == "AantalInwoners"
    assert stem("pdok_0_15") == "pdok_0_15"
    assert stem("Pop_Age_65_Plus") == "Pop_Age_65_Plus"
    assert snake_case("GehuwdTotaal_14") == "gehuwd_totaal"
    assert snake_case("Higher_Education_Count") == "higher_education_count"


def test_catalogue_has_the_required_indicators():
    from etl.statline import catalogue

    table = catalogue().set_index("indicator")
    required = [
        "inwoners",
        "mannen",
        "vrouwen",
        "huishoudens",
        "huishoudensgrootte",
        "bevolkingsdichtheid",
        "woningvoorraad",
        "inkomen_per_inwoner",
        "pct_0_15",
        "pct_15_25",
        "pct_25_45",
        "pct_45_65",
        "pct_65plus",
        "oppervlakte_land_ha",
        "personenautos",
        "woz_waarde",
        "pct_koopwoningen",
        "pct_huurwoningen",
        "lbm",
        "afw",
        "fys",
        "onv",
        "soc",
        "vrz",
        "won",
    ]
    assert set(required) <= set(table.index)
    assert table.loc["inkomen_per_inwoner", "unit"] == "x 1.000 euro"
    assert table.loc["lbm", "label_nl"] == "Leefbaarometer-score"
    assert table.loc["onv", "source"] == "Leefbaarometer 3.0 (BZK)"
    assert table.loc["inwoners", "source"] == "CBS"
    assert table["label_nl"].ne("").all() and table["label_en"].ne("").all()


# --- StatLine kerncijfers -------------------------------------------------------------


def test_statline_2023_semicolon_decimal_comma_cp1252(kwb_2023):
    stat_file = read_stats(kwb_2023)
    assert stat_file.kind == "kerncijfers"
    assert stat_file.years == [2023]
    got = values(stat_file)
    assert got[("GM0202", 2023, "inwoners")] == 164096
    assert got[("WK020201", 2023, "huishoudensgrootte")] == 1.3
    assert got[("WK020201", 2023, "inkomen_per_inwoner")] == 27.4
    assert got[("BU02020101", 2023, "inwoners")] == 1200  # 1.200 with a thousands dot
    assert np.isnan(got[("GM0202", 2023, "inkomen_per_inwoner")])  # '        .'
    assert np.isnan(got[("BU02020101", 2023, "aantal_0_15")])  # '       .'
    assert np.isnan(got[("WK020201", 2023, "aantal_0_15")])  # -99997
    assert not any(code.startswith("NL") for code, *_ in got)
    assert any("Nederland" in note for note in stat_file.notes)
    assert got[("WK020201", 2023, "gehuwd")] == 3  # not in the catalogue: kept anyway
    extra = stat_file.indicators.set_index("indicator").loc["gehuwd"]
    assert (extra["label_nl"], extra["source"], extra["catalogue"]) == ("Gehuwd", "CBS", False)


def test_statline_2024_other_suffixes_perioden_and_bom(kwb_2024):
    stat_file = read_stats(kwb_2024)
    assert stat_file.years == [2024]
    got = values(stat_file)
    assert got[("WK020201", 2024, "inwoners")] == 7500
    assert got[("WK020201", 2024, "aantal_0_15")] == 610
    assert got[("GM0202", 2024, "huishoudensgrootte")] == 1.9
    assert "indelingswijziging_wijken_en_buurten" not in set(stat_file.stats["indicator"])


def test_both_years_give_the_same_indicators(kwb_2023, kwb_2024):
    first = set(read_stats(kwb_2023).stats["indicator"]) - {"gehuwd"}
    assert first == set(read_stats(kwb_2024).stats["indicator"])


def test_year_argument(kwb_2024, tmp_path):
    assert read_stats(kwb_2024, year=2024).years == [2024]
    plain = tmp_path / "cijfers.csv"
    plain.write_text("code;AantalInwoners_5\nGM0202;5\n", encoding="utf-8")
    assert read_stats(plain, year=2021).years == [2021]


# --- Leefbaarometer ---------------------------------------------------------------------


def test_leefbaarometer_levels_and_years(lbm):
    stat_file = read_stats(lbm)
    assert stat_file.kind == "leefbaarometer"
    assert stat_file.years == [2020, 2022]
    got = values(stat_file)
    assert got[("GM0202", 2020, "lbm")] == 4.10
    assert got[("WK020201", 2020, "onv")] == -0.13
    assert got[("BU02020101", 2022, "won")] == 0.03
    assert set(stat_file.stats["indicator"]) == {"lbm", "afw", "fys", "onv", "soc", "vrz", "won"}
    sources = set(stat_file.indicators["source"])
    assert sources == {"Leefbaarometer 3.0 (BZK)"}


def test_leefbaarometer_one_year_of_several(lbm):
    stat_file = read_stats(lbm, year=2022)
    assert stat_file.years == [2022]
    assert set(stat_file.stats["area_code"]) == {"GM0202", "BU02020101"}
    with pytest.raises(InputError, match="2019"):
        read_stats(lbm, year=2019)


# --- bad input --------------------------------------------------------------------------


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("zonder_codes_2024.csv", "naam,inwoners\nArnhem,5\n", "geen kolom met gebiedscodes"),
        ("zonder_jaar.csv", "code;AantalInwoners_5\nGM0202;5\n", "--year"),
        ("fout_getal_2024.csv", "code;AantalInwoners_5\nGM0202;veel\n", "geen getal"),
        ("foute_code_2024.csv", "code;AantalInwoners_5\nGM0202;5\nWK12;6\n", "WK12"),
        ("dubbel_2024.csv", "code;AantalInwoners_5\nGM0202;5\nGM0202;6\n", "meer dan eens"),
        ("leeg_2024.csv", "", "leeg"),
        ("kaart_2024.csv", b"SQLite format 3\x00" + bytes(100), "geen CSV"),
        ("werkboek_2024.csv", b"PK\x03\x04" + bytes(100), "geen CSV"),
        ("tekst_2024.csv", "code;naam\nGM0202;Arnhem\n", "geen cijfers"),
    ],
)
def test_bad_input_raises_input_error_naming_the_file(tmp_path, name, data, words):
    path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as err:
        read_stats(path)
    assert name in str(err.value)
    assert words in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="niet gevonden") as err:
        read_stats(tmp_path / "weg_2024.csv")
    assert "weg_2024.csv" in str(err.value)


def test_bad_number_names_row_and_column(tmp_path):
    path = _write(tmp_path, "cijfers_2024.csv", "code;AantalInwoners_5\nGM0202;5\nWK020201;??x\n")
    with pytest.raises(InputError) as err:
        read_stats(path)
    assert "rij 3" in str(err.value) and "kolom AantalInwoners_5" in str(err.value)


# --- loading ----------------------------------------------------------------------------


def _stat_rows(con):
    return con.execute("select * from area_stat order by all").fetchall()


def test_reload_changes_nothing(tmp_path, kwb_2023):
    con = new_db(tmp_path)
    first = load_stats(con, read_stats(kwb_2023))
    assert first.added == first.rows > 0 and first.replaced == 0
    before = _stat_rows(con)
    again = load_stats(con, read_stats(kwb_2023))
    assert (again.added, again.replaced, again.unchanged) == (0, 0, first.rows)
    assert _stat_rows(con) == before


def test_newer_file_replaces_values_of_its_keys(tmp_path, kwb_2024):
    con = new_db(tmp_path)
    load_stats(con, read_stats(kwb_2024))
    newer = _write(tmp_path, "85984NED_nieuw.csv", KWB_2024.replace(",7500,", ",7512,"))
    result = load_stats(con, read_stats(newer))
    assert (result.added, result.replaced) == (0, 1)
    value = con.execute(
        "select value from area_stat where area_code = ? and year = ? and indicator = ?",
        ["WK020201", 2024, "inwoners"],
    ).fetchall()
    assert value == [(7512.0,)]


def test_other_years_are_kept(tmp_path, kwb_2023, kwb_2024):
    con = new_db(tmp_path)
    load_stats(con, read_stats(kwb_2023))
    load_stats(con, read_stats(kwb_2024))
    years = con.execute(
        "select year, value from area_stat where area_code = ? and indicator = ? order by year",
        ["WK020201", "inwoners"],
    ).fetchall()
    assert years == [(2023, 7465.0), (2024, 7500.0)]


def test_sentinel_is_null_in_the_database(tmp_path, kwb_2023):
    con = new_db(tmp_path)
    load_stats(con, read_stats(kwb_2023))
    value = con.execute(
        "select value from area_stat where area_code = ? and indicator = ?",
        ["WK020201", "aantal_0_15"],
    ).fetchall()
    assert value in ([], [(None,)])
    assert con.execute("select min(value) from area_stat").fetchall()[0][0] > -99995


def test_unknown_area_codes_are_loaded_and_counted(tmp_path, lbm):
    con = new_db(tmp_path)
    con.execute(
        "insert into area (area_code, level, gemeente_code) values (?, ?, ?)",
        ["GM0202", "gemeente", "GM0202"],
    )
    result = load_stats(con, read_stats(lbm))
    assert result.unknown_codes == 2  # WK020201, BU02020101
    assert any("2 gebiedscode(s)" in note for note in result.notes)
    assert con.execute("select count(*) from area_stat").fetchall() == [(28,)]
    labels = dict(con.execute("select indicator, label_nl from indicator").fetchall())
    assert labels["lbm"] == "Leefbaarometer-score" and labels["onv"] == "Overlast en onveiligheid"


# --- the real extracts in ../shared -----------------------------------------------------


def test_real_leefbaarometer_amstelveen():
    path = real("leefbaarometer_wijken_amstelveen_2014_2018.csv")
    stat_file = read_stats(path)
    assert stat_file.kind == "leefbaarometer"
    assert stat_file.years == [2014, 2018]
    keys = stat_file.stats[["area_code", "year"]].drop_duplicates()
    assert len(keys) == 28
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 28
    got = values(stat_file)
    for row in (rows[0], rows[-1]):
        for score in ("lbm", "onv", "won"):
            key = (row["wk_code"], int(row["jaar"]), score)
            assert got[key] == pytest.approx(float(row[score]), rel=1e-15, abs=1e-15)


def test_real_kerncijfers_2024():
    path = real("kwb_2024_gemeente_wijk.csv")
    stat_file = read_stats(path)
    assert stat_file.years == [2024]
    with open(path, encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.DictReader(fh) if r["code"] == "WK020201")
    got = values(stat_file)
    assert got[("WK020201", 2024, "inwoners")] == float(row["AantalInwoners_5"])
    assert got[("WK020201", 2024, "woningvoorraad")] == float(row["Woningvoorraad_35"])
    assert got[("WK020201", 2024, "oppervlakte_land_ha")] == float(row["OppervlakteLand_123"])
    assert got[("WK020201", 2024, "pct_65plus")] == float(row["pdok_65plus"])


def test_real_amsterdam_translated_columns():
    got = values(read_stats(real("amsterdam_kwb_2024.csv")))
    assert got[("WK0363AA", 2024, "inwoners")] == 9180
    assert got[("WK0363AA", 2024, "aantal_0_15")] == 785
    assert got[("GM0363", 2024, "woz_waarde")] == 498
    assert ("GM0363", 2024, "inkomen_per_inwoner") not in got  # empty column in this release
    income = values(read_stats(real("amsterdam_kwb_2023_inkomen.csv")))
    assert income[("GM0363", 2023, "inkomen_per_inwoner")] == 38.6
    old = values(read_stats(real("amsterdam_kwb_2020.csv")))
    assert old[("GM0363", 2020, "woz_waarde")] == 416  # written as 416.0
    assert old[("WK036300", 2020, "inwoners")] == 4465
