"""Financiers: every enterprise side by side for a year, with totals and an Excel download."""

import pandas as pd
import streamlit as st

from wijkimpact import export, filters, queries, store
from wijkimpact.formatting import euro, number, percent
from wijkimpact.portfolio import FORMATS, portfolio_table, totals_row

choice = filters.require_data()
st.title("Financiers")
rows = store.load(queries.enterprise_years, gemeente=choice.gemeente)
if rows.empty or choice.jaar is None:
    st.info(
        f"Nog geen cijfers van ondernemingen in {choice.gemeente_naam}.", icon=":material/info:"
    )
    st.stop()

table = portfolio_table(rows, choice.jaar)
total = totals_row(rows, choice.jaar)
st.caption(
    f"Alle ondernemingen in {choice.gemeente_naam}, {choice.jaar}. Klik op een kolomkop "
    "om te sorteren."
)
formatters = {
    column: {"euro": euro, "fraction": percent, "number": number}[kind]
    for column, kind in FORMATS.items()
}
if table.empty:
    st.info(f"Geen cijfers voor {choice.jaar}.", icon=":material/info:")
    st.stop()
st.dataframe(table.style.format(formatters, na_rep="–"), hide_index=True, key="portefeuille")
st.dataframe(total.style.format(formatters, na_rep="–"), hide_index=True, key="totaal")

download = pd.concat([table, total], ignore_index=True)
left, right = st.columns(2)
left.download_button(
    "Download als Excel",
    export.to_excel({f"Ondernemingen {choice.jaar}": download}, FORMATS),
    file_name=f"wijkimpact_ondernemingen_{choice.jaar}.xlsx",
    key="excel",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
right.download_button(
    "Download als CSV",
    export.to_csv(download),
    key="csv",
    file_name=f"wijkimpact_ondernemingen_{choice.jaar}.csv",
    mime="text/csv",
)
