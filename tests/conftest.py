"""Shared fixtures: paths to ../shared, a demo database built once per session."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "data" / "real"
FIXTURES = SHARED / "fixtures"

# The app serves data only in a mode it is given: tests run it (AppTest in this process, the
# command-line tools and servers it starts) in demo mode unless a test sets another.
os.environ["WIJKIMPACT_MODE"] = "demo"


def _scan_components_once() -> None:
    """Every new AppTest scans the metadata of every installed distribution for Streamlit
    components (0.13-0.35 s each; about 25 s of CPU over the suite). What is installed does not
    change during a test session: each test process scans once. (Streamlit's own API, not the
    app's: the app does not depend on this.)"""
    from functools import cache

    try:  # a Streamlit that scans elsewhere (or not at all): the suite runs, only slower
        from streamlit.components.v2 import manifest_scanner

        scan = manifest_scanner.scan_component_manifests
    except (ImportError, AttributeError):
        return
    manifest_scanner.scan_component_manifests = cache(scan)


_scan_components_once()


def _wait_for_runs_without_polling() -> None:
    """AppTest waits for a run by polling every millisecond whether the script thread has
    stopped, each time scanning every event of the run (a thousand and more on a page with
    charts): the waiting thread then takes the interpreter from the running script a thousand
    times a second (5 s of the access matrix's 82 s of CPU, py-spy). The script thread's end is
    its SHUTDOWN event (AppTest joins it right after): wait for that end with the same timeout
    and the same error. (Streamlit's testing API, not the app's.)"""
    try:
        from streamlit.testing.v1 import local_script_runner as runner_module

        polling = runner_module.require_widgets_deltas
    except (ImportError, AttributeError):
        return

    def wait_for_the_run(runner, timeout: float = 3) -> None:
        thread = getattr(runner, "_script_thread", None)
        if thread is None:  # another Streamlit: its own wait
            polling(runner, timeout)
            return
        thread.join(timeout)
        if runner.script_stopped():
            return
        runner.request_stop()
        runner.join()
        raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    runner_module.require_widgets_deltas = wait_for_the_run


_wait_for_runs_without_polling()


def need(path: Path) -> Path:
    """Skip the test cleanly when a file from ../shared is not there."""
    if not path.exists():
        pytest.skip(f"{path} ontbreekt (../shared niet aanwezig)")
    return path


@pytest.fixture(scope="session")
def expected() -> dict:
    """EXPECTED.json of the messy fixtures."""
    return json.loads(need(FIXTURES / "EXPECTED.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The database built from the bundled demo, as `python -m etl build` makes it."""
    from etl.build import build

    path = tmp_path_factory.mktemp("demo") / "wijkimpact.duckdb"
    build(path, ROOT / "data" / "demo")
    return path


@pytest.fixture(scope="session")
def national_wijken():
    """The national wijk map of ../shared (3,455 wijken) as the ETL reads it (etl.areas.read_areas:
    borders cleaned as one coverage, 7 s), read once for the tests of the national map."""
    from etl.areas import read_areas

    return read_areas(need(REAL / "wijken_2024.geojson"))


@pytest.fixture(scope="session")
def demo_server(demo_db):
    """The real app on the demo database (`streamlit run app.py`, demo mode), one server for
    the whole session: its url. A test that needs a fresh server (a first visit, other
    settings) starts its own with tests.live_app.running_app."""
    from tests.live_app import running_app

    with running_app(demo_db) as url:
        yield url


MAINS = {"etl": "etl.cli", "wijkimpact.report": "wijkimpact.report.__main__"}  # whose main()


def run_command(
    module: str, *args: str | Path, process: bool = False
) -> subprocess.CompletedProcess:
    """`python -m MODULE ARGS` (etl, wijkimpact.report): its exit code and what it printed, as
    subprocess.run(..., capture_output=True, text=True) gives them. Run in this process (the
    module's main(argv): all that `python -m` runs once Python has started) unless ``process``:
    a process of its own costs a second or two to start; a test of the command itself, or of
    what only a process shows (its memory), asks for one."""
    import importlib

    command = [sys.executable, "-m", module, *map(str, args)]
    if process:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    main = importlib.import_module(MAINS[module]).main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(command[3:])
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(command, code, out.getvalue(), err.getvalue())


def etl_command(*args: str | Path, process: bool = False) -> subprocess.CompletedProcess:
    """`python -m etl ARGS` (run_command)."""
    return run_command("etl", *args, process=process)


@pytest.fixture
def open_app(demo_db, monkeypatch):
    """The AppTest opener of the whole suite: ``open_app(page, state=..., ...)`` opens the app
    as a browser does, app.py (the router, its sidebar) first and then ``page`` (a page file
    as wijkimpact/page_table.py names it; None: the default page), on the demo database or
    ``db``. ``state`` goes into the session before the first run: the demo's role switcher
    ({ROLE_KEY: BEHEERDER}: the demo starts as the public) or any other key; ``query`` into the
    address. ``router=False`` runs the page file on its own instead (a page whose buttons a
    test clicks: through the router AppTest's switch_page first runs a page the legacy pages/
    way and the router's rerun swallows the click). Returns the AppTest after a run without an
    exception. Tests of a first visit (test_router) and of the startup checks (test_access,
    test_startup) make their own AppTest: what they test is how the app starts."""
    from streamlit.testing.v1 import AppTest

    from wijkimpact.page_table import PAGES

    monkeypatch.chdir(ROOT)

    def open_page(
        page: str | None = None,
        *,
        db: Path | None = None,
        state: dict | None = None,
        query: dict | None = None,
        router: bool = True,
        timeout: float = 60,
    ) -> AppTest:
        monkeypatch.setenv("WIJKIMPACT_DB", str(db or demo_db))
        script = "app.py" if router else page
        at = AppTest.from_file(str(ROOT / script), default_timeout=timeout)
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.query_params.update(query or {})
        at.run()
        if router and page not in (None, PAGES[0][0]):
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return open_page


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A copy of the demo database that a test may change."""
    import shutil

    path = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    return path


@pytest.fixture
def no_enterprises_db(tmp_path) -> Path:
    """A published database with Demostad and one wijk (Centrum) and no enterprise yet."""
    from etl.publish import staged_database

    path = tmp_path / "leeg.duckdb"
    with staged_database(path, fresh=True) as con:
        con.execute(
            "insert into area (area_code, level, name, gemeente_code) values "
            "('GM9999', 'gemeente', 'Demostad', 'GM9999'), "
            "('WK999901', 'wijk', 'Centrum', 'GM9999')"
        )
    return path


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """The rows of ``sql`` on the database file ``db`` (opened read-only, then closed)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def snapshot(db: Path, tables: tuple[str, ...]) -> dict:
    """Every row of ``tables``, comparable: to show that a refused load changed nothing."""
    return {t: sorted(map(repr, query(db, f"select * from {t}"))) for t in tables}


@pytest.fixture
def demo_con(demo_db):
    """A read-only connection to the demo database."""
    con = duckdb.connect(str(demo_db), read_only=True)
    yield con
    con.close()


# Demo enterprises whose figures are private (publiek: nee) and their home wijken.
PRIVATE_HOMES = {
    "bloemenhof": "WK999908",
    "buurtbedrijfnoord": "WK999912",
    "ideeenfabriek": "WK999906",
}


@pytest.fixture(scope="session")
def crossed_db(demo_db, tmp_path_factory) -> Path:
    """The demo database where each private enterprise also held an activity and reinvested in
    the home wijk of each other private enterprise, every year: in such a wijk one private
    enterprise has finances while three held activities, the case a single count of hidden
    contributors per wijk got wrong."""
    import shutil

    path = tmp_path_factory.mktemp("crossed") / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    try:
        years = [y for (y,) in con.execute("select distinct year from finance").fetchall()]
        for guest in PRIVATE_HOMES:
            for host, wijk in PRIVATE_HOMES.items():
                if host == guest:
                    continue
                for n, year in enumerate(sorted(years)):
                    con.execute(
                        "insert into activity (enterprise_id, date, activity, theme, area_code,"
                        " participants, volunteers, volunteer_hours)"
                        " values (?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            guest,
                            f"{year}-06-15",
                            f"Gastactiviteit bij {host}",
                            "Ontmoeting",
                            wijk,
                            13 + n,
                            3,
                            7.5,
                        ],
                    )
                    con.execute(
                        "insert into reinvestment (enterprise_id, year, area_code, project, theme,"
                        " amount) values (?, ?, ?, ?, ?, ?)",
                        [
                            guest,
                            year,
                            wijk,
                            f"Gastproject bij {host}",
                            "Ontmoeting",
                            1234.56 + 101 * n + len(guest),
                        ],
                    )
    finally:
        con.close()
    return path


# A partial year: De Kroon (public) loaded January to March 2025 only, month by month, with
# two activities; the amounts per month: verhuur, horeca, subsidie_gemeente, personeelskosten.
PARTIAL_ENTERPRISE = "dekroon"
PARTIAL_MONTHS = {
    1: (20111.11, 10222.22, 5333.33, 30444.44),
    2: (21111.12, 10333.23, 0.0, 31555.45),
    3: (22111.13, 11444.24, 0.0, 32666.46),
}
PARTIAL_HOURS = {"10-01-2025": 9.0, "14-03-2025": 12.5}


def _dutch(amount: float) -> str:
    return f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture(scope="session")
def partial_db(demo_db, tmp_path_factory) -> Path:
    """The demo database after De Kroon loaded January to March 2025 (PARTIAL_MONTHS), through
    `python -m etl load` as an enterprise would."""
    import shutil

    folder = tmp_path_factory.mktemp("partial")
    path = folder / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    finance = folder / "financien.csv"
    lines = ["onderneming;jaar;maand;verhuur;horeca;subsidie_gemeente;personeelskosten"]
    for month, amounts in PARTIAL_MONTHS.items():
        cells = ";".join(_dutch(a) for a in amounts)
        lines.append(f"{PARTIAL_ENTERPRISE};2025;{month};{cells}")
    finance.write_text("\n".join(lines) + "\n", encoding="utf-8")
    activities = folder / "activiteiten.csv"
    rows = ["onderneming;datum;activiteit;thema;wijkcode;deelnemers;vrijwilligers;uren"]
    for day, hours in PARTIAL_HOURS.items():
        uren = f"{hours:g}".replace(".", ",")
        rows.append(f"{PARTIAL_ENTERPRISE};{day};Koffieochtend;Ontmoeting;WK999904;20;3;{uren}")
    activities.write_text("\n".join(rows) + "\n", encoding="utf-8")
    done = etl_command("load", finance, activities, "--db", path)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


@pytest.fixture(scope="session")
def published_db(partial_db, tmp_path_factory) -> Path:
    """partial_db after De Kroon said it publishes its partial years (publiek_deeljaar: ja)."""
    import shutil

    folder = tmp_path_factory.mktemp("published")
    path = folder / "wijkimpact.duckdb"
    shutil.copy(partial_db, path)
    sheet = folder / "ondernemingen.csv"
    sheet.write_text(
        "id;naam;wijkcode;publiek;publiek_deeljaar\n"
        f"{PARTIAL_ENTERPRISE};Bewonersbedrijf De Kroon;WK999904;ja;ja\n",
        encoding="utf-8",
    )
    done = etl_command("load", sheet, "--db", path)
    assert done.returncode == 0, done.stdout + done.stderr
    return path


# Under xdist (pyproject.toml: -n 2) each test goes to whichever worker is free, except tests that
# share something costly to start: those run on one worker, one after the other, so it starts
# once. By file, since the scheduler sees only node ids: the files whose browser tests use the
# live demo server (demo_server) as one group, and each file with a costly module fixture.
# (xdist's own --dist loadgroup would not do: xdist 3.8 names the group in a node id attribute
# that pytest 9 no longer reads, so every test ran wherever.)
TOGETHER = {
    "test_access_browser.py": "demo-server",
    "test_browser.py": "demo-server",
    "test_journey_treasurer.py": "demo-server",
    "test_journey_auditfile.py": "demo-server",
    "test_kaart.py": "demo-server",
    "test_journey_professional.py": "demo-server",
    "test_journey_funder.py": "demo-server",
    "test_report.py": "demo-server",
    "test_security.py": "demo-server",
    "test_login.py": "login",  # the login provider and the app in production mode
    "test_escaping_browser.py": "marked-server",  # the app on the marked database
    "test_areas.py": "national-wijken",  # the national wijk map, read once (national_wijken)
    "test_real_data_app.py": "national-wijken",  # and a database with it
    "test_replicas.py": "replicas",  # nginx over two replicas
}


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class Together(LoadScopeScheduling):
        """xdist's scheduling by scope, with a scope per test unless TOGETHER names one."""

        def _split_scope(self, nodeid: str) -> str:
            return TOGETHER.get(Path(nodeid.split("::", 1)[0]).name, nodeid)

    return Together(config, log)


def pytest_collection_finish(session):
    """Every test module is imported (Streamlit, pandas, plotly and the app with them): those
    objects live as long as the test process, so the garbage collector's full collections need
    not go over them again and again (gc.freeze; about 0.2 s per full collection otherwise)."""
    import gc

    gc.collect()
    gc.freeze()
