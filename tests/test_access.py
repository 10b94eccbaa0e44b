"""Who may see what, below the pages: the viewer, the suppression rule, every query, uploads,
the form, the report and the users file."""

from __future__ import annotations

import datetime as dt
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, etl_command
from wijkimpact.data import queries
from wijkimpact.data.access import (
    BEHEERDER,
    BEHEERDER_VIEWER,
    FIGURE_GROUPS,
    FINANCIER,
    ONDERNEMING,
    PROFESSIONAL,
    PUBLIC_VIEWER,
    PUBLIEK,
    SUPPRESSED_NOTE,
    Viewer,
    contributors_column,
    hidden_column,
    suppress,
)
from wijkimpact.ui import activity_form, intake

PRIVATE = {"bloemenhof", "buurtbedrijfnoord", "ideeenfabriek"}  # demo: publiek = nee
KROON = Viewer(ONDERNEMING, ("dekroon",))
BLOEMENHOF = Viewer(ONDERNEMING, ("bloemenhof",))
FONDS = Viewer(FINANCIER, ("bloemenhof", "dekroon"))
# tables that hold an enterprise's own figures: a query that reads one must take the viewer
PRIVATE_TABLES = ("finance", "reinvestment", "activity", "property", "enterprise_year", "wijk_year")
# queries that read them without returning any figure (the years with figures)
NO_FIGURES = {"years"}


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    path = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, path)
    return path


# --- the viewer and the suppression rule -----------------------------------------------------


def test_viewer_is_frozen_hashable_and_checks_its_role():
    assert hash(Viewer(FINANCIER, ("b", "a"))) == hash(Viewer(FINANCIER, ("a", "b", "a")))
    with pytest.raises(ValueError, match="onbekende rol"):
        Viewer("directeur")
    with pytest.raises(ValueError, match="geen onderneming"):
        Viewer(PROFESSIONAL, ("dekroon",))
    with pytest.raises(AttributeError):
        KROON.role = BEHEERDER  # type: ignore[misc]


@pytest.mark.parametrize(
    ("viewer", "detail", "figures", "write"),
    [
        (BEHEERDER_VIEWER, True, True, True),
        (KROON, False, False, False),  # bloemenhof is private; De Kroon is another enterprise
        (BLOEMENHOF, True, True, True),
        (FONDS, True, True, False),  # funds it: sees everything, loads nothing
        (Viewer(PROFESSIONAL), False, False, False),
        (PUBLIC_VIEWER, False, False, False),
    ],
)
def test_what_a_viewer_may_do_with_a_private_enterprise(viewer, detail, figures, write):
    assert viewer.detail("bloemenhof") is detail
    assert viewer.figures("bloemenhof", public=False) is figures
    assert viewer.figures("bloemenhof", public=True) is True  # public figures: everyone
    assert viewer.may_write("bloemenhof") is write


def _counts(**groups) -> dict[str, list[int]]:
    """Count columns for access.suppress: per group (contributors, hidden) lists."""
    out, rows = {}, len(next(iter(groups.values()))[0])
    for group in FIGURE_GROUPS:
        present, hidden = groups.get(group, ([0] * rows, [0] * rows))
        out[contributors_column(group)] = present
        out[hidden_column(group)] = hidden
    return out


@pytest.mark.parametrize(
    ("hidden", "suppressed"), [(0, False), (1, True), (2, True), (3, False), (7, False)]
)
def test_a_total_of_one_or_two_hidden_enterprises_is_suppressed(hidden, suppressed):
    frame = pd.DataFrame(
        {"wijk": ["W"], "omzet": [1000.0], "inwoners": [500], **_counts(financien=([8], [hidden]))}
    )
    out = suppress(frame)
    assert bool(out.at[0, "onderdrukt"]) is suppressed
    assert bool(out.at[0, "onderdrukt_financien"]) is suppressed
    assert bool(np.isnan(out.at[0, "omzet"])) is suppressed
    assert out.at[0, "inwoners"] == 500  # only the groups' figures
    assert not any(c.startswith(("bijdragers_", "verborgen_")) for c in out)


