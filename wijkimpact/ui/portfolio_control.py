"""The one portfolio control of /financiers: which enterprises the page shows (the funder's own
portfolio, all it may see, a saved one) and, as its last choice, composing and saving a new one
in the same place."""

from __future__ import annotations

import streamlit as st

from wijkimpact.data import queries, saved_portfolios
from wijkimpact.data.access import Viewer
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import _
from wijkimpact.ui import session, store, widget_texts

NEW = "__nieuw__"  # the choice that composes a new portfolio
KEY = "portefeuille_keuze"


def chosen_ids(viewer: Viewer, names: dict[str, str]) -> tuple[str, ...] | None:
    """The control, drawn: the ids of the enterprises the page shows (None: all the viewer may
    see). ``names``: id -> name of the enterprises one may put in a portfolio."""
    choices = saved_portfolios.choices(viewer, store.load(queries.saved_portfolios))
    labels = {key: choice.label for key, choice in choices.items()}
    if viewer.owner is not None:  # financiers and beheerders keep portfolios of their own
        labels[NEW] = _("Nieuwe portefeuille samenstellen…")
    just_saved = st.session_state.pop("portefeuille_bewaard", None)  # set below, then rerun
    if just_saved and just_saved.key in labels:
        st.session_state[KEY] = just_saved.key
        st.success(just_saved.message(), icon=":material/check:")
    if st.session_state.get(KEY) not in labels:  # another role's, or gone
        st.session_state.pop(KEY, None)
    chosen = st.selectbox(_("Portefeuille"), list(labels), key=KEY, format_func=labels.get)
    if chosen == saved_portfolios.MINE:  # the demo financier's: chosen right here
        catalogue = store.load(queries.enterprises)
        session.demo_portfolio(
            dict(zip(catalogue["enterprise_id"], catalogue["name"], strict=True))
        )
    if chosen != NEW:
        return choices[chosen].ids
    return _compose(viewer, names)


def _compose(viewer: Viewer, names: dict[str, str]) -> tuple[str, ...]:
    """Pick enterprises (the page shows them at once) and save them under a name."""
    picked = st.multiselect(
        _("Ondernemingen"),
        list(names),
        format_func=names.get,
        key="portefeuille_ids",
        placeholder=_(widget_texts.CHOOSE),
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    title = left.text_input(_("Naam"), max_chars=saved_portfolios.MAX_NAME, key="portefeuille_naam")
    if right.button(_("Bewaren"), key="portefeuille_bewaren", icon=":material/save:"):
        outcome = saved_portfolios.save(viewer, title, picked)
        if outcome.problems:
            st.error(_("Niet bewaard:\n\n{problemen}", problemen=outcome.as_markdown()))
        else:
            st.session_state["portefeuille_bewaard"] = outcome
            st.rerun()
    st.caption(_("Een bewaarde portefeuille ziet alleen u, en de beheerders."))
    if not picked:
        st.info(_("Kies de ondernemingen van de nieuwe portefeuille."), icon=":material/info:")
        st.stop()
    return tuple(picked)


def missing_note(ids: tuple[str, ...] | None, names: dict[str, str], gemeente: str) -> None:
    """Say which enterprises of the portfolio the page cannot show."""
    missing = sorted(set(ids or ()) - set(names))
    if missing:
        st.caption(
            _(
                "Niet getoond (niet in {gemeente}, of de cijfers zijn niet openbaar): {ids}.",
                gemeente=for_markdown(gemeente),
                ids=for_markdown(", ".join(missing)),
            )
        )
