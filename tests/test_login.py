"""Logging in for real: the app in production mode, st.login against an OpenID Connect provider
(panva/oidc-provider, tests/oidc/server.js) started here on localhost, in headless Chromium."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, etl_command
from tests.live_app import CHROMIUM, chromium_page, free_port, running_app

OIDC = ROOT / "tests" / "oidc"
NODE = shutil.which("node")
USERS = (
    "email;rol;onderneming;portefeuille\n"
    "bestuur@dekroon.example.nl;onderneming;dekroon;\n"
    "fonds@example.nl;financier;;dekroon, bloemenhof\n"
)
NOT_PUBLIC = "maakt haar cijfers niet openbaar"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium ontbreekt ({CHROMIUM})"),
    pytest.mark.skipif(
        NODE is None or not (OIDC / "node_modules" / "oidc-provider").is_dir(),
        reason="Node.js of tests/oidc/node_modules ontbreekt: draai bash scripts/test.sh",
    ),
]


def _wait_for(url: str, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError as exc:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"{what} did not start: {output}") from exc
            time.sleep(0.2)


@pytest.fixture(scope="module")
def login(demo_db, tmp_path_factory) -> Iterator[str]:
    """The app in production mode with a login, against a database with a user list, and a
    provider that knows it as a client; yields the app's url (on localhost: cookies)."""
    folder = tmp_path_factory.mktemp("login")
    db = folder / "wijkimpact.duckdb"
    shutil.copy(demo_db, db)
    users = folder / "gebruikers.csv"
    users.write_text(USERS, encoding="utf-8")
    loaded = etl_command("users", users, "--db", db)
    assert loaded.returncode == 0, loaded.stderr

    app_port, oidc_port = free_port(), free_port()
    redirect = f"http://localhost:{app_port}/oauth2callback"
    client_secret = secrets.token_urlsafe(32)  # made up for this run; never in a file in git
    provider = subprocess.Popen(
        [NODE, "server.js"],
        cwd=OIDC,
        env={
            **os.environ,
            "OIDC_PORT": str(oidc_port),
            "OIDC_REDIRECT_URI": redirect,
            "OIDC_CLIENT_ID": "wijkimpact-test",
            "OIDC_CLIENT_SECRET": client_secret,
            "OIDC_COOKIE_KEY": secrets.token_urlsafe(32),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    metadata = f"http://localhost:{oidc_port}/.well-known/openid-configuration"
    try:
        _wait_for(metadata, provider, "oidc-provider")
        secrets_file = folder / "secrets.toml"  # outside the repository
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "{redirect}"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            'client_id = "wijkimpact-test"\n'
            f'client_secret = "{client_secret}"\n'
            f'server_metadata_url = "{metadata}"\n'
            # the provider knows the prompts login, consent and none; Streamlit asks for
            # select_account unless told otherwise
            'client_kwargs = { prompt = "login" }\n',
            encoding="utf-8",
        )
        with running_app(
            db,
            port=app_port,
            args=("--secrets.files", str(secrets_file)),
            env={"WIJKIMPACT_MODE": "production"},
        ):
            yield f"http://localhost:{app_port}"
    finally:
        provider.terminate()
        provider.wait(timeout=10)


def _log_in(page, url: str, name: str) -> None:
    page.goto(url + "/")
    page.get_by_role("button", name="Inloggen").click(timeout=60_000)
    page.locator('input[name="login"]').fill(name, timeout=30_000)
    page.locator('input[name="password"]').fill("wat-dan-ook")
    page.locator('button[type="submit"]').click()
    page.get_by_text(f"Ingelogd als {name}").first.wait_for(timeout=60_000)


def _log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").first.click()
    page.get_by_role("button", name="Yes, sign me out").click(timeout=30_000)  # the provider's
    page.get_by_role("button", name="Inloggen").wait_for(timeout=60_000)


def _text(page) -> str:
    return page.locator("body").inner_text()


def test_the_public_sees_public_figures_and_a_login_button(login):
    with chromium_page(logged_out=True) as page:
        page.goto(login + "/")
        page.get_by_role("button", name="Inloggen").wait_for(timeout=60_000)
        assert "Demomodus" not in _text(page)
        page.goto(login + "/onderneming?id=bloemenhof")
        page.get_by_text(NOT_PUBLIC).wait_for(timeout=60_000)


def test_an_enterprise_logs_in_sees_its_own_detail_and_logs_out(login):
    with chromium_page(logged_out=True) as page:
        _log_in(page, login, "bestuur@dekroon.example.nl")
        assert "Ingelogd als bestuur@dekroon.example.nl (Onderneming)" in _text(page)
        page.goto(login + "/onderneming")
        page.get_by_text("Jaarverslag").first.wait_for(timeout=60_000)  # its own report
        assert page.url.endswith("?id=dekroon")  # its own enterprise is chosen
        page.goto(login + "/onderneming?id=bloemenhof")
        page.get_by_text(NOT_PUBLIC).wait_for(timeout=60_000)
        # a new page load: still logged in (the login cookie), logging out from this page
        page.get_by_text("Ingelogd als bestuur@dekroon.example.nl").first.wait_for(timeout=60_000)
        _log_out(page)
        page.goto(login + "/onderneming?id=dekroon")
        page.get_by_role("button", name="Inloggen").wait_for(timeout=60_000)
        assert "Ingelogd als" not in _text(page)
        assert "Jaarverslag" not in _text(page)  # public figures, no detail


def test_a_funder_sees_its_portfolio_and_suppressed_totals(login):
    with chromium_page(logged_out=True) as page:
        _log_in(page, login, "fonds@example.nl")
        # bloemenhof (private) is in the portfolio: two private enterprises are left over
        page.get_by_text("Niet getoond voor 2024: financiële cijfers").wait_for(timeout=60_000)
        page.goto(login + "/onderneming?id=bloemenhof")
        page.get_by_text("Jaarverslag").first.wait_for(timeout=60_000)
        page.goto(login + "/onderneming?id=ideeenfabriek")
        page.get_by_text(NOT_PUBLIC).wait_for(timeout=60_000)


def test_a_user_without_a_role_is_told_so_and_sees_only_what_is_public(login):
    with chromium_page(logged_out=True) as page:
        _log_in(page, login, "onbekend@example.nl")
        page.get_by_text("Geen rol.").first.wait_for(timeout=60_000)
        assert "Ingelogd als onbekend@example.nl (geen rol)" in _text(page)
        page.goto(login + "/onderneming?id=bloemenhof")
        page.get_by_text(NOT_PUBLIC).wait_for(timeout=60_000)
        page.get_by_text("Geen rol.").first.wait_for(timeout=60_000)
        _log_out(page)
        assert "Geen rol." not in _text(page)


def test_production_without_a_login_configuration_does_not_start(demo_db, tmp_path: Path):
    with (
        running_app(
            demo_db,
            args=("--secrets.files", str(tmp_path / "bestaat-niet.toml")),
            env={"WIJKIMPACT_MODE": "production"},
        ) as url,
        chromium_page(logged_out=True) as page,
    ):
        page.goto(url + "/financiers")
        page.get_by_text("geen inlogconfiguratie").wait_for(timeout=60_000)
        assert "Financiers" not in page.locator("section.main, main").first.inner_text()
