"""One enterprise's figures, within what the viewer may see: detail only in its scope,
annual figures also of public enterprises."""

from __future__ import annotations

import pandas as pd

from wijkimpact.data.access import Viewer, detail_sql, figures_sql
from wijkimpact.data.db import Cursor


def years(cur: Cursor) -> list[int]:
    """Years with enterprise figures, newest first."""
    rows = cur.execute("select distinct year from enterprise_year order by year desc").fetchall()
    return [int(r[0]) for r in rows]


def enterprises(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """Enterprises (in one gemeente when given) with their home wijk and gemeente names and the
    centre of the home wijk (wijk_lat, wijk_lon: where the map puts one without coordinates)."""
    return cur.execute(
        """
        select e.*, w.name as wijk_naam, w.gemeente_code, g.name as gemeente_naam,
               w.centroid_lat as wijk_lat, w.centroid_lon as wijk_lon
        from enterprise e
        left join area w on w.area_code = e.area_code
        left join area g on g.area_code = w.gemeente_code
        where $gemeente is null or w.gemeente_code = $gemeente
        order by e.name
        """,
        {"gemeente": gemeente},
    ).df()


def enterprise_years(cur: Cursor, viewer: Viewer, gemeente: str | None = None) -> pd.DataFrame:
    """The enterprise_year view with names, for the enterprises of a gemeente (or all) whose
    annual figures of that year the viewer may see; ``compleet``: whether the year holds all
    twelve months, ``maanden_jaar``: which (enterprise_period)."""
    return cur.execute(
        f"""
        select ey.*, e.name, e.area_code, w.name as wijk_naam, p.compleet,
               p.maanden as maanden_jaar
        from enterprise_year ey
        join enterprise e using (enterprise_id)
        join enterprise_period p using (enterprise_id, year)
        left join area w on w.area_code = e.area_code
        where ($gemeente is null or w.gemeente_code = $gemeente)
          and {figures_sql("e", complete="p.compleet")}
        order by e.name, ey.year
        """,
        {"gemeente": gemeente, **viewer.sql()},
    ).df()


def income_by_source(cur: Cursor, viewer: Viewer, enterprise_id: str) -> pd.DataFrame:
    """Income and costs of one enterprise per year and category, with labels and kind (no rows
    when the viewer may not see its annual figures)."""
    return cur.execute(
        f"""
        select f.year, c.category, c.label_nl as categorie, c.label_en as categorie_en, c.kind,
               c.income_type, c.sort_order,
               sum(f.amount) as bedrag
        from finance f
        join finance_category c using (category)
        join enterprise e using (enterprise_id)
        where f.enterprise_id = $id and {figures_sql("e", "f.year")}
        group by all
        order by f.year, c.sort_order
        """,
        {"id": enterprise_id, **viewer.sql()},
    ).df()


def reinvestments(
    cur: Cursor, viewer: Viewer, enterprise_id: str | None = None, gemeente: str | None = None
):
    """Reinvestment rows (per project) with the name of the wijk they went to, of the
    enterprises whose detail the viewer may see."""
    return cur.execute(
        f"""
        select r.enterprise_id, e.name as onderneming, r.year, r.area_code,
               w.name as wijk_naam, r.project, coalesce(r.theme, 'Overig') as thema, r.amount
        from reinvestment r
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = r.area_code
        where ($id is null or r.enterprise_id = $id)
          and ($gemeente is null or w.gemeente_code = $gemeente)
          and {detail_sql("r.enterprise_id")}
        order by r.year, r.amount desc
        """,
        {"id": enterprise_id, "gemeente": gemeente, **viewer.sql()},
    ).df()


def reinvestment_summary(cur: Cursor, viewer: Viewer, enterprise_id: str) -> pd.DataFrame:
    """One enterprise's reinvestments summed per year, wijk and theme (no projects): year,
    area_code, wijk_naam, thema, amount; empty when the viewer may not see its figures."""
    return cur.execute(
        f"""
        select r.year, r.area_code, w.name as wijk_naam, coalesce(r.theme, 'Overig') as thema,
               sum(r.amount) as amount
        from reinvestment r
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = r.area_code
        where r.enterprise_id = $id and {figures_sql("e", "r.year")}
        group by all
        order by r.year, amount desc
        """,
        {"id": enterprise_id, **viewer.sql()},
    ).df()


def activity_months(cur: Cursor, viewer: Viewer, enterprise_id: str) -> pd.DataFrame:
    """Activities of one enterprise summed per month (detail: only within the viewer's scope)."""
    return cur.execute(
        f"""
        select date_trunc('month', date)::date as maand, year(date) as year,
               count(*) as activiteiten, sum(participants) as deelnemers,
               sum(volunteers) as vrijwilligers, sum(volunteer_hours) as vrijwilligersuren
        from activity
        where enterprise_id = $id and {detail_sql("enterprise_id")}
        group by all
        order by maand
        """,
        {"id": enterprise_id, **viewer.sql()},
    ).df()


def properties(cur: Cursor, viewer: Viewer, enterprise_id: str) -> pd.DataFrame:
    """The community real estate of one enterprise (detail: only within the viewer's scope)."""
    return cur.execute(
        f"""
        select p.name, w.name as wijk_naam, p.m2, p.owned, p.occupancy_pct
        from property p left join area w on w.area_code = p.area_code
        where p.enterprise_id = $id and {detail_sql("p.enterprise_id")}
        order by p.name
        """,
        {"id": enterprise_id, **viewer.sql()},
    ).df()


def activity_themes(cur: Cursor, viewer: Viewer, enterprise_id: str, year: int) -> pd.DataFrame:
    """Activities of one enterprise in one year per theme: count, participants, volunteer hours
    (detail: only within the viewer's scope)."""
    return cur.execute(
        f"""
        select coalesce(theme, 'Overig') as thema, count(*) as activiteiten,
               sum(participants) as deelnemers, sum(volunteer_hours) as vrijwilligersuren
        from activity
        where enterprise_id = $id and year(date) = $year and {detail_sql("enterprise_id")}
        group by all
        order by activiteiten desc, thema
        """,
        {"id": enterprise_id, "year": year, **viewer.sql()},
    ).df()


def enterprise_loaded_at(cur: Cursor, viewer: Viewer, enterprise_id: str):
    """When the figures of one enterprise were last loaded (None when no load recorded them,
    or when the viewer may not see the enterprise's detail)."""
    rows = cur.execute(
        f"""
        with batches as (
            select batch_id from finance where enterprise_id = $id
            union select batch_id from reinvestment where enterprise_id = $id
            union select batch_id from activity where enterprise_id = $id
            union select batch_id from property where enterprise_id = $id
        )
        select max(l.loaded_at) from load_log l join batches b using (batch_id)
        where {detail_sql("$id")}
        """,
        {"id": enterprise_id, **viewer.sql()},
    ).fetchall()
    return rows[0][0] if rows else None
