"""Saved portfolios on /financiers: kept per owner in the database, seen only by their owner and
beheerders, reserved names refused, nothing changed by a refused save, kept through other loads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.cli import main as etl_main
from tests.conftest import ROOT
from wijkimpact import i18n
from wijkimpact.data import db as wijkimpact_db
from wijkimpact.data import queries, saved_portfolios
from wijkimpact.data.access import BEHEERDER, FINANCIER, ONDERNEMING, PROFESSIONAL, PUBLIEK, Viewer
from wijkimpact.formatting import euro
from wijkimpact.ui.session import PORTFOLIO_KEY, ROLE_KEY

FUNDER_A = Viewer(FINANCIER, ("bloemenhof", "dekroon"), "a@fonds.nl")
FUNDER_B = Viewer(FINANCIER, ("buurtbedrijfnoord", "ideeenfabriek", "oudehaven"), "b@fonds.nl")
ADMIN = Viewer(BEHEERDER, (), "beheer@gemeente.nl")
NO_SAVED = {
    "publiek": Viewer(PUBLIEK),
    "ingelogd zonder rol": Viewer(PUBLIEK, (), "c@fonds.nl"),
    "professional": Viewer(PROFESSIONAL, (), "p@wijkteam.nl"),
    "onderneming": Viewer(ONDERNEMING, ("bloemenhof",), "bestuur@bloemenhof.nl"),
}


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    """A copy of the demo database that a test may change."""
    path = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    return path


def _saved(db: Path, viewer: Viewer) -> dict[tuple[str, str], list[str]]:
    """What queries.saved_portfolios gives ``viewer``: (owner, name) -> enterprise ids."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        frame = queries.saved_portfolios(con, viewer)
    finally:
        con.close()
    return {(r.owner, r.name): list(r.enterprise_ids) for r in frame.itertuples()}


