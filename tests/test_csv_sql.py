"""CSV files checked in DuckDB (etl.csv_sql) give exactly what the pandas path gives: the same
sheets, values, notes and problem messages, on the fixtures and on many generated files."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pandas as pd
import pytest

from etl import csv_sql
from etl.enterprise_files import Context, read_enterprise_files
from etl.errors import InputError
from tests.conftest import FIXTURES

WIJKEN = {"WK020201", "WK020202", "WK0363AE", "WK999901"}
KNOWN = {"steenhuis", "broekwerk", "Straße"}


def _outcome(paths: list[Path], context: Context):
    try:
        parsed = read_enterprise_files(paths, context)
    except InputError as err:
        return ("problems", [str(p) for p in err.problems])
    sheets = []
    for pf in parsed:
        for sheet in pf.sheets:
            sheets.append(
                (
                    pf.file,
                    tuple(pf.notes),
                    sheet.kind,
                    sheet.header_row,
                    sheet.decimal_comma,
                    sheet.examples,
                    len(sheet.raw),
                    _rows(sheet.data),
                )
            )
    return ("loaded", sheets)


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, (str, dt.date)):
        return _plain(value.item())
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    return value


def _rows(data: pd.DataFrame) -> list:
    columns = list(data.columns)
    return [
        (index, *(_plain(v) for v in values))
        for index, values in zip(data.index, data.itertuples(index=False), strict=True)
    ] + [tuple(columns)]


def _both(paths: list[Path], context: Context, monkeypatch):
    fast = _outcome(paths, context)
    with monkeypatch.context() as patch:
        patch.setattr(csv_sql, "plain_text", lambda *a, **k: False)
        reference = _outcome(paths, context)
    return fast, reference


def _context() -> Context:
    return Context(set(KNOWN), set(WIJKEN), 2025)


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (FIXTURES / "goed").glob("*.csv"))
    + sorted(p.name for p in (FIXTURES / "fout").glob("*.csv")),
)
def test_fixtures_give_the_same_outcome(name, monkeypatch):
    path = next(p for p in FIXTURES.glob(f"*/{name}"))
    fast, reference = _both([path], _context(), monkeypatch)
    assert fast == reference


# Per cell type: forms every reader accepts, then forms that are wrong (or wrong in one
# of the two number styles).
VALID = {
    "id": ["steenhuis", " broekwerk ", "\u00a0steenhuis", "steenhuis\u3000", "Straße"],
    "text": ["Repair Café", "  Buurtfeest ", "x", "Taalcafé", "€ 12", "1.234,5", "ß"],
    "wijkcode": ["WK020201", "wk 0202 01", "WK0363AE", "wk0363ae", " WK999901"],
    "wijkcodes": [
        "WK020201",
        "wk020201, WK020202",
        "WK020202;WK0363AE",
        " WK999901  WK020201 ",
        "WK020201,WK020201",
        ",WK0363AE;",
    ],
    "date": [
        "2024-03-31",
        "31-03-2024",
        "1-3-2024",
        "31/03/2024",
        "31.03.2024",
        "2024/03/31",
        "45000",
        "2024-3-1",
        " 2024-03-31 ",
        "2000-01-01",
        "31-12-2025",
    ],
    "count": ["0", "12", "007", " 3 ", "+4", "12.0", "1e3"],
    "amount": [
        "1.234,50",
        "1234,5",
        "€ 1.234",
        "1.234,-",
        "-12,50",
        "- € 12",
        "€-5",
        "0,125",
        "12,345",
        "1\u00a0234,00",
        "0",
        "-0",
        "€\u00a012,00",
        "1 234",
        "98.765.432,10",
        "0,01",
        "12",
    ],
    "hours": ["2,5", "3", "1.000", "4,25", "0"],
    "year": ["2024", "2019", "2024.0", "2000", " 2025"],
    "founding_year": ["1985", "1800", "2024", " 1999", "1950.0"],
    "month": ["1", "12", "06", "1.0", " 7 "],
    "bool": ["ja", "Nee", "JA ", "yes", "0", "waar", "Ja\u00a0", "x"],
    "lat": ["52.370216", "52.37", "51", "53.1", "51,987654", "52.3702161"],
    "lon": ["4.895168", "5.9", "6", " 3.5", "5,912345"],
}
ENGLISH = {
    "amount": ["1234.5", "1,234.50", "12.", "0.125", "1,234,567.5", "€ 12.50", "-3", "5,-"],
    "hours": ["2.5", "3", "1.000", "0"],
}
WRONG = {
    "id": ["STEENHUIS", "onbekend", "STRASSE", "voorbeeld", "Voorbeeld "],
    "text": ["\t"],
    "wijkcode": ["WK999999", "WK02020\u0661"],
    "wijkcodes": ["WK999999", "WK020201, WK999999", "wk 0363ae", "WK02020\u0661 WK999998"],
    "date": ["31-02-2024", "2099-01-01", "1999-12-31", "morgen", "2024-03-31 00:00"],
    "count": ["-1", "1.5", "12,0", "x", "\u0661\u0662", "999999999999"],
    "amount": ["abc", ",5", "12345678901234567", "\u0661\u0662,5", "1.23.4"],
    "hours": ["-1", "x"],
    "year": ["1999", "2026", "jaar", "20 24"],
    "founding_year": ["1799", "2026", "jaar"],
    "month": ["13", "0", "m"],
    "bool": ["misschien", "nope"],
    "lat": ["52,37", "40.0", "x"],
    "lon": ["4,9", "8.0"],
}
SHEETS = {
    "activiteiten": [
        ("onderneming", "id"),
        ("datum", "date"),
        ("activiteit", "text"),
        ("thema", "text"),
        ("wijkcode", "wijkcode"),
        ("deelnemers", "count"),
        ("vrijwilligers", "count"),
        ("vrijwilligersuren", "hours"),
    ],
    "financien": [
        ("onderneming", "id"),
        ("jaar", "year"),
        ("maand", "month"),
        ("verhuur", "amount"),
        ("horeca", "amount"),
        ("subsidie_gemeente", "amount"),
        ("personeelskosten", "amount"),
    ],
    "ondernemingen": [
        ("id", "id"),
        ("naam", "text"),
        ("wijkcode", "wijkcode"),
        ("werkgebied", "wijkcodes"),
        ("opgericht", "founding_year"),
        ("lat", "lat"),
        ("lon", "lon"),
        ("publiek", "bool"),
    ],
}


def _generated(rng: random.Random, kind: str, folder: Path, n: int) -> Path:
    columns = SHEETS[kind]
    good = rng.random() < 0.6
    english = rng.random() < 0.4
    if rng.random() < 0.3:
        required = ("onderneming", "id", "datum", "activiteit", "jaar", "naam", "wijkcode")
        columns = [c for c in columns if rng.random() < 0.85 or (good and c[0] in required)]
    delimiter = rng.choice([";", ";", ",", "\t"])
    header = [name if rng.random() < 0.8 else f" {name.upper()} " for name, _ in columns]
    if rng.random() < 0.1 and not good:
        header.append("onbekend")
    if rng.random() < 0.1:
        header.append("")
    lines = []
    if rng.random() < 0.2:
        lines.append(delimiter.join(["Titel van het blad"] + [""] * (len(header) - 1)))
        lines.append(delimiter * (len(header) - 1))
    lines.append(delimiter.join(header))
    for i in range(n):
        row = []
        for name, cell_type in columns:
            valid = ENGLISH[cell_type] if english and cell_type in ENGLISH else VALID[cell_type]
            options = valid if good else valid + WRONG[cell_type]
            value = rng.choice(options)
            if good and name in ("activiteit", "id") and i:
                value = f"{value.strip()}{i}"
            if good and name == "jaar":
                value = str(2000 + i % 26)
            if good and name == "maand":
                value = rng.choice(["", str(rng.randint(1, 12))]) if i % 2 else ""
            if good and name == "opgericht" and rng.random() < 0.3:
                value = ""
            if delimiter in value:
                value = value.replace(delimiter, " ")
            row.append(value)
        row += ["x" if rng.random() < 0.05 and not good else "" for _ in header[len(columns) :]]
        if rng.random() < 0.05:
            row = [""] * len(row)
        lines.append(delimiter.join(row))
    end = rng.choice(["\n", "\r\n"])
    text = end.join(lines) + (end if rng.random() < 0.8 else "")
    encoding = rng.choice(["utf-8", "utf-8-sig", "cp1252"])
    path = folder / f"{kind}_{rng.randrange(10**9)}.csv"
    try:
        path.write_bytes(text.encode(encoding))
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("seed", range(90))
def test_generated_files_give_the_same_outcome(seed, tmp_path, monkeypatch):
    rng = random.Random(seed)
    kind = list(SHEETS)[seed % len(SHEETS)]
    paths = [_generated(rng, kind, tmp_path, rng.randint(1, 30))]
    if rng.random() < 0.3:
        paths.append(_generated(rng, "ondernemingen", tmp_path, rng.randint(1, 5)))
    fast, reference = _both(paths, _context(), monkeypatch)
    assert fast == reference


def test_the_sql_path_is_taken_for_plain_files(tmp_path, monkeypatch):
    path = tmp_path / "financien.csv"
    path.write_text("onderneming;jaar;maand;verhuur\nsteenhuis;2024;1;1.234,50\n", "utf-8")
    used = []
    original = csv_sql.validate

    def spy(*args, **kwargs):
        used.append(True)
        return original(*args, **kwargs)

    monkeypatch.setattr(csv_sql, "validate", spy)
    parsed = read_enterprise_files([path], _context())
    assert used and parsed[0].sheets[0].data["verhuur"].tolist() == [1234.5]


# The three once-wrong cases: coordinates kept to every decimal (comma or point), founding
# years before 2000, and two annual rows (empty maand) of the same enterprise and year.
FIXED = {
    "ondernemingen": (
        "id;naam;wijkcode;opgericht;lat;lon\n"
        "steenhuis;Steenhuis;WK020201;1985;51,987654;5,912345\n"
        "broekwerk;Broekwerk;WK020202;1800;52.3702161;4.895168\n",
        (
            "loaded",
            [("steenhuis", 1985, 51.987654, 5.912345), ("broekwerk", 1800, 52.3702161, 4.895168)],
        ),
    ),
    "ondernemingen_fout": (
        "id;naam;wijkcode;opgericht\nsteenhuis;Steenhuis;WK020201;1799\n",
        (
            "problems",
            [
                "ondernemingen_fout.csv, rij 2, kolom opgericht: oprichtingsjaar moet "
                "tussen 1800 en 2025 liggen (waarde: '1799')"
            ],
        ),
    ),
    "werkgebied_fout": (
        "id;naam;wijkcode;werkgebied\nsteenhuis;Steenhuis;WK020201;WK020202, WK999999\n",
        (
            "problems",
            [
                "werkgebied_fout.csv, rij 2, kolom werkgebied: onbekende wijkcode WK999999: "
                "verwacht CBS-wijkcodes zoals WK020207, gescheiden door komma's, puntkomma's of "
                "spaties (waarde: 'WK020202, WK999999')"
            ],
        ),
    ),
    # the same activity twice a day is one only for the same thema and wijk (both empty here)
    "activiteiten": (
        "onderneming;datum;activiteit;thema;wijkcode\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;;\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;;\n",
        (
            "problems",
            [
                "activiteiten.csv, rij 5: rijen 3 en 5: dezelfde "
                "onderneming/datum/activiteit/thema/wijkcode komt 2 keer voor"
            ],
        ),
    ),
    "financien": (
        "onderneming;jaar;maand;verhuur\nsteenhuis;2023;;1.000,00\nsteenhuis;2023;;2.000,00\n",
        (
            "problems",
            [
                "financien.csv, rij 3: rijen 2 en 3: dezelfde onderneming/jaar/maand "
                "komt 2 keer voor"
            ],
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_cases_give_the_same_right_outcome(name, tmp_path, monkeypatch):
    text, want = FIXED[name]
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    fast, reference = _both([path], _context(), monkeypatch)
    assert fast == reference
    if want[0] == "problems":
        assert fast == want
    else:
        data = read_enterprise_files([path], _context())[0].sheets[0].data
        got = [
            (_plain(e), _plain(f), _plain(lat), _plain(lon))
            for e, f, lat, lon in data[["enterprise_id", "founded", "lat", "lon"]].itertuples(
                index=False
            )
        ]
        assert ("loaded", got) == want


# Rows the key or a list column keeps apart: each path gives the same rows, as written.
SAME_ROWS = {
    "activiteiten": (
        "onderneming;datum;activiteit;thema;wijkcode\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Jeugd;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020201\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;Zorg;WK020202\n"
        "steenhuis;14-03-2024;Buurtmaaltijd;;\n",
        ["theme", "area_code"],
        [("Jeugd", "WK020201"), ("Zorg", "WK020201"), ("Zorg", "WK020202"), (None, None)],
    ),
    "ondernemingen": (
        "id,naam,wijkcode,werkgebied\n"
        "steenhuis,Steenhuis,WK020201,wk020202; WK0363AE wk020202\n"
        "broekwerk,Broekwerk,WK020202,\n",
        ["enterprise_id", "werkgebied"],
        [("steenhuis", "WK020202, WK0363AE"), ("broekwerk", None)],
    ),
}


@pytest.mark.parametrize("name", sorted(SAME_ROWS))
def test_key_and_list_columns_give_the_same_rows(name, tmp_path, monkeypatch):
    text, columns, want = SAME_ROWS[name]
    path = tmp_path / f"{name}.csv"
    path.write_text(text, encoding="utf-8")
    fast, reference = _both([path], _context(), monkeypatch)
    assert fast == reference and fast[0] == "loaded"
    data = read_enterprise_files([path], _context())[0].sheets[0].data
    assert [tuple(_plain(v) for v in row) for row in data[columns].itertuples(index=False)] == want
