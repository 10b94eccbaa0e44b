"""The real app in headless Chromium: pages draw their charts and the map, numbers in Dutch,
and a first visit straight to a page address shows the whole app."""

from __future__ import annotations

import pytest

from tests.live_app import CHROMIUM, chromium_page, running_app
from wijkimpact.formatting import euro
from wijkimpact.page_table import PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]

# plotly's SVG map: a path per wijk of Demostad, drawn offline (no world map from a CDN)
WIJKEN_DRAWN = (
    "() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length === 12"
)
# the health checks the page made, by its own clock (ms since navigation started)
HEALTH_CHECKS = """() => performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/_stcore/health'))
  .map(e => [new URL(e.name).pathname, e.startTime, e.responseEnd])"""


@pytest.fixture(scope="module")
def live(demo_server):
    with chromium_page() as page:
        yield demo_server, page


def test_overzicht_shows_dutch_totals(live, demo_db):
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)
    omzet = con.execute(
        "select sum(omzet) from enterprise_year "
        "where year = (select max(year) from enterprise_year)"
    ).fetchall()[0][0]
    con.close()
    url, page = live
    page.goto(url + "/")
    page.get_by_text("Overzicht").first.wait_for(timeout=60_000)
    metric = page.locator('[data-testid="stMetricValue"]').first
    metric.wait_for(timeout=60_000)
    assert metric.inner_text() == euro(omzet)
    assert page.get_by_text("fictief").count() >= 1


def test_kaart_draws_the_wijken(live):
    url, page = live
    page.goto(url + "/kaart")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.wait_for_function(WIJKEN_DRAWN, timeout=60_000)
    assert page.get_by_text("Bron: CBS").count() >= 1


def _the_whole_app(page, title: str) -> None:
    """The page ``title`` with app.py's sidebar and menu (not Streamlit's menu of file names)."""
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.get_by_text("Gemeente").first.wait_for(timeout=30_000)
    page.get_by_text("fictief").first.wait_for(timeout=10_000)
    menu = page.get_by_test_id("stSidebarNav")
    assert [menu.get_by_text(t, exact=True).count() for _, t, *_ in PAGES] == [1] * len(PAGES)
    assert menu.get_by_text("app", exact=True).count() == 0


@pytest.mark.parametrize("base", ["", "/wijkimpact"])
def test_a_first_visit_to_a_page_address_shows_the_whole_app(demo_db, base):
    """A fresh server whose very first request is /kaart (with a wijk in the link), then every
    other page address, each in a browser of its own. That each page file hands over to the
    router on a fresh server's first run is checked for every page in tests/test_router.py."""
    with running_app(demo_db, base_path=base.strip("/")) as url, chromium_page() as page:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{url}{base}/kaart?wijk=WK999901")
        _the_whole_app(page, "Kaart")
        page.wait_for_function(WIJKEN_DRAWN, timeout=60_000)
        drawn_ms = page.evaluate("() => performance.now()")
        # the link's wijk is chosen: its profile shows (Centrum, from the demo's wijk file)
        page.get_by_text("Wijk WK999901 in de gemeente Demostad").first.wait_for(timeout=30_000)
        icon = page.evaluate("() => document.querySelector('link[rel*=icon]').href")
        checks = page.evaluate(HEALTH_CHECKS)
        # everything from this server: the page, its code, the map, the world map, the tab's icon
        assert [a for a in asked if not a.startswith(url)] == []
        assert icon.startswith(f"{url}{base}/media/")
        for _, title, _, address in PAGES[1:]:
            if address != "kaart":
                with chromium_page() as other:
                    other.goto(f"{url}{base}/{address}")
                    _the_whole_app(other, title)
    # Printed, not asserted (BENCHMARKS.md): a page address first asks for the server at
    # <address>/_stcore/health; a 404 there costs the time until the next check starts.
    print(f"\n{base}/kaart, first visit: wijken drawn after {drawn_ms / 1000:.2f} s; checks:")
    for path, start, end in checks:
        print(f"  {path}: {start / 1000:.3f}-{end / 1000:.3f} s")