def test_each_group_of_figures_is_suppressed_on_its_own_contributors():
    # one private enterprise's finances; two other private ones only held an activity there:
    # three hidden enterprises in the wijk, but the finance figures are one enterprise's own
    frame = pd.DataFrame(
        {
            "omzet": [5000.0],
            "resultaat": [700.0],
            "verdienvermogen": [0.4],
            "deelnemers": [40.0],
            "geherinvesteerd": [0.0],
            **_counts(financien=([1], [1]), activiteiten=([3], [3])),
        }
    )
    out = suppress(frame).iloc[0]
    assert np.isnan(out["omzet"]) and np.isnan(out["resultaat"])
    assert np.isnan(out["verdienvermogen"])
    assert out["onderdrukt_financien"] and not out["onderdrukt_activiteiten"]
    assert out["deelnemers"] == 40.0  # three hidden enterprises: shown
    assert np.isnan(out["geherinvesteerd"])  # nobody reinvested: nothing to show, not 0
    assert not out["onderdrukt_herinvesteringen"]


def test_secondary_suppression_keeps_a_larger_total_from_isolating_a_withheld_row():
    # gemeente G: wijk A with three hidden enterprises, wijk B with one. The gemeente total
    # (four hidden) is shown, so A shown would give B = G - A: A is withheld as well.
    frame = pd.DataFrame(
        {
            "gemeente": ["G", "G", "G", "H"],
            "wijk": ["A", "B", "C", "D"],
            "omzet": [300.0, 100.0, 50.0, 80.0],
            **_counts(financien=([3, 1, 1, 1], [3, 1, 0, 1])),
        }
    )
    out = suppress(frame, partition=("gemeente",))
    assert out["onderdrukt_financien"].tolist() == [True, True, False, True]
    assert out["omzet"].isna().tolist() == [True, True, False, True]
    # without a partition only the primary rule applies
    assert suppress(frame)["onderdrukt_financien"].tolist() == [False, True, False, True]


def test_suppress_keeps_every_row_and_does_not_change_its_input():
    frame = pd.DataFrame({"omzet": [1.0, 2.0, 3.0], **_counts(financien=([1, 2, 5], [0, 2, 5]))})
    out = suppress(frame, minimum=3)
    assert out["omzet"].tolist()[0::2] == [1.0, 3.0] and np.isnan(out["omzet"][1])
    assert frame["omzet"].tolist() == [1.0, 2.0, 3.0] and "verborgen_financien" in frame
    assert out["onderdrukt"].tolist() == [False, True, False]


# --- every query filters by the viewer -----------------------------------------------------------


def _reads_private_tables(function) -> bool:
    source = inspect.getsource(function).lower()
    return any(re.search(rf"\b(from|join)\s+{t}\b", source) for t in PRIVATE_TABLES)


def test_every_query_that_reads_enterprise_figures_takes_the_viewer():
    functions = [
        f
        for name, f in inspect.getmembers(queries, inspect.isfunction)
        if f.__module__.startswith(queries.__name__ + ".") and not name.startswith("_")
    ]
    readers = [f.__name__ for f in functions if _reads_private_tables(f)]
    assert "enterprise_years" in readers and "wijk_years" in readers
    missing = [
        name
        for name in readers
        if name not in NO_FIGURES
        and "viewer" not in inspect.signature(getattr(queries, name)).parameters
    ]
    assert not missing, f"queries without a viewer: {missing}"


