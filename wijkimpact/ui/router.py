"""The one guard for Streamlit's legacy pages/ mode: every page runs inside app.py's router.

Streamlit (1.67) decides per server process, on the first session, that an app with a folder
named pages/ beside its main script is a legacy multipage app, and stays so until a script
calls st.navigation. A fresh server's first visit to /kaart therefore runs pages/kaart.py
itself, without app.py: no shared sidebar, and a menu of file names. app.py does not run in
that visit, so it cannot be the only caller: app.py calls start() first, and each page file
calls ensure_router() first. Sessions that start at the same moment on a fresh server (open
tabs reconnecting after a restart) may all begin the legacy way before one of them switches it
off, so a page hands over whenever its session has not been through app.py yet, not only while
the legacy mode is on. tests/test_router.py fails when a Streamlit release no longer needs
this, or changes what it relies on.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

ROUTED = "router"  # in session state: this session has been through app.py (or handed over)


def start() -> None:
    """app.py, first: switch the legacy mode off and run again (a first visit to /), and mark
    the session as one that app.py runs."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    st.session_state[ROUTED] = True


def ensure_router() -> None:
    """A page, first: hand a page that Streamlit ran without app.py back to it.

    Switching the legacy mode off and rerunning makes Streamlit run app.py, which shows the
    page that was asked for (the rerun keeps it). A session hands over once: a page file run on
    its own (AppTest.from_file) then simply goes on.
    """
    if PagesManager.uses_pages_directory or ROUTED not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.session_state[ROUTED] = True
        st.rerun()
