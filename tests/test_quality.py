"""Data completeness: the pure rules, and the demo's overview checked against its input files."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest

from tests.conftest import ROOT
from wijkimpact.data import queries
from wijkimpact.data.access import BEHEERDER_VIEWER as ADMIN
from wijkimpact.domain import quality

DEMO = ROOT / "data" / "demo" / "ondernemingen"
LATER = dt.date(2030, 1, 1)  # every demo year is over


@pytest.mark.parametrize(
    ("year", "today", "expected"),
    [
        (2023, dt.date(2024, 5, 10), list(range(1, 13))),
        (2024, dt.date(2024, 5, 10), [1, 2, 3, 4]),
        (2024, dt.date(2024, 1, 31), []),
        (2025, dt.date(2024, 5, 10), []),
    ],
)
def test_expected_months_stop_at_the_current_month(year, today, expected):
    assert quality.expected_months(year, today) == expected


@pytest.mark.parametrize(
    ("annual", "months", "kind"),
    [(True, [], "jaarcijfers"), (False, [1, 2], "maandcijfers"), (False, [], "ontbreken")],
)
def test_finance_kind(annual, months, kind):
    assert quality.finance_kind(annual, months) == kind


def test_overview_names_what_is_missing():
    rows = pd.DataFrame(
        [
            ["a", "Maandhuis", 2023, False, [1, 2, 3, 5, 6, 7, 8, 9, 10], 4, 1, 0, 0],
            ["a", "Maandhuis", 2024, True, [], 0, 0, 2, 0],
            ["b", "Nieuwkomer", None, False, [], 0, 0, 0, 1],
        ],
        columns=[
            "enterprise_id",
            "name",
            "year",
            "jaarcijfers",
            "maanden",
            "activiteiten",
            "zonder_wijk",
            "herinvesteringen",
            "panden",
        ],
    )
    table = quality.overview(rows, today=LATER)
    assert list(table.columns) == quality.COLUMNS
    first, second, third = table.to_dict("records")
    assert first["Financiën"] == "maandcijfers"
    assert first["Ontbrekende maanden"] == "4, 11, 12"
    assert first["Activiteiten zonder wijk"] == 1
    assert first["Vastgoed"] == "nee"
    assert first["Wat ontbreekt"] == (
        "3 maanden financiën, wijk bij 1 activiteit, herinvesteringen"
    )
    assert second["Financiën"] == "jaarcijfers"
    assert second["Ontbrekende maanden"] == "–"
    assert second["Wat ontbreekt"] == "activiteiten"
    assert pd.isna(third["Jaar"])
    assert third["Vastgoed"] == "ja (1 pand)"
    assert third["Wat ontbreekt"] == "nog geen cijfers"


def _from_input_files() -> pd.DataFrame:
    """The completeness of the demo, read straight from data/demo (not through the ETL)."""
    monthly = pd.read_csv(DEMO / "financien_maandelijks.csv", sep=";", encoding="cp1252", dtype=str)
    activities = pd.read_csv(DEMO / "activiteiten.csv", sep=";", encoding="utf-8-sig", dtype=str)
    book = openpyxl.load_workbook(DEMO / "demostad_invoer.xlsx", read_only=True)
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    book.close()
    names = {row[0]: row[1] for row in sheets["Ondernemingen"][1:] if row[0]}
    fin_rows = sheets["Financiën"]
    header = fin_rows.index(next(r for r in fin_rows if r[0] == "onderneming"))
    annual = pd.DataFrame(fin_rows[header + 1 :], columns=fin_rows[header]).dropna(how="all")
    reinvested = pd.DataFrame(sheets["Herinvesteringen"][1:], columns=sheets["Herinvesteringen"][0])
    buildings = pd.DataFrame(sheets["Vastgoed"][1:], columns=sheets["Vastgoed"][0])
    activities["jaar"] = activities["datum"].str[-4:].astype(int)

    amounts = monthly.columns[3:]
    months = monthly[monthly[amounts].notna().any(axis=1)]
    rows = []
    years = (
        {(e, int(y)) for e, y in zip(months["onderneming"], months["jaar"], strict=True)}
        | {(e, int(y)) for e, y in zip(annual["onderneming"], annual["jaar"], strict=True)}
        | {(e, int(y)) for e, y in zip(reinvested["onderneming"], reinvested["jaar"], strict=True)}
        | set(zip(activities["onderneming"], activities["jaar"], strict=True))
    )
    for enterprise, year in sorted(years):
        mine = activities[(activities["onderneming"] == enterprise) & (activities["jaar"] == year)]
        rows.append(
            {
                "Onderneming": names[enterprise],
                "Jaar": year,
                "jaar_rij": bool(
                    ((annual["onderneming"] == enterprise) & (annual["jaar"] == year)).any()
                ),
                "maanden": sorted(
                    int(m)
                    for m in months[
                        (months["onderneming"] == enterprise) & (months["jaar"] == str(year))
                    ]["maand"]
                ),
                "Activiteiten": len(mine),
                "Activiteiten zonder wijk": int(mine["wijkcode"].isna().sum()),
                "Herinvesteringen": int(
                    ((reinvested["onderneming"] == enterprise) & (reinvested["jaar"] == year)).sum()
                ),
                "panden": int((buildings["onderneming"] == enterprise).sum()),
            }
        )
    return pd.DataFrame(rows)


def test_demo_completeness_matches_the_input_files(demo_con):
    table = quality.overview(queries.data_completeness(demo_con, ADMIN), today=LATER)
    want = _from_input_files()
    assert len(table) == len(want) == 8 * 6
    got = table.set_index(["Onderneming", "Jaar"])
    for row in want.to_dict("records"):
        have = got.loc[(row["Onderneming"], row["Jaar"])]
        kind = (
            "jaarcijfers" if row["jaar_rij"] else "maandcijfers" if row["maanden"] else "ontbreken"
        )
        assert have["Financiën"] == kind, row
        missing = [m for m in range(1, 13) if m not in row["maanden"]] if row["maanden"] else []
        assert have["Ontbrekende maanden"] == (", ".join(map(str, missing)) or "–")
        for column in ("Activiteiten", "Activiteiten zonder wijk", "Herinvesteringen"):
            assert have[column] == row[column], (row["Onderneming"], row["Jaar"], column)
        panden = row["panden"]
        assert have["Vastgoed"] == (
            f"ja ({panden} {'pand' if panden == 1 else 'panden'})" if panden else "nee"
        )
    assert table["Activiteiten zonder wijk"].sum() == want["Activiteiten zonder wijk"].sum() > 0


def test_missing_months_of_a_monthly_reporter_are_listed(demo_db, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    enterprise, year = con.execute(
        "select enterprise_id, max(year) from finance where month is not null group by all "
        "order by enterprise_id limit 1"
    ).fetchone()
    con.execute(
        "delete from finance where enterprise_id = ? and year = ? and month in (2, 11, 12)",
        [enterprise, year],
    )
    con.execute(
        "insert into enterprise (enterprise_id, name, area_code) "
        "values ('leeg', 'Zonder Cijfers', 'WK999901')"
    )
    table = quality.overview(queries.data_completeness(con, ADMIN), today=LATER)
    con.close()
    name = table[table["Ontbrekende maanden"] != "–"]
    assert len(name) == 1
    assert name.iloc[0]["Ontbrekende maanden"] == "2, 11, 12"
    assert name.iloc[0]["Jaar"] == year
    assert "3 maanden financiën" in name.iloc[0]["Wat ontbreekt"]
    empty = table[table["Onderneming"] == "Zonder Cijfers"].iloc[0]
    assert (empty["Financiën"], empty["Wat ontbreekt"]) == ("ontbreken", "nog geen cijfers")


def test_completeness_follows_the_gemeente(demo_con):
    assert queries.data_completeness(demo_con, ADMIN, gemeente="GM0000").empty
    assert len(queries.data_completeness(demo_con, ADMIN, gemeente="GM9999")) == 48
