"""Map geometry as a static file: written once per database version, level and area choice,
fetched once by the browser (plotly reads a GeoJSON URL and keeps it for the page's lifetime),
so a rerun of /kaart sends only the values, never the shapes again.

Streamlit serves the folder ``static/`` beside app.py at ``/app/static/`` when
``server.enableStaticServing`` is on (.streamlit/config.toml). When it is off, or the folder
cannot be written, the map falls back to sending the GeoJSON inline with the figure.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from plotly.offline import get_plotlyjs_version

from wijkimpact.config import PROJECT_ROOT

FOLDER = "kaart"  # under static/
# plotly's geo maps (SVG) always fetch a world map (topojson) for land and sea, from a CDN by
# default: offline nothing would be drawn. Wijkimpact draws its own areas and shows no land or
# sea, so it serves an empty world of its own: GEO_FOLDER/world_110m.json (and _50m).
GEO_FOLDER = "geo"
EMPTY_WORLD = json.dumps(
    {
        "type": "Topology",
        "objects": {
            layer: {"type": "GeometryCollection", "geometries": []}
            for layer in ("land", "ocean", "lakes", "rivers", "countries", "subunits", "coastlines")
        },
        "arcs": [],
        "transform": {"scale": [1, 1], "translate": [0, 0]},
    }
)
# plotly's geo bundle (npm: plotly.js-geo-dist-min, MIT): the code of plotly's SVG maps alone,
# 1.4 MB against the 4.7 MB of the whole plotly.js that Streamlit's chart element loads. Kept in
# the repository under JS_FOLDER for the plotly.js version the installed plotly package writes
# figures for; scripts/plotly_geo_bundle.py fetches it for another version.
JS_FOLDER = "js"
STATIC_ROOT = PROJECT_ROOT / "static"
KEEP_OLD_S = 3600  # files of older database versions: removed an hour after they were replaced
# What a file holds, in its name too: a server of a new release does not take a file an older
# one wrote for the same database (2: the hover names in each feature's properties)
FORMAT = 2


def file_name(version: str, level: str, gemeente: str | None, coarse: bool) -> str:
    """A name that changes with the database version, the choice and the FORMAT, and says
    which choice it is."""
    scope = gemeente or "nl"
    digest = hashlib.sha1(f"{FORMAT}:{version}".encode()).hexdigest()[:12]
    return f"{digest}-{level}-{scope}{'-grof' if coarse else ''}.json"


def publish(name: str, text: str, root: Path = STATIC_ROOT) -> Path | None:
    """Write ``text`` to static/kaart/``name`` atomically (once); None when not writable.
    Files of database versions replaced more than an hour ago are removed."""
    target = root / FOLDER / name
    if target.exists():
        return target
    if _write_once(target, text) is None:
        return None
    _remove_stale(target.parent, name.split("-", 1)[0])
    return target


def publish_empty_world(root: Path = STATIC_ROOT) -> Path | None:
    """The empty world map plotly's geo maps fetch (see GEO_FOLDER); the folder, or None
    when it cannot be written."""
    for name in ("world_110m.json", "world_50m.json"):
        if _write_once(root / GEO_FOLDER / name, EMPTY_WORLD) is None:
            return None
    return root / GEO_FOLDER


def _write_once(target: Path, text: str) -> Path | None:
    folder = target.parent
    if target.exists():
        return target
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError:
        return None
    return target


def url(path: Path, root: Path = STATIC_ROOT, base_path: str = "") -> str:
    """The URL path the browser fetches ``path`` from (``base_path``: server.baseUrlPath)."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{base}/app/static/{path.relative_to(root).as_posix()}"


def svg_config(base_path: str = "", root: Path = STATIC_ROOT) -> dict | None:
    """The plotly config an SVG (geo) map needs: where its world map is (``topojsonURL``,
    ending in /); None when the folder cannot be written: then draw maps with MapLibre, which
    needs no world map. Only for a server that serves static/ (ui.kaart.map_store checks)."""
    folder = publish_empty_world(root)
    if folder is None:
        return None
    return {"topojsonURL": url(folder, root, base_path) + "/"}


def plotly_geo_bundle(root: Path = STATIC_ROOT) -> Path:
    """Where plotly's geo bundle for the installed plotly's plotly.js is (see JS_FOLDER)."""
    return root / JS_FOLDER / f"plotly-geo-{get_plotlyjs_version()}.min.js"


def _remove_stale(folder: Path, current: str) -> None:
    cutoff = time.time() - KEEP_OLD_S
    for old in folder.glob("*.json"):
        try:
            if not old.name.startswith(current) and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue
