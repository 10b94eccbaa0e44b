"""Map settings: basemap (white offline, tiles when allowed) and which geometry a map uses."""

from __future__ import annotations

import os
from collections.abc import Mapping

from wijkimpact.i18n import N_

TILES_ENV = "WIJKIMPACT_MAP_TILES"
TILE_URL_ENV = "WIJKIMPACT_MAP_TILE_URL"  # another raster tile server, e.g. one of your own
WHITE = "white-bg"  # plotly's MapLibre style without tiles: works offline
# Street tiles as a raster layer on the white style, not as a MapLibre style ("carto-positron"):
# without internet a style that cannot be fetched leaves the whole map empty, while a layer
# that cannot be fetched leaves only the background white.
TILE_URL = "https://basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = "© OpenStreetMap-bijdragers, © CARTO"
LEVEL_LABELS = {"wijk": N_("Wijken"), "buurt": N_("Buurten")}  # translate where shown
# More areas than this in a map of all gemeenten: use the coarse geometry (about 250 m,
# invisible at national zoom where a pixel is 500 m or more), else the detailed one.
COARSE_ABOVE = 500
# A national buurt map (13,000+ buurten) is too heavy for a browser: choose a gemeente first.
NATIONAL_BUURTEN_MAX = 2_000
# More enterprises than this on one map (all of NL): no dots unless asked for; a thousand dots
# hide the areas and double what the browser draws. One gemeente: always dots.
MANY_MARKERS = 200
MANY_AREAS = 300  # thinner borders above this, or the borders hide the colours


def tiles_default(environ: Mapping[str, str] | None = None) -> bool:
    """Whether map tiles are on by default: WIJKIMPACT_MAP_TILES=1 (or ja/true/on)."""
    value = (environ if environ is not None else os.environ).get(TILES_ENV, "")
    return value.strip().lower() in {"1", "ja", "true", "on", "yes"}


def map_style(tiles: bool) -> str:
    """The MapLibre style: always the white background (tiles come as a layer on it)."""
    return WHITE


def tile_layers(tiles: bool, environ: Mapping[str, str] | None = None) -> list[dict]:
    """plotly ``layout.map.layers``: the street tiles under the areas when asked for."""
    if not tiles:
        return []
    url = (environ if environ is not None else os.environ).get(TILE_URL_ENV, "").strip()
    return [
        {
            "sourcetype": "raster",
            "source": [url or TILE_URL],
            "sourceattribution": TILE_ATTRIBUTION,
            "below": "traces",
        }
    ]


def levels_shown(counts: Mapping[str, int], gemeente: str | None) -> list[str]:
    """The levels the map offers: wijk and buurt when loaded (buurten of all of NL only when
    there are few enough to draw)."""
    shown = [level for level in LEVEL_LABELS if counts.get(level, 0) > 0]
    if gemeente is None and counts.get("buurt", 0) > NATIONAL_BUURTEN_MAX:
        shown = [level for level in shown if level != "buurt"]
    return shown


def use_coarse(gemeente: str | None, areas: int) -> bool:
    """Coarse geometry for a map of many areas across gemeenten; detailed for one gemeente."""
    return gemeente is None and areas > COARSE_ABOVE


def border_width(areas: int) -> float:
    """Border line width in pixels: thin when there are many areas."""
    return 0.3 if areas > MANY_AREAS else 0.8


def markers_default(enterprises: int, gemeente: str | None) -> bool:
    """Whether the map shows enterprises as dots before the user chooses: for one gemeente
    always, for all of them when there are few enough."""
    return gemeente is not None or enterprises <= MANY_MARKERS
