"""Comparison wijken and difference-in-differences: does a wijk with an enterprise change
differently from similar wijken without one? Pure functions on a long table of wijk figures
(area_code, gemeente_code, year, indicator, value), in modules named for what they hold:
panel (the figures), matching (comparison wijken), quality (how good the match is, said up
front), estimate (difference-in-differences with a bootstrap interval), result (what one
comparison found), analysis (one wijk, and the annual report's summary) and texts."""

from wijkimpact.domain.comparison.analysis import (
    ComparisonData,
    ContributionSummary,
    analyse,
    contribution_summary,
    load_data,
    summarise_contribution,
)
from wijkimpact.domain.comparison.estimate import (
    LEVEL,
    N_BOOT,
    SEED,
    Estimate,
    difference_in_differences,
    trend,
)
from wijkimpact.domain.comparison.matching import (
    LOG_FEATURES,
    MIN_COMPARISON,
    MIN_SAME_GEMEENTE,
    POOLS,
    K,
    MatchResult,
    match_comparison_wijken,
)
from wijkimpact.domain.comparison.panel import (
    AGE_GROUPS,
    FEATURES,
    LBM,
    NEEDED,
    URBANISATION,
    default_reference_year,
    founding_year,
    reference_options,
    with_shares,
)
from wijkimpact.domain.comparison.quality import (
    LBM_CLASS_WIDTH,
    Level,
    level,
    match_quality,
    what_matters,
)
from wijkimpact.domain.comparison.result import Analysis
from wijkimpact.domain.comparison.texts import (
    ASSOCIATION_NOTE,
    CAVEAT,
    CHANGE_DECIMALS,
    LABELS,
    TABLE_COLUMNS,
    baseline_note,
    caveat_markdown,
    change_text,
    estimate_table,
    estimate_text,
    features_text,
    interval_text,
    match_table,
)

__all__ = [
    "AGE_GROUPS",
    "ASSOCIATION_NOTE",
    "CAVEAT",
    "CHANGE_DECIMALS",
    "FEATURES",
    "K",
    "LABELS",
    "LBM_CLASS_WIDTH",
    "LBM",
    "LEVEL",
    "LOG_FEATURES",
    "MIN_COMPARISON",
    "MIN_SAME_GEMEENTE",
    "NEEDED",
    "N_BOOT",
    "POOLS",
    "SEED",
    "TABLE_COLUMNS",
    "URBANISATION",
    "Analysis",
    "ComparisonData",
    "ContributionSummary",
    "Estimate",
    "Level",
    "MatchResult",
    "analyse",
    "baseline_note",
    "caveat_markdown",
    "change_text",
    "contribution_summary",
    "default_reference_year",
    "difference_in_differences",
    "estimate_table",
    "estimate_text",
    "features_text",
    "founding_year",
    "interval_text",
    "level",
    "load_data",
    "match_comparison_wijken",
    "match_quality",
    "match_table",
    "reference_options",
    "summarise_contribution",
    "trend",
    "what_matters",
    "with_shares",
]
