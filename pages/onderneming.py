"""Onderneming: one enterprise's income, earning power, result, reinvestments and people."""

import streamlit as st

from wijkimpact import figures, filters, metrics, queries, store
from wijkimpact.formatting import change_points, euro, number, percent

choice = filters.require_data()
st.title("Onderneming")
catalogue = store.load(queries.enterprises, gemeente=choice.gemeente)
if catalogue.empty:
    st.info(f"Nog geen ondernemingen in {choice.gemeente_naam}.", icon=":material/info:")
    st.stop()

names = dict(zip(catalogue["enterprise_id"], catalogue["name"], strict=True))
wanted = st.query_params.get("id")
ids = list(names)
enterprise_id = st.selectbox(
    "Onderneming",
    ids,
    format_func=names.get,
    key="onderneming",
    index=ids.index(wanted) if wanted in names else 0,
)
st.query_params["id"] = enterprise_id
info = catalogue.set_index("enterprise_id").loc[enterprise_id]
st.caption(f"{info['wijk_naam']} · {info['gemeente_naam']} · opgericht {info['founded'] or '–'}")
if info["description"]:
    st.text(info["description"])  # text, never HTML

years = store.load(queries.enterprise_years, gemeente=choice.gemeente)
mine = metrics.with_ratios(years[years["enterprise_id"] == enterprise_id])
if mine.empty:
    st.info("Deze onderneming heeft nog geen cijfers geladen.", icon=":material/info:")
    st.stop()
this_year = mine[mine["year"] == choice.jaar]
row = this_year.iloc[0] if not this_year.empty else None
last = mine[mine["year"] == (choice.jaar or 0) - 1]
previous = last.iloc[0] if not last.empty else None
if row is None:
    st.info(f"Geen cijfers voor {choice.jaar}; de grafieken tonen alle jaren.")
else:
    kpi = st.columns(4)
    kpi[0].metric(f"Omzet {choice.jaar}", euro(row["omzet"]), border=True)
    kpi[1].metric(
        "Verdienvermogen",
        percent(row["verdienvermogen"]),
        change_points(
            row["verdienvermogen"], previous["verdienvermogen"] if previous is not None else None
        ),
        border=True,
    )
    kpi[2].metric("Resultaat", euro(row["resultaat"]), border=True)
    kpi[3].metric("Geherinvesteerd", euro(row["geherinvesteerd"]), border=True)

income = store.load(queries.income_by_source, enterprise_id=enterprise_id)
st.plotly_chart(figures.income_by_source(income), key="inkomsten_bron")
left, right = st.columns(2)
left.plotly_chart(
    figures.ratio_trend(mine, "verdienvermogen", "Verdienvermogen"), key="verdienvermogen"
)
right.plotly_chart(figures.result_and_reinvested(mine), key="resultaat")

st.subheader("Geherinvesteerd in de wijk")
spent = store.load(queries.reinvestments, enterprise_id=enterprise_id)
if spent.empty:
    st.info("Nog geen herinvesteringen geladen.", icon=":material/info:")
else:
    left, right = st.columns(2)
    left.plotly_chart(figures.amount_bars(spent, "thema", "Per thema"), key="herinv_thema")
    right.plotly_chart(figures.amount_bars(spent, "wijk_naam", "Per wijk"), key="herinv_wijk")

st.subheader("Deelnemers en vrijwilligers")
st.plotly_chart(figures.people_by_year(mine), key="mensen")
if row is not None:
    st.caption(
        f"{choice.jaar}: {number(row['deelnemers'])} deelnemers, "
        f"{number(row['vrijwilligers'])} keer inzet van vrijwilligers, "
        f"{number(row['vrijwilligersuren'])} vrijwilligersuren."
    )

buildings = store.load(queries.properties, enterprise_id=enterprise_id)
if not buildings.empty:
    st.subheader("Vastgoed")
    st.dataframe(
        buildings.rename(
            columns={
                "name": "Pand",
                "wijk_naam": "Wijk",
                "m2": "m²",
                "owned": "Eigendom",
                "occupancy_pct": "Bezetting (%)",
            }
        ),
        hide_index=True,
        key="vastgoed",
        column_config={"Eigendom": st.column_config.CheckboxColumn()},
    )
