"""Read CBS gemeente, wijk and buurt maps (GeoPackage, GeoJSON, TopoJSON) and load them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from etl import geometry, statline
from etl.errors import InputError, Problem
from etl.loadresult import LoadResult
from etl.stats import store_stats, transaction

AREA_COLUMNS = [
    "area_code",
    "level",
    "name",
    "parent_code",
    "gemeente_code",
    "land_area_ha",
    "centroid_lon",
    "centroid_lat",
    "geometry",
    "geometry_coarse",
]
LEVELS = ("gemeente", "wijk", "buurt")
LEVEL_OF_LAYER = {"gemeenten": "gemeente", "wijken": "wijk", "buurten": "buurt"}
# Column names (after statline.normalise) per level: CBS/PDOK, and the old shapefile names.
CODE_COLUMNS = {
    "buurt": ("buurtcode", "bucode"),
    "wijk": ("wijkcode", "wkcode"),
    "gemeente": ("gemeentecode", "gmcode"),
}
NAME_COLUMNS = {
    "buurt": ("buurtnaam", "bunaam"),
    "wijk": ("wijknaam", "wknaam"),
    "gemeente": ("gemeentenaam", "gmnaam"),
}
# Simplification tolerance (Visvalingam-Whyatt, metres in RD New) and widest gap closed.
TOLERANCE_M = {"gemeente": 50.0, "wijk": 25.0, "buurt": 10.0}
# The coarse geometry for maps of the whole country, where a pixel is about 530 m (the
# Netherlands, 330 km, in a 620-pixel map): 800 m is a pixel and a half. All 3,455 wijken in
# about 0.6 MB of GeoJSON instead of 3.3 MB (300 m: 1.23 MB, 500 m: 1.03 MB; see
# wijkimpact.kaart.settings and BENCHMARKS.md).
COARSE_TOLERANCE_M = {"gemeente": 800.0, "wijk": 800.0, "buurt": 100.0}
MAX_PROBLEMS = 20


@dataclass
class AreaFile:
    """The areas of one map file, ready to load."""

    areas: pd.DataFrame  # exactly the columns of table `area`; geometries = WKB in EPSG:4326
    stats: pd.DataFrame  # area_code, year, indicator, value: the file's numeric attributes
    year: int | None  # year of those figures, when known
    indicators: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows for `indicator`
    source: str = ""  # file name
    notes: list[str] = field(default_factory=list)


@dataclass
class _Layer:
    frame: pd.DataFrame  # area columns (geometry: repaired, RD New) without centroid
    stats: pd.DataFrame
    labels: dict[str, str]


def read_areas(
    path: Path,
    gemeenten: Sequence[str] | None = None,
    year: int | None = None,
    tolerance: Mapping[str, float] | None = None,
) -> AreaFile:
    """Read the areas of a CBS/PDOK map file, optionally only those of some gemeenten.

    GeoPackage layers ``gemeenten``, ``wijken`` and ``buurten`` (whichever exist), GeoJSON
    and TopoJSON (level from ``buurtcode``/``wijkcode``/``gemeentecode`` or ``statcode``).
    Geometry is repaired, simplified per level as one coverage in RD New (neighbours keep
    sharing their borders), and stored as WGS84 WKB, once for maps of one gemeente and once,
    coarser, for maps of the whole country (``geometry_coarse``). Numeric attributes become
    ``stats`` of ``year`` (else a ``jaar`` attribute, else a year in the file name). Raises
    InputError.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise InputError(f"bestand niet gevonden: {path}", file=name)
    tolerances = {**TOLERANCE_M, **(tolerance or {})}
    notes: list[str] = []
    layers = [
        _read_layer(path, name, layer, level, year, notes) for layer, level in _layers(path, name)
    ]
    frame = pd.concat([layer.frame for layer in layers], ignore_index=True)
    _check_duplicates(frame, name)
    wanted = _wanted_gemeenten(frame, gemeenten, name)

    frame = _finish_geometry(frame, tolerances)
    stats = pd.concat([layer.stats for layer in layers], ignore_index=True)
    if wanted is not None:
        frame = frame[frame["gemeente_code"].isin(wanted)].reset_index(drop=True)
        stats = stats[stats["area_code"].isin(frame["area_code"])].reset_index(drop=True)
    labels = {k: v for layer in layers for k, v in layer.labels.items()}
    indicators = statline.indicator_rows(stats["indicator"].unique(), labels, name)
    years = stats["year"].dropna().unique()
    file_year = year or (int(years[0]) if len(years) == 1 else statline.year_from_name(name))
    missing = int(frame["geometry"].isna().sum())
    if missing:
        notes.append(f"{missing} gebied(en) zonder (bruikbare) geometrie geladen zonder kaartvlak")
    return AreaFile(frame[AREA_COLUMNS], stats, file_year, indicators, name, notes)


