"""The real app in headless Chromium: pages draw their charts and the map, numbers in Dutch,
and a first visit straight to a page address shows the whole app."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.live_app import CHROMIUM, chromium_page, running_app
from wijkimpact.formatting import euro
from wijkimpact.page_table import PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})"),
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


TITLES = {address: title for _, title, _, address in PAGES}
TABS = 3  # addresses loading at once


@pytest.mark.parametrize(
    ("base", "addresses"),
    [("", ["kaart"]), ("/wijkimpact", sorted(TITLES, key=lambda a: a != "kaart"))],
    ids=["kaart", "all"],
)
def test_a_first_visit_to_a_page_address_shows_the_whole_app(demo_db, base, addresses):
    """A fresh server whose first request is /kaart (a wijk in its link); and one under a base
    path (as behind a proxy) whose first requests are page addresses at once, each in a tab of
    its own (as open tabs reconnecting after a restart), then the other addresses, three at a
    time, each a new session's first visit: several of them start the legacy pages/ way before
    one switches it off (wijkimpact/ui/router.py), and each still shows its page inside app.py's
    router."""
    with running_app(demo_db, base_path=base.strip("/")) as url, ExitStack() as stack:
        asked: list[str] = []
        tabs = []
        for _ in range(min(TABS, len(addresses))):
            tab = stack.enter_context(chromium_page(new_tab=True))
            tab.on("request", lambda request: asked.append(request.url))
            tabs.append(tab)
        for start in range(0, len(addresses), len(tabs)):
            wave = list(zip(tabs, addresses[start : start + len(tabs)], strict=False))
            for page, address in wave:
                link = f"{url}{base}/{address}" + ("?wijk=WK999901" if address == "kaart" else "")
                page.goto(link, wait_until="commit")
            for page, address in wave:
                _the_whole_app(page, TITLES[address])
            if start == 0:  # /kaart, in the first wave: its map, its link's wijk, its icon
                kaart = tabs[0]
                kaart.wait_for_function(WIJKEN_DRAWN, timeout=60_000)
                # the link's wijk is chosen: its profile shows (Centrum, the demo's wijk file)
                kaart.get_by_text("Wijk WK999901 in de gemeente Demostad").first.wait_for(
                    timeout=30_000
                )
                icon = kaart.evaluate("() => document.querySelector('link[rel*=icon]').href")
                checks = kaart.evaluate(HEALTH_CHECKS)
    # everything from this server: the pages, their code, the map and its plotly code, the world
    # map, the icon (and the map's script, which Streamlit hands to the browser as a blob of
    # the page's own origin)
    assert [a for a in asked if not a.startswith((url, f"blob:{url}/"))] == []
    assert icon.startswith(f"{url}{base}/media/")
    # Printed, not asserted (BENCHMARKS.md): a page address first asks for the server at
    # <address>/_stcore/health; a 404 there costs the time until the next check starts.
    print(f"\n{base}/kaart, health checks by the page's clock ({len(tabs)} loading at once):")
    for path, begin, end in checks:
        print(f"  {path}: {begin / 1000:.3f}-{end / 1000:.3f} s")
