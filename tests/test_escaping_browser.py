"""Text from the database in Chromium: on every page that shows enterprise text, names, themes
and descriptions that hold Markdown links, images and HTML tags show as text, and the page holds
no link or image from them; the menu has no Deploy button."""

from __future__ import annotations

import re

import pytest

from tests.live_app import CHROMIUM, chromium_page, running_app
from tests.test_escaping import WIJK, marked_db  # noqa: F401 - marked_db: a fixture

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})"),
]
# What the page shows once its data is drawn, and what it must show literally.
PAGES = {
    "/": ["Demostad <img src=x>"],
    "/onderneming?id=kwaad": ["Centrum <b>vet</b>", "Omschrijving [Sessie verlopen]"],
    "/onderneming?id=geheim": ["Geheim [Sessie verlopen]"],
    "/financiers": ["Buurthuis [Sessie verlopen]"],
    f"/kaart?wijk={WIJK}": ["Zoekt <b>vet</b> [Sessie verlopen]", "Buurthuis [Sessie verlopen]"],
    "/bijdrage": ["Verandering Centrum <b>vet</b>"],
    "/gegevens": ["Volledigheid"],
}
CHART_TEXTS = "() => [...document.querySelectorAll('.js-plotly-plot text')].map(t => t.textContent)"


@pytest.fixture(scope="module")
def live(marked_db):  # noqa: F811 - the imported fixture
    with running_app(marked_db) as url, chromium_page() as page:
        yield url, page


def _no_markup_from_the_data(page) -> None:
    assert page.locator('a[href*="evil.example"]').count() == 0
    assert page.locator('img[src*="evil.example"], img[src="x"]').count() == 0
    assert page.locator("b, strong").filter(has_text=re.compile(r"^vet$")).count() == 0
    assert page.locator("h1, h2, h3, h4, h5, h6", has_text="Kop").count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_enterprise_text_is_text(live, path):
    url, page = live
    page.goto(url + path)
    for text in PAGES[path]:
        page.get_by_text(text).first.wait_for(timeout=60_000)
    _no_markup_from_the_data(page)


def test_chart_labels_are_text(live):
    url, page = live
    page.goto(url + "/onderneming?id=kwaad")
    page.get_by_text("Resultaat en herinvesteringen").first.click()
    page.get_by_text(re.compile(r"^Per thema \(")).first.wait_for(timeout=60_000)  # the year's
    page.wait_for_function(
        f"() => ({CHART_TEXTS})().some(t => t.includes('Thema <b>vet</b>'))", timeout=30_000
    )
    texts = page.evaluate(CHART_TEXTS)
    assert any("Thema <b>vet</b> <img src=x> [Sessie verlopen]" in t for t in texts)
    # drawn as text: plotly would make '<b>' bold and '<a>' a link
    assert page.locator(".js-plotly-plot a").count() == 0
    _no_markup_from_the_data(page)


def test_the_sidebar_and_the_menu(live):
    url, page = live
    page.goto(url + "/")
    page.get_by_text("Demostad <img src=x>").first.wait_for(timeout=60_000)
    page.locator('[data-testid="stMainMenu"]').wait_for(timeout=30_000)
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.get_by_text("Deploy", exact=True).count() == 0
