"""Enterprise input files: Dutch formats, validation messages, idempotent and atomic loads."""

from __future__ import annotations

import resource
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from etl.enterprise_files import Context, read_enterprise_files
from etl.enterprise_load import database_context, load_parsed
from etl.errors import InputError
from etl.publish import staged_database
from tests import xlsx_bombs
from tests.conftest import FIXTURES, ROOT, etl_command, need

ARNHEM_WIJKEN = [f"WK0202{i:02d}" for i in range(1, 25)]
GOOD = [
    "ondernemingen.csv",
    "financien_excel_nl.csv",
    "financien_utf8.csv",
    "wijkimpact_invoer.xlsx",
]


def _arnhem_db(path: Path) -> Path:
    with staged_database(path, fresh=True) as con:
        con.executemany(
            "insert into area (area_code, level, name, parent_code, gemeente_code) "
            "values (?, 'wijk', ?, 'GM0202', 'GM0202')",
            [(code, f"Wijk {code[-2:]}") for code in ARNHEM_WIJKEN],
        )
    return path


def _run_load(db: Path, *files: Path, process: bool = False) -> subprocess.CompletedProcess:
    """`python -m etl load FILES --db DB` (in this process unless ``process``)."""
    return etl_command("load", *files, "--db", db, process=process)


