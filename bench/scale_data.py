"""Scale data: national areas plus synthetic enterprise files, generated once and cached.

``generate(scale)`` writes (or reuses) the input files in a cache folder keyed by the scale,
the seed and the generator version; ``base_database(data)`` builds (or reuses) a database
with only the areas loaded, the starting point of the ETL measurement.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import areas as bench_areas
from bench.enterprises import write_enterprise_files

GENERATOR_VERSION = 2
CACHE_ENV = "WIJKIMPACT_BENCH_CACHE"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Scale:
    """How much data: enterprises, years of monthly finances, activity rows, wijken."""

    name: str
    enterprises: int
    years: int
    activities: int
    wijken: int | None = None  # None: the real national wijken (or as many synthetic ones)
    synthetic: bool = False  # synthetic areas even when the real ones are there
    seed: int = 2025
    last_year: int = 2024

    @property
    def year_range(self) -> tuple[int, ...]:
        """The years with figures, oldest first."""
        return tuple(range(self.last_year - self.years + 1, self.last_year + 1))


SCALES = {
    "national": Scale("national", enterprises=1000, years=10, activities=2_000_000),
    "smoke": Scale("smoke", enterprises=20, years=3, activities=3000, wijken=60, synthetic=True),
}


@dataclass
class ScaleData:
    """Generated input files and where the areas come from."""

    folder: Path
    scale: Scale
    areas_kind: str
    area_files: list[Path]
    enterprise_files: list[Path]
    rows: dict[str, int]
    wijken: int
    large_gemeente: str
    seconds: float = 0.0
    cached: bool = False


def cache_root() -> Path:
    """$WIJKIMPACT_BENCH_CACHE or <tmp>/wijkimpact-bench."""
    override = os.environ.get(CACHE_ENV, "").strip()
    return Path(override) if override else Path(tempfile.gettempdir()) / "wijkimpact-bench"


def generate(scale: Scale, out: Path | None = None, force: bool = False) -> ScaleData:
    """Write the scale's input files into ``out`` (default: the cache); reuse them when a
    finished earlier run with the same parameters is there."""
    use_real = bench_areas.real_available() and not scale.synthetic and scale.wijken is None
    key = _key(scale, "real" if use_real else "synthetic")
    folder = Path(out) if out else cache_root() / f"{scale.name}-{key}"
    manifest = folder / MANIFEST
    if manifest.is_file() and not force:
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("key") == key:
            return _from_manifest(folder, scale, saved)
    started = time.perf_counter()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if use_real:
        area_set = bench_areas.real_areas()
    else:
        count = scale.wijken or bench_areas.NATIONAL_WIJKEN
        area_set = bench_areas.synthetic_areas(folder / "gebieden", count)
    written = write_enterprise_files(
        folder / "ondernemingen",
        area_set.wijken,
        scale.enterprises,
        scale.year_range,
        scale.activities,
        scale.seed,
    )
    data = ScaleData(
        folder=folder,
        scale=scale,
        areas_kind=area_set.kind,
        area_files=list(area_set.files),
        enterprise_files=[path for path, _ in written.values()],
        rows={sheet: rows for sheet, (_, rows) in written.items()},
        wijken=len(area_set.wijken),
        large_gemeente=area_set.large_gemeente,
        seconds=time.perf_counter() - started,
    )
    saved = {
        "key": key,
        "scale": asdict(scale),
        "areas_kind": data.areas_kind,
        "area_files": [str(p) for p in data.area_files],
        "enterprise_files": [str(p) for p in data.enterprise_files],
        "rows": data.rows,
        "wijken": data.wijken,
        "large_gemeente": data.large_gemeente,
        "seconds": round(data.seconds, 2),
    }
    manifest.write_text(json.dumps(saved, indent=2), encoding="utf-8")
    return data


def _from_manifest(folder: Path, scale: Scale, saved: dict) -> ScaleData:
    return ScaleData(
        folder=folder,
        scale=scale,
        areas_kind=saved["areas_kind"],
        area_files=[Path(p) for p in saved["area_files"]],
        enterprise_files=[Path(p) for p in saved["enterprise_files"]],
        rows=saved["rows"],
        wijken=saved["wijken"],
        large_gemeente=saved["large_gemeente"],
        seconds=saved["seconds"],
        cached=True,
    )


def _key(scale: Scale, areas_kind: str) -> str:
    text = json.dumps([GENERATOR_VERSION, asdict(scale), areas_kind], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _schema_key() -> str:
    """Changes when the schema or the area loader changes: the base database is rebuilt."""
    from etl import areas, schema

    digest = hashlib.sha256()
    for path in sorted(schema.SQL_DIR.glob("*.sql")) + [Path(areas.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def base_database(data: ScaleData) -> Path:
    """A database with the scale's gemeenten and wijken loaded (no enterprises), cached."""
    from etl.commands import load_area_file
    from etl.progress import Steps
    from etl.publish import staged_database

    path = data.folder / f"areas-{_schema_key()}.duckdb"
    if path.is_file():
        return path
    for old in data.folder.glob("areas-*.duckdb"):
        old.unlink()
    with open(os.devnull, "w") as quiet, staged_database(path, fresh=True) as con:
        steps = Steps(len(data.area_files), quiet)
        for area_file in data.area_files:
            load_area_file(con, area_file, steps)
    return path
