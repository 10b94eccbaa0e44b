"""/kaart: the levels, shapes and values the map colours by, and the enterprises and
reinvestments of one wijk for its profile."""

from __future__ import annotations

import pandas as pd

from wijkimpact.data.access import GROUP_OF, Viewer, detail_sql, figures_sql, flag_column
from wijkimpact.data.db import Cursor
from wijkimpact.data.queries.totals import wijk_years

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
    """Code, name, parent, gemeente (code and name), centre and WKB geometry of the areas of a
    level.

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
               g.name as gemeente_naam, a.centroid_lat, a.centroid_lon, {shape} as geometry
        from area a
        left join area g on g.area_code = a.gemeente_code and g.level = 'gemeente'
        where a.level = $level and a.geometry is not null
          and ($gemeente is null or a.gemeente_code = $gemeente)
        order by a.area_code
        """,
        {"level": level, "gemeente": gemeente},
    ).df()


def map_gaps(cur: Cursor, level: str) -> pd.DataFrame:
    """The loaded gemeenten without any area of ``level`` with a shape: the holes of a map of
    all gemeenten (area_code, name), by name."""
    return cur.execute(
        """
        select g.area_code, coalesce(g.name, g.area_code) as name
        from area g
        where g.level = 'gemeente'
          and not exists (
              select 1 from area a
              where a.level = $level and a.gemeente_code = g.area_code
                and a.geometry is not null
          )
        order by name
        """,
        {"level": level},
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

    A metric in MAP_ENTERPRISE_COLUMNS is that column of enterprise_map_values() (suppressed
    for this viewer where a wijk's figures would give away a private enterprise's: then value
    is empty and ``onderdrukt`` True); any other name is an indicator of area_stat.
    """
    if metric in MAP_ENTERPRISE_COLUMNS:
        return metric_values(enterprise_map_values(cur, viewer, level, gemeente), metric)
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


def enterprise_map_values(
    cur: Cursor, viewer: Viewer, level: str, gemeente: str | None = None
) -> pd.DataFrame:
    """Every enterprise metric of the map at once (the MAP_ENTERPRISE_COLUMNS and the
    ``onderdrukt_<group>`` flags of wijk_years(), suppressed for this viewer), per wijk and
    year with enterprise figures in the selection; no rows for a level other than wijk. One
    query for all of them: the map that changes metric takes its column (metric_values())."""
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
    flags = [flag_column(group) for group in dict.fromkeys(GROUP_OF.values())]
    return frame[["area_code", "year", *MAP_ENTERPRISE_COLUMNS, *flags]].reset_index(drop=True)


def metric_values(values: pd.DataFrame, metric: str) -> pd.DataFrame:
    """area_code, year, value and ``onderdrukt`` of one metric of enterprise_map_values()."""
    return pd.DataFrame(
        {
            "area_code": values["area_code"].astype(object),
            "year": values["year"],
            "value": values[metric].astype("float64"),
            "onderdrukt": (
                values[flag_column(GROUP_OF[metric])].astype(bool) if metric in GROUP_OF else False
            ),
        }
    )


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
            where r.area_code = $code and {figures_sql("e", "r.year")}
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
        where r.area_code = $code and {figures_sql("e", "r.year")}
        group by all
        order by r.year desc, amount desc
        """,
        {"code": area_code, **viewer.sql()},
    ).df()
