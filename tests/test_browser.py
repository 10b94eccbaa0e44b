"""The real app in headless Chromium: pages draw their charts and the map, numbers in Dutch."""

from __future__ import annotations

import pytest

from tests.live_app import CHROMIUM, chromium_page, running_app
from wijkimpact.formatting import euro

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium ontbreekt (/usr/bin/chromium)"),
]


@pytest.fixture(scope="module")
def live(demo_db):
    with running_app(demo_db) as url, chromium_page() as page:
        yield url, page


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


@pytest.mark.parametrize("path", ["onderneming", "financiers", "kaart", "methode"])
def test_first_visit_straight_to_a_page_shows_the_whole_app(demo_db, path):
    # a fresh server, and the very first request goes to the page, not to /
    with running_app(demo_db) as url, chromium_page() as page:
        page.goto(f"{url}/{path}")
        page.get_by_text("Gemeente").first.wait_for(timeout=60_000)
        page.get_by_text("fictief").first.wait_for(timeout=10_000)
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("Overzicht").count() == 1


def test_kaart_draws_the_wijken(live):
    url, page = live
    page.goto(url + "/kaart")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    # plotly's SVG map: a path per wijk of Demostad, drawn offline (no world map from a CDN)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length === 12",
        timeout=60_000,
    )
    assert page.get_by_text("Bron: CBS").count() >= 1


def _map_drawn(page) -> None:
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length === 12",
        timeout=60_000,
    )


@pytest.mark.parametrize("base", ["", "/wijkimpact"])
def test_a_page_address_finds_the_server_at_once_and_asks_nothing_elsewhere(demo_db, base):
    # Streamlit's own index page first asks /kaart/_stcore/health (404), waits 100 ms, then
    # asks /_stcore/health; serve.py's index page tells the browser where the server is
    with running_app(demo_db, base_path=base.strip("/")) as url, chromium_page() as page:
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(f"{url}{base}/kaart?wijk=WK999901")
        _map_drawn(page)
        # the link's wijk is chosen: its profile shows (Centrum, from the demo's wijk file)
        page.get_by_text("Wijk WK999901 in de gemeente Demostad").first.wait_for(timeout=30_000)
        icon = page.evaluate("() => document.querySelector('link[rel*=icon]').href")
    assert f"{url}{base}/_stcore/health" in asked
    assert not [a for a in asked if "/kaart/_stcore/" in a]
    # everything from this server: the page, its code, the map, the world map, the tab's icon
    assert [a for a in asked if not a.startswith(url)] == []
    assert icon.startswith(f"{url}{base}/media/")
