"""The one guard for Streamlit's legacy pages/ mode: every page runs inside app.py's router.

Streamlit (1.67) decides per server process, on the first session, that an app with a folder
named pages/ beside its main script is a legacy multipage app, and stays so until a script
calls st.navigation. A fresh server's first visit to /kaart therefore runs pages/kaart.py
itself, without app.py: no shared sidebar, and a menu of file names. app.py never runs in that
visit, so it cannot be the only caller: app.py calls ensure_router() before st.navigation
(a first visit to /), and each page file calls it first (a first visit to its own address).
tests/test_router.py fails when a Streamlit release no longer needs this, or changes what it
relies on.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    """Hand a script that Streamlit ran the legacy way back to app.py.

    Switching the legacy mode off and rerunning makes Streamlit run app.py, which shows the
    page that was asked for (the rerun keeps it). Once off, it stays off for the process, so
    on every later run this does nothing.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
