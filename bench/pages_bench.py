"""Pages in headless Chromium against an empty Streamlit page with one plotly chart (the
floor), then memory with 10 open /kaart sessions and 20 sessions opening /kaart at once."""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from bench import protocol
from bench.browser import CHROMIUM, Browser, Visit
from bench.protocol import ScriptRun
from bench.server import Server, cpu_seconds_of, serve_all
from wijkimpact.config import PROJECT_ROOT
from wijkimpact.kaart import static_files
from wijkimpact.page_table import URL_PATHS

FLOOR_APP = '''"""Benchmark floor: an empty Streamlit page with one minimal plotly chart."""
import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])), key="floor")
'''
# The floor of a map page: the bare national wijk map (the same GeoJSON file as /kaart, one
# value per wijk, drawn the same way: plotly's SVG geo map), nothing else on the page. Not a
# target; it shows what the map alone costs.
MAP_FLOOR_APP = '''"""Benchmark floor for maps: a page with only the bare national wijk map."""
import json

import plotly.graph_objects as go
import streamlit as st


@st.cache_resource
def codes():
    with open("static/wijken.json", encoding="utf-8") as fh:
        return [f["id"] for f in json.load(fh)["features"]]


ids = codes()
figure = go.Figure(
    go.Choropleth(
        geojson="/app/static/wijken.json",
        locations=ids,
        featureidkey="id",
        z=[i % 97 for i in range(len(ids))],
        marker={"line": {"width": 0.3}},
    )
)
figure.update_layout(
    geo={"fitbounds": "locations", "visible": False, "projection": {"type": "mercator"}},
    height=620,
    margin={"l": 0, "r": 0, "t": 0, "b": 0},
)
st.plotly_chart(figure, key="floor", config={"topojsonURL": "/app/static/geo/"})
'''
# What each page is for, in the order looked for: the first one drawn counts.
MAIN = {
    "": ("plotly",),
    "onderneming": ("plotly",),
    "financiers": ("plotly", "dataframe"),
    "kaart": ("map",),
    # the bench visits as the demo's first role, the public: it may not load, the page says so
    "gegevens": ("uploader", "dataframe", "notice"),
    "methode": ("dataframe",),
    # with figures of one year only, the page explains that it cannot compare (a notice)
    "bijdrage": ("plotly", "dataframe", "notice"),
}
OTHER_PAGES = ("plotly", "dataframe", "metric")
MAP_PAGE = "kaart"


@dataclass
class PageResult:
    """Every timed visit of every page and of the floor, memory and concurrency."""

    browser: str = ""  # which browser measured
    floor: list[float] = field(default_factory=list)
    map_floor: list[float] = field(default_factory=list)  # the bare national map
    pages: dict[str, list[Visit]] = field(default_factory=dict)
    first_visit: dict[str, Visit] = field(default_factory=dict)
    rss_idle_mb: float = 0.0
    rss_sessions_mb: float = 0.0
    sessions_open: int = 0
    sessions_drawn: int = 0
    concurrent: list[Visit] = field(default_factory=list)
    # the browser's CPU seconds: one /kaart visit alone, and the 20 at once together
    browser_cpu_single_s: float = 0.0
    browser_cpu_concurrent_s: float = 0.0
    # the same harness on the floor page: 20 browsers share this machine's cores
    floor_concurrent: list[Visit] = field(default_factory=list)
    # the server's part alone (Streamlit's websocket protocol, no browser): one, then 20
    server_single: list[ScriptRun] = field(default_factory=list)
    server_concurrent: list[ScriptRun] = field(default_factory=list)

    def median(self, path: str) -> float | None:
        """Median seconds of the visits that drew."""
        ok = [v.seconds for v in self.pages[path] if v.error is None]
        return statistics.median(ok) if ok else None

    def ratio(self, path: str) -> float | None:
        """Median page time / median floor time."""
        page = self.median(path)
        return page / statistics.median(self.floor) if page is not None else None


def discover_pages() -> list[str]:
    """The url paths of the app's pages (wijkimpact/page_table.py, app.py's router)."""
    return list(URL_PATHS)


