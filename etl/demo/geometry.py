"""Town geometry for Demostad: a noisy outline with a river edge, tiled into Voronoi cells."""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import MultiPoint, Point, Polygon

# Town centre in RD New metres (EPSG:28992), somewhere in the middle of the Netherlands.
CENTRE_X = 190_000.0
CENTRE_Y = 470_000.0
RADIUS_X = 3_100.0  # half width of the town, metres
RADIUS_Y = 2_800.0  # half height of the town, metres
RIVER_Y = -2_000.0  # mean offset of the river (south edge) from the centre, metres
OLD_TOWN = (-300.0, -1_250.0)  # offset of the historic centre, close to the river
# Rings of seeds: (count, min radius, max radius, pull of the ring centre towards the town centre).
RING_SEEDS = ((2, 350.0, 650.0, 0.0), (5, 1_250.0, 1_600.0, 0.4), (4, 2_200.0, 2_600.0, 0.8))
LLOYD_STEPS = 2
LLOYD_DAMPING = 0.5
COORD_DECIMALS = 6

_TO_WGS84 = Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def town_outline(rng: np.random.Generator) -> Polygon:
    """Return the town outline in RD metres: a noisy ellipse cut off by a meandering river."""
    theta = np.linspace(0.0, 2.0 * np.pi, 96, endpoint=False)
    radius = np.ones_like(theta)
    for k in range(2, 14):
        amplitude = rng.uniform(0.01, 0.06) / (k - 1) ** 0.75
        radius += amplitude * np.cos(k * theta + rng.uniform(0.0, 2.0 * np.pi))
    blob = Polygon(
        np.column_stack(
            [
                CENTRE_X + RADIUS_X * radius * np.cos(theta),
                CENTRE_Y + RADIUS_Y * radius * np.sin(theta),
            ]
        )
    )
    xs = np.arange(-4_200.0, 4_201.0, 175.0)
    phase1, phase2 = rng.uniform(0.0, 2.0 * np.pi, size=2)
    ys = RIVER_Y + 260.0 * np.sin(2 * np.pi * xs / 3_400.0 + phase1)
    ys += 90.0 * np.sin(2 * np.pi * xs / 1_100.0 + phase2)
    river = list(zip(CENTRE_X + xs, CENTRE_Y + ys, strict=True))
    north = Polygon(
        [*river, (CENTRE_X + 4_200.0, CENTRE_Y + 4_000.0), (CENTRE_X - 4_200.0, CENTRE_Y + 4_000.0)]
    )
    outline = shapely.set_precision(blob.intersection(north), 0.01)
    if outline.geom_type == "MultiPolygon":
        outline = max(outline.geoms, key=lambda part: part.area)
    return outline


def seed_points(rng: np.random.Generator, outline: Polygon) -> np.ndarray:
    """Return one seed per wijk: a tight inner ring around the old town and wider outer rings."""
    points = [(CENTRE_X + OLD_TOWN[0], CENTRE_Y + OLD_TOWN[1])]
    for count, r_min, r_max, pull in RING_SEEDS:
        cx = CENTRE_X + (1.0 - pull) * OLD_TOWN[0]
        cy = CENTRE_Y + (1.0 - pull) * OLD_TOWN[1]
        start = rng.uniform(0.0, 2.0 * np.pi)
        ring = []
        for i in range(count):
            angle = start + 2.0 * np.pi * i / count + rng.uniform(-0.25, 0.25)
            for _ in range(50):
                r = rng.uniform(r_min, r_max)
                x, y = cx + r * np.cos(angle), cy + 0.85 * r * np.sin(angle)
                if outline.contains(Point(x, y)):
                    break
                # The river cuts the southern part off: swing the seed towards the north.
                angle = angle + (0.3 if np.sin(angle) < 0 and np.cos(angle) > 0 else -0.3)
            else:
                x, y = shapely.get_coordinates(outline.point_on_surface())[0]
            ring.append((x, y))
        # Number each ring clockwise starting in the north, like a town map would.
        ring.sort(key=lambda p: float(np.arctan2(p[0] - cx, p[1] - cy)) % (2.0 * np.pi))
        points.extend(ring)
    return np.array(points)


