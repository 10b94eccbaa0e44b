"""The wijk profile section of /kaart (Streamlit UI). A fragment: choosing another wijk redraws
the profile only, not the map above it (the national map is 1.4 MB)."""

from __future__ import annotations

import streamlit as st

from wijkimpact import i18n
from wijkimpact.charts import trend_figures
from wijkimpact.data import access, queries
from wijkimpact.escaping import for_markdown
from wijkimpact.i18n import _
from wijkimpact.kaart import wijk_profile
from wijkimpact.ui import store
from wijkimpact.ui.kaart import map_state, search_view

# more wijken than this (all of NL): choose a gemeente first, then one of its wijken
MANY_WIJKEN = 400
GEMEENTE_KEY = "kaart_wijk_gemeente"


@st.fragment
def section(gemeente: str | None) -> None:
    """The wijk list (the wijken of ``gemeente``, or all) and the chosen wijk's profile."""
    i18n.use_language(st.session_state.get("taal"))  # a rerun of the fragment skips app.py
    st.header(_("Wijkprofiel"))
    search_view.search_box()
    warning = map_state.apply_link(
        lambda code: not store.load(queries.area_profile, area_code=code).empty
    )
    if warning:
        st.warning(warning, icon=":material/link_off:")
    wijken = store.load(queries.wijken, gemeente=gemeente)
    chosen = st.session_state.get(map_state.WIJK_KEY)
    narrow = gemeente is None and len(wijken) > MANY_WIJKEN
    left, right = st.columns([1, 2]) if narrow else (None, st)
    if narrow:  # all of NL: a list of 3,455 wijken is no help, choose the gemeente first
        within = _gemeente_first(left, chosen)
        wijken = wijken[wijken["gemeente_code"] == within] if within else wijken.iloc[0:0]
    codes = wijken["area_code"].tolist()  # lists, not a walk over Arrow cells
    labels = dict(zip(codes, wijken["name"].fillna(wijken["area_code"]).tolist(), strict=True))
    if chosen and chosen not in labels:  # a wijk from a link, in another gemeente
        other = store.load(queries.area_profile, area_code=chosen)
        labels = {chosen: wijk_profile.names(other)[0] if not other.empty else chosen, **labels}
    code = right.selectbox(
        _("Wijk"),
        list(labels),
        index=None,
        key=map_state.WIJK_KEY,
        format_func=lambda c: f"{labels[c]} ({c})",
        placeholder=(
            _("Klik op een wijk op de kaart, of kies er hier een")
            if labels
            else _("Klik op een wijk op de kaart, of kies eerst een gemeente")
        ),
        disabled=not labels,
        on_change=map_state.sync_link,
    )
    if code is None:
        st.caption(_("Nog geen wijk gekozen."))
        return
    _key_figures(code)
    _enterprises(code)
    _reinvested(code)


def _gemeente_first(where, chosen: str | None) -> str | None:
    """A list of gemeenten to narrow the wijk list to; follows the wijk clicked or linked."""
    gemeenten = store.load(queries.gemeenten)
    rows = zip(*(gemeenten[c].tolist() for c in ("area_code", "name", "wijken")), strict=True)
    names = dict(sorted(((c, n) for c, n, w in rows if w > 0), key=lambda pair: pair[1]))
    if chosen:
        home = store.load(queries.area_profile, area_code=chosen)["gemeente_code"]
        if not home.empty and home.iloc[0] in names:
            st.session_state[GEMEENTE_KEY] = home.iloc[0]
    return where.selectbox(
        _("Gemeente van de wijk"),
        list(names),
        index=None,
        key=GEMEENTE_KEY,
        format_func=lambda c: f"{names[c]} ({c})",
        placeholder=_("Kies een gemeente"),
        on_change=_forget_wijk,
    )


def _forget_wijk() -> None:
    """Another gemeente for the wijk list: the wijk chosen before is not in it."""
    st.session_state[map_state.WIJK_KEY] = None
    map_state.sync_link()