def _stored(db: Path) -> dict:
    """The saved_portfolio table and load_log as they are in the file, and its version."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {
            t: sorted(map(repr, con.execute(f"select * from {t}").fetchall()))
            for t in ("saved_portfolio", "load_log", "enterprise", "finance")
        }
    finally:
        con.close()
    return {**tables, "version": wijkimpact_db.database_version(db)}


def _two_funders_save_fonds_oost(db: Path) -> None:
    for viewer, ids in ((FUNDER_A, ["dekroon", "bloemenhof"]), (FUNDER_B, ["oudehaven"])):
        outcome = saved_portfolios.save(viewer, "  Fonds Oost ", ids, db)
        assert (outcome.problems, outcome.status) == ([], "nieuw")


def test_two_financiers_with_the_same_name_each_see_only_their_own(db):
    _two_funders_save_fonds_oost(db)
    assert _saved(db, FUNDER_A) == {("a@fonds.nl", "Fonds Oost"): ["bloemenhof", "dekroon"]}
    assert _saved(db, FUNDER_B) == {("b@fonds.nl", "Fonds Oost"): ["oudehaven"]}


@pytest.mark.parametrize("who", list(NO_SAVED))
def test_the_public_professional_and_enterprises_see_no_saved_portfolio(db, who):
    _two_funders_save_fonds_oost(db)
    assert _saved(db, NO_SAVED[who]) == {}


def test_a_beheerder_sees_every_saved_portfolio_with_its_owner(db):
    _two_funders_save_fonds_oost(db)
    want = {
        ("a@fonds.nl", "Fonds Oost"): ["bloemenhof", "dekroon"],
        ("b@fonds.nl", "Fonds Oost"): ["oudehaven"],
    }
    assert _saved(db, ADMIN) == want
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = saved_portfolios.choices(ADMIN, queries.saved_portfolios(con, ADMIN))
    finally:
        con.close()
    assert [c.label for c in found.values()] == [
        "Alle ondernemingen",
        "Fonds Oost (van a@fonds.nl)",
        "Fonds Oost (van b@fonds.nl)",
    ]


def test_saving_again_replaces_only_the_owners_own_portfolio(db):
    _two_funders_save_fonds_oost(db)
    outcome = saved_portfolios.save(FUNDER_A, "fonds OOST", ["dekroon"], db)  # case does not count
    assert (outcome.problems, outcome.status) == ([], "vervangen")
    assert _saved(db, FUNDER_A) == {("a@fonds.nl", "fonds OOST"): ["dekroon"]}
    assert _saved(db, FUNDER_B) == {("b@fonds.nl", "Fonds Oost"): ["oudehaven"]}
    con = duckdb.connect(str(db), read_only=True)
    try:
        logged = con.execute(
            "select kind, rows, added, replaced, message from load_log "
            "where kind = 'portefeuille' order by batch_id"
        ).fetchall()
    finally:
        con.close()
    message = "portefeuille 'fonds OOST' van a@fonds.nl bewaard"
    assert logged[-1] == ("portefeuille", 1, 0, 1, message)
    assert len(logged) == 3


RESERVED = [
    "__mijn__",
    "__ALLE__",
    "_mijn",
    "alle_",
    "Mijn",
    "ALLE",
    "Mijn portefeuille",
    "mijn-portefeuille",
    "alle ondernemingen",
    "My portfolio",
    "All enterprises",
    "Alle ondernemingen waarvan u de cijfers mag zien",
]


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_names_are_refused_and_nothing_changes(db, name):
    _two_funders_save_fonds_oost(db)
    before = _stored(db)
    outcome = saved_portfolios.save(FUNDER_A, f" {name} ", ["dekroon"], db)
    assert outcome.status is None
    assert outcome.problems == [
        f"Naam '{name}': deze naam is gereserveerd voor de vaste keuzes van deze pagina (Mijn "
        "portefeuille, Alle ondernemingen) en voor namen die met een liggend streepje beginnen "
        "of eindigen; kies een andere naam."
    ]
    assert _stored(db) == before


@pytest.mark.parametrize(
    "viewer, name, ids, message",
    [
        (FUNDER_A, "   ", ["dekroon"], "Naam: leeg. Geef de portefeuille een naam."),
        (FUNDER_A, "x" * 61, ["dekroon"], "Naam: 61 tekens is te lang; maximaal 60 tekens."),
        (
            FUNDER_A,
            "<script>",
            ["dekroon"],
            "Naam '<script>': gebruik alleen letters, cijfers, spaties en . , ' ( ) & / - in de "
            "naam.",
        ),
        (FUNDER_A, "Leeg", [], "Ondernemingen: geen gekozen. Kies minstens één onderneming."),
        (  # buurtbedrijfnoord is private and funded by B only
            FUNDER_A,
            "Fonds Oost",
            ["dekroon", "buurtbedrijfnoord", "bestaatniet"],
            "Ondernemingen: bestaatniet, buurtbedrijfnoord kunt u niet bewaren: u mag de cijfers "
            "ervan niet zien, of ze bestaan niet. Kies alleen ondernemingen uit de lijst.",
        ),
        (
            NO_SAVED["professional"],
            "Wijkteam",
            ["dekroon"],
            "Alleen financiers en beheerders kunnen een portefeuille bewaren.",
        ),
        (
            NO_SAVED["publiek"],
            "Publiek",
            ["dekroon"],
            "Alleen financiers en beheerders kunnen een portefeuille bewaren.",
        ),
    ],
)
def test_a_refused_save_names_the_field_and_leaves_the_saved_ones(db, viewer, name, ids, message):
    _two_funders_save_fonds_oost(db)
    before = _stored(db)
    outcome = saved_portfolios.save(viewer, name, ids, db)
    assert outcome.status is None
    assert outcome.problems == [message]
    assert _stored(db) == before


def test_a_financier_may_save_public_enterprises_it_does_not_fund(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        public = con.execute("select public from enterprise where enterprise_id = 'molenwerk'")
        assert public.fetchall() == [(True,)]
    finally:
        con.close()
    outcome = saved_portfolios.save(FUNDER_A, "Openbaar", ["molenwerk", "bloemenhof"], db)
    assert outcome.problems == []
    assert _saved(db, FUNDER_A) == {("a@fonds.nl", "Openbaar"): ["bloemenhof", "molenwerk"]}


def test_saved_portfolios_survive_loading_enterprise_files_and_users(db, tmp_path):
    _two_funders_save_fonds_oost(db)
    want = _saved(db, ADMIN)
    activities = ROOT / "data" / "demo" / "ondernemingen" / "activiteiten.csv"
    assert etl_main(["load", str(activities), "--db", str(db)]) == 0
    users = tmp_path / "gebruikers.csv"
    users.write_text(
        "email;rol;onderneming;portefeuille\n"
        "a@fonds.nl;financier;;bloemenhof, dekroon\n"
        "beheer@gemeente.nl;beheerder;;\n",
        encoding="utf-8",
    )
    assert etl_main(["users", str(users), "--db", str(db)]) == 0
    assert _saved(db, ADMIN) == want
    assert _saved(db, FUNDER_A) == {("a@fonds.nl", "Fonds Oost"): ["bloemenhof", "dekroon"]}


def test_a_database_made_before_saved_portfolios_gets_the_table_on_the_first_save(db):
    con = duckdb.connect(str(db))
    con.execute("drop table saved_portfolio")
    con.close()
    assert _saved(db, ADMIN) == {}
    assert saved_portfolios.save(ADMIN, "Alles van noord", ["buurtbedrijfnoord"], db).problems == []
    assert _saved(db, ADMIN) == {("beheer@gemeente.nl", "Alles van noord"): ["buurtbedrijfnoord"]}


def test_demo_identities_keep_demo_funders_apart_and_are_never_an_address():
    first = Viewer(FINANCIER, ("dekroon", "bloemenhof"))
    second = Viewer(FINANCIER, ("oudehaven",))
    assert first.owner == "demo:financier:bloemenhof,dekroon"
    assert second.owner == "demo:financier:oudehaven"
    assert Viewer(BEHEERDER).owner == "demo:beheerder"
    assert "@" not in first.owner + second.owner
    assert [v.owner for v in NO_SAVED.values()] == [None] * len(NO_SAVED)
    assert FUNDER_A.owner == "a@fonds.nl"
    assert saved_portfolios.owner_label(first.owner) == "demo-financier met bloemenhof, dekroon"


# --- the page -------------------------------------------------------------------------------


@pytest.fixture
def page(db, open_app):
    def open_as(role: str, scope: tuple[str, ...] = ()) -> AppTest:
        # the page file itself (router=False): the page's buttons are clicked
        state = {ROLE_KEY: role, **({PORTFOLIO_KEY: list(scope)} if scope else {})}
        return open_app("pages/financiers.py", db=db, state=state, router=False)

    return open_as


def _names(db: Path, ids: list[str]) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select name from enterprise where list_contains(?, enterprise_id)", [ids]
        ).fetchall()
    finally:
        con.close()
    return {name for (name,) in rows}


def _save_in_page(at: AppTest, name: str, ids: list[str]) -> AppTest:
    at.selectbox(key="portefeuille_keuze").set_value("__nieuw__").run()  # the one control
    at.multiselect(key="portefeuille_ids").set_value(ids)
    at.text_input(key="portefeuille_naam").input(name)
    at.button(key="portefeuille_bewaren").click().run()
    assert not at.exception, at.exception
    return at


def test_a_funder_saves_a_portfolio_in_the_page_and_only_it_and_beheerders_see_it(page, db):
    old = db.with_name("portefeuilles.json")  # the shared file of before: no longer read
    old.write_text(json.dumps({"Oud gedeeld": ["bloemenhof"]}), encoding="utf-8")
    funder = ("bloemenhof", "dekroon")
    at = _save_in_page(page(FINANCIER, funder), "Fonds Oost", ["bloemenhof"])
    assert at.success[0].value == "Portefeuille 'Fonds Oost' bewaard."
    choice = at.selectbox(key="portefeuille_keuze")
    assert choice.options == [
        "Mijn portefeuille",
        "Alle ondernemingen waarvan u de cijfers mag zien",
        "Fonds Oost",
        "Nieuwe portefeuille samenstellen…",
    ]
    assert choice.value == ("demo:financier:bloemenhof,dekroon", "Fonds Oost")
    assert set(at.dataframe[0].value["Onderneming"][:-1]) == _names(db, ["bloemenhof"])  # + total
    con = duckdb.connect(str(db), read_only=True)
    try:
        omzet = con.execute(
            "select omzet from enterprise_year where enterprise_id = 'bloemenhof' and year = "
            "(select max(year) from enterprise_year)"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert [m.value for m in at.metric if m.label == "Omzet portefeuille"] == [euro(omzet)]

    other = page(FINANCIER, ("oudehaven",))
    assert other.selectbox(key="portefeuille_keuze").options == [
        "Mijn portefeuille",
        "Alle ondernemingen waarvan u de cijfers mag zien",
        "Nieuwe portefeuille samenstellen…",  # another financier may save its own
    ]
    admin = page(BEHEERDER)
    assert admin.selectbox(key="portefeuille_keuze").options == [
        "Alle ondernemingen",
        "Fonds Oost (van demo-financier met bloemenhof, dekroon)",
        "Nieuwe portefeuille samenstellen…",
    ]
    for role in (PUBLIEK, PROFESSIONAL):
        public = page(role)
        assert public.selectbox(key="portefeuille_keuze").options == [
            "Alle ondernemingen waarvan u de cijfers mag zien"
        ]  # no saving either
        assert not public.get("text_input")


def test_a_reserved_name_in_the_page_is_refused_with_its_message(page, db):
    before = _stored(db)
    at = _save_in_page(page(FINANCIER, ("bloemenhof", "dekroon")), "__mijn__", ["dekroon"])
    errors = [e.value.replace("\\", "").replace("\u2060", "") for e in at.error]
    assert len(errors) == 1
    assert errors[0].startswith("Niet bewaard:")
    assert "Naam '__mijn__': deze naam is gereserveerd" in errors[0]
    assert len(at.selectbox(key="portefeuille_keuze").options) == 3  # nothing saved
    assert _stored(db) == before


def test_the_refusal_is_in_english_when_english_is_chosen():
    i18n.use_language("en")
    try:
        problems = saved_portfolios.check(FUNDER_A, "__mijn__", [])
    finally:
        i18n.use_language("nl")
    assert problems == [
        "Name '__mijn__': this name is reserved for this page's fixed choices (My portfolio, All "
        "enterprises) and for names that begin or end with an underscore; choose another name.",
        "Enterprises: none chosen. Choose at least one enterprise.",
    ]
