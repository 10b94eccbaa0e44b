"""The search box of /kaart (Streamlit UI): a wijk or buurt by name, or a postcode once CBS's
postcode table is loaded; a hit opens the wijk's profile."""

from __future__ import annotations

import streamlit as st

from wijkimpact.data import queries
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import _
from wijkimpact.kaart import search
from wijkimpact.ui import store
from wijkimpact.ui.kaart import map_state

KEY = "kaart_zoek"
_WENT = "_kaart_zoek_gevolgd"  # the postcode search whose wijk was opened (once, not each rerun)


def search_box() -> None:
    """The search box and its hits, above the wijk list."""
    text = st.text_input(
        _("Zoek een wijk, buurt of postcode"),
        key=KEY,
        placeholder=_("bijvoorbeeld Vogelbuurt of 6811 AB"),
        icon=":material/search:",
    ).strip()
    if not text:
        return
    pc6 = search.postcode(text)
    if pc6:
        _postcode(pc6)
    elif len(text) < search.MIN_LETTERS:
        st.caption(_("Typ minstens twee letters van de naam."))
    else:
        _names(text)


def _postcode(pc6: str) -> None:
    found = store.load(queries.postcode_wijk, pc6=pc6)
    if found.empty:
        if not store.load(queries.postcodes_loaded):
            st.info(
                _(
                    "Zoeken op postcode kan zodra de postcodetabel van CBS is geladen "
                    "(`python -m etl postcodes BESTAND`). Zoek nu op de naam van de wijk."
                ),
                icon=":material/info:",
            )
        else:
            st.warning(
                _(
                    "Postcode {postcode} staat niet in de geladen postcodetabel, of haar wijk is "
                    "niet geladen.",
                    postcode=search.written(pc6),
                ),
                icon=":material/search_off:",
            )
        return
    row = found.iloc[0]
    if st.session_state.get(_WENT) != pc6:
        st.session_state[_WENT] = pc6
        _open(row["wijk_code"])
    st.caption(
        _(
            "Postcode {postcode} ligt in wijk {wijk} ({gemeente}).",
            postcode=search.written(pc6),
            wijk=for_markdown(row["wijk_naam"] or row["wijk_code"]),
            gemeente=for_markdown(row["gemeente_naam"]),
        )
    )


def _names(text: str) -> None:
    hits = store.load(queries.find_areas, text=text)
    if hits.empty:
        st.info(
            _("Geen wijk of buurt gevonden met ‘{tekst}’ in de naam.", tekst=for_markdown(text)),
            icon=":material/search_off:",
        )
        return
    columns = st.columns(3)
    for i, (area, wijk, label) in enumerate(search.hit_labels(hits)):
        columns[i % 3].button(
            label, key=f"{KEY}_{area}", on_click=_open, args=(wijk,), width="stretch"
        )


def _open(wijk: str) -> None:
    """Open the profile of ``wijk`` and put it in the address, as a click on the map does."""
    st.session_state[map_state.WIJK_KEY] = wijk
    map_state.sync_link()
