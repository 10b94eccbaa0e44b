-- Metric views: every metric is defined here once and explained on /methode.

-- Income and costs per enterprise and year, from monthly or annual rows alike.
create view finance_year as
with joined as (
    select f.enterprise_id, f.year, f.amount, c.kind, c.income_type
    from finance f
    join finance_category c using (category)
)
select
    enterprise_id,
    year,
    sum(amount) filter (where kind = 'inkomsten')                as omzet,
    sum(amount) filter (where income_type = 'verdiend')          as eigen_verdiend,
    sum(amount) filter (where income_type = 'gesubsidieerd')     as gesubsidieerd,
    sum(amount) filter (where kind = 'kosten')                   as kosten
from joined
group by all;

create view reinvestment_year as
select enterprise_id, year, sum(amount) as geherinvesteerd
from reinvestment
group by all;

create view activity_year as
select
    enterprise_id,
    year(date)                 as year,
    count(*)                   as activiteiten,
    sum(participants)          as deelnemers,
    sum(volunteers)            as vrijwilligers,
    sum(volunteer_hours)       as vrijwilligersuren
from activity
group by all;

-- One row per enterprise and year in which it reported anything.
create view enterprise_year as
with years as (
    select enterprise_id, year from finance_year
    union
    select enterprise_id, year from reinvestment_year
    union
    select enterprise_id, year from activity_year
)
select
    y.enterprise_id,
    y.year,
    coalesce(f.omzet, 0)                                   as omzet,
    coalesce(f.eigen_verdiend, 0)                          as eigen_verdiend,
    coalesce(f.gesubsidieerd, 0)                           as gesubsidieerd,
    coalesce(f.kosten, 0)                                  as kosten,
    coalesce(f.omzet, 0) - coalesce(f.kosten, 0)           as resultaat,
    f.eigen_verdiend / nullif(f.omzet, 0)                  as verdienvermogen,
    coalesce(r.geherinvesteerd, 0)                         as geherinvesteerd,
    coalesce(a.deelnemers, 0)                              as deelnemers,
    coalesce(a.vrijwilligers, 0)                           as vrijwilligers,
    coalesce(a.vrijwilligersuren, 0)                       as vrijwilligersuren
from years y
left join finance_year f using (enterprise_id, year)
left join reinvestment_year r using (enterprise_id, year)
left join activity_year a using (enterprise_id, year)
order by y.enterprise_id, y.year;

-- Per wijk and year. Each figure counts in the wijk where it happened: finances in the
-- enterprise's home wijk, reinvestments in the wijk they went to, activities where they were
-- held (the home wijk when the activity has none).
create view wijk_year as
with wijk as (
    select area_code from area where level = 'wijk'
),
finances as (
    select e.area_code, f.year,
           sum(f.omzet) as omzet, sum(f.eigen_verdiend) as eigen_verdiend,
           sum(f.gesubsidieerd) as gesubsidieerd, sum(f.kosten) as kosten,
           count(distinct f.enterprise_id) as ondernemingen
    from finance_year f join enterprise e using (enterprise_id)
    group by all
),
reinvested as (
    select area_code, year, sum(amount) as geherinvesteerd
    from reinvestment group by all
),
activities as (
    select coalesce(a.area_code, e.area_code) as area_code, year(a.date) as year,
           sum(a.participants) as deelnemers, sum(a.volunteers) as vrijwilligers,
           sum(a.volunteer_hours) as vrijwilligersuren
    from activity a join enterprise e using (enterprise_id)
    group by all
),
stats as (
    select area_code, year,
           max(value) filter (where indicator = 'inwoners') as inwoners
    from area_stat
    group by all
),
lbm as (
    select area_code, year, value as lbm from area_stat where indicator = 'lbm'
),
keys as (
    select area_code, year from finances
    union select area_code, year from reinvested
    union select area_code, year from activities
    union select area_code, year from stats where inwoners is not null
)
select
    k.area_code,
    k.year,
    coalesce(f.ondernemingen, 0)                              as ondernemingen,
    coalesce(f.omzet, 0)                                      as omzet,
    coalesce(f.eigen_verdiend, 0)                             as eigen_verdiend,
    coalesce(f.gesubsidieerd, 0)                              as gesubsidieerd,
    coalesce(f.kosten, 0)                                     as kosten,
    coalesce(f.omzet, 0) - coalesce(f.kosten, 0)              as resultaat,
    f.eigen_verdiend / nullif(f.omzet, 0)                     as verdienvermogen,
    coalesce(r.geherinvesteerd, 0)                            as geherinvesteerd,
    coalesce(a.deelnemers, 0)                                 as deelnemers,
    coalesce(a.vrijwilligers, 0)                              as vrijwilligers,
    coalesce(a.vrijwilligersuren, 0)                          as vrijwilligersuren,
    s.inwoners,
    coalesce(r.geherinvesteerd, 0) / nullif(s.inwoners, 0)   as geherinvesteerd_per_inwoner,
    l.lbm,
    l.year                                                    as lbm_editie
