"""/gegevens: upload, check and load files; the activity form; names shown and exported safely."""

from __future__ import annotations

import datetime as dt
import io
import resource
import shutil
import time
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.testing.v1 import AppTest

from tests import xlsx_bombs
from tests.conftest import FIXTURES, ROOT, need
from tests.live_app import CHROMIUM, chromium_page, open_as, running_app
from tests.page_content import Downloads, markdown_text
from wijkimpact import i18n
from wijkimpact.data.access import BEHEERDER
from wijkimpact.data.access import BEHEERDER_VIEWER as ADMIN
from wijkimpact.formatting import euro
from wijkimpact.ui import activity_form, intake
from wijkimpact.ui.session import ROLE_KEY

TABLES = ("enterprise", "finance", "reinvestment", "activity", "property", "load_log")
FORMULA = '=HYPERLINK("http://x","klik")'
HTML = "<script>alert(1)</script>Buurthuis"


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    """A copy of the demo database that a test may change."""
    path = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    return path


def _snapshot(db: Path) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in TABLES}
    finally:
        con.close()


def _one(db: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()
    finally:
        con.close()


class _Uploaded:
    """What st.file_uploader hands the page: a name and getvalue()."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def _finance_csv(enterprise: str, year: int, rent: str = "100.000,00") -> bytes:
    return f"onderneming;jaar;maand;verhuur\n{enterprise};{year};;{rent}\n".encode()


def _latest(db: Path) -> int:
    return _one(db, "select max(year) from enterprise_year")[0]


# --- intake: names, sizes, check and load -------------------------------------------------


@pytest.mark.parametrize(
    ("given", "saved"),
    [
        ("financien.csv", "financien.csv"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\Anna\\Financiën 2024.XLSX", "Financiën 2024.xlsx"),
        (".verborgen.csv", "verborgen.csv"),
        ("a<b>|c?.csv", "a_b__c_.csv"),
        ("   ", "bestand"),
    ],
)
def test_upload_names_are_sanitised(given, saved):
    assert intake.safe_name(given) == saved


def test_two_uploads_with_one_name_keep_both():
    files = intake.uploads([_Uploaded("a.csv", b"1"), _Uploaded("map/a.csv", b"2")])
    assert [f.name for f in files] == ["a.csv", "a (2).csv"]


def test_too_large_or_unknown_files_are_refused_with_a_dutch_message():
    big = intake.Upload("groot.csv", b"x" * (intake.MAX_BYTES + 1))
    odd = intake.Upload("foto.png", b"x")
    problems = intake.size_problems([big, odd, intake.Upload("goed.csv", b"x")])
    assert [p.file for p in problems] == ["groot.csv", "foto.png"]
    assert "de grens is 10 MB" in problems[0].message
    assert ".xlsx" in problems[1].message


def test_check_previews_every_sheet_and_lists_every_problem(db):
    good = (ROOT / "data" / "demo" / "ondernemingen" / "demostad_invoer.xlsx").read_bytes()
    bad = need(FIXTURES / "fout" / "maand_13.csv").read_bytes()
    found = intake.check(
        [intake.Upload("invoer.xlsx", good), intake.Upload("maand_13.csv", bad)], db, viewer=ADMIN
    )
    kinds = {(s.file, s.kind): s.rows for s in found.sheets}
    assert kinds[("maand_13.csv", "financien")] == 1
    assert {k for f, k in kinds if f == "invoer.xlsx"} == {
        "ondernemingen",
        "financien",
        "herinvesteringen",
        "vastgoed",
    }
    head = next(s.head for s in found.sheets if s.file == "invoer.xlsx")
    assert list(head.columns[:3]) == ["Rij", "id", "naam"]
    assert not found.ok
    problems = found.problems
    assert list(problems.columns) == ["Bestand", "Blad", "Rij", "Kolom", "Waarde", "Probleem"]
    row = problems[problems["Kolom"] == "maand"].iloc[0]
    assert (row["Bestand"], row["Rij"], row["Waarde"]) == ("maand_13.csv", "2", "13")
    assert "1 tot en met 12" in row["Probleem"]
    assert (problems["Kolom"] == "onderneming").any()  # steenhuis is not a demo enterprise
    assert all(isinstance(v, str) for v in problems.to_numpy().ravel())


def test_load_replaces_a_period_and_a_second_load_changes_nothing(db):
    year = _latest(db)
    files = [intake.Upload("dekroon.csv", _finance_csv("dekroon", year))]
    lines: list[str] = []
    outcome = intake.load(files, db, viewer=ADMIN, report=lines.append)
    assert outcome.loaded
    assert outcome.summary.iloc[0][["Bestand", "Rijen", "Nieuw", "Vervangen"]].tolist() == [
        "dekroon.csv",
        1,
        0,
        1,
    ]
    assert lines[-1] == "Klaar."
    assert (
        _one(
            db,
            "select omzet from enterprise_year where enterprise_id = 'dekroon' and year = ?",
            [year],
        )[0]
        == 100000
    )
    again = intake.load(files, db, viewer=ADMIN)
    assert again.summary.iloc[0]["Ongewijzigd"] == 1
    assert _one(db, "select source_file, outcome from load_log order by batch_id desc limit 1") == (
        "dekroon.csv",
        "ongewijzigd",
    )


def test_a_bad_file_loads_nothing(db):
    before = _snapshot(db)
    outcome = intake.load(
        [
            intake.Upload("goed.csv", _finance_csv("dekroon", 2020)),
            intake.Upload("maand_13.csv", need(FIXTURES / "fout" / "maand_13.csv").read_bytes()),
        ],
        db,
        viewer=ADMIN,
    )
    assert not outcome.loaded
    assert "maand" in set(outcome.problems["Kolom"])
    assert _snapshot(db) == before


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def app(db, open_app):
    def open_page(name: str = "gegevens") -> AppTest:
        # the page file itself (router=False): the page's buttons are clicked; as beheerder,
        # who may load and see all (the demo starts as the public)
        return open_app(f"pages/{name}.py", db=db, state={ROLE_KEY: BEHEERDER}, router=False)

    return open_page


def _frame(at: AppTest, column: str) -> pd.DataFrame:
    """The (first) dataframe on the page that has ``column``."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no dataframe with column {column!r}")


