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

MODES = {"jaar": "Eén jaar", "verandering": "Verandering tussen twee jaren"}

choice = filters.require_data()
st.title("Kaart")
counts = map_store.level_counts(choice.gemeente)
levels = map_settings.levels_shown(counts, choice.gemeente)
if not levels:
    st.info(
        f"Er zijn nog geen wijken geladen voor {choice.gemeente_naam}. Laad de CBS wijk- en "
        "buurtkaart met `python -m etl areas BESTAND` of `python -m etl fetch-cbs`.",
        icon=":material/map:",
    )
    st.stop()

top = st.columns([1.2, 2.6, 2.2])
map_state.keep_valid("kaart_niveau", levels, levels[0])
level = top[0].radio(
    "Niveau", levels, key="kaart_niveau", format_func=map_settings.LEVEL_LABELS.get, horizontal=True
)
enterprise_rows = store.load(queries.enterprise_years, gemeente=choice.gemeente)
indicators = store.load(queries.map_indicators, level=level, gemeente=choice.gemeente)
options = map_data.catalogue(indicators, enterprise_rows["year"], level)
if not options:
    st.info("Voor deze gebieden zijn nog geen cijfers geladen.", icon=":material/info:")
    st.stop()
map_state.keep_valid("kaart_maat", list(options), map_data.default_metric(options))
key = top[1].selectbox(
    "Kleur naar", list(options), key="kaart_maat", format_func=lambda k: options[k].option_label
)
metric = options[key]
mode = top[2].radio("Weergave", list(MODES), key="kaart_weergave", format_func=MODES.get)

years = list(reversed(metric.years))
earlier, later = map_data.default_change(metric.years, choice.jaar)
defaults = {"kaart_jaar": map_data.default_year(years, choice.jaar)}
map_state.follow_years(years, {**defaults, "kaart_van": earlier, "kaart_tot": later}, choice.jaar)
row = st.columns([1, 1, 3])
change = year = None
if mode == "verandering" and len(years) > 1:
    first = row[0].selectbox("Van", years, key="kaart_van")
    second = row[1].selectbox("Tot", years, key="kaart_tot")
    if first == second:
        st.info("Kies twee verschillende jaren om de verandering te zien.", icon=":material/info:")
        year = first
    else:
        change = tuple(sorted((first, second)))
else:
    if mode == "verandering":
        st.info(f"Voor {metric.label} is alleen {years[0]} geladen.", icon=":material/info:")
    year = row[0].selectbox("Jaar", years, key="kaart_jaar")
tiles = row[2].toggle(
    "Achtergrondkaart met straten (internet nodig)",
    value=map_settings.tiles_default(),
    key="kaart_tegels",
    help="Zonder internet blijft de achtergrond wit; de wijken staan er altijd op.",
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

names = map_settings.LEVEL_LABELS[level].lower()
missing = int(values["value"].isna().sum())
notes = [f"{legend.title}." if change else f"{legend.title}, {year}."]
if missing:
    notes.append(f"{missing} van {len(values)} {names} zonder gegevens (grijs).")
    if values["onderdrukt"].any():
        notes.append(f"Grijze wijken zijn deels {access.SUPPRESSED_NOTE}.")
if legend.clipped:
    notes.append(
        "De kleuren lopen van het 2e tot het 98e percentiel; uitschieters krijgen de "
        "uiterste kleur."
    )
if not points.empty:
    notes.append(f"Bolletjes: ondernemingen, grootte naar omzet {marker_year}.")
notes.append(
    "Klik op een wijk voor het wijkprofiel hieronder."
    if level == "wijk"
    else "Klik op een buurt voor het profiel van haar wijk hieronder."
)
if shapes.coarse:
    notes.append("Grenzen vereenvoudigd voor heel Nederland; kies een gemeente voor details.")
st.caption(" ".join(notes) + f" {source}.")

table = map_table.table(values, shapes.areas, legend, level, change)
period = f"{change[0]}-{change[1]}" if change else year
downloads.table_downloads(
    table, f"Kaart {key} {period}", "kaart", map_table.excel_formats(table, legend)
)
with st.expander("Tabel van de kaart"):
    shown = map_table.formatted(table, legend, map_data.legend(metric, values.get("later")))
    st.dataframe(shown, hide_index=True, key="kaart_tabel")

profile_view.section(choice.gemeente)
