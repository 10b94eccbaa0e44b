"""Overzicht: the year's key figures across all enterprises, with trends."""

import streamlit as st

from wijkimpact.charts import figures
from wijkimpact.data import access, queries
from wijkimpact.domain import metrics, periods
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import euro, number, percent
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

now, _before = metrics.year_and_previous(by_year, choice.jaar)
if now is None:
    st.info(
        _("Geen cijfers voor {jaar}. Kies een ander jaar.", jaar=choice.jaar),
        icon=":material/info:",
    )
    st.stop()
compared = periods.comparison(
    store.load(queries.like_for_like, year=choice.jaar, gemeente=choice.gemeente), choice.jaar
)
st.caption(
    _(
        "{n} ondernemingen in {gemeente}, {jaar}.",
        n=int(now["ondernemingen"]),
        gemeente=for_markdown(choice.gemeente_naam),
        jaar=choice.jaar_label,
    )
    + " "
    + compared.sentence
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
kpi = st.columns(4)
kpi[0].metric(
    _("Omzet"),
    euro(now["omzet"]),
    compared.change_percent("omzet"),
    help=_("Alle inkomsten samen. Zie Methode."),
    border=True,
)
kpi[1].metric(
    _("Verdienvermogen"),
    percent(now["verdienvermogen"]),
    compared.change_points("verdienvermogen"),
    help=_("Eigen verdiend inkomen gedeeld door de omzet. Zie Methode."),
    border=True,
)
kpi[2].metric(
    _("Geherinvesteerd"),
    euro(now["geherinvesteerd"]),
    compared.change_percent("geherinvesteerd"),
    help=_("Winst die terugging naar de wijk. Zie Methode."),
    border=True,
)
kpi[3].metric(
    _("Vrijwilligersuren"),
    number(now["vrijwilligersuren"]),
    compared.change_percent("vrijwilligersuren"),
    border=True,
)

trend = by_year[by_year["year"].isin(periods.complete_years(store.load(queries.year_periods)))]
if trend.empty:  # no year complete yet: show what there is
    trend = by_year
if len(trend) < len(by_year):
    st.caption(
        _("De grafieken tonen alleen volledige jaren: een jaar in wording telt nog niet mee.")
    )
left, right = st.columns(2)
left.plotly_chart(figures.earned_vs_granted(trend), key="omzet_trend", config=CHART)
right.plotly_chart(
    figures.ratio_trend(trend, "verdienvermogen", _("Verdienvermogen")),
    key="verdienvermogen_trend",
    config=CHART,
)
left.plotly_chart(figures.result_and_reinvested(trend), key="resultaat_trend", config=CHART)
right.plotly_chart(figures.people_by_year(trend), key="mensen_trend", config=CHART)
