"""Methode: each metric's definition and formula, and the data sources with attribution."""

import streamlit as st

from wijkimpact import queries, settings, store
from wijkimpact.formatting import euro
from wijkimpact.method import methodology_markdown
from wijkimpact.router import ensure_router

ensure_router()

st.title("Methode en bronnen")
st.markdown(methodology_markdown())

st.subheader("Waarde van vrijwilligerswerk", anchor="vrijwilligerswerk")
st.markdown(
    f"Een vrijwilligersuur telt voor **{euro(settings.volunteer_hour_rate(), 2)}**: het "
    f"{settings.VOLUNTEER_HOUR_RATE_SOURCE}. Waarde van de vrijwillige inzet = "
    "vrijwilligersuren × dit uurtarief. Een beheerder kan het tarief aanpassen met de "
    "omgevingsvariabele `WIJKIMPACT_UURTARIEF`."
)

if store.database_ready():
    catalogue = store.load(queries.indicators)
    if not catalogue.empty:
        st.subheader("Geladen gebiedscijfers")
        shown = catalogue.assign(jaren=catalogue["jaren"].map(lambda ys: ", ".join(map(str, ys))))
        st.dataframe(
            shown[["label_nl", "unit", "source", "jaren"]].rename(
                columns={
                    "label_nl": "Indicator",
                    "unit": "Eenheid",
                    "source": "Bron",
                    "jaren": "Jaren",
                }
            ),
            hide_index=True,
            key="indicatoren",
        )
