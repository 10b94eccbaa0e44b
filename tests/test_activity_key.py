"""The activity key onderneming/datum/activiteit/thema/wijkcode: the same activity on one day for
two themes or in two wijken loads as two rows, a reload changes nothing, a true duplicate is
refused with both rows named; in a CSV checked in DuckDB and in a workbook checked in pandas."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from tests.test_enterprise_files import _arnhem_db, _run_load, _sheet_file, _snapshot, _where

HEADER = "onderneming;datum;activiteit;thema;wijkcode;deelnemers"
TWICE_A_DAY = [
    HEADER,
    "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201;20",
    "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201;12",
    "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020202;9",
    "steenhuis;14-03-2024;Buurtmaaltijd;;;5",
]
# what the activity table must hold: (datum, activiteit, thema, wijk, deelnemers), from the lines
WANT = sorted(
    (
        (dt.date(2024, 3, 14), cells[2], cells[3] or None, cells[4] or None, int(cells[5]))
        for cells in (line.split(";") for line in TWICE_A_DAY[1:])
    ),
    key=repr,
)


def _enterprise_db(folder, fmt: str):
    db = _arnhem_db(folder / "w.duckdb")
    enterprises = _sheet_file(
        folder, "ondernemingen", ["id;naam;wijkcode", "steenhuis;Steenhuis;WK020201"], fmt
    )
    result = _run_load(db, enterprises)
    assert result.returncode == 0, result.stderr
    return db


def _activities(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(
            con.execute(
                "select date, activity, theme, area_code, participants from activity"
            ).fetchall(),
            key=repr,
        )
    finally:
        con.close()


def _outcomes(db, source: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select outcome, rows, added, replaced from load_log where source_file = ? "
            "order by batch_id",
            [source],
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_one_activity_twice_a_day_for_two_themes_or_wijken_loads_and_reloads_unchanged(
    tmp_path, fmt
):
    db = _enterprise_db(tmp_path, fmt)
    log = _sheet_file(tmp_path, "activiteiten", TWICE_A_DAY, fmt)
    result = _run_load(db, log)
    assert result.returncode == 0, result.stderr
    assert "4 nieuw, 0 vervangen, 0 ongewijzigd" in result.stderr
    assert _activities(db) == WANT
    before = _snapshot(db)

    again = _run_load(db, log)
    assert again.returncode == 0, again.stderr
    assert "0 nieuw, 0 vervangen, 4 ongewijzigd" in again.stderr
    assert _snapshot(db) == before  # the same rows, batches included
    assert _outcomes(db, log.name) == [("geladen", 4, 4, 0), ("ongewijzigd", 4, 0, 0)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_newer_count_replaces_only_that_theme(tmp_path, fmt):
    db = _enterprise_db(tmp_path, fmt)
    assert _run_load(db, _sheet_file(tmp_path, "activiteiten", TWICE_A_DAY, fmt)).returncode == 0
    newer = tmp_path / "nieuwer"
    newer.mkdir()
    zorg = _sheet_file(
        newer, "activiteiten", [HEADER, "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201;15"], fmt
    )
    result = _run_load(db, zorg)
    assert result.returncode == 0, result.stderr
    assert "0 nieuw, 1 vervangen, 0 ongewijzigd" in result.stderr
    want = [(*row[:4], 15) if row[2:4] == ("Zorg", "WK020201") else row for row in WANT]
    assert _activities(db) == sorted(want, key=repr)


DUPLICATES = {
    "same theme and wijk": (
        [
            HEADER,
            "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201;20",
            "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201;12",
            "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201;25",
        ],
        "rij 4: rijen 2 en 4",
    ),
    "no theme and no wijk twice": (
        [
            HEADER,
            "steenhuis;14-03-2024;Buurtmaaltijd;;;20",
            "steenhuis;15-03-2024;Buurtmaaltijd;;;20",
            "steenhuis;14-03-2024;Buurtmaaltijd;;;25",
        ],
        "rij 4: rijen 2 en 4",
    ),
    "without the columns thema and wijkcode": (
        [
            "onderneming;datum;activiteit;deelnemers",
            "steenhuis;14-03-2024;Buurtmaaltijd;20",
            "steenhuis;14-03-2024;Buurtmaaltijd;25",
        ],
        "rij 3: rijen 2 en 3",
    ),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", sorted(DUPLICATES))
def test_a_true_duplicate_is_refused_naming_both_rows(tmp_path, fmt, case):
    db = _enterprise_db(tmp_path, fmt)
    earlier = _sheet_file(tmp_path, "activiteiten", TWICE_A_DAY, fmt)
    assert _run_load(db, earlier).returncode == 0
    before = _snapshot(db)
    lines, rows = DUPLICATES[case]
    folder = tmp_path / "dubbel"
    folder.mkdir()
    log = _sheet_file(folder, "activiteiten", lines, fmt)
    result = _run_load(db, log)
    assert result.returncode == 1
    assert (
        f"{_where(log, fmt)}, {rows}: dezelfde onderneming/datum/activiteit/thema/wijkcode "
        "komt 2 keer voor" in result.stderr
    ), result.stderr
    assert "De database is niet veranderd" in result.stderr
    assert _snapshot(db) == before
    assert _outcomes(db, log.name) == [("geladen", 4, 4, 0)]  # the earlier file's load only
