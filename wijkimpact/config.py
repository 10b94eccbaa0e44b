"""Where things are: the project's folder, and the database the ETL writes (etl.api.database_path:
WIJKIMPACT_DB overrides the default)."""

from __future__ import annotations

from pathlib import Path

from etl.api import database_path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

__all__ = ["PROJECT_ROOT", "database_path"]