def _text(element) -> str:
    return markdown_text(element.value)  # user text is shown with Markdown escaped


def test_page_without_a_database_says_how_to_start(tmp_path, open_app):
    at = open_app("pages/gegevens.py", db=tmp_path / "geen.duckdb", router=False)
    assert "python -m etl build" in at.warning[0].value


def test_page_without_enterprises_says_begin_with_ondernemingen(no_enterprises_db, open_app):
    at = open_app("pages/gegevens.py", db=no_enterprises_db, router=False)
    assert "begin met het blad ondernemingen" in at.info[0].value
    assert at.get("download_button")
    assert not [b for b in at.button if b.key == "form_opslaan"]  # no enterprise to choose


def test_upload_with_a_problem_shows_the_table_and_no_load_button(app):
    at = app()
    bad = need(FIXTURES / "fout" / "maand_13.csv").read_bytes()
    at.file_uploader[0].set_value(("maand_13.csv", bad, "text/csv")).run()
    assert not at.exception
    problems = _frame(at, "Probleem")
    row = problems[problems["Kolom"] == "maand"].iloc[0]
    assert (row["Bestand"], row["Rij"], row["Waarde"]) == ("maand_13.csv", "2", "13")
    assert "Er is niets geladen" in at.error[0].value
    assert not [b for b in at.button if b.key == "laden"]
    assert any("financien, 1 rij" in e.label.replace("\\", "") for e in at.expander)


