"""The treasurer's task (issue #16, role onderneming): a template made for the enterprise, its
name accepted, decimal commas read by the one rule, the preview of what is read, every problem
of every file, messages of the last action, and what was reinvested where by year."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import etl_command, query, snapshot
from tests.page_content import markdown_text
from wijkimpact.data.access import BEHEERDER, ONDERNEMING, Viewer
from wijkimpact.ui import intake
from wijkimpact.ui.session import ENTERPRISE_KEY, ROLE_KEY

TABLES = ("enterprise", "finance", "reinvestment", "activity", "property")
DEKROON = Viewer(ONDERNEMING, ("dekroon",))


@pytest.fixture
def db(demo_copy) -> Path:
    return demo_copy


# --- 2. the template knows who fills it in --------------------------------------------------


def test_the_enterprise_name_is_accepted_in_the_onderneming_column(db, tmp_path):
    [(name,)] = query(db, "select name from enterprise where enterprise_id = 'dekroon'")
    typed = "  " + name.upper().replace(" ", "  ") + " "  # case and spaces do not count
    path = tmp_path / "financien.csv"
    path.write_text(f"onderneming;jaar;maand;verhuur\n{typed};2024;5;1.234,56\n", encoding="utf-8")
    found = intake.check([intake.Upload(path.name, path.read_bytes())], db, viewer=DEKROON)
    assert found.problems.empty, found.problems.to_dict("records")
    done = etl_command("load", path, "--db", db)
    assert done.returncode == 0, done.stderr
    assert query(
        db, "select amount from finance where enterprise_id = 'dekroon' and year = 2024 "
        "and month = 5 and category = 'verhuur'")  == [(1234.56,)]  # fmt: skip


def test_another_enterprises_name_is_refused_to_an_enterprise(db):
    [(other,)] = query(db, "select name from enterprise where enterprise_id = 'bloemenhof'")
    data = f"onderneming;jaar;maand;verhuur\n{other};2024;5;100\n".encode()
    before = snapshot(db, TABLES)
    found = intake.check([intake.Upload("f.csv", data)], db, viewer=DEKROON)
    [problem] = found.problems.to_dict("records")
    assert (problem["Bestand"], problem["Rij"], problem["Kolom"]) == ("f.csv", "2", "onderneming")
    assert "hoort bij een andere onderneming" in problem["Probleem"]
    assert not intake.load([intake.Upload("f.csv", data)], db, viewer=DEKROON).loaded
    assert snapshot(db, TABLES) == before


def test_gegevens_shows_the_enterprise_its_id(db, open_app):
    at = open_app(
        "pages/gegevens.py", db=db, state={ROLE_KEY: ONDERNEMING, ENTERPRISE_KEY: "dekroon"},
        router=False,
    )  # fmt: skip
    assert any("**dekroon**" in i.value for i in at.info), [i.value for i in at.info]


# --- 5. every problem of every file ----------------------------------------------------------

BAD_COLUMN = b"onderneming;jaar;maand;kolomx;verhuur\ndekroon;2024;5;1;100\n"
BAD_AMOUNT = b"onderneming;jaar;maand;horeca\ndekroon;2024;6;ca. 500\n"


def test_two_files_every_problem_of_both_is_listed_and_nothing_loads(db):
    uploads = [intake.Upload("kolom.csv", BAD_COLUMN), intake.Upload("bedrag.csv", BAD_AMOUNT)]
    before = snapshot(db, TABLES)
    found = intake.check(uploads, db, viewer=DEKROON)
    assert [(p["Bestand"], p["Kolom"]) for p in found.problems.to_dict("records")] == [
        ("kolom.csv", "kolomx"),
        ("bedrag.csv", "horeca"),
    ]
    assert not intake.load(uploads, db, viewer=DEKROON).loaded
    assert snapshot(db, TABLES) == before


# --- 4. the preview shows what was read beside what was written -------------------------------


def test_the_preview_shows_the_values_read_next_to_the_cells(db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "activiteiten"
    sheet.append(["onderneming", "datum", "activiteit", "vrijwilligersuren"])
    sheet.append(["dekroon", dt.datetime(2024, 3, 31), "Repair café", "18,5"])
    buffer = io.BytesIO()
    book.save(buffer)
    csv = "onderneming;jaar;maand;verhuur;horeca\ndekroon;2024;7;3.792,-;€ 3.936,00\n".encode()
    found = intake.check(
        [intake.Upload("a.xlsx", buffer.getvalue()), intake.Upload("f.csv", csv)], db,
        viewer=DEKROON,
    )  # fmt: skip
    assert found.ok, found.problems.to_dict("records")
    activities, finance = (s.head.iloc[0].to_dict() for s in found.sheets)
    assert activities["datum"] == "31-03-2024"  # an Excel date as a date, not 2024-03-31
    assert "datum (ingevuld)" not in activities
    assert activities["vrijwilligersuren"] == "18,5"  # read as written: one column
    assert "vrijwilligersuren (ingevuld)" not in activities
    assert (finance["verhuur"], finance["verhuur (ingevuld)"]) == ("€ 3.792,00", "3.792,-")
    assert finance["horeca"] == "€ 3.936,00" and "horeca (ingevuld)" not in finance
    assert (finance["jaar"], finance["maand"]) == ("2024", "7")


# --- 3. the activity form reads a decimal comma ----------------------------------------------


def _form(at, **typed):
    at.text_input(key="form_activiteit").set_value("Kascontrole")
    at.date_input(key="form_datum").set_value(dt.date(2024, 5, 1))
    for key, value in typed.items():
        at.text_input(key=key).set_value(value)
    return at.run()


def test_the_form_shows_what_a_decimal_comma_stores_before_saving(db, open_app):
    at = open_app("pages/gegevens.py", db=db, state={ROLE_KEY: BEHEERDER}, router=False)
    at.selectbox(key="form_onderneming").set_value("dekroon")
    at = _form(at, form_uren="18,5", form_deelnemers="12", form_vrijwilligers="2,5")
    captions = [c.value for c in at.caption]
    assert "Wordt opgeslagen als 18,5" in captions
    assert "Wordt opgeslagen als 12" in captions
    assert any("geen heel getal" in c for c in captions)  # 2,5 volunteers
    before = snapshot(db, TABLES)
    at.button(key="form_opslaan").click().run()
    assert "vrijwilligers: geen heel getal (ingevuld: 2,5)" in markdown_text(at.error[0].value)
    assert snapshot(db, TABLES) == before
    at.text_input(key="form_vrijwilligers").set_value("2").run()
    at.button(key="form_opslaan").click().run()
    assert at.success[0].value == "Activiteit opgeslagen."
    assert query(
        db, "select participants, volunteers, volunteer_hours from activity "
        "where activity = 'Kascontrole'") == [(12, 2, 18.5)]  # fmt: skip
    at.text_input(key="form_uren").set_value("18.5").run()  # a point reads the same
    assert "Wordt opgeslagen als 18,5" in [c.value for c in at.caption]


# --- 6. messages belong to the last action ---------------------------------------------------


def test_a_new_upload_replaces_the_message_of_the_last_load(db, open_app):
    at = open_app("pages/gegevens.py", db=db, state={ROLE_KEY: BEHEERDER}, router=False)
    good = b"onderneming;jaar;maand;verhuur\ndekroon;2024;8;100\n"
    at.file_uploader[0].set_value(("goed.csv", good, "text/csv")).run()
    at.button(key="laden").click().run()
    assert [s.value for s in at.success][0].startswith("Geladen.")
    at.file_uploader[0].set_value(("bedrag.csv", BAD_AMOUNT, "text/csv")).run()
    assert not any(s.value.startswith("Geladen") for s in at.success)
    assert "Er is niets geladen" in at.error[0].value


def test_loading_the_first_enterprise_removes_the_no_enterprises_note(
    no_enterprises_db, open_app
):
    db = no_enterprises_db
    at = open_app("pages/gegevens.py", db=db, state={ROLE_KEY: BEHEERDER}, router=False)
    assert any("Er staan nog geen ondernemingen" in i.value for i in at.info)
    first = b"id;naam;wijkcode\nnieuw;Buurtbedrijf Nieuw;WK999901\n"
    at.file_uploader[0].set_value(("ondernemingen.csv", first, "text/csv")).run()
    at.button(key="laden").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success][0].startswith("Geladen.")
    assert not any("Er staan nog geen ondernemingen" in i.value for i in at.info)
