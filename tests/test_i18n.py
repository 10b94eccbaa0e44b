"""Translations: every text in the code has an English translation with the same placeholders,
every page runs in English with English titles and number formats, and Dutch stays the default."""

from __future__ import annotations

import string
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from wijkimpact import formatting, i18n

sys.path.insert(0, str(ROOT / "scripts"))
import i18n_catalog  # noqa: E402

ENGLISH_TITLES = {
    "overzicht": "Overview",
    "onderneming": "Enterprise",
    "financiers": "Funders",
    "kaart": "Map",
    "gegevens": "Data",
    "bijdrage": "Contribution to the district",
    "methode": "Method and sources",
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_text_has_an_english_translation():
    catalogue = i18n.catalog_messages("en")
    texts = i18n_catalog.extracted()
    assert len(texts) > 300
    untranslated = [text for text in texts if not catalogue.get(text, "").strip()]
    assert not untranslated, untranslated


def test_translations_keep_the_placeholders():
    for message, translation in i18n.catalog_messages("en").items():
        assert _placeholders(translation) == _placeholders(message), message


@pytest.fixture
def app(demo_db, monkeypatch):
    monkeypatch.setenv("WIJKIMPACT_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    yield at
    i18n.use_language("nl")


def _english(at: AppTest) -> AppTest:
    at.sidebar.selectbox(key="taal").select("en").run()
    assert not at.exception, at.exception
    # AppTest formats widget values with their format_func in the test's own thread: give it
    # the app's language, or a translated option ('Administrator') is looked up in Dutch.
    i18n.use_language("en")
    return at


@pytest.mark.parametrize("name", list(ENGLISH_TITLES))
def test_every_page_runs_in_english(app, name):
    at = _english(app)
    if name != "overzicht":
        at.switch_page(f"pages/{name}.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == ENGLISH_TITLES[name]


def test_overzicht_uses_english_number_formats(app, demo_con):
    year = demo_con.execute("select max(year) from enterprise_year").fetchall()[0][0]
    omzet = demo_con.execute(
        "select sum(omzet) from enterprise_year where year = ?", [year]
    ).fetchall()[0][0]
    try:
        formatting.use_locale("en_GB")
        expected = formatting.euro(omzet)
    finally:
        formatting.use_locale("nl_NL")
    assert "," in expected and "." not in expected  # € 2,981,978
    at = _english(app)
    shown = {m.label: m.value for m in at.metric}
    assert shown.get("Turnover") == expected, shown


def test_dutch_stays_the_default(app):
    assert app.title[0].value == "Overzicht"
    assert app.sidebar.selectbox(key="taal").value == "nl"
    assert "Omzet" in [m.label for m in app.metric]
