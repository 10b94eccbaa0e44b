"""Who may see what, page by page: every role (each demo enterprise as onderneming, two
financier portfolios, professional, beheerder, the public) on every page that app.py lists,
searched for every private figure of the enterprises that viewer may not see."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import duckdb
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from tests.conftest import PARTIAL_ENTERPRISE, PARTIAL_MONTHS, PRIVATE_HOMES, ROOT
from tests.contributions import forbidden_totals
from tests.page_content import Shown, collect, element_ids, leaks
from tests.test_etl_api import _imports
from wijkimpact import page_table
from wijkimpact.data.access import (
    BEHEERDER,
    FINANCIER,
    ONDERNEMING,
    PROFESSIONAL,
    PUBLIEK,
    Viewer,
)
from wijkimpact.formatting import euro
from wijkimpact.report import pdf
from wijkimpact.ui.report_download import _pdf
from wijkimpact.ui.session import ENTERPRISE_KEY, PORTFOLIO_KEY, ROLE_KEY

DEMO_ENTERPRISES = (
    "bloemenhof",
    "buurtbedrijfnoord",
    "dekroon",
    "dewerkplaats",
    "ideeenfabriek",
    "molenwerk",
    "nieuweweide",
    "oudehaven",
)
PORTFOLIOS = {
    "financier-a": ("bloemenhof", "dekroon"),  # one private, one public enterprise
    "financier-b": ("buurtbedrijfnoord", "ideeenfabriek", "oudehaven"),
}
VIEWERS = {
    PUBLIEK: Viewer(PUBLIEK),
    PROFESSIONAL: Viewer(PROFESSIONAL),
    BEHEERDER: Viewer(BEHEERDER),
    **{name: Viewer(FINANCIER, ids) for name, ids in PORTFOLIOS.items()},
    **{f"onderneming-{e}": Viewer(ONDERNEMING, (e,)) for e in DEMO_ENTERPRISES},
}
KAART_METRICS = ("omzet", "eigen_verdiend", "geherinvesteerd")
KAART_WIJKEN = ("WK999904", "WK999908")  # reinvestments of private enterprises go there
DETAIL_KEYS = ("vastgoed", "vastgoed_xlsx", "mensen_maand", "jaarverslag")
ONDERNEMING_TABS = (
    "Inkomsten",
    "Resultaat en herinvesteringen",
    "Deelnemers en vrijwilligers",
    "Vergelijking",
    "Vastgoed",
)


def app_pages() -> list[str]:
    """The page files app.py's router lists (its table, so a new page joins in)."""
    return [path for path, *_ in page_table.PAGES]


PAGES = app_pages()


def session_state(viewer: Viewer) -> dict:
    """The demo role switcher's values for ``viewer``."""
    state = {ROLE_KEY: viewer.role}
    if viewer.role == ONDERNEMING:
        state[ENTERPRISE_KEY] = viewer.scope[0]
    if viewer.role == FINANCIER:
        state[PORTFOLIO_KEY] = list(viewer.scope)
    return state


@pytest.fixture(scope="module")
def private(demo_db) -> dict[str, list[tuple[str, float]]]:
    return read_private(demo_db)


