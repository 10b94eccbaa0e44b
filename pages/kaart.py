"""Kaart: wijken or buurten coloured by any indicator (a year, or the change between two years),
enterprises as markers, and below the map the profile of the wijk clicked or chosen."""

import streamlit as st

from wijkimpact import (
    downloads,
    filters,
    map_data,
    map_settings,
    map_state,
    map_store,
    map_view,
    profile_view,
    queries,
    store,
)
from wijkimpact.i18n import N_, _

MODES = {"jaar": N_("Eén jaar"), "verandering": N_("Verandering tussen twee jaren")}

choice = filters.require_data()
st.title(_("Kaart"))
counts = map_store.level_counts(choice.gemeente)
levels = map_settings.levels_shown(counts, choice.gemeente)
if not levels:
    st.info(
        _(
            "Er zijn nog geen wijken geladen voor {gemeente}. Laad de CBS wijk- en "
            "buurtkaart met `python -m etl areas BESTAND` of `python -m etl fetch-cbs`.",
            gemeente=choice.gemeente_naam,
        ),
        icon=":material/map:",
    )
    st.stop()

top = st.columns([1.2, 2.6, 2.2])
map_state.keep_valid("kaart_niveau", levels, levels[0])
level = top[0].radio(
    _("Niveau"),
    levels,
    key="kaart_niveau",
    format_func=lambda lv: _(map_settings.LEVEL_LABELS[lv]),
    horizontal=True,
)
enterprise_rows = store.load(queries.enterprise_years, gemeente=choice.gemeente)
indicators = store.load(queries.map_indicators, level=level, gemeente=choice.gemeente)
options = map_data.catalogue(indicators, enterprise_rows["year"], level)
if not options:
    st.info(_("Voor deze gebieden zijn nog geen cijfers geladen."), icon=":material/info:")
    st.stop()
map_state.keep_valid("kaart_maat", list(options), map_data.default_metric(options))
key = top[1].selectbox(
    _("Kleur naar"), list(options), key="kaart_maat", format_func=lambda k: options[k].option_label
)
metric = options[key]
mode = top[2].radio(
    _("Weergave"), list(MODES), key="kaart_weergave", format_func=lambda m: _(MODES[m])
)

years = list(reversed(metric.years))
earlier, later = map_data.default_change(metric.years, choice.jaar)
defaults = {"kaart_jaar": map_data.default_year(years, choice.jaar)}
map_state.follow_years(years, {**defaults, "kaart_van": earlier, "kaart_tot": later}, choice.jaar)
row = st.columns([1, 1, 3])
change = year = None
if mode == "verandering" and len(years) > 1:
    first = row[0].selectbox(_("Van"), years, key="kaart_van")
    second = row[1].selectbox(_("Tot"), years, key="kaart_tot")
    if first == second:
        st.info(
            _("Kies twee verschillende jaren om de verandering te zien."), icon=":material/info:"
        )
        year = first
    else:
        change = tuple(sorted((first, second)))
else:
    if mode == "verandering":
        st.info(
            _("Voor {maat} is alleen {jaar} geladen.", maat=metric.label, jaar=years[0]),
            icon=":material/info:",
        )
    year = row[0].selectbox(_("Jaar"), years, key="kaart_jaar")
tiles = row[2].toggle(
    _("Achtergrondkaart met straten (internet nodig)"),
    value=map_settings.tiles_default(),
    key="kaart_tegels",
    help=_("Zonder internet blijft de achtergrond wit; de wijken staan er altijd op."),
)

shown = map_view.view(
    map_view.MapChoice(choice.gemeente, level, metric, year, change, tiles, counts[level])
)
event = st.plotly_chart(
    shown.figure,
    key="kaart",
    on_select="rerun",
    selection_mode="points",
    config={"scrollZoom": True, "displaylogo": False},
)
map_state.apply_click(event, shown.areas)
st.caption(shown.caption)
downloads.table_downloads(shown.table, shown.download_name, "kaart", shown.excel_formats)
with st.expander(_("Tabel van de kaart")):
    st.dataframe(shown.shown, hide_index=True, key="kaart_tabel")

profile_view.section(choice.gemeente)
