"""Where things are: the database path (WIJKIMPACT_DB overrides the default)."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = PROJECT_ROOT / "data" / "wijkimpact.duckdb"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"


def database_path() -> Path:
    """The database the app reads and the ETL writes: $WIJKIMPACT_DB or data/wijkimpact.duckdb."""
    override = os.environ.get("WIJKIMPACT_DB", "").strip()
    return Path(override).expanduser().resolve() if override else DEFAULT_DB
