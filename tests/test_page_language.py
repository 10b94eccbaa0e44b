"""Every page speaks one language: in English (with each role) no Dutch word of the list below,
in Dutch no English one. What a reader sees is read from the run (titles, text, labels, options,
placeholders, help, table columns and cells, chart titles and legends); names and data from the
database (enterprises, wijken, projects, sources) are taken out first: they stay as loaded."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import duckdb
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.page_content import markdown_text
from wijkimpact import i18n, page_table
from wijkimpact.data.access import BEHEERDER, FINANCIER, ONDERNEMING, PROFESSIONAL, PUBLIEK
from wijkimpact.domain import volunteers
from wijkimpact.ui import widget_texts
from wijkimpact.ui.kaart import map_state
from wijkimpact.ui.session import ENTERPRISE_KEY, ROLE_KEY

# Words that are Dutch only (not English, not a name): one of them in English is untranslated.
DUTCH = (
    "wijk", "wijken", "buurt", "buurten", "onderneming", "ondernemingen", "gemeente",
    "gemeenten", "jaar", "jaren", "geen", "niet", "cijfers", "bedrag", "beheerder", "opgericht",
    "verandering", "vergelijkingswijken", "omzet", "geherinvesteerd", "vrijwilligers",
    "vrijwilligersuren", "deelnemers", "inwoners", "het", "een", "van", "voor", "naar", "zijn",
    "wordt", "kies", "totaal", "getoond", "gegevens", "inkomsten", "kosten", "resultaat",
    "verdienvermogen", "financier", "publiek", "klasse", "tot", "t/m", "uit",
)  # fmt: skip
# Words that are English only: one of them in Dutch is Streamlit's or an untranslated text.
ENGLISH = (
    "per file", "choose options", "turnover", "enterprise", "enterprises",
    "district", "districts", "funder", "administrator", "overview", "reinvested", "volunteer",
    "volunteers", "figures", "municipality", "contribution", "the", "and", "with",
    "from", "not shown", "year", "source", "no data", "search",
)  # fmt: skip
# Texts that are the same in both languages on purpose.
BOTH = ("Taal / Language", "Nederlands", "English", "Wijkimpact")
ROLES = {
    PUBLIEK: {},
    PROFESSIONAL: {},
    ONDERNEMING: {ENTERPRISE_KEY: "dekroon"},
    FINANCIER: {},
    BEHEERDER: {},
}
# '**Turnover** (omzet)': /methode names the Dutch term beside the English one, on purpose.
GLOSSARY = re.compile(r"(\*\*[^*]+\*\*) \([a-zé ]+\)")
# 'the onderneming column', 'column verhuur', 'sheet financien': the template's names, in Dutch
COLUMN_NAMES = re.compile(r"\bthe \w+ column\b|\b(column|sheet) \w+")
TEXT_FIELDS = ("label", "body", "help", "placeholder", "caption", "text")
CHART_KEYS = {"text", "name", "title", "hovertemplate", "ticktext", "label"}


def _nodes(node) -> Iterator:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def _chart_texts(data: object, key: str | None = None) -> Iterator[str]:
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _chart_texts(value, name)
    elif isinstance(data, list):
        for value in data:
            yield from _chart_texts(value, key)
    elif isinstance(data, str) and key in CHART_KEYS:
        yield re.sub(r"%\{[^}]*\}|<[^>]+>", " ", data)  # hover placeholders and tags


def visible(at: AppTest) -> Iterator[str]:
    """The texts of the last run as a reader sees them."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        for descriptor, value in proto.ListFields():
            if descriptor.name in TEXT_FIELDS and isinstance(value, str):
                yield value
            elif descriptor.name == "options":
                yield from (str(v) for v in value)
            elif descriptor.name == "spec" and isinstance(value, str):
                yield from _chart_texts(json.loads(value))
            elif descriptor.name == "data" and isinstance(value, bytes) and value:
                table = pa.ipc.open_stream(pa.BufferReader(value)).read_all().to_pandas()
                yield from (str(c) for c in table.columns)
                for column in table.columns:
                    yield from (v for v in table[column].tolist() if isinstance(v, str))


