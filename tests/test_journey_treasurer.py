"""The treasurer's journey (role onderneming) in the real app (headless Chromium, the demo): on
/gegevens see the enterprise's id, download the template made for it, fill in one month of one
sheet as a person would (the other sheets and the example rows left as they came, an amount
typed as text with a decimal comma), upload it and see what Wijkimpact reads beside what was
typed; then the same in English. The load itself runs in AppTest on a copy of the demo
database (the shared server's database stays as the other browser tests see it), and
/onderneming then shows the month. Screenshots: /tmp/shots/treasurer_*.png."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import query
from tests.live_app import CHROMIUM, choose, chromium_page, download, open_as
from wijkimpact.data.access import ONDERNEMING
from wijkimpact.formatting import euro
from wijkimpact.ui.session import ENTERPRISE_KEY, ROLE_KEY

SHOTS = Path("/tmp/shots")
NAME = "Bewonersbedrijf De Kroon"
TYPED = "1234,56"  # verhuur, typed as text with a decimal comma
HORECA = 2500.75  # a number cell, as Excel keeps it
UPLOAD = '[data-testid="stFileUploader"] input[type="file"]'


def fill_in(data: bytes, year: int, month: int, path: Path) -> None:
    """One month on the financien sheet of the downloaded template, in the first row the
    template filled in for the enterprise; everything else left as it came."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["financien"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "dekroon")
    assert sheet.cell(row - 1, 1).value == "voorbeeld"  # the examples stay above it
    for column, value in {"jaar": year, "maand": month, "verhuur": TYPED, "horeca": HORECA}.items():
        sheet.cell(row, header.index(column) + 1, value)
    book.save(path)


def grid_texts(page, has_text: str) -> list[str]:
    """The cells of the (first) table on the page that holds ``has_text``."""
    grid = page.get_by_test_id("stDataFrame").filter(has_text=has_text).first
    grid.wait_for(timeout=30_000)
    cells = grid.locator('[role="gridcell"], [role="columnheader"]')
    cells.first.wait_for(state="attached", timeout=30_000)
    return [c.text_content() or "" for c in cells.all()]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_treasurer_fills_in_the_template_uploads_it_and_sees_the_month(
    demo_server, demo_db, demo_copy, tmp_path, open_app
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    [(year,)] = query(demo_db, "select max(year) + 1 from finance")  # a new year
    filled = tmp_path / "sjabloon_dekroon.xlsx"
    with chromium_page(1400, 1100, downloads=True) as page:
        open_as(page, demo_server, "Onderneming", "Gegevens")
        choose(page, "Welke onderneming", NAME)
        page.get_by_text("Het id van uw onderneming is").wait_for(timeout=60_000)
        assert page.get_by_text(f"U laadt de gegevens van {NAME}").count() == 1
        page.screenshot(path=str(SHOTS / "treasurer_1_gegevens.png"))
        fill_in(download(page, "Download het invulsjabloon (Excel)", tmp_path), year, 1, filled)

        page.locator(UPLOAD).set_input_files(filled)
        page.get_by_text("Geen problemen gevonden. Klik op Laden").wait_for(timeout=60_000)
        notes = page.get_by_text("geen gegevensrijen (alleen voorbeeldrijen van voorbeeld)")
        assert notes.count() >= 4  # the sheets left as they came: skipped, and said so
        page.get_by_test_id("stExpander").filter(has_text="blad financien").first.click()
        texts = grid_texts(page, "verhuur (ingevuld)")
        assert "€ 1.234,56" in texts and TYPED in texts  # read beside typed
        assert "€ 2.500,75" in texts and "2500.75" in texts
        page.get_by_test_id("stDataFrame").filter(
            has_text="verhuur"
        ).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "treasurer_2_preview.png"))

        choose(page, "Taal / Language", "English")
        page.get_by_role("heading", name="Data").first.wait_for(timeout=60_000)
        page.get_by_text("Your enterprise's id is").wait_for(timeout=30_000)
        page.get_by_text("No problems found. Click Load").wait_for(timeout=60_000)
        page.get_by_test_id("stExpander").filter(has_text="sheet financien").first.click()
        texts = grid_texts(page, "verhuur (entered)")
        assert "€1,234.56" in [t.replace(" ", "").replace("\xa0", "") for t in texts]
        assert TYPED in texts
        page.get_by_test_id("stDataFrame").filter(
            has_text="verhuur"
        ).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "treasurer_3_preview_en.png"))

        # the activity form reads a decimal comma and says what it will store, before saving
        page.get_by_role("tab", name="Enter an activity").click()
        hours = page.get_by_label("Volunteer hours")
        hours.fill("18,5")
        hours.press("Enter")
        page.get_by_text("Will be stored as 18.5").wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "treasurer_4_form_en.png"))

        # what was reinvested where: the sidebar's year, with all years as a choice
        page.get_by_test_id("stSidebarNav").get_by_text("Enterprise", exact=True).click()
        page.get_by_role("tab", name="Result and reinvestments").click()
        page.get_by_text("What was reinvested where").first.wait_for(timeout=60_000)
        page.get_by_text(re.compile(r"^Reinvested, 20\d\d: € ")).wait_for(timeout=30_000)
        page.get_by_text("By theme (").first.wait_for(timeout=30_000)
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(500)
        page.screenshot(path=str(SHOTS / "treasurer_5_reinvested_en.png"))

    # Load: the same file and the same page, on a copy of the demo database
    db = demo_copy
    mine = {ROLE_KEY: ONDERNEMING, ENTERPRISE_KEY: "dekroon"}
    at = open_app("pages/gegevens.py", db=db, state=mine, router=False)
    at.file_uploader[0].set_value((filled.name, filled.read_bytes(), "application/xlsx")).run()
    at.button(key="laden").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][0].startswith("Geladen.")
    at = open_app("pages/onderneming.py", db=db, state={**mine, "jaar": year}, router=False)
    omzet = [m.value for m in at.metric if m.label.startswith(f"Omzet {year}")]
    assert omzet == [euro(1234.56 + HORECA)]
