"""Onderneming: one enterprise's income, earning power, result, reinvestments and people."""

import pandas as pd
import streamlit as st

from wijkimpact.charts import enterprise_figures, figures
from wijkimpact.data import queries
from wijkimpact.domain import metrics, volunteers
from wijkimpact.domain.benchmark import benchmark, benchmark_display, property_display
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import change_points, euro, number, percent
from wijkimpact.i18n import N_, _
from wijkimpact.ui import downloads, filters, router, session, store
from wijkimpact.ui.kaart import map_store
from wijkimpact.ui.report_download import download_button as report_download

CHART = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
ALL_YEARS = "alle"  # the choice of every year in "what was reinvested where"

router.ensure_router()
choice = filters.require_data()
st.title(_("Onderneming"))
catalogue = store.load(queries.enterprises, gemeente=choice.gemeente)
if catalogue.empty:
    st.info(
        _(
            "Nog geen ondernemingen in {gemeente}. Laad ze op de pagina Gegevens.",
            gemeente=for_markdown(choice.gemeente_naam),
        ),
        icon=":material/info:",
    )
    st.stop()

names = dict(zip(catalogue["enterprise_id"], catalogue["name"], strict=True))
viewer = session.current_viewer()
# first: the address's enterprise, then the viewer's own, then the first whose figures it sees
shown = (
    i
    for i, public in zip(catalogue["enterprise_id"], catalogue["public"], strict=True)
    if viewer.figures(i, public)
)
wanted = (
    st.query_params.get("id")
    or next((i for i in viewer.scope if i in names), None)
    or next(shown, None)
)
ids = list(names)
enterprise_id = st.selectbox(
    _("Onderneming"),
    ids,
    format_func=names.get,
    key="onderneming",
    index=ids.index(wanted) if wanted in names else 0,
)
st.query_params["id"] = enterprise_id
info = catalogue.set_index("enterprise_id").loc[enterprise_id]
st.caption(
    _(
        "{wijk} · {gemeente} · opgericht {jaar}",
        wijk=for_markdown(info["wijk_naam"]) or info["area_code"],
        gemeente=for_markdown(info["gemeente_naam"]) or "–",
        jaar=int(info["founded"]) if pd.notna(info["founded"]) else "–",
    )
)
description = info["description"]
if isinstance(description, str) and description.strip():
    st.text(description)  # text, never Markdown or HTML

if not viewer.figures(enterprise_id, info["public"]):
    st.info(
        _(
            "{naam} maakt haar cijfers niet openbaar. Alleen de onderneming zelf, haar "
            "financiers en beheerders zien ze.",
            naam=for_markdown(names[enterprise_id]),
        ),
        icon=":material/lock:",
    )
    st.stop()
detail = viewer.detail(enterprise_id)
years = store.load(queries.enterprise_years, gemeente=choice.gemeente)
mine = metrics.with_ratios(years[years["enterprise_id"] == enterprise_id])
if mine.empty:
    st.info(
        _("Deze onderneming heeft nog geen cijfers geladen. Laad ze op de pagina Gegevens."),
        icon=":material/info:",
    )
    st.stop()
this_year = mine[mine["year"] == choice.jaar]
row = this_year.iloc[0] if not this_year.empty else None
last = mine[mine["year"] == (choice.jaar or 0) - 1]
previous = last.iloc[0] if not last.empty else None
partial = row is not None and not bool(row.get("compleet", True))  # not a whole year yet
if partial:
    previous = None  # no change against a whole year
    st.caption(
        _(
            "{periode}: het jaar is nog niet compleet; geen verschil met {vorig}.",
            periode=filters.months_label(choice.jaar, row["maanden_jaar"]),
            vorig=choice.jaar - 1,
        )
    )
if row is None:
    st.info(_("Geen cijfers voor {jaar}; de grafieken tonen alle jaren.", jaar=choice.jaar))
