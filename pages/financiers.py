"""Financiers: a portfolio side by side, trends, subsidy dependence, reinvestment, signals."""

import pandas as pd
import streamlit as st

from wijkimpact.charts import funder_figures
from wijkimpact.data import queries, saved_portfolios
from wijkimpact.domain import metrics
from wijkimpact.domain.funder_table import (
    FORMATS,
    TRENDS,
    reinvestment_by_wijk,
    subsidy_dependence,
    totals_row,
    with_trends,
)
from wijkimpact.domain.signals import signals
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import euro, number, percent
from wijkimpact.i18n import _
from wijkimpact.ui import downloads, filters, router, session, store

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
choices = saved_portfolios.choices(viewer, store.load(queries.saved_portfolios))
just_saved = st.session_state.pop("portefeuille_bewaard", None)  # set below, before the rerun
if just_saved and just_saved.key in choices:
    st.session_state["portefeuille_keuze"] = just_saved.key
    st.success(just_saved.message(), icon=":material/check:")
if st.session_state.get("portefeuille_keuze") not in choices:  # another role's, or gone
    st.session_state.pop("portefeuille_keuze", None)
chosen = st.selectbox(
    _("Portefeuille"),
    list(choices),
    key="portefeuille_keuze",
    format_func=lambda option: choices[option].label,
)
if not viewer.sees_all:
    st.caption(
        _(
            "U ziet de ondernemingen binnen uw rol (uw onderneming of portefeuille) en de "
            "ondernemingen die hun cijfers openbaar maken."
        )
    )
if viewer.owner is not None:  # financiers and beheerders keep portfolios of their own
    with st.expander(_("Portefeuille samenstellen en bewaren")), st.form("portefeuille_form"):
        st.caption(_("Een bewaarde portefeuille ziet alleen u, en de beheerders."))
        picked = st.multiselect(
            _("Ondernemingen"), list(names), format_func=names.get, key="portefeuille_ids"
        )
        title = st.text_input(
            _("Naam"), max_chars=saved_portfolios.MAX_NAME, key="portefeuille_naam"
        )
        if st.form_submit_button(_("Bewaren"), key="portefeuille_bewaren"):
            outcome = saved_portfolios.save(viewer, title, picked)
            if outcome.problems:
                st.error(_("Niet bewaard:\n\n{problemen}", problemen=outcome.as_markdown()))
            else:
                st.session_state["portefeuille_bewaard"] = outcome
                st.rerun()
ids = choices[chosen].ids
if ids is not None:
    rows = rows[rows["enterprise_id"].isin(ids)]
    missing = sorted(set(ids) - set(names))
    if missing:
        st.caption(
            _(
                "Niet getoond (niet in {gemeente}, of de cijfers zijn niet openbaar): {ids}.",
                gemeente=for_markdown(choice.gemeente_naam),
                ids=for_markdown(", ".join(missing)),
            )
        )
if rows.empty:
    st.info(_("Deze portefeuille heeft geen ondernemingen met cijfers in de gekozen gemeente."))
    st.stop()

table = with_trends(rows, choice.jaar)
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

st.subheader(_("Ondernemingen naast elkaar, {jaar}", jaar=choice.jaar))
st.caption(_("Klik op een kolomkop om te sorteren. De lijntjes tonen het verloop door de jaren."))
formatters = {
    _(column): {"euro": euro, "fraction": percent, "number": number}[kind]
    for column, kind in FORMATS.items()
}
omzet_trend, vv_trend = _(TRENDS["omzet"]), _(TRENDS["verdienvermogen"])
st.dataframe(
    table.rename(columns=_).style.format(formatters, na_rep="–"),
    hide_index=True,
    key="portefeuille",
    column_config={
        omzet_trend: st.column_config.LineChartColumn(omzet_trend, y_min=0),
        vv_trend: st.column_config.LineChartColumn(vv_trend, y_min=0, y_max=1),
    },
)
st.dataframe(
    total.rename(columns=_).style.format(formatters, na_rep="–"), hide_index=True, key="totaal"
)
download = pd.concat([table.drop(columns=list(TRENDS.values())), total], ignore_index=True)
downloads.table_downloads(
    download.rename(columns=_),
    _("Ondernemingen {jaar}", jaar=choice.jaar),
    "ondernemingen",
    {_(c): kind for c, kind in FORMATS.items()},
)

st.subheader(_("Gesprekspunten"))
periods = store.load(queries.finance_periods, gemeente=choice.gemeente)
found = signals(rows, periods[periods["enterprise_id"].isin(rows["enterprise_id"])], choice.jaar)
if not found:
    st.success(
        _(
            "Geen signalen voor {jaar}: geen dalend verdienvermogen, geen verlies twee jaar op "
            "rij en geen ontbrekende cijfers.",
            jaar=choice.jaar,
        ),
        icon=":material/check_circle:",
    )
for item in found:
    st.warning(for_markdown(item.sentence), icon=":material/forum:")  # names from the data

left, right = st.columns(2)
left.plotly_chart(
    funder_figures.subsidy_dependence(subsidy_dependence(rows)),
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