def test_pages_reach_data_only_through_store_with_the_session_viewer():
    pages = [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]
    for page in pages:
        source = page.read_text(encoding="utf-8")
        no_db = r"^\s*(import duckdb|from wijkimpact(\.data)? import .*\bdb\b)"
        assert not re.search(no_db, source, re.M)
        # no page makes up a viewer: the only one is session.current_viewer()
        assert not re.search(r"Viewer\(|_VIEWER\b", source), page.name
        assert not re.findall(r"viewer=(?!viewer\b)", source), page.name
        for call in re.findall(r"queries\.(\w+)\(", source):
            pytest.fail(f"{page.name} calls queries.{call} directly, not through store.load")
    with pytest.raises(TypeError, match="kijker"):
        from wijkimpact.ui import store

        store.load(queries.enterprise_years, viewer=BEHEERDER_VIEWER)


def test_annual_figures_only_of_public_enterprises_and_of_ones_own(demo_con):
    shown = lambda viewer: set(queries.enterprise_years(demo_con, viewer)["enterprise_id"])  # noqa: E731
    everyone = shown(BEHEERDER_VIEWER)
    assert len(everyone) == 8
    assert shown(PUBLIC_VIEWER) == everyone - PRIVATE
    assert shown(Viewer(PROFESSIONAL)) == everyone - PRIVATE
    assert shown(BLOEMENHOF) == everyone - PRIVATE | {"bloemenhof"}
    assert shown(FONDS) == everyone - PRIVATE | {"bloemenhof"}
    assert queries.income_by_source(demo_con, PUBLIC_VIEWER, "bloemenhof").empty
    assert not queries.income_by_source(demo_con, FONDS, "bloemenhof").empty
    assert queries.reinvestment_summary(demo_con, KROON, "ideeenfabriek").empty


@pytest.mark.parametrize(
    ("query", "args"),
    [
        (queries.activity_months, ("dekroon",)),
        (queries.properties, ("dekroon",)),
        (queries.activity_themes, ("dekroon", 2024)),
        (queries.reinvestments, ("dekroon",)),
    ],
)
def test_detail_only_for_the_enterprise_its_funders_and_beheerders(demo_con, query, args):
    # De Kroon makes its figures public; its detail is still its own
    for viewer in (KROON, FONDS, BEHEERDER_VIEWER):
        assert not query(demo_con, viewer, *args).empty, viewer
    for viewer in (PUBLIC_VIEWER, Viewer(PROFESSIONAL), BLOEMENHOF):
        assert query(demo_con, viewer, *args).empty, viewer
    assert queries.enterprise_loaded_at(demo_con, PUBLIC_VIEWER, "dekroon") is None
    assert queries.enterprise_loaded_at(demo_con, KROON, "dekroon") is not None
    assert set(queries.data_completeness(demo_con, FONDS)["enterprise_id"]) == set(FONDS.scope)
    assert queries.finance_periods(demo_con, PUBLIC_VIEWER).empty


def test_totals_are_suppressed_when_one_or_two_private_enterprises_make_them(demo_con):
    def year(viewer):
        frame = queries.enterprise_totals(demo_con, viewer)
        return frame[frame["year"] == 2024].iloc[0]

    total = demo_con.execute("select sum(omzet) from enterprise_year where year = 2024").fetchone()
    assert year(BEHEERDER_VIEWER)["omzet"] == pytest.approx(total[0])
    assert year(PUBLIC_VIEWER)["omzet"] == pytest.approx(total[0])  # three private ones
    for viewer in (BLOEMENHOF, FONDS):  # two private ones left: suppressed
        assert year(viewer)["onderdrukt"] and np.isnan(year(viewer)["omzet"])
    assert year(viewer)["ondernemingen"] == 8  # how many is not secret


