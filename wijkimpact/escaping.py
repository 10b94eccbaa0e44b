"""Text from the database or a user's file, escaped so that Markdown and plotly show it as text."""

from __future__ import annotations

import re

import pandas as pd

# Every ASCII punctuation character Markdown (CommonMark, GFM, Streamlit's :colour[...] and
# :icon: directives, $maths$) can give a meaning to; a backslash makes each one literal.
MARKDOWN_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|~$=:&]")
# Some markup is found where a backslash no longer counts: GFM links bare addresses
# ('https://', 'www.', 'a@b.nl') after parsing, Streamlit rewrites ':material/lock:' into an
# icon. An invisible word joiner (U+2060) on both sides of ':', before '@' and inside 'www.'
# keeps them text (checked in Chromium, tests/test_escaping_browser.py).
UNLINK = re.compile(r"(?=[:@])|(?<=:)|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def for_markdown(text: object) -> str:
    """``text`` to show literally through Markdown (st.markdown, st.info, st.caption, labels
    of metrics and expanders): no link, image, HTML tag, heading or emphasis from the data.
    None and NaN give ''."""
    if _missing(text):
        return ""
    unlinked = UNLINK.sub(WORD_JOINER, str(text))
    return MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(0), unlinked)


def for_plotly(text: object) -> str:
    """``text`` to show literally in a plotly chart (trace names, hover texts, category labels,
    titles): plotly draws a subset of HTML ('<b>', '<a href>', '&amp;') there. None and NaN
    give ''."""
    if _missing(text):
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))
