"""The ETL's units of work, each against an open (staged) database and logged in load_log."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.enterprise_files import read_enterprise_files
from etl.enterprise_load import database_context, load_parsed
from etl.loadlog import log_load, next_batch_id
from etl.loadresult import LoadResult
from etl.progress import Steps


def load_area_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    steps: Steps,
    gemeenten: Sequence[str] | None = None,
    year: int | None = None,
) -> LoadResult:
    """Read a CBS wijk- en buurtkaart file and load its areas and attributes."""
    from etl.areas import load_areas, read_areas  # geopandas: only when areas are loaded

    with steps.step(f"gebieden: {Path(path).name}") as info:
        area_file = read_areas(Path(path), gemeenten, year=year)
        result = load_areas(con, area_file)
        _log(con, path, "gebieden", result)
        info["result"] = _summary(result, "gebieden")
    return result


def load_stat_file(
    con: duckdb.DuckDBPyConnection, path: Path, steps: Steps, year: int | None = None
) -> LoadResult:
    """Read a CBS kerncijfers or Leefbaarometer file and load its figures."""
    from etl.stats import load_stats, read_stats

    with steps.step(f"cijfers: {Path(path).name}") as info:
        stat_file = read_stats(Path(path), year=year)
        result = load_stats(con, stat_file)
        _log(con, path, stat_file.kind, result)
        info["result"] = _summary(result, "waarden")
    return result


def load_postcode_file(
    con: duckdb.DuckDBPyConnection, path: Path, steps: Steps, year: int | None = None
) -> LoadResult:
    """Read CBS's table of postcodes and house numbers per buurt and load its postcodes."""
    from etl.postcodes import load_postcodes

    with steps.step(f"postcodes: {Path(path).name}") as info:
        result = load_postcodes(con, Path(path), year)
        _log(con, path, "postcodes", result)
        info["result"] = _summary(result, "adressen")
    return result


def load_enterprise_files(
    con: duckdb.DuckDBPyConnection, paths: Sequence[Path], steps: Steps
) -> list[LoadResult]:
    """Validate enterprise files as one batch, then load them (nothing if any has a problem)."""
    names = ", ".join(Path(p).name for p in paths)
    with steps.step(f"ondernemingsgegevens controleren: {names}") as info:
        parsed = read_enterprise_files([Path(p) for p in paths], database_context(con))
        rows = sum(len(s.data) for pf in parsed for s in pf.sheets)
        info["result"] = f"{rows} rijen in orde"
    with steps.step("ondernemingsgegevens laden") as info:
        results = load_parsed(con, parsed)
        info["result"] = "; ".join(
            f"{pf.file}: {r.added} nieuw, {r.replaced} vervangen, {r.unchanged} ongewijzigd"
            for pf, r in zip(parsed, results, strict=True)
        )
    return results


def write_template(con: duckdb.DuckDBPyConnection, out: Path, enterprise_id: str | None):
    """Write the Excel template to ``out``: for the enterprise ``enterprise_id`` when given
    (etl.template.owner_of), with the wijken of its gemeente in the dropdowns, else with every
    wijk loaded. Returns the owner (None for none); LookupError when the database does not
    know that enterprise."""
    from etl.template import build_template, owner_of

    owner = owner_of(con, enterprise_id) if enterprise_id else None
    if enterprise_id and owner is None:
        raise LookupError(enterprise_id)
    wijken = con.execute(
        """
        select area_code, name from area
        where level = 'wijk' and ($home is null or gemeente_code =
              (select gemeente_code from area where area_code = $home))
        order by area_code
        """,
        {"home": owner.wijken[0] if owner and owner.wijken else None},
    ).df()
    Path(out).write_bytes(build_template(wijken, owner))
    return owner


def _log(con: duckdb.DuckDBPyConnection, path: Path, kind: str, result: LoadResult) -> None:
    outcome = "ongewijzigd" if result.added + result.replaced == 0 else "geladen"
    log_load(
        con,
        batch_id=next_batch_id(con),
        source=Path(path),
        kind=kind,
        rows=result.rows,
        outcome=outcome,
        added=result.added,
        replaced=result.replaced,
        message="; ".join(result.notes) or None,
    )


def _summary(result: LoadResult, noun: str) -> str:
    return (
        f"{result.rows} {noun}; {result.added} nieuw, {result.replaced} vervangen, "
        f"{result.unchanged} ongewijzigd"
    )
