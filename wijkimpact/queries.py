"""Every SQL query of the app, parameterised; each takes a cursor and returns a DataFrame.

Every query that returns enterprise figures takes the Viewer and filters by it in SQL
(wijkimpact.access): detail only within the viewer's scope, annual figures also of public
enterprises, and wijk or gemeente totals suppressed when too few private enterprises make them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from wijkimpact.access import (
    GROUP_OF,
    Viewer,
    detail_sql,
    figures_sql,
    flag_column,
    suppress,
)

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


def enterprise_years(cur: Cursor, viewer: Viewer, gemeente: str | None = None) -> pd.DataFrame:
    """The enterprise_year view with names, for the enterprises of a gemeente (or all) whose
    annual figures the viewer may see."""
    return cur.execute(
        f"""
        select ey.*, e.name, e.area_code, w.name as wijk_naam
        from enterprise_year ey
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = e.area_code
        where ($gemeente is null or w.gemeente_code = $gemeente)
          and {figures_sql("e")}
        order by e.name, ey.year
        """,
        {"gemeente": gemeente, **viewer.sql()},
    ).df()


def enterprise_totals(cur: Cursor, viewer: Viewer, gemeente: str | None = None) -> pd.DataFrame:
    """Per year the totals over every enterprise of a gemeente (or of all): the sums of
    enterprise_year, verdienvermogen from the sums, the number of enterprises (ondernemingen).

    Each group of figures (finance, reinvestment, activity) is withheld on its own count of
    contributors (access.suppress): empty, with ``onderdrukt_<group>`` True and ``onderdrukt``
    True when any group is. The totals of every gemeente are computed and suppressed together
    (secondary suppression per year), so the national total minus the gemeenten shown never
    isolates a withheld gemeente; the national total stands on its own count.
    """
    frame = cur.execute(
        f"""
        with contributions as (
            select ey.*, w.gemeente_code, {figures_sql("e")} as zichtbaar,
                   f.enterprise_id is not null as financien,
                   r.enterprise_id is not null as herinvesteringen,
                   a.enterprise_id is not null as activiteiten
            from enterprise_year ey
            join enterprise e using (enterprise_id)
            left join area w on w.area_code = e.area_code
            left join finance_year f using (enterprise_id, year)
            left join reinvestment_year r using (enterprise_id, year)
            left join activity_year a using (enterprise_id, year)
        )
        select gemeente_code, year, grouping(gemeente_code) = 1 as landelijk,
               sum(omzet) as omzet, sum(eigen_verdiend) as eigen_verdiend,
               sum(gesubsidieerd) as gesubsidieerd, sum(kosten) as kosten,
               sum(resultaat) as resultaat, sum(geherinvesteerd) as geherinvesteerd,
               sum(deelnemers) as deelnemers, sum(vrijwilligers) as vrijwilligers,
               sum(vrijwilligersuren) as vrijwilligersuren,
               sum(eigen_verdiend) / nullif(sum(omzet), 0) as verdienvermogen,
               count(distinct enterprise_id) as ondernemingen,
               {_contributor_counts()}
        from contributions
        group by grouping sets ((gemeente_code, year), (year))
        """,
        viewer.sql(),
    ).df()
    national = frame["landelijk"].astype(bool)
    if gemeente is None:
        chosen = suppress(frame[national])
    else:
        per_gemeente = suppress(frame[~national], partition=("year",))
        chosen = per_gemeente[per_gemeente["gemeente_code"] == gemeente]
    return (
        chosen.drop(columns=["gemeente_code", "landelijk"])
        .sort_values("year")
        .reset_index(drop=True)
    )


def _contributor_counts() -> str:
    """SQL select items: per group of figures, how many enterprises contributed
    (bijdragers_<group>) and how many of them the viewer may not see (verborgen_<group>); the
    rows carry booleans named after the group and ``zichtbaar``."""
    items = []
    for group in ("financien", "herinvesteringen", "activiteiten"):
        items.append(
            f"count(distinct enterprise_id) filter (where {group}) as bijdragers_{group}"
        )
        items.append(
            f"count(distinct enterprise_id) filter (where {group} and not zichtbaar)"
            f" as verborgen_{group}"
        )
    return ",\n               ".join(items)


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
        where f.enterprise_id = $id and {figures_sql("e")}
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
        where r.enterprise_id = $id and {figures_sql("e")}
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


def wijk_years(cur: Cursor, viewer: Viewer, gemeente: str | None = None) -> pd.DataFrame:
    """The wijk_year view with wijk names, for one gemeente (or all).

    Each group of enterprise figures of a wijk and year (finance in the home wijk,
    reinvestments where they went, activities where they were held) is withheld on its own
    count of contributors (access.suppress, with secondary suppression among the wijken of a
    gemeente in a year): empty, with ``onderdrukt_<group>`` and ``onderdrukt`` True. A group
    no enterprise contributed to is empty too (nothing to show, not 0).
    """
    frame = cur.execute(
        f"""
        with contributions as (
            select e.area_code, f.year, f.enterprise_id, 'financien' as groep
            from finance_year f join enterprise e using (enterprise_id)
            union
            select area_code, year, enterprise_id, 'herinvesteringen' from reinvestment
            union
            select coalesce(a.area_code, e.area_code), year(a.date), a.enterprise_id,
                   'activiteiten'
            from activity a join enterprise e using (enterprise_id)
        ),
        flagged as (
            select c.area_code, c.year, c.enterprise_id, {figures_sql("e")} as zichtbaar,
                   c.groep = 'financien' as financien,
                   c.groep = 'herinvesteringen' as herinvesteringen,
                   c.groep = 'activiteiten' as activiteiten
            from contributions c join enterprise e using (enterprise_id)
        ),
        counts as (
            select area_code, year, {_contributor_counts()}
            from flagged
            group by all
        )
        select wy.*, a.name as wijk_naam, a.gemeente_code, c.* exclude (area_code, year)
        from wijk_year wy
        join area a using (area_code)
        left join counts c using (area_code, year)
        where $gemeente is null or a.gemeente_code = $gemeente
        order by wy.area_code, wy.year
        """,
        {"gemeente": gemeente, **viewer.sql()},
    ).df()
    return suppress(frame, partition=("gemeente_code", "year"))


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
    """Every load, newest first (file names and counts, no figures; not used by pages)."""
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


# --- /kaart: the map explorer and the wijk profile ------------------------------------------

# Columns of the wijk_year view that the map can colour by (identifiers only from this list).
MAP_ENTERPRISE_COLUMNS = (
    "omzet",
    "eigen_verdiend",
    "gesubsidieerd",
    "resultaat",
    "geherinvesteerd",
    "geherinvesteerd_per_inwoner",
    "ondernemingen",
    "deelnemers",
    "vrijwilligers",
    "vrijwilligersuren",
)


def map_levels(cur: Cursor, gemeente: str | None = None) -> pd.DataFrame:
    """How many wijken and buurten with a map shape are loaded (in one gemeente, or all)."""
    return cur.execute(
        """
        select level, count(*) as areas
        from area
        where level in ('wijk', 'buurt') and geometry is not null
          and ($gemeente is null or gemeente_code = $gemeente)
        group by level
        order by level desc
        """,
        {"gemeente": gemeente},
    ).df()


def _has_column(cur: Cursor, table: str, column: str) -> bool:
    rows = cur.execute(
        "select count(*) from information_schema.columns where table_name = ? and column_name = ?",
        [table, column],
    ).fetchall()
    return rows[0][0] > 0


def map_shapes(
    cur: Cursor, level: str, gemeente: str | None = None, coarse: bool = False
) -> pd.DataFrame:
    """Code, name, parent, gemeente (code and name) and WKB geometry of the areas of a level.

    ``coarse`` takes the coarser display geometry for maps of the whole country, where the
    database has it (databases built before it existed fall back to the detailed one).
    """
    shape = (
        "coalesce(a.geometry_coarse, a.geometry)"
        if coarse and _has_column(cur, "area", "geometry_coarse")
        else "a.geometry"
    )
    return cur.execute(
        f"""
        select a.area_code, a.name, a.parent_code, a.gemeente_code,
               g.name as gemeente_naam, {shape} as geometry
        from area a
        left join area g on g.area_code = a.gemeente_code and g.level = 'gemeente'
        where a.level = $level and a.geometry is not null
          and ($gemeente is null or a.gemeente_code = $gemeente)
        order by a.area_code
        """,
        {"level": level, "gemeente": gemeente},
    ).df()


def map_indicators(cur: Cursor, level: str, gemeente: str | None = None) -> pd.DataFrame:
    """The indicators with values for areas of a level (in one gemeente): label, unit, source
    and the years with values, ascending."""
    return cur.execute(
        """
        select i.indicator, i.label_nl, i.label_en, i.unit, i.source, i.higher_is_better,
               list(distinct s.year order by s.year) as years
        from area_stat s
        join area a using (area_code)
        join indicator i using (indicator)
        where a.level = $level and s.value is not null
          and ($gemeente is null or a.gemeente_code = $gemeente)
        group by all
        order by i.source, i.label_nl
        """,
        {"level": level, "gemeente": gemeente},
    ).df()


def map_values(
    cur: Cursor, viewer: Viewer, metric: str, level: str, gemeente: str | None = None
) -> pd.DataFrame:
    """area_code, year, value of one map metric for the areas of a level, every year.

    A metric in MAP_ENTERPRISE_COLUMNS comes from wijk_years() (wijken only, years with
    enterprise figures in the selection), suppressed for this viewer where a wijk's figures
    would give away a private enterprise's (then value is empty and ``onderdrukt`` True); any
    other name is an indicator of area_stat.
    """
    if metric in MAP_ENTERPRISE_COLUMNS:
        years = cur.execute(
            """
            select distinct ey.year
            from enterprise_year ey
            join enterprise e using (enterprise_id)
            join area w on w.area_code = e.area_code
            where $gemeente is null or w.gemeente_code = $gemeente
            """,
            {"gemeente": gemeente},
        ).fetchall()
        frame = wijk_years(cur, viewer, gemeente)
        frame = frame[frame["year"].isin([y for (y,) in years])] if level == "wijk" else frame[:0]
        return pd.DataFrame(
            {
                "area_code": frame["area_code"].astype(object),
                "year": frame["year"],
                "value": frame[metric].astype("float64"),
                "onderdrukt": (
                    frame[flag_column(GROUP_OF[metric])].astype(bool)
                    if metric in GROUP_OF
                    else False
                ),
            }
        ).reset_index(drop=True)
    return cur.execute(
        """
        select s.area_code, s.year, s.value
        from area_stat s join area a using (area_code)
        where s.indicator = $indicator and a.level = $level
          and ($gemeente is null or a.gemeente_code = $gemeente)
        order by s.area_code, s.year
        """,
        {"indicator": metric, "level": level, "gemeente": gemeente},
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


def active_enterprises(cur: Cursor, viewer: Viewer, area_code: str) -> pd.DataFrame:
    """Enterprises based in a wijk or working there: what they offer, which volunteers they
    look for and how to reach them. The home wijk and the declared werkgebied (enterprise_area)
    are public; a wijk of reinvestments only where the viewer may see the enterprise's figures
    (as area_reinvestments shows them), of activities only where it may see its detail: else
    the list would tell where a private enterprise works."""
    return cur.execute(
        f"""
        with links as (
            select enterprise_id, true as thuiswijk from enterprise where area_code = $code
            union all
            select enterprise_id, false from enterprise_area where area_code = $code
            union all
            select r.enterprise_id, false
            from reinvestment r join enterprise e using (enterprise_id)
            where r.area_code = $code and {figures_sql("e")}
            union all
            select enterprise_id, false from activity
            where area_code = $code and {detail_sql("enterprise_id")}
        ),
        linked as (
            select l.enterprise_id, bool_or(l.thuiswijk) as thuiswijk
            from links l join enterprise e using (enterprise_id)
            group by all
        )
        select e.enterprise_id, e.name, l.thuiswijk, w.name as thuiswijk_naam, e.description,
               e.volunteers_wanted, e.contact, e.website, e.address, e.postcode, e.city
        from linked l
        join enterprise e using (enterprise_id)
        left join area w on w.area_code = e.area_code
        order by l.thuiswijk desc, e.name
        """,
        {"code": area_code, **viewer.sql()},
    ).df()


def area_reinvestments(cur: Cursor, viewer: Viewer, area_code: str) -> pd.DataFrame:
    """What enterprises reinvested in one wijk: year, enterprise, project, theme and amount.
    Projects only of enterprises whose detail the viewer may see; of the other enterprises
    whose figures are public, the sum per year and theme (project empty)."""
    return cur.execute(
        f"""
        select r.year, e.name as onderneming,
               case when {detail_sql("r.enterprise_id")} then r.project end as project,
               coalesce(r.theme, 'Overig') as thema, sum(r.amount) as amount
        from reinvestment r join enterprise e using (enterprise_id)
        where r.area_code = $code and {figures_sql("e")}
        group by all
        order by r.year desc, amount desc
        """,
        {"code": area_code, **viewer.sql()},
    ).df()


# --- who may see what: the users an administrator loaded (python -m etl users) ---------------


def app_user(cur: Cursor, email: str) -> pd.DataFrame:
    """The row of one e-mail address in app_user (zero rows when unknown, or when the database
    has no user list yet): email, role, enterprise_id, portfolio (list of enterprise ids)."""
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'app_user'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=["email", "role", "enterprise_id", "portfolio"])
    return cur.execute(
        """
        select u.email, u.role, u.enterprise_id,
               list(m.enterprise_id order by m.enterprise_id)
                   filter (where m.enterprise_id is not null) as portfolio
        from app_user u
        left join portfolio_member m on m.email = u.email
        where u.email = lower(trim($email))
        group by all
        """,
        {"email": email},
    ).df()


def saved_portfolios(cur: Cursor, viewer: Viewer) -> pd.DataFrame:
    """The saved portfolios this viewer may see: a financier its own, a beheerder everyone's,
    anyone else none (Viewer.owner is None). Columns owner, name, enterprise_ids (sorted);
    the viewer's own first, then by name."""
    exists = cur.execute(
        "select count(*) from information_schema.tables where table_name = 'saved_portfolio'"
    ).fetchall()[0][0]
    if not exists:
        return pd.DataFrame(columns=["owner", "name", "enterprise_ids"])
    return cur.execute(
        """
        select owner, name, list(enterprise_id order by enterprise_id) as enterprise_ids
        from saved_portfolio
        where ($alle or owner = $owner) and $owner is not null
        group by owner, name
        order by owner is distinct from $owner, lower(name), owner
        """,
        {"alle": viewer.sees_all, "owner": viewer.owner},
    ).df()


def not_visible(cur: Cursor, viewer: Viewer, enterprise_ids: list[str]) -> list[str]:
    """The ids among ``enterprise_ids`` that are no enterprise whose figures ``viewer`` may see
    (unknown ids included): a saved portfolio holds only what its owner may see."""
    visible = cur.execute(
        f"""
        select e.enterprise_id from enterprise e
        where list_contains($ids::varchar[], e.enterprise_id) and {figures_sql("e")}
        """,
        {"ids": list(enterprise_ids), **viewer.sql()},
    ).fetchall()
    return sorted(set(enterprise_ids) - {r[0] for r in visible})
