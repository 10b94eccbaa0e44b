"""The archive of accepted inputs beside the database: a rebuild from it alone gives every table
row for row (also after a schema change), versions and restore, and another schema version."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import shutil
import stat
from pathlib import Path

import duckdb
import pytest

from etl import archive, versions
from etl.rebuild import plan
from tests.conftest import FIXTURES, REAL, ROOT, etl_command, need

GOOD = [
    "ondernemingen.csv",
    "financien_excel_nl.csv",
    "financien_utf8.csv",
    "wijkimpact_invoer.xlsx",
]
USERS = (
    "email;rol;onderneming;portefeuille\n"
    "Jan@Dekroon.nl;onderneming;dekroon;\n"
    "fonds@stad.nl;financier;;dekroon, bloemenhof\n"
)


def install(db: Path, into: Path) -> Path:
    """A copy of the database ``db`` with its archive and versions, the live file the same
    file as its version (as the ETL leaves it)."""
    into.mkdir(parents=True, exist_ok=True)
    target = into / db.name
    shutil.copytree(archive.archive_dir(db), archive.archive_dir(target))
    shutil.copytree(versions.versions_dir(db), versions.versions_dir(target))
    live = versions.live_version(db)
    os.link(versions.version_file(target, live), target)
    return target


def tables(db: Path, skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every table's rows, sorted, as text."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, con.execute(f'select * from "{t}"').fetchall()))
            for t in names
            if t not in skip
        }
    finally:
        con.close()


def one(db: Path, sql: str, params: list | None = None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()
    finally:
        con.close()


def ok(*args) -> str:
    result = etl_command(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def loaded(demo_db, tmp_path_factory) -> Path:
    """The demo, Arnhem's wijken and the shared messy files, a user list, an upload on
    /gegevens, two activities entered in the form and a saved portfolio: every way in."""
    from wijkimpact.data.access import BEHEERDER, Viewer
    from wijkimpact.data.saved_portfolios import save as save_portfolio
    from wijkimpact.ui import activity_form, intake

    files = [need(FIXTURES / "goed" / name) for name in GOOD]
    gpkg = need(REAL / "wijkenbuurten_2024_arnhem_amstelveen_rd.gpkg")
    folder = tmp_path_factory.mktemp("archief")
    db = install(demo_db, folder / "in")
    ok("areas", gpkg, "--gemeente", "GM0202", "--year", "2024", "--db", db)
    ok("load", *files, "--db", db)
    if importlib.util.find_spec("etl.xaf"):  # auditfiles (issue 17): one by KvK, one named
        xaf = FIXTURES / "xaf"
        ok("load", need(xaf / "koppeling_presikhaaf.csv"), xaf / "presikhaaf_2024.xaf", "--db", db)
        ok(
            "load",
            xaf / "koppeling_steenhuis.csv",
            xaf / "steenhuis_2024.xaf",
            "--onderneming",
            "steenhuis",
            "--db",
            db,
        )
    users = folder / "gebruikers.csv"
    users.write_text(USERS, encoding="utf-8")
    ok("users", users, "--db", db)
    admin = Viewer(BEHEERDER)
    upload = intake.Upload(
        "herinvesteringen.csv",
        b"onderneming;jaar;wijkcode;project;thema;bedrag\n"
        b"bloemenhof;2024;WK999908;Bankjes;Groen;1.250\n",
    )
    outcome = intake.load([upload], db, viewer=admin)
    assert outcome.loaded, outcome.problems
    for name, hours in (("Repaircafe", "7,5"), ("Buurtsoep", "3")):
        values = {
            "onderneming": "dekroon",
            "datum": dt.date(2024, 5, 1),
            "activiteit": name,
            "thema": "Ontmoeting",
            "wijkcode": "WK999901",
            "deelnemers": "20",
            "vrijwilligers": "3",
            "vrijwilligersuren": hours,
        }
        saved = activity_form.save(values, db, viewer=admin)
        assert saved.status == "nieuw", saved.problems
    assert save_portfolio(admin, "Noord", ["dekroon", "bloemenhof"], db).status == "nieuw"
    return db


def test_a_rebuild_from_the_archive_alone_gives_every_table_row_for_row(loaded, tmp_path):
    db = install(loaded, tmp_path)
    before = tables(db)
    assert before["saved_portfolio"] and before["app_user"]
    assert ("Repaircafe" in row for row in before["activity"])
    db.unlink()
    out = ok("rebuild", "--db", db)
    assert "herbouwd" in out
    after = tables(db)
    assert {t: sorted(set(r) ^ set(before[t])) for t, r in after.items() if r != before[t]} == {}
    assert after == before
    root = archive.archive_dir(db)
    # load_log points to each input in the archive, its bytes those it read
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select source_file, checksum, archive_file from load_log").fetchall()
    con.close()
    for name, checksum, place in rows:
        assert hashlib.sha256((root / place).read_bytes()).hexdigest() == checksum, name
    # private figures: the archive only for the account that runs the ETL
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE(versions.versions_dir(db).stat().st_mode) == 0o700
    assert stat.S_IMODE((root / place).stat().st_mode) == 0o600
    entries = archive.read_manifest(db)
    by_via = {e["via"]: e for e in entries}
    assert by_via["gegevens"]["enterprises"] == ["bloemenhof"]
    assert by_via["gegevens"]["who"] == "demo:beheerder"
    assert [e["files"][0]["name"] for e in entries if e["via"] == "formulier"] == [
        "formulier_activiteit.csv"
    ] * 2
    assert by_via["portefeuille"]["files"][0]["name"] == "portefeuille"
    if importlib.util.find_spec("etl.xaf"):  # the auditfile replayed for the enterprise named
        steps = [step for e in entries for step in e["steps"]]
        assert ["load", "@0", "@1", "--onderneming", "steenhuis"] in steps
        assert any(
            row.startswith("(") and "steenhuis_2024.xaf" in row for row in before["load_log"]
        )


def test_a_rebuild_after_a_schema_change_gives_the_same_rows(loaded, tmp_path, monkeypatch):
    import etl.schema

    db = install(loaded, tmp_path)
    before = tables(db, skip=("schema_version",))
    views = (etl.schema.SQL_DIR / "views.sql").read_text(encoding="utf-8")
    old = "select enterprise_id, year, sum(amount) as geherinvesteerd\nfrom reinvestment"
    assert views.count(old) == 1
    changed = tmp_path / "views.sql"
    changed.write_text(
        views.replace(old, old.replace("geherinvesteerd", "geherinvesteerd, count(*) as projecten"))
    )
    files = tuple(str(changed) if n == "views.sql" else n for n in etl.schema.SCHEMA_FILES)
    monkeypatch.setattr(etl.schema, "SCHEMA_FILES", files)
    refused = etl_command("load", need(FIXTURES / "goed" / "ondernemingen.csv"), "--db", db)
    assert refused.returncode == 1 and "python -m etl rebuild" in refused.stderr
    ok("rebuild", "--db", db)
    assert tables(db, skip=("schema_version",)) == before
    assert one(db, "select version from schema_version")[0] == etl.schema.schema_version()
    projects = one(
        db,
        "select count(*) from reinvestment where enterprise_id = 'bloemenhof' and year = 2024",
    )[0]
    shown = one(
        db,
        "select projecten from reinvestment_year "
        "where enterprise_id = 'bloemenhof' and year = 2024",
    )[0]
    assert shown == projects > 0


def test_refused_files_are_not_archived_and_partial_files_are_cleaned_up(
    loaded, tmp_path, monkeypatch
):
    db = install(loaded, tmp_path)
    root = archive.archive_dir(db)
    partial = root / archive.FILES / "ab" / f"ab{'0' * 62}{archive.PART}999"
    partial.parent.mkdir(exist_ok=True)
    partial.write_bytes(b"half")
    with open(root / archive.MANIFEST, "ab") as fh:
        fh.write(b'{"nr": 999, "half')
    files_before = sorted(p.name for p in (root / archive.FILES).rglob("*"))
    entries = archive.read_manifest(db)
    assert entries[-1]["nr"] < 999  # the cut-off line is not read
    bad = need(FIXTURES / "fout" / "maand_13.csv")
    assert etl_command("load", bad, "--db", db).returncode == 1
    assert sorted(p.name for p in (root / archive.FILES).rglob("*")) == files_before
    assert archive.read_manifest(db) == entries
    good = tmp_path / "nieuw.csv"
    good.write_text("onderneming;jaar;maand;verhuur\ndekroon;2023;;1.000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ok("load", "./nieuw.csv", "--db", db)  # as typed: a relative path
    assert not partial.exists()
    assert (root / archive.MANIFEST).read_bytes().endswith(b"\n")
    last = archive.read_manifest(db)[-1]
    assert last["nr"] == entries[-1]["nr"] + 1
    assert last["steps"] == [["load", "@0"]] and last["files"][0]["name"] == "nieuw.csv"


def test_a_rebuild_lists_the_inputs_current_code_refuses_and_changes_nothing(tmp_path, monkeypatch):
    import etl.cell_rules

    db = tmp_path / "w.duckdb"  # an archive of its own, quick to replay: a wijk, an enterprise
    ok("areas", ROOT / "data" / "demo" / "gebieden" / "demostad_wijken.geojson", "--db", db)
    kroon = tmp_path / "kroon.csv"
    kroon.write_text("id;naam;wijkcode\ndekroon;De Kroon;WK999901\n", encoding="utf-8")
    ok("load", kroon, "--db", db)
    old = tmp_path / "oude_jaren.csv"
    old.write_text("onderneming;jaar;maand;verhuur\ndekroon;2021;;5.000\n", encoding="utf-8")
    ok("load", old, "--db", db)
    nr = archive.read_manifest(db)[-1]["nr"]
    live = hashlib.sha256(db.read_bytes()).hexdigest()
    # a newer version that accepts financial years from 2022 only
    monkeypatch.setattr(etl.cell_rules, "MIN_YEAR", 2022)
    result = etl_command("rebuild", "--db", db)
    assert result.returncode == 1
    assert f"lading {nr} (" in result.stderr and "oude_jaren.csv" in result.stderr
    assert "oude_jaren.csv, rij 2, kolom jaar: jaar moet tussen 2022 en" in result.stderr
    assert "De database is niet veranderd." in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == live
    assert versions.live_version(db) == nr
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_database_from_before_the_archive_is_not_rebuilt_from_a_part_of_it(demo_db, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copyfile(demo_db, db)  # as an installation from before the archive: no history
    csv = tmp_path / "jaar.csv"
    csv.write_text("onderneming;jaar;maand;verhuur\ndekroon;2022;;7.000\n", encoding="utf-8")
    ok("load", csv, "--db", db)
    assert archive.read_manifest(db)[0]["base"] is None
    live = hashlib.sha256(db.read_bytes()).hexdigest()
    result = etl_command("rebuild", "--db", db)
    assert result.returncode == 1
    assert "begon bij een database van vóór het archief" in result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == live


def test_restore_brings_back_the_figures_before_a_load_in_a_running_app(loaded, tmp_path, open_app):
    from wijkimpact.data.access import BEHEERDER
    from wijkimpact.ui.session import ROLE_KEY

    db = install(loaded, tmp_path)
    before, version = tables(db), versions.live_version(db)
    at = open_app(db=db, state={ROLE_KEY: BEHEERDER, "jaar": 2024, "gemeente": "GM9999"})
    shown_before = at.metric[0].value
    extra = tmp_path / "extra.csv"
    extra.write_text("onderneming;jaar;maand;verhuur\nbloemenhof;2024;;1000000\n", encoding="utf-8")
    ok("load", extra, "--db", db)
    at.run()
    assert at.metric[0].value != shown_before
    listing = ok("versions", "--db", db).splitlines()
    assert listing[0].startswith(f"{version + 1} ") and "extra.csv" in listing[0]
    assert listing[1].startswith(f"{version} ")
    ok("restore", str(version), "--db", db)
    assert tables(db) == before
    at.run()
    assert not at.exception
    assert at.metric[0].value == shown_before
    assert archive.read_manifest(db)[-1]["restored"] == version
    # a later rebuild replays the loads that made it, not the one undone, unless asked
    undone = version + 1
    assert [e["nr"] for e in plan(db)][-1] == version
    assert undone not in [e["nr"] for e in plan(db)]
    assert [e["nr"] for e in plan(db, include_undone=True)][-1] == undone


def test_versions_kept_are_the_live_one_and_as_many_before_it_as_configured(
    loaded, tmp_path, monkeypatch
):
    db = install(loaded, tmp_path)
    monkeypatch.setenv(versions.KEEP_VARIABLE, "2")
    for n in range(3):
        csv = tmp_path / f"v{n}.csv"
        csv.write_text(f"onderneming;jaar;maand;verhuur\ndekroon;2023;;{n + 1}\n", encoding="utf-8")
        ok("load", csv, "--db", db)
    numbers = [int(line.split()[0]) for line in ok("versions", "--db", db).splitlines()]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == 3


@pytest.mark.parametrize("language, words", [("nl", "Maak hem opnieuw"), ("en", "rebuild")])
def test_a_database_of_another_schema_version_is_refused_with_how_to_rebuild(
    demo_db, tmp_path, monkeypatch, language, words
):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "oud.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("update schema_version set version = 'oud'")
    monkeypatch.setenv("WIJKIMPACT_DB", str(db))
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["taal"] = language
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "`python -m etl rebuild`" in message and f"`{db}`" in message and "oud" in message
    assert words in message
    assert not at.metric  # no figure
    result = etl_command("load", need(FIXTURES / "goed" / "ondernemingen.csv"), "--db", db)
    assert result.returncode == 1 and "python -m etl rebuild" in result.stderr


def test_uploads_leave_no_copy_behind_and_the_archive_is_not_served(loaded, tmp_path, monkeypatch):
    import tempfile
    import tomllib

    from etl.paths import DEFAULT_DB
    from wijkimpact.data.access import ONDERNEMING, Viewer
    from wijkimpact.ui import intake

    db = install(loaded, tmp_path / "db")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    own = Viewer(ONDERNEMING, ("dekroon",))
    upload = intake.Upload("jaar.csv", b"onderneming;jaar;maand;verhuur\ndekroon;2022;;7.000\n")
    assert intake.check([upload], db, viewer=own).ok
    assert intake.load([upload], db, viewer=own).loaded
    assert list(scratch.iterdir()) == []
    entry = archive.read_manifest(db)[-1]
    assert (entry["via"], entry["who"], entry["enterprises"]) == (
        "gegevens",
        "demo:onderneming:dekroon",
        ["dekroon"],
    )
    # Streamlit serves static/ beside app.py only; the archive lives beside the database
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    for folder in (archive.archive_dir(DEFAULT_DB), versions.versions_dir(DEFAULT_DB)):
        assert not folder.resolve().is_relative_to(ROOT / "static")
