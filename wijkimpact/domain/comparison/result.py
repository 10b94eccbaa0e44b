"""What one comparison found: the wijk, its years and its comparison wijken, and the estimates
(read by analysis.py, which makes it, and by texts.py, which puts it in words)."""

from __future__ import annotations

from dataclasses import dataclass

from wijkimpact.domain.comparison.estimate import Estimate
from wijkimpact.domain.comparison.matching import MatchResult


@dataclass(frozen=True)
class Analysis:
    """One wijk with an enterprise against its comparison wijken."""

    wijk_code: str
    founding_year: int | None
    reference_year: int
    pre_founding: bool  # there are figures from before the founding year
    end_year: int | None
    match: MatchResult
    estimates: dict[str, Estimate]
