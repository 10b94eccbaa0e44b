"""Methode: each metric's definition and formula, and the data sources with attribution."""

import pandas as pd
import streamlit as st

from wijkimpact.data import queries
from wijkimpact.domain import volunteers
from wijkimpact.domain.method import methodology_markdown
from wijkimpact.formatting import euro
from wijkimpact.i18n import _, indicator_labels
from wijkimpact.ui import downloads, router, store

router.ensure_router()

st.title(_("Methode en bronnen"))
st.markdown(methodology_markdown())

st.subheader(_("Waarde van vrijwilligerswerk"), anchor="vrijwilligerswerk")
st.markdown(
    _(
        "Een vrijwilligersuur telt voor wat hetzelfde werk minstens zou kosten als het betaald "
        "werd: {methode}. Waarde van de vrijwillige inzet = vrijwilligersuren × het tarief van "
        "het jaar waarin ze gegeven zijn; een jaar na de tabel telt met het laatste tarief erin.",
        methode=_(volunteers.METHOD),
    )
)
configured = volunteers.hour_rate(None)
if configured.year is None:
    st.info(
        _(
            "Deze installatie rekent met één tarief voor elk jaar, ingesteld door de beheerder: "
            "{tarief} per uur.",
            tarief=euro(configured.rate, 2),
        ),
        icon=":material/info:",
    )
rates = pd.DataFrame(
    {
        _("Jaar"): [str(r.year) for r in volunteers.rates()],
        _("Minimumuurloon"): [euro(r.wage, 2) for r in volunteers.rates()],
        _("Tarief per vrijwilligersuur"): [euro(r.rate, 2) for r in volunteers.rates()],
        _("Bron"): [r.source for r in volunteers.rates()],
    }
)
st.dataframe(rates, hide_index=True, key="uurtarieven")

if store.database_ready():
    catalogue = store.load(queries.indicators)
    if not catalogue.empty:
        st.subheader(_("Geladen gebiedscijfers"))
        labels = indicator_labels(catalogue)
        shown = catalogue.assign(
            label=catalogue["indicator"].map(labels),
            jaren=catalogue["jaren"].map(lambda ys: ", ".join(map(str, ys))),
        )
        shown = shown[["label", "unit", "source", "jaren"]].rename(
            columns={
                "label": _("Indicator"),
                "unit": _("Eenheid"),
                "source": _("Bron"),
                "jaren": _("Jaren"),
            }
        )
        st.dataframe(shown, hide_index=True, key="indicatoren")
        downloads.table_downloads(shown, _("Gebiedscijfers"), "indicatoren")
