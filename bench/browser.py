"""Headless Chromium (Playwright, async) timing how long a page takes to draw its main element."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from pathlib import Path

# Playwright's own headless build of Chromium (what `playwright install` would fetch; Debian:
# chromium-headless-shell) when there, else the full browser in headless mode. The shell has no
# browser UI to run: a visit costs about 0.3 s less CPU, which matters when 20 share 2 cores.
CANDIDATES = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
CHROMIUM = next((path for path in CANDIDATES if path.exists()), CANDIDATES[-1])
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
]
TIMEOUT_MS = 120_000
# Whether the page shows what it is for: a plotly chart drawn (a map: its areas drawn, as SVG
# paths or, by MapLibre, done loading and a fill layer rendered), a table, a metric, an upload
# field or a notice in the page (not the sidebar's); "error" when Streamlit shows an exception.
CHECKS_JS = """
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const drawn = (gd) => {
    const full = gd._fullLayout;
    if (!full || !gd.querySelector('.main-svg')) return false;
    if (full.geo) {  // an SVG map: its areas are paths once the GeoJSON URL is fetched
      const areas = (gd.data || []).some((t) => t.type === 'choropleth');
      return !areas || !!gd.querySelector('path.choroplethlocation');
    }
    if (!full.map) return true;
    const sub = full.map._subplot;
    if (!(sub && sub.map && sub.map.loaded() && gd.querySelector('canvas'))) return false;
    // the areas themselves drawn, not only the map: a GeoJSON URL is fetched after 'load'
    const areas = (gd.data || []).some((t) => t.type === 'choroplethmap');
    return !areas || sub.map.queryRenderedFeatures().some((f) => f.layer.type === 'fill');
  };
  const checks = {
    error: () => !!document.querySelector('[data-testid="stException"]'),
    map: () => plots.some((gd) => gd._fullLayout && (gd._fullLayout.map || gd._fullLayout.geo)
      && drawn(gd)),
    plotly: () => plots.some(drawn),
    dataframe: () => !!document.querySelector(
      '[data-testid="stDataFrame"] canvas, [data-testid="stTable"] table'),
    metric: () => !!document.querySelector('[data-testid="stMetricValue"]'),
    uploader: () => !!document.querySelector('[data-testid="stFileUploaderDropzone"]'),
    notice: () => !!document.querySelector('[data-testid="stMain"] [data-testid="stAlert"]'),
    arrived: () => !!document.querySelector('[data-testid="stMain"] .js-plotly-plot, '
      + '[data-testid="stMain"] [data-testid="stDataFrame"], [data-testid="stMetricValue"], '
      + '[data-testid="stFileUploaderDropzone"], [data-testid="stMain"] [data-testid="stAlert"], '
      + '[data-testid="stException"]'),
  };
"""
# In every page, from its start: the first moment (ms since navigation began) the content
# arrived and the main element was drawn, looked at every 25 ms by the page itself and only
# until it was drawn (or an error shown). Playwright only reads the outcome, once in a while:
# its own polling of the checks is late when a page is busy, and with 20 pages at once its
# polling would cost the machine more than the pages themselves.
WATCH_JS = (
    "(() => { const kinds = %s; window.__seenAt = {}; window.__drawn = null;"
    " const watch = setInterval(() => { try {"
    + CHECKS_JS
    + """
  const now = performance.now();
  if (!('arrived' in window.__seenAt) && checks.arrived()) window.__seenAt.arrived = now;
  let found = checks.error() ? 'error' : null;
  for (const kind of kinds) {
    if (!found && checks[kind] && checks[kind]()) found = kind;
  }
  if (found) {
    window.__seenAt[found] = now;
    if (!('arrived' in window.__seenAt)) window.__seenAt.arrived = now;
    window.__drawn = found;
    clearInterval(watch);
  }
} catch (e) {} }, 25); })();"""
)
FLAG_POLL_MS = 200  # the page's own clock gives the times; this is only when we look
SETTLE_S = 0.5  # after a visit, before the next


@dataclass
class Visit:
    """One page visit: seconds until the main element was drawn, what was drawn, or the error;
    and seconds until the page's content had arrived (its first chart, table, metric or
    notice was in the page, drawn or not): the server's part."""

    seconds: float
    drawn: str | None
    error: str | None = None
    arrived: float | None = None


class Browser:
    """One headless Chromium for the whole run; a fresh context (own session) per visit."""

    def __init__(self, timeout_ms: int = TIMEOUT_MS) -> None:
        self._playwright = None
        self._browser = None
        self.timeout_ms = timeout_ms

    async def __aenter__(self) -> Browser:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        return self

    @property
    def name(self) -> str:
        """Which browser measures: its file and version."""
        return f"{CHROMIUM.name} {self._browser.version}"

    async def __aexit__(self, *exc) -> None:
        await self._browser.close()
        await self._playwright.stop()

    async def open(self):
        """A new context (cookies, storage and so a new Streamlit session) and its page."""
        context = await self._browser.new_context(
            viewport={"width": 1400, "height": 1000}, locale="nl-NL"
        )
        return context, await context.new_page()

    async def visit(self, url: str, kinds: tuple[str, ...], keep_open: bool = False):
        """Open ``url`` in a fresh context; time until one of ``kinds`` is drawn. With
        ``keep_open`` returns (visit, context) and leaves the session open."""
        context, page = await self.open()
        await context.add_init_script(WATCH_JS % json.dumps(list(kinds)))
        started = time.perf_counter()
        try:
            await page.goto(url, wait_until="commit", timeout=self.timeout_ms)
            handle = await page.wait_for_function(
                "() => window.__drawn", timeout=self.timeout_ms, polling=FLAG_POLL_MS
            )
            drawn = await handle.json_value()
            seconds = time.perf_counter() - started
            seen = await page.evaluate("() => window.__seenAt")
            seconds = min(seconds, seen[drawn] / 1000)  # the page's own clock
            visit = Visit(
                seconds, None if drawn == "error" else drawn, arrived=seen["arrived"] / 1000
            )
            if drawn == "error":
                visit.error = (
                    await page.locator('[data-testid="stException"]').first.inner_text()
                )[:300]
        except Exception as exc:  # a timeout or a crashed page: count it, go on
            visit = Visit(time.perf_counter() - started, None, f"{type(exc).__name__}: {exc}"[:300])
        if keep_open:
            return visit, context
        await context.close()
        # the next visit starts on a quiet machine: a closed page's renderer still ends its
        # process for a while, which would count against whatever page comes next
        await asyncio.sleep(SETTLE_S)
        return visit

    async def visit_many(self, url: str, kinds: tuple[str, ...], count: int, keep_open=False):
        """``count`` sessions opening ``url`` at the same time."""
        results = await asyncio.gather(
            *(self.visit(url, kinds, keep_open=keep_open) for _ in range(count))
        )
        return results


def available() -> bool:
    """Whether headless Chromium and Playwright are there."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()
