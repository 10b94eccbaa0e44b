"""Methode: each metric's definition and formula, and the data sources with attribution."""

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
        "Een vrijwilligersuur telt voor **{tarief}**: het {bron}. Waarde van de vrijwillige "
        "inzet = vrijwilligersuren × dit uurtarief. Een beheerder kan het tarief aanpassen met "
        "de omgevingsvariabele `WIJKIMPACT_UURTARIEF`.",
        tarief=euro(volunteers.volunteer_hour_rate(), 2),
        bron=_(volunteers.VOLUNTEER_HOUR_RATE_SOURCE),
    )
)

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
