"""The treasurer's journey with the books (role onderneming) in the real app (headless Chromium,
the demo): upload the auditfile, see the accounts without a category, download the koppeling
offered, fill it in, upload both and see per category and month what the books give. The load
itself runs in AppTest on a copy of the demo database (the shared server's database stays as
the other browser tests see it), and /onderneming then shows the year. Screenshots:
/tmp/shots/auditfile_*.png."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import query
from tests.live_app import CHROMIUM, choose, chromium_page, download, open_as
from tests.test_journey_treasurer import grid_texts
from tests.test_xaf_gegevens import _ledger
from wijkimpact.data.access import ONDERNEMING
from wijkimpact.formatting import euro
from wijkimpact.ui.session import ENTERPRISE_KEY, ROLE_KEY

SHOTS = Path("/tmp/shots")
NAME = "Bewonersbedrijf De Kroon"
UPLOAD = '[data-testid="stFileUploader"] input[type="file"]'


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_treasurer_loads_the_books_with_the_offered_koppeling(
    demo_server, demo_db, demo_copy, tmp_path, open_app
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    [(year,)] = query(demo_db, "select max(year) + 1 from finance")  # a new year
    books = tmp_path / "boekhouding.xaf"
    books.write_bytes(_ledger(year))
    filled = tmp_path / "koppeling_ingevuld.xlsx"
    with chromium_page(1400, 1100, downloads=True) as page:
        open_as(page, demo_server, "Onderneming", "Gegevens")
        choose(page, "Welke onderneming", NAME)
        page.get_by_text("Exporteer de auditfile (XAF)").wait_for(timeout=60_000)
        page.locator(UPLOAD).set_input_files(books)
        page.get_by_text("Problemen (3)").wait_for(timeout=60_000)
        texts = grid_texts(page, "Probleem")
        assert any("rekening 8000 (Opbrengst zaalverhuur) heeft geen categorie" in t for t in texts)
        page.screenshot(path=str(SHOTS / "auditfile_1_problems.png"))
        offered = download(page, "Download de koppeling om in te vullen (Excel)", tmp_path)
        book = openpyxl.load_workbook(io.BytesIO(offered))
        for row in book["grootboek"].iter_rows(min_row=2):  # confirmed; 8100 is a fund
            if row[1].value == "8100":
                row[3].value = "fondsen"
        book.save(filled)

        page.locator('[data-testid="stFileChipDeleteBtn"] button').first.click()
        page.get_by_text("Problemen (").wait_for(state="detached", timeout=30_000)
        page.locator(UPLOAD).set_input_files([books, filled])
        page.get_by_text("Geen problemen gevonden. Klik op Laden").wait_for(timeout=60_000)
        page.get_by_test_id("stExpander").filter(has_text="boekhouding.xaf").first.click()
        texts = grid_texts(page, "Categorie")  # per category, a column per month
        assert {"verhuur", "fondsen", f"jan {year}", euro(2000), euro(500)} <= set(texts)
        page.screenshot(path=str(SHOTS / "auditfile_2_preview.png"))

    # Load: the same files and the same page, on a copy of the demo database
    db = demo_copy
    mine = {ROLE_KEY: ONDERNEMING, ENTERPRISE_KEY: "dekroon"}
    at = open_app("pages/gegevens.py", db=db, state=mine, router=False)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader[0].set_value(
        [(books.name, books.read_bytes(), "application/xml"),
         (filled.name, filled.read_bytes(), xlsx)]
    ).run()  # fmt: skip
    at.button(key="laden").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][0].startswith("Geladen.")
    at = open_app("pages/onderneming.py", db=db, state={**mine, "jaar": year}, router=False)
    omzet = [m.value for m in at.metric if m.label.startswith(f"Omzet {year}")]
    assert omzet == [euro(24000 + 6000)]