def load_areas(con: duckdb.DuckDBPyConnection, area_file: AreaFile) -> LoadResult:
    """Insert or replace the areas and their figures; reloading the same file changes nothing.

    An area counts as replaced when its row or any of its figures changed. Figures of an
    unknown year are not loaded (a note says to pass ``--year``).
    """
    stats, notes = area_file.stats, list(area_file.notes)
    if not stats.empty and stats["year"].isna().any():
        notes.append(
            "cijfers in dit bestand niet geladen: hun jaar is onbekend (geen kolom jaar en geen "
            "jaartal in de bestandsnaam); geef het jaar op met --year om ze te laden"
        )
        stats = stats.iloc[0:0]
    areas = area_file.areas
    ensure_coarse_column(con)
    with transaction(con):
        added, replaced = _store_areas(con, areas)
        counts = store_stats(con, stats, area_file.indicators)
    replaced |= counts.changed_codes - added
    if not stats.empty:
        notes.append(
            f"{len(stats)} kerncijfers ({area_file.year}): {counts.added} nieuw, "
            f"{counts.replaced} vervangen, {counts.unchanged} ongewijzigd"
        )
    return LoadResult(
        rows=len(areas),
        added=len(added),
        replaced=len(replaced),
        unchanged=len(areas) - len(added) - len(replaced),
        notes=notes,
    )


def ensure_coarse_column(con: duckdb.DuckDBPyConnection) -> None:
    """Give a database made before ``area.geometry_coarse`` existed that column (left NULL)."""
    con.execute("alter table area add column if not exists geometry_coarse blob")


def _store_areas(con: duckdb.DuckDBPyConnection, areas: pd.DataFrame) -> tuple[set, set]:
    """Upsert rows of table `area`; return the codes added and the codes replaced."""
    if areas.empty:
        return set(), set()
    differs = " or ".join(f"n.{c} is distinct from o.{c}" for c in AREA_COLUMNS[1:])
    con.register("incoming_area", areas)
    try:
        con.execute(
            f"""
            create or replace temp table area_change as
            select n.*, o.area_code is null as is_new
            from (
                select cast(area_code as varchar) as area_code, cast(level as varchar) as level,
                       cast(name as varchar) as name, cast(parent_code as varchar) as parent_code,
                       cast(gemeente_code as varchar) as gemeente_code,
                       cast(land_area_ha as double) as land_area_ha,
                       cast(centroid_lon as double) as centroid_lon,
                       cast(centroid_lat as double) as centroid_lat,
                       cast(geometry as blob) as geometry,
                       cast(geometry_coarse as blob) as geometry_coarse
                from incoming_area
            ) n
            left join area o on o.area_code = n.area_code
            where o.area_code is null or {differs}
            """
        )
        changes = con.execute("select area_code, is_new from area_change").fetchall()
        columns = ", ".join(AREA_COLUMNS)
        con.execute(f"insert or replace into area ({columns}) select {columns} from area_change")
        con.execute("drop table area_change")
    finally:
        con.unregister("incoming_area")
    added = {code for code, new in changes if new}
    return added, {code for code, new in changes if not new}


def _layers(path: Path, name: str) -> list[tuple[str, str | None]]:
    """The layers to read, each with its level when the layer name tells it."""
    try:
        info = pyogrio.list_layers(path)
    except Exception as exc:  # GDAL says why in many ways; all mean "not a map file"
        raise InputError(
            "geen leesbaar kaartbestand (verwacht GeoPackage, GeoJSON of TopoJSON): "
            f"{_reason(exc)}",
            file=name,
        ) from exc
    names = [str(n) for n in info[:, 0]]
    known = sorted(
        (n for n in names if n.lower() in LEVEL_OF_LAYER),
        key=lambda n: LEVELS.index(LEVEL_OF_LAYER[n.lower()]),
    )
    with open(path, "rb") as fh:
        geopackage = fh.read(16) == b"SQLite format 3\x00" or path.suffix.lower() == ".gpkg"
    if geopackage and not known:
        raise InputError(
            "GeoPackage zonder laag gemeenten, wijken of buurten "
            f"(lagen in het bestand: {', '.join(names) or 'geen'})",
            file=name,
        )
    if known:
        return [(n, LEVEL_OF_LAYER[n.lower()]) for n in known]
    return [(n, None) for n in names]