def read_private(demo_db) -> dict[str, list[tuple[str, float]]]:
    """Per enterprise its private figures, from the base tables (not through the app's code):
    per year omzet, eigen verdiend, gesubsidieerd, kosten, resultaat and geherinvesteerd; per
    year and category the amount; every reinvestment project's amount."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        yearly = con.execute(
            """
            with f as (
                select f.enterprise_id, f.year,
                       sum(f.amount) filter (where c.kind = 'inkomsten') as omzet,
                       sum(f.amount) filter (where c.income_type = 'verdiend') as eigen_verdiend,
                       sum(f.amount) filter (where c.income_type = 'gesubsidieerd')
                           as gesubsidieerd,
                       sum(f.amount) filter (where c.kind = 'kosten') as kosten
                from finance f join finance_category c using (category)
                group by all
            ),
            r as (select enterprise_id, year, sum(amount) as geherinvesteerd
                  from reinvestment group by all)
            select f.*, f.omzet - f.kosten as resultaat, r.geherinvesteerd
            from f left join r using (enterprise_id, year)
            """
        ).df()
        categories = con.execute(
            "select enterprise_id, year, category, sum(amount) from finance group by all"
        ).fetchall()
        projects = con.execute(
            "select enterprise_id, year, project, amount from reinvestment"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, float]]] = {e: [] for e in DEMO_ENTERPRISES}
    for row in yearly.itertuples():
        for column in ("omzet", "eigen_verdiend", "gesubsidieerd", "kosten", "resultaat"):
            out[row.enterprise_id].append(
                (f"{row.enterprise_id} {column} {row.year}", getattr(row, column))
            )
        out[row.enterprise_id].append(
            (f"{row.enterprise_id} geherinvesteerd {row.year}", row.geherinvesteerd)
        )
    for enterprise, year, category, amount in categories:
        out[enterprise].append((f"{enterprise} {category} {year}", amount))
    for enterprise, year, project, amount in projects:
        out[enterprise].append((f"{enterprise} project {project!r} {year}", amount))
    return out


@pytest.fixture(scope="module")
def public(demo_db) -> dict[str, bool]:
    return read_public(demo_db)


def read_public(demo_db) -> dict[str, bool]:
    """Enterprise id -> whether it makes its figures public."""
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        return dict(con.execute("select enterprise_id, public from enterprise").fetchall())
    finally:
        con.close()


class _Recorder(MediaFileManager):
    """The media file manager of AppTest runs, kept so the tests can read the downloads."""

    made: list[_Recorder] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _Recorder.made.append(self)

    def contents(self) -> list[bytes]:
        files = [f.content for f in self._storage._files_by_id.values()]
        for entry in self._deferred_callables.values():  # the PDF: made on click
            data = entry["callable"]()
            files.append(data.encode() if isinstance(data, str) else bytes(data))
        return files


def report_text(content) -> bytes:
    """What the annual report shows, as text: every field of the content it is laid out from
    (wijkimpact/report/pdf.py adds fixed labels only: test_the_report_is_laid_out_from_its_content
    below), its chart data as CSV (in the PDF those are pixels, which a search of the PDF's text
    would miss). The searched stand-in for the PDF: laying it out took a second per report."""
    parts = []
    for item in dataclasses.fields(content):
        value = getattr(content, item.name)
        parts.append(
            value.to_csv(sep=";", index=False) if isinstance(value, pd.DataFrame) else repr(value)
        )
    return "\n".join(parts).encode()


@pytest.fixture
def open_as(open_app, monkeypatch):
    """One AppTest session of a viewer on the default page (its downloads recorded; the annual
    report as report_text)."""
    monkeypatch.setattr(app_test_module, "MediaFileManager", _Recorder)
    monkeypatch.setattr(pdf, "render_pdf", report_text)
    _pdf.clear()  # no report laid out earlier in this process, and none of these kept after
    yield lambda viewer, db=None, page=None: open_app(page, db=db, state=session_state(viewer))
    _pdf.clear()


def test_the_report_is_laid_out_from_its_content():
    # what lets report_text stand in for the PDF: its layout and charts read no data of their
    # own; of wijkimpact they take translation, number formats, the content's types and the
    # app's chart colours, nothing else
    taken = {
        module
        for name in ("pdf.py", "charts.py")
        for _, module in _imports(ROOT / "wijkimpact" / "report" / name)
        if module.split(".")[0] in ("wijkimpact", "etl", "duckdb", "streamlit")
    }
    of_content = {m for m in taken if m.startswith("wijkimpact.report.content.")}
    assert of_content == {
        "wijkimpact.report.content.KeyNumber",
        "wijkimpact.report.content.ReportContent",
    }
    of_figures = {m.rsplit(".", 1)[1] for m in taken if m.startswith("wijkimpact.charts.figures.")}
    assert of_figures and all(name.isupper() for name in of_figures)  # colours
    rest = taken - of_content - {f"wijkimpact.charts.figures.{n}" for n in of_figures}
    assert all(
        m.startswith(("wijkimpact.i18n", "wijkimpact.formatting"))
        or m
        in (
            "wijkimpact.report",
            "wijkimpact.report.charts",
            "wijkimpact.report.content",
            "wijkimpact.charts.figures",
        )
        for m in rest
    ), rest


def _take(at: AppTest, shown: Shown) -> None:
    recorder = _Recorder.made[-1] if _Recorder.made else None
    collect(at, recorder.contents() if recorder else (), into=shown)
    _Recorder.made.clear()


def _variations(
    at: AppTest,
    page: str,
    viewer: Viewer,
    shown: Shown,
    enterprises=DEMO_ENTERPRISES,
    wijken=KAART_WIJKEN,
):
    """Run the page's choices that change which enterprise figures it shows."""
    if page.endswith("onderneming.py"):
        with_tabs = 0
        for enterprise in enterprises:
            at.selectbox(key="onderneming").select(enterprise)  # shown with its first tab
            for tab in ONDERNEMING_TABS:  # only the open tab is built: open each
                at.session_state["onderneming_tab"] = tab
                at.run()
                assert not at.exception, at.exception
                _take(at, shown)
                ids = element_ids(at)
                if not viewer.detail(enterprise):
                    assert not [k for k in DETAIL_KEYS if any(i.endswith(k) for i in ids)], (
                        f"detail of {enterprise} shown to {viewer}"
                    )
                if not any(i.endswith("-onderneming_tab") for i in ids):
                    break  # no tabs drawn (figures not public): the other runs show the same
                with_tabs += tab == ONDERNEMING_TABS[-1]
        # over all the demo's enterprises every viewer sees public figures: tabs were found
        # and all opened (a check that the shortcut above still recognises them)
        assert with_tabs or enterprises != DEMO_ENTERPRISES, f"no tabs shown to {viewer}"
    elif page.endswith("financiers.py"):
        options = ["__mijn__", "__alle__"] if viewer.role == FINANCIER else ["__alle__"]
        composing = 1 if viewer.owner is not None else 0  # the control's last choice: a new one
        assert len(at.selectbox(key="portefeuille_keuze").options) == len(options) + composing
        for option in options:
            at.selectbox(key="portefeuille_keuze").set_value(option).run()
            assert not at.exception, at.exception
            _take(at, shown)
    elif page.endswith("kaart.py"):
        at.session_state["kaart_tabel_open"] = True  # the map's table, built when opened
        for metric in KAART_METRICS:
            at.selectbox(key="kaart_maat").set_value(metric).run()
            assert not at.exception, at.exception
            _take(at, shown)
        for wijk in wijken:
            at.selectbox(key="kaart_wijk").set_value(wijk).run()
            assert not at.exception, at.exception
            _take(at, shown)


