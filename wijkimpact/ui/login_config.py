"""The mode the app may serve data in: login (a complete [auth] block in the secrets) or the demo,
which must be asked for with WIJKIMPACT_MODE=demo. Anything else is refused, with the reason."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import streamlit as st
from streamlit import config

from wijkimpact.i18n import N_, _

MODE_VARIABLE = "WIJKIMPACT_MODE"
DEMO, PRODUCTION = "demo", "production"  # the values WIJKIMPACT_MODE may have
LOGIN = "login"  # the mode a complete [auth] block gives, whatever WIJKIMPACT_MODE says
AUTH_KEYS = ("redirect_uri", "cookie_secret")
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
EXAMPLE = ".streamlit/secrets.toml.example"
FIX_FILE = N_(
    "Herstel het bestand (zie `{example}`), of haal het weg en start de demo met "
    "`WIJKIMPACT_MODE=demo` (`bash scripts/demo.sh`). De app toont geen gegevens."
)
FIX_AUTH = N_(
    "Vul het `[auth]`-blok aan (zie `{example}`), of haal het weg en start de demo met "
    "`WIJKIMPACT_MODE=demo` (`bash scripts/demo.sh`). De app toont geen gegevens."
)
SET_UP = N_(
    "Stel de login in met een `[auth]`-blok in `.streamlit/secrets.toml` (zie `{example}`), of "
    "start de demo met `WIJKIMPACT_MODE=demo` (`bash scripts/demo.sh`). De app toont geen "
    "gegevens."
)
_TOML_PLACE = re.compile(
    r"^(?P<error>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$",
    re.DOTALL,
)


class Refused(RuntimeError):
    """The app must not serve data; the message says why and what to do (user's language)."""


def run_mode() -> str:
    """LOGIN or DEMO. Raises Refused for an unknown WIJKIMPACT_MODE, secrets that do not parse,
    an [auth] block with a key missing or empty, and no login unless the demo is asked for.
    A complete [auth] block means login even with WIJKIMPACT_MODE=demo: it never shows more."""
    asked = os.environ.get(MODE_VARIABLE, "").strip().lower()
    if asked not in ("", DEMO, PRODUCTION):
        raise Refused(
            _(
                "`WIJKIMPACT_MODE={value}` is onbekend: de app kent alleen `production` (een "
                "server met login) en `demo`.",
                value=re.sub(r"[`\\\s]", "", asked)[:40],
            )
            + " "
            + _(SET_UP, example=EXAMPLE)
        )
    auth = _secrets().get("auth")
    if auth is not None:
        problems = _auth_problems(auth)
        if problems:
            raise Refused(
                _(
                    "De inlogconfiguratie in {file} is onvolledig: {problems}.",
                    file=_files_shown(),
                    problems="; ".join(problems),
                )
                + " "
                + _(FIX_AUTH, example=EXAMPLE)
            )
        return LOGIN
    if asked == DEMO:
        return DEMO
    if asked == PRODUCTION:
        raise Refused(
            _(
                "`WIJKIMPACT_MODE=production`, maar er is geen inlogconfiguratie: geen "
                "`[auth]`-blok in {file}. Zonder login zou iedereen alle cijfers kunnen zien.",
                file=_files_shown(),
            )
            + " "
            + _(SET_UP, example=EXAMPLE)
        )
    raise Refused(
        _(
            "Er is geen inlogconfiguratie (geen `[auth]`-blok in {file}) en de demo is niet "
            "gevraagd (`WIJKIMPACT_MODE` is niet gezet).",
            file=_files_shown(),
        )
        + " "
        + _(SET_UP, example=EXAMPLE)
    )


def _secrets() -> dict:
    """The secrets ({} when there are none). Raises Refused for a file that does not parse:
    Streamlit reads such a file as no secrets at all, which would be no login."""
    files = _secrets_files()
    try:
        if st.secrets.load_if_toml_exists():
            return st.secrets.to_dict()
    except (OSError, ValueError):  # Streamlit lets a file it cannot read or decode through
        pass
    for path in files:
        if path.suffix == ".toml" and path.is_file():
            _parse(path)
    if any(path.exists() for path in files):  # a secrets folder it cannot read
        raise Refused(
            _("De secrets in {file} zijn niet te lezen.", file=_files_shown(existing=True))
            + " "
            + _(FIX_FILE, example=EXAMPLE)
        )
    return {}


def _parse(path: Path) -> None:
    """Raise Refused naming the file, and the line where TOML says it is wrong."""
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
        return
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_PLACE.match(str(exc))
        error = found["error"] if found else str(exc)
        if found and found["line"]:
            where = _("regel {line}, kolom {column}", line=found["line"], column=found["column"])
        else:
            where = _("aan het eind")
        problem = _("geen geldige TOML, {where}: {error}", where=where, error=error)
    except UnicodeDecodeError as exc:
        problem = _("geen UTF-8-tekst (byte {position})", position=exc.start + 1)
    except OSError as exc:
        problem = _("niet te lezen ({error})", error=exc.strerror or type(exc).__name__)
    raise Refused(
        _(
            "De inlogconfiguratie {file} is onleesbaar: {problem}.",
            file=_shown(path),
            problem=problem,
        )
        + " "
        + _(FIX_FILE, example=EXAMPLE)
    )


def _auth_problems(auth: object) -> list[str]:
    """What st.login lacks: each key of [auth] (and of the default provider st.login() uses:
    [auth] itself or [auth.default]) that is missing or empty."""
    if not isinstance(auth, dict):
        return [_("`auth` is geen blok `[auth]`")]
    problems = [_key_problem(auth, "auth", key) for key in AUTH_KEYS]
    if isinstance(auth.get("default"), dict):
        provider, name = auth["default"], "auth.default"
    else:
        provider, name = auth, "auth"
    problems += [_key_problem(provider, name, key) for key in PROVIDER_KEYS]
    return [problem for problem in problems if problem]


def _key_problem(section: dict, name: str, key: str) -> str | None:
    dotted = name + "." + key  # as TOML names it: auth.cookie_secret
    if key not in section:
        return _("`{key}` ontbreekt", key=dotted)
    if not str(section[key]).strip():
        return _("`{key}` is leeg", key=dotted)
    return None


def _secrets_files() -> list[Path]:
    """Where Streamlit reads the secrets (`--secrets.files`; by default the user's and the
    project's .streamlit/secrets.toml)."""
    return [Path(path) for path in config.get_option("secrets.files")]


def _files_shown(existing: bool = False) -> str:
    """The secrets files there are (those there may be, if none), as the message names them."""
    paths = [path for path in _secrets_files() if path.exists()]
    if not paths and not existing:
        paths = [path for path in _secrets_files() if path.suffix == ".toml"][-1:]
    return ", ".join(_shown(path) for path in paths) or "`.streamlit/secrets.toml`"


def _shown(path: Path) -> str:
    here = Path.cwd().resolve()
    path = path.resolve()
    return f"`{path.relative_to(here) if path.is_relative_to(here) else path}`"
