"""The Excel template: its sheets, headers and dropdowns, and a filled-in template that loads."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import duckdb
import openpyxl
import pandas as pd
import pytest

from etl.enterprise_files import read_enterprise_files
from etl.enterprise_load import database_context, load_parsed
from etl.errors import InputError
from etl.publish import staged_database
from etl.sheet_spec import sheet_specs
from wijkimpact.data import queries
from wijkimpact.report import template

KINDS = ["ondernemingen", "financien", "herinvesteringen", "activiteiten", "vastgoed", "grootboek"]


@pytest.fixture(scope="module")
def wijken(demo_db) -> pd.DataFrame:
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        return queries.wijken(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def book(wijken) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template.build_template(wijken)))


def _validations(sheet) -> dict[str, str]:
    """Header name -> formula1 of the dropdown over that column."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        assert validation.type == "list"
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        assert str(validation.sqref).startswith(f"{column}2:")
        found[headers[column]] = validation.formula1
    return found


def test_sheets_instructions_first_and_a_hidden_list_sheet(book):
    assert book.sheetnames == ["Instructies", *KINDS, "lijsten"]
    assert book["lijsten"].sheet_state == "hidden"
    text = " ".join(
        str(cell) for row in book["Instructies"].iter_rows(values_only=True) for cell in row if cell
    )
    for words in ("31-03-2024", "1.234,50", "leeg = het hele jaar", "ja of nee", "verplicht"):
        assert words in text
    assert "Exporteer de auditfile (XAF)" in text  # the route from the books
    for kind in KINDS:
        assert kind in text


@pytest.mark.parametrize("kind", KINDS)
def test_headers_are_the_exact_column_names_in_bold(book, kind):
    sheet = book[kind]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.name for column in sheet_specs()[kind].columns]
    assert all(cell.font.b for cell in sheet[1])
    assert all(sheet.column_dimensions[cell.column_letter].width >= 10 for cell in sheet[1])


