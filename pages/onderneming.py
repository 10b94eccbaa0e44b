"""Onderneming: one enterprise's income, earning power, result, reinvestments and people."""

import pandas as pd
import streamlit as st

from wijkimpact import enterprise_figures, figures, filters, metrics, queries, settings, store
from wijkimpact.benchmark import benchmark
from wijkimpact.formatting import change_points, euro, number, percent
from wijkimpact.report.download import download_button as report_download

CHART = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

choice = filters.require_data()
st.title("Onderneming")
catalogue = store.load(queries.enterprises, gemeente=choice.gemeente)
if catalogue.empty:
    st.info(
        f"Nog geen ondernemingen in {choice.gemeente_naam}. Laad ze op de pagina Gegevens.",
        icon=":material/info:",
    )
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
    st.info(
        "Deze onderneming heeft nog geen cijfers geladen. Laad ze op de pagina Gegevens.",
        icon=":material/info:",
    )
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
        help="Eigen verdiend inkomen gedeeld door de omzet. Zie Methode.",
        border=True,
    )
    kpi[2].metric(
        "Resultaat", euro(row["resultaat"]), border=True, help="Omzet min kosten. Zie Methode."
    )
    kpi[3].metric(
        "Geherinvesteerd",
        euro(row["geherinvesteerd"]),
        border=True,
        help="Winst die terugging naar de wijk. Zie Methode.",
    )
    report_download(enterprise_id, choice.jaar)

st.subheader("Inkomsten")
income = store.load(queries.income_by_source, enterprise_id=enterprise_id)
st.plotly_chart(figures.income_by_source(income), key="inkomsten_bron", config=CHART)
left, right = st.columns(2)
left.plotly_chart(figures.earned_vs_granted(mine), key="verdiend_gegeven", config=CHART)
right.plotly_chart(
    figures.ratio_trend(mine, "verdienvermogen", "Verdienvermogen"),
    key="verdienvermogen",
    config=CHART,
)

st.subheader("Resultaat en herinvesteringen")
st.plotly_chart(figures.result_and_reinvested(mine), key="resultaat", config=CHART)
spent = store.load(queries.reinvestments, enterprise_id=enterprise_id)
if spent.empty:
    st.info("Nog geen herinvesteringen geladen.", icon=":material/info:")
else:
    left, middle, right = st.columns(3)
    left.plotly_chart(
        figures.amount_bars(spent, "thema", "Per thema (alle jaren)"),
        key="herinv_thema",
        config=CHART,
    )
    middle.plotly_chart(
        figures.amount_bars(spent, "wijk_naam", "Per wijk (alle jaren)"),
        key="herinv_wijk",
        config=CHART,
    )
    geo, view = store.geojson("wijk", info["gemeente_code"])
    if geo["features"]:
        shapes = store.load(queries.area_shapes, level="wijk", gemeente=info["gemeente_code"])
        per_wijk = (
            shapes[["area_code", "name"]]
            .merge(spent.groupby("area_code", as_index=False)["amount"].sum(), how="left")
            .fillna({"amount": 0})
        )
        right.plotly_chart(
            enterprise_figures.reinvestment_map(geo, view, per_wijk),
            key="herinv_kaart",
            config=CHART,
        )

st.subheader("Deelnemers en vrijwilligers")
months = store.load(queries.activity_months, enterprise_id=enterprise_id)
left, right = st.columns(2)
left.plotly_chart(figures.people_by_year(mine), key="mensen", config=CHART)
if choice.jaar is not None and (months["year"] == choice.jaar).any():
    right.plotly_chart(
        enterprise_figures.activity_by_month(months, choice.jaar), key="mensen_maand", config=CHART
    )
else:
    right.info(f"Geen activiteiten geladen over {choice.jaar}.", icon=":material/info:")
if row is not None:
    rate = settings.volunteer_hour_rate()
    value = row["vrijwilligersuren"] * rate
    people = st.columns(4)
    people[0].metric("Deelnemers", number(row["deelnemers"]), border=True)
    people[1].metric(
        "Vrijwilligersinzet",
        number(row["vrijwilligers"]),
        border=True,
        help="Hoe vaak vrijwilligers zich inzetten. Zie Methode.",
    )
    people[2].metric("Vrijwilligersuren", number(row["vrijwilligersuren"]), border=True)
    people[3].metric(
        "Waarde vrijwilligerswerk",
        euro(value),
        border=True,
        help=f"Uren × {euro(rate, 2)} per uur; bron en uitleg op Methode.",
    )

st.subheader(f"Vergeleken met de andere ondernemingen, {choice.jaar}")
compared = benchmark(years, enterprise_id, choice.jaar) if choice.jaar else pd.DataFrame()
if compared.empty or compared["Aantal andere"].max() == 0:
    st.info("Er zijn nog geen andere ondernemingen met cijfers om mee te vergelijken.")
else:
    shown = compared.drop(columns=["ratio"])
    formats = {"Deze onderneming": percent, "Mediaan andere ondernemingen": percent}
    uren = shown["Maatstaf"].str.startswith("Vrijwilligersuren")
    st.dataframe(
        shown.style.format(formats, na_rep="–").format(
            lambda v: number(v, 1),
            subset=pd.IndexSlice[
                uren[uren].index, ["Deze onderneming", "Mediaan andere ondernemingen"]
            ],
        ),
        hide_index=True,
        key="benchmark",
    )

buildings = store.load(queries.properties, enterprise_id=enterprise_id)
st.subheader("Vastgoed")
if buildings.empty:
    st.info("Geen vastgoed geladen.", icon=":material/info:")
else:
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