def test_wijk_figures_with_a_private_enterprise_are_suppressed(demo_con):
    def wijk(viewer, code):
        frame = queries.wijk_years(demo_con, viewer)
        return frame[(frame["area_code"] == code) & (frame["year"] == 2024)].iloc[0]

    # WK999908: bloemenhof's home wijk; WK999903: Molenwerk's (public), where bloemenhof
    # (private) reinvested: its reinvestments are withheld for the public, not its finances
    # (Molenwerk's own), and nothing for bloemenhof itself
    assert not np.isnan(wijk(BEHEERDER_VIEWER, "WK999908")["omzet"])
    assert wijk(PUBLIC_VIEWER, "WK999908")["onderdrukt_financien"]
    assert np.isnan(wijk(PUBLIC_VIEWER, "WK999908")["omzet"])
    assert wijk(PUBLIC_VIEWER, "WK999908")["inwoners"] > 0  # CBS figures stay
    assert wijk(PUBLIC_VIEWER, "WK999903")["onderdrukt_herinvesteringen"]
    assert np.isnan(wijk(PUBLIC_VIEWER, "WK999903")["geherinvesteerd"])
    assert not wijk(PUBLIC_VIEWER, "WK999903")["onderdrukt_financien"]
    assert wijk(PUBLIC_VIEWER, "WK999903")["omzet"] == wijk(BEHEERDER_VIEWER, "WK999903")["omzet"]
    assert not wijk(BLOEMENHOF, "WK999903")["onderdrukt"]
    assert wijk(BLOEMENHOF, "WK999903")["geherinvesteerd"] == pytest.approx(
        wijk(BEHEERDER_VIEWER, "WK999903")["geherinvesteerd"]
    )
    values = queries.map_values(demo_con, PUBLIC_VIEWER, "omzet", "wijk")
    assert values.loc[values["onderdrukt"], "value"].isna().all()
    assert values["onderdrukt"].any() and not values["onderdrukt"].all()


def test_projects_in_a_wijk_only_within_scope(demo_con):
    public = queries.area_reinvestments(demo_con, PUBLIC_VIEWER, "WK999904")
    assert public["project"].isna().all()  # sums per theme of public enterprises only
    assert "Buurtbedrijf Noorderhout" not in set(public["onderneming"])  # private
    own = queries.area_reinvestments(demo_con, KROON, "WK999904")
    assert own.loc[own["onderneming"] == "Bewonersbedrijf De Kroon", "project"].notna().all()


# --- uploads and the form: only one's own enterprise ---------------------------------------------


def _finance(enterprise: str) -> intake.Upload:
    data = f"onderneming;jaar;verhuur\n{enterprise};2024;1\n".encode()
    return intake.Upload(f"{enterprise}.csv", data)


def test_an_enterprise_loads_only_its_own_rows(db):
    before = db.read_bytes()
    outcome = intake.load([_finance("dekroon"), _finance("molenwerk")], db, viewer=KROON)
    assert not outcome.loaded
    row = outcome.problems.iloc[0]
    assert (row["Bestand"], row["Rij"], row["Kolom"], row["Waarde"]) == (
        "molenwerk.csv",
        "2",
        "onderneming",
        "molenwerk",
    )
    assert "alleen gegevens van uw eigen onderneming" in row["Probleem"]
    assert db.read_bytes() == before
    found = intake.check([_finance("molenwerk")], db, viewer=KROON)
    assert not found.ok and "eigen onderneming" in found.problems.iloc[0]["Probleem"]
    assert intake.load([_finance("dekroon")], db, viewer=KROON).loaded


@pytest.mark.parametrize("viewer", [FONDS, Viewer(PROFESSIONAL), PUBLIC_VIEWER])
def test_others_load_nothing(db, viewer):
    outcome = intake.load([_finance("dekroon")], db, viewer=viewer)
    assert not outcome.loaded
    assert "alleen een onderneming" in outcome.problems.iloc[0]["Probleem"]
    saved = activity_form.save({"onderneming": "dekroon"}, db, viewer=viewer)
    assert saved.status is None and "alleen een onderneming" in saved.problems[0]


