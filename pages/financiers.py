"""Financiers: a portfolio side by side, trends, subsidy dependence, reinvestment, signals."""

import streamlit as st

from wijkimpact.charts import funder_figures
from wijkimpact.data import queries
from wijkimpact.domain import metrics
from wijkimpact.domain.funder_table import (
    COLUMNS,
    DEFAULT_SORT,
    FORMATS,
    SORTS,
    TRENDS,
    reinvestment_by_wijk,
    subsidy_dependence,
    totals_row,
    with_total,
    with_trends,
)
from wijkimpact.domain.signals import signals
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import euro, number, percent
from wijkimpact.i18n import _
from wijkimpact.ui import downloads, filters, portfolio_control, router, session, store

CHART_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

router.ensure_router()
choice = filters.require_data()
st.title(_("Financiers"))
rows = store.load(queries.enterprise_years, gemeente=choice.gemeente)
if rows.empty or choice.jaar is None:
    st.info(
        _(
            "Nog geen cijfers van ondernemingen in {gemeente}.",
            gemeente=for_markdown(choice.gemeente_naam),
        ),
        icon=":material/info:",
    )
    st.stop()

names = rows.drop_duplicates("enterprise_id").set_index("enterprise_id")["name"].to_dict()
viewer = session.current_viewer()
ids = portfolio_control.chosen_ids(viewer, names)
if not viewer.sees_all:
    st.caption(
        _(
            "U ziet de ondernemingen binnen uw rol (uw onderneming of portefeuille) en de "
            "ondernemingen die hun cijfers openbaar maken."
        )
    )
if ids is not None:
    rows = rows[rows["enterprise_id"].isin(ids)]
    portfolio_control.missing_note(ids, names, choice.gemeente_naam)
if rows.empty:
    st.info(_("Deze portefeuille heeft geen ondernemingen met cijfers in de gekozen gemeente."))
    st.stop()

sort = st.session_state.get("portefeuille_volgorde", DEFAULT_SORT)  # chosen under the KPIs
table = with_trends(rows, choice.jaar, sort if sort in SORTS else DEFAULT_SORT)
if table.empty:
    st.info(
        _("Geen cijfers voor {jaar}. Kies een ander jaar.", jaar=choice.jaar),
        icon=":material/info:",
    )
    st.stop()
total = totals_row(rows, choice.jaar)
by_year = metrics.totals_by_year(rows)
now, before = metrics.year_and_previous(by_year, choice.jaar)
kpi = st.columns(4)
kpi[0].metric(_("Omzet portefeuille"), euro(now["omzet"]), border=True)
kpi[1].metric(
    _("Verdienvermogen"),
    percent(now["verdienvermogen"]),
    border=True,
    help=_("Eigen verdiend inkomen gedeeld door de omzet, over de hele portefeuille. Zie Methode."),
)
kpi[2].metric(_("Resultaat"), euro(now["resultaat"]), border=True)
kpi[3].metric(_("Geherinvesteerd"), euro(now["geherinvesteerd"]), border=True)

st.subheader(_("Gesprekspunten"))
periods = store.load(queries.finance_periods, gemeente=choice.gemeente)
found = signals(rows, periods[periods["enterprise_id"].isin(rows["enterprise_id"])], choice.jaar)
if not found:
    st.success(
        _(
            "Geen signalen voor {jaar}: geen dalend verdienvermogen, geen verlies twee jaar op "
            "rij en geen ontbrekende cijfers.",
            jaar=choice.jaar_label,
        ),
        icon=":material/check_circle:",
    )
for item in found:
    st.warning(for_markdown(item.sentence), icon=":material/forum:")  # names from the data

st.subheader(_("Ondernemingen naast elkaar, {jaar}", jaar=choice.jaar_label))
st.selectbox(
    _("Volgorde (ook van de download)"),
    SORTS,
    index=SORTS.index(DEFAULT_SORT),
    key="portefeuille_volgorde",
    format_func=lambda column: _(COLUMNS[column]),
)
st.caption(_("De lijntjes tonen het verloop door de volledige jaren, elk op zijn eigen schaal."))
formatters = {
    _(column): {"euro": euro, "fraction": percent, "number": number}[kind]
    for column, kind in FORMATS.items()
}
omzet_trend, vv_trend = _(TRENDS["omzet"]), _(TRENDS["verdienvermogen"])
shown = with_total(table, total)
st.dataframe(
    shown.rename(columns=_).style.format(formatters, na_rep="–"),
    hide_index=True,
    key="portefeuille",
    column_config={
        _(COLUMNS["name"]): st.column_config.TextColumn(pinned=True, width="medium"),
        # no y_min/y_max: each line on its own range, so a fall shows
        omzet_trend: st.column_config.LineChartColumn(omzet_trend, width="medium"),
        vv_trend: st.column_config.LineChartColumn(vv_trend, width="medium"),
    },
)
downloads.table_downloads(
    shown.drop(columns=list(TRENDS.values())).rename(columns=_),
    _("Ondernemingen {jaar}", jaar=choice.jaar),
    "ondernemingen",
    {_(c): kind for c, kind in FORMATS.items()},
)

left, right = st.columns(2)
left.plotly_chart(
    funder_figures.subsidy_dependence(subsidy_dependence(rows[rows["compleet"].astype(bool)])),
    key="subsidie_trend",
    config=CHART_CONFIG,
)
reinvestment = reinvestment_by_wijk(
    store.load(queries.wijk_years, gemeente=choice.gemeente), choice.jaar
)
if reinvestment.withheld_note:
    right.caption(_("Wijken zonder balk: {reden}.", reden=reinvestment.withheld_note))
if not reinvestment.shown.empty:
    right.plotly_chart(
        funder_figures.reinvested_per_inhabitant(reinvestment.shown),
        key="per_inwoner",
        config=CHART_CONFIG,
    )
else:
    right.info(_("Geen herinvesteringen in {jaar}.", jaar=choice.jaar), icon=":material/info:")
