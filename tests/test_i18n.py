"""Translations: every text in the code has an English translation with the same placeholders,
every page runs in English with English titles and number formats, and Dutch stays the default."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import string
import sys

import duckdb
import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.page_content import markdown_text
from wijkimpact import formatting, i18n
from wijkimpact.data.access import BEHEERDER, FINANCIER, ONDERNEMING
from wijkimpact.domain import comparison
from wijkimpact.ui import activity_form
from wijkimpact.ui.session import ENTERPRISE_KEY, PORTFOLIO_KEY, ROLE_KEY

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
def app(open_app):
    yield open_app()
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


# --- texts that come from modules, not from the page itself --------------------------------


@pytest.fixture
def english():
    """The test's own thread in English (AppTest's format_func and direct calls use it)."""
    i18n.use_language("en")
    yield
    i18n.use_language("nl")


@pytest.fixture
def db_copy(demo_db, tmp_path):
    """A copy of the demo database that a test may change."""
    path = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    return path


def _shown(at: AppTest) -> str:
    """Every text on the page, table cells and column names included."""
    parts = [e.value for kind in ("markdown", "warning", "info", "caption", "error", "success")
             for e in getattr(at, kind)]  # fmt: skip
    for table in at.dataframe:
        parts += [str(c) for c in table.value.columns]
        parts += [str(v) for v in table.value.to_numpy().ravel()]
    return "\n".join(parts)


def _dutch_fragments(folder: str) -> set[str]:
    """The fixed parts of every text in ``folder`` that its English translation does not
    share ('Te weinig vergelijkingswijken: ', ' gevonden, minstens ', ...)."""
    catalogue = i18n.catalog_messages("en")
    fragments = set()
    for message, places in i18n_catalog.extracted().items():
        if not any(path.startswith(folder) for path, _line in places):
            continue
        for literal, *_rest in string.Formatter().parse(message):
            part = literal.strip()
            if len(part) >= 8 and part not in catalogue[message]:
                fragments.add(part)
    return fragments


def test_bijdrage_in_english_explains_in_english(open_app, english):
    at = open_app("pages/bijdrage.py", state={"taal": "en"})
    shown = _shown(at)
    dutch = _dutch_fragments("wijkimpact/domain/comparison/")
    assert len(dutch) > 20
    assert not [f for f in dutch if f in shown], [f for f in dutch if f in shown]
    assert "Founded in" in shown  # the note on the reference year
    table = at.dataframe[0].value
    assert all(" to " in cell for cell in table["90% interval"])
    notes = [n for n in table["Note"] if n]
    assert notes and all(n.startswith("no figures up to and including") for n in notes)


def test_bijdrage_in_english_says_too_few_comparison_wijken_in_english(
    db_copy, open_app, english
):
    with duckdb.connect(str(db_copy)) as con:  # only Centrum is left without an enterprise
        con.execute("delete from area_stat where area_code in ('WK999907','WK999909','WK999910')")
    at = open_app("pages/bijdrage.py", db=db_copy, state={"taal": "en"})
    assert at.warning[0].value.startswith("Too few comparison districts: ")
    assert not [f for f in _dutch_fragments("wijkimpact/domain/comparison/") if f in _shown(at)]
    assert not at.metric


def test_comparison_reasons_follow_the_language(english):
    rows = [("WK000101", "GM0001", 2014, "lbm", 4.0), ("WK000102", "GM0001", 2014, "lbm", 4.1)]
    rows += [("WK000101", "GM0001", 2018, "lbm", 4.2), ("WK000102", "GM0001", 2018, "lbm", 4.1)]
    rows += [("WK000103", "GM0001", 2014, "lbm", 4.3)]
    stats = pd.DataFrame(rows, columns=["area_code", "gemeente_code", "year", "indicator", "value"])
    did = comparison.difference_in_differences
    assert did(stats, "WK000101", ["WK000102"], "lbm", 2016).reason == (
        "Too few comparison districts with figures for 2014 and 2018: 1, at least 3 needed."
    )
    assert did(stats, "WK000101", [], "lbm", 2016, end_year=2016).reason == (
        "Too few years: no figures after 2014 to compare with."
    )
    assert did(stats, "WK000109", [], "lbm", 2016).reason == (
        "Too few years: no figures for this district."
    )
    match = comparison.match_comparison_wijken(stats, "WK000101", 2016)
    assert match.reason == "Too few comparison districts: 2 found, at least 3 needed."
    match = comparison.match_comparison_wijken(stats, "WK000109", 2016)
    assert match.reason == "Too few years: there are no figures for this district."
    i18n.use_language("nl")
    assert did(stats, "WK000109", [], "lbm", 2016).reason == (
        "Te weinig jaren: geen cijfers voor deze wijk."
    )


def test_the_report_follows_the_apps_language(demo_db, english):
    """From the app in English the annual report is English (texts, the comparison it borrows,
    number formats); without a language (the command line) it is Dutch."""
    from wijkimpact.data.access import BEHEERDER_VIEWER
    from wijkimpact.report import build_report

    def text(**language) -> str:
        data = build_report("dekroon", 2024, demo_db, viewer=BEHEERDER_VIEWER, **language)
        pages = PdfReader(io.BytesIO(data)).pages
        return " ".join(" ".join(page.extract_text() for page in pages).split())

    english = text(language="en")
    for words in ("ANNUAL REPORT 2024", "In short", "Money in 2024", "EARNING POWER",
                  "VALUE OF VOLUNTEER HOURS", "About these figures", "Compared with", "Page 1 of",
                  "Meeting people", "an association, not proof"):
        assert words in english, words
    dutch_words = ("JAARVERSLAG", "Geld in", "VERDIENVERMOGEN", "vergelijkingswijken",
                   "Vergeleken", "Pagina", "t.o.v.", "Ontmoeting", "samenhang")
    assert not [w for w in dutch_words if w in english]
    omzet = formatting.euro(973794.98)  # en_GB in this thread: € 973,795
    assert omzet in english
    dutch = text()
    assert "JAARVERSLAG 2024" in dutch and "t.o.v. vergelijkingsgroep" in dutch
    assert "Annual" not in dutch
    assert i18n.current_language() == "en"  # the caller's language was left as it was


def test_activity_form_in_english(open_app, english):
    at = open_app("pages/gegevens.py", state={"taal": "en", ROLE_KEY: BEHEERDER})
    labels = {w.key: w.label for kind in ("selectbox", "text_input", "number_input", "date_input")
              for w in getattr(at, kind) if w.key and w.key.startswith("form_")}  # fmt: skip
    assert labels == {
        "form_onderneming": "Enterprise",
        "form_thema": "Theme",
        "form_wijk": "District",
        "form_activiteit": "Activity",
        "form_deelnemers": "Participants",
        "form_vrijwilligers": "Volunteers",
        "form_uren": "Volunteer hours",
        "form_datum": "Date",
    }
    themes = at.selectbox(key="form_thema").options
    assert "Meeting people" in themes and "Ontmoeting" not in themes
    assert at.button(key="form_opslaan").label == "Save"


def _page_in(language: str, page: str) -> AppTest:
    """One page as app.py runs it, in ``language``, without the router: AppTest's switch_page
    makes the router swallow a form's submit button (see test_gegevens)."""
    script = (
        "import runpy\n"
        "from wijkimpact import i18n\n"
        f"i18n.use_language({language!r})\n"
        f"runpy.run_path({str(ROOT / 'pages' / f'{page}.py')!r}, run_name='__main__')\n"
    )
    at = AppTest.from_string(script, default_timeout=60)
    at.session_state[ROLE_KEY] = BEHEERDER  # may enter activities: the demo starts as the public
    at.run()
    assert not at.exception, at.exception
    return at


