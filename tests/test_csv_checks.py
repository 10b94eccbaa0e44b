"""CSV files as DuckDB reads them and as the csv module does (quotes, empty lines, a carriage
return inside a line): the same rows, numbered as the user sees them; a large file's number
style decided by every row; rows in their order; the units counted for the loader."""

from __future__ import annotations

import duckdb
import pytest

from etl.enterprise_files import read_enterprise_files
from etl.enterprise_load import load_parsed
from etl.errors import InputError
from etl.publish import staged_database
from tests.test_sheet_check import _context, _plain

FINANCE_HEAD = "onderneming;jaar;maand;verhuur;horeca\n"
STEENHUIS = "steenhuis;2024;1;1.234,50;\n"


def _finance(path):
    """(header row, Dutch numbers, [(row, onderneming, maand, verhuur, horeca)]) or problems."""
    try:
        sheet = read_enterprise_files([path], _context())[0].sheets[0]
    except InputError as err:
        return [str(p) for p in err.problems]
    columns = ["enterprise_id", "month", "verhuur", "horeca"]
    rows = [
        (int(row), *(_plain(v) for v in values))
        for row, values in zip(
            sheet.data.index, sheet.data[columns].itertuples(index=False), strict=True
        )
    ]
    return sheet.header_row, sheet.decimal_comma, rows


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (  # an empty line is a row of its own
            FINANCE_HEAD + STEENHUIS + "\nbroekwerk;2024;2;12,50;3\n",
            (1, True, [(2, "steenhuis", 1, 1234.5, None), (4, "broekwerk", 2, 12.5, 3.0)]),
        ),
        ("\n" + FINANCE_HEAD + STEENHUIS, (2, True, [(3, "steenhuis", 1, 1234.5, None)])),
        (FINANCE_HEAD + STEENHUIS + "\n\n", (1, True, [(2, "steenhuis", 1, 1234.5, None)])),
        (  # a carriage return inside a line ends it, as in the csv module
            (FINANCE_HEAD + STEENHUIS + "broekwerk;2024;2;5;\n").replace("\n", "\r\n")
            + "steenhuis;2024;3;1\r,5;\r\n",
            [
                "financien.csv, rij 5, kolom jaar: dit veld is verplicht maar leeg",
                "financien.csv, rij 5, kolom onderneming: onbekende onderneming: dit id staat "
                "niet in de database en niet in het blad ondernemingen (waarde: ',5')",
            ],
        ),
        (
            FINANCE_HEAD.replace("\n", "\r\n") + "steenhuis;2024;1;1,5;\nbroekwerk;2024;2;2;\r\n",
            (1, True, [(2, "steenhuis", 1, 1.5, None), (3, "broekwerk", 2, 2.0, None)]),
        ),
        (
            FINANCE_HEAD + STEENHUIS + " \t \nbroekwerk;2024;2;12,50;3\n",
            (1, True, [(2, "steenhuis", 1, 1234.5, None), (4, "broekwerk", 2, 12.5, 3.0)]),
        ),
        (
            "\ufeff" + (FINANCE_HEAD + STEENHUIS).replace("\n", "\r\n"),
            (1, True, [(2, "steenhuis", 1, 1234.5, None)]),
        ),
        (FINANCE_HEAD + STEENHUIS[:-1], (1, True, [(2, "steenhuis", 1, 1234.5, None)])),
        (  # quotes: the csv module splits it
            FINANCE_HEAD + 'steenhuis;2024;1;"1.234,50";"3"\n',
            (1, True, [(2, "steenhuis", 1, 1234.5, 3.0)]),
        ),
    ],
)
def test_texts_give_their_rows_numbered_as_the_user_sees_them(text, want, tmp_path):
    path = tmp_path / "financien.csv"
    path.write_bytes(text.encode("utf-8"))
    assert _finance(path) == want


def test_a_header_longer_than_the_csv_module_reads_is_named(tmp_path):
    path = tmp_path / "financien.csv"
    long = "x" * 5000
    text = f"onderneming;jaar;maand;verhuur;horeca;{long}\r\nsteenhuis;2024;1;7,50;;\r\n"
    path.write_bytes(text.encode("utf-8"))
    [problem] = _finance(path)
    assert problem.startswith(f"financien.csv, rij 1, kolom {long}: onbekende kolom voor blad")