def _key_figures(code: str) -> None:
    name, gemeente, gemeente_naam = wijk_profile.names(
        store.load(queries.area_profile, area_code=code)
    )
    stats = store.load(queries.profile_stats, wijk=code, gemeente=gemeente)
    st.subheader(for_markdown(name))
    st.caption(
        _(
            "Wijk {code} in de gemeente {gemeente}.",
            code=code,
            gemeente=for_markdown(gemeente_naam),
        )
    )
    left, right = st.columns(2)
    table, weighted = wijk_profile.key_figures(stats, code, gemeente)
    left.markdown(
        _("**Kerncijfers: de wijk en {gemeente}**", gemeente=for_markdown(gemeente_naam))
    )
    if table.empty:
        left.info(_("Geen kerncijfers geladen voor deze wijk."), icon=":material/info:")
    else:
        left.dataframe(table, hide_index=True, key="profiel_kerncijfers")
        left.caption(
            _(
                "*Gemiddelde van de wijken, gewogen naar inwoners. Bron: CBS (kerncijfers); "
                "Leefbaarometer 3.0, BZK."
            )
            if weighted
            else _("Bron: CBS (kerncijfers); Leefbaarometer 3.0, BZK.")
        )
    trend = wijk_profile.lbm_trend(stats, code, name, gemeente, gemeente_naam)
    if trend.empty:
        right.info(_("Geen Leefbaarometer-scores geladen voor deze wijk."), icon=":material/info:")
    else:
        right.plotly_chart(trend_figures.lbm_trend(trend), key="profiel_lbm")
        right.caption(_("Bron: Leefbaarometer 3.0, BZK."))


def _enterprises(code: str) -> None:
    st.markdown(_("**Ondernemingen in deze wijk**"))
    cards = wijk_profile.enterprise_cards(store.load(queries.active_enterprises, area_code=code))
    if not cards:
        st.info(_("Geen ondernemingen actief in deze wijk."), icon=":material/storefront:")
    columns = st.columns(2)
    for i, card in enumerate(cards):
        with columns[i % 2].container(border=True):
            st.markdown(f"**{card.name}**  \n{card.role}")
            if card.description:
                st.markdown(card.description)
            if card.volunteers_wanted:
                st.markdown(_("*Zoekt vrijwilligers:* {tekst}", tekst=card.volunteers_wanted))
            if card.contact:
                st.markdown(_("*Contact:* {tekst}", tekst=card.contact))
            if card.website:
                st.link_button(_("Website"), card.website, icon=":material/open_in_new:")


def _reinvested(code: str) -> None:
    st.markdown(_("**Geherinvesteerd in deze wijk**"))
    spent = store.load(queries.area_reinvestments, area_code=code)
    home = store.load(queries.area_profile, area_code=code)["gemeente_code"]
    wijken = store.load(queries.wijk_years, gemeente=home.iloc[0]) if not home.empty else None
    totals = None if wijken is None else wijken[wijken["area_code"] == code]
    years = wijk_profile.reinvested_per_year(spent, totals)
    if years.table.empty:
        st.info(_("Nog niets geherinvesteerd in deze wijk (volgens de geladen gegevens)."))
        return
    left, right = st.columns([1, 2] if len(years.table.columns) > 2 else [1, 3])
    left.dataframe(years.table, hide_index=True, key="profiel_jaar")
    if not spent.empty:
        projects = wijk_profile.reinvestment_table(spent)
        right.dataframe(projects, hide_index=True, key="profiel_projecten")
    if years.covered:
        left.caption(
            _(
                "In {jaren} herinvesteerden hier ook ondernemingen die hun cijfers niet openbaar "
                "maken: hun bedragen staan in het totaal van de wijk, niet per onderneming.",
                jaren=wijk_profile.year_list(years.covered),
            )
        )
    if years.withheld:
        st.info(
            _(
                "Deels: in {jaren} herinvesteerden hier ook ondernemingen die hun cijfers niet "
                "openbaar maken. Hun bedragen ontbreken in het bedrag per jaar; het totaal van "
                "de wijk is {reden}.",
                jaren=wijk_profile.year_list(years.withheld),
                reden=_(access.SUPPRESSED_NOTE),
            ),
            icon=":material/visibility_off:",
        )