def test_the_form_saves_only_for_ones_own_enterprise(db):
    values = {"onderneming": "molenwerk", "datum": dt.date(2024, 5, 1), "activiteit": "Proef"}
    refused = activity_form.save(values, db, viewer=KROON)
    assert refused.status is None
    assert refused.problems == [
        "onderneming: u mag alleen activiteiten van uw eigen onderneming invoeren "
        "(ingevuld: molenwerk)"
    ]
    assert activity_form.save({**values, "onderneming": "dekroon"}, db, viewer=KROON).status


# --- the annual report ----------------------------------------------------------------------------


def test_the_report_only_for_the_enterprise_its_funders_and_beheerders(demo_db):
    from wijkimpact.report import build_report
    from wijkimpact.report.content import NotAllowed

    assert build_report("bloemenhof", 2024, demo_db, viewer=FONDS).startswith(b"%PDF-")
    for viewer in (KROON, PUBLIC_VIEWER, Viewer(PROFESSIONAL)):
        with pytest.raises(NotAllowed, match="alleen voor de onderneming zelf"):
            build_report("bloemenhof", 2024, demo_db, viewer=viewer)


def test_the_report_cli_is_the_administrators_tool(demo_db, tmp_path):
    # it runs on the server as a beheerder (README): any enterprise, private ones too
    out = tmp_path / "verslag.pdf"
    args = ["--onderneming", "bloemenhof", "--jaar", "2024", "--out", str(out)]
    args += ["--db", str(demo_db)]
    done = subprocess.run([sys.executable, "-m", "wijkimpact.report", *args], cwd=ROOT)
    assert done.returncode == 0 and out.read_bytes().startswith(b"%PDF-")


# --- the users file -----------------------------------------------------------------------


USERS = (
    "email;rol;onderneming;portefeuille\n"
    "Bestuur@DeKroon.example.nl;onderneming;dekroon;\n"
    "fonds@example.nl;financier;;dekroon, bloemenhof\n"
    "wijkteam@example.nl;professional;;\n"
    "beheer@example.nl;beheerder;;\n"
)


def _users(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select u.email, u.role, u.enterprise_id, "
            "list(m.enterprise_id order by m.enterprise_id) "
            "filter (where m.enterprise_id is not null) from app_user u "
            "left join portfolio_member m using (email) group by all order by 1"
        ).fetchall()
    finally:
        con.close()


def test_users_file_replaces_the_whole_list(db, tmp_path):
    first = tmp_path / "gebruikers.csv"
    first.write_text(USERS, encoding="utf-8")
    done = etl_command("users", str(first), "--db", str(db), process=True)  # the command itself
    assert done.returncode == 0, done.stderr
    assert "4 gebruikers" in done.stdout
    assert _users(db) == [
        ("beheer@example.nl", BEHEERDER, None, None),
        ("bestuur@dekroon.example.nl", ONDERNEMING, "dekroon", None),
        ("fonds@example.nl", FINANCIER, None, ["bloemenhof", "dekroon"]),
        ("wijkteam@example.nl", PROFESSIONAL, None, None),
    ]
    second = tmp_path / "gebruikers2.csv"
    second.write_text("email,rol\nalleen@example.nl,beheerder\n", encoding="utf-8")
    assert etl_command("users", str(second), "--db", str(db)).returncode == 0
    assert _users(db) == [("alleen@example.nl", BEHEERDER, None, None)]
    con = duckdb.connect(str(db), read_only=True)
    viewer_row = queries.app_user(con, " Alleen@Example.NL ")
    con.close()
    assert viewer_row.iloc[0]["role"] == BEHEERDER