from keys k
join wijk w using (area_code)
left join finances f using (area_code, year)
left join reinvested r using (area_code, year)
left join activities a using (area_code, year)
left join stats s using (area_code, year)
-- the latest Leefbaarometer edition up to that year (editions are biennial)
asof left join lbm l on l.area_code = k.area_code and k.year >= l.year
order by k.area_code, k.year;

-- The months each enterprise's year holds: the months of its monthly finance rows (all twelve
-- with an annual row); without finance rows, the months of its activities. A year is complete
-- when it holds all twelve; also a year of reinvestments only (they are annual), and a year of
-- activities only once the enterprise reported a later year. The finance months alone are kept
-- too (maanden_financien, annual rows not counted): a partial year compares with the same
-- months of the year before only where those were reported month by month.
create view enterprise_period as
with fin as (
    select enterprise_id, year, bool_or(month is null) as jaarcijfers,
           coalesce(list(distinct month order by month) filter (where month is not null),
                    []::integer[])                                 as maanden_financien
    from finance
    group by all
),
act as (
    select enterprise_id, year(date)::integer as year,
           list(distinct month(date)::integer order by month(date)::integer) as maanden
    from activity
    group by all
),
held as (
    select ey.enterprise_id, ey.year::integer as year,
           f.enterprise_id is not null                             as financien,
           coalesce(f.jaarcijfers, false)                          as jaarcijfers,
           coalesce(f.maanden_financien, []::integer[])            as maanden_financien,
           case when f.jaarcijfers then [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
                when f.enterprise_id is not null then f.maanden_financien
                else a.maanden end                                 as maanden,
           max(ey.year) over (partition by ey.enterprise_id)       as laatste_jaar
    from enterprise_year ey
    left join fin f on f.enterprise_id = ey.enterprise_id and f.year = ey.year
    left join act a on a.enterprise_id = ey.enterprise_id and a.year = ey.year
)
select enterprise_id, year, financien, jaarcijfers, maanden_financien,
       coalesce(maanden, []::integer[])                            as maanden,
       len(maanden) = 12
         or maanden is null
         or (not financien and year < laatste_jaar)                as compleet
from held;

-- Per year: complete when every enterprise's year in it is; the months any enterprise holds.
create view year_period as
select year,
       bool_and(compleet)                                          as compleet,
       count(*)                                                    as ondernemingen,
       count(*) filter (where not compleet)                        as onvolledig,
       list_sort(list_distinct(flatten(list(maanden))))            as maanden
from enterprise_period
group by year;

-- Per enterprise, year and month: the figures of monthly finance rows and of activities (for
-- comparing a partial year with the same months of the year before).
create view enterprise_month as
with fin as (
    select f.enterprise_id, f.year, f.month,
           sum(f.amount) filter (where c.kind = 'inkomsten')            as omzet,
           sum(f.amount) filter (where c.income_type = 'verdiend')      as eigen_verdiend,
           sum(f.amount) filter (where c.income_type = 'gesubsidieerd') as gesubsidieerd,
           sum(f.amount) filter (where c.kind = 'kosten')               as kosten
    from finance f join finance_category c using (category)
    where f.month is not null
    group by all
),
act as (
    select enterprise_id, year(date)::integer as year, month(date)::integer as month,
           sum(participants) as deelnemers, sum(volunteers) as vrijwilligers,
           sum(volunteer_hours) as vrijwilligersuren
    from activity
    group by all
)
select coalesce(f.enterprise_id, a.enterprise_id)                  as enterprise_id,
       coalesce(f.year, a.year)                                    as year,
       coalesce(f.month, a.month)                                  as month,
       f.enterprise_id is not null                                 as financien,
       a.enterprise_id is not null                                 as activiteiten,
       f.omzet, f.eigen_verdiend, f.gesubsidieerd, f.kosten,
       a.deelnemers, a.vrijwilligers, a.vrijwilligersuren
from fin f
full outer join act a
  on a.enterprise_id = f.enterprise_id and a.year = f.year and a.month = f.month;
