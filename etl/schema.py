"""Create the schema and the metric views from the .sql files in etl/sql/."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
SCHEMA_FILES = ("schema.sql", "finance_categories.sql", "views.sql")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, seed the finance categories and define the metric views."""
    for name in SCHEMA_FILES:
        con.execute((SQL_DIR / name).read_text(encoding="utf-8"))


def ensure_tables(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> None:
    """Create those of ``tables`` that a database made before they existed lacks, from their
    statements in etl/sql/schema.sql (the DDL lives there only once)."""
    have = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where list_contains(?, table_name)",
            [list(tables)],
        ).fetchall()
    }
    schema = re.sub(r"--[^\n]*", "", (SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
    for statement in schema.split(";"):
        match = re.search(r"create\s+table\s+(\w+)", statement, re.IGNORECASE)
        if match and match.group(1) in tables and match.group(1) not in have:
            con.execute(statement)
