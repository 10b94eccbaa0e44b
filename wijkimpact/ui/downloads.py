"""Download buttons for a table: Excel (formatted, formula-safe) and CSV, side by side."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from wijkimpact.i18n import _
from wijkimpact.report import export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_downloads(
    frame: pd.DataFrame, name: str, key: str, formats: Mapping[str, str] | None = None
) -> None:
    """Two buttons under a table; ``name`` becomes the sheet and file name. The files are made
    when clicked (a deferred download), not on every rerun of the page. A click does not rerun
    the page (on_click="ignore"): a rerun raced the browser's request for the file, and when it
    won, the button said the file was not found and nothing was downloaded."""
    stem = re.sub(r"[^\w-]+", "_", name.lower()).strip("_") or "tabel"
    left, right, _rest = st.columns([1, 1, 3])
    left.download_button(
        _("Excel"),
        lambda: export.to_excel({name: frame}, formats),
        file_name=f"{stem}.xlsx",
        mime=XLSX,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        _("CSV"),
        lambda: export.to_csv(frame, formats),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
