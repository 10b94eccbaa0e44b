"""Wijkimpact's server: `streamlit run serve.py`. The app is app.py; this adds an index page of
its own at every page's address, so the browser finds the server at once (wijkimpact/web_index)."""

import streamlit as st
from streamlit import config

from wijkimpact import web_index
from wijkimpact.page_table import URL_PATHS

app = st.App("app.py", routes=web_index.routes(URL_PATHS, config.get_option("server.baseUrlPath")))
