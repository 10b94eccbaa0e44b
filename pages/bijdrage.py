"""Bijdrage: does a wijk with an enterprise change differently from similar wijken without one?"""

import streamlit as st

from wijkimpact.charts import trend_figures
from wijkimpact.data import queries
from wijkimpact.domain import comparison
from wijkimpact.escaping import for_markdown
from wijkimpact.formatting import number
from wijkimpact.i18n import _, indicator_labels
from wijkimpact.ui import downloads, filters, router, store, widget_texts

router.ensure_router()
choice = filters.require_data()
st.title(_("Bijdrage aan de wijk"))
st.caption(
    _(
        "Verandert de wijk? Een wijk met een wijkonderneming naast vergelijkbare wijken zonder "
        "onderneming, vóór en na het referentiejaar."
    )
)
everyone = store.load(queries.enterprises)
local = store.load(queries.enterprises, gemeente=choice.gemeente)
if local.empty:
    st.info(
        _(
            "Nog geen ondernemingen in {gemeente}. Laad ze op de pagina Gegevens.",
            gemeente=for_markdown(choice.gemeente_naam),
        ),
        icon=":material/info:",
    )
    st.stop()

homes = local.groupby("area_code").agg(
    wijk=("wijk_naam", "first"), namen=("name", lambda n: ", ".join(sorted(n)))
)


def _new_wijk() -> None:
    st.session_state.pop("bijdrage_referentiejaar", None)  # each wijk starts at its default


code = st.selectbox(
    _("Wijk met een onderneming"),
    list(homes.index),
    format_func=lambda c: f"{homes.at[c, 'wijk'] or c} ({homes.at[c, 'namen']})",
    key="bijdrage_wijk",
    on_change=_new_wijk,
)
catalogue = store.load(queries.indicators)
labels = {
    **{key: _(label) for key, label in comparison.LABELS.items()},
    **indicator_labels(catalogue),
}
units = catalogue.set_index("indicator")["unit"].to_dict()
cbs = list(catalogue.loc[catalogue["source"] == "CBS", "indicator"])
chosen = st.multiselect(
    _("CBS-cijfers"),
    cbs,
    default=[i for i in ("inwoners", "inkomen_per_inwoner") if i in cbs],
    format_func=lambda i: labels.get(i, i),
    key="bijdrage_indicatoren",
    placeholder=_(widget_texts.CHOOSE),
)
stats = comparison.with_shares(
    store.load(queries.wijk_stats, indicators=tuple(sorted({*comparison.NEEDED, *chosen})))
)
data = comparison.ComparisonData(stats, everyone, store.load(queries.wijken))
name = homes.at[code, "wijk"] or code

founded = comparison.founding_year(everyone, code)
default, _why = comparison.default_reference_year(stats, code, founded)
options = comparison.reference_options(stats, code, choice.jaar)
if default is None or not options:
    st.info(
        _(
            "Te weinig jaren: voor {naam} zijn niet genoeg jaren met cijfers geladen om vóór en "
            "na te vergelijken.",
            naam=for_markdown(name),
        ),
        icon=":material/hourglass_empty:",
    )
    st.stop()
options = sorted({*options, default})
if st.session_state.get("bijdrage_referentiejaar") not in options:
    st.session_state.pop("bijdrage_referentiejaar", None)
reference = st.selectbox(
    _("Referentiejaar (grens tussen vóór en na)"),
    options,
    index=options.index(default),
    key="bijdrage_referentiejaar",
    help=_(
        "Standaard het oprichtingsjaar als er cijfers van daarvóór zijn, anders het eerste jaar "
        "met cijfers. Het referentiejaar telt als 'vóór': CBS-cijfers beschrijven 1 januari."
    ),
)
analysis = comparison.analyse(
    data,
    code,
    reference_year=reference,
    end_year=choice.jaar,
    indicators=(*comparison.LBM, *chosen),
)
match = analysis.match
if not match.ok:
    st.markdown(comparison.baseline_note(analysis))
    st.warning(match.reason, icon=":material/group_off:")
    st.stop()
st.info(
    comparison.baseline_note(analysis)
    + "\n\n"
    + comparison.match_quality(stats, analysis, for_markdown(name)),
    icon=":material/fact_check:",
)