def _every_page(at: AppTest, viewer: Viewer, **choices) -> Iterator[tuple[str, Shown]]:
    """Every page app.py lists, in turn, in the one session ``at`` opened on the first page:
    per page what it showed on arrival and with each of its choices (_variations). Before the
    next page the session forgets what the last one chose (the keys the test set, the address's
    query; the last page's widgets Streamlit forgets itself when the next page does not draw
    them), so each page starts as on a first arrival from the default page."""
    arrival = set(at.session_state.keys())
    query = dict(at.query_params)
    for page in PAGES:
        if page != PAGES[0]:
            widgets = element_ids(at)
            for key in set(at.session_state.keys()) - arrival:
                if not any(i.endswith(f"-{key}") for i in widgets):
                    del at.session_state[key]
            at.query_params.clear()
            at.query_params.update(query)
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
        shown = Shown()
        _take(at, shown)
        _variations(at, page, viewer, shown, **choices)
        yield page, shown


def _allowed(viewer: Viewer, private: dict, public: dict) -> set:
    """Every figure of the enterprises ``viewer`` may see, as a rounded number and as text."""
    return {
        key
        for e in DEMO_ENTERPRISES
        if viewer.figures(e, public[e])
        for _, value in private[e]
        for key in (round(value, 2), euro(value))
    }


def private_figures(viewer: Viewer, private: dict, public: dict) -> list[tuple[str, float]]:
    """The figures of the enterprises ``viewer`` may not see, less those that happen to equal a
    figure of an enterprise it may see (the demo has such coincidences, to the cent)."""
    allowed = _allowed(viewer, private, public)
    return [
        (label, value)
        for e in DEMO_ENTERPRISES
        if not viewer.figures(e, public[e])
        for label, value in private[e]
        if round(value, 2) not in allowed and euro(value) not in allowed
    ]


@pytest.mark.parametrize("who", list(VIEWERS))
def test_no_page_shows_a_private_figure_of_another_enterprise(who, open_as, private, public):
    viewer = VIEWERS[who]
    figures = private_figures(viewer, private, public)
    found = {}
    for page, shown in _every_page(open_as(viewer), viewer):
        assert shown.texts, f"{page} showed nothing"
        found[page] = leaks(figures, shown)
    assert not any(found.values()), {f"{who} on {p}": f[:10] for p, f in found.items() if f}


def test_the_search_finds_figures_that_are_shown(open_as, private):
    # The positive control: a beheerder sees bloemenhof's figures, and the search finds them,
    # as text and as raw numbers in the funders' table and its downloads.
    at = open_as(VIEWERS[BEHEERDER], page="pages/onderneming.py")
    at.selectbox(key="onderneming").select("bloemenhof").run()
    downloads = _Recorder.made[-1].contents()
    shown = Shown()
    _take(at, shown)
    assert any("omzet" in f for f in leaks(private["bloemenhof"], shown))
    # the annual report is searched, as report_text: its figures are found in it alone
    report = [d for d in downloads if d.startswith(repr("bloemenhof").encode())]
    assert len(report) == 1
    in_report = Shown()
    in_report.blob(report[0])
    assert any("omzet" in f for f in leaks(private["bloemenhof"], in_report))
    at = open_as(VIEWERS[BEHEERDER], page="pages/financiers.py")
    shown = Shown()
    _take(at, shown)
    assert shown.files >= 2  # the Excel and CSV downloads were read
    raw = Shown(numbers=shown.numbers)
    assert any("als getal" in f for f in leaks(private["bloemenhof"], raw))


