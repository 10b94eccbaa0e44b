"""Make sure a page always runs inside the router (app.py), also on a fresh server's first visit."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_router() -> None:
    """Hand a page that Streamlit ran on its own back to app.py.

    Until app.py has called st.navigation once, a Streamlit server treats a folder named
    pages/ the legacy way: a first visit straight to /kaart runs pages/kaart.py without the
    router, so without the shared sidebar. Switching the legacy mode off and rerunning makes
    Streamlit run app.py, which shows the page that was asked for.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
