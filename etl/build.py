"""Build the whole database from a source folder (the bundled demo by default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl.archive import record_step
from etl.commands import load_area_file, load_enterprise_files, load_stat_file
from etl.progress import Steps
from etl.publish import staged_database


@dataclass
class SourceSet:
    """The input files of a build, grouped by what reads them, in load order."""

    areas: list[Path] = field(default_factory=list)
    stats: list[Path] = field(default_factory=list)
    enterprises: list[Path] = field(default_factory=list)

    def count(self) -> int:
        """How many files there are."""
        return len(self.areas) + len(self.stats) + len(self.enterprises)


def find_sources(source_dir: Path) -> SourceSet:
    """Collect a demo-style folder: gebieden/, cbs/, leefbaarometer/, ondernemingen/."""
    source_dir = Path(source_dir)

    def files(sub: str, *patterns: str) -> list[Path]:
        found = {p for pattern in patterns for p in (source_dir / sub).glob(pattern)}
        return sorted(found)

    # gemeenten before wijken before buurten, so parents exist first
    level = {"gemeente": 0, "wijk": 1, "buurt": 2}
    areas = sorted(
        files("gebieden", "*.geojson", "*.gpkg", "*.json", "*.topojson"),
        key=lambda p: (min((v for k, v in level.items() if k in p.stem), default=3), p.name),
    )
    return SourceSet(
        areas=areas,
        stats=files("cbs", "*.csv") + files("leefbaarometer", "*.csv"),
        enterprises=files("ondernemingen", "*.xlsx", "*.csv", "*.txt"),
    )


def build(db_path: Path, source_dir: Path, stream=None) -> SourceSet:
    """Build a fresh database from ``source_dir`` and publish it atomically at ``db_path``."""
    sources = find_sources(source_dir)
    if sources.count() == 0:
        raise FileNotFoundError(f"geen invoerbestanden gevonden in {source_dir}")
    steps = Steps(len(sources.areas) + len(sources.stats) + 2 * bool(sources.enterprises), stream)
    with staged_database(Path(db_path), fresh=True) as con:
        for path in sources.areas:
            record_step("areas", path)
            load_area_file(con, path, steps)
        for path in sources.stats:
            record_step("stats", path)
            load_stat_file(con, path, steps)
        if sources.enterprises:
            record_step("load", *sources.enterprises)
            load_enterprise_files(con, sources.enterprises, steps)
    return sources
