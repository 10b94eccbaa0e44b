"""The fictional municipality Demostad (GM9999) and its 12 wijken, as RD and WGS84 polygons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from etl.demo import geometry

GEMEENTE_CODE = "GM9999"
GEMEENTE_NAAM = "Demostad"
# In the order of the seeds: the historic centre, the inner ring, the middle ring, the outer ring.
WIJK_NAMES = (
    "Centrum",
    "Oude Haven",
    "Molenkwartier",
    "Vogelbuurt",
    "Schildersbuurt",
    "Kerkebuurt",
    "Parkwijk",
    "Bloemenwijk",
    "Hoge Akker",
    "Bosrand",
    "De Nieuwe Weide",
    "Noorderhout",
)


@dataclass(frozen=True)
class Wijk:
    """One wijk: code, name, polygon in RD metres and in rounded WGS84, land area, neighbours."""

    code: str
    name: str
    rd: Polygon
    wgs84: Polygon
    area_ha: float
    neighbours: tuple[str, ...]


@dataclass(frozen=True)
class Town:
    """The municipality: its wijken in code order and its outline (the union of the wijken)."""

    wijken: tuple[Wijk, ...]
    wgs84: Polygon
    area_ha: float

    def wijk(self, code: str) -> Wijk:
        """Return the wijk with this code."""
        return next(w for w in self.wijken if w.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        """The wijk codes in order."""
        return tuple(w.code for w in self.wijken)


def wijk_code(number: int) -> str:
    """Return the CBS-style code of wijk number 1..12, e.g. WK999901."""
    return f"WK{GEMEENTE_CODE[2:]}{number:02d}"


def build_town(rng: np.random.Generator) -> Town:
    """Build the outline, tile it into 12 wijken and reproject the coverage to WGS84."""
    outline = geometry.town_outline(rng)
    seeds = geometry.relax(geometry.seed_points(rng, outline), outline)
    cells = geometry.tile(seeds, outline)
    if len(cells) != len(WIJK_NAMES):
        raise ValueError(f"expected {len(WIJK_NAMES)} cells, got {len(cells)}")
    projected = [geometry.to_wgs84(cell) for cell in cells]
    if not all(p.is_valid for p in projected) or not shapely.coverage_is_valid(projected):
        raise ValueError("the rounded WGS84 wijken do not form a valid coverage")
    codes = [wijk_code(i + 1) for i in range(len(cells))]
    wijken = []
    for i, (cell, wgs) in enumerate(zip(cells, projected, strict=True)):
        neighbours = tuple(
            codes[j]
            for j, other in enumerate(cells)
            if j != i and cell.boundary.intersection(other.boundary).length > 1.0
        )
        wijken.append(
            Wijk(codes[i], WIJK_NAMES[i], cell, wgs, round(cell.area / 10_000.0, 1), neighbours)
        )
    gemeente = shapely.orient_polygons(shapely.coverage_union_all(projected))
    if gemeente.geom_type != "Polygon" or not gemeente.is_valid:
        raise ValueError("the union of the wijken is not a single valid polygon")
    area_ha = round(sum(cell.area for cell in cells) / 10_000.0, 1)
    return Town(tuple(wijken), gemeente, area_ha)


def random_point_in(
    rng: np.random.Generator, wijk: Wijk, margin: float = 60.0
) -> tuple[float, float]:
    """Return a random (lon, lat) inside the wijk, at least `margin` metres from its border."""
    inner = wijk.rd.buffer(-margin)
    min_x, min_y, max_x, max_y = inner.bounds
    for _ in range(1_000):
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if inner.contains(Point(x, y)):
            lon, lat = geometry.rd_point_to_wgs84(x, y)
            if wijk.wgs84.contains(Point(lon, lat)):
                return lon, lat
    raise ValueError(f"no point found inside {wijk.code}")


def _coordinates(polygon: Polygon) -> list[list[list[float]]]:
    """Return GeoJSON polygon coordinates: rings of [lon, lat] pairs."""
    rings = [polygon.exterior, *polygon.interiors]
    return [[[float(x), float(y)] for x, y in ring.coords] for ring in rings]


def _feature(properties: dict, polygon: Polygon) -> dict:
    """Return one GeoJSON Polygon feature."""
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": _coordinates(polygon)},
    }


MAP_YEAR = 2024  # the edition of the (fictional) wijk- en buurtkaart


def wijken_geojson(town: Town) -> dict:
    """Return the FeatureCollection of the wijken in code order."""
    features = [
        _feature(
            {
                "wijkcode": w.code,
                "wijknaam": w.name,
                "gemeentecode": GEMEENTE_CODE,
                "gemeentenaam": GEMEENTE_NAAM,
                "water": "NEE",
                "jaar": MAP_YEAR,
                "oppervlakte_land_ha": w.area_ha,
            },
            w.wgs84,
        )
        for w in town.wijken
    ]
    return {"type": "FeatureCollection", "features": features}


def gemeente_geojson(town: Town) -> dict:
    """Return the FeatureCollection with the single gemeente feature."""
    properties = {
        "gemeentecode": GEMEENTE_CODE,
        "gemeentenaam": GEMEENTE_NAAM,
        "water": "NEE",
        "jaar": MAP_YEAR,
        "oppervlakte_land_ha": town.area_ha,
    }
    return {"type": "FeatureCollection", "features": [_feature(properties, town.wgs84)]}
