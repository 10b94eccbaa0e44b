"""Session state of /kaart: choices that keep a valid default, years that follow the sidebar,
and the wijk of the profile, chosen by a click on the map, the wijk list or a link (?wijk=)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from wijkimpact.escaping import for_markdown
from wijkimpact.kaart import wijk_profile

WIJK_KEY = "kaart_wijk"
YEAR_KEYS = ("kaart_jaar", "kaart_van", "kaart_tot")
_CLICKED = "_kaart_geklikt"
_LINKED = "_kaart_link"
_SIDEBAR_YEAR = "_kaart_zijbalkjaar"


def keep_valid(key: str, options: Sequence, default) -> None:
    """Before a widget is drawn: set its value to ``default`` when it is not among ``options``."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def follow_scope(key: str, scope: str | None, default) -> None:
    """Before a widget is drawn: set it to ``default`` on a first visit and whenever the
    sidebar's gemeente (``scope``) changed; in between it keeps what the user chose."""
    seen = f"_{key}_scope"
    if key not in st.session_state or st.session_state.get(seen, "unset") != scope:
        st.session_state[key] = default
    st.session_state[seen] = scope


def follow_years(years: Sequence[int], defaults: dict[str, int], sidebar_year: int | None) -> None:
    """Before the year widgets are drawn: set them to their defaults on a first visit, when the
    sidebar's year changed, or when the chosen year has no data for the metric."""
    changed = st.session_state.get(_SIDEBAR_YEAR, "unset") != sidebar_year
    st.session_state[_SIDEBAR_YEAR] = sidebar_year
    for key in YEAR_KEYS:
        if changed or st.session_state.get(key) not in years:
            st.session_state[key] = defaults[key]


def clicked_area(event) -> str | None:
    """The area code of the point clicked on the map: an area's location, or the home wijk
    of an enterprise marker (its customdata)."""
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        code = point.get("location") or point.get("customdata")
        if isinstance(code, list):
            code = code[0] if code else None
        if isinstance(code, str) and code:
            return code
    return None


def apply_click(event, areas: pd.DataFrame) -> None:
    """After the map is drawn: a new click opens the profile of the clicked wijk (the wijk of
    a buurt) and puts it in the link."""
    code = wijk_profile.wijk_of(clicked_area(event), areas)
    if code == st.session_state.get(_CLICKED):
        return
    st.session_state[_CLICKED] = code
    if code:
        _choose(code)


def apply_link(exists: Callable[[str], bool]) -> str | None:
    """A new ?wijk= in the address opens that wijk's profile; returns a Dutch warning when the
    code is malformed or not loaded."""
    raw = st.query_params.get("wijk")
    if raw is None or raw == st.session_state.get(_LINKED):
        return None
    st.session_state[_LINKED] = raw
    code = wijk_profile.valid_wijk_code(raw)
    if code is None:
        return (
            f"De link vraagt om wijk ‘{for_markdown(raw[:40])}’, maar dat is geen wijkcode "
            "(verwacht bijvoorbeeld WK020201). Kies hieronder een wijk."
        )
    if not exists(code):
        return f"Wijk {code} uit de link is niet geladen. Kies hieronder een wijk."
    st.session_state[WIJK_KEY] = code
    return None


def sync_link() -> None:
    """on_change of the wijk list: put the chosen wijk in the address (for sharing)."""
    code = st.session_state.get(WIJK_KEY)
    if code:
        st.query_params["wijk"] = code
        st.session_state[_LINKED] = code
    else:
        st.query_params.pop("wijk", None)
        st.session_state[_LINKED] = None


def _choose(code: str) -> None:
    st.session_state[WIJK_KEY] = code
    st.query_params["wijk"] = code
    st.session_state[_LINKED] = code
