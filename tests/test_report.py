"""The annual report: a Dutch PDF whose numbers are the dashboard's, or a Dutch reason why not."""

from __future__ import annotations

import io
import subprocess

import pytest
from pypdf import PdfReader

from tests.conftest import run_command
from tests.live_app import CHROMIUM, choose, chromium_page, open_as
from wijkimpact import formatting
from wijkimpact.data.access import BEHEERDER
from wijkimpact.formatting import change_points, euro, number, percent
from wijkimpact.report.__main__ import main
from wijkimpact.ui.session import ROLE_KEY

# Computed here from the base tables, not through the views or the report's own code.
BASE_FIGURES = """
with money as (
    select sum(f.amount) filter (where c.kind = 'inkomsten')             as omzet,
           sum(f.amount) filter (where c.income_type = 'verdiend')       as verdiend,
           sum(f.amount) filter (where c.income_type = 'gesubsidieerd')  as gesubsidieerd,
           sum(f.amount) filter (where c.kind = 'kosten')                as kosten
    from finance f join finance_category c using (category)
    where f.enterprise_id = $id and f.year = $year
)
select omzet, verdiend, gesubsidieerd, kosten,
       (select sum(amount) from reinvestment where enterprise_id = $id and year = $year),
       (select sum(volunteer_hours) from activity
        where enterprise_id = $id and year(date) = $year),
       (select sum(participants) from activity where enterprise_id = $id and year(date) = $year)
from money
"""


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    # in this process: the command in a process of its own is tests/test_access.py's test of it
    return run_command("wijkimpact.report", *args)


def _latest_with_reinvestments(con) -> tuple[str, int]:
    """The enterprise with the largest reinvestment in the latest year (base tables only)."""
    return tuple(con.execute(
        """
        select enterprise_id, year from reinvestment
        where year = (select max(year) from finance)
        group by all order by sum(amount) desc, enterprise_id limit 1
        """
    ).fetchone())


def _shown(text: str, label: str, value: str) -> None:
    """A key number is printed under its label (box labels are in capitals)."""
    assert f"{label.upper()}\n{value}\n" in text, f"{label} = {value} not in the report"


@pytest.fixture(scope="module")
def report(demo_db, tmp_path_factory):
    """The CLI's PDF for one demo enterprise, with its id, year and extracted text."""
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        enterprise_id, year = _latest_with_reinvestments(con)
    out = tmp_path_factory.mktemp("jaarverslag") / "verslag.pdf"
    done = _run_cli("--onderneming", enterprise_id, "--jaar", str(year), "--out", str(out),
                    "--db", str(demo_db))
    assert done.returncode == 0, done.stderr
    assert "geschreven naar" in done.stdout
    data = out.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return {"id": enterprise_id, "year": year, "data": data, "reader": reader, "text": text}


def test_cli_writes_a_pdf_of_several_pages(report):
    assert report["data"].startswith(b"%PDF-")
    assert len(report["reader"].pages) >= 2
    assert len(report["data"]) > 30_000  # text, three charts and an embedded font
    fonts = {
        str(font["/BaseFont"])
        for page in report["reader"].pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts), fonts


def test_report_numbers_equal_the_base_tables_formatted_as_the_dashboard(report, demo_con):
    enterprise_id, year, text = report["id"], report["year"], report["text"]
    params = {"id": enterprise_id, "year": year}
    omzet, earned, granted, costs, reinvested, hours, people = demo_con.execute(
        BASE_FIGURES, params
    ).fetchone()
    before = demo_con.execute(BASE_FIGURES, {"id": enterprise_id, "year": year - 1}).fetchone()
    _shown(text, f"Omzet {year}", euro(omzet))
    _shown(text, "Eigen verdiend inkomen", euro(earned))
    _shown(text, "Verdienvermogen", percent(earned / omzet))
    assert f"{change_points(earned / omzet, before[1] / before[0])} t.o.v. {year - 1}" in text
    _shown(text, "Subsidies en fondsen", euro(granted))
    _shown(text, "Resultaat", euro(omzet - costs))
    _shown(text, "Geherinvesteerd", euro(reinvested))
    _shown(text, "Deelnemers", number(people))
    _shown(text, "Vrijwilligersuren", number(hours))
    # that year's minimum hourly wage (volunteer_rates.csv) plus 8% holiday allowance
    wage = {2019: 10.36, 2020: 10.60, 2021: 10.80, 2022: 11.06, 2023: 12.40, 2024: 13.27}[year]
    _shown(text, "Waarde vrijwilligersuren", euro(hours * round(wage * 1.08, 2)))
    assert f"voor {year}: {euro(wage, 2)} + 8%" in " ".join(text.split())
    projects = demo_con.execute(
        "select project, amount from reinvestment where enterprise_id = $id and year = $year",
        params,
    ).fetchall()
    for project, amount in projects:
        assert project in text and euro(amount) in text


