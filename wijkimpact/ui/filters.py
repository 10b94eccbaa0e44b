"""The shared sidebar choices (gemeente, jaar) as pages read them, with sensible defaults."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from wijkimpact.data import queries
from wijkimpact.domain import periods
from wijkimpact.i18n import _
from wijkimpact.ui import session, store

ALL = "__alle__"
DEMO_GEMEENTE = "GM9999"


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar."""

    gemeente: str | None  # None: all municipalities
    gemeente_naam: str
    jaar: int | None  # None: no enterprise figures yet
    jaar_label: str = ""  # '2025, januari t/m maart' for a year not yet complete
    jaar_compleet: bool = True


def gemeente_options() -> dict[str, str]:
    """Code -> label for the gemeente filter, 'Alle gemeenten' first."""
    frame = store.load(queries.gemeenten)
    options = {ALL: _("Alle gemeenten")}
    codes, names = frame["area_code"].tolist(), frame["name"].tolist()  # not per Arrow cell
    options.update({code: f"{name} ({code})" for code, name in zip(codes, names, strict=True)})
    return options


def year_options() -> list[int]:
    """Years with enterprise figures, newest first."""
    return store.load(queries.years)


def year_labels(years: list[int]) -> dict[int, str]:
    """Each year as the sidebar shows it: '2025, januari t/m maart' while not complete (worked
    out once per run, not once per option each time Streamlit asks for an option's label)."""
    held = store.load(queries.year_periods)
    return periods.year_labels(years, held)


def months_label(year: int, months) -> str:
    """One enterprise's year by the months it holds: '2025, januari t/m maart'."""
    return periods.months_year_label(year, months)


def current() -> Filters:
    """The sidebar's choices, or defaults when a page runs on its own."""
    options = gemeente_options()
    code = st.session_state.get("gemeente")
    if code not in options:
        loaded = [c for c in options if c != ALL]
        code = loaded[0] if len(loaded) == 1 else ALL
    years = year_options()
    year = st.session_state.get("jaar")
    held = store.load(queries.year_periods)
    if year not in years:  # a new session: the last complete year
        year = periods.default_year(held) if years else None
    name = options[code].split(" (")[0] if code != ALL else _("alle gemeenten")
    return Filters(
        None if code == ALL else code,
        name,
        year,
        periods.year_label(year, held),
        periods.is_complete(year, held),
    )


def is_demo() -> bool:
    """Whether the fictional Demostad is loaded."""
    return DEMO_GEMEENTE in gemeente_options()


def require_data() -> Filters:
    """Stop the page with instructions when there is no database or no figures yet."""
    session.serving_mode()  # app.py stops first; this guards a page that runs on its own
    if not store.database_ready():
        st.warning(
            _(
                "Er is nog geen database. Bouw hem met `python -m etl build` (demodata) of laad "
                "eigen bestanden; zie de README."
            ),
            icon=":material/database:",
        )
        st.stop()
    return current()


# Choices whose options are shown in the user's language. The browser sends a choice back as the
# label it showed, so after a switch of language the old label would match no option and the
# choice would fall back to its default (the demo role to another role): keep_choices holds them.
TRANSLATED_CHOICES = (
    session.ROLE_KEY,
    "gemeente",
    "jaar",
    "kaart_niveau",
    "kaart_maat",
    "kaart_weergave",
    "portefeuille_keuze",
    "portefeuille_volgorde",
    "bijdrage_indicatoren",
    "form_thema",
)


def keep_choices() -> None:
    """On a switch of language (the language control's on_change, before the run): set each
    translated choice to the value it has now, read with the labels it was shown in, so the
    language never changes who one is or what one chose."""
    state = st.session_state
    for key in TRANSLATED_CHOICES:
        if key in state:
            state[key] = state[key]
