"""The funder's journey in the real app (headless Chromium, the demo): as a financier, put an
enterprise in the portfolio, find its signal under "Mijn portefeuille", sort the table, download
it and read the workbook back: in the order chosen, amounts to the cent, the total last; then
the same in English. Screenshots: /tmp/shots/funder_*.png."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from tests.live_app import CHROMIUM, choose, chromium_page, download, open_as, settled

SHOTS = Path("/tmp/shots")
PORTFOLIO = ("dekroon", "buurtbedrijfnoord", "molenwerk", "oudehaven")  # the demo's 3 + 1
SIGNAL = "Het verdienvermogen van Wijkonderneming Oude Haven daalde drie jaar op rij"
SIGNAL_EN = "Wijkonderneming Oude Haven"


def expected_rows(db: Path) -> pd.DataFrame:
    """The portfolio's enterprises of the last year, by verdienvermogen (largest first), from
    the base tables."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            """
            with f as (
                select f.enterprise_id, f.year,
                       sum(f.amount) filter (where c.kind = 'inkomsten') as omzet,
                       sum(f.amount) filter (where c.income_type = 'verdiend') as verdiend
                from finance f join finance_category c using (category)
                group by all
            )
            select e.name, f.omzet, f.verdiend / f.omzet as verdienvermogen
            from f join enterprise e using (enterprise_id)
            where f.year = (select max(year) from finance)
              and list_contains(?, f.enterprise_id)
            order by verdienvermogen desc
            """,
            [list(PORTFOLIO)],
        ).df()
    finally:
        con.close()


def read_book(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_funder_finds_the_signal_in_the_portfolio_and_downloads_it_sorted(
    demo_server, demo_db, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    want = expected_rows(demo_db)
    with chromium_page(1400, 1100, downloads=True) as page:
        open_as(page, demo_server, "Financier", "Financiers")
        # the demo financier funds three enterprises; under "Mijn portefeuille", the page's one
        # portfolio control, it adds Oude Haven (in production the login's user list says)
        assert not page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").count()
        funded = page.get_by_test_id("stMain").get_by_test_id("stMultiSelect")
        funded.locator("input").click()
        page.keyboard.type("Oude Haven")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        # the one portfolio control stands on "Mijn portefeuille"; the signal shows there
        signal = page.get_by_text(SIGNAL)
        signal.wait_for(timeout=60_000)
        control = page.get_by_role("combobox", name="Portefeuille", exact=True)
        assert control.input_value() == "Mijn portefeuille"
        signal.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "funder_1_signal.png"))

        choose(page, "Volgorde (ook van de download)", "Verdienvermogen")
        page.get_by_test_id("stDataFrame").first.wait_for(timeout=30_000)
        settled(page)  # the rerun with the new order
        page.get_by_test_id("stDataFrame").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "funder_2_table.png"))
        rows = read_book(download(page, "Excel", tmp_path))
        header, *body = rows
        names = [r[0] for r in body]
        assert names[:-1] == want["name"].tolist()  # the order chosen on screen
        assert names[-1] == f"Totaal ({len(PORTFOLIO)} ondernemingen)"
        omzet = header.index("Omzet")
        assert [r[omzet] for r in body[:-1]] == [round(v, 2) for v in want["omzet"]]
        assert body[-1][omzet] == round(want["omzet"].sum(), 2)
        assert all(round(r[omzet], 2) == r[omzet] for r in body)  # to the cent
        csv = download(page, "CSV", tmp_path).decode("utf-8-sig").splitlines()
        assert csv[0].split(";")[0] == "Onderneming"
        assert [line.split(";")[0] for line in csv[1:]] == names
        assert not [line for line in csv if ";'" in line]  # no number made text
        column = csv[0].split(";").index("Omzet")
        assert [line.split(";")[column] for line in csv[1:-1]] == [
            f"{v:.2f}".replace(".", ",") for v in want["omzet"]
        ]

        choose(page, "Taal / Language", "English")
        page.get_by_role("heading", name="Funders").first.wait_for(timeout=60_000)
        signal = page.get_by_text("fell three years in a row").first
        signal.wait_for(timeout=30_000)  # the rerun in English has drawn the signals
        assert SIGNAL_EN in signal.inner_text()
        control = page.get_by_role("combobox", name="Portfolio", exact=True)
        assert control.input_value() == "My portfolio"
        order = page.get_by_role("combobox", name="Order (also of the download)", exact=True)
        assert order.input_value() == "Earning power"  # the order kept, its label in English
        page.screenshot(path=str(SHOTS / "funder_3_english.png"))
        header, *body = read_book(download(page, "Excel", tmp_path))
        assert header[0] == "Enterprise"
        assert [r[0] for r in body] == names[:-1] + [f"Total ({len(PORTFOLIO)} enterprises)"]
