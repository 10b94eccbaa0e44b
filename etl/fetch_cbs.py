"""Download the CBS wijk- en buurtkaart (PDOK OGC API) and kerncijfers (CBS OData) of gemeenten.

The downloads are written as plain files (GeoJSON, CSV) and handed to the same readers as
``python -m etl areas`` and ``python -m etl stats``, so a download and a file fetched by hand
load identically. Only the standard library talks to the network, with a timeout.
"""

from __future__ import annotations

import csv
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl.archive import record_step
from etl.commands import load_area_file, load_stat_file
from etl.loadresult import LoadResult
from etl.progress import Steps

PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1"
ODATA_URL = "https://opendata.cbs.nl/ODataApi/odata"
PDOK_ENV = "WIJKIMPACT_PDOK_URL"  # may contain {year}
ODATA_ENV = "WIJKIMPACT_CBS_ODATA_URL"
# StatLine table "Kerncijfers wijken en buurten" per year (CBS publishes one table a year).
KWB_TABLES = {
    2017: "83765NED",
    2018: "84286NED",
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
}
# PDOK collections in load order; the buurten are optional (not every year has them online).
COLLECTIONS = (("gemeenten", True), ("wijken", True), ("buurten", False))
CODE_PROPERTIES = ("gemeentecode", "wijkcode", "buurtcode", "statcode")
TIMEOUT_S = 30.0
PAGE_SIZE = 1000
MAX_PAGES = 100
USER_AGENT = "wijkimpact-etl"


class FetchError(RuntimeError):
    """A download failed; the message says what, in Dutch."""


@dataclass
class Downloads:
    """The files a fetch wrote, in load order."""

    areas: list[Path] = field(default_factory=list)
    stats: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def base_urls(year: int) -> tuple[str, str]:
    """The PDOK and CBS OData base addresses ($WIJKIMPACT_PDOK_URL, $WIJKIMPACT_CBS_ODATA_URL
    override them, e.g. for a mirror or a test server)."""
    pdok = os.environ.get(PDOK_ENV, "").strip() or PDOK_URL
    odata = os.environ.get(ODATA_ENV, "").strip() or ODATA_URL
    return pdok.replace("{year}", str(year)).rstrip("/"), odata.rstrip("/")


def table_of(year: int) -> str:
    """The StatLine table id of the kerncijfers of ``year``."""
    if year not in KWB_TABLES:
        known = ", ".join(str(y) for y in KWB_TABLES)
        raise FetchError(f"geen CBS-tabel met kerncijfers bekend voor {year} (wel voor {known})")
    return KWB_TABLES[year]