@pytest.fixture(scope="module")
def data_text(demo_db) -> re.Pattern:
    """Names and data of the demo database (and the sources on /methode), longest first."""
    queries = (
        "select name from enterprise union select description from enterprise "
        "union select volunteers_wanted from enterprise union select contact from enterprise "
        "union select address from enterprise union select city from enterprise "
        "union select legal_form from enterprise union select website from enterprise "
        "union select name from area union select project from reinvestment "
        "union select activity from activity union select name from property "
        "union select label_nl from indicator where coalesce(label_en, '') = '' "
        "union select source from indicator"
    )
    with duckdb.connect(str(demo_db), read_only=True) as con:
        values = {row[0] for row in con.execute(queries).fetchall() if row[0]}
    values |= {rate.source for rate in volunteers.rates()}
    values |= {"Leefbaarometer 3.0", "Kerncijfers wijken en buurten", "Wijk- en Buurtkaart"}
    values |= set(BOTH)
    ordered = sorted((str(v) for v in values), key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in ordered))


def _found(texts: Iterator[str], words: tuple[str, ...], data: re.Pattern) -> dict[str, str]:
    """word -> the first text it was found in, once names and data are taken out."""
    pattern = re.compile(r"(?<![\w/-])(" + "|".join(map(re.escape, words)) + r")(?![\w/-])", re.I)
    found: dict[str, str] = {}
    for text in texts:
        clean = data.sub(" ", markdown_text(text))
        clean = COLUMN_NAMES.sub(" ", GLOSSARY.sub(r"\1", clean))
        for match in pattern.finditer(clean):
            found.setdefault(match.group(1).lower(), text[:160])
    return found


def _walk(open_app, language: str, role: str) -> Iterator[tuple[str, AppTest]]:
    """One session of ``role`` in ``language`` on every page of app.py's menu, and the map with
    a wijk chosen in its dropdown (its profile)."""
    i18n.use_language(language)  # AppTest formats choices in the test's own thread
    at = open_app(state={"taal": language, ROLE_KEY: role, **ROLES[role]})
    for path, *_ in page_table.PAGES:
        if path != page_table.PAGES[0][0]:
            at.switch_page(path).run()
        assert not at.exception, (path, at.exception)
        yield path, at
        if path.endswith("kaart.py"):
            wijk = at.selectbox(key=map_state.WIJK_KEY)
            wijk.select(wijk.options and "WK999902").run()
            assert not at.exception, at.exception
            yield f"{path} (wijk profile)", at


@pytest.fixture
def restore_language():
    yield
    i18n.use_language("nl")


@pytest.mark.parametrize("role", list(ROLES))
def test_english_pages_have_no_dutch_words(open_app, data_text, role, restore_language):
    untranslated = {}
    for page, at in _walk(open_app, "en", role):
        found = _found(visible(at), DUTCH, data_text)
        if found:
            untranslated[page] = found
    assert not untranslated, json.dumps(untranslated, indent=1, ensure_ascii=False)


def test_dutch_pages_have_no_english_words(open_app, data_text, restore_language):
    english = {}
    for page, at in _walk(open_app, "nl", BEHEERDER):
        found = _found(visible(at), ENGLISH, data_text)
        for element in at.get("multiselect"):  # Streamlit's own placeholder is English
            if not element.proto.placeholder:
                found.setdefault("choose options", element.label)
        if found:
            english[page] = found
    assert not english, json.dumps(english, indent=1, ensure_ascii=False)
    assert i18n.current_language() == "nl"


def test_the_uploader_speaks_dutch(open_app):
    """Streamlit's uploader has no parameter for its button and size line: in Dutch a style
    replaces the button's 'Upload' and hides the English size line (the label says both)."""
    at = open_app("pages/gegevens.py", state={ROLE_KEY: BEHEERDER})
    styles = [e.proto.body for e in at.get("html")]
    assert any('content: "Bestanden kiezen"' in s for s in styles), styles
    assert any("stFileUploaderDropzoneInstructions" in s for s in styles)
    assert widget_texts.UPLOAD == "Bestanden kiezen"


