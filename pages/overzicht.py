"""Overzicht: the year's key figures across all enterprises, with trends."""

import streamlit as st

from wijkimpact import figures, filters, metrics, queries, store
from wijkimpact.formatting import change_percent, change_points, euro, number, percent

choice = filters.require_data()
st.title("Overzicht")
rows = store.load(queries.enterprise_years, gemeente=choice.gemeente)
if rows.empty or choice.jaar is None:
    st.info(
        f"Nog geen cijfers van ondernemingen in {choice.gemeente_naam}. Laad ze op de pagina "
        "Gegevens of met `python -m etl load BESTAND`.",
        icon=":material/info:",
    )
    st.stop()

by_year = metrics.totals_by_year(rows)
now, before = metrics.year_and_previous(by_year, choice.jaar)
st.caption(
    f"{int(now['ondernemingen']) if now is not None else 0} ondernemingen in "
    f"{choice.gemeente_naam}, {choice.jaar}; verschil met {choice.jaar - 1}."
)
if now is None:
    st.info(f"Geen cijfers voor {choice.jaar}. Kies een ander jaar.", icon=":material/info:")
    st.stop()
prev = before if before is not None else {}
kpi = st.columns(4)
kpi[0].metric(
    "Omzet",
    euro(now["omzet"]),
    change_percent(now["omzet"], prev.get("omzet")),
    help="Alle inkomsten samen. Zie Methode.",
    border=True,
)
kpi[1].metric(
    "Verdienvermogen",
    percent(now["verdienvermogen"]),
    change_points(now["verdienvermogen"], prev.get("verdienvermogen")),
    help="Eigen verdiend inkomen gedeeld door de omzet. Zie Methode.",
    border=True,
)
kpi[2].metric(
    "Geherinvesteerd",
    euro(now["geherinvesteerd"]),
    change_percent(now["geherinvesteerd"], prev.get("geherinvesteerd")),
    help="Winst die terugging naar de wijk. Zie Methode.",
    border=True,
)
kpi[3].metric(
    "Vrijwilligersuren",
    number(now["vrijwilligersuren"]),
    change_percent(now["vrijwilligersuren"], prev.get("vrijwilligersuren")),
    border=True,
)

left, right = st.columns(2)
left.plotly_chart(figures.earned_vs_granted(by_year), key="omzet_trend")
right.plotly_chart(
    figures.ratio_trend(by_year, "verdienvermogen", "Verdienvermogen"), key="verdienvermogen_trend"
)
left.plotly_chart(figures.result_and_reinvested(by_year), key="resultaat_trend")
right.plotly_chart(figures.people_by_year(by_year), key="mensen_trend")
