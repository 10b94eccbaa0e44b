"""The annual report's download button: the PDF is built only when clicked, and cached."""

from __future__ import annotations

import streamlit as st

from wijkimpact.data import db
from wijkimpact.data.access import Viewer
from wijkimpact.i18n import _, current_language
from wijkimpact.report import build_report
from wijkimpact.ui import session


def download_button(enterprise_id: str, year: int | None) -> None:
    """A 'Jaarverslag {jaar} (PDF)' button; builds the PDF on click, once per database version
    and viewer. Only for the enterprise itself, its funders and beheerders."""
    viewer = session.current_viewer()
    if year is None or not viewer.detail(enterprise_id):
        return
    version, language = db.database_version(), current_language()
    st.download_button(
        _("Jaarverslag {jaar} (PDF)", jaar=year),
        data=lambda: _pdf(version, viewer, enterprise_id, int(year), language),  # on click
        file_name=f"jaarverslag_{enterprise_id}_{year}.pdf",
        mime="application/pdf",
        key="jaarverslag",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help=_(
            "Een PDF met de kerncijfers, grafieken en uitleg, om uit te delen aan bewoners en "
            "financiers."
        ),
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _pdf(version: str, viewer: Viewer, enterprise_id: str, year: int, language: str) -> bytes:
    """The report's bytes in ``language``; ``version`` is only the cache key (a new load builds
    a new PDF)."""
    return build_report(enterprise_id, year, viewer=viewer, language=language)
