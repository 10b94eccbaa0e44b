"""Map geometry as a static file: written once per database version, level and area choice,
fetched once by the browser (plotly reads a GeoJSON URL and keeps it for the page's lifetime),
so a rerun of /kaart sends only the values, never the shapes again.

Streamlit serves the folder ``static/`` beside app.py at ``/app/static/`` when
``server.enableStaticServing`` is on (.streamlit/config.toml). When it is off, or the folder
cannot be written, the map falls back to sending the GeoJSON inline with the figure.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path

from wijkimpact.config import PROJECT_ROOT

FOLDER = "kaart"  # under static/
STATIC_ROOT = PROJECT_ROOT / "static"
KEEP_OLD_S = 3600  # files of older database versions: removed an hour after they were replaced


def static_serving() -> bool:
    """Whether Streamlit serves static/ (server.enableStaticServing)."""
    import streamlit as st

    try:
        return bool(st.get_option("server.enableStaticServing"))
    except RuntimeError:
        return False


def file_name(version: str, level: str, gemeente: str | None, coarse: bool) -> str:
    """A name that changes with the database version and the choice, and says which it is."""
    scope = gemeente or "nl"
    digest = hashlib.sha1(version.encode()).hexdigest()[:12]
    return f"{digest}-{level}-{scope}{'-grof' if coarse else ''}.json"


def publish(name: str, text: str, root: Path = STATIC_ROOT) -> Path | None:
    """Write ``text`` to static/kaart/``name`` atomically (once); None when not writable.
    Files of database versions replaced more than an hour ago are removed."""
    folder = root / FOLDER
    target = folder / name
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
    _remove_stale(folder, name.split("-", 1)[0])
    return target


def url(path: Path, root: Path = STATIC_ROOT, base_path: str = "") -> str:
    """The URL path the browser fetches ``path`` from (``base_path``: server.baseUrlPath)."""
    base = "/" + base_path.strip("/") if base_path.strip("/") else ""
    return f"{base}/app/static/{path.relative_to(root).as_posix()}"


def _remove_stale(folder: Path, current: str) -> None:
    cutoff = time.time() - KEEP_OLD_S
    for old in folder.glob("*.json"):
        try:
            if not old.name.startswith(current) and old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            continue