def test_a_long_users_file_loads_every_user(db, tmp_path):
    # a plain CSV is read by DuckDB; every row counts, not only the first ones
    path = tmp_path / "gebruikers.csv"
    lines = [f"medewerker{i:03d}@example.nl,professional" for i in range(120)]
    path.write_text("email,rol\n" + "\n".join(lines) + "\n", encoding="utf-8")
    done = etl_command("users", str(path), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "120 gebruikers" in done.stdout
    stored = _users(db)
    assert len(stored) == 120 and stored[-1] == (
        "medewerker119@example.nl",
        PROFESSIONAL,
        None,
        None,
    )


def test_users_file_in_excel(db, tmp_path):
    path = tmp_path / "gebruikers.xlsx"
    pd.DataFrame(
        {"E-mail": ["a@example.nl"], "Rol": ["Financier"], "Portefeuille": ["molenwerk;oudehaven"]}
    ).to_excel(path, index=False)
    assert etl_command("users", str(path), "--db", str(db)).returncode == 0
    assert _users(db) == [("a@example.nl", FINANCIER, None, ["molenwerk", "oudehaven"])]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("geen-adres;beheerder;;", "email", "geen geldig e-mailadres"),
        ("a@example.nl;directeur;;", "rol", "onbekende rol: kies onderneming, financier"),
        ("a@example.nl;;;", "rol", "rol ontbreekt"),
        ("a@example.nl;onderneming;;", "onderneming", "rol onderneming zonder onderneming"),
        ("a@example.nl;onderneming;bestaatniet;", "onderneming", "onbekende onderneming"),
        ("a@example.nl;financier;;", "portefeuille", "rol financier zonder portefeuille"),
        ("a@example.nl;financier;;dekroon, xyz", "portefeuille", "onbekende onderneming"),
        ("a@example.nl;financier;dekroon;dekroon", "onderneming", "financier heeft geen eigen"),
        ("a@example.nl;professional;dekroon;", "onderneming", "heeft geen onderneming"),
        ("a@example.nl;beheerder;;dekroon", "portefeuille", "beheerder heeft geen portefeuille"),
    ],
)
def test_a_bad_users_file_names_file_row_and_column_and_changes_nothing(
    db, tmp_path, row, column, message
):
    good = tmp_path / "goed.csv"
    good.write_text(USERS, encoding="utf-8")
    assert etl_command("users", str(good), "--db", str(db)).returncode == 0
    before = _users(db)
    bad = tmp_path / "fout.csv"
    bad.write_text(f"email;rol;onderneming;portefeuille\nok@example.nl;beheerder;;\n{row}\n")
    done = etl_command("users", str(bad), "--db", str(db))
    assert done.returncode == 1
    line = next(line for line in done.stderr.splitlines() if "fout.csv, rij 3" in line)
    assert f"fout.csv, rij 3, kolom {column}: " in line and message in line
    assert "De database is niet veranderd." in done.stderr
    assert _users(db) == before