def test_the_demo_has_private_and_public_enterprises(public):
    assert sorted(e for e, p in public.items() if not p) == [
        "bloemenhof",
        "buurtbedrijfnoord",
        "ideeenfabriek",
    ]


def _people(db, viewer: Viewer, public: dict) -> set:
    """The participant and volunteer-hour counts of the enterprises ``viewer`` may see: shown
    by right, and equal to a private amount now and then."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select enterprise_id, deelnemers, vrijwilligersuren from enterprise_year"
        ).fetchall()
    finally:
        con.close()
    return {
        key
        for e, *counts in rows
        if viewer.figures(e, public[e])
        for value in counts
        for key in (round(float(value), 2), euro(value))
    }


# On the database where the private enterprises work in each other's home wijken, every page
# for the three kinds of view of figures: the public's (a professional and an enterprise with
# public figures see the same figures of others), a private enterprise's own, and a funder's.
CROSSED_VIEWERS = (PUBLIEK, "onderneming-bloemenhof", "financier-a")


@pytest.mark.parametrize("who", CROSSED_VIEWERS)
def test_no_page_shows_a_total_of_one_or_two_hidden_enterprises(who, open_as, crossed_db):
    viewer = VIEWERS[who]
    private, public = read_private(crossed_db), read_public(crossed_db)
    allowed = _allowed(viewer, private, public) | _people(crossed_db, viewer, public)
    totals = [
        (label, value)
        for label, value in forbidden_totals(crossed_db, viewer)
        if round(value, 2) not in allowed and euro(value) not in allowed
    ]
    assert totals, "the crossed database has totals of one or two hidden enterprises"
    figures = [*totals, *private_figures(viewer, private, public)]
    found = {}
    pages = _every_page(
        open_as(viewer, db=crossed_db),
        viewer,
        enterprises=tuple(PRIVATE_HOMES),
        wijken=PRIVATE_HOMES.values(),
    )
    for page, shown in pages:
        found[page] = leaks(figures, shown)
    assert not any(found.values()), {f"{who} on {p}": f[:10] for p, f in found.items() if f}


def _partial_figures() -> list[tuple[str, float]]:
    """De Kroon's figures of January to March 2025 (tests/conftest.py PARTIAL_MONTHS): each
    month's amounts and sums, and the year's sums, per category and in total."""
    names = ("verhuur", "horeca", "subsidie_gemeente", "personeelskosten")
    figures = []
    for month, amounts in PARTIAL_MONTHS.items():
        figures += [(f"{name} maand {month}", a) for name, a in zip(names, amounts, strict=True)]
        figures.append((f"omzet maand {month}", sum(amounts[:3])))
        figures.append((f"resultaat maand {month}", sum(amounts[:3]) - amounts[3]))
    year = [sum(column) for column in zip(*PARTIAL_MONTHS.values(), strict=True)]
    figures += [(f"{name} 2025", a) for name, a in zip(names, year, strict=True)]
    figures += [
        ("omzet 2025", sum(year[:3])),
        ("eigen verdiend 2025", year[0] + year[1]),
        ("resultaat 2025", sum(year[:3]) - year[3]),
    ]
    return figures


@pytest.mark.parametrize("who", [PROFESSIONAL, "financier-b"])
def test_no_page_shows_a_partial_year_to_whom_may_not_see_its_detail(
    who, open_as, open_app, partial_db
):
    # De Kroon makes its figures public, but loaded only January to March 2025: its 2025
    # "annual" figures are its monthly ones, shown only to its funders, itself and beheerders
    viewer = VIEWERS[who]
    state = {**session_state(viewer), "jaar": 2025}
    at = open_app(None, db=partial_db, state=state)
    figures = _partial_figures()
    found = {
        page: leaks(figures, shown)
        for page, shown in _every_page(at, viewer, enterprises=(PARTIAL_ENTERPRISE,))
    }
    assert not any(found.values()), {f"{who} on {p}": f[:10] for p, f in found.items() if f}
    # the control: its funder sees them, on the page of its figures
    funder = open_app(
        "pages/financiers.py",
        db=partial_db,
        state={**session_state(VIEWERS["financier-a"]), "jaar": 2025},
    )
    shown = Shown()
    _take(funder, shown)
    assert "omzet 2025" in " ".join(leaks(figures, shown))