def test_activity_form_answers_in_english(db_copy, monkeypatch, english):
    monkeypatch.setenv("WIJKIMPACT_DB", str(db_copy))
    monkeypatch.chdir(ROOT)
    at = _page_in("en", "gegevens")

    def submit(deelnemers: int) -> AppTest:
        at.date_input(key="form_datum").set_value(dt.date(2024, 5, 1))
        at.text_input(key="form_activiteit").set_value("Proefavond")
        at.selectbox(key="form_thema").set_value("Ontmoeting")  # stored in Dutch
        at.text_input(key="form_deelnemers").set_value(str(deelnemers))  # typed as text
        return at.button(key="form_opslaan").click().run()

    error = markdown_text(submit(-5).error[0].value)
    assert error.startswith("Not saved:") and "(entered: -5)" in error
    assert "Will be stored as 20" not in [c.value for c in at.caption]
    at.text_input(key="form_uren").set_value("18,5").run()  # a decimal comma, before saving
    assert "Will be stored as 18.5" in [c.value for c in at.caption]
    at.text_input(key="form_uren").set_value("").run()
    assert submit(20).success[0].value == "Activity saved."
    assert submit(20).success[0].value == (
        "This activity was already there exactly like this; nothing has changed."
    )
    with duckdb.connect(str(db_copy), read_only=True) as con:
        theme = con.execute("select theme from activity where activity = 'Proefavond'").fetchall()
    assert theme == [("Ontmoeting",)]


