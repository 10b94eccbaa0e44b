"""Overzicht: the year's key figures across all enterprises, with trends."""

import streamlit as st

from wijkimpact.charts import figures
from wijkimpact.data import access, queries
from wijkimpact.domain import metrics
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import change_percent, change_points, euro, number, percent
from wijkimpact.i18n import _
from wijkimpact.ui import filters, router, store

CHART = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}

router.ensure_router()
choice = filters.require_data()
st.title(_("Overzicht"))
by_year = store.load(queries.enterprise_totals, gemeente=choice.gemeente)
if by_year.empty or choice.jaar is None:
    st.info(
        _(
            "Nog geen cijfers van ondernemingen in {gemeente}. Laad ze op de pagina Gegevens of "
            "met `python -m etl load BESTAND`.",
            gemeente=for_markdown(choice.gemeente_naam),
        ),
        icon=":material/info:",
    )
    st.stop()

now, before = metrics.year_and_previous(by_year, choice.jaar)
if now is None:
    st.info(
        _("Geen cijfers voor {jaar}. Kies een ander jaar.", jaar=choice.jaar),
        icon=":material/info:",
    )
    st.stop()
st.caption(
    _(
        "{n} ondernemingen in {gemeente}, {jaar}; verschil met {vorig}.",
        n=int(now["ondernemingen"]),
        gemeente=for_markdown(choice.gemeente_naam),
        jaar=choice.jaar,
        vorig=choice.jaar - 1,
    )
)
withheld = access.suppressed_groups(now)
if withheld:
    st.info(
        _(
            "Niet getoond voor {jaar}: {groepen}, {reden}. Wie de cijfers kent die u wel ziet, "
            "zou er anders de cijfers van een andere onderneming uit kunnen afleiden.",
            jaar=choice.jaar,
            groepen=", ".join(_(access.GROUP_LABELS[group]) for group in withheld),
            reden=_(access.SUPPRESSED_NOTE),
        ),
        icon=":material/visibility_off:",
    )
if by_year["onderdrukt"].any():
    st.caption(
        _(
            "Jaren zonder cijfers in de grafieken: {reden}.",
            reden=_(access.SUPPRESSED_NOTE),
        )
    )
prev = before if before is not None else {}
kpi = st.columns(4)
kpi[0].metric(
    _("Omzet"),
    euro(now["omzet"]),
    change_percent(now["omzet"], prev.get("omzet")),
    help=_("Alle inkomsten samen. Zie Methode."),
    border=True,
)
kpi[1].metric(
    _("Verdienvermogen"),
    percent(now["verdienvermogen"]),
    change_points(now["verdienvermogen"], prev.get("verdienvermogen")),
    help=_("Eigen verdiend inkomen gedeeld door de omzet. Zie Methode."),
    border=True,
)
kpi[2].metric(
    _("Geherinvesteerd"),
    euro(now["geherinvesteerd"]),
    change_percent(now["geherinvesteerd"], prev.get("geherinvesteerd")),
    help=_("Winst die terugging naar de wijk. Zie Methode."),
    border=True,
)
kpi[3].metric(
    _("Vrijwilligersuren"),
    number(now["vrijwilligersuren"]),
    change_percent(now["vrijwilligersuren"], prev.get("vrijwilligersuren")),
    border=True,
)

left, right = st.columns(2)
left.plotly_chart(figures.earned_vs_granted(by_year), key="omzet_trend", config=CHART)
right.plotly_chart(
    figures.ratio_trend(by_year, "verdienvermogen", _("Verdienvermogen")),
    key="verdienvermogen_trend",
    config=CHART,
)
left.plotly_chart(figures.result_and_reinvested(by_year), key="resultaat_trend", config=CHART)
right.plotly_chart(figures.people_by_year(by_year), key="mensen_trend", config=CHART)
