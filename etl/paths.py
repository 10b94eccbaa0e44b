"""Where things are: the database path (WIJKIMPACT_DB overrides the default) and the demo
inputs. The ETL writes the database, so it says where it is; the app reads the same path."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = PROJECT_ROOT / "data" / "wijkimpact.duckdb"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def database_path() -> Path:
    """The database the ETL writes and the app reads: $WIJKIMPACT_DB or data/wijkimpact.duckdb."""
    override = os.environ.get("WIJKIMPACT_DB", "").strip()
    return _resolved(override, os.getcwd()) if override else DEFAULT_DB


@lru_cache(maxsize=16)
def _resolved(path: str, cwd: str) -> Path:
    """``path`` made absolute from ``cwd``, its links followed: once per value, not in every
    query of every script run (each component a system call)."""
    return (Path(cwd) / Path(path).expanduser()).resolve()