def test_users_file_without_the_columns_or_with_a_double_address(db, tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text("naam;functie\nAnna;voorzitter\n", encoding="utf-8")
    done = etl_command("users", str(path), "--db", str(db))
    assert done.returncode == 1 and "geen kopregel met de kolommen email en rol" in done.stderr
    path.write_text("email;rol\na@example.nl;beheerder\nA@example.nl;professional\n")
    done = etl_command("users", str(path), "--db", str(db))
    assert "rij 3, kolom email: dit e-mailadres staat er al op rij 2" in done.stderr


def test_users_load_into_a_database_made_before_the_user_tables(db, tmp_path):
    con = duckdb.connect(str(db))
    con.execute("drop table app_user")
    con.execute("drop table portfolio_member")
    assert queries.app_user(con, "x@example.nl").empty  # an old database: nobody has a role
    con.close()
    path = tmp_path / "gebruikers.csv"
    path.write_text(USERS, encoding="utf-8")
    assert etl_command("users", str(path), "--db", str(db)).returncode == 0
    assert len(_users(db)) == 4


# --- startup: production needs a login; demo mode says so ----------------------------------------


def _app(monkeypatch, db: Path, mode: str | None = None, secrets: dict | None = None) -> AppTest:
    monkeypatch.setenv("WIJKIMPACT_DB", str(db))
    monkeypatch.chdir(ROOT)
    if mode:
        monkeypatch.setenv("WIJKIMPACT_MODE", mode)
    else:
        monkeypatch.delenv("WIJKIMPACT_MODE", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if secrets:
        at.secrets = secrets
    return at.run()


def test_production_without_a_login_refuses_to_start(monkeypatch, demo_db):
    at = _app(monkeypatch, demo_db, "production")
    assert not at.exception
    assert "WIJKIMPACT_MODE=production" in at.error[0].value
    assert "geen inlogconfiguratie" in at.error[0].value
    assert not at.metric and not at.title  # stopped before any page


def test_a_half_configured_login_refuses_to_start(monkeypatch, demo_db):
    at = _app(monkeypatch, demo_db, secrets={"auth": {"redirect_uri": "http://x/oauth2callback"}})
    assert "onvolledig" in at.error[0].value and "cookie_secret" in at.error[0].value
    assert not at.metric


def test_the_serving_mode_is_worked_out_again_at_every_run(monkeypatch, demo_db):
    # app.py works the mode out once per script run (session.begin_run): a change of the
    # configuration between two runs of one session counts at the next run, both ways
    at = _app(monkeypatch, demo_db, "demo")
    assert not at.error and at.sidebar.selectbox(key="demo_rol")
    monkeypatch.setenv("WIJKIMPACT_MODE", "production")
    at.run()
    assert "geen inlogconfiguratie" in at.error[0].value
    assert not at.metric and not [s for s in at.sidebar.selectbox if s.key == "demo_rol"]
    monkeypatch.setenv("WIJKIMPACT_MODE", "demo")
    at.run()
    assert not at.error and at.metric


def test_each_run_begun_in_one_thread_works_the_mode_out_again(monkeypatch):
    # Streamlit may run several reruns of a session in one thread, in one context: the run
    # that app.py begins there replaces what the last one found
    import contextvars

    from wijkimpact.ui import session

    def runs() -> list[bool]:
        seen = []
        for mode in ("demo", "production", "demo"):
            monkeypatch.setenv("WIJKIMPACT_MODE", mode)
            session.begin_run()
            seen.append(session.demo_mode())
        return seen

    monkeypatch.chdir(ROOT)
    assert contextvars.copy_context().run(runs) == [True, False, True]


def test_login_configured_means_no_demo_switcher_and_public_figures(monkeypatch, demo_db):
    auth = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "wijkimpact",
        "client_secret": "y" * 32,
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
    }
    at = _app(monkeypatch, demo_db, "production", secrets={"auth": auth})
    assert not at.exception and not at.error
    assert not [s for s in at.sidebar.selectbox if s.key == "demo_rol"]
    assert [b.label for b in at.sidebar.button] == ["Inloggen"]
    assert not any("Demomodus" in w.value for w in at.sidebar.warning)


def test_demo_mode_says_so_and_offers_every_role(monkeypatch, demo_db):
    at = _app(monkeypatch, demo_db, "demo")
    assert "Demomodus: iedereen kan elke rol kiezen" in [w.value for w in at.sidebar.warning]
    assert at.sidebar.selectbox(key="demo_rol").options == [
        "Publiek (niet ingelogd)",
        "Professional",
        "Onderneming",
        "Financier",
        "Beheerder",
    ]
    at.sidebar.selectbox(key="demo_rol").select(ONDERNEMING).run()
    at.sidebar.selectbox(key="demo_onderneming").select("bloemenhof").run()
    assert SUPPRESSED_NOTE in at.info[0].value  # the Overzicht totals
    at.sidebar.selectbox(key="demo_rol").select(PUBLIEK).run()
    assert not [s for s in at.sidebar.selectbox if s.key == "demo_onderneming"]
    assert at.metric  # the public sees the totals of all eight (three private)