def test_dropdowns_for_wijk_thema_ja_nee_and_maand(book, wijken):
    wijk_list = f"lijsten!$A$2:$A${len(wijken) + 1}"
    thema_list = f"lijsten!$C$2:$C${len(template.THEMAS) + 1}"
    assert _validations(book["ondernemingen"]) == {
        "wijkcode": wijk_list,
        "publiek": '"ja,nee"',
        "publiek_deeljaar": '"ja,nee"',
    }
    assert _validations(book["financien"]) == {
        "maand": '"' + ",".join(map(str, range(1, 13))) + '"'
    }
    assert _validations(book["herinvesteringen"]) == {"wijkcode": wijk_list, "thema": thema_list}
    assert _validations(book["activiteiten"]) == {"wijkcode": wijk_list, "thema": thema_list}
    assert _validations(book["vastgoed"]) == {"wijkcode": wijk_list, "eigendom": '"ja,nee"'}
    lists = book["lijsten"]
    codes = [lists.cell(row, 1).value for row in range(2, len(wijken) + 2)]
    assert codes == list(wijken["area_code"])
    themas = [lists.cell(row, 3).value for row in range(2, len(template.THEMAS) + 2)]
    assert themas == [
        "Groen",
        "Jeugd",
        "Ontmoeting",
        "Armoede",
        "Werk",
        "Zorg",
        "Veiligheid",
        "Overig",
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_example_rows_are_marked_as_examples(book, kind):
    sheet = book[kind]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert 1 <= len(rows) <= 2
    assert all(row[0] == "voorbeeld" for row in rows)
    assert sheet.cell(2, 1).font.i
    assert "overgeslagen" in sheet.cell(2, 1).comment.text


def test_the_template_explains_werkgebied_and_the_activity_key(book, wijken):
    text = " ".join(
        str(cell) for row in book["Instructies"].iter_rows(values_only=True) for cell in row if cell
    )
    assert "ondernemingen werkgebied" in text  # the column table: sheet, column, what to fill in
    assert "gescheiden door komma's" in text and "openbaar" in text
    assert "onderneming, datum, activiteit, thema en wijkcode" in text
    header = [cell.value for cell in book["ondernemingen"][1]]
    example = [cell.value for cell in book["ondernemingen"][2]]
    declared = example[header.index("werkgebied")]
    # the example declares two other wijken of the database, as a loaded file would
    assert declared == ", ".join(wijken["area_code"].iloc[1:3])
    assert "werkgebied" not in _validations(book["ondernemingen"])  # a list: no dropdown


def test_without_wijken_there_is_no_wijk_dropdown():
    empty = pd.DataFrame(columns=["area_code", "name", "gemeente_code"])
    book = openpyxl.load_workbook(io.BytesIO(template.build_template(empty)))
    assert "wijkcode" not in _validations(book["activiteiten"])
    text = [c for row in book["Instructies"].iter_rows(values_only=True) for c in row if c]
    assert "Er zijn nog geen wijken geladen in Wijkimpact." in text


def test_an_untouched_template_loads_nothing_and_says_why(tmp_path, book, demo_db):
    path = tmp_path / "leeg_sjabloon.xlsx"
    book.save(path)
    con = duckdb.connect(str(demo_db), read_only=True)
    with pytest.raises(InputError) as err:
        read_enterprise_files([path], database_context(con))
    con.close()
    messages = {(p.sheet, p.message) for p in err.value.problems}
    for kind in KINDS:
        assert (
            kind,
            "geen gegevensrijen onder de kopregel (alleen voorbeeldrijen van "
            "voorbeeld): er is niets geladen",
        ) in messages


def test_one_month_on_the_financien_sheet_loads_with_the_other_sheets_as_they_came(
    tmp_path, wijken, demo_db
):
    # the treasurer's way: one new row under the examples of one sheet, a decimal comma typed
    # as text; the other sheets keep only their example rows and are skipped with a note
    filled = openpyxl.load_workbook(io.BytesIO(template.build_template(wijken)))
    sheet = filled["financien"]
    header = [cell.value for cell in sheet[1]]
    row = sheet.max_row + 1
    for column, value in {"onderneming": "dekroon", "jaar": 2025, "maand": 1,
                          "verhuur": "1.234,56"}.items():
        sheet.cell(row=row, column=header.index(column) + 1, value=value)
    path = tmp_path / "een_maand.xlsx"
    filled.save(path)
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        parsed = read_enterprise_files([path], database_context(con))
    finally:
        con.close()
    (found,) = parsed
    assert [s.kind for s in found.sheets] == ["financien"]
    for kind in ("ondernemingen", "herinvesteringen", "activiteiten", "vastgoed"):
        assert f"blad {kind}: geen gegevensrijen (alleen voorbeeldrijen van voorbeeld), " \
            "overgeslagen" in found.notes
    data = found.sheets[0].data
    assert len(data) == 1 and data["verhuur"].iloc[0] == pytest.approx(1234.56)


def _fill(book: openpyxl.Workbook, wijk: str, werkgebied: str) -> None:
    """What an enterprise types in: one new enterprise and some figures, under the examples."""
    rows = {
        "ondernemingen": [
            [
                "proefhuis",
                "Buurthuis De Proef",
                "stichting",
                "87654321",
                2015,
                wijk,
                werkgebied,
                "Proefstraat 2",
                "9999 ZZ",
                "Demostad",
                None,
                None,
                None,
                "Een buurthuis om het sjabloon te proberen",
                None,
                None,
                "ja",
            ]
        ],
        "financien": [
            [
                "proefhuis",
                2024,
                None,
                30000.5,
                12000,
                None,
                None,
                None,
                8000,
                None,
                None,
                250,
                None,
                25000,
                9000,
                3000,
                1000,
            ]
        ],
        "herinvesteringen": [["proefhuis", 2024, wijk, "Bankjes in het park", "Groen", 1250.5]],
        "activiteiten": [
            ["proefhuis", "31-03-2024", "Repair café", "Ontmoeting", wijk, 25, 4, 12],
            ["proefhuis", dt.datetime(2024, 4, 14), "Opschoondag", "Groen", None, 12, 6, 7.5],
        ],
        "vastgoed": [["proefhuis", "Buurthuis De Proef", wijk, 320, "ja", 64]],
    }
    for kind, new in rows.items():
        sheet = book[kind]
        for values in new:
            sheet.append(values)


def test_a_filled_in_template_loads_into_the_demo_database(tmp_path, wijken, demo_db):
    wijk, *others = wijken["area_code"].iloc[:3]
    book = openpyxl.load_workbook(io.BytesIO(template.build_template(wijken)))
    _fill(book, wijk, f"{others[0].lower()}; {others[1]}")
    path = tmp_path / "ingevuld.xlsx"
    book.save(path)
    db = tmp_path / "w.duckdb"
    shutil.copy(demo_db, db)
    with staged_database(db) as con:
        parsed = read_enterprise_files([path], database_context(con))
        results = load_parsed(con, parsed)
    # grootboek (the koppeling for auditfiles) left with its example row: skipped
    assert {s.kind for s in parsed[0].sheets} == set(KINDS) - {"grootboek"}
    assert any("voorbeeldrij" in note for note in results[0].notes)
    # the template's own sheets (instructions, lists) and the examples of a skipped sheet go
    # without a note of their own: the treasurer reads only what matters
    assert not any("Instructies" in note or "lijsten" in note for note in results[0].notes)
    skipped = [n for n in results[0].notes if "grootboek" in n]
    assert skipped == ["blad grootboek: geen gegevensrijen (alleen voorbeeldrijen van voorbeeld), "
                       "overgeslagen"]  # fmt: skip
    assert results[0].added == 1 + 1 + 1 + 2 + 1  # enterprise, year, reinvestment year, ...
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute(
            "select name, area_code, public from enterprise where enterprise_id = 'proefhuis'"
        ).fetchone() == ("Buurthuis De Proef", wijk, True)
        areas = con.execute(
            "select area_code from enterprise_area where enterprise_id = 'proefhuis'"
        ).fetchall()
        assert {a for (a,) in areas} == {wijk, *others}
        omzet, kosten = con.execute(
            "select omzet, kosten from enterprise_year where enterprise_id = 'proefhuis' "
            "and year = 2024"
        ).fetchone()
        assert omzet == pytest.approx(30000.5 + 12000 + 8000 + 250)
        assert kosten == pytest.approx(25000 + 9000 + 3000 + 1000)
        assert (
            con.execute(
                "select sum(amount) from reinvestment where enterprise_id = 'proefhuis'"
            ).fetchone()[0]
            == 1250.5
        )
        activities = con.execute(
            "select date, area_code, volunteer_hours from activity "
            "where enterprise_id = 'proefhuis' order by date"
        ).fetchall()
        assert activities == [(dt.date(2024, 3, 31), wijk, 12.0), (dt.date(2024, 4, 14), None, 7.5)]
        assert con.execute(
            "select m2, owned, occupancy_pct from property where enterprise_id = 'proefhuis'"
        ).fetchone() == (320, True, 64)
        for table in ("enterprise", "finance", "reinvestment", "activity", "property"):
            column = "enterprise_id"
            count = con.execute(
                f"select count(*) from {table} where {column} = 'voorbeeld'"
            ).fetchone()[0]
            assert count == 0, table
    finally:
        con.close()
