"""Downloads as a user opens them in Excel: formulas neutralised, sheet names Excel accepts, the
map table's amounts in cents; the report's charts and the app's menu."""

from __future__ import annotations

import io
import re
import tomllib

import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module

from tests.conftest import ROOT
from tests.page_content import Downloads
from tests.test_pages import app  # noqa: F401 - the fixture that opens a page on the demo
from wijkimpact.kaart import area_table, map_data
from wijkimpact.report import charts, export


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),  # spreadsheets skip the spaces
        ("\n=1+1", "'\n=1+1"),
        ("\r\n @x", "'\r\n @x"),
        ("\t+1", "'\t+1"),
        ("\tBuurthuis", "'\tBuurthuis"),
        ("\rBuurthuis", "'\rBuurthuis"),
        ("Buurthuis = ontmoeting", "Buurthuis = ontmoeting"),
        ("  Buurthuis", "  Buurthuis"),
        ("De Kroon & Zn 's-Hertogenbosch", "De Kroon & Zn 's-Hertogenbosch"),
        (-5, -5),
        (None, None),
    ],
)
def test_formulas_are_neutralised(value, kept):
    assert export.neutralise(value) == kept


@pytest.mark.parametrize(
    ("names", "cleaned"),
    [
        (["Vastgoed De Kroon"], ["Vastgoed De Kroon"]),
        (["a/b\\c[d]e:f*g?h"], ["a_b_c_d_e_f_g_h"]),
        (
            ["Vergelijking Buurthuis [Sessie verlopen](https://x)"],
            ["Vergelijking Buurthuis _Sessie"],  # 31 characters, the space at the end cut off
        ),
        (["'citaat'", "", "???"], ["citaat", "Blad2", "___"]),
        (["History"], ["History (2)"]),  # Excel keeps that name for itself
        (
            ["Vergelijking Een Heel Lange Naam 2024", "Vergelijking Een Heel Lange Naam 2023"],
            ["Vergelijking Een Heel Lange Naa", "Vergelijking Een Heel Lange (2)"],
        ),
        (["Tabel", "tabel", "TABEL"], ["Tabel", "tabel (2)", "TABEL (3)"]),
    ],
)
def test_sheet_names_excel_accepts(names, cleaned):
    assert export.sheet_names(names) == cleaned
    assert all(len(name) <= 31 for name in cleaned)


def test_excel_opens_with_the_cleaned_sheets_and_text_that_stays_text():
    frames = {
        "Vastgoed [A]: 1/2": pd.DataFrame({"=Naam": [" =1+1", "https://evil.example"]}),
        "Vastgoed [A]: 1\\2": pd.DataFrame({"Bedrag": [1234.5]}),
    }
    book = openpyxl.load_workbook(io.BytesIO(export.to_excel(frames, {"Bedrag": "euro"})))
    assert book.sheetnames == ["Vastgoed _A__ 1_2", "Vastgoed _A__ 1_2 (2)"]
    first = book["Vastgoed _A__ 1_2"]
    assert [first["A1"].value, first["A2"].value, first["A3"].value] == [
        "'=Naam",  # a header from the data is neutralised too
        "' =1+1",
        "https://evil.example",
    ]
    assert first["A3"].hyperlink is None  # an address in the data is no link
    assert book["Vastgoed _A__ 1_2 (2)"]["A2"].number_format == "€ #,##0;€ -#,##0"


def test_csv_neutralises_values_and_headers():
    data = export.to_csv(pd.DataFrame({"@kop": ["\n=1+1", "gewoon"]}))
    csv = pd.read_csv(io.BytesIO(data), sep=";", dtype=str, encoding="utf-8-sig")
    assert list(csv.columns) == ["'@kop"] and csv["'@kop"].tolist() == ["'\n=1+1", "gewoon"]


def test_map_table_amounts_in_cents():
    areas = pd.DataFrame(
        {
            "area_code": ["WK000101", "WK000102"],
            "name": ["Noord", "Zuid"],
            "gemeente_naam": ["Stad", "Stad"],
        }
    )
    values = pd.DataFrame(
        {
            "area_code": ["WK000101", "WK000102"],
            "name": ["Noord", "Zuid"],
            "value": [973794.9800000001, 12.344999],
        }
    )
    omzet = map_data.MapMetric("omzet", "Omzet", "euro", "ondernemingen", (2024,))
    table = area_table.table(values, areas, map_data.legend(omzet, values["value"]), "wijk")
    rows = export.to_csv(table).decode("utf-8-sig").splitlines()
    assert rows == [
        "Code;Wijk;Gemeente;Omzet",
        "WK000101;Noord;Stad;973794,98",
        "WK000102;Zuid;Stad;12,34",
    ]
    score = map_data.MapMetric("lbm", "Score", "score", "Leefbaarometer", (2020, 2024))
    change = values.assign(eerder=[4.1, 3.9], later=[4.17, 3.95], value=[4.17 - 4.1, 3.95 - 3.9])
    table = area_table.table(change, areas, map_data.legend(score, change["value"], (2020, 2024)),
                            "wijk", (2020, 2024))  # fmt: skip
    assert table["Verandering"].tolist() == [0.07, 0.05]  # not 0.07000000000000028


