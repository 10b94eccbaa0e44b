"""The map of /kaart in the page. An SVG map is drawn by plotly's geo bundle in a component of
the app's own (st.components.v2): Streamlit's chart element loads the whole plotly.js (4.7 MB,
0.8-0.9 s of the browser's time on this machine before the map can start); the geo bundle is a
third of that (kaart.static_files.JS_FOLDER). A MapLibre map (street tiles), or an SVG map when
the bundle is not served, is drawn by st.plotly_chart. Either way a click comes back in
st.plotly_chart's selection shape (map_state.clicked_area)."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from wijkimpact.i18n import _
from wijkimpact.ui.kaart.map_view import MapView

# the map's toolbar as Streamlit's charts have it: no box or lasso selection (a click chooses a
# wijk), no toggle of the hover
BUTTONS_OUT = ["select2d", "lasso2d", "hoverClosestGeo"]
NAME = "wijkimpact_kaart"  # the component's name, in the page's element too
_COMPONENT = st.components.v2.component(
    NAME,
    html='<div class="wijkimpact-kaart" style="width: 100%"></div>',
    js=Path(__file__).with_name("map_chart.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # plotly puts its styles in the page's head
)


def draw(shown: MapView, key: str):
    """Draw the map of ``shown``; the selection a click on it made in this run, or None."""
    if shown.bundle is None:
        return st.plotly_chart(
            shown.figure, key=key, on_select="rerun", selection_mode="points", config=shown.config
        )
    # one JSON text as bytes, which Streamlit sends as they are: the figure's JSON (made once
    # per shared figure) is not parsed, escaped into a string or written again in each run
    config = json.dumps({**shown.config, "modeBarButtonsToRemove": BUTTONS_OUT})
    failed = _(
        "De kaart kon niet worden getekend: haar code of vormen kwamen niet aan. Laad de "
        "pagina opnieuw."
    )
    data = (
        f'{{"figure":{shown.figure.json_text()},"config":{config},'
        f'"bundle":{json.dumps(shown.bundle)},"failed":{json.dumps(failed)}}}'
    )
    return _COMPONENT(key=key, data=data.encode(), on_select_change=_clicked).select


def _clicked() -> None:
    """on_select_change: the click is read from the component's result (draw)."""
