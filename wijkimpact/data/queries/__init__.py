"""Every SQL query of the app, parameterised; each takes a cursor and returns a DataFrame. The
modules hold them by subject; this package names them all, so the app asks for a query as
``queries.<name>`` (store.load(queries.enterprise_years, ...)) wherever it lives.

Every query that returns enterprise figures takes the Viewer and filters by it in SQL
(wijkimpact.data.access): detail only within the viewer's scope, annual figures also of public
enterprises, and wijk or gemeente totals suppressed when too few private enterprises make them.
"""

from wijkimpact.data.db import Cursor
from wijkimpact.data.queries.areas import (
    area_indicator,
    area_profile,
    area_shapes,
    find_areas,
    gemeenten,
    indicators,
    postcode_wijk,
    postcodes_loaded,
    profile_stats,
    wijk_stats,
    wijken,
)
from wijkimpact.data.queries.enterprises import (
    activity_months,
    activity_themes,
    enterprise_loaded_at,
    enterprise_years,
    enterprises,
    income_by_source,
    properties,
    reinvestment_summary,
    reinvestments,
    years,
)
from wijkimpact.data.queries.loading import (
    data_completeness,
    finance_periods,
    load_log,
)
from wijkimpact.data.queries.map_layers import (
    MAP_ENTERPRISE_COLUMNS,
    active_enterprises,
    area_reinvestments,
    enterprise_map_values,
    map_gaps,
    map_indicators,
    map_levels,
    map_shapes,
    map_values,
    metric_values,
)
from wijkimpact.data.queries.periods import (
    like_for_like,
    year_periods,
)
from wijkimpact.data.queries.totals import (
    enterprise_totals,
    wijk_years,
)
from wijkimpact.data.queries.users import (
    app_user,
    not_visible,
    saved_portfolios,
)

__all__ = [
    "Cursor",
    "MAP_ENTERPRISE_COLUMNS",
    "active_enterprises",
    "activity_months",
    "activity_themes",
    "app_user",
    "area_indicator",
    "area_profile",
    "area_reinvestments",
    "area_shapes",
    "data_completeness",
    "enterprise_loaded_at",
    "enterprise_map_values",
    "enterprise_totals",
    "enterprise_years",
    "enterprises",
    "finance_periods",
    "find_areas",
    "gemeenten",
    "income_by_source",
    "indicators",
    "like_for_like",
    "load_log",
    "map_gaps",
    "map_indicators",
    "map_levels",
    "map_shapes",
    "map_values",
    "metric_values",
    "not_visible",
    "postcode_wijk",
    "postcodes_loaded",
    "profile_stats",
    "properties",
    "reinvestment_summary",
    "reinvestments",
    "saved_portfolios",
    "wijk_stats",
    "wijk_years",
    "wijken",
    "year_periods",
    "years",
]
