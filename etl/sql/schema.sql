-- Wijkimpact schema (DuckDB). Areas follow CBS codes exactly; geometry is WGS84 WKB.

create table area (
    area_code     varchar primary key,            -- GM0202, WK020201, BU02020101, WK0363AE
    level         varchar not null check (level in ('gemeente', 'wijk', 'buurt')),
    name          varchar,
    parent_code   varchar,                        -- wijk -> gemeente, buurt -> wijk
    gemeente_code varchar not null,
    land_area_ha  double,
    centroid_lon  double,
    centroid_lat  double,
    geometry      blob,                           -- WKB, EPSG:4326, simplified for display
    geometry_coarse blob                          -- coarser still, for maps of all of NL
);

create table indicator (
    indicator        varchar primary key,         -- inwoners, huishoudens, lbm, fys, ...
    label_nl         varchar not null,
    label_en         varchar not null,
    unit             varchar,                     -- aantal, euro, x 1.000 euro, %, score
    source           varchar not null,            -- CBS, Leefbaarometer 3.0 (BZK)
    higher_is_better boolean
);

create table area_stat (
    area_code varchar not null,
    year      integer not null,
    indicator varchar not null,
    value     double,
    primary key (area_code, year, indicator)
);

create table finance_category (
    category    varchar primary key,
    kind        varchar not null check (kind in ('inkomsten', 'kosten')),
    income_type varchar check (income_type in ('verdiend', 'gesubsidieerd')),
    label_nl    varchar not null,
    label_en    varchar not null,
    sort_order  integer not null
);

create table enterprise (
    enterprise_id       varchar primary key,
    name                varchar not null,
    legal_form          varchar,
    kvk                 varchar,
    founded             integer,
    area_code           varchar not null,          -- home wijk
    address             varchar,
    postcode            varchar,
    city                varchar,
    lat                 double,
    lon                 double,
    website             varchar,
    description         varchar,
    volunteers_wanted   varchar,                   -- zoekt_vrijwilligers
    contact             varchar,
    public              boolean not null default false,
    public_partial      boolean not null default false, -- publiek_deeljaar (partial years)
    werkgebied          varchar                    -- declared wijken: WK020201, WK020202
);

-- the home wijk and the werkgebied (public); not the wijken of reinvestments and activities
create table enterprise_area (
    enterprise_id varchar not null,
    area_code     varchar not null,
    primary key (enterprise_id, area_code)
);

create table finance (
    enterprise_id varchar not null,
    year          integer not null,
    month         integer check (month between 1 and 12),   -- null: annual figure
    category      varchar not null,
    amount        double not null,
    batch_id      integer
);

-- The koppeling (sheet grootboek): which finance category an enterprise's ledger account is,
-- for its auditfiles (etl/xaf); 'negeren' leaves an account out.
create table ledger_mapping (
    enterprise_id varchar not null,
    account       varchar not null,
    description   varchar,
    category      varchar not null,
    batch_id      integer
);

create table reinvestment (
    enterprise_id varchar not null,
    year          integer not null,
    area_code     varchar not null,
    project       varchar not null,
    theme         varchar,
    amount        double not null,
    batch_id      integer
);

create table activity (
    enterprise_id   varchar not null,
    date            date not null,
    activity        varchar not null,
    theme           varchar,
    area_code       varchar,
    participants    integer check (participants >= 0),
    volunteers      integer check (volunteers >= 0),
    volunteer_hours double check (volunteer_hours >= 0),
    batch_id        integer
);

create table property (
    enterprise_id varchar not null,
    name          varchar not null,
    area_code     varchar,
    m2            double,
    owned         boolean,
    occupancy_pct double,
    batch_id      integer,
    primary key (enterprise_id, name)
);

-- The schema's version: a fingerprint of etl/sql/ (etl/schema.py), set when the database is
-- made. The app opens only a database of its own version; another one is made again from the
-- archive of inputs with python -m etl rebuild.
create table schema_version (version varchar not null);

create sequence load_batch start 1;

create table load_log (
    batch_id     integer primary key,
    source_file  varchar not null,
    checksum     varchar,                           -- sha256 of the file
    kind         varchar,                           -- areas, stats, ondernemingen, financien, ...
    rows         integer,
    added        integer,
    replaced     integer,
    loaded_by    varchar,
    loaded_at    timestamp not null,
    outcome      varchar not null,                  -- ok, unchanged, refused
    message      varchar,
    archive_file varchar                            -- in the archive: bestanden/ab/<sha256>
);

-- Who may see what (wijkimpact/access.py): the people who may log in, loaded by an
-- administrator with `python -m etl users FILE`, which replaces the whole list.
create table app_user (
    email         varchar primary key,              -- lower case, as the login gives it
    role          varchar not null
                  check (role in ('onderneming', 'financier', 'professional', 'beheerder')),
    enterprise_id varchar,                          -- role onderneming: which enterprise
    portfolio     varchar,                          -- role financier: the file's list, as given
    check ((role = 'onderneming') = (enterprise_id is not null)),
    check ((role = 'financier') = (portfolio is not null))
);

-- A financier's portfolio: the enterprises it funds, one row per user and enterprise.
create table portfolio_member (
    email         varchar not null,
    enterprise_id varchar not null,
    primary key (email, enterprise_id)
);

-- Saved portfolios (/financiers): a funder's or beheerder's named selections of enterprises,
-- one row per owner, name and enterprise. Owner: the logged-in e-mail address, or in demo mode
-- a fixed demo identity (wijkimpact.access.Viewer.owner). Seen only by the owner and beheerders
-- (wijkimpact.queries.saved_portfolios), written by etl.saved_portfolios.
create table saved_portfolio (
    owner         varchar not null,
    name          varchar not null,
    enterprise_id varchar not null,
    saved_at      timestamp not null,
    primary key (owner, name, enterprise_id)
);

-- CBS "Buurt, wijk en gemeente [jaar] voor postcode huisnummer", per postcode (PC6) and buurt:
-- where a postcode lies and how many house numbers it has there (python -m etl postcodes
-- FILE, etl/postcodes.py). The map's search finds a wijk by postcode in it.
create table postcode (
    pc6           varchar not null,                 -- 6811AB
    buurt_code    varchar not null,
    wijk_code     varchar not null,
    gemeente_code varchar not null,
    year          integer,                          -- the table's year (Buurt2023: 2023)
    addresses     integer not null,                 -- house numbers of the postcode there
    primary key (pc6, buurt_code)
);