def measure(
    db: Path,
    runs: int,
    memory_sessions: int,
    concurrent_sessions: int,
    log=print,
    timeout_s: float = 120,
    map_geometry: Path | None = None,
    only: list[str] | None = None,
    quick: bool = False,
    servers: tuple | None = None,
) -> PageResult:
    """Serve the floor and the app side by side and time them in the same Chromium;
    ``map_geometry`` (the national GeoJSON file of /kaart): also time the bare map; ``only``:
    visit only these url paths of the router (a quick run), not all; ``quick``: the least of
    each part, to check the wiring (no warm-up or first visits apart, no settling pauses, no
    browser CPU visit alone, one server visit alone); ``servers``: those of :func:`serving`,
    already running (else served for this part alone)."""
    return asyncio.run(
        _measure(
            db,
            runs,
            memory_sessions,
            concurrent_sessions,
            log,
            int(timeout_s * 1000),
            map_geometry,
            only,
            quick,
            servers,
        )
    )


async def _measure(
    db, runs, memory_sessions, concurrent_sessions, log, timeout_ms, geometry, only, quick, servers
):
    result = PageResult()
    paths = [path for path in discover_pages() if only is None or path in only]
    with _serving(db, geometry, servers) as (floor, map_floor, app):
        async with Browser(timeout_ms) as browser:
            result.browser = browser.name
            served = (floor, map_floor if geometry is not None else None, app)
            if not quick:
                await _first_visits(browser, served, paths, result, log)
            result.pages = {path: [] for path in paths}
            for run in range(runs):
                await _run(browser, served, paths, result, at_once=quick)
                bare = f"bare map {result.map_floor[-1]:.2f} s, " if result.map_floor else ""
                log(
                    f"  pages run {run + 1}/{runs}: floor {result.floor[-1]:.2f} s, {bare}"
                    + ", ".join(f"/{p} {v[-1].seconds:.2f}" for p, v in result.pages.items())
                )
            if quick:  # the first run's visits were the first visits
                result.first_visit = {path: visits[0] for path, visits in result.pages.items()}
            if MAP_PAGE in paths:
                pause = 0 if quick else 1
                sessions = _sessions(
                    browser, app, result, memory_sessions, concurrent_sessions, log, pause
                )
                context = _context(browser, floor, app, result, concurrent_sessions, log, pause)
                if quick:  # side by side: the wiring, not the figures
                    await asyncio.gather(sessions, context)
                else:
                    await sessions
                    await context
    return result


@contextmanager
def serving(db: Path, geometry: Path | None) -> Iterator[tuple[Server, Server, Server]]:
    """The floor, the bare map's floor (on ``geometry``, the national GeoJSON file of /kaart)
    and the app on ``db``, served side by side until the block ends."""
    with tempfile.TemporaryDirectory(prefix="wijkimpact-floor-") as tmp:
        floor_app = Path(tmp) / "floor_app.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        map_folder = Path(tmp) / "map"
        (map_folder / "static").mkdir(parents=True)
        (map_folder / "map_floor_app.py").write_text(MAP_FLOOR_APP, encoding="utf-8")
        if geometry is not None:
            shutil.copyfile(geometry, map_folder / "static" / "wijken.json")
            static_files.publish_empty_world(map_folder / "static")
        with serve_all(
            (floor_app, Path(tmp), None, ()),
            (
                map_folder / "map_floor_app.py",
                map_folder,
                None,
                ("--server.enableStaticServing", "true"),
            ),
            (PROJECT_ROOT / "app.py", PROJECT_ROOT, {"WIJKIMPACT_DB": str(db)}, ()),
        ) as (floor, map_floor, app):
            yield floor, map_floor, app


def _serving(db: Path, geometry: Path | None, servers: tuple | None):
    """The given running servers, or those of :func:`serving` for this part alone."""
    return nullcontext(servers) if servers is not None else serving(db, geometry)


async def _run(browser, servers, paths, result, at_once: bool = False) -> None:
    """One visit of the floor, the bare map (when served) and every page, one after the
    other; ``at_once``: all at the same time (a check of the wiring, not of the times)."""
    floor, map_floor, app = servers
    targets = [(floor.url, ("plotly",))]
    if map_floor is not None:
        targets.append((map_floor.url, ("map",)))
    targets += [(f"{app.url}/{path}", MAIN.get(path, OTHER_PAGES)) for path in paths]
    if at_once:
        visits = list(await asyncio.gather(*(browser.visit(*target) for target in targets)))
    else:
        visits = [await browser.visit(*target) for target in targets]
    result.floor.append(visits.pop(0).seconds)
    if map_floor is not None:
        bare = visits.pop(0)
        if bare.error is None:
            result.map_floor.append(bare.seconds)
    for path, visit in zip(paths, visits, strict=True):
        result.pages[path].append(visit)