def test_etl_notes_and_problems_in_the_users_language(tmp_path, restore_language):
    """The ETL writes Dutch (the command line stays Dutch); the app shows its notes and
    problems in the user's language through their templates (etl.api.Message, Problem)."""
    import openpyxl

    from etl.api import recognise_file

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "financien"
    sheet.append(["onderneming", "jaar", "maand", "verhuur", "verhuur"])
    sheet.append(["dekroon", 2024, 1, 100, 100])
    book.create_sheet("notities").append(["bel de penningmeester"])
    path = tmp_path / "kroon.xlsx"
    book.save(path)
    problems: list = []
    parsed = recognise_file(path, problems)
    assert [str(n) for n in parsed.notes] == ["blad 'notities' overgeslagen: geen bekend blad"]
    assert [p.message for p in problems] == ["kolom verhuur staat er twee keer in"]
    i18n.use_language("en")
    assert [i18n.message_text(n) for n in parsed.notes] == [
        "sheet 'notities' skipped: not a known sheet"
    ]
    assert [i18n.problem_message(p) for p in problems] == ["column verhuur is there twice"]
    assert i18n.problem_message(parsed.notes[0]) == i18n.message_text(parsed.notes[0])
    assert str(parsed.notes[0]).startswith("blad")  # the Dutch text stays for the CLI


def test_a_loads_notes_in_the_users_language(demo_db, tmp_path, restore_language):
    """What a load did, per sheet ("1 rijen; 1 nieuw, ..."), as the app shows it after Laden."""
    import shutil

    from etl.api import database_context, load_parsed, read_enterprise_files, staged_database

    db = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, db)
    path = tmp_path / "financien.csv"
    path.write_text("onderneming;jaar;maand;verhuur\ndekroon;2026;1;100\n", encoding="utf-8")
    with staged_database(db) as con:
        (result,) = load_parsed(con, read_enterprise_files([path], database_context(con)))
    (note,) = result.notes
    assert str(note) == "financien: 1 rijen; 1 nieuw, 0 vervangen, 0 ongewijzigd"
    i18n.use_language("en")
    assert i18n.message_text(note) == "financien: 1 rows; 1 new, 0 replaced, 0 unchanged"


def test_the_wijk_profile_reruns_in_the_users_language(
    demo_db, monkeypatch, data_text, restore_language
):
    """Choosing a wijk in the profile's list reruns only its fragment, without app.py, which
    sets the language: the fragment sets it itself (it came back in Dutch on an English page)."""
    monkeypatch.setenv("WIJKIMPACT_DB", str(demo_db))
    monkeypatch.setenv("WIJKIMPACT_MODE", "demo")
    script = (
        "import streamlit as st\n"
        "from wijkimpact.ui.kaart import profile_view\n"
        "profile_view.section('GM9999')  # as a fragment rerun: app.py set no language\n"
    )
    at = AppTest.from_string(script, default_timeout=60)
    at.session_state["taal"] = "en"
    at.session_state[map_state.WIJK_KEY] = "WK999902"
    at.run()
    assert not at.exception, at.exception
    assert at.header[0].value == "District profile"
    assert not _found(visible(at), DUTCH, data_text)


def test_duplicate_rows_and_doubled_years_in_the_users_language(tmp_path, restore_language):
    from etl.api import Context, InputError, read_enterprise_files

    path = tmp_path / "financien.csv"
    path.write_text(
        "onderneming;jaar;maand;verhuur\ndekroon;2023;3;100\ndekroon;2023;3;100\n"
        "dekroon;2023;;900\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as refused:
        read_enterprise_files([path], Context({"dekroon"}))
    dutch = {p.message for p in refused.value.problems}
    assert "rijen 2 en 3: dezelfde onderneming/jaar/maand komt 2 keer voor" in dutch
    assert (
        "dekroon 2023: zowel jaarcijfers (lege maand) als maandcijfers; kies een van beide, "
        "anders telt het jaar dubbel"
    ) in dutch
    i18n.use_language("en")
    english = {i18n.problem_message(p) for p in refused.value.problems}
    assert "rows 2 and 3: the same onderneming/jaar/maand occurs 2 times" in english
    assert (
        "dekroon 2023: both annual figures (empty maand) and monthly figures; choose one of "
        "them, or the year counts twice"
    ) in english