def _reason(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__


def _read_layer(
    path: Path, name: str, layer: str, level: str | None, year: int | None, notes: list[str]
) -> _Layer:
    where = f"laag {layer}: " if path.suffix.lower() == ".gpkg" or level else ""
    try:
        table = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise InputError(f"{where}niet te lezen: {_reason(exc)}", file=name) from exc
    if "geometry" not in table.columns or table["geometry"].isna().all():
        raise InputError(f"{where}geen kaartvlakken (geometrie) gevonden", file=name)
    geoms = np.asarray(table["geometry"].array, dtype=object)
    crs = getattr(table, "crs", None)
    crs = CRS(crs) if crs is not None else geometry.WGS84  # GeoJSON/TopoJSON without CRS
    if crs.is_geographic and geometry.looks_like_rd(geoms):
        notes.append(f"{where}coördinaten zijn RD New (EPSG:28992) zonder opgegeven CRS")
        crs = geometry.RD_NEW
    table = table.drop(columns="geometry")
    table = pd.DataFrame(table)
    columns = {statline.normalise(c): c for c in reversed(table.columns)}

    level, code_column = _code_column(columns, level, name, where)
    codes = statline.clean_codes(table[code_column])
    levels = statline.level_of(codes) if level is None else pd.Series(level, index=codes.index)
    _check_codes(codes, levels, name, where, code_column)
    keep = _drop_water_twins(table, codes, columns, notes, where)
    table, codes, levels, geoms = table[keep], codes[keep], levels[keep], geoms[keep.to_numpy()]

    frame = pd.DataFrame({"area_code": codes, "level": levels})
    frame["name"] = _names(table, columns, levels)
    gemeente = statline.gemeente_of(codes)
    if "gemeentecode" in columns or "gmcode" in columns:
        given = statline.clean_codes(table[columns.get("gemeentecode") or columns["gmcode"]])
        gemeente = given.where(given.fillna("").str.fullmatch(r"GM\d{4}"), gemeente)
    frame["gemeente_code"] = gemeente.where(levels != "gemeente", codes)
    wijk = "WK" + codes.str[2:8]
    if "wijkcode" in columns or "wkcode" in columns:
        given = statline.clean_codes(table[columns.get("wijkcode") or columns["wkcode"]])
        wijk = given.where(given.fillna("").str.fullmatch(r"WK\d{4}[0-9A-Z]{2}"), wijk)
    parent = pd.Series(None, index=codes.index, dtype="str")
    parent = parent.mask(levels == "wijk", frame["gemeente_code"]).mask(levels == "buurt", wijk)
    frame["parent_code"] = parent

    repaired = geometry.reproject(geometry.repair(geoms), crs, geometry.RD_NEW)
    frame["geometry"] = repaired
    value_columns = [
        c
        for c in table.columns
        if statline.normalise(statline.stem(c)) not in statline.META_STEMS
        and pd.api.types.is_numeric_dtype(table[c])
        and not pd.api.types.is_bool_dtype(table[c])
    ]
    mapping, map_notes = statline.map_columns(value_columns)
    notes += [where + n for n in map_notes]
    values = table[list(mapping)].assign(area_code=codes)
    land = next((c for c, ind in mapping.items() if ind == "oppervlakte_land_ha"), None)
    measured = shapely.area(repaired) / 10_000
    given_land = (
        statline.clean_values(table[[land]])[land] if land else pd.Series(np.nan, index=codes.index)
    )
    frame["land_area_ha"] = given_land.fillna(pd.Series(measured, index=codes.index))
    stats = statline.to_long(values, mapping, _years(table, columns, year, name))
    labels = {ind: col for col, ind in mapping.items()}
    return _Layer(frame.reset_index(drop=True), stats, labels)


def _code_column(
    columns: dict[str, str], level: str | None, name: str, where: str
) -> tuple[str | None, str]:
    """The level and code column of a layer; level None = per row from the code (statcode)."""
    for candidate in [level] if level else ["buurt", "wijk", "gemeente"]:
        for key in CODE_COLUMNS[candidate]:
            if key in columns:
                return candidate, columns[key]
    if "statcode" in columns:
        return level, columns["statcode"]
    raise InputError(
        f"{where}geen kolom met gebiedscodes gevonden; verwacht buurtcode, wijkcode, "
        f"gemeentecode of statcode (kolommen in het bestand: {', '.join(columns.values())})",
        file=name,
    )


def _check_codes(codes, levels, name: str, where: str, column: str) -> None:
    ok = statline.valid_codes(codes) & statline.level_of(codes.fillna("")).eq(levels)
    if ok.all():
        return
    problems = [
        Problem(
            name,
            None,
            int(i) + 1,
            column,
            codes[i],
            f"{where}gebiedscode ontbreekt"
            if pd.isna(codes[i])
            else f"{where}geen geldige CBS-code voor een "
            f"{levels[i] if isinstance(levels[i], str) else 'gebied'} "
            "(verwacht GM0202, WK020201 of BU02020101)",
        )
        for i in codes.index[~ok][:MAX_PROBLEMS]
    ]
    raise InputError(problems)


def _drop_water_twins(table, codes, columns, notes, where) -> pd.Series:
    """CBS files may hold a separate water part of an area under the same code: keep land."""
    keep = pd.Series(True, index=codes.index)
    if "water" not in columns:
        return keep
    water = table[columns["water"]].astype("str").str.strip().str.upper().eq("JA")
    twin = water & codes.isin(set(codes[~water])) & codes.duplicated(keep=False)
    if twin.any():
        notes.append(f"{where}{int(twin.sum())} waterdeel/-delen naast het landdeel overgeslagen")
    return ~twin


def _names(table: pd.DataFrame, columns: dict[str, str], levels: pd.Series) -> pd.Series:
    names = pd.Series(None, index=table.index, dtype="str")
    for level in LEVELS:
        key = next((k for k in NAME_COLUMNS[level] if k in columns), None)
        if key is not None:
            names = names.mask(levels.eq(level), table[columns[key]].astype("str"))
    for key in ("statnaam", "naam"):
        if key in columns:
            names = names.fillna(table[columns[key]].astype("str"))
    return names.str.strip().replace("", None)


def _years(table: pd.DataFrame, columns: dict[str, str], year: int | None, name: str):
    if year is not None:
        return year
    for key in ("jaar", "year"):
        if key in columns:
            found = pd.to_numeric(table[columns[key]], errors="coerce")
            if found.between(1900, 2100).all():
                return found.astype("Int64")
    if "jrstatcode" in columns:
        found = pd.to_numeric(table[columns["jrstatcode"]].astype("str").str[:4], errors="coerce")
        if found.between(1900, 2100).all():
            return found.astype("Int64")
    return statline.year_from_name(name)


def _check_duplicates(frame: pd.DataFrame, name: str) -> None:
    dup = frame["area_code"].duplicated(keep="first")
    if dup.any():
        raise InputError(
            [
                Problem(name, None, None, "area_code", code, "gebiedscode komt meer dan eens voor")
                for code in frame.loc[dup, "area_code"].unique()[:MAX_PROBLEMS]
            ]
        )


def _wanted_gemeenten(frame: pd.DataFrame, gemeenten, name: str) -> list[str] | None:
    if not gemeenten:
        return None
    wanted = statline.normalise_gemeenten(gemeenten)
    present = set(frame["gemeente_code"])
    unknown = [code for code in wanted if code not in present]
    if unknown:
        examples = ", ".join(sorted(present)[:5])
        raise InputError(
            Problem(
                name,
                None,
                None,
                None,
                ", ".join(unknown),
                f"gemeentecode(s) niet in het bestand: {', '.join(unknown)} "
                f"(het bestand heeft {len(present)} gemeente(n), bijvoorbeeld {examples})",
            )
        )
    return wanted


def _finish_geometry(frame: pd.DataFrame, tolerances: Mapping[str, float]) -> pd.DataFrame:
    """Simplify each level as one coverage, then WGS84 WKB, representative point, rounded.

    The coarse geometry is simplified further from the detailed one (already a coverage, so
    neighbours keep sharing borders) and rounded to fewer decimals.
    """
    frame = frame.copy()
    rd = np.asarray(frame["geometry"].to_numpy(), dtype=object)
    simplified = rd.copy()
    coarse = rd.copy()
    for level in LEVELS:
        at = (frame["level"] == level).to_numpy()
        if at.any():
            tol = tolerances[level]
            simplified[at] = geometry.simplify_coverage(rd[at], tol, gap_width=tol)
            coarse_tol = max(COARSE_TOLERANCE_M[level], tol)
            coarse[at] = geometry.simplify_further(simplified[at], coarse_tol)
    wgs = geometry.round_coordinates(
        geometry.reproject(simplified, geometry.RD_NEW, geometry.WGS84)
    )
    coarse_wgs = geometry.round_coordinates(
        geometry.reproject(coarse, geometry.RD_NEW, geometry.WGS84), geometry.COARSE_DECIMALS
    )
    points = geometry.reproject(shapely.point_on_surface(rd), geometry.RD_NEW, geometry.WGS84)
    frame["centroid_lon"] = np.round(shapely.get_x(points), 6)
    frame["centroid_lat"] = np.round(shapely.get_y(points), 6)
    frame["geometry"] = geometry.to_wkb(wgs)
    frame["geometry_coarse"] = geometry.to_wkb(coarse_wgs)
    return frame
