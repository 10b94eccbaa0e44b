"""Starting the app: a complete login, or the demo when asked for (WIJKIMPACT_MODE=demo). A
secrets.toml that does not parse, a half-written [auth] block, no login without the demo, and an
unknown mode are refused: the page says why and how to fix it, and shows no enterprise."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.page_content import charts, collect
from wijkimpact.data import queries
from wijkimpact.data.access import PUBLIEK
from wijkimpact.ui import store
from wijkimpact.ui.login_config import Refused

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "wijkimpact",
    "client_secret": "y" * 32,
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}
DEMO_HINT = "`WIJKIMPACT_MODE=demo` (`bash scripts/demo.sh`)"


def _toml(auth: dict[str, str]) -> str:
    return "[auth]\n" + "".join(f'{key} = "{value}"\n' for key, value in auth.items())


@pytest.fixture(scope="module")
def names(demo_db) -> list[str]:
    """Every enterprise name in the demo database (what a refused app must not show)."""
    import duckdb

    with duckdb.connect(str(demo_db), read_only=True) as con:
        found = queries.enterprises(con)["name"].tolist()
    assert len(found) >= 8
    return found


@pytest.fixture
def start(demo_db, monkeypatch, tmp_path):
    """Run a script of the app as a server would start it: WIJKIMPACT_MODE ``mode`` (None: not
    set) and .streamlit/secrets.toml holding ``secrets`` (None: no such file); ``script`` None:
    only set that up."""
    monkeypatch.setenv("WIJKIMPACT_DB", str(demo_db))
    monkeypatch.chdir(ROOT)
    path = tmp_path / ".streamlit" / "secrets.toml"
    before = config.get_option("secrets.files")

    def run(mode: str | None, secrets: str | None, script: str | None = "app.py") -> AppTest:
        if mode is None:
            monkeypatch.delenv("WIJKIMPACT_MODE", raising=False)
        else:
            monkeypatch.setenv("WIJKIMPACT_MODE", mode)
        if secrets is not None:
            path.parent.mkdir(exist_ok=True)
            path.write_text(secrets, encoding="utf-8")
        config.set_option("secrets.files", [str(path)])
        secrets_singleton._reset()  # st.secrets: read afresh, as by a new server
        if script is None:
            return None
        return AppTest.from_file(str(ROOT / script), default_timeout=60).run()

    run.path = path
    yield run
    config.set_option("secrets.files", before)
    secrets_singleton._reset()  # the next test reads the secrets it is given


def _refused(at: AppTest, names: list[str]) -> str:
    """The refusal, after checking that it is all the run showed: no enterprise, no figure."""
    assert not at.exception, at.exception
    assert len(at.error) == 1, [e.value for e in at.error]
    shown = "\n".join(collect(at).texts)
    assert not [name for name in names if name in shown]
    assert not at.metric and not at.dataframe and not charts(at)
    assert not at.selectbox and not at.title  # neither the sidebar nor a page ran
    return at.error[0].value


@pytest.mark.parametrize("mode", [None, "demo", "production"])
def test_a_secrets_file_that_does_not_parse_is_refused_in_every_mode(start, names, mode):
    text = _toml(AUTH).replace('client_id = "wijkimpact"', 'client_id = "wijkimpact') + "\n"
    line = text.splitlines().index('client_id = "wijkimpact') + 1
    message = _refused(start(mode, text), names)
    assert f"De inlogconfiguratie `{start.path}` is onleesbaar: geen geldige TOML" in message
    assert f"regel {line}, kolom" in message
    assert DEMO_HINT in message and "Herstel het bestand" in message


@pytest.mark.parametrize("mode", [None, "demo", "production"])
def test_an_auth_block_with_an_empty_key_is_refused_in_every_mode(start, names, mode):
    message = _refused(start(mode, _toml({**AUTH, "cookie_secret": "  "})), names)
    assert message.startswith(
        f"De inlogconfiguratie in `{start.path}` is onvolledig: `auth.cookie_secret` is leeg."
    )
    assert DEMO_HINT in message and "Vul het `[auth]`-blok aan" in message


@pytest.mark.parametrize("mode", [None, "demo", "production"])
def test_an_auth_block_missing_keys_is_refused_in_every_mode(start, names, mode):
    auth = {k: v for k, v in AUTH.items() if k not in ("client_secret", "redirect_uri")}
    message = _refused(start(mode, _toml(auth)), names)
    assert message.startswith(
        f"De inlogconfiguratie in `{start.path}` is onvolledig: `auth.redirect_uri` ontbreekt; "
        "`auth.client_secret` ontbreekt."
    )


def test_an_empty_auth_block_is_refused_not_taken_for_no_login(start, names):
    message = _refused(start("demo", "[auth]\n"), names)
    assert "onvolledig" in message
    assert all(f"`auth.{key}` ontbreekt" in message for key in AUTH)


def test_no_login_and_no_demo_asked_for_is_refused(start, names):
    message = _refused(start(None, None), names)
    assert message.startswith(
        f"Er is geen inlogconfiguratie (geen `[auth]`-blok in `{start.path}`) en de demo is niet "
        "gevraagd (`WIJKIMPACT_MODE` is niet gezet)."
    )
    assert "Stel de login in" in message and DEMO_HINT in message


def test_production_without_a_login_is_refused(start, names):
    message = _refused(start("production", "# nog leeg\n"), names)
    assert message.startswith("`WIJKIMPACT_MODE=production`, maar er is geen inlogconfiguratie")
    assert DEMO_HINT in message


@pytest.mark.parametrize("secrets", [None, _toml(AUTH)], ids=["no login", "login"])
@pytest.mark.parametrize("mode", ["productie", "prod", "Demo-modus"])
def test_an_unknown_mode_is_refused_even_with_a_login(start, names, mode, secrets):
    message = _refused(start(mode, secrets), names)
    assert message.startswith(
        f"`WIJKIMPACT_MODE={mode.lower()}` is onbekend: de app kent alleen `production`"
    )
    assert DEMO_HINT in message


def test_a_page_run_on_its_own_is_refused_too(start, names):
    at = start(None, None, "pages/onderneming.py")
    assert "Er is geen inlogconfiguratie" in _refused(at, names)


def test_queries_refuse_outside_a_page_too(start):
    start(None, None, script=None)
    with pytest.raises(Refused, match="geen inlogconfiguratie"):
        store.load(queries.enterprises)
    with pytest.raises(Refused):
        store.load(queries.enterprise_years)  # takes the session's viewer


def test_the_demo_starts_as_the_public(start, demo_con):
    name, public = demo_con.execute(
        "select name, public from enterprise where enterprise_id = 'bloemenhof'"
    ).fetchone()
    assert not public
    at = start("demo", None)
    assert not at.exception and not at.error
    assert "Demomodus: iedereen kan elke rol kiezen" in [w.value for w in at.sidebar.warning]
    assert at.sidebar.selectbox(key="demo_rol").value == PUBLIEK
    at.switch_page("pages/onderneming.py").run()
    at.selectbox(key="onderneming").select("bloemenhof").run()  # private in the demo
    assert any(f"{name} maakt haar cijfers niet openbaar" in i.value for i in at.main.info)
    assert not at.metric


def test_a_login_wins_over_the_demo(start):
    at = start("demo", _toml(AUTH))
    assert not at.exception and not at.error
    assert not [s for s in at.sidebar.selectbox if s.key == "demo_rol"]
    assert [b.label for b in at.sidebar.button] == ["Inloggen"]
    assert not any("Demomodus" in w.value for w in at.sidebar.warning)


def test_the_demo_script_asks_for_the_demo():
    script = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    assert "export WIJKIMPACT_MODE=demo" in script
    assert script.index("WIJKIMPACT_MODE=demo") < script.index("streamlit run")
