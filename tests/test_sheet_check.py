"""The one check of enterprise sheets (etl.sheet_check; the cell rules in etl.cell_rules) on files
whose every outcome is known: generated CSV files in any dialect and workbooks of the same cells
(tests/generated_sheets.py), every value or problem message as the generator says; and fixed
cases written out."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pandas as pd
import pytest

from etl.enterprise_files import Context, read_enterprise_files, validate_frame
from etl.errors import InputError
from tests.generated_sheets import COLUMNS, KNOWN, MAX_YEAR, WIJKEN, Generated, generate


def _context() -> Context:
    return Context(set(KNOWN), set(WIJKEN), MAX_YEAR)


def _plain(value):
    """A parsed cell as a Python value (None for every kind of missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return value.item()
    return value


def _rows(data: pd.DataFrame) -> dict[int, dict]:
    return {
        int(row): {c: _plain(v) for c, v in values.items() if c != "row"}
        for row, values in zip(data.index, data.to_dict("records"), strict=True)
    }


def _outcome(paths: list[Path], context: Context):
    """What checking the files gives: its problems (in the order given), or per file its
    notes and per sheet what was recognised and every row's values."""
    try:
        parsed = read_enterprise_files(paths, context)
    except InputError as err:
        return ("problems", [str(p) for p in err.problems])
    return (
        "loaded",
        {
            pf.file: (
                pf.notes,
                [
                    (s.kind, s.header_row, s.decimal_comma, s.examples, len(s.data), _rows(s.data))
                    for s in pf.sheets
                ],
            )
            for pf in parsed
        },
    )


def _position(problem) -> tuple:
    return (problem.file, problem.sheet or "", problem.row or 0, problem.column or "")


def _expected(files: list[Generated]):
    """What the generator says checking its files must give."""
    recognition = [p for f in files for p in f.recognition]
    order = {f.path.name: n for n, f in enumerate(files)}  # by file as given, then position
    problems = sorted(
        (p for f in files for p in f.problems), key=lambda p: (order[p.file], _position(p))
    )
    if recognition:  # every file is checked all the same: recognition's problems, and the cells'
        return ("problems", [str(p) for p in recognition + problems])
    if problems:
        return ("problems", [str(p) for p in problems])
    loaded = {}
    for f in files:
        where = f"blad {f.sheet}" if f.sheet else f.kind
        notes = [f"{where}: {f.examples} voorbeeldrij(en) (voorbeeld) overgeslagen"]
        sheet = (f.kind, f.header_row, f.dutch, f.examples, len(f.rows), f.rows)
        loaded[f.path.name] = (notes if f.examples else [], [sheet])
    return ("loaded", loaded)


def _batch(seed: int, folder: Path, workbook: bool) -> list[Generated]:
    """A generated file of one kind, sometimes after an ondernemingen file whose ids count."""
    rng = random.Random(seed)
    kind = list(COLUMNS)[seed % len(COLUMNS)]
    files = []
    if kind != "ondernemingen" and rng.random() < 0.3:
        files.append(generate(rng, "ondernemingen", folder, rng.randint(1, 5), workbook))
    known = frozenset(files[0].ids) if files else frozenset()
    files.append(generate(rng, kind, folder, rng.randint(1, 25), workbook, known))
    return files


@pytest.mark.parametrize("seed", range(150))
def test_generated_csv_files_give_what_the_generator_knows(seed, tmp_path):
    files = _batch(seed, tmp_path, workbook=False)
    got, want = _outcome([f.path for f in files], _context()), _expected(files)
    if any(f.recognition for f in files):  # problems found in the order of the columns
        got, want = (got[0], sorted(got[1])), (want[0], sorted(want[1]))
    assert got == want


@pytest.mark.parametrize("seed", range(0, 150, 5))
def test_generated_workbooks_give_what_the_generator_knows(seed, tmp_path):
    files = _batch(seed, tmp_path, workbook=True)
    got, want = _outcome([f.path for f in files], _context()), _expected(files)
    if any(f.recognition for f in files):  # problems found in the order of the columns
        got, want = (got[0], sorted(got[1])), (want[0], sorted(want[1]))
    assert got == want


def test_the_generated_files_cover_loads_problems_and_both_number_styles(tmp_path):
    outcomes = []
    for seed in range(150):
        (tmp_path / str(seed)).mkdir()
        outcomes.append(_expected(_batch(seed, tmp_path / str(seed), workbook=False)))
    assert {kind for kind, _ in outcomes} == {"loaded", "problems"}
    loaded = [files for kind, files in outcomes if kind == "loaded"]
    styles = {s[2] for files in loaded for _, sheets in files.values() for s in sheets}
    assert styles == {True, False}


# Fixed cases, written out: coordinates kept to every decimal (comma or point), founding
# years before 2000, a werkgebied with an unknown wijk, and rows the key keeps apart or not.
FIXED = {
    "ondernemingen": (
        "id;naam;wijkcode;opgericht;lat;lon\n"
        "steenhuis;Steenhuis;WK020201;1985;51,987654;5,912345\n"
        "broekwerk;Broekwerk;WK020202;1800;52.3702161;4.895168\n",
        ["enterprise_id", "founded", "lat", "lon"],
        [("steenhuis", 1985, 51.987654, 5.912345), ("broekwerk", 1800, 52.3702161, 4.895168)],
    ),
    "ondernemingen_fout": (
        "id;naam;wijkcode;opgericht\nsteenhuis;Steenhuis;WK020201;1799\n",
        None,
        [
            "ondernemingen_fout.csv, rij 2, kolom opgericht: oprichtingsjaar moet "
            "tussen 1800 en 2025 liggen (waarde: '1799')"
        ],
    ),
    "werkgebied_fout": (
        "id;naam;wijkcode;werkgebied\nsteenhuis;Steenhuis;WK020201;WK020202, WK999999\n",
        None,
        [
            "werkgebied_fout.csv, rij 2, kolom werkgebied: onbekende wijkcode WK999999: "
            "verwacht CBS-wijkcodes zoals WK020207, gescheiden door komma's, puntkomma's of "
            "spaties (waarde: 'WK020202, WK999999')"
        ],
    ),
    # the same activity twice a day is one only for the same thema and wijk (both empty here)
    "activiteiten_fout": (
        "onderneming;datum;activiteit;thema;wijkcode\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;;\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;;\n",
        None,
        [
            "activiteiten_fout.csv, rij 5: rijen 3 en 5: dezelfde "
            "onderneming/datum/activiteit/thema/wijkcode komt 2 keer voor"
        ],
    ),
    "activiteiten": (
        "onderneming;datum;activiteit;thema;wijkcode\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020202\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;;\n",
        ["theme", "area_code"],
        [("Jeugd", "WK020201"), ("Zorg", "WK020201"), ("Zorg", "WK020202"), (None, None)],
    ),
    "financien_fout": (
        "onderneming;jaar;maand;verhuur\nsteenhuis;2023;;1.000,00\nsteenhuis;2023;;2.000,00\n",
        None,
        [
            "financien_fout.csv, rij 3: rijen 2 en 3: dezelfde onderneming/jaar/maand "
            "komt 2 keer voor"
        ],
    ),
    "financien_maanden": (
        "onderneming;jaar;maand;verhuur\nsteenhuis;2023;;1.000,00\nbroekwerk;2023;1;5\n"
        "steenhuis;2023;3;2.000,00\n",
        None,
        [
            "financien_maanden.csv, rij 2, kolom maand: steenhuis 2023: zowel jaarcijfers "
            "(lege maand) als maandcijfers; kies een van beide, anders telt het jaar dubbel"
        ],
    ),
    "ondernemingen_lijst": (
        "id,naam,wijkcode,werkgebied,publiek\n"
        "steenhuis,Steenhuis,WK020201,wk020202; WK0363AE wk020202,nee\n"
        "broekwerk,Broekwerk,WK020202,,\n",
        ["enterprise_id", "werkgebied", "public"],
        [("steenhuis", "WK020202, WK0363AE", False), ("broekwerk", None, False)],
    ),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_cases(name, tmp_path):
    text, columns, want = FIXED[name]
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    if columns is None:
        with pytest.raises(InputError) as err:
            read_enterprise_files([path], _context())
        assert [str(p) for p in err.value.problems] == want
        return
    data = read_enterprise_files([path], _context())[0].sheets[0].data
    assert [tuple(_plain(v) for v in row) for row in data[columns].itertuples(index=False)] == want


def test_a_form_is_checked_by_the_same_rules_every_row_even_a_blank_one():
    form = pd.DataFrame(
        [
            {"onderneming": None, "datum": None, "activiteit": None, "deelnemers": None},
            {"onderneming": "steenhuis", "datum": dt.date(2024, 3, 14), "activiteit": "Eten",
             "deelnemers": -5},
            {"onderneming": "voorbeeld", "datum": "14-03-2024", "activiteit": "Eten",
             "deelnemers": 12.0},
        ],
        dtype=object,
    )  # fmt: skip
    sheet, problems = validate_frame(form, "activiteiten", _context(), "formulier")
    assert [(p.row, p.column, p.value, p.message) for p in problems] == [
        (4, "onderneming", "voorbeeld", "onbekende onderneming: dit id staat niet in de "
         "database en niet in het blad ondernemingen"),
        (2, "onderneming", None, "dit veld is verplicht maar leeg"),
        (2, "datum", None, "dit veld is verplicht maar leeg"),
        (2, "activiteit", None, "dit veld is verplicht maar leeg"),
        (3, "deelnemers", "-5", "moet een heel getal van 0 of meer zijn"),
    ]  # fmt: skip
    assert _rows(sheet.data)[4]["participants"] == 12
