"""Which months each year holds (the views enterprise_period and year_period), and totals that
compare a year like with like: the same enterprises, and for a year not yet complete the same
months of the year before."""

from __future__ import annotations

import pandas as pd

from wijkimpact.data.access import Viewer, detail_sql, figures_sql
from wijkimpact.data.db import Cursor
from wijkimpact.data.queries.totals import _contributor_counts, suppressed_years


def year_periods(cur: Cursor) -> pd.DataFrame:
    """Per year with enterprise figures, newest first: compleet (every enterprise's year in it
    holds all twelve months), onvolledig (how many do not) and maanden (the months any holds).
    Counts and months only, no figures: the same for every viewer."""
    return cur.execute(
        "select year, compleet, ondernemingen, onvolledig, maanden from year_period"
        " order by year desc"
    ).df()


def like_for_like(
    cur: Cursor, viewer: Viewer, year: int, gemeente: str | None = None
) -> pd.DataFrame:
    """The totals of ``year`` and of the year before over the same enterprises, as
    enterprise_totals gives them, to compute the change from: one row per year (ascending).

    An enterprise counts when both its years can be compared: two complete years by their annual
    figures; a year not yet complete by the same months of the year before, which must then have
    been reported month by month (finances; activities are dated anyway), without reinvestments
    (they are annual: geherinvesteerd is empty when any enterprise compares by months).
    Columns besides the figures: ondernemingen (how many were compared), per_maand (whether any
    compared by months) and maanden (those months). A month's figures of an enterprise are its
    detail: compared by months, an enterprise counts as visible only where the viewer may see
    its detail or it publishes its partial years. Suppressed as enterprise_totals is.
    """
    frame = cur.execute(
        f"""
        with pairs as (
            select n.enterprise_id, n.compleet as heel, n.financien, n.maanden
            from enterprise_period n
            join enterprise_period v
              on v.enterprise_id = n.enterprise_id and v.year = n.year - 1
            where n.year = $year
              and ((n.compleet and v.compleet)
                   or (not n.compleet and (not n.financien
                       or list_has_all(v.maanden_financien, n.maanden))))
        ),
        whole as (
            select p.enterprise_id, ey.year, ey.omzet, ey.eigen_verdiend, ey.gesubsidieerd,
                   ey.kosten, ey.geherinvesteerd, ey.deelnemers, ey.vrijwilligers,
                   ey.vrijwilligersuren,
                   f.enterprise_id is not null as financien,
                   r.enterprise_id is not null as herinvesteringen,
                   a.enterprise_id is not null as activiteiten
            from pairs p
            join enterprise_year ey on ey.enterprise_id = p.enterprise_id
            left join finance_year f on f.enterprise_id = ey.enterprise_id and f.year = ey.year
            left join reinvestment_year r
              on r.enterprise_id = ey.enterprise_id and r.year = ey.year
            left join activity_year a on a.enterprise_id = ey.enterprise_id and a.year = ey.year
            where p.heel and ey.year in ($year, $year - 1)
        ),
        months as (
            select p.enterprise_id, m.year,
                   coalesce(sum(m.omzet) filter (where p.financien), 0) as omzet,
                   coalesce(sum(m.eigen_verdiend) filter (where p.financien), 0)
                                                                        as eigen_verdiend,
                   coalesce(sum(m.gesubsidieerd) filter (where p.financien), 0)
                                                                        as gesubsidieerd,
                   coalesce(sum(m.kosten) filter (where p.financien), 0) as kosten,
                   null::double as geherinvesteerd,
                   coalesce(sum(m.deelnemers), 0) as deelnemers,
                   coalesce(sum(m.vrijwilligers), 0) as vrijwilligers,
                   coalesce(sum(m.vrijwilligersuren), 0) as vrijwilligersuren,
                   p.financien and bool_or(m.financien) as financien,
                   false as herinvesteringen,
                   bool_or(m.activiteiten) as activiteiten
            from pairs p
            join enterprise_month m
              on m.enterprise_id = p.enterprise_id and list_contains(p.maanden, m.month)
            where not p.heel and m.year in ($year, $year - 1)
            group by p.enterprise_id, m.year, p.financien
        ),
        contributions as (
            -- compared whole, both years are complete (pairs): p.heel is each year's compleet
            select c.*, w.gemeente_code, p.heel, p.maanden,
                   case when p.heel then {figures_sql("e", complete="p.heel")}
                        else {detail_sql("e.enterprise_id")} or (e.public and e.public_partial)
                   end as zichtbaar
            from (select * from whole union all by name select * from months) c
            join pairs p using (enterprise_id)
            join enterprise e using (enterprise_id)
            left join area w on w.area_code = e.area_code
        )
        select gemeente_code, year, grouping(gemeente_code) = 1 as landelijk,
               sum(omzet) as omzet, sum(eigen_verdiend) as eigen_verdiend,
               sum(gesubsidieerd) as gesubsidieerd, sum(kosten) as kosten,
               sum(omzet) - sum(kosten) as resultaat,
               case when bool_and(heel) then sum(geherinvesteerd) end as geherinvesteerd,
               sum(deelnemers) as deelnemers, sum(vrijwilligers) as vrijwilligers,
               sum(vrijwilligersuren) as vrijwilligersuren,
               sum(eigen_verdiend) / nullif(sum(omzet), 0) as verdienvermogen,
               count(*) as ondernemingen,
               not bool_and(heel) as per_maand,
               list_sort(list_distinct(flatten(list(maanden) filter (where not heel))))
                   as maanden,
               {_contributor_counts()}
        from contributions
        group by grouping sets ((gemeente_code, year), (year))
        """,
        {"year": year, **viewer.sql()},
    ).df()
    return suppressed_years(frame, gemeente)