def test_upload_then_load_and_every_page_shows_the_new_numbers(app, db):
    year = _latest(db)
    total, mine = _one(
        db,
        "select sum(omzet), sum(omzet) filter (where enterprise_id = 'dekroon') "
        "from enterprise_year where year = ?",
        [year],
    )
    assert [m.value for m in app("overzicht").metric if m.label == "Omzet"] == [euro(total)]
    at = app("gegevens")
    at.file_uploader[0].set_value(("dekroon 2024.csv", _finance_csv("dekroon", year), "text/csv"))
    at.run()
    assert _frame(at, "Rij")["onderneming"].tolist() == ["dekroon"]
    at.button(key="laden").click().run()
    assert not at.exception, at.exception
    summary = _frame(at, "Vervangen")
    assert summary.iloc[0][["Bestand", "Nieuw", "Vervangen"]].tolist() == ["dekroon 2024.csv", 0, 1]
    assert "Geladen" in at.success[0].value
    overzicht = app("overzicht")
    assert [m.value for m in overzicht.metric if m.label == "Omzet"] == [
        euro(total - mine + 100000)
    ]


def _fill_form(at: AppTest, **changes) -> AppTest:
    values = {
        "form_onderneming": "dekroon",
        "form_activiteit": "Proefavond",
        "form_thema": "Ontmoeting",
        "form_wijk": "WK999901",
        "form_deelnemers": 20,
        "form_vrijwilligers": 3,
        "form_uren": 7.5,
    } | changes
    at.date_input(key="form_datum").set_value(dt.date(2024, 5, 1))
    at.text_input(key="form_activiteit").set_value(values.pop("form_activiteit"))
    for key in ("form_onderneming", "form_thema", "form_wijk"):
        at.selectbox(key=key).set_value(values.pop(key))
    for key, value in values.items():  # typed as text, as a person types a number
        at.text_input(key=key).set_value(str(value))
    return at.button(key="form_opslaan").click().run()


def test_form_saves_a_good_activity_once(app, db):
    at = _fill_form(app())
    assert not at.exception, at.exception
    assert at.success[0].value == "Activiteit opgeslagen."
    sql = (
        "select count(*), sum(participants), sum(volunteer_hours), any_value(area_code) "
        "from activity where activity = 'Proefavond'"
    )
    assert _one(db, sql) == (1, 20, 7.5, "WK999901")
    at = _fill_form(at)
    assert "precies zo" in at.success[0].value
    assert _one(db, sql)[0] == 1
    source = _one(db, "select source_file from load_log order by batch_id desc limit 1")[0]
    assert source == activity_form.RECORD_FILE


def test_form_with_negative_deelnemers_shows_the_problem_and_loads_nothing(app, db):
    before = _snapshot(db)
    at = _fill_form(app(), form_deelnemers=-5)
    assert not at.exception
    message = _text(at.error[0])
    assert "Niet opgeslagen" in message
    assert "deelnemers: moet een heel getal van 0 of meer zijn (ingevuld: -5)" in message
    assert _snapshot(db) == before


def test_form_rules_are_the_file_rules(db, monkeypatch):
    monkeypatch.setenv("WIJKIMPACT_DB", str(db))
    before = _snapshot(db)
    saved = activity_form.save(
        {
            "onderneming": "dekroon",
            "datum": dt.date(2024, 5, 1),
            "activiteit": " ",
            "wijkcode": "wk 000000",
            "deelnemers": 3,
        },
        db,
        viewer=ADMIN,
    )
    assert saved.status is None
    assert any(
        p.startswith("wijkcode: onbekende wijkcode") and "(ingevuld: wk 000000)" in p
        for p in saved.problems
    )
    assert any(p.startswith("activiteit: dit veld is verplicht") for p in saved.problems)
    unknown = activity_form.save(
        {"onderneming": "bestaatniet", "datum": dt.date(2024, 5, 1), "activiteit": "X"},
        db,
        viewer=ADMIN,
    )
    assert any(p.startswith("onderneming: onbekende onderneming") for p in unknown.problems)
    assert _snapshot(db) == before


def test_completeness_tab_shows_every_enterprise_year(app):
    at = app()
    table = _frame(at, "Wat ontbreekt")
    assert len(table) == 48
    assert {"Financiën", "Ontbrekende maanden", "Activiteiten zonder wijk"} <= set(table.columns)


# --- names with a formula or HTML -------------------------------------------------------------