def test_every_row_of_a_large_file_decides_its_number_style(tmp_path):
    """The first 60 rows look English (12.50), the 25,000 after them Dutch (1.234,56): the
    file is read as Dutch, and the English amounts are not amounts."""
    lines = ["onderneming;jaar;maand;verhuur;horeca"]
    for i in range(25_060):
        amount = f"{i % 97}.50" if i < 60 else f"{i % 7}.{i % 1000:03d},{i % 100:02d}"
        lines.append(f"e{i};{2000 + i // 12 % 25};{i % 12 + 1};{amount};")
    path = tmp_path / "financien.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    context = _context()
    context.enterprises |= {f"e{i}" for i in range(25_060)}
    with pytest.raises(InputError) as err:
        read_enterprise_files([path], context)
    located = [(p.row, p.column, p.value, p.message) for p in err.value.problems]
    message = "geen bedrag: verwacht een getal zoals 1234,50 of € 1.234"
    assert located == [(i + 2, "verhuur", f"{i % 97}.50", message) for i in range(60)]


def test_a_large_file_whose_cells_need_care_keeps_its_rows_in_order(tmp_path):
    """Dates in two forms and wijkcodes written loosely: the rows come back in order."""
    rows = 30_000
    lines = ["onderneming;datum;activiteit;wijkcode;deelnemers"]
    for i in range(rows):
        date = f"{i % 28 + 1:02d}-03-2024" if i % 3 else f"2024-04-{i % 28 + 1:02d}"
        code = " wk 0202 01" if i % 5 else "WK020202"
        lines.append(f"steenhuis;{date};Activiteit {i};{code};{i % 40}")
    path = tmp_path / "activiteiten.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_enterprise_files([path], _context())[0].sheets[0].data
    assert list(data.index) == list(range(2, rows + 2))
    assert list(data["activity"]) == [f"Activiteit {i}" for i in range(rows)]
    assert list(data["area_code"].iloc[:5]) == ["WK020202", *["WK020201"] * 4]
    dates = [d.isoformat() for d in data["date"].iloc[:3]]
    assert dates == ["2024-04-01", "2024-03-02", "2024-03-03"]


@pytest.mark.parametrize("second_date", ["2024-03-01", "02-03-2024"])
def test_the_units_counted_for_the_loader(second_date, tmp_path):
    """Two texts of one date are one unit (the loader counts units by value); two dates two."""
    path = tmp_path / "activiteiten.csv"
    path.write_text(
        "onderneming;datum;activiteit;deelnemers\n"
        f"steenhuis;01-03-2024;Buurtfeest;12\nsteenhuis;{second_date};Buurtfeest;3\n"
        "broekwerk;01-03-2024;Buurtfeest;4\n",
        encoding="utf-8",
    )
    parsed = read_enterprise_files([path], _context())
    with staged_database(tmp_path / "w.duckdb", fresh=True) as con:
        [result] = load_parsed(con, parsed)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        rows = con.execute("select enterprise_id, date, participants from activity").fetchall()
    finally:
        con.close()
    assert (result.rows, result.added) == (3, 2 if second_date == "2024-03-01" else 3)
    assert len(rows) == 3


def test_checked_files_leave_nothing_behind_in_the_process(tmp_path):
    # each file is checked in a database of its own, attached to the process's one DuckDB (a
    # server checks upload after upload): once its sheets are gone, so is that database
    import gc

    from etl import grid

    path = tmp_path / "financien.csv"
    path.write_text(FINANCE_HEAD + STEENHUIS, encoding="utf-8")
    assert _finance(path)[2] == [(2, "steenhuis", 1, 1234.5, None)]
    gc.collect()
    databases = "select database_name from duckdb_databases() where not internal"
    before = grid._process_db[1].cursor().execute(databases).fetchall()
    for _ in range(5):
        sheet = read_enterprise_files([path], _context())[0].sheets[0]
        assert len(sheet.data) == 1
    assert len(grid._process_db[1].cursor().execute(databases).fetchall()) > len(before)
    del sheet
    gc.collect()
    assert grid._process_db[1].cursor().execute(databases).fetchall() == before


def test_a_forked_process_checks_files_in_a_duckdb_of_its_own(tmp_path):
    # the ETL's load under test_atomic_kill runs in forked children, and a server may fork
    # (subprocess); the parent's DuckDB has no threads in the child: the child starts its own
    import os

    from etl import grid

    path = tmp_path / "financien.csv"
    path.write_text(FINANCE_HEAD + STEENHUIS, encoding="utf-8")
    assert _finance(path)[2] == [(2, "steenhuis", 1, 1234.5, None)]
    parent = grid._process_db[1]
    child = os.fork()
    if child == 0:  # pragma: no cover (the child's outcome is its exit code)
        try:
            good = _finance(path)[2] == [(2, "steenhuis", 1, 1234.5, None)]
            os._exit(0 if good and grid._process_db[1] is not parent else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert grid._process_db[1] is parent