lbm = analysis.estimates["lbm"]
st.warning(_(comparison.ASSOCIATION_NOTE), icon=":material/info:")
if lbm.ok:
    kpi = st.columns(3)
    kpi[0].metric(
        _("Verschil Leefbaarometer-score"),
        comparison.change_text(lbm.did, "score"),
        help=_("Verandering in de wijk min de gemiddelde verandering in de vergelijkingswijken."),
        border=True,
    )
    kpi[1].metric(
        _("Verandering {naam}", naam=for_markdown(name)),
        comparison.change_text(lbm.change_wijk, "score"),
        border=True,
    )
    kpi[2].metric(
        _("Verandering vergelijkingswijken"),
        comparison.change_text(lbm.change_group, "score"),
        border=True,
    )
    st.caption(
        _(
            "{van}–{tot}; {interval} (bootstrap over {n} vergelijkingswijken, {trekkingen} "
            "trekkingen).",
            van=lbm.before_year,
            tot=lbm.after_year,
            interval=comparison.interval_text(lbm, "score"),
            n=lbm.n_comparison,
            trekkingen=number(lbm.n_boot),
        )
        + " "
        + comparison.what_matters(lbm.did)
    )
else:
    st.info(_("Leefbaarometer-score: {reden}", reden=lbm.reason), icon=":material/hourglass_empty:")


def _chart(indicator: str, slot, legend: bool = False) -> None:
    estimate = analysis.estimates[indicator]
    rows = comparison.trend(stats, code, match.chosen, indicator, estimate)
    if rows["wijk"].notna().sum() < 2:
        slot.info(
            _(
                "{cijfer}: te weinig jaren met cijfers.",
                cijfer=for_markdown(labels.get(indicator, indicator)),
            )
        )
        return
    slot.plotly_chart(
        trend_figures.comparison_trend(
            rows, labels.get(indicator, indicator), name, reference, units.get(indicator), legend
        ),
        key=f"bijdrage_trend_{indicator}",
    )


_chart("lbm", st, legend=True)
st.subheader(_("De vijf dimensies van de Leefbaarometer"))
st.caption(
    _("Lijnen als hierboven: groen de wijk, blauw de vergelijkingswijken (band: spreiding).")
)
grid = st.columns(2)
for index, dimension in enumerate(comparison.LBM[1:]):
    _chart(dimension, grid[index % 2])
if chosen:
    st.subheader(_("CBS-cijfers"))
    grid = st.columns(2)
    for index, indicator in enumerate(chosen):
        _chart(indicator, grid[index % 2])

st.subheader(_("Verschil per cijfer"))
estimates = comparison.estimate_table(analysis, labels, units)
estimates = estimates.rename(
    columns=lambda c: (
        _("{niveau}-interval", niveau=c.split("-")[0]) if c.endswith("-interval") else _(c)
    )
)
st.dataframe(estimates, hide_index=True, key="bijdrage_tabel")
downloads.table_downloads(
    estimates, _("Bijdrage {wijk} {jaar}", wijk=name, jaar=choice.jaar), "bijdrage_tabel"
)
st.markdown(comparison.caveat_markdown())

with st.expander(_("Vergelijkingswijken en werkwijze")):
    st.dataframe(
        comparison.match_table(match, data.wijken).rename(columns=_),
        hide_index=True,
        key="bijdrage_groep",
    )
    late = for_markdown(", ".join(labels.get(f, f) for f in match.late_features))
    st.markdown(
        _(
            "Gekozen uit **{groep}**: de {n} wijken zonder onderneming die in {jaar} het meest "
            "op {naam} leken (van {kandidaten} mogelijke; k = {k}, minstens {eigen} in de eigen "
            "gemeente). Vergeleken op: {kenmerken}.",
            groep=_(comparison.POOLS[match.pool]),
            n=len(match.chosen),
            jaar=match.baseline_year,
            naam=for_markdown(name),
            kandidaten=match.candidates,
            k=match.k,
            eigen=match.min_same_gemeente,
            kenmerken=for_markdown(comparison.features_text(match, labels)),
        )
        + (" " + _("Alleen van na het referentiejaar: {cijfers}.", cijfers=late) if late else "")
        + " "
        + _("Afstand: gemiddeld verschil in standaardafwijkingen. Zie de pagina Methode.")
    )
st.caption(_("Bron: CBS; Leefbaarometer 3.0 (BZK)."))
