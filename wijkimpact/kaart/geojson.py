"""Map geometry for the browser: WKB from the database to a compact GeoJSON FeatureCollection."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

import pandas as pd
import shapely

from wijkimpact.charts.map_parts import NAME_PROPERTY  # where the map's hovers read a name


def _geometries(shapes: pd.DataFrame):
    # DuckDB hands BLOBs over as bytearray; shapely wants bytes
    return shapely.from_wkb([bytes(g) for g in shapes["geometry"]])


def feature_collection(shapes: pd.DataFrame, compact: bool = False) -> dict:
    """GeoJSON FeatureCollection with the area code as feature id (vectorised over the rows).

    ``compact`` leaves out each feature's ``type`` and empty ``properties``: plotly's map
    traces read only ``id`` and ``geometry``, and for the 3,455 wijken of the Netherlands that
    is 100 kB less to send. Use it only for plotly figures.
    """
    return json.loads(feature_collection_text(shapes, compact))


def feature_collection_text(
    shapes: pd.DataFrame, compact: bool = True, names: Sequence[str] | None = None
) -> str:
    """feature_collection() as JSON text, written by GEOS without a Python object per point
    (compact by default: for plotly, which reads only ``id`` and ``geometry``, with the outer
    rings clockwise as its SVG maps need). ``names``: each area's hover name (escaped for
    plotly), kept in its feature's properties under NAME_PROPERTY, where a map's hover reads it
    (``%{properties.naam}``), so that the file, fetched once, carries them instead of every
    session's figure."""
    geometries = _geometries(shapes)
    if compact:  # plotly's SVG maps (d3-geo) need exterior rings clockwise; MapLibre takes both
        geometries = shapely.orient_polygons(geometries, exterior_cw=True)
    texts = shapely.to_geojson(geometries)
    if names is None:
        heads = ["{" if compact else '{"type":"Feature","properties":{},'] * len(shapes)
    else:
        kind = "" if compact else '"type":"Feature",'
        heads = [f'{{{kind}"properties":{{"{NAME_PROPERTY}":{json.dumps(n)}}},' for n in names]
    features = [
        f'{head}"id":{json.dumps(code)},"geometry":{text}}}'
        for head, code, text in zip(heads, shapes["area_code"], texts, strict=True)
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def fit_view(shapes: pd.DataFrame, width: int = 900, height: int = 620) -> dict:
    """Centre and zoom at which every area of ``shapes`` fills a map of about ``width`` x
    ``height`` pixels (MapLibre: 512-pixel tiles, Web Mercator); the Netherlands when empty."""
    if shapes.empty:
        return {"center": {"lat": 52.15, "lon": 5.3}, "zoom": 6.3}
    min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(_geometries(shapes))

    def mercator_y(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x = max(max_lon - min_lon, 1e-4)
    span_y = max(mercator_y(max_lat) - mercator_y(min_lat), 1e-4)
    zoom = min(math.log2(width * 360 / (512 * span_x)), math.log2(height * 360 / (512 * span_y)))
    centre_y = (mercator_y(min_lat) + mercator_y(max_lat)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(math.radians(centre_y))) - math.pi / 2)
    return {
        "center": {"lat": centre_lat, "lon": (min_lon + max_lon) / 2},
        "zoom": max(min(zoom - 0.25, 15.0), 5.0),  # a margin around the areas
    }


def view_of(shapes: pd.DataFrame) -> dict:
    """Centre and zoom that show every area of ``shapes`` (the Netherlands when empty)."""
    if shapes.empty:
        return {"center": {"lat": 52.2, "lon": 5.3}, "zoom": 6.2}
    bounds = shapely.total_bounds(_geometries(shapes))
    min_lon, min_lat, max_lon, max_lat = bounds
    span = max(max_lon - min_lon, (max_lat - min_lat) * 1.6, 1e-4)
    zoom = max(min(math.log2(360 / span) - 0.9, 15.0), 5.0)
    return {
        "center": {"lat": (min_lat + max_lat) / 2, "lon": (min_lon + max_lon) / 2},
        "zoom": zoom,
    }


NL_BOUNDS = (3.31, 50.75, 7.23, 53.56)  # min lon, min lat, max lon, max lat


def fit_ranges(shapes: pd.DataFrame, margin: float = 0.03) -> dict:
    """plotly geo ``lonaxis``/``lataxis`` ranges around every area of ``shapes`` (a margin of
    ``margin`` of the span each side); the Netherlands when empty. The SVG map is fitted to
    these instead of to its features (``fitbounds``), which spares the browser a pass over
    every point."""
    if shapes.empty:
        min_lon, min_lat, max_lon, max_lat = NL_BOUNDS
    else:
        min_lon, min_lat, max_lon, max_lat = shapely.total_bounds(_geometries(shapes))
    pad_lon = max(max_lon - min_lon, 1e-3) * margin
    pad_lat = max(max_lat - min_lat, 1e-3) * margin
    return {
        "lonaxis": {"range": [round(min_lon - pad_lon, 4), round(max_lon + pad_lon, 4)]},
        "lataxis": {"range": [round(min_lat - pad_lat, 4), round(max_lat + pad_lat, 4)]},
    }
