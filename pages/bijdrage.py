"""Bijdrage: does a wijk with an enterprise change differently from similar wijken without one?"""

import streamlit as st

from wijkimpact import comparison, figures, filters, queries, store
from wijkimpact.formatting import number

choice = filters.require_data()
st.title("Bijdrage aan de wijk")
st.caption(
    "Verandert de wijk? Een wijk met een wijkonderneming naast vergelijkbare wijken zonder "
    "onderneming, vóór en na het referentiejaar."
)
everyone = store.load(queries.enterprises)
local = store.load(queries.enterprises, gemeente=choice.gemeente)
if local.empty:
    st.info(
        f"Nog geen ondernemingen in {choice.gemeente_naam}. Laad ze op de pagina Gegevens.",
        icon=":material/info:",
    )
    st.stop()

homes = local.groupby("area_code").agg(
    wijk=("wijk_naam", "first"), namen=("name", lambda n: ", ".join(sorted(n)))
)


def _new_wijk() -> None:
    st.session_state.pop("bijdrage_referentiejaar", None)  # each wijk starts at its default


code = st.selectbox(
    "Wijk met een onderneming",
    list(homes.index),
    format_func=lambda c: f"{homes.at[c, 'wijk'] or c} ({homes.at[c, 'namen']})",
    key="bijdrage_wijk",
    on_change=_new_wijk,
)
catalogue = store.load(queries.indicators)
labels = {**comparison.LABELS, **catalogue.set_index("indicator")["label_nl"].to_dict()}
units = catalogue.set_index("indicator")["unit"].to_dict()
cbs = list(catalogue.loc[catalogue["source"] == "CBS", "indicator"])
chosen = st.multiselect(
    "CBS-cijfers",
    cbs,
    default=[i for i in ("inwoners", "inkomen_per_inwoner") if i in cbs],
    format_func=lambda i: labels.get(i, i),
    key="bijdrage_indicatoren",
)
stats = comparison.with_shares(
    store.load(queries.wijk_stats, indicators=tuple(sorted({*comparison.NEEDED, *chosen})))
)
data = comparison.ComparisonData(stats, everyone, store.load(queries.wijken))
name = homes.at[code, "wijk"] or code

founded = comparison.founding_year(everyone, code)
default, _ = comparison.default_reference_year(stats, code, founded)
options = comparison.reference_options(stats, code, choice.jaar)
if default is None or not options:
    st.info(
        f"Te weinig jaren: voor {name} zijn niet genoeg jaren met cijfers geladen om vóór en "
        "na te vergelijken.",
        icon=":material/hourglass_empty:",
    )
    st.stop()
options = sorted({*options, default})
if st.session_state.get("bijdrage_referentiejaar") not in options:
    st.session_state.pop("bijdrage_referentiejaar", None)
reference = st.selectbox(
    "Referentiejaar (grens tussen vóór en na)",
    options,
    index=options.index(default),
    key="bijdrage_referentiejaar",
    help="Standaard het oprichtingsjaar als er cijfers van daarvóór zijn, anders het eerste jaar "
    "met cijfers. Het referentiejaar telt als 'vóór': CBS-cijfers beschrijven 1 januari.",
)
analysis = comparison.analyse(
    data,
    code,
    reference_year=reference,
    end_year=choice.jaar,
    indicators=(*comparison.LBM, *chosen),
)
match = analysis.match
st.markdown(comparison.baseline_note(analysis))
if not match.ok:
    st.warning(match.reason, icon=":material/group_off:")
    st.stop()

lbm = analysis.estimates["lbm"]
st.warning(comparison.ASSOCIATION_NOTE, icon=":material/info:")
if lbm.ok:
    kpi = st.columns(3)
    kpi[0].metric(
        "Verschil Leefbaarometer-score",
        comparison.change_text(lbm.did, "score"),
        help="Verandering in de wijk min de gemiddelde verandering in de vergelijkingswijken.",
        border=True,
    )
    kpi[1].metric(
        f"Verandering {name}", comparison.change_text(lbm.change_wijk, "score"), border=True
    )
    kpi[2].metric(
        "Verandering vergelijkingswijken",
        comparison.change_text(lbm.change_group, "score"),
        border=True,
    )
    st.caption(
        f"{lbm.before_year}–{lbm.after_year}; {comparison.interval_text(lbm, 'score')} "
        f"(bootstrap over {lbm.n_comparison} vergelijkingswijken, {number(lbm.n_boot)} trekkingen)."
    )
else:
    st.info(f"Leefbaarometer-score: {lbm.reason}", icon=":material/hourglass_empty:")


def _chart(indicator: str, slot, legend: bool = False) -> None:
    estimate = analysis.estimates[indicator]
    rows = comparison.trend(stats, code, match.chosen, indicator, estimate)
    if rows["wijk"].notna().sum() < 2:
        slot.info(f"{labels.get(indicator, indicator)}: te weinig jaren met cijfers.")
        return
    slot.plotly_chart(
        figures.comparison_trend(
            rows, labels.get(indicator, indicator), name, reference, units.get(indicator), legend
        ),
        key=f"bijdrage_trend_{indicator}",
    )


_chart("lbm", st, legend=True)
st.subheader("De vijf dimensies van de Leefbaarometer")
st.caption("Lijnen als hierboven: groen de wijk, blauw de vergelijkingswijken (band: spreiding).")
grid = st.columns(2)
for index, dimension in enumerate(comparison.LBM[1:]):
    _chart(dimension, grid[index % 2])
if chosen:
    st.subheader("CBS-cijfers")
    grid = st.columns(2)
    for index, indicator in enumerate(chosen):
        _chart(indicator, grid[index % 2])

st.subheader("Verschil per cijfer")
st.dataframe(
    comparison.estimate_table(analysis, labels, units), hide_index=True, key="bijdrage_tabel"
)
st.markdown(comparison.caveat_markdown())

with st.expander("Vergelijkingswijken en werkwijze"):
    st.dataframe(comparison.match_table(match, data.wijken), hide_index=True, key="bijdrage_groep")
    late = ", ".join(labels.get(f, f) for f in match.late_features)
    st.markdown(
        f"Gekozen uit **{comparison.POOLS[match.pool]}**: de {len(match.chosen)} wijken zonder "
        f"onderneming die in {match.baseline_year} het meest op {name} leken (van "
        f"{match.candidates} mogelijke; k = {match.k}, minstens {match.min_same_gemeente} in "
        f"de eigen gemeente). Vergeleken op: {comparison.features_text(match)}. "
        + (f"Alleen van na het referentiejaar: {late}. " if late else "")
        + "Afstand: gemiddeld verschil in standaardafwijkingen. Zie de pagina Methode."
    )
st.caption("Bron: CBS; Leefbaarometer 3.0 (BZK).")
