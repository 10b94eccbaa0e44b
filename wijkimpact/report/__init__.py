"""The annual impact report of one enterprise as a PDF (Dutch, or English from the app in English):
content, charts, layout and CLI."""

from __future__ import annotations

import contextvars
from pathlib import Path


def _in_language(enterprise_id: str, year: int, path: Path | None, viewer, language) -> bytes:
    from wijkimpact import i18n
    from wijkimpact.data import db
    from wijkimpact.report.content import report_content
    from wijkimpact.report.pdf import render_pdf

    # The report's language (Dutch unless asked: the command line's) for its texts, the ones it
    # borrows from the app (the comparison's) and its number formats; the caller's context is
    # a copy, so its own choice stays as it was.
    i18n.use_language(language or i18n.DEFAULT)
    with db.cursor(path) as cur:
        content = report_content(cur, viewer, enterprise_id, year)
    return render_pdf(content)


def build_report(
    enterprise_id: str, year: int, path: Path | None = None, *, viewer, language: str | None = None
) -> bytes:
    """The PDF of one enterprise and year from the database at ``path`` (the app's by default),
    as ``viewer`` (an access.Viewer) may see it, in ``language`` ('nl' or 'en'; Dutch by
    default).

    Raises content.ReportError with a Dutch message when there is no such enterprise, it has
    no figures for that year, or the viewer may not have its report (content.NotAllowed).
    Imports are deferred so pages can import this package cheaply.
    """
    return contextvars.copy_context().run(
        _in_language, enterprise_id, year, path, viewer, language
    )
