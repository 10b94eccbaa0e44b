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


def find_areas(cur: Cursor, text: str, limit: int = 12) -> pd.DataFrame:
    """Wijken and buurten whose name holds ``text`` (any case), exact and leading matches
    first, wijken before buurten: level, area_code, name, the wijk (wijk_code, wijk_naam) whose
    profile it opens, and the gemeente's name. Only areas of a loaded wijk."""
    return cur.execute(
        """
        with found as (
            select a.level, a.area_code, a.name, a.gemeente_code,
                   case when a.level = 'wijk' then a.area_code
                        else coalesce(a.parent_code, 'WK' || substr(a.area_code, 3, 6)) end
                       as wijk_code
            from area a
            where a.level in ('wijk', 'buurt') and contains(lower(a.name), lower($text))
        )
        select f.level, f.area_code, f.name, f.wijk_code, w.name as wijk_naam,
               coalesce(g.name, f.gemeente_code) as gemeente_naam
        from found f
        join area w on w.area_code = f.wijk_code and w.level = 'wijk'
        left join area g on g.area_code = f.gemeente_code and g.level = 'gemeente'
        order by lower(f.name) = lower($text) desc, starts_with(lower(f.name), lower($text)) desc,
                 f.level desc, f.name, gemeente_naam
        limit $limit
        """,
        {"text": text, "limit": limit},
    ).df()


def postcode_wijk(cur: Cursor, pc6: str) -> pd.DataFrame:
    """The wijk of a postcode (6811AB) by CBS's postcode table: wijk_code, wijk_naam,
    gemeente_naam and addresses, the wijk with most of its house numbers first; no rows when
    the postcode is not loaded (or the wijk not: a postcode elsewhere)."""
    has_table = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'postcode'"
    ).fetchall()[0][0]
    if not has_table:
        return pd.DataFrame(columns=["wijk_code", "wijk_naam", "gemeente_naam", "addresses"])
    return cur.execute(
        """
        select p.wijk_code, w.name as wijk_naam, coalesce(g.name, p.gemeente_code)
               as gemeente_naam, sum(p.addresses) as addresses
        from postcode p
        join area w on w.area_code = p.wijk_code and w.level = 'wijk'
        left join area g on g.area_code = p.gemeente_code and g.level = 'gemeente'
        where p.pc6 = $pc6
        group by all
        order by addresses desc, p.wijk_code
        """,
        {"pc6": pc6},
    ).df()


def postcodes_loaded(cur: Cursor) -> bool:
    """Whether CBS's postcode table is loaded (python -m etl postcodes)."""
    has_table = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'postcode'"
    ).fetchall()[0][0]
    return bool(has_table) and bool(
        cur.execute("select exists (select 1 from postcode)").fetchall()[0][0]
    )
