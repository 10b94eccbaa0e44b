"""ETL speed: the validated load of the scale files against DuckDB's plain read_csv of them."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from bench.scale_data import ScaleData, base_database


@dataclass
class EtlResult:
    """Seconds per run of the floor and of the validated load, and their medians' ratio."""

    floor_s: list[float] = field(default_factory=list)
    load_s: list[float] = field(default_factory=list)
    rows: int = 0
    database: Path | None = None  # the loaded national database, kept for the page runs

    @property
    def floor(self) -> float:
        """Median seconds of the floor."""
        return statistics.median(self.floor_s)

    @property
    def load(self) -> float:
        """Median seconds of the validated load."""
        return statistics.median(self.load_s)

    @property
    def ratio(self) -> float:
        """Validated load / floor."""
        return self.load / self.floor


def floor_once(files: list[Path], folder: Path) -> float:
    """DuckDB read_csv of every file into a plain table of a new database file: no checks."""
    path = folder / "floor.duckdb"
    started = time.perf_counter()
    con = duckdb.connect(str(path))
    try:
        for i, file in enumerate(files):
            con.execute(f"create table t{i} as select * from read_csv(?)", [str(file)])
        con.execute("checkpoint")
    finally:
        con.close()
    seconds = time.perf_counter() - started
    path.unlink()
    return seconds


def load_once(files: list[Path], base: Path, target: Path) -> float:
    """What ``python -m etl load FILES --db target`` does, in process: stage a copy of the
    database, validate every file, load, publish atomically."""
    from etl.commands import load_enterprise_files
    from etl.progress import Steps
    from etl.publish import staged_database

    shutil.copyfile(base, target)
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet, staged_database(target) as con:
        load_enterprise_files(con, files, Steps(2, quiet))
    return time.perf_counter() - started


def reload_once(files: list[Path], target: Path) -> float:
    """Load the same files again into the loaded database: every unit is compared (hashes
    per unit) and none changes."""
    from etl.commands import load_enterprise_files
    from etl.progress import Steps
    from etl.publish import staged_database

    started = time.perf_counter()
    with open(os.devnull, "w") as quiet, staged_database(target) as con:
        load_enterprise_files(con, files, Steps(2, quiet))
    return time.perf_counter() - started


def measure(data: ScaleData, runs: int, keep: Path, log=print) -> EtlResult:
    """Alternate floor and validated runs; keep the last loaded database at ``keep``."""
    base = base_database(data)
    result = EtlResult(rows=sum(data.rows.values()))
    with tempfile.TemporaryDirectory(prefix="wijkimpact-etl-") as tmp:
        folder = Path(tmp)
        for run in range(runs):
            result.floor_s.append(floor_once(data.enterprise_files, folder))
            result.load_s.append(load_once(data.enterprise_files, base, keep))
            log(
                f"  ETL run {run + 1}/{runs}: floor {result.floor_s[-1]:.2f} s, "
                f"validated load {result.load_s[-1]:.2f} s"
            )
            if result.load_s[-1] > 60 and run + 1 < runs:
                log("  (slow: one run is enough)")
                break
    result.database = keep
    return result