def fetch(
    year: int,
    gemeenten: Sequence[str],
    folder: Path,
    timeout: float = TIMEOUT_S,
) -> Downloads:
    """Download the map and kerncijfers of ``gemeenten`` (GM codes) for ``year`` into ``folder``.

    Raises FetchError when a service cannot be reached or answers with an error.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pdok, odata = base_urls(year)
    table = table_of(year)
    suffix = "_".join(gemeenten)
    out = Downloads()
    for collection, required in COLLECTIONS:
        features = []
        try:
            for gemeente in gemeenten:
                features += _features(pdok, collection, gemeente, timeout)
        except _NotFound as missing:
            if required:
                raise FetchError(f"PDOK kent de laag {collection} niet ({missing})") from None
            out.notes.append(f"PDOK heeft geen laag {collection} voor {year}; overgeslagen")
            continue
        if not features:
            where = f"{', '.join(gemeenten)} in {year}"
            if required:
                raise FetchError(f"PDOK gaf geen {collection} voor {where}")
            out.notes.append(f"geen {collection} gevonden voor {where}")
            continue
        path = folder / f"cbs_{collection}_{year}_{suffix}.geojson"
        collection_json = {"type": "FeatureCollection", "features": features}
        path.write_text(json.dumps(collection_json, ensure_ascii=False), encoding="utf-8")
        out.areas.append(path)
    rows = _odata_rows(odata, table, gemeenten, timeout)
    if not rows:
        raise FetchError(f"CBS-tabel {table} gaf geen rijen voor {', '.join(gemeenten)}")
    path = folder / f"kerncijfers_{table}_{suffix}.csv"
    _write_csv(path, rows)
    out.stats.append(path)
    return out


def load_downloads(
    con: duckdb.DuckDBPyConnection,
    downloads: Downloads,
    gemeenten: Sequence[str],
    year: int,
    steps: Steps | None = None,
) -> list[LoadResult]:
    """Load the downloaded files with the readers of ``etl areas`` and ``etl stats``."""
    steps = steps or Steps(len(downloads.areas) + len(downloads.stats))
    results = []
    for path in downloads.areas:  # the archive replays them as these commands
        record_step("areas", path, "--gemeente", *gemeenten, "--year", year)
        results.append(load_area_file(con, path, steps, list(gemeenten), year))
    for path in downloads.stats:
        record_step("stats", path, "--year", year)
        results.append(load_stat_file(con, path, steps, year))
    return results


def manual_steps(year: int, gemeenten: Sequence[str], db: Path | None = None) -> str:
    """Dutch instructions to download the files by hand and load them."""
    table = KWB_TABLES.get(year, "(de tabel van dat jaar)")
    codes = " ".join(gemeenten)
    db_option = f" --db {db}" if db else ""
    return "\n".join(
        [
            "Download de bestanden met de hand (op een computer met internet) en laad ze daarna:",
            f"  1. Wijk- en buurtkaart {year} (GeoPackage) van het CBS:",
            "     https://www.cbs.nl/nl-nl/dossier/nederland-regionaal/geografische-data/"
            f"wijk-en-buurtkaart-{year}",
            f"     of als GeoJSON van PDOK: {PDOK_URL.format(year=year)}",
            f"  2. Kerncijfers wijken en buurten {year} (StatLine-tabel {table}) als CSV:",
            f"     https://opendata.cbs.nl/statline/#/CBS/nl/dataset/{table}/table",
            "  Laad ze met:",
            f"     python -m etl areas wijkenbuurten_{year}.gpkg --gemeente {codes} "
            f"--year {year}{db_option}",
            f"     python -m etl stats kerncijfers_{table}.csv --year {year}{db_option}",
        ]
    )


class _NotFound(Exception):
    pass


def _features(base: str, collection: str, gemeente: str, timeout: float) -> list[dict]:
    """All features of one gemeente in a PDOK OGC API collection, following 'next' links."""
    query = {"f": "json", "limit": PAGE_SIZE, "gemeentecode": gemeente}
    url: str | None = f"{base}/collections/{collection}/items?{urllib.parse.urlencode(query)}"
    features: list[dict] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        page = _get_json(url, timeout, not_found_ok=True)
        features += [f for f in page.get("features", []) if _in_gemeente(f, gemeente)]
        url = next(
            (link.get("href") for link in page.get("links", []) if link.get("rel") == "next"),
            None,
        )
    return features


def _in_gemeente(feature: dict, gemeente: str) -> bool:
    """Whether a feature belongs to ``gemeente`` (the server may ignore the filter)."""
    properties = feature.get("properties") or {}
    if str(properties.get("gemeentecode", "")).strip().upper() == gemeente:
        return True
    digits = gemeente[2:]
    for key in CODE_PROPERTIES[1:]:
        code = str(properties.get(key, "")).strip().upper()
        if code[2:6] == digits and code[:2] in ("WK", "BU", "GM"):
            return True
    return False


def _odata_rows(base: str, table: str, gemeenten: Sequence[str], timeout: float) -> list[dict]:
    """The TypedDataSet rows of a StatLine table for the gemeenten, their wijken and buurten."""
    prefixes = [f"{kind}{code[2:]}" for code in gemeenten for kind in ("GM", "WK", "BU")]
    condition = " or ".join(f"startswith(WijkenEnBuurten,'{p}')" for p in prefixes)
    query = urllib.parse.urlencode(
        {"$format": "json", "$filter": condition}, quote_via=urllib.parse.quote
    )
    url: str | None = f"{base}/{table}/TypedDataSet?{query}"
    rows: list[dict] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        page = _get_json(url, timeout)
        rows += page.get("value", [])
        url = page.get("odata.nextLink") or page.get("@odata.nextLink")
    return rows


def _get_json(url: str, timeout: float, not_found_ok: bool = False) -> dict:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data = answer.read()
    except urllib.error.HTTPError as err:
        if err.code == 404 and not_found_ok:
            raise _NotFound(f"HTTP 404 voor {url}") from None
        raise FetchError(
            f"{_host(url)} antwoordde met HTTP {err.code} ({err.reason}) op {url}"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise FetchError(
            f"{_host(url)} is niet bereikbaar ({reason}). Is er een internetverbinding?"
        ) from None
    try:
        parsed = json.loads(data)
    except ValueError:
        raise FetchError(f"{_host(url)} gaf geen JSON terug op {url}") from None
    if not isinstance(parsed, dict):
        raise FetchError(f"{_host(url)} gaf een onverwacht antwoord op {url}")
    return parsed


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _write_csv(path: Path, rows: list[dict]) -> None:
    """Rows as a comma-separated UTF-8 file, decimal point, empty cells for missing values."""
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
