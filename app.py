"""Wijkimpact: router and shared sidebar (gemeente, jaar) over the pages in pages/."""

import streamlit as st

from wijkimpact import filters, store

st.set_page_config(page_title="Wijkimpact", page_icon=":material/diversity_3:", layout="wide")

pages = [
    st.Page(
        "pages/overzicht.py",
        title="Overzicht",
        icon=":material/dashboard:",
        url_path="",
        default=True,
    ),
    st.Page(
        "pages/onderneming.py",
        title="Onderneming",
        icon=":material/storefront:",
        url_path="onderneming",
    ),
    st.Page(
        "pages/financiers.py",
        title="Financiers",
        icon=":material/account_balance:",
        url_path="financiers",
    ),
    st.Page("pages/kaart.py", title="Kaart", icon=":material/map:", url_path="kaart"),
    st.Page(
        "pages/gegevens.py", title="Gegevens", icon=":material/upload_file:", url_path="gegevens"
    ),
    st.Page(
        "pages/bijdrage.py",
        title="Bijdrage",
        icon=":material/compare_arrows:",
        url_path="bijdrage",
    ),
    st.Page("pages/methode.py", title="Methode", icon=":material/menu_book:", url_path="methode"),
]
page = st.navigation(pages)

with st.sidebar:
    st.title("Wijkimpact")
    if store.database_ready():
        gemeenten = filters.gemeente_options()
        default = filters.current()
        st.selectbox(
            "Gemeente",
            list(gemeenten),
            format_func=gemeenten.get,
            key="gemeente",
            index=list(gemeenten).index(default.gemeente or filters.ALL),
        )
        years = filters.year_options()
        if years:
            st.selectbox("Jaar", years, key="jaar", index=years.index(default.jaar))
        if filters.is_demo():
            st.info(
                "**Demodata.** De gemeente Demostad en alle ondernemingen en cijfers in deze demo "
                "zijn fictief.",
                icon=":material/science:",
            )
    st.caption("Bronnen: CBS, Leefbaarometer 3.0 (BZK) en de ondernemingen zelf.")

page.run()
