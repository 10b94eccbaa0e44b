"""Map payload: the plotly figure /kaart sends for all wijken of the country and for one large
gemeente, as Streamlit serialises it (AppTest runs the real page), and the server time."""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from wijkimpact.config import PROJECT_ROOT

KAART = "pages/kaart.py"


@dataclass
class MapFigure:
    """One map as /kaart draws it."""

    gemeente: str | None
    bytes: int  # what a first visit sends: the figure JSON (Streamlit's spec) and the GeoJSON
    geometry_bytes: int  # of which the GeoJSON of the areas (a static file, or in the figure)
    areas: int  # features in the GeoJSON
    cold_s: float  # running the page with empty caches for this map
    warm_s: float  # running it again (cached)
    page_bytes: int = 0  # every delta of the page run (map, table, widgets ...)
    figure_bytes: int = 0  # the figure JSON alone: what a rerun sends (the file is fetched once)
    geometry_url: str | None = None  # where the browser fetches the GeoJSON from, if a file
    level: str = "wijk"  # wijk or buurt

    def as_dict(self) -> dict:
        """Plain values for the JSON report."""
        return asdict(self)


@contextmanager
def _app_environment(db: Path):
    old_db, old_cwd = os.environ.get("WIJKIMPACT_DB"), Path.cwd()
    os.environ["WIJKIMPACT_DB"] = str(db)
    os.environ["WIJKIMPACT_MODE"] = "demo"  # the app serves data only in a mode it is given
    os.chdir(PROJECT_ROOT)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        if old_db is None:
            os.environ.pop("WIJKIMPACT_DB", None)
        else:
            os.environ["WIJKIMPACT_DB"] = old_db


def measure(db: Path, gemeente: str | None, level: str | None = None) -> MapFigure:
    """Run /kaart for all gemeenten (``gemeente`` None) or one, in AppTest, twice; ``level``
    (buurt): chosen on the page first, the map of that level measured."""
    from streamlit.testing.v1 import AppTest

    with _app_environment(db):
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600).run()
        _raise(at)
        if gemeente is not None:
            at.sidebar.selectbox(key="gemeente").select(gemeente).run()
            _raise(at)
        at.switch_page(KAART)
        if level is not None:  # the level is chosen on the map page itself
            at.run()
            _raise(at)
            at.radio(key="kaart_niveau").set_value(level)
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        _raise(at)
        spec = _map_spec(at)
        page_bytes = _bytes(at.main)
        started = time.perf_counter()
        at.run()
        warm = time.perf_counter() - started
    figure = json.loads(spec)
    figure = figure.get("figure", figure)  # the SVG map's component: the figure in its data
    geo = next((t.get("geojson") for t in figure.get("data", []) if t.get("geojson")), None)
    url = geo if isinstance(geo, str) else None
    # a static file (wijkimpact.kaart.static_files): fetched once by the browser
    if url is not None:
        geo = json.loads(static_file(url).read_text(encoding="utf-8"))
        geometry = static_file(url).stat().st_size
        total = len(spec.encode()) + geometry
    else:
        geometry = len(json.dumps(geo, separators=(",", ":")).encode()) if geo else 0
        total = len(spec.encode())
    areas = len(geo.get("features", [])) if isinstance(geo, dict) else 0
    return MapFigure(
        gemeente,
        total,
        geometry,
        areas,
        cold,
        warm,
        page_bytes,
        len(spec.encode()),
        url,
        level or "wijk",
    )


def static_file(url: str) -> Path:
    """The file behind a /app/static/... URL (Streamlit serves static/ beside app.py)."""
    relative = url.split("/app/static/", 1)[1]
    return PROJECT_ROOT / "static" / relative


def _bytes(node) -> int:
    """Protobuf bytes of every element under ``node`` (what the browser gets, roughly)."""
    total = 0
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "ByteSize"):
        total += proto.ByteSize()
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        total += sum(_bytes(child) for child in children.values())
    return total


def _map_spec(at) -> str:
    """The map's JSON as the page sends it: the data of the SVG map's component (figure,
    config, bundle URL; ui.kaart.map_chart), or a plotly chart's spec (a MapLibre map)."""
    sent = [e.proto.bytes.decode() for e in at.get("bidi_component")]
    sent += [chart.proto.spec for chart in at.get("plotly_chart")]
    for spec in sent:
        if '"geojson"' in spec:
            return spec
    raise RuntimeError(f"/kaart drew no map ({len(sent)} charts)")


def _raise(at) -> None:
    if at.exception:
        raise RuntimeError(f"/kaart failed in AppTest: {at.exception[0].message}")