@pytest.fixture
def odd_names(db) -> Path:
    """The demo plus two enterprises in Arnhem wijk WK020207 whose names are a formula and HTML."""
    con = duckdb.connect(str(db))
    con.execute(
        "insert into area (area_code, level, name, parent_code, gemeente_code) values "
        "('GM0202', 'gemeente', 'Arnhem', null, 'GM0202'), "
        "('WK020207', 'wijk', 'Wijk 07', 'GM0202', 'GM0202')"
    )
    con.close()
    year = _latest(db)
    files = [
        intake.Upload(name, need(FIXTURES / "fout" / name).read_bytes())
        for name in ("formule_in_naam.csv", "html_in_naam.csv")
    ]
    files.append(
        intake.Upload(
            "cijfers.csv",
            f"onderneming;jaar;verhuur\nformule;{year};1.000,00\nhtml;{year};2.000,00\n".encode(),
        )
    )
    outcome = intake.load(files, db, viewer=ADMIN)
    assert outcome.loaded, outcome.problems
    return db


def test_financiers_downloads_neutralise_a_formula_in_a_name(odd_names, app, monkeypatch):
    monkeypatch.setattr(app_test_module, "MediaFileManager", Downloads)
    at = app("financiers")
    assert FORMULA in set(_frame(at, "Onderneming")["Onderneming"])  # shown as it is
    made = {
        "to_excel": Downloads.click(at, "ondernemingen_xlsx"),
        "to_csv": Downloads.click(at, "ondernemingen_csv"),
    }
    sheet = openpyxl.load_workbook(io.BytesIO(made["to_excel"])).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in names
    assert not any(str(n).startswith(("=", "+", "-", "@")) for n in names)
    csv = pd.read_csv(io.BytesIO(made["to_csv"]), sep=";", dtype=str, encoding="utf-8-sig")
    assert "'" + FORMULA in set(csv["Onderneming"])
    assert not csv["Onderneming"].str.startswith(("=", "+", "-", "@")).any()


def test_a_name_with_html_is_shown_as_text(odd_names, app):
    at = app("financiers")
    assert HTML in set(_frame(at, "Onderneming")["Onderneming"])
    at = app("gegevens")
    assert HTML in set(_frame(at, "Wat ontbreekt")["Onderneming"])
    markdown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("<script>" in text for text in markdown)


def test_no_page_allows_html():
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "wijkimpact").glob("*.py")]
    assert not [p.name for p in sources if "unsafe_allow_html" in p.read_text(encoding="utf-8")]


# --- caps on Excel uploads (etl.xlsx_caps) -------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XFD_BOMB = (
    "Wijkimpact leest hoogstens 50 kolommen per blad (het sjabloon gebruikt er hoogstens "
    f"{xlsx_bombs.TEMPLATE_WIDTH})"
)


def test_an_xlsx_bomb_upload_is_refused_with_where_and_why(app, db):
    """5 kB that declare A1:XFD1048576 with a cell in row 5,000: refused before a row is read.
    Time and the test process's peak memory are printed, not asserted."""
    before = _snapshot(db)
    at = app()
    at.session_state[ROLE_KEY] = BEHEERDER  # may upload: the demo starts as the public
    at.run()
    data = xlsx_bombs.declares("A1:XFD1048576")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    at.file_uploader[0].set_value(("bom.xlsx", data, XLSX)).run()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n/gegevens check of the {len(data)} B XFD bomb: {seconds:.2f} s (page rerun "
          f"included); peak RSS of the test process {peak_before:.0f} MB before the upload, "
          f"{peak:.0f} MB after")  # fmt: skip
    assert not at.exception, at.exception
    problems = _frame(at, "Probleem")
    assert len(problems) == 1
    row = problems.iloc[0]
    assert (row["Bestand"], row["Blad"], row["Rij"], row["Kolom"], row["Waarde"]) == (
        "bom.xlsx",
        "financien",
        "",
        "",
        "A1:XFD1048576",
    )
    assert row["Probleem"].startswith("het blad loopt door tot kolom XFD; " + XFD_BOMB)
    assert "Er is niets geladen" in at.error[0].value
    assert not [b for b in at.button if b.key == "laden"]
    assert _snapshot(db) == before


