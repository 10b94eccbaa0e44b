"""Who contributed which figures to which total, counted straight from the base tables (not
through the app's queries), for the access tests: per wijk, gemeente and year and per group of
figures, the true sums and how many contributors a viewer may not see."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from wijkimpact.data.access import Viewer

# per group: the figures a total shows (as the queries name them) and the base-table sum
FIGURES = {
    "financien": ("omzet", "kosten"),
    "herinvesteringen": ("geherinvesteerd",),
    "activiteiten": ("deelnemers", "vrijwilligersuren"),
}

# Who contributed what, where, straight from the base tables: finances count in the home wijk,
# reinvestments where they went, activities where they were held (else the home wijk); the
# gemeente and national totals take an enterprise's figures in its home gemeente.
# An enterprise's figures of a year count as public (``public``) when it makes its figures
# public and the year is complete (an annual finance row or twelve months; no finance rows that
# year: complete) or it publishes partial years too (public_partial).
PUBLIC_YEAR = """(e.public and (e.public_partial or coalesce((
    select bool_or(h.month is null) or count(distinct h.month) = 12
    from finance h where h.enterprise_id = e.enterprise_id and h.year = {year}), true)))"""
CONTRIBUTIONS = """
with finance_sums as (
    select f.enterprise_id, f.year,
           sum(f.amount) filter (where c.kind = 'inkomsten') as omzet,
           sum(f.amount) filter (where c.kind = 'kosten') as kosten
    from finance f join finance_category c using (category)
    group by all
)
select 'financien' as groep, e.area_code as wijk, w.gemeente_code as gemeente, f.year,
       f.enterprise_id, {public_f} as public, f.omzet, f.kosten, null as geherinvesteerd,
       null as deelnemers, null as vrijwilligersuren
from finance_sums f join enterprise e using (enterprise_id)
left join area w on w.area_code = e.area_code
union all
select 'herinvesteringen', r.area_code, h.gemeente_code, r.year, r.enterprise_id, {public_r},
       null, null, r.amount, null, null
from reinvestment r join enterprise e using (enterprise_id)
left join area w on w.area_code = r.area_code
left join area h on h.area_code = e.area_code
union all
select 'activiteiten', coalesce(a.area_code, e.area_code), h.gemeente_code, year(a.date),
       a.enterprise_id, {public_a}, null, null, null, a.participants, a.volunteer_hours
from activity a join enterprise e using (enterprise_id)
left join area h on h.area_code = e.area_code
""".format(
    public_f=PUBLIC_YEAR.format(year="f.year"),
    public_r=PUBLIC_YEAR.format(year="r.year"),
    public_a=PUBLIC_YEAR.format(year="year(a.date)"),
)


def contributions(path) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(CONTRIBUTIONS).df()
    finally:
        con.close()


def cells(rows: pd.DataFrame, keys: list[str], viewer: Viewer) -> pd.DataFrame:
    """Per cell (keys, group): the true sums of its figures and how many of its contributing
    enterprises the viewer may not see."""
    visible = [
        viewer.figures(e, p) for e, p in zip(rows["enterprise_id"], rows["public"], strict=True)
    ]
    rows = rows.assign(hidden_id=rows["enterprise_id"].where(~np.array(visible, dtype=bool)))
    sums = {c: (c, "sum") for group in FIGURES.values() for c in group}
    return (
        rows.groupby([*keys, "groep"], dropna=False)
        .agg(**sums, verborgen=("hidden_id", "nunique"))
        .reset_index()
    )


def forbidden_totals(path, viewer: Viewer) -> list[tuple[str, float]]:
    """The true value of every total (wijk, gemeente and national, per year and group) that one
    or two enterprises the viewer may not see make: none of them may be shown."""
    rows = contributions(path)
    out = []
    for keys, frame in (
        (["wijk", "year"], rows),
        (["gemeente", "year"], rows),
        (["year"], rows),
    ):
        table = cells(frame, keys, viewer)
        table = table.assign(resultaat=table["omzet"] - table["kosten"])
        small = table[table["verborgen"].between(1, 2)]
        for record in small.to_dict("records"):
            where = " ".join(str(record[k]) for k in keys)
            columns = {
                "financien": ("omzet", "kosten", "resultaat"),
                "herinvesteringen": ("geherinvesteerd",),
            }.get(record["groep"], ())
            for column in columns:
                out.append((f"totaal {record['groep']} {column} {where}", record[column]))
    return out
