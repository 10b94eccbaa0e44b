"""The werkgebied an enterprise declares (ondernemingen, column werkgebied), and which
enterprises the wijk profile lists: the home wijk and the werkgebied for everyone, the wijken of
private reinvestments and activities only for whoever may see them."""

from __future__ import annotations

import duckdb
import pytest

from etl.enterprise_files import read_enterprise_files
from etl.enterprise_load import database_context, load_parsed
from etl.publish import staged_database
from tests.test_enterprise_files import _arnhem_db, _run_load, _sheet_file, _snapshot, _where
from wijkimpact.data import queries
from wijkimpact.data.access import BEHEERDER_VIEWER, PUBLIC_VIEWER, Viewer


def _areas(db) -> dict[str, set[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select enterprise_id, area_code from enterprise_area").fetchall()
    finally:
        con.close()
    out: dict[str, set[str]] = {}
    for enterprise, code in rows:
        out.setdefault(enterprise, set()).add(code)
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_werkgebied_loads_as_the_wijken_an_enterprise_works_in(tmp_path, fmt):
    db = _arnhem_db(tmp_path / "w.duckdb")
    lines = [
        "id;naam;wijkcode;werkgebied",
        "gebied;Gebied;WK020201;wk020203, WK020204  wk020203",
        "thuis;Thuis;WK020202;",
    ]
    result = _run_load(db, _sheet_file(tmp_path, "ondernemingen", lines, fmt))
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    stored = dict(con.execute("select enterprise_id, werkgebied from enterprise").fetchall())
    con.close()
    assert stored == {"gebied": "WK020203, WK020204", "thuis": None}
    assert _areas(db) == {"gebied": {"WK020201", "WK020203", "WK020204"}, "thuis": {"WK020202"}}
    # a newer ondernemingen sheet with a smaller werkgebied: the wijk left out is no longer one
    newer = tmp_path / "nieuwer"
    newer.mkdir()
    lines = ["id;naam;wijkcode;werkgebied", "gebied;Gebied;WK020201;WK020204"]
    result = _run_load(db, _sheet_file(newer, "ondernemingen", lines, fmt))
    assert result.returncode == 0, result.stderr
    assert _areas(db)["gebied"] == {"WK020201", "WK020204"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_werkgebied_with_an_unknown_code_is_refused_with_where_and_which(tmp_path, fmt):
    db = _arnhem_db(tmp_path / "w.duckdb")
    first = _sheet_file(tmp_path, "ondernemingen", ["id;naam;wijkcode", "oud;Oud;WK020201"], fmt)
    assert _run_load(db, first).returncode == 0
    before, areas = _snapshot(db), _areas(db)
    folder = tmp_path / "fout"
    folder.mkdir()
    bad = _sheet_file(
        folder,
        "ondernemingen",
        [
            "id;naam;wijkcode;werkgebied",
            "goed;Goed;WK020201;WK020202",
            "een;Een;WK020201;WK020202, WK999999",
            "twee;Twee;WK020202;wk999998 WK020203 WK999999",
        ],
        fmt,
    )
    result = _run_load(db, bad)
    assert result.returncode == 1
    where = _where(bad, fmt)
    expected = (
        f"{where}, rij 3, kolom werkgebied: onbekende wijkcode WK999999: verwacht CBS-wijkcodes "
        "zoals WK020207, gescheiden door komma's, puntkomma's of spaties "
        "(waarde: 'WK020202, WK999999')",
        f"{where}, rij 4, kolom werkgebied: onbekende wijkcodes WK999998, WK999999: verwacht",
    )
    for line in expected:
        assert line in result.stderr, result.stderr
    assert "rij 2" not in result.stderr
    assert "De database is niet veranderd" in result.stderr
    assert _snapshot(db) == before and _areas(db) == areas


# Four enterprises around wijk WK020203 (and WK020204):
# - prive (private): at home in WK020201; reinvested and active in WK020203, active in WK020204
# - anders (private): at home in WK020202, nothing in WK020203 or WK020204
# - open (public, also its year 2024 of one month of activities): at home in WK020205;
#   reinvested in WK020203, active in WK020204
# - gebied (private): at home in WK020206; declares WK020203 and WK020204 as its werkgebied
FILES = {
    "ondernemingen": [
        "id;naam;wijkcode;werkgebied;publiek;publiek_deeljaar",
        "prive;Buurthuis Prive;WK020201;;nee;",
        "anders;Buurthuis Anders;WK020202;;nee;",
        "open;Buurthuis Open;WK020205;;ja;ja",
        "gebied;Buurthuis Gebied;WK020206;WK020203 WK020204;nee;",
    ],
    "herinvesteringen": [
        "onderneming;jaar;wijkcode;project;bedrag",
        "prive;2024;WK020203;Speeltuin;1.000,00",
        "open;2024;WK020203;Moestuin;2.000,00",
    ],
    "activiteiten": [
        "onderneming;datum;activiteit;thema;wijkcode",
        "prive;14-03-2024;Buurtmaaltijd;Zorg;WK020203",
        "prive;15-03-2024;Koffieochtend;Ontmoeting;WK020204",
        "open;16-03-2024;Repair Café;Ontmoeting;WK020204",
    ],
}
PUBLIC_ONLY = {"WK020203": {"open", "gebied"}, "WK020204": {"gebied"}}
VIEWERS = {
    "publiek": (PUBLIC_VIEWER, PUBLIC_ONLY),
    "professional": (Viewer("professional"), PUBLIC_ONLY),
    "een andere onderneming": (Viewer("onderneming", ("anders",)), PUBLIC_ONLY),
    "financier van een andere": (Viewer("financier", ("anders",)), PUBLIC_ONLY),
    "de onderneming zelf": (
        Viewer("onderneming", ("prive",)),
        {"WK020203": {"prive", "open", "gebied"}, "WK020204": {"prive", "gebied"}},
    ),
    "haar financier": (
        Viewer("financier", ("prive",)),
        {"WK020203": {"prive", "open", "gebied"}, "WK020204": {"prive", "gebied"}},
    ),
    "de open onderneming": (
        Viewer("onderneming", ("open",)),
        {"WK020203": {"open", "gebied"}, "WK020204": {"open", "gebied"}},
    ),
    "beheerder": (
        BEHEERDER_VIEWER,
        {"WK020203": {"prive", "open", "gebied"}, "WK020204": {"prive", "open", "gebied"}},
    ),
}


@pytest.fixture(scope="module")
def profile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profiel")
    db = _arnhem_db(folder / "w.duckdb")
    paths = [_sheet_file(folder, kind, lines, "csv") for kind, lines in FILES.items()]
    with staged_database(db) as con:
        load_parsed(con, read_enterprise_files(paths, database_context(con)))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


@pytest.mark.parametrize("who", sorted(VIEWERS))
@pytest.mark.parametrize("wijk", ["WK020203", "WK020204"])
def test_the_wijk_profile_lists_private_links_only_to_who_may_see_them(profile_db, who, wijk):
    viewer, expected = VIEWERS[who]
    listed = queries.active_enterprises(profile_db, viewer, wijk)
    assert set(listed["enterprise_id"]) == expected[wijk]
    assert not listed["thuiswijk"].any()  # none of them is at home there
    homes = dict(zip(listed["enterprise_id"], listed["thuiswijk_naam"], strict=True))
    assert homes.get("gebied", "Wijk 06") == "Wijk 06"


def test_the_home_wijk_is_listed_for_everyone(profile_db):
    for viewer, _ in VIEWERS.values():
        listed = queries.active_enterprises(profile_db, viewer, "WK020201")
        assert listed[["enterprise_id", "thuiswijk"]].values.tolist() == [["prive", True]]


def _declared(con) -> dict[str, set[str]]:
    """Home wijk and werkgebied of every enterprise, read from the enterprise table itself."""
    out = {}
    for enterprise, home, declared in con.execute(
        "select enterprise_id, area_code, werkgebied from enterprise"
    ).fetchall():
        out[enterprise] = {home, *(c.strip() for c in (declared or "").split(",") if c.strip())}
    return out


def test_the_demo_profiles_show_the_public_links_only(demo_con):
    declared = _declared(demo_con)
    assert declared["buurtbedrijfnoord"] == {"WK999912", "WK999909"}  # a private one declares
    public = demo_con.execute("select enterprise_id from enterprise where public").fetchall()
    public = {e for (e,) in public}
    reinvested = demo_con.execute("select distinct enterprise_id, area_code from reinvestment")
    reinvested = set(reinvested.fetchall())
    active = demo_con.execute("select distinct enterprise_id, area_code from activity")
    active = {(e, c) for e, c in active.fetchall() if c is not None}
    hidden = 0
    for (code,) in demo_con.execute("select area_code from area where level = 'wijk'").fetchall():
        expected = {e for e, wijken in declared.items() if code in wijken}
        expected |= {e for e, c in reinvested if c == code and e in public}
        listed = set(queries.active_enterprises(demo_con, PUBLIC_VIEWER, code)["enterprise_id"])
        assert listed == expected, code
        hidden += len({e for e, c in active | reinvested if c == code} - expected)
        everything = expected | {e for e, c in active | reinvested if c == code}
        listed = set(queries.active_enterprises(demo_con, BEHEERDER_VIEWER, code)["enterprise_id"])
        assert listed == everything, code
    assert hidden  # the demo has private links that the public does not see
