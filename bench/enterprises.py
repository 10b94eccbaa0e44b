"""Synthetic enterprises across the national wijken, as the input files an enterprise sends.

ondernemingen.csv (UTF-8 with BOM), financien.csv (Dutch Excel: cp1252, ``;``, decimal
comma, monthly), herinvesteringen.csv and activiteiten.csv (UTF-8 with BOM, ``;``,
dd-mm-yyyy, half hours as 2,5). Vectorised with numpy; the same seed gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from etl.demo.activities import ACTIVITEITEN_COLUMNS, CATALOGUE
from etl.demo.enterprises import COSTS, INCOME, ONDERNEMINGEN_COLUMNS, THEMES
from etl.demo.finances import FINANCIEN_COLUMNS
from etl.demo.reinvestments import HERINVESTERINGEN_COLUMNS
from etl.demo.writers import csv_bytes, dutch_amount, write_bytes

LEGAL_FORMS = ("stichting", "vereniging", "coöperatie")
STREETS = ("Dorpsstraat", "Kerkstraat", "Schoolstraat", "Molenweg", "Parklaan", "Marktplein")
PROJECTS = (
    "Speeltuin opknappen",
    "Buurtmoestuin",
    "Huiskamer van de wijk",
    "Energiecoach",
    "Jongerenwerkplaats",
    "Groen schoolplein",
    "Buurtbus",
    "Maaltijden voor ouderen",
)
EMPTY_WIJK_SHARE = 0.03
OTHER_WIJK_SHARE = 0.12


def write_enterprise_files(
    folder: Path,
    wijken: pd.DataFrame,
    enterprises: int,
    years: tuple[int, ...],
    activities: int,
    seed: int,
) -> dict[str, tuple[Path, int]]:
    """Write the four input files into ``folder``; return {sheet: (path, data rows)}."""
    ent_rng, fin_rng, rei_rng, act_rng = np.random.default_rng(seed).spawn(4)
    homes = _homes(ent_rng, wijken, enterprises)
    ids = [f"ond{i + 1:04d}" for i in range(enterprises)]
    out = {}
    rows = _ondernemingen(ent_rng, ids, homes)
    out["ondernemingen"] = _csv(folder / "ondernemingen.csv", ONDERNEMINGEN_COLUMNS, rows)
    rows = _financien(fin_rng, ids, years)
    out["financien"] = _csv(folder / "financien.csv", FINANCIEN_COLUMNS, rows, "cp1252")
    rows = _herinvesteringen(rei_rng, ids, homes, wijken, years)
    out["herinvesteringen"] = _csv(folder / "herinvesteringen.csv", HERINVESTERINGEN_COLUMNS, rows)
    frame = _activiteiten(act_rng, ids, homes, wijken, years, activities)
    path = folder / "activiteiten.csv"
    frame.to_csv(path, sep=";", index=False, lineterminator="\r\n", encoding="utf-8-sig")
    out["activiteiten"] = (path, len(frame))
    return out


def _csv(path: Path, columns, rows: list[list[str]], encoding: str = "utf-8-sig"):
    data = csv_bytes(
        [list(columns), *rows], delimiter=";", lineterminator="\r\n", encoding=encoding
    )
    return write_bytes(path, data), len(rows)


def _homes(rng: np.random.Generator, wijken: pd.DataFrame, count: int) -> pd.DataFrame:
    """Home wijken: more enterprises where more people live, but spread over the country."""
    weights = np.sqrt(wijken["inwoners"].to_numpy(dtype=float) + 100.0)
    chosen = rng.choice(len(wijken), size=count, p=weights / weights.sum())
    return wijken.iloc[chosen].reset_index(drop=True)


def _ondernemingen(rng: np.random.Generator, ids: list[str], homes: pd.DataFrame) -> list:
    rows = []
    for i, (eid, home) in enumerate(zip(ids, homes.itertuples(), strict=True)):
        lat = home.lat + rng.normal(0, 0.002)
        lon = home.lon + rng.normal(0, 0.003)
        rows.append(
            [
                eid,
                f"Bewonersbedrijf {home.name} {i + 1}",
                LEGAL_FORMS[int(rng.integers(len(LEGAL_FORMS)))],
                f"{int(rng.integers(10_000_000, 99_999_999)):08d}",
                str(int(rng.integers(2000, 2021))),  # the readers refuse years before 2000
                home.area_code,
                f"{STREETS[int(rng.integers(len(STREETS)))]} {int(rng.integers(1, 200))}",
                f"{int(rng.integers(1000, 9999))} {chr(65 + i % 26)}{chr(65 + i // 26 % 26)}",
                home.gemeente_naam,
                f"{lat:.6f}",
                f"{lon:.6f}",
                f"https://{eid}.example.nl",
                "Wijkonderneming met een buurthuis, zaalverhuur en activiteiten voor "
                "bewoners (synthetisch, voor de benchmark).",
                "Gastvrouwen en klussers" if rng.random() < 0.5 else "",
                f"info@{eid}.example.nl",
                "ja" if rng.random() < 0.6 else "nee",
            ]
        )
    return rows


def _financien(rng: np.random.Generator, ids: list[str], years: tuple[int, ...]) -> list:
    """Twelve months a year per enterprise; categories an enterprise lacks stay empty."""
    n, y = len(ids), len(years)
    omzet = np.clip(rng.lognormal(np.log(250_000), 0.8, size=n), 30_000, 5_000_000)
    mix = rng.dirichlet(np.full(len(INCOME), 0.8), size=n)
    mix[mix < 0.02] = 0.0  # an enterprise without a horeca, say: empty cells
    mix /= mix.sum(axis=1, keepdims=True)
    growth = (1 + rng.uniform(0.0, 0.05, size=(n, 1))) ** np.arange(y)
    monthly = (omzet[:, None] * growth / 12)[:, :, None, None] * mix[:, None, None, :]
    income = monthly * rng.normal(1.0, 0.08, size=(n, y, 12, len(INCOME))).clip(0.5, 1.5)
    costs_total = income.sum(axis=3) * rng.uniform(0.88, 1.03, size=(n, y, 12))
    shares = rng.dirichlet((6.0, 2.0, 1.5, 1.0), size=n)
    costs = costs_total[..., None] * shares[:, None, None, :]
    cents = np.round(np.concatenate((income, costs), axis=3) * 100).astype(np.int64)
    empty = np.concatenate((mix == 0, np.zeros((n, len(COSTS)), bool)), axis=1)
    rows = []
    for e, eid in enumerate(ids):
        for j, year in enumerate(years):
            for month in range(12):
                amounts = [
                    "" if empty[e, c] else dutch_amount(int(v))
                    for c, v in enumerate(cents[e, j, month])
                ]
                rows.append([eid, str(year), str(month + 1), *amounts])
    return rows


def _pools(homes: pd.DataFrame, wijken: pd.DataFrame) -> list[np.ndarray]:
    """Per enterprise: the wijken of its home gemeente (where it may also work)."""
    by_gemeente = wijken.groupby("gemeente_code")["area_code"].apply(np.array)
    return [by_gemeente[g] for g in homes["gemeente_code"]]


def _herinvesteringen(rng, ids, homes, wijken, years) -> list:
    """One or two projects in most years, mostly in the home wijk."""
    pools = _pools(homes, wijken)
    rows = []
    for e, eid in enumerate(ids):
        for year in years:
            if rng.random() < 0.3:
                continue
            chosen = rng.choice(len(PROJECTS), size=int(rng.integers(1, 3)), replace=False)
            for p in chosen:
                home = rng.random() < 0.8
                wijk = homes.at[e, "area_code"] if home else rng.choice(pools[e])
                cents = int(rng.integers(50_000, 2_500_000))
                rows.append(
                    [
                        eid,
                        str(year),
                        wijk,
                        PROJECTS[p],
                        THEMES[int(rng.integers(len(THEMES)))],
                        dutch_amount(cents),
                    ]
                )
    return rows


def _activiteiten(rng, ids, homes, wijken, years, total: int) -> pd.DataFrame:
    """``total`` activities spread evenly over enterprises and years; onderneming, datum and
    activiteit together are unique, as the readers require."""
    names = list(CATALOGUE)
    kinds = [CATALOGUE[n] for n in names]
    n, y = len(ids), len(years)
    per = np.full(n * y, total // (n * y))
    per[: total % (n * y)] += 1
    first = {year: dt.date(year, 1, 1) for year in years}
    lengths = {year: (dt.date(year + 1, 1, 1) - first[year]).days for year in years}
    picks, owners, year_of = [], [], []
    for k, count in enumerate(per):
        year = years[k % y]
        space = lengths[year] * len(names)
        picks.append(rng.choice(space, size=min(int(count), space), replace=False))
        owners.append(np.full(len(picks[-1]), k // y))
        year_of.append(np.full(len(picks[-1]), k % y))
    pick, owner, year_index = (np.concatenate(a) for a in (picks, owners, year_of))
    day, kind = pick // len(names), pick % len(names)
    starts = np.array([(first[yr] - dt.date(1970, 1, 1)).days for yr in years])
    days = starts[year_index] + day
    calendar = pd.to_datetime(np.arange(days.min(), days.max() + 1), unit="D")
    date_text = np.asarray(calendar.strftime("%d-%m-%Y"), dtype=object)[days - days.min()]
    low = lambda attr: np.array([getattr(k, attr)[0] for k in kinds])  # noqa: E731
    high = lambda attr: np.array([getattr(k, attr)[1] for k in kinds])  # noqa: E731
    size = len(pick)
    participants = low("participants")[kind] + np.floor(
        rng.random(size) * (high("participants") - low("participants") + 1)[kind]
    ).astype(int)
    volunteers = low("volunteers")[kind] + np.floor(
        rng.random(size) * (high("volunteers") - low("volunteers") + 1)[kind]
    ).astype(int)
    hours = np.round(volunteers * rng.uniform(low("hours")[kind], high("hours")[kind]) * 2) / 2
    hour_text = np.where(
        hours % 1 == 0, hours.astype(int).astype(str), np.char.replace(hours.astype(str), ".", ",")
    )
    wijk = homes["area_code"].to_numpy(dtype=object)[owner]
    draw = rng.random(size)
    wijk[draw < EMPTY_WIJK_SHARE] = ""
    moved = np.flatnonzero(
        (draw >= EMPTY_WIJK_SHARE) & (draw < EMPTY_WIJK_SHARE + OTHER_WIJK_SHARE)
    )
    pools = _pools(homes, wijken)
    offsets = rng.random(len(moved))
    wijk[moved] = [
        pools[o][int(f * len(pools[o]))] for o, f in zip(owner[moved], offsets, strict=True)
    ]
    names_arr, themes = np.array(names, dtype=object), np.array([k.thema for k in kinds], object)
    return pd.DataFrame(
        {
            ACTIVITEITEN_COLUMNS[0]: np.asarray(ids, dtype=object)[owner],
            ACTIVITEITEN_COLUMNS[1]: date_text,
            ACTIVITEITEN_COLUMNS[2]: names_arr[kind],
            ACTIVITEITEN_COLUMNS[3]: themes[kind],
            ACTIVITEITEN_COLUMNS[4]: wijk,
            ACTIVITEITEN_COLUMNS[5]: participants,
            ACTIVITEITEN_COLUMNS[6]: volunteers,
            ACTIVITEITEN_COLUMNS[7]: hour_text,
        }
    )
