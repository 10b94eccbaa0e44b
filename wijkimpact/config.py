"""Where things are: the database path (WIJKIMPACT_DB overrides the default), as the ETL that
writes the database says (etl.paths)."""

from __future__ import annotations

from etl.paths import DEFAULT_DB, DEMO_DIR, PROJECT_ROOT, database_path

__all__ = ["DEFAULT_DB", "DEMO_DIR", "PROJECT_ROOT", "database_path"]