def voronoi_cells(points: np.ndarray, outline: Polygon) -> list[Polygon]:
    """Return the unclipped Voronoi cell of each point, in the order of the points."""
    envelope = outline.envelope.buffer(2_000.0)
    cells = list(shapely.voronoi_polygons(MultiPoint(points), extend_to=envelope).geoms)
    return [next(c for c in cells if c.contains(Point(x, y))) for x, y in points]


def relax(points: np.ndarray, outline: Polygon) -> np.ndarray:
    """Move the seeds part of the way towards the centroids of their cells (damped Lloyd steps)."""
    for _ in range(LLOYD_STEPS):
        cells = [c.intersection(outline) for c in voronoi_cells(points, outline)]
        centroids = np.array([shapely.get_coordinates(c.centroid)[0] for c in cells])
        points = points + LLOYD_DAMPING * (centroids - points)
    return points


def tile(points: np.ndarray, outline: Polygon) -> list[Polygon]:
    """Cut the outline into one polygon per point so that neighbours share identical vertices.

    The outline and all cell borders are noded together and polygonized, so each shared border
    consists of the very same vertices on both sides. A piece of a cell that the outline cuts
    off from the rest goes to the neighbour it shares the longest border with.
    """
    cells = voronoi_cells(points, outline)
    lines = shapely.union_all([outline.exterior, *(c.exterior for c in cells)])
    faces = [f for f in shapely.polygonize(shapely.get_parts(lines)).geoms]
    faces = [f for f in faces if outline.contains(f.point_on_surface())]
    owner = [
        next(i for i, c in enumerate(cells) if c.contains(f.point_on_surface())) for f in faces
    ]
    for _ in range(len(faces)):
        moved = False
        for i in range(len(points)):
            mine = [k for k, o in enumerate(owner) if o == i]
            merged = shapely.coverage_union_all([faces[k] for k in mine])
            if merged.geom_type == "Polygon":
                continue
            main = max(merged.geoms, key=lambda part: part.area)
            for k in mine:
                if not main.contains(faces[k].point_on_surface()):
                    owner[k] = _longest_border_owner(k, faces, owner)
                    moved = True
        if not moved:
            break
    polygons = []
    for i in range(len(points)):
        merged = shapely.coverage_union_all(
            [f for f, o in zip(faces, owner, strict=True) if o == i]
        )
        if merged.geom_type != "Polygon":
            raise ValueError(f"cell {i} is not a single polygon but a {merged.geom_type}")
        polygons.append(shapely.orient_polygons(merged))
    return polygons


def _longest_border_owner(k: int, faces: list[Polygon], owner: list[int]) -> int:
    """Return the owner, other than face k's own, of the face sharing the longest border with k."""
    best, best_length = owner[k], 0.0
    for j, face in enumerate(faces):
        if owner[j] == owner[k]:
            continue
        length = faces[k].boundary.intersection(face.boundary).length
        if length > best_length:
            best, best_length = owner[j], length
    return best


def to_wgs84(geometry: shapely.Geometry) -> shapely.Geometry:
    """Reproject a geometry from RD New to WGS84 lon/lat, rounded to 6 decimals per vertex.

    Every vertex is projected and rounded on its own, so a vertex shared by two polygons ends up
    identical in both.
    """

    def project(coords: np.ndarray) -> np.ndarray:
        lon, lat = _TO_WGS84.transform(coords[:, 0], coords[:, 1])
        return np.round(np.column_stack([lon, lat]), COORD_DECIMALS)

    return shapely.transform(geometry, project)


def rd_point_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Return (lon, lat) of an RD point, rounded to 6 decimals."""
    lon, lat = _TO_WGS84.transform(x, y)
    return round(float(lon), COORD_DECIMALS), round(float(lat), COORD_DECIMALS)
