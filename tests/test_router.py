"""A first visit straight to a page address shows that page inside app.py's router (with the
shared sidebar), and the guard that makes it so (wijkimpact/ui/router.py) is still needed."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from wijkimpact.page_table import PAGES
from wijkimpact.ui import router


def _first_visit(path: str) -> AppTest:
    """A fresh runtime whose first run goes straight to ``path`` (a page file), as a browser's
    first request to /kaart on a fresh server: AppTest resets Streamlit's legacy pages/ state
    and, before a first run, finds the page by its file name, as the server does by its
    address (every url path in page_table.PAGES is its file's name, or "" for the default)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if path != PAGES[0][0]:
        at.switch_page(path)
    return at.run()


def _sidebar_keys(at: AppTest) -> set[str]:
    return {box.key for box in at.sidebar.selectbox}


@pytest.mark.parametrize(("path", "title"), [(path, title) for path, title, *_ in PAGES])
def test_a_first_visit_to_any_page_shows_it_with_the_sidebar(demo_db, monkeypatch, path, title):
    monkeypatch.setenv("WIJKIMPACT_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    at = _first_visit(path)
    assert not at.exception, at.exception
    assert {"taal", "gemeente", "jaar"} <= _sidebar_keys(at)
    assert at.sidebar.title[0].value == "Wijkimpact"
    assert at.main.title[0].value.startswith(title)  # Methode: "Methode en bronnen"


def test_the_guard_is_still_needed(demo_db, monkeypatch):
    """Fails when a Streamlit release makes wijkimpact/ui/router.py unnecessary, or takes away
    what it relies on: then remove the guard and its calls (app.py, the page files).

    The guard relies on two things. (1) Streamlit still decides, on a fresh runtime, that an
    app with pages/ beside its main script is a legacy multipage app, and says so in
    ``PagesManager.uses_pages_directory`` (the flag the guard switches off). (2) In that mode
    a first run straight to a page runs the page file itself, without app.py: with the guard
    switched off, /kaart shows its title but none of app.py's sidebar."""
    monkeypatch.setenv("WIJKIMPACT_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)  # a fresh runtime's state
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is True

    monkeypatch.setattr(router, "ensure_router", lambda: None)
    at = _first_visit("pages/kaart.py")
    assert not at.exception, at.exception
    assert at.main.title[0].value == "Kaart"
    assert not _sidebar_keys(at)
    assert not at.sidebar.title  # no "Wijkimpact": app.py did not run
