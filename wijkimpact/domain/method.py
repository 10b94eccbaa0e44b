"""The methodology text shown on /methode (kept as Markdown next to the code)."""

from __future__ import annotations

from pathlib import Path

from wijkimpact.i18n import localized_text

CONTENT = Path(__file__).parents[1] / "content" / "methode.md"


def methodology_markdown() -> str:
    """Definitions, formulas and sources, in the current language (Dutch by default)."""
    return localized_text(CONTENT)
