"""Area geometry: repair, coverage-preserving simplification, reprojection and WKB."""

from __future__ import annotations

from functools import cache

import numpy as np
import shapely
from pyproj import CRS, Transformer

RD_NEW = CRS.from_epsg(28992)
WGS84 = CRS.from_epsg(4326)
DECIMALS = 5  # ~1 m: plenty for display, and identical input coordinates round identically
COARSE_DECIMALS = 3  # ~70 x 110 m: below the 500 m of the coarse national wijk geometry
POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
# Extent of RD New coordinates of the Netherlands (with a margin), to recognise undeclared RD.
RD_BOUNDS = (-30_000.0, 280_000.0, 320_000.0, 650_000.0)


def repair(geoms: np.ndarray) -> np.ndarray:
    """Valid polygonal geometries; invalid ones made valid keeping only polygonal parts.

    Lines or points left by a collapsed ring are dropped; what has no area left becomes None.
    """
    geoms = np.asarray(geoms, dtype=object)
    fixed = geoms.copy()
    present = ~shapely.is_missing(geoms)
    invalid = present & ~shapely.is_valid(geoms)
    fixed[invalid] = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
    polygonal = np.isin(shapely.get_type_id(fixed), POLYGONAL) & ~shapely.is_empty(fixed)
    fixed[~polygonal] = None
    return fixed


@cache
def _transformer(source: CRS, target: CRS) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def reproject(geoms: np.ndarray, source: CRS, target: CRS) -> np.ndarray:
    """Geometries transformed from ``source`` to ``target`` (x = lon/east, y = lat/north)."""
    geoms = np.asarray(geoms, dtype=object)
    if CRS(source) == CRS(target):
        return geoms
    transformer = _transformer(CRS(source), CRS(target))

    def move(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, move)


def looks_like_rd(geoms: np.ndarray) -> bool:
    """Whether coordinates said to be lon/lat are in fact RD New metres."""
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    lonlat = xmin >= -180 and xmax <= 180 and ymin >= -90 and ymax <= 90
    rx0, ry0, rx1, ry1 = RD_BOUNDS
    return not lonlat and rx0 <= xmin and xmax <= rx1 and ry0 <= ymin and ymax <= ry1


def simplify_coverage(geoms: np.ndarray, tolerance: float, gap_width: float) -> np.ndarray:
    """Simplify a set of neighbouring polygons (metres) so that they keep sharing borders.

    When the polygons do not form a clean coverage (overlaps, edges that do not match, as in
    files that were simplified polygon by polygon) they are cleaned first: an overlap goes to
    the smaller polygon (so an area drawn inside another keeps its shape), vertices closer
    than a fifth of ``tolerance`` are snapped together and gaps narrower than ``gap_width``
    are closed. Then shapely.coverage_simplify (Visvalingam-Whyatt on the shared edges)
    removes detail below ``tolerance``. Missing geometries stay None; one that the cleaning
    left empty keeps its own, separately simplified, shape.
    """
    geoms = np.asarray(geoms, dtype=object)
    result = geoms.copy()
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return result
    cover = geoms[present]
    if not shapely.coverage_is_valid(cover):
        snap = tolerance / 5 if tolerance > 0 else -1  # vertices of one border drawn twice
        cover = shapely.coverage_clean(
            cover, gap_width=gap_width, snapping_distance=snap, merge_strategy="min_area"
        )
    if tolerance > 0:
        cover = shapely.coverage_simplify(cover, tolerance)
    lost = shapely.is_empty(cover) | (shapely.area(cover) == 0)
    if lost.any():
        cover[lost] = shapely.simplify(geoms[present][lost], tolerance)
    result[present] = cover
    return result


def simplify_further(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify the output of simplify_coverage() once more, for a coarser map.

    Its borders are shared already, so cleaning again (the slow part) is not needed; an area
    that would vanish keeps its less simplified shape.
    """
    geoms = np.asarray(geoms, dtype=object)
    result = geoms.copy()
    present = ~shapely.is_missing(geoms)
    if not present.any():
        return result
    cover = shapely.coverage_simplify(geoms[present], tolerance)
    lost = shapely.is_empty(cover) | (shapely.area(cover) == 0)
    cover[lost] = geoms[present][lost]
    result[present] = cover
    return result


def round_coordinates(geoms: np.ndarray, decimals: int = DECIMALS) -> np.ndarray:
    """Coordinates rounded to ``decimals``, exterior rings counter-clockwise (RFC 7946).

    Equal coordinates round equally, so shared borders stay shared; the rare polygon that
    rounding made invalid is repaired.
    """
    rounded = shapely.transform(np.asarray(geoms, dtype=object), lambda c: np.round(c, decimals))
    return shapely.orient_polygons(repair(rounded), exterior_cw=False)


def to_wkb(geoms: np.ndarray) -> list[bytes | None]:
    """ISO WKB (2D) of each geometry, None where missing."""
    wkb = shapely.to_wkb(np.asarray(geoms, dtype=object), output_dimension=2, flavor="iso")
    return wkb.tolist()
