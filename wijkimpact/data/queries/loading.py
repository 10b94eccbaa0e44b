"""/gegevens: the load log and how complete each enterprise's figures are."""

from __future__ import annotations

import pandas as pd

from wijkimpact.data.access import Viewer, detail_sql
from wijkimpact.data.db import Cursor


def load_log(cur: Cursor) -> pd.DataFrame:
    """Every load, newest first (file names and counts, no figures; not used by pages)."""
    return cur.execute("select * from load_log order by batch_id desc").df()


def data_completeness(cur: Cursor, viewer: Viewer, gemeente: str | None = None) -> pd.DataFrame:
    """Per enterprise and year with any figures: what is loaded (one row without a year when
    an enterprise has none). Months are the months of monthly finance rows. Detail: only the
    enterprises within the viewer's scope."""
    return cur.execute(
        f"""
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
        where ($gemeente is null or w.gemeente_code = $gemeente)
          and {detail_sql("e.enterprise_id")}
        order by e.name, y.year
        """,
        {"gemeente": gemeente, **viewer.sql()},
    ).df()


def finance_periods(cur: Cursor, viewer: Viewer, gemeente: str | None = None) -> pd.DataFrame:
    """Per enterprise and year: how many months were reported, and whether an annual row was
    (detail: only the enterprises within the viewer's scope)."""
    return cur.execute(
        f"""
        select f.enterprise_id, f.year,
               count(distinct f.month)            as maanden,
               bool_or(f.month is null)           as jaarcijfers
        from finance f
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = e.area_code
        where ($gemeente is null or w.gemeente_code = $gemeente)
          and {detail_sql("f.enterprise_id")}
        group by all
        """,
        {"gemeente": gemeente, **viewer.sql()},
    ).df()
