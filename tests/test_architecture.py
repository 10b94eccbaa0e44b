"""The layout holds: the rooms of wijkimpact/ import one way, nothing imports in a circle, the ETL
stands apart (import-linter, contracts in pyproject.toml), pages reach data only through the
ui room, and no module grows past 450 lines."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.test_etl_api import _imports, _sources

MAX_LINES = 450
# what a page (or app.py) may import of wijkimpact: the rooms above data, and the base modules
PAGE_ROOMS = ("ui", "kaart", "charts", "domain", "report")
BASE = ("config", "i18n", "formatting", "escaping", "page_table")
# of data/: the catalogue of queries, named only as handles for ui.store.load (tests/test_access.py
# holds pages to that), for every page; beyond it only what a page still needs, by name: the
# suppression labels of access (/overzicht's withheld groups) and the saved portfolios of
# /financiers. Never db, duckdb or the ETL.
PAGE_DATA = {
    "wijkimpact.data.queries": None,  # every page
    "wijkimpact.data.access": ("pages/overzicht.py",),
    "wijkimpact.data.saved_portfolios": ("pages/financiers.py",),
}


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_import_only_the_rooms_above_data():
    rooms = tuple(f"wijkimpact.{room}" for room in PAGE_ROOMS + BASE)
    wrong = []
    for path in _sources("pages", "app.py"):
        page = path.relative_to(ROOT).as_posix()
        allowed = rooms + tuple(
            module for module, pages in PAGE_DATA.items() if pages is None or page in pages
        )
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top in ("duckdb", "etl"):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
            if module in ("wijkimpact", "wijkimpact.data"):
                continue  # a package alone: what is taken from it is checked as its own entry
            if top == "wijkimpact" and not any(
                module == a or module.startswith(a + ".") for a in allowed
            ):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_no_module_is_over_450_lines():
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in _sources("wijkimpact", "etl", "pages", "app.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not long, "\n".join(long)
