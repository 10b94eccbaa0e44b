"""The professional's journey in the real app (headless Chromium, the demo): open the map, read
its legend, search a wijk, open it, read its profile and the note that the reinvested amounts
are partial; then the same in English. Screenshots: /tmp/shots/professional_*.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live_app import CHROMIUM, choose, chromium_page, open_as

SHOTS = Path("/tmp/shots")
AREAS_DRAWN = """() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation')
  .length === 12"""


def legend_texts(page) -> list[str]:
    return page.locator(".js-plotly-plot .legendtext").all_text_contents()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})")
def test_professional_finds_a_wijk_and_reads_its_profile_in_dutch_and_english(demo_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(1400, 1100) as page:
        open_as(page, demo_server, "Professional", "Kaart")
        page.wait_for_function(AREAS_DRAWN, timeout=60_000)
        # the enterprise map: wijken without an enterprise and withheld ones have their own key
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .legendtext').length >= 2",
            timeout=30_000,
        )
        assert {"Geen onderneming", "Geen gegevens (afgeschermd)"} <= set(legend_texts(page))
        page.get_by_text("Ondernemingen als bolletjes (8)").wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "professional_1_kaart.png"))

        search = page.get_by_label("Zoek een wijk, buurt of postcode")
        search.fill("vogel")
        search.press("Enter")
        hit = page.get_by_role("button", name="Vogelbuurt · wijk in Demostad")
        hit.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "professional_2_zoeken.png"))
        hit.click()
        page.get_by_role("heading", name="Vogelbuurt").wait_for(timeout=30_000)
        page.get_by_text("Bewonersbedrijf De Kroon").first.wait_for(timeout=30_000)
        assert "wijk=WK999904" in page.url
        note = page.get_by_text("Deels: in 2019 en 2022 herinvesteerden hier ook ondernemingen")
        note.wait_for(timeout=30_000)
        note.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "professional_3_profiel.png"))

        choose(page, "Taal / Language", "English")
        page.get_by_role("heading", name="Vogelbuurt").wait_for(timeout=60_000)
        english = page.get_by_text("Partial: in 2019 and 2022, enterprises that do not publish")
        english.wait_for(timeout=30_000)
        english.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "professional_4_profile_en.png"))
        page.wait_for_function(AREAS_DRAWN, timeout=60_000)
        assert {"No enterprise", "No data (withheld)"} <= set(legend_texts(page))
        page.get_by_label("Find a district, neighbourhood or postcode").wait_for()