def _snapshot(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: sorted(map(repr, con.execute(f"select * from {table}").fetchall()))
            for table in ("enterprise", "finance", "reinvestment", "activity", "property")
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def _loaded_once(tmp_path_factory) -> Path:
    """The Arnhem database after `python -m etl load` of the good files, made once."""
    db = _arnhem_db(tmp_path_factory.mktemp("geladen") / "w.duckdb")
    files = [need(FIXTURES / "goed" / name) for name in GOOD]
    result = _run_load(db, *files)
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def loaded_db(_loaded_once, tmp_path) -> Path:
    """A copy of that database for one test, with all that the load left beside it (its
    archive, its versions), as if the test had loaded the good files itself."""
    folder = tmp_path / "geladen"
    shutil.copytree(_loaded_once.parent, folder)
    return folder / _loaded_once.name


def test_good_files_give_the_expected_totals(loaded_db, expected):
    con = duckdb.connect(str(loaded_db), read_only=True)
    got = {
        f"{e}/{y}": dict(
            zip(
                ("omzet", "eigen_verdiend", "kosten", "resultaat", "verdienvermogen"),
                rest,
                strict=True,
            )
        )
        for e, y, *rest in con.execute(
            "select enterprise_id, year, omzet, eigen_verdiend, kosten, resultaat, verdienvermogen "
            "from enterprise_year"
        ).fetchall()
    }
    for group in ("financien", "financien_utf8", "werkboek_financien"):
        for key, values in expected["goed"][group].items():
            for metric, value in values.items():
                assert got[key][metric] == pytest.approx(
                    value, abs=0.01 if metric != "verdienvermogen" else 1e-4
                ), (key, metric)
    reinvested = dict(
        con.execute(
            "select year::varchar, sum(amount) from reinvestment where enterprise_id = 'steenhuis' "
            "group by all"
        ).fetchall()
    )
    assert reinvested == pytest.approx(expected["goed"]["werkboek_herinvesteringen"])
    rows, participants, hours = con.execute(
        "select count(*), sum(participants), sum(volunteer_hours) from activity"
    ).fetchone()
    want = expected["goed"]["werkboek_activiteiten"]
    assert (rows, participants, hours) == (
        want["rijen"],
        want["deelnemers"],
        want["vrijwilligersuren"],
    )


def test_loading_the_same_files_twice_changes_nothing(loaded_db):
    before = _snapshot(loaded_db)
    files = [FIXTURES / "goed" / name for name in GOOD]
    result = _run_load(loaded_db, *files)
    assert result.returncode == 0, result.stderr
    assert "0 nieuw, 0 vervangen" in result.stderr
    assert _snapshot(loaded_db) == before
    con = duckdb.connect(str(loaded_db), read_only=True)
    outcomes = [
        r[0]
        for r in con.execute(
            "select outcome from load_log where source_file = 'financien_utf8.csv' "
            "order by batch_id"
        ).fetchall()
    ]
    assert outcomes == ["geladen", "ongewijzigd"]


def test_a_newer_file_replaces_that_period(loaded_db, tmp_path):
    newer = tmp_path / "financien_2023.csv"
    newer.write_text(
        "onderneming;jaar;maand;verhuur;personeelskosten\nbroekwerk;2023;;100.000,00;50.000,00\n",
        encoding="utf-8",
    )
    result = _run_load(loaded_db, newer)
    assert result.returncode == 0, result.stderr
    assert "0 nieuw, 1 vervangen" in result.stderr
    con = duckdb.connect(str(loaded_db), read_only=True)
    assert con.execute(
        "select omzet, kosten from enterprise_year where enterprise_id='broekwerk' and year=2023"
    ).fetchone() == (100000.0, 50000.0)
    # the other years of that enterprise are untouched
    assert con.execute(
        "select omzet from enterprise_year where enterprise_id='broekwerk' and year=2022"
    ).fetchone()[0] == pytest.approx(228289.03)


REFUSED = {
    "bedrag_tekst.csv": ("rij 3", "kolom horeca", "geen bedrag", "ca. 500"),
    "maand_13.csv": ("rij 2", "kolom maand", "1 tot en met 12"),
    "jaar_toekomst.csv": ("rij 2", "kolom jaar", "2099"),
    "kolom_mist.csv": ("verplichte kolom jaar ontbreekt",),
    "dubbel.csv": ("rijen 2 en 3", "onderneming/jaar/maand"),
    "onbekende_onderneming.csv": ("rij 2", "kolom onderneming", "onbekende onderneming"),
    "negatieve_deelnemers.csv": ("rij 2", "kolom deelnemers", "0 of meer"),
    "onbekende_wijk.csv": ("rij 2", "kolom wijkcode", "onbekende wijkcode", "WK999999"),
    "datum_ongeldig.csv": ("rij 2", "kolom datum", "geen geldige datum", "31-02-2024"),
    "leeg.csv": ("leeg",),
    "alleen_kop.csv": ("geen gegevensrijen",),
    "geen_csv.csv": ("geen tekst- of CSV-bestand",),
    "nep.xlsx": ("geen leesbaar Excel-werkboek",),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_bad_files_are_refused_with_where_and_what(loaded_db, name):
    bad = need(FIXTURES / "fout" / name)
    before = _snapshot(loaded_db)
    result = _run_load(loaded_db, bad)
    assert result.returncode == 1
    assert name in result.stderr
    for part in REFUSED[name]:
        assert part in result.stderr, (part, result.stderr)
    assert "De database is niet veranderd" in result.stderr
    assert _snapshot(loaded_db) == before


def test_one_bad_file_in_a_batch_loads_none_of_the_batch(tmp_path):
    db = _arnhem_db(tmp_path / "w.duckdb")
    result = _run_load(
        db, need(FIXTURES / "goed" / "ondernemingen.csv"), need(FIXTURES / "fout" / "maand_13.csv")
    )
    assert result.returncode == 1
    assert _snapshot(db)["enterprise"] == []


def test_every_problem_of_a_file_is_reported(tmp_path):
    bad = tmp_path / "veel_fouten.csv"
    bad.write_text(
        "onderneming;jaar;maand;verhuur\nonbekend;2099;13;veel\nonbekend;1800;0;€ 1.234,-\n",
        encoding="cp1252",
    )
    with pytest.raises(InputError) as err:
        read_enterprise_files([bad], Context(set(), set(ARNHEM_WIJKEN)))
    located = {(p.row, p.column) for p in err.value.problems}
    assert located == {
        (2, "onderneming"),
        (2, "jaar"),
        (2, "maand"),
        (2, "verhuur"),
        (3, "onderneming"),
        (3, "jaar"),
        (3, "maand"),
    }


def test_formula_and_html_names_load_as_plain_text(tmp_path):
    db = _arnhem_db(tmp_path / "w.duckdb")
    for name in ("formule_in_naam.csv", "html_in_naam.csv"):
        result = _run_load(db, need(FIXTURES / "fout" / name))
        assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    names = dict(con.execute("select enterprise_id, name from enterprise").fetchall())
    assert names["formule"] == '=HYPERLINK("http://x","klik")'
    assert names["html"] == "<script>alert(1)</script>Buurthuis"


def test_workbook_with_title_rows_and_accented_sheet_names(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Financiën 2024"
    sheet.append(["Financiën van De Kroon"])
    sheet.append([])
    sheet.append(["Onderneming", "JAAR", "Maand", "Verhuur", "Subsidie Gemeente"])
    sheet.append(["steenhuis", 2024, None, 1234.5, 1000])
    sheet.append([])
    path = tmp_path / "boek.xlsx"
    book.save(path)
    parsed = read_enterprise_files([path], Context({"steenhuis"}, set()))
    data = parsed[0].sheets[0].data
    assert parsed[0].sheets[0].kind == "financien"
    assert list(data["row"]) == [4]
    assert data.iloc[0]["verhuur"] == 1234.5


def test_load_refuses_when_there_is_no_database(tmp_path):
    result = _run_load(tmp_path / "nergens.duckdb", need(FIXTURES / "goed" / "ondernemingen.csv"))
    assert result.returncode == 2
    assert "bestaat nog niet" in result.stderr


def test_parsed_files_load_in_process(tmp_path):
    db = _arnhem_db(tmp_path / "w.duckdb")
    with staged_database(db) as con:
        parsed = read_enterprise_files(
            [need(FIXTURES / "goed" / "ondernemingen.csv")], database_context(con)
        )
        results = load_parsed(con, parsed)
    assert results[0].added == 3
    shutil.copy(db, tmp_path / "copy.duckdb")


def _sheet_file(folder: Path, kind: str, lines: list[str], fmt: str) -> Path:
    """One sheet as a plain `;` CSV (checked in DuckDB) or as a workbook (checked in pandas);
    ``lines``: the header and rows, `;` separated. In a workbook every cell is text, except
    with fmt ``xlsx_getallen``: numbers with a decimal point are number cells, as Excel keeps
    them."""
    if fmt == "csv":
        path = folder / f"{kind}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    import re

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind
    for line in lines:
        sheet.append(
            [
                float(cell)
                if fmt == "xlsx_getallen" and re.fullmatch(r"[0-9]+\.[0-9]+", cell)
                else cell or None
                for cell in line.split(";")
            ]
        )
    path = folder / f"{kind}.xlsx"
    book.save(path)
    return path


def _load_ondernemingen(folder: Path, lines: list[str], fmt: str):
    """An ondernemingen sheet (``lines``: header and rows) loaded into a new Arnhem database:
    the database, the file and the finished load command."""
    db = _arnhem_db(folder / "w.duckdb")
    path = _sheet_file(folder, "ondernemingen", lines, fmt)
    return db, path, _run_load(db, path)


def _where(path: Path, fmt: str) -> str:
    """How a problem message names the file (and the sheet of a workbook)."""
    return f"{path.name}, blad {path.stem}" if fmt.startswith("xlsx") else path.name


def _coordinates(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select enterprise_id, lat, lon from enterprise").fetchall()
    finally:
        con.close()
    return {enterprise: (lat, lon) for enterprise, lat, lon in rows}


POINT_ROWS = [
    "punt;Buurthuis Punt;WK020201;52.3702161;4.895168",
    "kort;Buurthuis Kort;WK020202;51.98;5.9",
    "rond;Buurthuis Rond;WK020203;52;6",
]
COMMA_ROWS = [
    "komma;Buurthuis Komma;WK020201;51,987654;5,912345",
    "kort;Buurthuis Kort;WK020202;51,98;5,9",
]


@pytest.mark.parametrize(
    ("fmt", "rows", "expected"),
    [
        *(
            (
                fmt,
                POINT_ROWS,
                {"punt": (52.3702161, 4.895168), "kort": (51.98, 5.9), "rond": (52.0, 6.0)},
            )
            for fmt in ("csv", "xlsx", "xlsx_getallen")
        ),
        *(
            (fmt, COMMA_ROWS, {"komma": (51.987654, 5.912345), "kort": (51.98, 5.9)})
            for fmt in ("csv", "xlsx")
        ),
    ],
)
def test_coordinates_keep_their_decimals(tmp_path, fmt, rows, expected):
    # a decimal point or comma, text or (xlsx_getallen) Excel numbers: every decimal kept
    db, _, result = _load_ondernemingen(tmp_path, ["id;naam;wijkcode;lat;lon", *rows], fmt)
    assert result.returncode == 0, result.stderr
    assert _coordinates(db) == expected


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_coordinates_outside_the_netherlands_or_not_a_number_are_refused(tmp_path, fmt):
    db, path, result = _load_ondernemingen(
        tmp_path,
        [
            "id;naam;wijkcode;lat;lon",
            "ver;Buurthuis Ver;WK020201;48,856614;2.352222",
            "tekst;Buurthuis Tekst;WK020202;52 graden;5.9.1",
        ],
        fmt,
    )
    assert result.returncode == 1
    where = _where(path, fmt)
    for expected in (
        f"{where}, rij 2, kolom lat: breedtegraad moet in Nederland liggen (50.6-53.7) "
        "(waarde: '48,856614')",
        f"{where}, rij 2, kolom lon: lengtegraad moet in Nederland liggen (3.2-7.3) "
        "(waarde: '2.352222')",
        f"{where}, rij 3, kolom lat: geen getal: verwacht graden zoals 51,987654 of 51.987654 "
        "(waarde: '52 graden')",
        f"{where}, rij 3, kolom lon: geen getal",
    ):
        assert expected in result.stderr, result.stderr
    assert _coordinates(db) == {}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_founding_years_before_2000_load(tmp_path, fmt):
    db, _, result = _load_ondernemingen(
        tmp_path,
        ["id;naam;wijkcode;opgericht", "oud;Bewonersbedrijf Oud;WK020201;1985"],
        fmt,
    )
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select founded from enterprise where enterprise_id = 'oud'").fetchone() == (
        1985,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_founding_year_range_and_financial_years_from_2000(tmp_path, fmt):
    db, path, result = _load_ondernemingen(
        tmp_path,
        [
            "id;naam;wijkcode;opgericht",
            "oud;Oud;WK020201;1799",
            "nieuw;Nieuw;WK020202;2999",
        ],
        fmt,
    )
    assert result.returncode == 1
    for row in (2, 3):
        assert (
            f"{_where(path, fmt)}, rij {row}, kolom opgericht: oprichtingsjaar moet tussen 1800 en"
            in result.stderr
        ), result.stderr
    money = _sheet_file(
        tmp_path,
        "financien",
        ["onderneming;jaar;maand;verhuur", "oud;1999;;1.000,00"],
        fmt,
    )
    enterprises = _sheet_file(
        tmp_path,
        "ondernemingen",
        ["id;naam;wijkcode;opgericht", "oud;Oud;WK020201;1985"],
        fmt,
    )
    result = _run_load(db, enterprises, money)
    assert result.returncode == 1
    assert f"{_where(money, fmt)}, rij 2, kolom jaar: jaar moet tussen 2000 en" in result.stderr
    assert "opgericht" not in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_two_annual_rows_of_one_year_are_refused_as_duplicates(tmp_path, fmt):
    db = _arnhem_db(tmp_path / "w.duckdb")
    enterprises = _sheet_file(
        tmp_path, "ondernemingen", ["id;naam;wijkcode", "steenhuis;Steenhuis;WK020201"], fmt
    )
    assert _run_load(db, enterprises).returncode == 0
    before = _snapshot(db)
    money = _sheet_file(
        tmp_path,
        "financien",
        [
            "onderneming;jaar;maand;verhuur",
            "steenhuis;2023;;1.000,00",
            "steenhuis;2022;;500,00",
            "steenhuis;2023;;2.000,00",
        ],
        fmt,
    )
    result = _run_load(db, money)
    assert result.returncode == 1
    assert (
        f"{_where(money, fmt)}, rij 4: rijen 2 en 4: dezelfde onderneming/jaar/maand komt 2 keer "
        "voor" in result.stderr
    ), result.stderr
    assert "De database is niet veranderd" in result.stderr
    assert _snapshot(db) == before


# --- caps on Excel files (etl.xlsx_caps) ----------------------------------------------------

CAPPED = {  # bomb file -> how the CLI names where and what
    "dimensie_xfd.xlsx": (
        xlsx_bombs.declares("A1:XFD1048576"),
        "dimensie_xfd.xlsx, blad financien: het blad loopt door tot kolom XFD; Wijkimpact leest "
        f"hoogstens 50 kolommen per blad (het sjabloon gebruikt er hoogstens "
        f"{xlsx_bombs.TEMPLATE_WIDTH}).",
        "(waarde: 'A1:XFD1048576')",
    ),
    "dimensie_rijen.xlsx": (
        xlsx_bombs.declares("A1:D1048576"),
        "dimensie_rijen.xlsx, blad financien: het blad loopt door voorbij rij 100.000; "
        "Wijkimpact leest hoogstens 100.000 rijen per Excel-blad.",
        "(waarde: 'A1:D1048576')",
    ),
    "rij_voorbij.xlsx": (  # declares A1:D2, holds a row at the first row beyond the cap
        xlsx_bombs.holds("A100001"),
        "rij_voorbij.xlsx, blad financien: het blad loopt door voorbij rij 100.000",
        "sla het op als CSV",
    ),
    "rij_ver_voorbij.xlsx": (  # and one far beyond it: never read up to there
        xlsx_bombs.holds("A900000"),
        "rij_ver_voorbij.xlsx, blad financien: het blad loopt door voorbij rij 100.000",
        "splits het blad",
    ),
    "kolom_voorbij.xlsx": (
        xlsx_bombs.holds("XFD3"),
        "kolom_voorbij.xlsx, blad financien, rij 3, kolom XFD: het blad loopt door tot kolom XFD",
        "Verwijder de kolommen rechts van de gegevens",
    ),
    "samengeperst.xlsx": (
        xlsx_bombs.bomb(20),
        "samengeperst.xlsx: een deel van dit werkboek is uitgepakt",
        "meer dan 100 keer samengeperst is. Open het in Excel en sla het opnieuw op, of sla de "
        "bladen op als CSV (waarde: 'xl/worksheets/sheet1.xml')",
    ),
    "uitgepakt_groot.xlsx": (
        xlsx_bombs.bomb(120),
        "uitgepakt_groot.xlsx: uitgepakt is dit werkboek 120,0 MB; Wijkimpact leest hoogstens "
        "100 MB per werkboek.",
        "sla de bladen op als CSV",
    ),
}


def _child_peak_mb() -> float:
    """The largest resident size of a child process this test process has waited for."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_xlsx_bombs_are_refused_where_and_why_and_nothing_loaded_is_lost(tmp_path):
    db = _arnhem_db(tmp_path / "w.duckdb")
    enterprises = tmp_path / "ondernemingen.csv"
    enterprises.write_text("id;naam;wijkcode\nkroon;De Kroon;WK020201\n", encoding="utf-8")
    assert _run_load(db, enterprises).returncode == 0
    before = _snapshot(db)
    paths = []
    for name, (data, *_) in CAPPED.items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
        assert len(data) < 200_000, name  # every one a small file
    result = _run_load(db, *paths)
    assert result.returncode == 1
    for name, (_, where_and_what, hint) in CAPPED.items():
        assert where_and_what in result.stderr, (name, result.stderr)
        assert hint in result.stderr, (name, result.stderr)
    assert f"Niet geladen: {len(CAPPED)} probleem/problemen gevonden." in result.stderr
    assert "De database is niet veranderd" in result.stderr
    assert _snapshot(db) == before
    assert before["enterprise"][0].startswith("('kroon', 'De Kroon'")


def test_the_5_kb_xfd_bomb_is_refused_at_once(tmp_path):
    """The issue's case: 5 kB that declare A1:XFD1048576, with a cell in row 5,000. Before the
    caps openpyxl padded every row to 16,384 cells (11 s, 1.4 GB); time and memory are printed,
    not asserted."""
    db = _arnhem_db(tmp_path / "w.duckdb")
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(xlsx_bombs.declares("A1:XFD1048576"))
    assert bomb.stat().st_size < 6_000
    started = time.perf_counter()
    result = _run_load(db, bomb, process=True)  # its memory is its own (and the command itself)
    seconds = time.perf_counter() - started
    print(f"\netl load of the {bomb.stat().st_size} B XFD bomb: {seconds:.2f} s, "
          f"peak RSS of a child so far {_child_peak_mb():.0f} MB")  # fmt: skip
    assert result.returncode == 1
    assert "bom.xlsx, blad financien: het blad loopt door tot kolom XFD" in result.stderr


def test_a_sheet_at_the_caps_loads(tmp_path):
    """Row 100,000 and an empty formatted cell in column 50 (AX) are inside the caps."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "financien"
    sheet.append(["onderneming", "jaar", "maand", "verhuur"])
    sheet.append(["steenhuis", 2023, None, 1000])
    for column, value in enumerate(["steenhuis", 2022, None, 500], start=1):
        sheet.cell(100_000, column, value)
    sheet.cell(2, 50).font = Font(bold=True)
    path = tmp_path / "rand.xlsx"
    book.save(path)
    parsed = read_enterprise_files([path], Context({"steenhuis"}, set()))
    data = parsed[0].sheets[0].data
    assert list(data["row"]) == [2, 100_000]
    assert list(data["verhuur"]) == [1000, 500]


def test_readme_security_and_template_state_the_caps():
    from etl.xlsx_caps import MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_MB
    from wijkimpact.report import template

    for doc in ("README.md", "SECURITY.md"):
        text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
        for cap in (f"{MAX_ROWS:,} rows", f"{MAX_COLUMNS} columns", f"{MAX_UNPACKED_MB} MB"):
            assert cap in text, (doc, cap)
    instructions = " ".join(template.INSTRUCTIONS)
    dutch_rows = f"{MAX_ROWS:,}".replace(",", ".")
    assert f"hoogstens {dutch_rows} rijen en {MAX_COLUMNS} kolommen" in instructions
    assert f"uitgepakt hoogstens {MAX_UNPACKED_MB} MB" in instructions