else:
    kpi = st.columns(4)
    kpi[0].metric(_("Omzet {jaar}", jaar=choice.jaar), euro(row["omzet"]), border=True)
    kpi[1].metric(
        _("Verdienvermogen"),
        percent(row["verdienvermogen"]),
        change_points(
            row["verdienvermogen"], previous["verdienvermogen"] if previous is not None else None
        ),
        help=_("Eigen verdiend inkomen gedeeld door de omzet. Zie Methode."),
        border=True,
    )
    kpi[2].metric(
        _("Resultaat"),
        euro(row["resultaat"]),
        border=True,
        help=_("Omzet min kosten. Zie Methode."),
    )
    kpi[3].metric(
        _("Geherinvesteerd"),
        euro(row["geherinvesteerd"]),
        border=True,
        help=_("Winst die terugging naar de wijk. Zie Methode."),
    )
    if detail:
        report_download(enterprise_id, choice.jaar)
if not detail:
    st.caption(
        _(
            "U ziet de jaarcijfers die deze onderneming openbaar maakt. Maandcijfers, "
            "activiteiten per maand, vastgoed en het jaarverslag zien alleen de onderneming "
            "zelf, haar financiers en beheerders."
        )
    )

if not mine["compleet"].astype(bool).all() and mine["compleet"].astype(bool).any():
    # from here on the trends: complete years only (a year in progress would show as a fall)
    mine = mine[mine["compleet"].astype(bool)]
    st.caption(
        _("De grafieken tonen alleen volledige jaren: een jaar in wording telt nog niet mee.")
    )

# Five sections as tabs; only the open one is built and drawn (on_change="rerun"), so the
# page shows its first charts without waiting for the other eight.


def income_section() -> None:
    """Income by source, earned against granted, earning power."""
    income = store.load(queries.income_by_source, enterprise_id=enterprise_id)
    income = income[income["year"].isin(mine["year"])]  # the complete years
    st.plotly_chart(figures.income_by_source(income), key="inkomsten_bron", config=CHART)
    left, right = st.columns(2)
    left.plotly_chart(figures.earned_vs_granted(mine), key="verdiend_gegeven", config=CHART)
    right.plotly_chart(
        figures.ratio_trend(mine, "verdienvermogen", _("Verdienvermogen")),
        key="verdienvermogen",
        config=CHART,
    )


def result_section() -> None:
    """Result and reinvestments: by theme, by wijk and on a small map."""
    st.plotly_chart(figures.result_and_reinvested(mine), key="resultaat", config=CHART)
    spent = store.load(queries.reinvestment_summary, enterprise_id=enterprise_id)
    if spent.empty:
        st.info(_("Nog geen herinvesteringen geladen."), icon=":material/info:")
        return
    # the year of the sidebar (as the card above), any other year with reinvestments, or all
    years = [choice.jaar] if choice.jaar is not None else []
    years += [int(y) for y in sorted(spent["year"].unique(), reverse=True) if y != choice.jaar]
    period = st.selectbox(
        _("Wat is waar geherinvesteerd"),
        [*years, ALL_YEARS],
        format_func=lambda y: _("alle jaren") if y == ALL_YEARS else str(y),
        key=f"herinv_periode_{choice.jaar}",  # follows the sidebar's year when that changes
    )
    if period != ALL_YEARS:
        spent = spent[spent["year"] == period]
    label = _("alle jaren") if period == ALL_YEARS else str(period)
    if spent.empty:
        st.info(_("Geen herinvesteringen in {jaar}.", jaar=label), icon=":material/info:")
        return
    st.caption(
        _("Geherinvesteerd, {periode}: {bedrag}", periode=label, bedrag=euro(spent["amount"].sum()))
    )
    left, middle, right = st.columns(3)
    left.plotly_chart(
        figures.amount_bars(spent, "thema", _("Per thema ({periode})", periode=label)),
        key="herinv_thema",
        config=CHART,
    )
    middle.plotly_chart(
        figures.amount_bars(spent, "wijk_naam", _("Per wijk ({periode})", periode=label)),
        key="herinv_wijk",
        config=CHART,
    )
    geo, view = map_store.area_geojson("wijk", info["gemeente_code"])
    if geo["features"]:
        shapes = store.load(queries.area_shapes, level="wijk", gemeente=info["gemeente_code"])
        per_wijk = (
            shapes[["area_code", "name"]]
            .merge(spent.groupby("area_code", as_index=False)["amount"].sum(), how="left")
            .fillna({"amount": 0})
        )
        svg = map_store.svg_config()  # None: MapLibre
        right.plotly_chart(
            enterprise_figures.reinvestment_map(geo, view, per_wijk, svg is not None),
            key="herinv_kaart",
            config={**CHART, **(svg or {})},
        )


