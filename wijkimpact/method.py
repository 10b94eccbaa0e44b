"""The methodology text shown on /methode (kept as Markdown next to the code)."""

from __future__ import annotations

from pathlib import Path

CONTENT = Path(__file__).parent / "content" / "methode.md"


def methodology_markdown() -> str:
    """Definitions, formulas and sources, in Dutch."""
    return CONTENT.read_text(encoding="utf-8")