async def _first_visits(browser, servers, paths, result, log) -> None:
    """The floors once (the browser warm), then each page's first visit: the server's caches
    are cold (``servers``: the floor, the bare map's or None, the app)."""
    floor, map_floor, app = servers
    await browser.visit(floor.url, ("plotly",))
    if map_floor is not None:
        await browser.visit(map_floor.url, ("map",))
    for path in paths:
        result.first_visit[path] = await browser.visit(
            f"{app.url}/{path}", MAIN.get(path, OTHER_PAGES)
        )
        _log_visit(log, f"first visit /{path}", result.first_visit[path])


async def _sessions(
    browser, app, result, memory_sessions, concurrent_sessions, log, pause: float = 1
) -> None:
    """Memory with open /kaart sessions, then sessions opening it at once (``pause``: 0 leaves
    out the settling pauses and the browser CPU of one visit alone)."""
    url = f"{app.url}/{MAP_PAGE}"
    result.rss_idle_mb = app.rss_mb()
    opened = await browser.visit_many(url, MAIN[MAP_PAGE], memory_sessions, keep_open=True)
    await asyncio.sleep(2 * pause)  # let the sessions settle (their last deltas, garbage)
    result.rss_sessions_mb = app.rss_mb()
    result.sessions_open = len(opened)
    result.sessions_drawn = sum(1 for visit, _ in opened if visit.error is None)
    for _, context in opened:
        await context.close()
    log(
        f"  memory: {result.rss_idle_mb:.0f} MB idle, {result.rss_sessions_mb:.0f} MB with "
        f"{memory_sessions} /kaart sessions ({result.sessions_drawn} drew)"
    )
    if pause:
        await asyncio.sleep(2 * pause)
        # what one visit costs the browser in CPU (its renderer counts only while its page is
        # open)
        before = cpu_seconds_of(CHROMIUM)
        _, context = await browser.visit(url, MAIN[MAP_PAGE], keep_open=True)
        result.browser_cpu_single_s = cpu_seconds_of(CHROMIUM) - before
        await context.close()
        await asyncio.sleep(pause)
    before = cpu_seconds_of(CHROMIUM)
    opened = await browser.visit_many(url, MAIN[MAP_PAGE], concurrent_sessions, keep_open=True)
    result.browser_cpu_concurrent_s = cpu_seconds_of(CHROMIUM) - before
    result.concurrent = [visit for visit, _ in opened]
    for _, context in opened:
        await context.close()
    errors = sum(1 for v in result.concurrent if v.error)
    log(
        f"  {concurrent_sessions} sessions at once on /{MAP_PAGE}: "
        f"max {max(v.seconds for v in result.concurrent):.2f} s, {errors} errors"
    )


async def _context(browser, floor, app, result, concurrent_sessions, log, pause: float = 1) -> None:
    """What the concurrency figure is made of: the floor page in the same harness (20
    browsers on this machine), and the server's part without browsers (``pause``: 0, one
    visit alone, no pause)."""
    await asyncio.sleep(2 * pause)
    result.floor_concurrent = await browser.visit_many(floor.url, ("plotly",), concurrent_sessions)
    log(
        f"  {concurrent_sessions} sessions at once on the floor page: "
        f"max {max(v.seconds for v in result.floor_concurrent):.2f} s"
    )
    if pause:
        await protocol.run_page(app.url, MAP_PAGE)
    for _ in range(5 if pause else 1):
        result.server_single.append(await protocol.run_page(app.url, MAP_PAGE))
    result.server_concurrent = await protocol.run_many(app.url, MAP_PAGE, concurrent_sessions)
    log(
        f"  server only (websocket, no browser): /{MAP_PAGE} "
        f"{statistics.median(r.seconds for r in result.server_single):.3f} s alone, "
        f"max {max(r.seconds for r in result.server_concurrent):.2f} s for "
        f"{concurrent_sessions} at once"
    )


def _log_visit(log, label: str, visit: Visit) -> None:
    what = f"error: {visit.error}" if visit.error else visit.drawn
    log(f"  {label}: {visit.seconds:.2f} s ({what})")
