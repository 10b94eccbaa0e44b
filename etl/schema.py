"""Create the schema and the metric views from the .sql files in etl/sql/."""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
SCHEMA_FILES = ("schema.sql", "finance_categories.sql", "views.sql")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, seed the finance categories and define the metric views."""
    for name in SCHEMA_FILES:
        con.execute((SQL_DIR / name).read_text(encoding="utf-8"))
