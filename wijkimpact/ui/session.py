"""The session's viewer: from the login (st.login, OpenID Connect) when [auth] is configured in
.streamlit/secrets.toml, or from the demo's role switcher (asked for: WIJKIMPACT_MODE=demo).
current_viewer() is the one place pages and store.load get it from; serving_mode() is the gate
before any data."""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

import pandas as pd
import streamlit as st

from wijkimpact.data import db, queries
from wijkimpact.data.access import (
    BEHEERDER,
    FINANCIER,
    ONDERNEMING,
    PROFESSIONAL,
    PUBLIEK,
    Viewer,
)
from wijkimpact.i18n import N_, _
from wijkimpact.ui.login_config import DEMO, LOGIN, Refused, run_mode
from wijkimpact.ui.widget_texts import CHOOSE, uploader_texts

ROLE_KEY, ENTERPRISE_KEY, PORTFOLIO_KEY = "demo_rol", "demo_onderneming", "demo_portefeuille"
DEMO_ROLES = (PUBLIEK, PROFESSIONAL, ONDERNEMING, FINANCIER, BEHEERDER)
ROLE_LABELS = {
    PUBLIEK: N_("Publiek (niet ingelogd)"),
    PROFESSIONAL: N_("Professional"),
    ONDERNEMING: N_("Onderneming"),
    FINANCIER: N_("Financier"),
    BEHEERDER: N_("Beheerder"),
}
DEMO_PORTFOLIO_SIZE = 3  # the demo financier funds the first three enterprises

log = logging.getLogger("wijkimpact")

# The serving mode of this script run, worked out once by begin_run (app.py, at the top of every
# run, as i18n.use_language the language): pages and store.load ask for it some twenty times a
# run, and each answer read Streamlit's config and secrets again (under load about a tenth of
# the server's CPU). Outside a run that app.py began, it is worked out at each call.
_this_run: ContextVar[str | Refused | None] = ContextVar("serving_mode", default=None)


def begin_run() -> None:
    """Work out the serving mode (or its refusal) once for this script run."""
    try:
        _this_run.set(run_mode())
    except Refused as refusal:
        _this_run.set(refusal)


def _run_mode() -> str:
    """login_config.run_mode(), as begin_run found it for this run."""
    known = _this_run.get()
    if known is None:
        return run_mode()
    if isinstance(known, Refused):
        raise known
    return known


def serving_mode() -> str:
    """LOGIN or DEMO: the gate before any data (app.py, filters.require_data, store.load and
    current_viewer). A refused configuration (login_config.run_mode) is said on the page and in
    the server log, and the script run stops; outside a run, Refused is raised."""
    try:
        return _run_mode()
    except Refused as refusal:
        log.error("%s", refusal)
        st.error(str(refusal), icon=":material/lock:")
        st.stop()
        raise


def refused() -> bool:
    """Whether the configuration is refused (serving_mode then says why and stops)."""
    return _mode() is None


def _mode() -> str | None:
    try:
        return _run_mode()
    except Refused:
        return None


def login_configured() -> bool:
    """Whether st.login is used: a complete [auth] block in the secrets."""
    return _mode() == LOGIN


def demo_mode() -> bool:
    """The demo was asked for (WIJKIMPACT_MODE=demo) and there is no login: anyone may pick any
    role; a session starts as the public."""
    return _mode() == DEMO


def current_viewer() -> Viewer:
    """Who looks at the app in this session. Every page and store.load use this."""
    if serving_mode() == LOGIN:
        return _logged_in_viewer()
    return _demo_viewer()


def logged_in_email() -> str | None:
    """The e-mail address of the logged-in user (None when nobody is logged in)."""
    if not login_configured() or st.user.get("is_logged_in") is not True:
        return None
    email = st.user.get("email")
    return str(email).strip().lower() if email else None


def _logged_in_viewer() -> Viewer:
    email = logged_in_email()
    if email is None or st.user.get("email_verified") is False:
        return Viewer(PUBLIEK, (), email)
    rows = _user_rows(db.database_version(), email)
    if rows.empty:
        return Viewer(PUBLIEK, (), email)  # logged in, but no role: what the public sees
    row = rows.iloc[0]
    if row["role"] == ONDERNEMING:
        scope = (str(row["enterprise_id"]),)
    elif row["role"] == FINANCIER:
        scope = tuple(str(i) for i in (row["portfolio"] if row["portfolio"] is not None else []))
    else:
        scope = ()
    return Viewer(str(row["role"]), scope, email)


