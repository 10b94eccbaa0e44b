"""Kaart: wijken or buurten coloured by any indicator (a year, or the change between two years),
enterprises as markers, and below the map the profile of the wijk clicked or chosen."""

import streamlit as st

from wijkimpact import (
    export,
    figures,
    filters,
    map_data,
    map_settings,
    map_state,
    map_store,
    queries,
    store,
    wijk_profile,
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
change = None
if mode == "verandering" and len(years) > 1:
    first = row[0].selectbox("Van", years, key="kaart_van")
    second = row[1].selectbox("Tot", years, key="kaart_tot")
    if first == second:
        st.info("Kies twee verschillende jaren om de verandering te zien.", icon=":material/info:")
    change = tuple(sorted((first, second))) if first != second else None
else:
    if mode == "verandering":
        st.info(f"Voor {metric.label} is alleen {years[0]} geladen.", icon=":material/info:")
    year = row[0].selectbox("Jaar", years, key="kaart_jaar")
tiles = row[2].toggle(
    "Achtergrondkaart met straten (internet nodig)",
    value=map_settings.tiles_default(),
    key="kaart_tegels",
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
values["text"] = map_data.area_names(shapes.areas, choice.gemeente is None).to_numpy()
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
notes = [legend.title if change else f"{legend.title}, {year}."]
if missing:
    notes.append(f"{missing} van {len(values)} {names} zonder gegevens (grijs).")
if legend.clipped:
    notes.append("De kleuren lopen van het 2e tot het 98e percentiel; uitschieters krijgen de "
                 "uiterste kleur.")
if not points.empty:
    notes.append(f"Bolletjes: ondernemingen, grootte naar omzet {marker_year}.")
notes.append("Klik op een wijk voor het wijkprofiel hieronder.")
if shapes.coarse:
    notes.append("Grenzen vereenvoudigd voor heel Nederland; kies een gemeente voor details.")
st.caption(" ".join(notes) + f" {source}.")

table = map_data.table(values, shapes.areas, legend, level, change)
name = f"kaart_{key}_{f'{change[0]}-{change[1]}' if change else year}"
left, right, _ = st.columns([1, 1, 3])
left.download_button(
    "Download Excel",
    export.to_excel({"Kaart": table}, map_data.excel_formats(table, legend)),
    file_name=f"{name}.xlsx",
    icon=":material/download:",
    key="kaart_excel",
)
right.download_button(
    "Download CSV",
    export.to_csv(table),
    file_name=f"{name}.csv",
    mime="text/csv",
    icon=":material/download:",
    key="kaart_csv",
)
with st.expander("Tabel van de kaart"):
    shown = map_data.formatted(table, legend, map_data.legend(metric, values.get("later")))
    st.dataframe(shown, hide_index=True, key="kaart_tabel")

st.header("Wijkprofiel")
warning = map_state.apply_link(
    lambda code: not store.load(queries.area_profile, area_code=code).empty
)
if warning:
    st.warning(warning, icon=":material/link_off:")
wijken = store.load(queries.wijken, gemeente=choice.gemeente)
labels = dict(zip(wijken["area_code"], wijken["name"].fillna(wijken["area_code"]), strict=True))
chosen = st.session_state.get(map_state.WIJK_KEY)
if chosen and chosen not in labels:  # a wijk from a link, in another gemeente
    other = store.load(queries.area_profile, area_code=chosen)
    labels = {chosen: other["name"].iloc[0] if not other.empty else chosen, **labels}
code = st.selectbox(
    "Wijk",
    list(labels),
    index=None,
    key=map_state.WIJK_KEY,
    format_func=lambda c: f"{labels[c]} ({c})",
    placeholder="Klik op een wijk op de kaart, of kies er hier een",
    on_change=map_state.sync_link,
)
if code is None:
    st.caption("Nog geen wijk gekozen.")
    st.stop()

wijk_naam, gemeente, gemeente_naam = wijk_profile.names(
    store.load(queries.area_profile, area_code=code)
)
stats = store.load(queries.profile_stats, wijk=code, gemeente=gemeente)
st.subheader(wijk_profile.plain(wijk_naam))
st.caption(f"Wijk {code} in de gemeente {wijk_profile.plain(gemeente_naam)}.")
left, right = st.columns(2)
figures_table, weighted = wijk_profile.key_figures(stats, code, gemeente)
left.markdown(f"**Kerncijfers: de wijk en {wijk_profile.plain(gemeente_naam)}**")
if figures_table.empty:
    left.info("Geen kerncijfers geladen voor deze wijk.", icon=":material/info:")
else:
    left.dataframe(figures_table, hide_index=True, key="profiel_kerncijfers")
    note = "*Gemiddelde van de wijken, gewogen naar inwoners. " if weighted else ""
    left.caption(note + "Bron: CBS (kerncijfers); Leefbaarometer 3.0, BZK.")
trend = wijk_profile.lbm_trend(stats, code, wijk_naam, gemeente, gemeente_naam)
if trend.empty:
    right.info("Geen Leefbaarometer-scores geladen voor deze wijk.", icon=":material/info:")
else:
    right.plotly_chart(figures.lbm_trend(trend), key="profiel_lbm")
    right.caption("Bron: Leefbaarometer 3.0, BZK.")

st.markdown("**Ondernemingen in deze wijk**")
cards = wijk_profile.enterprise_cards(store.load(queries.active_enterprises, area_code=code))
if not cards:
    st.info("Geen ondernemingen actief in deze wijk.", icon=":material/storefront:")
columns = st.columns(2)
for i, card in enumerate(cards):
    with columns[i % 2].container(border=True):
        st.markdown(f"**{card.name}**  \n{card.role}")
        if card.description:
            st.markdown(card.description)
        if card.volunteers_wanted:
            st.markdown(f"*Zoekt vrijwilligers:* {card.volunteers_wanted}")
        if card.contact:
            st.markdown(f"*Contact:* {card.contact}")
        if card.website:
            st.link_button("Website", card.website, icon=":material/open_in_new:")

st.markdown("**Geherinvesteerd in deze wijk**")
spent = store.load(queries.area_reinvestments, area_code=code)
if spent.empty:
    st.info("Nog niets geherinvesteerd in deze wijk (volgens de geladen gegevens).")
else:
    left, right = st.columns([1, 3])
    left.dataframe(wijk_profile.reinvested_per_year(spent), hide_index=True, key="profiel_jaar")
    projects = wijk_profile.reinvestment_table(spent)
    right.dataframe(projects, hide_index=True, key="profiel_projecten")