def test_report_is_dutch_with_title_explanation_charts_and_footer(report, demo_con):
    text = report["text"]
    name, wijk, gemeente, description = demo_con.execute(
        """
        select e.name, w.name, g.name, e.description
        from enterprise e join area w on w.area_code = e.area_code
        join area g on g.area_code = w.gemeente_code
        where e.enterprise_id = ?
        """,
        [report["id"]],
    ).fetchone()
    for words in (name, wijk, gemeente, description, f"JAARVERSLAG {report['year']}",
                  "Wat betekent verdienvermogen?", "Inkomsten per bron",
                  "Geherinvesteerd in de wijk", "Vastgoed", "fictief",
                  "Bron: eigen opgave van de onderneming; cijfers uit Wijkimpact, stand"):
        assert words in text, words
    images = sum(len(page.images) for page in report["reader"].pages)
    assert images >= 3  # income by source, verdienvermogen, reinvested by theme
    assert all("Bron: eigen opgave" in page.extract_text() for page in report["reader"].pages)


def test_unknown_enterprise_lists_the_known_ids_and_exits_2(demo_db, tmp_path):
    out = tmp_path / "verslag.pdf"
    done = _run_cli("--onderneming", "bestaatniet", "--jaar", "2024", "--out", str(out),
                    "--db", str(demo_db))
    assert done.returncode == 2
    assert "Onbekende onderneming 'bestaatniet'" in done.stderr
    assert "dekroon (Bewonersbedrijf De Kroon)" in done.stderr
    assert "niets geschreven" in done.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_year_without_figures_is_refused_and_writes_nothing(demo_db, tmp_path, capsys):
    out = tmp_path / "verslag.pdf"
    code = main(["--onderneming", "dekroon", "--jaar", "1990", "--out", str(out),
                 "--db", str(demo_db)])
    message = capsys.readouterr().err
    assert code != 0
    assert "Bewonersbedrijf De Kroon heeft geen cijfers over 1990" in message
    assert "Jaren met cijfers: 2019" in message
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--jaar", "twintig"], "geen jaartal"),
        (["--db", "/geen/database.duckdb"], "Geen database gevonden"),
        (["--out", "/geen/map/verslag.pdf"], "bestaat niet"),
    ],
)
def test_bad_arguments_get_a_dutch_message(demo_db, tmp_path, capsys, args, said):
    given = {"--onderneming": "dekroon", "--jaar": "2024", "--out": str(tmp_path / "v.pdf"),
             "--db": str(demo_db)}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    try:
        code = main([part for pair in given.items() for part in pair])
    except SystemExit as exit_:  # argparse's own exit for a bad value
        code = exit_.code
    assert code != 0
    assert said in capsys.readouterr().err
    assert not (tmp_path / "v.pdf").exists()


def test_the_report_stays_dutch_when_the_app_shows_english(demo_db):
    if not hasattr(formatting, "use_locale"):
        pytest.skip("formatting has no language switch")
    from wijkimpact.data.access import BEHEERDER_VIEWER
    from wijkimpact.report import build_report

    formatting.use_locale("en_GB")
    try:
        data = build_report("dekroon", 2024, demo_db, viewer=BEHEERDER_VIEWER)
    finally:
        formatting.use_locale(formatting.LOCALE)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Verdienvermogen" in text and "%-punt" in text
    assert formatting.euro(1234) == "€ 1.234"  # the caller's choice was restored


def test_onderneming_page_offers_the_report(demo_con, open_app):
    # as beheerder: the report is detail (the demo starts as the public)
    at = open_app("pages/onderneming.py", state={ROLE_KEY: BEHEERDER})
    year = demo_con.execute("select max(year) from enterprise_year").fetchone()[0]
    buttons = [b for b in at.get("download_button") if "jaarverslag" in b.proto.id]
    assert buttons, [b.proto.id for b in at.get("download_button")]
    assert buttons[0].proto.label == f"Jaarverslag {year} (PDF)"


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_the_download_button_delivers_the_pdf_in_a_browser(demo_server, tmp_path):
    url = demo_server
    with chromium_page(downloads=True) as page:
        open_as(page, url, "Beheerder", "Onderneming")  # the report is detail
        choose(page, "Onderneming", "Bewonersbedrijf De Kroon")
        button = page.get_by_role("button", name="Jaarverslag")
        button.wait_for(timeout=60_000)
        with page.expect_download(timeout=90_000) as download:
            button.click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
    assert saved.name.startswith("jaarverslag_dekroon_") and saved.suffix == ".pdf"
    text = PdfReader(saved).pages[0].extract_text()
    assert "Bewonersbedrijf De Kroon" in text


def test_report_compares_the_wijk_or_says_there_is_not_enough_data(report, demo_db, tmp_path):
    from wijkimpact.data.db import cursor
    from wijkimpact.domain.comparison import summarise_contribution

    flat = " ".join(report["text"].split())
    assert "De wijk naast vergelijkbare wijken" in flat
    with cursor(demo_db) as cur:
        summary, _ = summarise_contribution(cur, report["id"], report["year"])
    assert summary is not None
    assert " ".join(summary.sentence().split()) in flat
    # the first year has no later Leefbaarometer edition to compare with
    out = tmp_path / "vroeg.pdf"
    done = _run_cli("--onderneming", report["id"], "--jaar", "2019", "--out", str(out),
                    "--db", str(demo_db))
    assert done.returncode == 0, done.stderr
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "niet genoeg gegevens om de wijk te vergelijken" in text
