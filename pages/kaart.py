"""Kaart: wijken or buurten coloured by any indicator (a year, or the change between two years),
enterprises as markers, and below the map the profile of the wijk clicked or chosen."""

import streamlit as st

from wijkimpact.data import queries
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import number
from wijkimpact.i18n import N_, _
from wijkimpact.kaart import map_data, settings
from wijkimpact.ui import downloads, filters, router, store
from wijkimpact.ui.kaart import map_chart, map_state, map_store, map_view, profile_view

MODES = {"jaar": N_("Eén jaar"), "verandering": N_("Verandering tussen twee jaren")}

router.ensure_router()
choice = filters.require_data()
st.title(_("Kaart"))
counts = map_store.level_counts(choice.gemeente)
levels = settings.levels_shown(counts, choice.gemeente)
if not levels:
    st.info(
        _(
            "Er zijn nog geen wijken geladen voor {gemeente}. Laad de CBS wijk- en "
            "buurtkaart met `python -m etl areas BESTAND` of `python -m etl fetch-cbs`.",
            gemeente=for_markdown(choice.gemeente_naam),
        ),
        icon=":material/map:",
    )
    st.stop()

# The controls stand above the map but are drawn after it, from the values the session
# already holds: the browser gets the map first and loads the chart code while it draws them.
controls = st.container()
top = controls.columns([1.2, 2.6, 2.2])
map_state.keep_valid("kaart_niveau", levels, levels[0])
level = st.session_state["kaart_niveau"]
enterprise_rows = store.load(queries.enterprise_years, gemeente=choice.gemeente)
indicators = store.load(queries.map_indicators, level=level, gemeente=choice.gemeente)
options = map_data.catalogue(indicators, enterprise_rows["year"].unique(), level)


def level_choice() -> None:
    top[0].radio(
        _("Niveau"),
        levels,
        key="kaart_niveau",
        format_func=lambda lv: _(settings.LEVEL_LABELS[lv]),
        horizontal=True,
    )


if not options:
    level_choice()
    st.info(_("Voor deze gebieden zijn nog geen cijfers geladen."), icon=":material/info:")
    st.stop()
map_state.keep_valid("kaart_maat", list(options), map_data.default_metric(options))
metric = options[st.session_state["kaart_maat"]]
map_state.keep_valid("kaart_weergave", list(MODES), "jaar")
mode = st.session_state["kaart_weergave"]
years = list(reversed(metric.years))
earlier, later = map_data.default_change(metric.years, choice.jaar)
defaults = {"kaart_jaar": map_data.default_year(years, choice.jaar)}
map_state.follow_years(years, {**defaults, "kaart_van": earlier, "kaart_tot": later}, choice.jaar)
two_years = mode == "verandering" and len(years) > 1
change = year = None
if two_years and st.session_state["kaart_van"] != st.session_state["kaart_tot"]:
    change = tuple(sorted((st.session_state["kaart_van"], st.session_state["kaart_tot"])))
else:
    year = st.session_state["kaart_van" if two_years else "kaart_jaar"]
st.session_state.setdefault("kaart_tegels", settings.tiles_default())
tiles = st.session_state["kaart_tegels"]
enterprises = enterprise_rows["enterprise_id"].nunique()
dots_default = settings.markers_default(enterprises, choice.gemeente)
map_state.follow_scope("kaart_bolletjes", choice.gemeente, dots_default)
dots = st.session_state["kaart_bolletjes"]

shown = map_view.view(
    map_view.MapChoice(choice.gemeente, level, metric, year, change, tiles, dots, counts[level])
)
map_state.apply_click(map_chart.draw(shown, "kaart"), shown.areas)

level_choice()
top[1].selectbox(
    _("Kleur naar"), list(options), key="kaart_maat", format_func=lambda k: options[k].option_label
)
top[2].radio(_("Weergave"), list(MODES), key="kaart_weergave", format_func=lambda m: _(MODES[m]))
row = controls.columns([1, 1, 3])
if two_years:
    row[0].selectbox(_("Van"), years, key="kaart_van")
    row[1].selectbox(_("Tot"), years, key="kaart_tot")
    if change is None:
        controls.info(
            _("Kies twee verschillende jaren om de verandering te zien."), icon=":material/info:"
        )
else:
    if mode == "verandering":
        controls.info(
            _(
                "Voor {maat} is alleen {jaar} geladen.",
                maat=for_markdown(metric.label),
                jaar=years[0],
            ),
            icon=":material/info:",
        )
    row[0].selectbox(_("Jaar"), years, key="kaart_jaar")
row[2].toggle(
    _("Achtergrondkaart met straten (internet nodig)"),
    key="kaart_tegels",
    help=_("Zonder internet blijft de achtergrond wit; de wijken staan er altijd op."),
)
row[2].toggle(
    _("Ondernemingen als bolletjes ({n})", n=number(shown.dots)),
    key="kaart_bolletjes",
    help=_(
        "Voor heel Nederland staan ze standaard uit: zoveel bolletjes verbergen de wijken. "
        "Voor één gemeente staan ze aan."
    ),
)
st.caption(shown.caption)
if shown.gaps:  # a map of all gemeenten with holes: say whose areas are not loaded
    st.info(map_data.gaps_note(shown.gaps, level), icon=":material/map:")
# the table and its downloads only when opened: 3,455 rows are not sent with every visit
with st.expander(
    _("Tabel van de kaart, met download"), key="kaart_tabel_open", on_change="rerun"
) as box:
    if box.open:
        downloads.table_downloads(shown.table, shown.download_name, "kaart", shown.excel_formats)
        st.dataframe(shown.shown, hide_index=True, key="kaart_tabel")

profile_view.section(choice.gemeente)
