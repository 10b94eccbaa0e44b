"""The shortcuts of the DuckDB path (etl.csv_sql, etl.csv_columns) give exactly what the pandas
path gives: texts DuckDB would split otherwise, columns checked by SQL instead of a map, a
file worked on in two halves, a first guess of the number style that turns out wrong, and
the units counted for the loader."""

from __future__ import annotations

import random

import duckdb
import pytest

from etl import csv_columns, csv_pass, csv_sql
from etl.enterprise_files import read_enterprise_files
from etl.enterprise_load import load_parsed
from etl.publish import staged_database
from tests.test_csv_sql import SHEETS, _both, _context, _generated

FINANCE_HEAD = "onderneming;jaar;maand;verhuur;horeca\n"


# the csv module gives an empty line as a row without cells (pandas pads them, and warns)
@pytest.mark.filterwarnings("ignore:Constructing a DataFrame from a list of sequences")
@pytest.mark.parametrize(
    "text",
    [
        FINANCE_HEAD + "steenhuis;2024;1;1.234,50;\n\nbroekwerk;2024;2;12,50;3\n",  # empty line
        "\n" + FINANCE_HEAD + "steenhuis;2024;1;1.234,50;\n",  # empty first line
        FINANCE_HEAD + "steenhuis;2024;1;1.234,50;\n\n\n",  # empty lines at the end
        (FINANCE_HEAD + "steenhuis;2024;1;1.234,50;\nbroekwerk;2024;2;5;\n").replace("\n", "\r\n")
        + "steenhuis;2024;3;1\r,5;\r\n",  # a carriage return inside a line
        FINANCE_HEAD.replace("\n", "\r\n") + "steenhuis;2024;1;1,5;\nbroekwerk;2024;2;2;\r\n",
        "onderneming;jaar;maand;verhuur;horeca;" + "x" * 5000 + "\r\nsteenhuis;2024;1;7,50;;\r\n",
        FINANCE_HEAD + "steenhuis;2024;1;1.234,50;\n \t \nbroekwerk;2024;2;12,50;3\n",
        "\ufeff" + FINANCE_HEAD.replace("\n", "\r\n") + "steenhuis;2024;1;1.234,50;\r\n",
        FINANCE_HEAD + "steenhuis;2024;1;1.234,50;",  # no line end after the last line
    ],
)
def test_texts_duckdb_reads_otherwise_give_the_same_outcome(text, tmp_path, monkeypatch):
    path = tmp_path / "financien.csv"
    path.write_bytes(text.encode("utf-8"))
    fast, reference = _both([path], _context(), monkeypatch)
    assert fast == reference


@pytest.mark.parametrize("seed", range(0, 90, 3))
def test_columns_checked_by_sql_without_a_map_give_the_same_outcome(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(csv_columns, "MAP_LIMIT", 0)  # every column but the id: SQL
    rng = random.Random(seed)
    kind = list(SHEETS)[seed % len(SHEETS)]
    paths = [_generated(rng, kind, tmp_path, rng.randint(1, 30))]
    fast, reference = _both(paths, _context(), monkeypatch)
    assert fast == reference


def _spy(monkeypatch) -> list:
    used = []
    original = csv_pass.run_in_parts

    def spy(con, query, first, stop):
        used.append(stop - first)
        return original(con, query, first, stop)

    monkeypatch.setattr(csv_pass, "run_in_parts", spy)
    return used


def test_a_file_in_two_halves_whose_first_rows_look_english(tmp_path, monkeypatch):
    rows = csv_pass.PARALLEL_ROWS + 1000
    lines = ["onderneming;jaar;maand;verhuur;horeca"]
    for i in range(rows):
        year, month = 2000 + i // 12 % 25, i % 12 + 1
        amount = f"{i % 97}.50" if i < 60 else f"{i % 7}.{i % 1000:03d},{i % 100:02d}"
        lines.append(f"{'steenhuis' if i % 2 else 'broekwerk'}{i};{year};{month};{amount};")
    path = tmp_path / "financien.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    used = _spy(monkeypatch)
    passes = []
    parse = csv_pass.parse
    monkeypatch.setattr(csv_pass, "parse", lambda *a: passes.append(a[3]) or parse(*a))
    context = _context()
    context.enterprises |= {f"{e}{i}" for i in range(rows) for e in ("steenhuis", "broekwerk")}
    fast, reference = _both([path], context, monkeypatch)
    assert fast == reference
    assert used and used[0] >= csv_pass.PARALLEL_ROWS
    assert passes[:2] == [False, True]  # parsed as English first, then as Dutch
    assert fast[0] == "problems"  # the first rows are not Dutch numbers, as the rest are


def test_a_large_file_with_joins_keeps_the_rows_in_order(tmp_path, monkeypatch):
    rows = csv_pass.PARALLEL_ROWS + 500
    lines = ["onderneming;datum;activiteit;wijkcode;deelnemers"]
    for i in range(rows):
        date = f"{i % 28 + 1:02d}-03-2024" if i % 3 else f"2024-04-{i % 28 + 1:02d}"
        code = "wk 0202 01" if i % 5 else "WK020202"
        lines.append(f"steenhuis;{date};Activiteit {i};{code};{i % 40}")
    path = tmp_path / "activiteiten.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast, reference = _both([path], _context(), monkeypatch)
    assert fast == reference
    data = read_enterprise_files([path], _context())[0].sheets[0].data
    assert data.index.is_monotonic_increasing and len(data) == rows


def _loaded(tmp_path, path, name: str, monkeypatch, plain: bool):
    with monkeypatch.context() as patch:
        if not plain:
            patch.setattr(csv_sql, "plain_text", lambda *a, **k: False)
        parsed = read_enterprise_files([path], _context())
        with staged_database(tmp_path / f"{name}.duckdb", fresh=True) as con:
            results = load_parsed(con, parsed)
    con = duckdb.connect(str(tmp_path / f"{name}.duckdb"), read_only=True)
    try:
        rows = sorted(con.execute("select * exclude (batch_id) from activity").fetchall())
    finally:
        con.close()
    return [(r.rows, r.added, r.replaced, r.unchanged) for r in results], rows


@pytest.mark.parametrize("second_date", ["2024-03-01", "02-03-2024"])
def test_the_units_counted_for_the_loader(second_date, tmp_path, monkeypatch):
    """Two key texts of one date are one unit (the loader counts them); two dates two."""
    path = tmp_path / "activiteiten.csv"
    path.write_text(
        "onderneming;datum;activiteit;deelnemers\n"
        f"steenhuis;01-03-2024;Buurtfeest;12\nsteenhuis;{second_date};Buurtfeest;3\n"
        "broekwerk;01-03-2024;Buurtfeest;4\n",
        encoding="utf-8",
    )
    fast = _loaded(tmp_path, path, "fast", monkeypatch, plain=True)
    reference = _loaded(tmp_path, path, "reference", monkeypatch, plain=False)
    assert fast == reference
    assert fast[0][0][1] == (2 if second_date == "2024-03-01" else 3)
