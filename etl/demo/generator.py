"""Orchestrates the demo data set: builds every part from one seed and writes the files."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from etl.demo import kerncijfers, leefbaarometer
from etl.demo.activities import ACTIVITEITEN_COLUMNS, activiteiten
from etl.demo.areas import build_town, gemeente_geojson, wijken_geojson
from etl.demo.enterprises import (
    DEMO_ONDERNEMINGEN_COLUMNS,
    ENTERPRISES,
    VASTGOED_COLUMNS,
    ondernemingen_rows,
    vastgoed_rows,
)
from etl.demo.finances import CATEGORIES, FINANCIEN_COLUMNS, financien
from etl.demo.leesmij import leesmij_text
from etl.demo.reinvestments import HERINVESTERINGEN_COLUMNS, herinvesteringen
from etl.demo.writers import Sheet, csv_bytes, dutch_amount, geojson_bytes, write_bytes, xlsx_bytes

DEFAULT_SEED = 2024
AMOUNT_FORMAT = "#,##0.00"


def _xlsx(
    ondernemingen: list[dict], finance: list[dict], reinvest: list[dict], vastgoed: list[dict]
) -> bytes:
    """Return the input workbook; the Financiën sheet holds the annual reporters only."""
    annual = [
        {**row, **{c: row[c] / 100 for c in CATEGORIES}} for row in finance if row["maand"] is None
    ]
    amounts = dict.fromkeys(CATEGORIES, AMOUNT_FORMAT)
    return xlsx_bytes(
        [
            Sheet(
                "Ondernemingen",
                DEMO_ONDERNEMINGEN_COLUMNS,
                ondernemingen,
                {"lat": "0.000000", "lon": "0.000000"},
            ),
            Sheet(
                "Financiën",
                FINANCIEN_COLUMNS,
                annual,
                amounts,
                title="Financiën Demostad 2019-2024",
            ),
            Sheet(
                "Herinvesteringen", HERINVESTERINGEN_COLUMNS, reinvest, {"bedrag": AMOUNT_FORMAT}
            ),
            Sheet("Vastgoed", VASTGOED_COLUMNS, vastgoed),
        ]
    )


def _monthly_csv(finance: list[dict]) -> bytes:
    """Return the monthly reporters' rows as Dutch Excel's semicolon CSV (cp1252)."""
    rows = [list(FINANCIEN_COLUMNS)]
    for row in finance:
        if row["maand"] is None:
            continue
        amounts = [dutch_amount(row[c]) for c in CATEGORIES]
        rows.append([row["onderneming"], str(row["jaar"]), str(row["maand"]), *amounts])
    return csv_bytes(rows, delimiter=";", lineterminator="\r\n", encoding="cp1252")


def _activities_csv(rows: list[dict]) -> bytes:
    """Return the activities as a UTF-8 CSV with BOM, semicolons and dd-mm-yyyy dates."""
    table = [list(ACTIVITEITEN_COLUMNS)]
    for row in rows:
        values = {**row, "datum": row["datum"].strftime("%d-%m-%Y")}
        table.append([str(values[c]) for c in ACTIVITEITEN_COLUMNS])
    return csv_bytes(table, delimiter=";", lineterminator="\r\n", encoding="utf-8-sig")


def build_files(seed: int = DEFAULT_SEED) -> dict[str, bytes]:
    """Return the content of every demo file, keyed by its path relative to the output folder."""
    geo_rng, stats_rng, lbm_rng, ent_rng, fin_rng, act_rng = np.random.default_rng(seed).spawn(6)
    town = build_town(geo_rng)
    files = {
        "gebieden/demostad_wijken.geojson": geojson_bytes(wijken_geojson(town)),
        "gebieden/demostad_gemeente.geojson": geojson_bytes(gemeente_geojson(town)),
    }
    figures = kerncijfers.wijk_figures(stats_rng, town)
    for year in kerncijfers.YEARS:
        files[f"cbs/kerncijfers_wijken_buurten_{year}.csv"] = csv_bytes(
            kerncijfers.kerncijfers_rows(town, figures, year),
            delimiter=";",
            lineterminator="\r\n",
            encoding="utf-8",
            quote_all=True,
        )
    income = {code: figures[(code, 2019)]["income"] for code in town.codes}
    # The two largest enterprises visibly lift their wijk over the years.
    improving = {e.wijkcode for e in sorted(ENTERPRISES, key=lambda e: e.omzet)[-2:]}
    files["leefbaarometer/leefbaarometer_wijken.csv"] = csv_bytes(
        leefbaarometer.scores(lbm_rng, town, income, improving),
        delimiter=",",
        lineterminator="\n",
        encoding="utf-8",
    )
    ondernemingen = ondernemingen_rows(ent_rng, town)
    vastgoed = vastgoed_rows(ent_rng, town)
    finance, results = financien(fin_rng)
    reinvest = herinvesteringen(fin_rng, town, results)
    files["ondernemingen/demostad_invoer.xlsx"] = _xlsx(ondernemingen, finance, reinvest, vastgoed)
    files["ondernemingen/financien_maandelijks.csv"] = _monthly_csv(finance)
    files["ondernemingen/activiteiten.csv"] = _activities_csv(activiteiten(act_rng, town))
    files["LEESMIJ.md"] = leesmij_text(list(files), seed).encode("utf-8")
    return files


def generate(out_dir: Path, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the fictional Demostad demo data set into out_dir; return the written paths.

    The output is byte-identical for the same seed: nothing depends on the clock or on the
    machine's locale or line endings.
    """
    out_dir = Path(out_dir)
    return [write_bytes(out_dir / rel, data) for rel, data in sorted(build_files(seed).items())]