@st.cache_data(show_spinner=False, max_entries=256)
def _user_rows(version: str, email: str) -> pd.DataFrame:
    """The address's row in the user list, once per database version (a new load counts at
    once). Read here, not through store.load: the store asks this module for the viewer."""
    with db.cursor() as cur:
        return queries.app_user(cur, email)


def _demo_viewer() -> Viewer:
    state = st.session_state
    role = state.get(ROLE_KEY, PUBLIEK)
    if role not in DEMO_ROLES:
        role = PUBLIEK
    if role == ONDERNEMING:
        chosen = state.get(ENTERPRISE_KEY)
        return Viewer(ONDERNEMING, (str(chosen),) if chosen else ())
    if role == FINANCIER:
        return Viewer(FINANCIER, tuple(str(i) for i in state.get(PORTFOLIO_KEY) or ()))
    return Viewer(role)


def no_role() -> bool:
    """Logged in, but the address has no row in the user list."""
    return logged_in_email() is not None and current_viewer().role == PUBLIEK


def sidebar(enterprises: dict[str, str]) -> None:
    """Login and logout, or in demo mode the banner and the role switcher.
    ``enterprises``: id -> name of the enterprises one may pick as a demo role's scope. Also
    Streamlit's own uploader texts in the user's language (app.py runs this on every page)."""
    uploader_texts()
    if login_configured():
        _login_sidebar()
    elif demo_mode():
        _demo_sidebar(enterprises)


def _login_sidebar() -> None:
    email = logged_in_email()
    if email is None:
        st.button(_("Inloggen"), key="inloggen", icon=":material/login:", on_click=st.login)
        st.caption(_("Niet ingelogd: u ziet wat openbaar is."))
        return
    viewer = current_viewer()
    role = _(ROLE_LABELS[viewer.role]) if viewer.role != PUBLIEK else _("geen rol")
    st.caption(_("Ingelogd als {email} ({rol}).", email=email, rol=role))
    st.button(_("Uitloggen"), key="uitloggen", icon=":material/logout:", on_click=st.logout)


def _demo_sidebar(enterprises: dict[str, str]) -> None:
    st.warning(_("Demomodus: iedereen kan elke rol kiezen"), icon=":material/theater_comedy:")
    state = st.session_state
    if state.get(ROLE_KEY) not in DEMO_ROLES:
        state[ROLE_KEY] = PUBLIEK
    role = st.selectbox(
        _("Bekijk als"), DEMO_ROLES, format_func=lambda r: _(ROLE_LABELS[r]), key=ROLE_KEY
    )
    ids = list(enterprises)
    if role == ONDERNEMING and ids:
        if state.get(ENTERPRISE_KEY) not in enterprises:
            state[ENTERPRISE_KEY] = ids[0]
        st.selectbox(_("Welke onderneming"), ids, format_func=enterprises.get, key=ENTERPRISE_KEY)
    if role == FINANCIER and ids:
        # which enterprises the demo financier funds: chosen under "Mijn portefeuille" on
        # /financiers (portfolio_control, the page's one portfolio control); kept here on
        # every page, as a login's user list would keep it
        kept = [i for i in state.get(PORTFOLIO_KEY) or [] if i in enterprises]
        state[PORTFOLIO_KEY] = kept or ids[:DEMO_PORTFOLIO_SIZE]


def demo_portfolio(enterprises: dict[str, str]) -> None:
    """In demo mode, for the demo financier: which enterprises it funds (its scope), as a
    multiselect; ``enterprises``: id -> name of all enterprises."""
    if not demo_mode() or st.session_state.get(ROLE_KEY) != FINANCIER or not enterprises:
        return
    st.multiselect(
        _("Portefeuille van de financier"),
        list(enterprises),
        format_func=enterprises.get,
        key=PORTFOLIO_KEY,
        placeholder=_(CHOOSE),
        help=_("In de demo kiest u hier welke ondernemingen deze financier financiert."),
    )


def no_role_notice() -> None:
    """The 'geen rol' message at the top of every page, for a logged-in address without a role."""
    if not no_role():
        return
    st.warning(
        _(
            "**Geen rol.** U bent ingelogd als {email}, maar voor dit adres is geen rol "
            "ingesteld. U ziet daarom alleen wat openbaar is: totalen en de cijfers van "
            "ondernemingen die ze openbaar maken. Vraag een beheerder om u toe te voegen, of "
            "log uit.",
            email=re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", logged_in_email() or ""),
        ),
        icon=":material/no_accounts:",
    )
    st.button(_("Uitloggen"), key="uitloggen_geen_rol", on_click=st.logout)
