"""The areas of the benchmark: the real national wijken from ../shared, or synthetic ones.

The synthetic fallback has the same number of wijken in about as many gemeenten, one of them
as large as Amsterdam, with wavy borders that neighbours share (so simplification and payload
behave like real borders). Both are GeoJSON files that ``python -m etl areas`` reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from etl.demo.writers import geojson_bytes, write_bytes
from wijkimpact.config import PROJECT_ROOT

REAL_DIR = PROJECT_ROOT.parent / "shared" / "data" / "real"
REAL_WIJKEN = REAL_DIR / "wijken_2024.geojson"
REAL_GEMEENTEN = REAL_DIR / "gemeenten_2024.geojson"
NATIONAL_WIJKEN = 3455  # wijken in wijken_2024.geojson (all of NL but two gemeenten)
LARGE_GEMEENTE = "GM0363"  # Amsterdam: 111 wijken
LARGE_WIJKEN = 111
NOT_A_PLACE = {"GM0998"}  # Buitenland (Baarle enclaves): no enterprises there
NL_BOX = (3.4, 50.8, 7.2, 53.5)  # lon/lat box of the synthetic grid


@dataclass
class AreaSet:
    """Map files to load (gemeenten first) and the wijken enterprises can be placed in."""

    kind: str  # "real" or "synthetic"
    files: list[Path]
    wijken: pd.DataFrame  # area_code, name, gemeente_code, gemeente_naam, lon, lat, inwoners
    large_gemeente: str  # a gemeente with many wijken, for the map of one gemeente


def real_available() -> bool:
    """Whether the real national wijken are there (../shared/data/real)."""
    return REAL_WIJKEN.is_file() and REAL_GEMEENTEN.is_file()


def real_areas() -> AreaSet:
    """The real wijken 2024 of the whole country (read, never copied)."""
    collection = json.loads(REAL_WIJKEN.read_text(encoding="utf-8"))
    props = pd.DataFrame([f["properties"] for f in collection["features"]])
    points = shapely.point_on_surface(
        shapely.from_geojson([json.dumps(f["geometry"]) for f in collection["features"]])
    )
    wijken = pd.DataFrame(
        {
            "area_code": props["wijkcode"],
            "name": props["wijknaam"],
            "gemeente_code": props["gemeentecode"],
            "gemeente_naam": props["gemeentenaam"],
            "lon": shapely.get_x(points),
            "lat": shapely.get_y(points),
            "inwoners": pd.to_numeric(props.get("aantal_inwoners"), errors="coerce").fillna(0),
        }
    )
    wijken = wijken[~wijken["gemeente_code"].isin(NOT_A_PLACE)].reset_index(drop=True)
    counts = wijken["gemeente_code"].value_counts()
    large = LARGE_GEMEENTE if LARGE_GEMEENTE in counts else str(counts.index[0])
    return AreaSet("real", [REAL_GEMEENTEN, REAL_WIJKEN], wijken, large)


def synthetic_areas(folder: Path, count: int = NATIONAL_WIJKEN) -> AreaSet:
    """Write ``count`` synthetic wijken (and their gemeenten) as GeoJSON into ``folder``."""
    sizes = _gemeente_sizes(count)
    side = int(np.ceil(np.sqrt(count)))
    min_lon, min_lat, max_lon, max_lat = NL_BOX
    width, height = (max_lon - min_lon) / side, (max_lat - min_lat) / side
    # boustrophedon order keeps the wijken of one gemeente next to each other
    cells = [(r, c if r % 2 == 0 else side - 1 - c) for r in range(side) for c in range(side)]
    boxes = [
        shapely.box(
            min_lon + c * width,
            min_lat + r * height,
            min_lon + (c + 1) * width,
            min_lat + (r + 1) * height,
        )
        for r, c in cells[:count]
    ]
    shapes = _wavy(np.array(boxes, dtype=object), width)
    gemeente_index = np.repeat(np.arange(len(sizes)), sizes)
    gm_codes = [f"GM{1001 + g:04d}" for g in range(len(sizes))]
    gm_codes[0] = LARGE_GEMEENTE
    rng = np.random.default_rng(count)
    rows, features, seen = [], [], {}
    for i, shape in enumerate(shapes):
        g = int(gemeente_index[i])
        seen[g] = seen.get(g, 0) + 1
        code = f"WK{gm_codes[g][2:]}{_suffix(seen[g])}"
        inwoners = int(rng.integers(500, 25_000))
        name = f"Wijk {seen[g]}"
        props = {
            "wijkcode": code,
            "wijknaam": name,
            "gemeentecode": gm_codes[g],
            "gemeentenaam": _gemeente_name(g),
            "aantal_inwoners": inwoners,
        }
        features.append(_feature(props, shape))
        point = shapely.point_on_surface(shape)
        rows.append((code, name, gm_codes[g], _gemeente_name(g), point.x, point.y, inwoners))
    wijken = pd.DataFrame(
        rows,
        columns=["area_code", "name", "gemeente_code", "gemeente_naam", "lon", "lat", "inwoners"],
    )
    gemeenten = [
        _feature(
            {"gemeentecode": gm_codes[g], "gemeentenaam": _gemeente_name(g)},
            shapely.union_all(shapes[gemeente_index == g], grid_size=1e-6),
        )
        for g in range(len(sizes))
    ]
    files = [
        write_bytes(folder / "gemeenten_synthetisch.geojson", _collection(gemeenten)),
        write_bytes(folder / "wijken_synthetisch.geojson", _collection(features)),
    ]
    return AreaSet("synthetic", files, wijken, LARGE_GEMEENTE)


def _gemeente_sizes(count: int) -> list[int]:
    """One large gemeente (like Amsterdam), the rest about ten wijken each."""
    large = min(LARGE_WIJKEN, max(1, count // 6))
    rest = count - large
    others = max(1, round(rest / 10.2)) if rest else 0
    base, extra = divmod(rest, others) if others else (0, 0)
    return [large] + [base + (1 if i < extra else 0) for i in range(others)]


def _suffix(n: int) -> str:
    """01 .. 99, then AA, AB, ... (as Amsterdam's wijken: WK0363AE)."""
    if n < 100:
        return f"{n:02d}"
    return chr(65 + (n - 100) // 26) + chr(65 + (n - 100) % 26)


def _gemeente_name(g: int) -> str:
    return "Grootstad (synthetisch)" if g == 0 else f"Gemeente {g} (synthetisch)"


def _wavy(boxes: np.ndarray, width: float) -> np.ndarray:
    """Densify the borders and move each vertex by a function of its position only, so two
    neighbours' shared border stays shared: borders about as detailed as real ones."""
    dense = shapely.segmentize(boxes, width / 40)
    amplitude, wave = width / 25, width / 3

    def move(coords: np.ndarray) -> np.ndarray:
        x, y = coords[:, 0], coords[:, 1]
        return np.column_stack(
            (
                x + amplitude * np.sin(y / wave * 2 * np.pi) * np.cos(x / wave),
                y + amplitude * np.sin(x / wave * 2 * np.pi) * np.cos(y / wave),
            )
        )

    return shapely.transform(dense, move)


def _feature(props: dict, shape) -> dict:
    geometry = json.loads(shapely.to_geojson(shapely.set_precision(shape, 1e-6)))
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _collection(features: list[dict]) -> bytes:
    return geojson_bytes({"type": "FeatureCollection", "features": features})
