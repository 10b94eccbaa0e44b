"""What a load did: rows read, and units added, replaced or left unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class LoadResult:
    """Counts of one load, and notes for the user (in Dutch)."""

    rows: int
    added: int
    replaced: int
    unchanged: int
    notes: list[str] = field(default_factory=list)
    unknown_codes: int = 0  # statistics for area codes that are not (yet) in table `area`