def test_activity_form_refusals_follow_the_language(db_copy, english):
    from wijkimpact.data.access import Viewer

    values = {"onderneming": "oudehaven", "datum": dt.date(2024, 5, 1), "activiteit": "X"}
    own = Viewer("onderneming", ("dekroon",))
    assert activity_form.save(values, db_copy, viewer=own).problems == [
        "onderneming: you may only enter activities of your own enterprise (entered: oudehaven)"
    ]
    assert activity_form.Saved().message == "Not saved."
    i18n.use_language("nl")
    assert activity_form.save(values, db_copy, viewer=own).problems == [
        "onderneming: u mag alleen activiteiten van uw eigen onderneming invoeren "
        "(ingevuld: oudehaven)"
    ]


def test_upload_problems_change_language_with_the_app(open_app):
    at = open_app("pages/gegevens.py", state={ROLE_KEY: ONDERNEMING, ENTERPRISE_KEY: "dekroon"})
    other = b"onderneming;jaar;maand;verhuur\noudehaven;2023;;100\n"
    at.file_uploader[0].set_value(("andere.csv", other, "text/csv")).run()

    def problem_and_sheet() -> tuple[str, str]:
        assert not at.exception, at.exception
        table = at.dataframe[0].value  # the problems come first
        return table.iloc[0, -1], markdown_text(at.expander[0].label)

    assert problem_and_sheet() == (
        "u mag alleen gegevens van uw eigen onderneming laden (dekroon); deze rij hoort bij een "
        "andere onderneming",
        "andere.csv: financien, 1 rij",
    )
    at.sidebar.selectbox(key="taal").select("en").run()
    i18n.use_language("en")
    try:
        assert problem_and_sheet() == (
            "you may only load data of your own enterprise (dekroon); this row belongs to "
            "another enterprise",
            "andere.csv: financien, 1 row",
        )
        assert list(at.dataframe[0].value.columns)[-1] == "Problem"
        at.sidebar.selectbox(key="taal").select("nl").run()
    finally:
        i18n.use_language("nl")
    assert problem_and_sheet()[1] == "andere.csv: financien, 1 rij"


def test_switching_language_keeps_the_demo_role(open_app, demo_db):
    """The browser sends a choice back as the label it showed: after a switch of language the
    Dutch label matched no English option and the demo role fell back to another role."""
    at = open_app("pages/financiers.py")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        names = {row[0] for row in con.execute("select name from enterprise").fetchall()}

    def shown(column: str) -> set[str]:  # the enterprises in the table (not its total row)
        return set(at.dataframe[0].value[column]) & names

    everyone = shown("Onderneming")  # the public: public enterprises only
    at.sidebar.selectbox(key=ROLE_KEY).select(FINANCIER).run()
    at.selectbox(key="portefeuille_keuze").set_value("__mijn__").run()  # its portfolio: here
    portfolio = at.multiselect(key=PORTFOLIO_KEY).value
    funder = shown("Onderneming")
    assert "Buurtbedrijf Noorderhout" in funder - everyone  # private, in the demo portfolio
    assert "Bloemenhof" not in " ".join(funder)  # private, not in it
    at.sidebar.selectbox(key="taal").select("en").run()
    i18n.use_language("en")  # AppTest formats the choices in the test's thread: as the app does
    try:
        role = at.sidebar.selectbox(key=ROLE_KEY)
        assert at.session_state[ROLE_KEY] == FINANCIER and role.value == FINANCIER
        # what the browser is told to show, and sends back on the next run
        assert role.proto.set_value and role.proto.raw_value == "Funder"
        at.run()  # a later run, with the label the browser now holds
        assert not at.exception, at.exception
        assert at.session_state[ROLE_KEY] == FINANCIER
        assert at.multiselect(key=PORTFOLIO_KEY).value == portfolio
        assert shown("Enterprise") == funder
    finally:
        i18n.use_language("nl")
