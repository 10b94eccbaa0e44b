"""Create the schema and the metric views from the .sql files in etl/sql/, and say which
version of them a database has."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
SCHEMA_FILES = ("schema.sql", "finance_categories.sql", "views.sql")


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table, seed the finance categories, define the metric views and note the
    schema's version."""
    for name in SCHEMA_FILES:
        con.execute((SQL_DIR / name).read_text(encoding="utf-8"))
    con.execute("insert into schema_version (version) values (?)", [schema_version()])


def schema_version() -> str:
    """The version of the schema this code makes: a fingerprint of its .sql files, so any change
    to a table or a view is a new version without anyone having to count (an installation then
    makes its database again with python -m etl rebuild)."""
    digest = hashlib.sha256()
    for name in SCHEMA_FILES:
        digest.update((SQL_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


def database_schema_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The schema version a database was made with; None for one from before versions."""
    try:
        found = con.execute("select version from schema_version").fetchall()
    except duckdb.CatalogException:
        return None
    return found[0][0] if found else None


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
