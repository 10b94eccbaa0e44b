"""Streamlit's own texts in widgets that have no parameter for them, in the user's language."""

from __future__ import annotations

import streamlit as st

from wijkimpact.i18n import N_, _, current_language

CHOOSE = N_("Kies een of meer")  # a multiselect's placeholder; Streamlit's is 'Choose options'
UPLOAD = N_("Bestanden kiezen")
# Streamlit 1.67's file uploader calls its button 'Upload' and adds '10MB per file • XLSX, ...'
# in English, with no parameter for either (streamlit/streamlit#13500). In Dutch the button's
# text is replaced and the line left out: the label states the size and the file types.
_DUTCH_UPLOADER = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{
  font-size: 0;
}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{label}";
  font-size: 0.875rem;
}}
</style>"""


def uploader_style(label: str) -> str:
    """The style block that shows ``label`` on the uploaders' button; empty for a label that
    could end the CSS string or the block (quotes, braces, angle brackets, backslashes)."""
    if any(sign in label for sign in '"\\{}<>'):
        return ""
    return _DUTCH_UPLOADER.format(label=label)


def uploader_texts() -> None:
    """Once per run (session.sidebar): the file uploaders' button and size line in Dutch when
    Dutch is chosen."""
    if current_language() == "nl":
        style = uploader_style(_(UPLOAD))
        if style:
            st.html(style)
