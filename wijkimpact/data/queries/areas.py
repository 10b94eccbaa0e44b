"""Areas and their statistics (CBS, Leefbaarometer): public, no viewer."""

from __future__ import annotations

import pandas as pd

from wijkimpact.data.db import Cursor


def gemeenten(cur: Cursor) -> pd.DataFrame:
    """Municipalities with loaded wijken or enterprises: area_code, name, wijken, ondernemingen."""
    return cur.execute(
        """
        select g.area_code, coalesce(g.name, g.area_code) as name,
               (select count(*) from area w where w.level = 'wijk'
                  and w.gemeente_code = g.area_code)                         as wijken,
               (select count(*) from enterprise e join area w on w.area_code = e.area_code
                where w.gemeente_code = g.area_code)                          as ondernemingen
        from area g
        where g.level = 'gemeente'
        order by ondernemingen desc, name
        """
    ).df()


def wijken(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """The loaded wijken (of one gemeente when given): area_code, name, gemeente_code."""
    return cur.execute(
        """
        select area_code, name, gemeente_code
        from area
        where level = 'wijk' and ($gemeente is null or gemeente_code = $gemeente)
        order by area_code
        """,
        {"gemeente": gemeente},
    ).df()


def area_shapes(cur: Cursor, level: str, gemeente: str | None = None) -> pd.DataFrame:
    """Codes, names and WKB geometry of the areas of one level (in one gemeente)."""
    return cur.execute(
        """
        select area_code, name, gemeente_code, centroid_lon, centroid_lat, geometry
        from area
        where level = $level and geometry is not null
          and ($gemeente is null or gemeente_code = $gemeente)
        order by area_code
        """,
        {"level": level, "gemeente": gemeente},
    ).df()


def area_indicator(cur: Cursor, indicator: str, year: int, level: str, gemeente: str | None):
    """One indicator of area_stat for every area of a level, for a year."""
    return cur.execute(
        """
        select s.area_code, s.value
        from area_stat s join area a using (area_code)
        where s.indicator = $indicator and s.year = $year and a.level = $level
          and ($gemeente is null or a.gemeente_code = $gemeente)
        """,
        {"indicator": indicator, "year": year, "level": level, "gemeente": gemeente},
    ).df()


def indicators(cur: Cursor) -> pd.DataFrame:
    """The indicator catalogue, with the years for which values are loaded."""
    return cur.execute(
        """
        select i.*, list(distinct s.year order by s.year) as jaren
        from indicator i join area_stat s using (indicator)
        group by all
        order by i.source, i.label_nl
        """
    ).df()


def wijk_stats(cur: Cursor, indicators: tuple[str, ...]) -> pd.DataFrame:
    """Long table of the given indicators for every loaded wijk (all gemeenten): area_code,
    gemeente_code, year, indicator, value. Feeds the comparison with similar wijken."""
    return cur.execute(
        """
        select s.area_code, a.gemeente_code, s.year, s.indicator, s.value
        from area_stat s join area a using (area_code)
        where a.level = 'wijk' and s.value is not null
          and list_contains($indicators, s.indicator)
        order by s.area_code, s.indicator, s.year
        """,
        {"indicators": list(indicators)},
    ).df()


def area_profile(cur: Cursor, area_code: str) -> pd.DataFrame:
    """One area (zero rows when unknown): level, name, parent and gemeente code and name."""
    return cur.execute(
        """
        select a.area_code, a.level, a.name, a.parent_code, a.gemeente_code,
               g.name as gemeente_naam
        from area a left join area g on g.area_code = a.gemeente_code and g.level = 'gemeente'
        where a.area_code = $code
        """,
        {"code": area_code},
    ).df()


def profile_stats(cur: Cursor, wijk: str, gemeente: str) -> pd.DataFrame:
    """Every figure of a wijk, its gemeente and the gemeente's other wijken: area_code, level,
    year, indicator, value, label_nl, unit, source (the wijken to compare with)."""
    return cur.execute(
        """
        select s.area_code, a.level, s.year, s.indicator, s.value,
               coalesce(i.label_nl, s.indicator) as label_nl, i.label_en, i.unit, i.source
        from area_stat s
        join area a using (area_code)
        left join indicator i using (indicator)
        where s.value is not null
          and (s.area_code in ($wijk, $gemeente)
               or (a.level = 'wijk' and a.gemeente_code = $gemeente))
        order by s.area_code, s.indicator, s.year
        """,
        {"wijk": wijk, "gemeente": gemeente},
    ).df()
