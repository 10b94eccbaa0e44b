"""/gegevens with an auditfile, as an enterprise does it: upload the auditfile, get the offered
koppeling, fill it in, upload both, see the preview, load, and see the year on /onderneming."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import duckdb
import openpyxl
import pytest
import streamlit.testing.v1.app_test as app_test_module

from tests.conftest import etl_command
from tests.page_content import Downloads
from tests.test_archive import install
from tests.xaf_files import Booking, Package, auditfile
from wijkimpact.data.access import BEHEERDER, ONDERNEMING
from wijkimpact.formatting import euro
from wijkimpact.ui.session import ENTERPRISE_KEY, ROLE_KEY

ACCOUNTS = [
    ("1100", "Bank", "B", None),
    ("8000", "Opbrengst zaalverhuur", "P", None),
    ("8100", "Subsidie gemeente wijkbudget", "P", None),
    ("4000", "Lonen en salarissen", "P", None),
    ("4300", "Huur pand", "P", "WBedHuiHur"),  # housing by its RGS code: no koppeling needed
]


@pytest.fixture
def db(demo_db, tmp_path) -> Path:
    return install(demo_db, tmp_path)  # with its archive: python -m etl rebuild works


def _year(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select max(year) from enterprise_year where enterprise_id = 'dekroon'"
        ).fetchone()[0]
    finally:
        con.close()


def _ledger(year: int) -> bytes:
    bookings = []
    for month in range(1, 13):
        day = dt.date(year, month, 10)
        bookings += [
            Booking("VRK", f"V{month}", month, day, (("1100", "2000.00", "D"),
                                                    ("8000", "2000.00", "C"))),
            Booking("BNK", f"S{month}", month, day, (("1100", "500.00", "D"),
                                                    ("8100", "500.00", "C"))),
            Booking("INK", f"L{month}", month, day, (("4000", "1200.00", "D"),
                                                    ("1100", "1200.00", "C"))),
            Booking("INK", f"H{month}", month, day, (("4300", "300.00", "D"),
                                                    ("1100", "300.00", "C"))),
        ]  # fmt: skip
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return auditfile(Package("e-Boekhouden", "3.2"), ACCOUNTS, bookings, start, end)


def test_an_enterprise_loads_its_auditfile_with_the_offered_koppeling(db, open_app, monkeypatch):
    monkeypatch.setattr(app_test_module, "MediaFileManager", Downloads)
    year = _year(db)
    state = {ROLE_KEY: ONDERNEMING, ENTERPRISE_KEY: "dekroon"}
    at = open_app("pages/gegevens.py", db=db, state=state, router=False)
    assert any("Exporteer de auditfile" in c.value for c in at.caption)
    ledger = ("boekhouding.xaf", _ledger(year), "application/xml")
    at.file_uploader[0].set_value(ledger).run()
    assert not at.exception, at.exception
    problems = next(d.value for d in at.dataframe if "Probleem" in d.value.columns)
    messages = " ".join(problems["Probleem"])
    assert "rekening 8000 (Opbrengst zaalverhuur) heeft geen categorie" in messages
    assert "samen 24.000,00 credit" in messages
    assert not [b for b in at.button if b.key == "laden"]
    book = openpyxl.load_workbook(io.BytesIO(Downloads.click(at, "koppeling")))
    sheet = book["grootboek"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    suggested = {row[1]: row[3] for row in rows}
    # suggested from the descriptions; 4300 needs no line: its RGS code says housing
    assert suggested == {"8000": "verhuur", "8100": "subsidie_gemeente", "4000": "personeelskosten"}
    assert {row[0] for row in rows} == {"dekroon"}
    [choices] = sheet.data_validations.dataValidation  # a dropdown of the categories
    assert "personeelskosten" in choices.formula1 and "negeren" in choices.formula1
    assert book.sheetnames == ["grootboek"]  # nothing a load would report as skipped
    for row in sheet.iter_rows(min_row=2):  # the treasurer confirms, and calls 8100 a fund
        if row[1].value == "8100":
            row[3].value = "fondsen"
    filled = io.BytesIO()
    book.save(filled)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader[0].set_value([ledger, ("koppeling.xlsx", filled.getvalue(), xlsx)]).run()
    assert not at.exception, at.exception
    assert not [d for d in at.dataframe if "Probleem" in d.value.columns]
    [preview] = [d.value for d in at.dataframe if "Categorie" in d.value.columns]
    assert preview.set_index("Categorie")["Totaal"].to_dict() == {
        "fondsen": euro(6000),
        "huisvestingskosten": euro(3600),
        "personeelskosten": euro(14400),
        "verhuur": euro(24000),
    }
    assert len(preview.columns) == 1 + 12 + 1  # every month of the year, and the total
    at.button(key="laden").click().run()
    assert not at.exception, at.exception
    assert "Geladen" in at.success[0].value
    page = open_app("pages/onderneming.py", db=db, state=state, router=False)
    omzet = [m.value for m in page.metric if m.label.startswith("Omzet")]
    assert omzet == [euro(24000 + 6000)]
    # the archive loads it again for dekroon: its enterprise is kept with the upload
    rows = _rows(db)
    rebuilt = etl_command("rebuild", "--db", db)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _rows(db) == rows


def _rows(db: Path) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select year, month, category, amount from finance where enterprise_id = 'dekroon' "
            "order by all"
        ).fetchall()
    finally:
        con.close()


def test_a_beheerder_says_whose_auditfile_it_is(db, open_app):
    """A 3.2 file carries no KvK number: a beheerder names the enterprise; until then the
    page says the file cannot be placed."""
    year = _year(db)
    at = open_app("pages/gegevens.py", db=db, state={ROLE_KEY: BEHEERDER}, router=False)
    koppeling = "onderneming;rekening;categorie\n" + "".join(
        f"dekroon;{a};{c}\n"
        for a, c in (("8000", "verhuur"), ("8100", "fondsen"), ("4000", "personeelskosten"))
    )
    files = [
        ("boekhouding.xaf", _ledger(year), "application/xml"),
        ("koppeling.csv", koppeling.encode(), "text/csv"),
    ]
    at.file_uploader[0].set_value(files).run()
    problems = next(d.value for d in at.dataframe if "Probleem" in d.value.columns)
    assert "voor welke onderneming is deze auditfile?" in " ".join(problems["Probleem"])
    at.selectbox(key="auditfile_onderneming").set_value("dekroon").run()
    assert not [d for d in at.dataframe if "Probleem" in d.value.columns]
    at.button(key="laden").click().run()
    assert not at.exception, at.exception
    assert "Geladen" in at.success[0].value
    rows = [(m, c, a) for y, m, c, a in _rows(db) if y == year]
    assert sum(a for _m, c, a in rows if c == "verhuur") == 24000
    assert {m for m, _c, _a in rows} == set(range(1, 13))
