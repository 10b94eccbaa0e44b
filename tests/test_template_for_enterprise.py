"""The template made for one enterprise (python -m etl template --onderneming ID): its id filled
in and its wijken first; the enterprise's own name accepted in the onderneming column; rows with
nothing but the onderneming blank; every problem of every file of a load listed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from etl.template import PREFILLED_ROWS
from tests.conftest import etl_command, query, snapshot

TABLES = ("enterprise", "finance", "reinvestment", "activity", "property")


@pytest.fixture
def db(demo_copy) -> Path:
    return demo_copy


def test_the_template_command_fills_in_the_enterprise_and_puts_its_wijken_first(demo_db, tmp_path):
    [(name, home)] = query(
        demo_db, "select name, area_code from enterprise where enterprise_id = 'dekroon'"
    )
    werkgebied = [c for (c,) in query(
        demo_db, "select area_code from enterprise_area where enterprise_id = 'dekroon' "
        "and area_code <> ? order by 1", [home])]  # fmt: skip
    out = tmp_path / "sjabloon_dekroon.xlsx"
    done = etl_command("template", "--out", out, "--onderneming", "dekroon", "--db", demo_db)
    assert done.returncode == 0, done.stderr
    assert f"voor {name} (id dekroon)" in done.stdout
    book = openpyxl.load_workbook(out)
    instructions = " ".join(str(c) for row in book["Instructies"].values for c in row if c)
    assert f"Dit sjabloon is voor {name} (id dekroon)" in instructions
    for kind in ("financien", "herinvesteringen", "activiteiten", "vastgoed"):
        column = [c.value for c in book[kind]["A"]]
        assert column[0] == "onderneming"
        assert column[1:].count("voorbeeld") >= 1  # the examples stay examples
        assert column.count("dekroon") == PREFILLED_ROWS, kind
    assert [c.value for c in book["ondernemingen"]["A"]][1:] == ["voorbeeld"]  # no row of its own
    codes = [c.value for c in book["lijsten"]["A"]][1:]
    assert codes[: 1 + len(werkgebied)] == [home, *werkgebied]
    assert len(codes) == len(query(demo_db, "select 1 from area where level = 'wijk'"))


def test_the_template_command_refuses_an_unknown_enterprise(demo_db, tmp_path):
    out = tmp_path / "sjabloon.xlsx"
    done = etl_command("template", "--out", out, "--onderneming", "bestaatniet", "--db", demo_db)
    assert done.returncode == 2
    assert "onderneming 'bestaatniet' staat niet in de database" in done.stderr
    assert not out.exists()
    plain = etl_command("template", "--out", out, "--db", demo_db)
    assert plain.returncode == 0 and out.exists()
    assert "voorbeeld" in [c.value for c in openpyxl.load_workbook(out)["financien"]["A"]]


def test_a_filled_in_template_with_the_name_and_a_decimal_comma_loads(db, tmp_path):
    """As a treasurer fills it in: one month on one sheet below the example rows (the other
    sheets as they came), one row by the enterprise's name, an amount typed as text."""
    [(name,)] = query(db, "select name from enterprise where enterprise_id = 'dekroon'")
    made = tmp_path / "sjabloon.xlsx"
    assert (
        etl_command("template", "--out", made, "--onderneming", "dekroon", "--db", db).returncode
        == 0
    )
    book = openpyxl.load_workbook(made)
    sheet = book["financien"]
    header = [c.value for c in sheet[1]]
    first = next(r for r in range(2, 10) if sheet.cell(r, 1).value == "dekroon")
    for row, (who, month, rent) in enumerate(
        [(None, 1, "1234,56"), ("  " + name.upper() + " ", 2, "€ 3.936,00")], start=first
    ):
        if who:
            sheet.cell(row, 1, who)
        sheet.cell(row, header.index("jaar") + 1, 2025)
        sheet.cell(row, header.index("maand") + 1, month)
        sheet.cell(row, header.index("verhuur") + 1, rent)
    book.save(tmp_path / "ingevuld.xlsx")
    done = etl_command("load", tmp_path / "ingevuld.xlsx", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "blad financien: 2 rijen" in done.stdout
    assert query(
        db, "select month, amount from finance where enterprise_id = 'dekroon' and year = 2025 "
        "and category = 'verhuur' order by month") == [(1, 1234.56), (2, 3936.0)]  # fmt: skip
    assert not query(db, "select 1 from finance where enterprise_id = 'voorbeeld'")


BAD_COLUMN = b"onderneming;jaar;maand;kolomx;verhuur\ndekroon;2024;5;1;100\n"
BAD_AMOUNT = b"onderneming;jaar;maand;horeca\ndekroon;2024;6;ca. 500\n"


def test_two_files_every_problem_of_both_is_listed_and_nothing_loads(db, tmp_path):
    first, second = tmp_path / "kolom.csv", tmp_path / "bedrag.csv"
    first.write_bytes(BAD_COLUMN)
    second.write_bytes(BAD_AMOUNT)
    before = snapshot(db, TABLES)
    done = etl_command("load", first, second, "--db", db)
    assert done.returncode == 1
    lines = [line.strip() for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert len(lines) == 2
    assert lines[0].startswith("- kolom.csv, rij 1, kolom kolomx: onbekende kolom")
    assert lines[1] == (
        "- bedrag.csv, rij 2, kolom horeca: geen bedrag: verwacht een getal zoals 1234,50 of "
        "€ 1.234 (waarde: 'ca. 500')"
    )
    assert "De database is niet veranderd." in done.stderr
    assert snapshot(db, TABLES) == before
