"""Shared fixtures: paths to ../shared, a demo database built once per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "data" / "real"
FIXTURES = SHARED / "fixtures"

# The app serves data only in a mode it is given: tests run it (AppTest in this process, the
# command-line tools and servers it starts) in demo mode unless a test sets another.
os.environ["WIJKIMPACT_MODE"] = "demo"


def need(path: Path) -> Path:
    """Skip the test cleanly when a file from ../shared is not there."""
    if not path.exists():
        pytest.skip(f"{path} ontbreekt (../shared niet aanwezig)")
    return path


@pytest.fixture(scope="session")
def expected() -> dict:
    """EXPECTED.json of the messy fixtures."""
    return json.loads(need(FIXTURES / "EXPECTED.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The database built from the bundled demo, as `python -m etl build` makes it."""
    from etl.build import build

    path = tmp_path_factory.mktemp("demo") / "wijkimpact.duckdb"
    build(path, ROOT / "data" / "demo")
    return path


@pytest.fixture
def demo_con(demo_db):
    """A read-only connection to the demo database."""
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()
