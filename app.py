"""Wijkimpact: router and shared sidebar (taal, login or demo role, gemeente, jaar) over the
pages in pages/."""

import streamlit as st

from wijkimpact import i18n
from wijkimpact.data import queries
from wijkimpact.i18n import _
from wijkimpact.page_table import FAVICON, PAGES
from wijkimpact.ui import filters, router, session, store

router.start()  # first: a fresh server may run pages without app.py (wijkimpact/ui/router.py)
i18n.use_language(st.session_state.get("taal"))
session.begin_run()  # the serving mode (login, demo or refused), worked out once for this run
st.set_page_config(page_title="Wijkimpact", page_icon=str(FAVICON), layout="wide")

if session.refused():  # no login and no demo asked for: say why, with no menu of pages
    st.navigation([st.Page(session.serving_mode, title="Wijkimpact")], position="hidden").run()
if store.schema_refused():  # a database of another schema version: say so, with no pages
    st.navigation([st.Page(store.schema_refusal, title="Wijkimpact")], position="hidden").run()

page = st.navigation(
    [
        st.Page(path, title=_(title), icon=icon, url_path=url, default=url == "")
        for path, title, icon, url in PAGES
    ]
)

with st.sidebar:
    st.title("Wijkimpact")
    st.selectbox(
        _("Taal / Language"),
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key="taal",
        on_change=filters.keep_choices,
    )
    if store.database_ready():
        catalogue = store.load(queries.enterprises)
        ids, names = catalogue["enterprise_id"].tolist(), catalogue["name"].tolist()
        session.sidebar(dict(zip(ids, names, strict=True)))
        gemeenten = filters.gemeente_options()
        default = filters.current()
        st.selectbox(
            _("Gemeente"),
            list(gemeenten),
            format_func=gemeenten.get,
            key="gemeente",
            index=list(gemeenten).index(default.gemeente or filters.ALL),
        )
        years = filters.year_options()
        if years:
            st.selectbox(
                _("Jaar"),
                years,
                key="jaar",
                index=years.index(default.jaar),
                format_func=filters.year_labels(years).get,
            )
        if filters.is_demo():
            st.info(
                _(
                    "**Demodata.** De gemeente Demostad en alle ondernemingen en cijfers in deze "
                    "demo zijn fictief."
                ),
                icon=":material/science:",
            )
    else:
        session.sidebar({})
    st.caption(_("Bronnen: CBS, Leefbaarometer 3.0 (BZK) en de ondernemingen zelf."))

session.no_role_notice()
page.run()