def test_kaart_csv_download_in_cents(app, monkeypatch):  # noqa: F811 - the imported fixture
    monkeypatch.setattr(app_test_module, "MediaFileManager", Downloads)
    at = app("kaart")
    at.session_state["kaart_tabel_open"] = True  # the table and its downloads, when opened
    at.run()
    assert not at.exception, at.exception
    csv = pd.read_csv(
        io.BytesIO(Downloads.click(at, "kaart_csv")), sep=";", dtype=str, encoding="utf-8-sig"
    )
    amounts = csv.iloc[:, 3].dropna()
    assert len(amounts) > 0
    assert all(re.fullmatch(r"-?\d+(,\d{1,2})?", a) for a in amounts), amounts.tolist()
    book = openpyxl.load_workbook(io.BytesIO(Downloads.click(at, "kaart_xlsx")))
    cells = [row[3] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert [c for c in cells if c is not None] == [
        float(a.replace(",", ".")) for a in amounts
    ]


def test_report_chart_of_a_theme_with_dollar_signs():
    themes = pd.DataFrame({"thema": ["Kosten $^$ en $5", "Groen"], "amount": [100.0, 50.0]})
    png = charts.reinvested_by_theme(themes)  # matplotlib would read '$^$' as TeX and fail
    assert png is not None and png.startswith(b"\x89PNG")


def test_the_menu_shows_what_a_visitor_needs_and_no_deploy():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer"


def test_funders_downloads_hold_the_table_on_screen_and_its_total(app, monkeypatch):  # noqa: F811
    monkeypatch.setattr(app_test_module, "MediaFileManager", Downloads)
    at = app("financiers")
    shown = at.dataframe[0].value  # the enterprises and, as the last row, their total
    book = openpyxl.load_workbook(io.BytesIO(Downloads.click(at, "ondernemingen_xlsx")))
    [sheet] = book.worksheets
    assert re.fullmatch(r"Ondernemingen \d{4}", sheet.title)
    header, *rows = sheet.iter_rows(values_only=True)
    expected = [c for c in shown.columns if "door de jaren" not in c]  # no trend lines
    assert list(header) == expected
    assert [r[0] for r in rows] == shown["Onderneming"].tolist()
    assert rows[-1][0].startswith("Totaal (")
    omzet = expected.index("Omzet")
    assert [r[omzet] for r in rows] == pytest.approx(shown["Omzet"].round(2).tolist())
    assert rows[-1][omzet] == pytest.approx(sum(r[omzet] for r in rows[:-1]))
    csv = pd.read_csv(
        io.BytesIO(Downloads.click(at, "ondernemingen_csv")), sep=";", dtype=str,
        encoding="utf-8-sig",
    )  # fmt: skip
    assert csv.columns.tolist() == expected
    assert csv["Onderneming"].tolist() == [r[0] for r in rows]


@pytest.mark.parametrize("text", ["+0,08", "-1.234", "0,5", "+12,5%", "-0.03"])
def test_a_number_written_as_text_gets_no_apostrophe(text):
    # an apostrophe would make a spreadsheet keep the number as text ('+0,08 on /bijdrage)
    assert export.neutralise(text) == text


def test_downloads_hold_amounts_to_the_cent_and_whole_numbers_without_decimals():
    table = pd.DataFrame(
        {
            "Onderneming": ["A", "B", "Totaal"],
            "Omzet": [973794.9800000001, 1254.0, 975048.9800000001],
            "Deelnemers": [1254.0, 3.0, 1257.0],
            "Verdienvermogen": [0.789393939, 0.5, 0.78912],
        }
    )
    formats = {"Omzet": "euro", "Deelnemers": "number", "Verdienvermogen": "fraction"}
    rows = export.to_csv(table, formats).decode("utf-8-sig").splitlines()
    assert rows == [
        "Onderneming;Omzet;Deelnemers;Verdienvermogen",
        "A;973794,98;1254;0,7894",
        "B;1254,00;3;0,5000",
        "Totaal;975048,98;1257;0,7891",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_excel({"t": table}, formats))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [v[1] for v in values] == [973794.98, 1254, 975048.98]
    assert [v[2] for v in values] == [1254, 3, 1257]
    assert all(isinstance(v[2], int) for v in values)
