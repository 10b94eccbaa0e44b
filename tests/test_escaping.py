"""Text from the database shows as text: the escaping helper, and every page that shows enterprise
text, run on a database whose names, themes, projects and descriptions hold Markdown links,
images and HTML tags."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
import shapely
import streamlit.testing.v1.app_test as app_test_module
from streamlit.testing.v1 import AppTest

from tests.page_content import Downloads, _nodes, charts, markdown_text
from wijkimpact.data.access import BEHEERDER, PUBLIEK
from wijkimpact.data.access import BEHEERDER_VIEWER as ADMIN
from wijkimpact.escaping import for_markdown, for_plotly
from wijkimpact.ui import intake
from wijkimpact.ui.session import ROLE_KEY

LINK = "[Sessie verlopen](https://evil.example/login)"
IMAGE = "![x](https://evil.example/p.png)"
NAME = f"Buurthuis {LINK} {IMAGE} <b>vet</b> <img src=x> */?\\ & 's-Hertogenbosch"
SECRET_NAME = f"Geheim {LINK} <img src=x>"
THEME = f"Thema <b>vet</b> <img src=x> {LINK}"
PROJECT = f"Project {IMAGE} <b>vet</b>"
DESCRIPTION = f"Omschrijving {LINK} # Kop {IMAGE} <img src=x> www.evil.example"
VOLUNTEERS = f"Zoekt <b>vet</b> {LINK}"
CONTACT = "info@evil.example :material/lock:"
WIJK = "WK999901"
WIJK_NAME = "Centrum <b>vet</b> [w](https://evil.example/w)"
GEMEENTE_NAME = "Demostad <img src=x>[g](https://evil.example/g)"
INDICATOR_LABEL = "Inwoners <b>vet</b> [i](https://evil.example/i)"


# --- the helper ---------------------------------------------------------------------------


def _markup(text: str) -> list[str]:
    """What Markdown (with GFM, as Streamlit renders it) would turn into a link, an image or a
    tag in ``text``: escaped characters are text, but bare addresses become links even when
    their punctuation is escaped."""
    bare = re.sub(r"\\[!-/:-@\[-`{-~]", "", text)
    found = [m for m in ("](", "![", "<b>", "<img", "<script", "<a ") if m in bare]
    return found + re.findall(r"(?:https?://|www\.|\w@)evil", text.replace("\\", ""), re.I)


@pytest.mark.parametrize(
    "text",
    [
        LINK,
        IMAGE,
        "<b>vet</b>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "`code` en ```blok```",
        "<a href='https://evil.example'>klik</a>",
        "https://evil.example/a www.evil.example info@evil.example mailto:a@evil.example",
        "# Kop\n- lijst\n1. lijst\n> citaat\n=====\n| a | b |",
        "*schuin* **vet** _x_ ~~weg~~ $x^2$ :red[rood] :material/lock: :smile: &amp; \\[",
    ],
)
def test_markdown_escaping_leaves_no_markup_and_the_same_text(text):
    escaped = for_markdown(text)
    assert _markup(escaped) == []
    assert markdown_text(escaped) == text  # a reader sees exactly the text


def test_a_plain_dutch_name_stays_readable():
    name = "Buurthuis De Kroon & Zn 's-Hertogenbosch"
    assert for_markdown(name) == "Buurthuis De Kroon \\& Zn 's\\-Hertogenbosch"
    assert for_plotly(name) == "Buurthuis De Kroon &amp; Zn 's-Hertogenbosch"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<b>vet</b>", "&lt;b&gt;vet&lt;/b&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("<a href='https://evil.example'>x</a>", "&lt;a href='https://evil.example'&gt;x&lt;/a&gt;"),
        ("Zuid &amp; Oost", "Zuid &amp;amp; Oost"),  # plotly would show '&' for '&amp;'
        (LINK, LINK),  # no Markdown in plotly
    ],
)
def test_plotly_escaping(text, shown):
    assert for_plotly(text) == shown


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_missing_text_is_empty_not_nan(missing):
    assert for_markdown(missing) == "" and for_plotly(missing) == ""


# --- a database full of markup ------------------------------------------------------------


def _csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def marked_db(demo_db, tmp_path_factory) -> Path:
    """The demo plus a public enterprise 'kwaad' in Centrum (WK999901) and a private one
    'geheim', both without a founding year, loaded as files: names, description, volunteers,
    contact, a reinvestment's project and theme and an activity hold Markdown and HTML; two
    years of loss give kwaad a signal on /financiers. Centrum, Demostad and the indicator
    inwoners get such names too."""
    path = tmp_path_factory.mktemp("markup") / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    with duckdb.connect(str(path)) as con:
        year = con.execute("select max(year) from finance").fetchone()[0]
        shape = con.execute("select geometry from area where area_code = ?", [WIJK]).fetchone()
    point = shapely.from_wkb(bytes(shape[0])).point_on_surface()
    files = [
        intake.Upload(
            "ondernemingen.csv",
            _csv(
                "id;naam;wijkcode;lat;lon;omschrijving;zoekt_vrijwilligers;contact;website;publiek",
                f"kwaad;{NAME};{WIJK};{point.y};{point.x};{DESCRIPTION};{VOLUNTEERS};{CONTACT};"
                "javascript:alert(1);ja",
                f"geheim;{SECRET_NAME};{WIJK};;;;;;;nee",
            ),
        ),
        intake.Upload(
            "financien.csv",
            _csv(
                "onderneming;jaar;verhuur;subsidie_gemeente;personeelskosten",
                f"kwaad;{year - 2};50000;20000;60000",
                f"kwaad;{year - 1};40000;20000;70000",
                f"kwaad;{year};30000;20000;80000",
                f"geheim;{year};10000;5000;12000",
            ),
        ),
        intake.Upload(
            "herinvesteringen.csv",
            _csv(
                "onderneming;jaar;wijkcode;project;thema;bedrag",
                f"kwaad;{year};{WIJK};{PROJECT};{THEME};1234,56",
            ),
        ),
        intake.Upload(
            "activiteiten.csv",
            _csv(
                "onderneming;datum;activiteit;thema;wijkcode;deelnemers;vrijwilligers;"
                "vrijwilligersuren",
                f"kwaad;01-03-{year};Avond {LINK};{THEME};{WIJK};12;3;6",
            ),
        ),
    ]
    outcome = intake.load(files, path, viewer=ADMIN)
    assert outcome.loaded, outcome.problems
    with duckdb.connect(str(path)) as con:
        con.execute("update area set name = ? where area_code = ?", [WIJK_NAME, WIJK])
        con.execute("update area set name = ? where area_code = 'GM9999'", [GEMEENTE_NAME])
        con.execute(
            "update indicator set label_nl = ? where indicator = 'inwoners'", [INDICATOR_LABEL]
        )
    return path


@pytest.fixture
def page(marked_db, open_app, monkeypatch):
    monkeypatch.setattr(app_test_module, "MediaFileManager", Downloads)

    def open_page(path: str, role: str = BEHEERDER) -> AppTest:
        return open_app(path, db=marked_db, state={ROLE_KEY: role}, timeout=90)

    return open_page


def markdown_texts(at: AppTest) -> list[str]:
    """Every text of the last run that Streamlit renders as Markdown: bodies of markdown,
    captions, alerts and headings, and the labels and help of metrics, expanders, tabs and
    widgets (not st.text and st.code, which show text as it is)."""
    texts: list[str] = []

    def walk(message) -> None:
        if message.DESCRIPTOR.name in ("Text", "Code"):  # st.text, st.code: literal
            return
        for field, value in message.ListFields():
            if field.type == field.TYPE_MESSAGE and not field.message_type.GetOptions().map_entry:
                for item in value if field.is_repeated else [value]:
                    walk(item)
            elif field.name in ("body", "label", "help") and isinstance(value, str):
                texts.append(value)

    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            walk(proto)
    return texts


def chart_texts(at: AppTest) -> list[str]:
    """Every string in the plotly figures of the last run (names, texts, categories, titles)."""
    texts: list[str] = []

    def walk(data) -> None:
        if isinstance(data, dict):
            for value in data.values():
                walk(value)
        elif isinstance(data, list):
            for value in data:
                walk(value)
        elif isinstance(data, str):
            texts.append(data)

    for chart in charts(at):
        walk(chart)
    return texts


def assert_text_only(at: AppTest, in_markdown=(), in_charts=()) -> None:
    """No link, image or tag from the data in any Markdown or chart text of the page; the texts
    ``in_markdown`` and ``in_charts`` are shown there, whole and literally."""
    markdown = markdown_texts(at)
    marked = {text: _markup(text) for text in markdown if _markup(text)}
    assert not marked, marked
    shown = "\n".join(markdown_text(text) for text in markdown)
    for text in in_markdown:
        assert text in shown, f"{text!r} not shown in Markdown"
    charts = chart_texts(at)
    tags = [t for t in charts if re.search(r"<img|<a\b|<b>vet|<script", t, re.I)]
    assert not tags, tags
    drawn = "\n".join(charts)
    for text in in_charts:
        assert for_plotly(text) in drawn, f"{text!r} not in the charts, escaped"


def test_overzicht(page):
    assert_text_only(page("pages/overzicht.py"), in_markdown=[GEMEENTE_NAME])


def test_onderneming_as_beheerder(page):
    at = page("pages/onderneming.py")
    at.selectbox(key="onderneming").set_value("kwaad").run()
    at.session_state["onderneming_tab"] = "Resultaat en herinvesteringen"
    at.run()
    assert not at.exception, at.exception
    assert_text_only(at, in_markdown=[WIJK_NAME, GEMEENTE_NAME], in_charts=[THEME, WIJK_NAME])
    assert [t.value for t in at.text] == [DESCRIPTION]  # st.text: literal, never Markdown


def test_onderneming_of_a_private_enterprise_as_the_public(page):
    at = page("pages/onderneming.py", role=PUBLIEK)
    at.selectbox(key="onderneming").set_value("geheim").run()
    assert not at.exception, at.exception
    assert_text_only(at, in_markdown=[SECRET_NAME])


def test_financiers(page):
    at = page("pages/financiers.py")
    # the signal names kwaad (two years of loss); the charts name it and its wijk
    assert_text_only(at, in_markdown=[NAME], in_charts=[NAME, WIJK_NAME])


def test_kaart_map_and_wijk_profile(page):
    at = page("pages/kaart.py")
    at.selectbox(key="kaart_wijk").set_value(WIJK).run()
    assert not at.exception, at.exception
    assert_text_only(
        at,
        in_markdown=[NAME, DESCRIPTION, VOLUNTEERS, CONTACT, WIJK_NAME, GEMEENTE_NAME],
        in_charts=[NAME, WIJK_NAME, GEMEENTE_NAME],
    )
    assert not [b for b in at.get("link_button") if "javascript" in b.proto.url]


def test_kaart_of_an_indicator_with_markup_in_its_label(page):
    at = page("pages/kaart.py")
    at.selectbox(key="kaart_maat").set_value("inwoners").run()
    assert not at.exception, at.exception
    assert_text_only(at, in_markdown=[INDICATOR_LABEL], in_charts=[INDICATOR_LABEL])


def test_bijdrage(page):
    at = page("pages/bijdrage.py")
    at.selectbox(key="bijdrage_wijk").set_value(WIJK).run()
    assert not at.exception, at.exception
    assert_text_only(at, in_markdown=[WIJK_NAME], in_charts=[WIJK_NAME, INDICATOR_LABEL])


def test_gegevens(page):
    assert_text_only(page("pages/gegevens.py"))


# --- what else such an enterprise broke ----------------------------------------------------


def test_onderneming_without_founding_year_or_description(page):
    at = page("pages/onderneming.py")
    at.selectbox(key="onderneming").set_value("geheim").run()
    assert not at.exception, at.exception  # was: boolean value of NA is ambiguous
    assert markdown_text(at.caption[0].value) == f"{WIJK_NAME} · {GEMEENTE_NAME} · opgericht –"
    assert not at.text  # no description: nothing, not 'nan'
    assert not [t for t in markdown_texts(at) if re.search(r"\bnan\b", t)]


def test_excel_download_of_an_enterprise_with_sheet_name_characters(page):
    at = page("pages/onderneming.py")
    at.selectbox(key="onderneming").set_value("kwaad").run()
    at.session_state["onderneming_tab"] = "Vergelijking"
    at.run()
    assert not at.exception, at.exception
    book = openpyxl.load_workbook(io.BytesIO(Downloads.click(at, "benchmark_xlsx")))
    # 'Vergelijking Buurthuis [Sessie verlopen](https://...': [ ] : / become _, 31 characters
    assert book.sheetnames == ["Vergelijking Buurthuis _Sessie"]
    assert book.active["A1"].value == "Maatstaf"
