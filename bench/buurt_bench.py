"""/kaart at buurt level for the largest gemeente whose buurten are there: Amsterdam (the CBS
buurten of ../shared/data/real/amsterdam_buurten_2022.geojson and their kerncijfers), loaded
with the ETL into a copy of the national database. Its payload (AppTest, as map_bench), and in
headless Chromium the time from the click on "Buurten" until the buurt map is drawn, next to
the other pages (against the same floor)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from bench import map_bench
from bench.areas import REAL_DIR

BUURTEN = REAL_DIR / "amsterdam_buurten_2022.geojson"
STATS = REAL_DIR / "amsterdam_kwb_2024.csv"  # without figures the map has nothing to colour
GEMEENTE = "GM0363"
PAGE = "kaart_buurt"  # its name among the pages of the report
# In the page: the first moment (performance.now()) its map shows at least the given number of
# areas, looked at every 25 ms by the page itself (as bench/browser.py does for whole pages).
WATCH_JS = """(areas) => { window.__buurtAt = null; const watch = setInterval(() => {
  const drawn = document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length;
  if (drawn >= areas) { window.__buurtAt = performance.now(); clearInterval(watch); }
}, 25); return performance.now(); }"""


def prepare(db: Path, folder: Path) -> Path | None:
    """A copy of ``db`` with Amsterdam's buurten and their figures (python -m etl areas, stats);
    None without ../shared or without the gemeente."""
    if not (BUURTEN.is_file() and STATS.is_file()) or not _has_gemeente(db):
        return None
    from etl.cli import main

    target = folder / "buurten.duckdb"
    shutil.copyfile(db, target)
    for command in (["areas", BUURTEN], ["stats", STATS]):
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            code = main([*map(str, command), "--db", str(target)])
        if code:
            raise RuntimeError(f"etl {command[0]} failed: {quiet.getvalue()[-2000:]}")
    return target


def _has_gemeente(db: Path) -> bool:
    """Whether the national database holds the gemeente (not so at the smoke scale)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute("select count(*) from area where area_code = ?", [GEMEENTE])
        return found.fetchone()[0] > 0
    finally:
        con.close()


def measure(results: dict, db: Path, args, log, served: tuple | None = None) -> None:
    """The buurt map's payload into results["map"]["buurt"]; its page time into
    results["pages"][PAGE] (and page_ratio_max) when the pages were measured. ``served``:
    (the database prepare() made, or None; the app already running on it), as --quick serves
    the app for every step; else this step prepares the database and serves the app itself."""
    with tempfile.TemporaryDirectory(prefix="wijkimpact-buurt-") as tmp:
        path, app = served if served is not None else (prepare(db, Path(tmp)), None)
        if path is None:
            log(f"buurt map: skipped (no ../shared/data/real, or no {GEMEENTE} in the database)")
            return
        figure = map_bench.measure(path, GEMEENTE, "buurt")
        results.setdefault("map", {})["buurt"] = figure.as_dict()
        log(
            f"buurt map {GEMEENTE}: {figure.bytes:,} bytes ({figure.areas} buurten; geometry "
            f"{figure.geometry_bytes:,}, figure {figure.figure_bytes:,}), "
            f"{figure.cold_s:.2f} s / {figure.warm_s:.2f} s"
        )
        pages = results.get("pages")
        if not pages or "kaart" not in pages:  # no browser, or a run of other pages
            return
        runs, errors = asyncio.run(
            _visits(path, app, args.page_runs, figure.areas, args.page_timeout, args.quick)
        )
    floor = results["page_floor_median_s"]
    median = statistics.median(runs) if runs else None
    pages[PAGE] = {
        "median_s": _round(median),
        "ratio": _round(median / floor if median else None),
        "runs_s": [round(s, 3) for s in runs],
        "drawn": ["map"] if runs else [],
        "errors": errors,
        "areas": figure.areas,
        "measured": "from the click on Buurten (Amsterdam chosen) until the buurten are drawn",
    }
    results["page_ratio_max"] = max(p["ratio"] for p in pages.values() if p.get("ratio"))
    results["page_errors"] = sum(len(p["errors"]) for p in pages.values())
    log(f"  /kaart buurten {GEMEENTE}: {runs} s, errors {errors}")


async def _visits(db: Path, app, runs: int, areas: int, timeout_s: float, quick: bool = False):
    """``runs`` timed visits after a first one that fills the server's caches (``quick``: the
    first one counts), on ``app`` (a running server of the app on ``db``) or, for None, on a
    server of its own."""
    from bench.browser import SETTLE_S, Browser
    from bench.server import serve
    from wijkimpact.config import PROJECT_ROOT

    seconds, errors = [], []
    own = serve(PROJECT_ROOT / "app.py", PROJECT_ROOT, {"WIJKIMPACT_DB": str(db)})
    with contextlib.nullcontext(app) if app is not None else own as app:
        async with Browser(int(timeout_s * 1000)) as browser:
            # run 0 (none when quick) is not timed: it fills the server's caches
            for run in range(1 if quick else 0, runs + 1):
                try:
                    took = await _visit(browser, app.url, areas, int(timeout_s * 1000))
                except Exception as exc:  # a timeout or a crashed page: count it, go on
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])
                    continue
                if run:
                    seconds.append(took)
                if run < runs:  # the next visit on a quiet machine
                    await asyncio.sleep(SETTLE_S)
    return seconds, errors


async def _visit(browser, url: str, areas: int, timeout_ms: int) -> float:
    context, page = await browser.open()
    try:
        await page.goto(f"{url}/kaart", timeout=timeout_ms)
        paths = page.locator(".js-plotly-plot path.choroplethlocation")
        await paths.first.wait_for(timeout=timeout_ms)
        sidebar = page.get_by_test_id("stSidebar")
        await sidebar.get_by_test_id("stSelectbox").filter(has_text="Gemeente").first.click()
        await page.keyboard.type(GEMEENTE)  # a list of 343: only what is typed is shown
        await page.get_by_role("option", name=re.compile(rf"\({GEMEENTE}\)$")).click()
        deadline = time.monotonic() + timeout_ms / 1000
        while await paths.count() >= areas * 3 or await paths.count() == 0:  # the gemeente's
            if time.monotonic() > deadline:
                raise TimeoutError("the map of the gemeente was not drawn")
            await asyncio.sleep(0.1)
        started = await page.evaluate(WATCH_JS, int(areas * 0.9))
        await page.get_by_test_id("stRadio").get_by_text("Buurten", exact=True).click()
        handle = await page.wait_for_function(
            "() => window.__buurtAt", timeout=timeout_ms, polling=200
        )
        return (await handle.json_value() - started) / 1000
    finally:
        await context.close()


def _round(value, digits: int = 3):
    return None if value is None else round(value, digits)
