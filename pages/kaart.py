"""Kaart: wijken or buurten coloured by any indicator (a year, or the change between two years),
enterprises as markers, and below the map the profile of the wijk clicked or chosen."""

import streamlit as st

from wijkimpact import (
    access,
    downloads,
    figures,
    filters,
    map_data,
    map_settings,
    map_state,
    map_store,
    map_table,
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

shapes = map_store.shapes(level, choice.gemeente, counts[level])
values_long = store.load(queries.map_values, metric=key, level=level, gemeente=choice.gemeente)
if change:
    values = map_data.change_values(shapes.areas, values_long, *change)
    marker_year = change[1]
else:
    values = map_data.year_values(shapes.areas, values_long, year)
    marker_year = year
legend = map_data.legend(metric, values["value"], change)
values = map_data.hover_texts(values, shapes.areas, choice.gemeente is None)
points = map_data.markers(
    store.load(queries.enterprises, gemeente=choice.gemeente), enterprise_rows, marker_year
)
source = map_data.source_note(metric, level)
event = st.plotly_chart(
    figures.choropleth(
        shapes.geojson,
        values,
        legend,
        shapes.view,
        points,
        map_style=map_settings.map_style(tiles),
        layers=map_settings.tile_layers(tiles),
        source=source,
        border=map_settings.border_width(len(values)),
        uirevision=f"{choice.gemeente}-{level}",
    ),
    key="kaart",
    on_select="rerun",
    selection_mode="points",
    config={"scrollZoom": True, "displaylogo": False},
)
map_state.apply_click(event, shapes.areas)

names = _(map_settings.LEVEL_LABELS[level]).lower()
missing = int(values["value"].isna().sum())
notes = [f"{legend.title}." if change else f"{legend.title}, {year}."]
if missing:
    notes.append(
        _(
            "{n} van {totaal} {gebieden} zonder gegevens (grijs).",
            n=missing,
            totaal=len(values),
            gebieden=names,
        )
    )
    if values["onderdrukt"].any():
        notes.append(_("Grijze wijken zijn deels {reden}.", reden=_(access.SUPPRESSED_NOTE)))
if legend.clipped:
    notes.append(
        _(
            "De kleuren lopen van het 2e tot het 98e percentiel; uitschieters krijgen de "
            "uiterste kleur."
        )
    )
if not points.empty:
    notes.append(_("Bolletjes: ondernemingen, grootte naar omzet {jaar}.", jaar=marker_year))
notes.append(
    _("Klik op een wijk voor het wijkprofiel hieronder.")
    if level == "wijk"
    else _("Klik op een buurt voor het profiel van haar wijk hieronder.")
)
if shapes.coarse:
    notes.append(_("Grenzen vereenvoudigd voor heel Nederland; kies een gemeente voor details."))
st.caption(" ".join(notes) + f" {source}.")

table = map_table.table(values, shapes.areas, legend, level, change)
period = f"{change[0]}-{change[1]}" if change else year
downloads.table_downloads(
    table,
    _("Kaart {maat} {periode}", maat=key, periode=period),
    "kaart",
    map_table.excel_formats(table, legend),
)
with st.expander(_("Tabel van de kaart")):
    shown = map_table.formatted(table, legend, map_data.legend(metric, values.get("later")))
    st.dataframe(shown, hide_index=True, key="kaart_tabel")

profile_view.section(choice.gemeente)
