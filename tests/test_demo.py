"""Tests for the fictional Demostad demo data: determinism, geometry and plausible magnitudes."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import Point, shape

from etl.demo import generate

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
INCOME = [
    "verhuur",
    "horeca",
    "diensten",
    "verkoop",
    "deelnemersbijdragen",
    "subsidie_gemeente",
    "bijdrage_woningcorporatie",
    "fondsen",
    "donaties",
    "overige_inkomsten",
]
SUBSIDISED = ["subsidie_gemeente", "bijdrage_woningcorporatie", "fondsen", "donaties"]
COSTS = ["personeelskosten", "huisvestingskosten", "activiteitenkosten", "overige_kosten"]
TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generate the demo data once into a temporary folder."""
    target = tmp_path_factory.mktemp("demo")
    generate(target)
    return target


def _files(root: Path) -> dict[str, bytes]:
    """Return every file below root by its relative POSIX path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _features(path: Path) -> list[dict]:
    """Return the features of a GeoJSON file."""
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _to_rd(geometry: shapely.Geometry) -> shapely.Geometry:
    """Reproject a lon/lat geometry to RD New metres."""
    return shapely.transform(
        geometry, lambda xy: np.column_stack(TO_RD.transform(xy[:, 0], xy[:, 1]))
    )


@pytest.fixture(scope="module")
def finances(out_dir: Path) -> pd.DataFrame:
    """Return income, costs and result per enterprise and year from the xlsx and the CSV."""
    annual = pd.read_excel(
        out_dir / "ondernemingen/demostad_invoer.xlsx", sheet_name="Financiën", header=2
    )
    monthly = pd.read_csv(
        out_dir / "ondernemingen/financien_maandelijks.csv",
        sep=";",
        decimal=",",
        thousands=".",
        encoding="cp1252",
    )
    assert annual["maand"].isna().all()
    assert monthly["maand"].between(1, 12).all()
    assert annual["onderneming"].nunique() == 4 and monthly["onderneming"].nunique() == 4
    rows = pd.concat([annual, monthly], ignore_index=True)
    per_year = rows.groupby(["onderneming", "jaar"])[INCOME + COSTS].sum()
    return per_year.assign(
        omzet=per_year[INCOME].sum(axis=1),
        kosten=per_year[COSTS].sum(axis=1),
        gesubsidieerd=per_year[SUBSIDISED].sum(axis=1),
    ).assign(resultaat=lambda d: d["omzet"] - d["kosten"])


def test_regenerating_gives_the_committed_bytes(out_dir: Path) -> None:
    committed, fresh = _files(DEMO_DIR), _files(out_dir)
    assert sorted(fresh) == sorted(committed)
    for relative, data in fresh.items():
        assert data == committed[relative], f"{relative} differs from data/demo"


def test_wijken_tile_the_gemeente(out_dir: Path) -> None:
    wijken = _features(out_dir / "gebieden/demostad_wijken.geojson")
    (gemeente,) = _features(out_dir / "gebieden/demostad_gemeente.geojson")
    assert [f["properties"]["wijkcode"] for f in wijken] == [f"WK9999{i:02d}" for i in range(1, 13)]
    assert all(
        list(f["properties"])
        == ["wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "water", "jaar",
           "oppervlakte_land_ha"]
        for f in wijken
    )
    lonlat = [shape(f["geometry"]) for f in wijken]
    assert all(p.geom_type == "Polygon" and p.is_valid for p in lonlat)
    assert shapely.coverage_is_valid(lonlat)  # shared borders have identical vertices
    polygons = [_to_rd(p) for p in lonlat]
    town = _to_rd(shape(gemeente["geometry"]))
    assert town.is_valid and 15e6 < town.area < 40e6
    for a, b in itertools.combinations(polygons, 2):
        assert a.intersection(b).area < 1e-6 * town.area
    assert shapely.union_all(polygons).symmetric_difference(town).area < 1e-6 * town.area
    assert sum(len(p.exterior.coords) - 1 >= 5 for p in polygons) >= len(polygons) / 2
    areas = sorted(p.area for p in polygons)
    assert areas[-1] > 3 * areas[0]  # a small centre and larger outer wijken


def test_enterprises_lie_in_their_home_wijk(out_dir: Path) -> None:
    wijken = {
        f["properties"]["wijkcode"]: shape(f["geometry"])
        for f in _features(out_dir / "gebieden/demostad_wijken.geojson")
    }
    ondernemingen = pd.read_excel(
        out_dir / "ondernemingen/demostad_invoer.xlsx", sheet_name="Ondernemingen"
    )
    assert len(ondernemingen) == 8 and ondernemingen["wijkcode"].nunique() == 8
    assert (ondernemingen["publiek"] == "ja").sum() == 5
    for row in ondernemingen.itertuples():
        assert wijken[row.wijkcode].contains(Point(row.lon, row.lat)), row.id


def test_financial_magnitudes(finances: pd.DataFrame) -> None:
    assert finances.index.get_level_values("onderneming").nunique() == 8
    assert finances["omzet"].between(40_000, 1_100_000).all()
    mean_omzet = finances["omzet"].groupby(level="onderneming").mean()
    assert 180_000 <= mean_omzet.median() <= 300_000
    total = finances["omzet"].sum()
    assert 0.15 <= finances["verhuur"].sum() / total <= 0.35
    assert 0.15 <= finances["gesubsidieerd"].sum() / total <= 0.35
    profitable_years = (finances["resultaat"] > 0).groupby(level="onderneming").sum()
    assert (profitable_years >= 4).sum() >= 6
    assert (finances[COSTS].idxmax(axis=1) == "personeelskosten").all()


def test_signals_are_present(finances: pd.DataFrame) -> None:
    loss = (finances["resultaat"] < 0).unstack("jaar")
    assert (loss & loss.shift(-1, axis=1, fill_value=False)).any(axis=None)
    earned = (1 - finances["gesubsidieerd"] / finances["omzet"]).unstack("jaar")
    falling = earned.diff(axis=1) < 0
    runs = falling & falling.shift(1, axis=1, fill_value=False)
    assert (runs & runs.shift(1, axis=1, fill_value=False)).any(axis=None)


def test_reinvestments_stay_within_the_result(out_dir: Path, finances: pd.DataFrame) -> None:
    herinvesteringen = pd.read_excel(
        out_dir / "ondernemingen/demostad_invoer.xlsx", sheet_name="Herinvesteringen"
    )
    spent = herinvesteringen.groupby(["onderneming", "jaar"])["bedrag"].sum()
    result = finances["resultaat"].reindex(spent.index)
    assert (result > 0).all() and (spent <= result).all()
    themes = {"Groen", "Jeugd", "Ontmoeting", "Armoede", "Werk", "Zorg", "Veiligheid"}
    assert set(herinvesteringen["thema"]) <= themes


def test_source_files_have_their_real_shapes(out_dir: Path) -> None:
    headers = set()
    for year in range(2019, 2025):
        path = out_dir / f"cbs/kerncijfers_wijken_buurten_{year}.csv"
        assert b"\r\n" in path.read_bytes() and not path.read_bytes().startswith(b"\xef\xbb\xbf")
        cbs = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
        assert len(cbs) == 13 and cbs["WijkenEnBuurten"].str.len().eq(10).all()
        headers.add(tuple(cbs.columns))
        inwoners = pd.to_numeric(cbs.filter(like="AantalInwoners").iloc[:, 0])
        assert 60_000 < inwoners.iloc[0] == inwoners.iloc[1:].sum() < 80_000
    assert len(headers) > 1  # numeric suffixes differ between years
    cbs_2019 = pd.read_csv(out_dir / "cbs/kerncijfers_wijken_buurten_2019.csv", sep=";")
    assert cbs_2019.filter(like="GemiddeldInkomenPerInwoner").iloc[:, 0].isna().sum() == 1
    lbm = pd.read_csv(out_dir / "leefbaarometer/leefbaarometer_wijken.csv")
    assert len(lbm) == 48 and lbm["lbm"].between(3.8, 4.5).all()
    assert ((lbm["lbm"] - 4.1 - lbm["afw"]).abs() < 1e-9).all()
    dims = lbm[["fys", "onv", "soc", "vrz", "won"]]
    assert ((dims.sum(axis=1) - lbm["afw"]).abs() < 1e-5).all()
    activities = (out_dir / "ondernemingen/activiteiten.csv").read_bytes()
    assert activities.startswith(b"\xef\xbb\xbf")
    act = pd.read_csv(
        out_dir / "ondernemingen/activiteiten.csv", sep=";", encoding="utf-8-sig", dtype=str
    )
    dates = pd.to_datetime(act["datum"], format="%d-%m-%Y")
    per_year = act.groupby([act["onderneming"], dates.dt.year]).size()
    assert len(per_year) == 48 and per_year.between(15, 40).all()
    assert not act.duplicated(["onderneming", "datum", "activiteit"]).any()
    assert 0.005 < act["wijkcode"].isna().mean() < 0.06