def test_a_refused_xlsx_leaves_what_was_loaded_before(db):
    year = _latest(db)
    earlier = [intake.Upload("dekroon.csv", _finance_csv("dekroon", year))]
    assert intake.load(earlier, db, viewer=ADMIN).loaded
    before = _snapshot(db)
    bomb = intake.Upload("bom.xlsx", xlsx_bombs.holds("A100001"))
    good = intake.Upload("dekroon 2.csv", _finance_csv("dekroon", year, "1,00"))
    outcome = intake.load([good, bomb], db, viewer=ADMIN)
    assert not outcome.loaded
    assert outcome.problems[["Bestand", "Blad"]].values.tolist() == [["bom.xlsx", "financien"]]
    assert "voorbij rij 100.000" in outcome.problems.iloc[0]["Probleem"]
    assert _snapshot(db) == before
    sql = "select omzet from enterprise_year where enterprise_id = 'dekroon' and year = ?"
    assert _one(db, sql, [year])[0] == 100000


def test_the_cap_messages_are_in_english_when_english_is_chosen(db):
    files = [
        intake.Upload("bom.xlsx", xlsx_bombs.declares("A1:XFD1048576")),
        intake.Upload("groot.xlsx", xlsx_bombs.bomb(120)),
    ]
    i18n.use_language("en")
    try:
        found = intake.check(files, db, viewer=ADMIN)
    finally:
        i18n.use_language("nl")
    messages = dict(zip(found.problems["Bestand"], found.problems["Probleem"], strict=True))
    assert messages["bom.xlsx"].startswith(
        "the sheet runs on to column XFD; Wijkimpact reads at most 50 columns per sheet"
    )
    assert messages["groot.xlsx"].startswith(
        "unpacked, this workbook is 120.0 MB; Wijkimpact reads at most 100 MB per workbook"
    )


def test_the_upload_check_reads_each_file_once(db, monkeypatch):
    from etl import enterprise_files

    read: list[str] = []
    real = enterprise_files.read_tables

    def counted(path, display_name=None):
        read.append(Path(path).name)
        return real(path, display_name)

    monkeypatch.setattr(enterprise_files, "read_tables", counted)
    good = (ROOT / "data" / "demo" / "ondernemingen" / "demostad_invoer.xlsx").read_bytes()
    files = [
        intake.Upload("invoer.xlsx", good),
        intake.Upload("dekroon.csv", _finance_csv("dekroon", _latest(db))),
    ]
    found = intake.check(files, db, viewer=ADMIN)
    assert found.ok, found.problems
    assert sorted(read) == ["dekroon.csv", "invoer.xlsx"]


# --- the real app in Chromium ------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_gegevens_in_chromium(db, tmp_path):
    bad = need(FIXTURES / "fout" / "maand_13.csv")
    good = tmp_path / "dekroon_jaarcijfers.csv"
    good.write_bytes(_finance_csv("dekroon", _latest(db)))
    with running_app(db) as url, chromium_page() as page:
        open_as(page, url, "Beheerder", "Gegevens")  # may load: the demo starts as the public
        page.get_by_text("Download het invulsjabloon").wait_for(timeout=60_000)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(bad)
        page.get_by_text("Problemen (").wait_for(timeout=60_000)
        grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="Probleem").last
        cells = grid.locator('[role="gridcell"]')
        cells.first.wait_for(state="attached", timeout=30_000)
        rows = {}
        for cell in cells.all():
            row = cell.get_attribute("aria-rowindex") or ""
            rows.setdefault(row, []).append(cell.text_content() or "")
        assert any("maand" in row and "13" in row for row in rows.values()), rows
        page.screenshot(path="/tmp/gegevens.png", full_page=True)

        page.locator('[data-testid="stFileChipDeleteBtn"] button').first.click()
        page.get_by_text("Problemen (").wait_for(state="detached", timeout=30_000)
        page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(good)
        page.get_by_role("button", name="Laden").click()
        page.get_by_text("Geladen. Alle pagina's tonen nu de nieuwe cijfers.").wait_for(
            timeout=60_000
        )
    assert _one(db, "select source_file from load_log order by batch_id desc limit 1")[0] == (
        good.name
    )
