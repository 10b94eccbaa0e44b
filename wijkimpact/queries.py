"""Every SQL query of the app, parameterised; each takes a cursor and returns a DataFrame."""

from __future__ import annotations

import duckdb
import pandas as pd

Cursor = duckdb.DuckDBPyConnection


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


def years(cur: Cursor) -> list[int]:
    """Years with enterprise figures, newest first."""
    rows = cur.execute("select distinct year from enterprise_year order by year desc").fetchall()
    return [int(r[0]) for r in rows]


def enterprises(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """Enterprises (in one gemeente when given) with their home wijk and gemeente names."""
    return cur.execute(
        """
        select e.*, w.name as wijk_naam, w.gemeente_code, g.name as gemeente_naam
        from enterprise e
        left join area w on w.area_code = e.area_code
        left join area g on g.area_code = w.gemeente_code
        where $gemeente is null or w.gemeente_code = $gemeente
        order by e.name
        """,
        {"gemeente": gemeente},
    ).df()


def enterprise_years(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """The enterprise_year view with names, for all enterprises of a gemeente (or all)."""
    return cur.execute(
        """
        select ey.*, e.name, e.area_code, w.name as wijk_naam
        from enterprise_year ey
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = e.area_code
        where $gemeente is null or w.gemeente_code = $gemeente
        order by e.name, ey.year
        """,
        {"gemeente": gemeente},
    ).df()


def income_by_source(cur: Cursor, enterprise_id: str) -> pd.DataFrame:
    """Income and costs of one enterprise per year and category, with labels and kind."""
    return cur.execute(
        """
        select f.year, c.category, c.label_nl as categorie, c.kind, c.income_type, c.sort_order,
               sum(f.amount) as bedrag
        from finance f join finance_category c using (category)
        where f.enterprise_id = $id
        group by all
        order by f.year, c.sort_order
        """,
        {"id": enterprise_id},
    ).df()


def reinvestments(cur: Cursor, enterprise_id: str | None = None, gemeente: str | None = None):
    """Reinvestment rows with the name of the wijk they went to."""
    return cur.execute(
        """
        select r.enterprise_id, e.name as onderneming, r.year, r.area_code,
               w.name as wijk_naam, r.project, coalesce(r.theme, 'Overig') as thema, r.amount
        from reinvestment r
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = r.area_code
        where ($id is null or r.enterprise_id = $id)
          and ($gemeente is null or w.gemeente_code = $gemeente)
        order by r.year, r.amount desc
        """,
        {"id": enterprise_id, "gemeente": gemeente},
    ).df()


def activity_months(cur: Cursor, enterprise_id: str) -> pd.DataFrame:
    """Activities of one enterprise summed per month."""
    return cur.execute(
        """
        select date_trunc('month', date)::date as maand, year(date) as year,
               count(*) as activiteiten, sum(participants) as deelnemers,
               sum(volunteers) as vrijwilligers, sum(volunteer_hours) as vrijwilligersuren
        from activity
        where enterprise_id = $id
        group by all
        order by maand
        """,
        {"id": enterprise_id},
    ).df()


def properties(cur: Cursor, enterprise_id: str) -> pd.DataFrame:
    """The community real estate of one enterprise."""
    return cur.execute(
        """
        select p.name, w.name as wijk_naam, p.m2, p.owned, p.occupancy_pct
        from property p left join area w on w.area_code = p.area_code
        where p.enterprise_id = $id
        order by p.name
        """,
        {"id": enterprise_id},
    ).df()


def wijk_years(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """The wijk_year view with wijk names, for one gemeente (or all)."""
    return cur.execute(
        """
        select wy.*, a.name as wijk_naam, a.gemeente_code
        from wijk_year wy join area a using (area_code)
        where $gemeente is null or a.gemeente_code = $gemeente
        order by wy.area_code, wy.year
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


def load_log(cur: Cursor) -> pd.DataFrame:
    """Every load, newest first."""
    return cur.execute("select * from load_log order by batch_id desc").df()


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


def data_completeness(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """Per enterprise and year with any figures: what is loaded (one row without a year when
    an enterprise has none). Months are the months of monthly finance rows."""
    return cur.execute(
        """
        with years as (
            select enterprise_id, year from finance
            union select enterprise_id, year from reinvestment
            union select enterprise_id, year(date) from activity
        ),
        fin as (
            select enterprise_id, year,
                   count(*) filter (where month is null) > 0                    as jaarcijfers,
                   list(distinct month order by month) filter (where month is not null)
                                                                                as maanden
            from finance
            group by all
        ),
        act as (
            select enterprise_id, year(date) as year, count(*) as activiteiten,
                   count(*) filter (where area_code is null) as zonder_wijk
            from activity
            group by all
        ),
        reinvested as (
            select enterprise_id, year, count(*) as herinvesteringen
            from reinvestment
            group by all
        ),
        buildings as (
            select enterprise_id, count(*) as panden from property group by all
        )
        select e.enterprise_id, e.name, y.year,
               coalesce(f.jaarcijfers, false)          as jaarcijfers,
               coalesce(f.maanden, []::integer[])      as maanden,
               coalesce(a.activiteiten, 0)             as activiteiten,
               coalesce(a.zonder_wijk, 0)              as zonder_wijk,
               coalesce(r.herinvesteringen, 0)         as herinvesteringen,
               coalesce(b.panden, 0)                   as panden
        from enterprise e
        left join area w on w.area_code = e.area_code
        left join years y on y.enterprise_id = e.enterprise_id
        left join fin f on f.enterprise_id = e.enterprise_id and f.year = y.year
        left join act a on a.enterprise_id = e.enterprise_id and a.year = y.year
        left join reinvested r on r.enterprise_id = e.enterprise_id and r.year = y.year
        left join buildings b on b.enterprise_id = e.enterprise_id
        where $gemeente is null or w.gemeente_code = $gemeente
        order by e.name, y.year
        """,
        {"gemeente": gemeente},
    ).df()