def people_section() -> None:
    """Participants and volunteers by year and by month, with their value."""
    months = store.load(queries.activity_months, enterprise_id=enterprise_id)
    left, right = st.columns(2)
    left.plotly_chart(figures.people_by_year(mine), key="mensen", config=CHART)
    if not detail:
        right.info(
            _(
                "Activiteiten per maand: alleen voor de onderneming zelf, haar financiers en "
                "beheerders."
            ),
            icon=":material/lock:",
        )
    elif choice.jaar is not None and (months["year"] == choice.jaar).any():
        right.plotly_chart(
            enterprise_figures.activity_by_month(months, choice.jaar),
            key="mensen_maand",
            config=CHART,
        )
    else:
        right.info(
            _("Geen activiteiten geladen over {jaar}.", jaar=choice.jaar), icon=":material/info:"
        )
    if row is not None:
        value, rate = volunteers.volunteer_value(row["vrijwilligersuren"], choice.jaar)
        people = st.columns(4)
        people[0].metric(_("Deelnemers"), number(row["deelnemers"]), border=True)
        people[1].metric(
            _("Vrijwilligersinzet"),
            number(row["vrijwilligers"]),
            border=True,
            help=_("Hoe vaak vrijwilligers zich inzetten. Zie Methode."),
        )
        people[2].metric(_("Vrijwilligersuren"), number(row["vrijwilligersuren"]), border=True)
        people[3].metric(
            _("Waarde vrijwilligerswerk"),
            euro(value),
            border=True,
            help=_(
                "Uren × {tarief} per uur (tarief van {jaar}); bron en uitleg op Methode.",
                tarief=euro(rate.rate, 2),
                jaar=rate.year or _("de beheerder"),
            ),
        )


def compare_section() -> None:
    """This enterprise against the others in the same year."""
    st.subheader(_("Vergeleken met de andere ondernemingen, {jaar}", jaar=choice.jaar))
    compared = benchmark(years, enterprise_id, choice.jaar) if choice.jaar else pd.DataFrame()
    if compared.empty or compared["Aantal andere"].max() == 0:
        st.info(_("Er zijn nog geen andere ondernemingen met cijfers om mee te vergelijken."))
    else:
        shown_benchmark = benchmark_display(compared)
        st.dataframe(shown_benchmark, hide_index=True, key="benchmark")
        downloads.table_downloads(
            shown_benchmark,
            _("Vergelijking {naam} {jaar}", naam=names[enterprise_id], jaar=choice.jaar),
            "benchmark",
        )


def property_section() -> None:
    """Buildings (detail: the enterprise, its funders, administrators)."""
    buildings = store.load(queries.properties, enterprise_id=enterprise_id)
    if not detail:
        st.info(
            _("Vastgoed: alleen voor de onderneming zelf, haar financiers en beheerders."),
            icon=":material/lock:",
        )
    elif buildings.empty:
        st.info(_("Geen vastgoed geladen."), icon=":material/info:")
    else:
        shown = property_display(buildings)
        st.dataframe(
            shown,
            hide_index=True,
            key="vastgoed",
            column_config={_("Eigendom"): st.column_config.CheckboxColumn()},
        )
        downloads.table_downloads(
            shown, _("Vastgoed {naam}", naam=names[enterprise_id]), "vastgoed"
        )


SECTIONS = {
    N_("Inkomsten"): income_section,
    N_("Resultaat en herinvesteringen"): result_section,
    N_("Deelnemers en vrijwilligers"): people_section,
    N_("Vergelijking"): compare_section,
    N_("Vastgoed"): property_section,
}
tabs = st.tabs([_(label) for label in SECTIONS], key="onderneming_tab", on_change="rerun")
for tab, draw in zip(tabs, SECTIONS.values(), strict=True):
    if tab.open:
        with tab:
            draw()
