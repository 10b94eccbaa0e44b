"""Kaart: the wijken coloured by a metric for a year, with the enterprises as markers."""

import streamlit as st

from wijkimpact import figures, filters, map_data, queries, store

choice = filters.require_data()
st.title("Kaart")
geo, view = store.geojson("wijk", choice.gemeente)
if not geo["features"]:
    st.info(
        f"Er zijn nog geen wijken geladen voor {choice.gemeente_naam}. Laad de CBS wijk- en "
        "buurtkaart met `python -m etl areas BESTAND`.",
        icon=":material/map:",
    )
    st.stop()

metric = st.selectbox(
    "Kleur de wijken naar",
    list(map_data.MAP_METRICS),
    key="kaart_maat",
    format_func=lambda m: map_data.MAP_METRICS[m][0],
)
label, unit = map_data.MAP_METRICS[metric]
wijk_years = store.load(queries.wijk_years, gemeente=choice.gemeente)
shapes = store.load(queries.area_shapes, level="wijk", gemeente=choice.gemeente)
year = choice.jaar or int(wijk_years["year"].max())
values = map_data.wijk_values(shapes, wijk_years, metric, year)
points = map_data.markers(
    store.load(queries.enterprises, gemeente=choice.gemeente),
    store.load(queries.enterprise_years, gemeente=choice.gemeente),
    year,
)
st.plotly_chart(
    figures.choropleth(geo, values, label, unit, view, points),
    key="kaart",
    config={"scrollZoom": True, "displaylogo": False},
)
missing = int(values["value"].isna().sum())
note = f" {missing} van {len(values)} wijken zonder waarde (grijs)." if missing else ""
st.caption(
    f"{label}, {year}.{note} Bolletjes: ondernemingen, grootte naar omzet. "
    "Bron: CBS (wijkgrenzen en kerncijfers), Leefbaarometer 3.0 (BZK)."
)
