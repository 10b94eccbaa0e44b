"""A figure built once and shown to many sessions (the map of /kaart, kept per choice): plotly
copies every array of a figure each time it is asked for its dict, which st.plotly_chart does in
every script run; this figure makes its dict and its JSON once and hands out those."""

from __future__ import annotations

import plotly.graph_objects as go


class SharedFigure(go.Figure):
    """A go.Figure that is complete when made and never changed afterwards (it is shared
    between sessions): its dict and its JSON text are made on the first request and kept.
    Readers of the dict must not change it either (Streamlit and plotly's to_json only read
    it)."""

    def to_dict(self) -> dict:
        kept = getattr(self, "_kept_dict", None)
        if kept is None:
            kept = super().to_dict()
            self._kept_dict = kept
        return kept

    def json_text(self) -> str:
        """The figure as plotly's JSON (numbers as base64 arrays), made once."""
        kept = getattr(self, "_kept_json", None)
        if kept is None:
            kept = self.to_json()
            self._kept_json = kept
        return kept
