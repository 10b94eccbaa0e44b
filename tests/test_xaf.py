"""Auditfiles (XAF): the shared files give EXPECTED.json, broken ones are refused with a located
message and change nothing, and files as packages write them (tests/xaf_files.py) load into
the months and categories their bookings say."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.publish import staged_database
from tests.conftest import FIXTURES, etl_command, need
from tests.test_archive import install
from tests.xaf_files import Booking, Package, auditfile

XAF = FIXTURES / "xaf"
WIJKEN = [f"WK0202{i:02d}" for i in range(1, 25)]
ENTERPRISES = (
    "id;naam;kvk;wijkcode\n"
    "buurtbedrijf;Buurtbedrijf Test;12345678;WK020201\n"
    "anders;Ander Bedrijf;87654321;WK020202\n"
)
# a small ledger: bank and debtors (balance), income and cost accounts
ACCOUNTS = [
    ("1100", "Bank", "B", None),
    ("1110", "Spaarrekening", "B", None),
    ("1300", "Debiteuren", "B", None),
    ("8000", "Zaalverhuur", "P", None),
    ("8100", "Subsidie gemeente", "P", None),
    ("4000", "Lonen", "P", "WPerLes"),
    ("4300", "Huur pand", "P", "WBedHuiHur"),
]
KOPPELING = (
    "onderneming;rekening;categorie\n"
    "buurtbedrijf;8000;verhuur\nbuurtbedrijf;8100;subsidie_gemeente\n"
    "buurtbedrijf;4000;personeelskosten\nbuurtbedrijf;4300;huisvestingskosten\n"
)


def _db(path: Path, enterprises: str = ENTERPRISES) -> Path:
    with staged_database(path, fresh=True) as con:
        con.executemany(
            "insert into area (area_code, level, name, parent_code, gemeente_code) "
            "values (?, 'wijk', ?, 'GM0202', 'GM0202')",
            [(code, f"Wijk {code[-2:]}") for code in WIJKEN],
        )
    source = path.with_name("ondernemingen.csv")
    source.write_text(enterprises, encoding="utf-8")
    assert etl_command("load", source, "--db", path).returncode == 0
    return path


@pytest.fixture(scope="module")
def arnhem_db(tmp_path_factory) -> Path:
    """The Arnhem enterprises of ../shared (steenhuis, presikhaaf) in a database of their own."""
    path = tmp_path_factory.mktemp("xaf") / "w.duckdb"
    text = need(FIXTURES / "goed" / "ondernemingen.csv").read_text(encoding="utf-8")
    return _db(path, text)


def _copy(db: Path, folder: Path) -> Path:
    copy = folder / db.name
    shutil.copy(db, copy)
    return copy


@pytest.fixture
def db(arnhem_db, tmp_path) -> Path:
    return _copy(arnhem_db, tmp_path)


@pytest.fixture(scope="module")
def own_base(tmp_path_factory) -> Path:
    """Two enterprises of our own (buurtbedrijf, anders with KvK 87654321)."""
    return _db(tmp_path_factory.mktemp("own") / "own.duckdb")


@pytest.fixture
def own_db(own_base, tmp_path) -> Path:
    return _copy(own_base, tmp_path)


def _load(db: Path, *args) -> tuple[int, str]:
    result = etl_command("load", *args, "--db", db)
    return result.returncode, result.stdout + result.stderr


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _finance(db: Path, enterprise: str) -> dict[tuple, float]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select year, month, category, amount from finance where enterprise_id = ?",
            [enterprise],
        ).fetchall()
    finally:
        con.close()
    return {(y, m, c): a for y, m, c, a in rows}


def _stored(db: Path) -> list:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            sorted(map(repr, con.execute(f"select * from {table}").fetchall()))
            for table in ("finance", "ledger_mapping", "enterprise")
        ]
    finally:
        con.close()


def _xaf_expected() -> dict:
    return json.loads(need(XAF / "EXPECTED.json").read_text(encoding="utf-8"))


def test_shared_auditfiles_give_expected_json_and_a_second_load_changes_nothing(db):
    want = _xaf_expected()["goed"]
    steenhuis = want["steenhuis/2024"]
    code, out = _load(
        db, XAF / steenhuis["bestand"], XAF / steenhuis["koppeling"], "--onderneming", "steenhuis"
    )
    assert code == 0, out
    presikhaaf = want["presikhaaf/2024"]  # found by its KvK number (Commercenr)
    code, out = _load(db, XAF / presikhaaf["bestand"], XAF / presikhaaf["koppeling"])
    assert code == 0, out
    con = duckdb.connect(str(db), read_only=True)
    for key, values in want.items():
        enterprise, year = key.split("/")
        got = _finance(db, enterprise)
        per_category: dict[str, float] = {}
        for (_y, _m, category), amount in got.items():
            per_category[category] = per_category.get(category, 0) + amount
        assert per_category == pytest.approx(values["categorie"], abs=0.005), key
        kinds = dict(con.execute("select category, kind from finance_category").fetchall())
        per_month: dict[str, float] = {}
        for (_y, month, category), amount in got.items():
            sign = 1 if kinds[category] == "inkomsten" else -1
            per_month[str(month)] = per_month.get(str(month), 0) + sign * amount
        assert per_month == pytest.approx(values["resultaat_per_maand"], abs=0.005), key
        metrics = con.execute(
            "select omzet, eigen_verdiend, kosten, resultaat, verdienvermogen from "
            "enterprise_year where enterprise_id = ? and year = ?",
            [enterprise, int(year)],
        ).fetchone()
        for name, value in zip(
            ("omzet", "eigen_verdiend", "kosten", "resultaat"), metrics, strict=False
        ):
            assert value == pytest.approx(values[name], abs=0.01), (key, name)
        assert metrics[4] == pytest.approx(values["verdienvermogen"], abs=5e-4)
    software, message = con.execute(
        "select kind, message from load_log where source_file = 'steenhuis_2024.xaf'"
    ).fetchone()
    con.close()
    assert software == "auditfile"
    assert "Boekhoudpakket Voorbeeld 12.4" in message and "boekjaar 2024" in message
    before = _stored(db)
    code, out = _load(db, XAF / presikhaaf["bestand"])  # the koppeling is kept
    assert code == 0, out
    assert "0 nieuw, 0 vervangen, 12 ongewijzigd" in out
    assert _stored(db) == before


@pytest.mark.parametrize(
    ("files", "says"),
    [
        (["fout/onbalans.xaf"], ["dagboek BNK, boeking 202400001", "verschil 0,10"]),
        (["fout/onbekende_rekening.xaf"], ["dagboek INK", "rekening 4999 staat niet in het"]),
        (["fout/xxe.xaf"], ["onveilige XML"]),
        (["fout/niet_xml.xaf"], ["onvolledig", "regel 694"]),
        (
            ["steenhuis_2024.xaf", "fout/koppeling_steenhuis_onvolledig.csv"],
            ["rekening 8110 (Bijdrage woningcorporatie leefbaarheid)", "samen 16.489,67 credit"],
        ),
    ],
)
def test_broken_files_are_refused_with_a_located_message_and_change_nothing(db, files, says):
    before = _digest(db)
    code, out = _load(db, *[need(XAF / f) for f in files], "--onderneming", "steenhuis")
    assert code == 1
    assert "De database is niet veranderd." in out
    for text in says:
        assert text in out
    assert "root:" not in out  # nothing of /etc/passwd (xxe.xaf names it)
    assert _digest(db) == before


def _pair(journal: str, nr: str, period: int, day: dt.date, debit: str, credit: str, amount: str):
    """A booking of ``amount`` from account ``credit`` to account ``debit``."""
    return Booking(journal, nr, period, day, ((debit, amount, "D"), (credit, amount, "C")))


def _bookings() -> list[Booking]:
    """A year: rent and subsidy income, wages and rent costs, a credit note, an opening
    balance, a transfer between own bank accounts, a prepaid booking and a closing entry."""
    b = [_pair("MEM", "1", 0, dt.date(2024, 1, 1), "1100", "1300", "5000.00")]
    for month in range(1, 13):
        day = dt.date(2024, month, 15)
        b.append(_pair("VRK", f"V{month}", month, day, "1300", "8000", "1000.00"))
        b.append(_pair("INK", f"I{month}", month, day, "4000", "1100", "600.00"))
    b.append(_pair("VRK", "CN1", 3, dt.date(2024, 3, 20), "8000", "1300", "250.00"))
    b.append(_pair("BNK", "T1", 4, dt.date(2024, 4, 2), "1110", "1100", "2000.00"))
    # rent for January paid in December of the year before, booked in period 1
    b.append(_pair("INK", "P1", 1, dt.date(2023, 12, 28), "4300", "1100", "800.00"))
    # the closing entry: the subsidy settled in period 13
    b.append(_pair("MEM", "S1", 13, dt.date(2024, 12, 31), "1300", "8100", "3000.00"))
    return b


def _expected_months() -> dict[tuple, float]:
    want: dict[tuple, float] = {}
    for month in range(1, 13):
        want[(2024, month, "verhuur")] = 1000.0
        want[(2024, month, "personeelskosten")] = 600.0
    want[(2024, 3, "verhuur")] = 750.0
    want[(2024, 1, "huisvestingskosten")] = 800.0
    want[(2024, 12, "subsidie_gemeente")] = 3000.0
    return want


# how packages number their accounts (the file's number, and as the koppeling writes it: a
# spreadsheet drops leading zeros)
NUMBERING = {
    "Exact Online": (lambda a: a + "00", lambda a: a + "00"),  # 800000
    "Unit4 Multivers": (lambda a: "0" + a, lambda a: a),  # 08000 in the books, 8000 typed
    "SnelStart": (lambda a: a, lambda a: a),
    "AFAS Profit": (lambda a: a + "0", lambda a: a + "0"),  # 80000
    "Twinfield": (lambda a: a, lambda a: a),
    "osFinancials": (lambda a: a + "-000", lambda a: a + "-000"),  # 8000-000
}


@pytest.mark.parametrize(
    "package",
    [
        Package("Exact Online", "3.2"),
        Package("Unit4 Multivers", "3.1", encoding="ISO-8859-1", crlf=True),
        Package("SnelStart", "3.2", bom=True, comment=True, software_version=False),
        Package("AFAS Profit", "3.2", declaration=False, periods="none"),
        Package("Twinfield", "4.0", fiscal_year="2023"),
        Package("osFinancials", "3.1", totals=False, periods="four-weekly"),
    ],
    ids=lambda p: p.name,
)
def test_packages_files_load_into_the_months_their_bookings_say(own_db, tmp_path, package):
    in_books, typed = NUMBERING[package.name]
    accounts = [(in_books(a), d + " (één)", t, r) for a, d, t, r in ACCOUNTS]
    bookings = [
        Booking(b.journal, b.nr, b.period, b.date,
                tuple((in_books(a), amount, kind) for a, amount, kind in b.lines))
        for b in _bookings()
    ]  # fmt: skip
    kvk = "12345678" if package.version == "4.0" else None
    path = tmp_path / "boekhouding.xaf"
    path.write_bytes(auditfile(package, accounts, bookings, kvk=kvk))
    koppeling = tmp_path / "koppeling.csv"
    lines = [line.split(";") for line in KOPPELING.splitlines()]
    text = "".join(f"{e};{typed(a) if n else a};{c}\n" for n, (e, a, c) in enumerate(lines))
    koppeling.write_text(text, encoding="utf-8")
    enterprise = [] if kvk else ["--onderneming", "buurtbedrijf"]
    code, out = _load(own_db, path, koppeling, *enterprise)
    assert code == 0, out
    # by period, or by date where the periods are not the months (or absent): the rent paid
    # in December of the year before counts in January either way, the closing entry in
    # December, the opening balance nowhere
    assert _finance(own_db, "buurtbedrijf") == pytest.approx(_expected_months())
    if package.fiscal_year:
        assert "fiscalYear 2023 past niet" in out


def test_period_55_and_an_account_of_type_m_count_with_a_note(own_db, tmp_path):
    accounts = [*ACCOUNTS, ("8900", "Overige baten", "M", None)]
    bookings = [
        _pair("MEM", "1", 55, dt.date(2024, 12, 31), "1100", "8900", "40.00"),
        _pair("VRK", "2", 2, dt.date(2024, 2, 3), "1100", "8000", "100.00"),
    ]
    path = tmp_path / "snelstart.xaf"
    path.write_bytes(auditfile(Package("SnelStart"), accounts, bookings))
    koppeling = tmp_path / "koppeling.csv"
    koppeling.write_text(KOPPELING + "buurtbedrijf;8900;overige_inkomsten\n", encoding="utf-8")
    code, out = _load(own_db, path, koppeling, "--onderneming", "buurtbedrijf")
    assert code == 0, out
    assert _finance(own_db, "buurtbedrijf") == {
        (2024, 12, "overige_inkomsten"): 40.0,
        (2024, 2, "verhuur"): 100.0,
    }
    assert "8900 van soort M" in out


def test_a_quarter_replaces_only_its_months_and_empties_those_without_bookings(own_db, tmp_path):
    template = tmp_path / "financien.csv"
    template.write_text(
        "onderneming;jaar;maand;verhuur\n"
        + "".join(f"buurtbedrijf;2024;{m};50\n" for m in range(1, 7)),
        encoding="utf-8",
    )
    assert _load(own_db, template)[0] == 0
    bookings = [
        _pair("VRK", "1", 1, dt.date(2024, 1, 5), "1100", "8000", "10.00"),
        _pair("BNK", "2", 3, dt.date(2024, 3, 5), "1100", "1110", "5.00"),  # a transfer
    ]
    path = tmp_path / "q1.xaf"
    path.write_bytes(
        auditfile(Package(), ACCOUNTS, bookings, dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    )
    koppeling = tmp_path / "koppeling.csv"
    koppeling.write_text(KOPPELING, encoding="utf-8")
    code, out = _load(own_db, path, koppeling, "--onderneming", "buurtbedrijf")
    assert code == 0, out
    assert _finance(own_db, "buurtbedrijf") == {
        (2024, 1, "verhuur"): 10.0,  # the file's
        **{(2024, m, "verhuur"): 50.0 for m in range(4, 7)},  # untouched
    }


def test_income_needs_a_koppeling_even_with_an_rgs_code_and_the_kvk_finds_the_enterprise(
    own_db, tmp_path
):
    accounts = [
        ("1100", "Bank", "B", None),
        ("8000", "Omzet zaalverhuur", "P", "WOmzNopOdt"),
        ("4300", "Huur pand", "P", "WBedHuiHur"),
    ]
    bookings = [
        _pair("VRK", "1", 1, dt.date(2024, 1, 5), "1100", "8000", "10.00"),
        _pair("INK", "2", 1, dt.date(2024, 1, 6), "4300", "1100", "4.00"),
    ]
    path = tmp_path / "twinfield.xaf"
    path.write_bytes(auditfile(Package(version="4.0"), accounts, bookings, kvk="87654321"))
    before = _digest(own_db)
    code, out = _load(own_db, path)
    assert code == 1
    assert "rekening 8000 (Omzet zaalverhuur) heeft geen categorie" in out
    assert "samen 10,00 credit" in out
    assert "4300" not in out.split("Niet geladen")[1]  # a housing cost: RGS decides
    assert _digest(own_db) == before
    koppeling = tmp_path / "k.csv"
    koppeling.write_text("onderneming;rekening;categorie\nanders;8000;verhuur\n", encoding="utf-8")
    code, out = _load(own_db, path, koppeling)
    assert code == 0, out
    assert _finance(own_db, "anders") == {
        (2024, 1, "verhuur"): 10.0,
        (2024, 1, "huisvestingskosten"): 4.0,
    }


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;">]>'
            b'<auditfile xmlns="http://www.auditfiles.nl/XAF/3.2">&y;</auditfile>',
            "onveilige XML",
        ),
        (b'<?xml version="1.0"?><invoice xmlns="urn:x"/>', "geen XML Auditfile Financieel"),
        (b"onderneming;jaar\n", "geen geldige XML in regel 1"),
    ],
)
def test_other_xml_is_refused_plainly(own_db, tmp_path, text, says):
    path = tmp_path / "bestand.xml"
    path.write_bytes(text)
    before = _digest(own_db)
    code, out = _load(own_db, path, "--onderneming", "buurtbedrijf")
    assert code == 1 and says in out, out
    assert _digest(own_db) == before


def test_a_category_outside_the_list_is_refused_in_the_koppeling(own_db, tmp_path):
    koppeling = tmp_path / "koppeling.csv"
    koppeling.write_text("onderneming;rekening;categorie\nbuurtbedrijf;8000;zaalhuur\n")
    code, out = _load(own_db, koppeling)
    assert code == 1
    assert "koppeling.csv, rij 2, kolom categorie: onbekende categorie" in out


def test_a_rebuild_from_the_archive_loads_the_auditfile_for_its_enterprise_again(
    demo_db, tmp_path
):
    db = install(demo_db, tmp_path)  # built from files: its archive replays from the start
    path = tmp_path / "boeken.xaf"
    path.write_bytes(auditfile(Package("SnelStart"), ACCOUNTS, _bookings()))
    koppeling = tmp_path / "koppeling.csv"
    koppeling.write_text(KOPPELING.replace("buurtbedrijf", "dekroon"), encoding="utf-8")
    code, out = _load(db, path, koppeling, "--onderneming", "dekroon")
    assert code == 0, out
    before = _finance(db, "dekroon")
    assert {k: v for k, v in before.items() if k[0] == 2024} == pytest.approx(_expected_months())
    rebuilt = etl_command("rebuild", "--db", db)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _finance(db, "dekroon") == before


def test_an_amount_that_is_no_decimal_is_refused_naming_its_line(own_db, tmp_path):
    bookings = [_pair("VRK", "77", 1, dt.date(2024, 1, 5), "1100", "8000", "10.00")]
    text = auditfile(Package(), ACCOUNTS, bookings).replace(
        b"<amnt>10.00</amnt><amntTp>C</amntTp>", b"<amnt>10,00</amnt><amntTp>C</amntTp>"
    )
    path = tmp_path / "komma.xaf"
    path.write_bytes(text)
    before = _digest(own_db)
    code, out = _load(own_db, path, "--onderneming", "buurtbedrijf")
    assert code == 1
    assert "dagboek VRK, boeking 77, regel 2, rekening 8000: geen bedrag (10,00 C)" in out
    assert _digest(own_db) == before


def test_an_auditfile_of_another_enterprise_is_refused(own_db, tmp_path):
    """An enterprise loads only its own books: the file's KvK number is another's."""
    bookings = [_pair("VRK", "1", 1, dt.date(2024, 1, 5), "1100", "8000", "10.00")]
    path = tmp_path / "anders.xaf"
    path.write_bytes(auditfile(Package(version="4.0"), ACCOUNTS, bookings, kvk="87654321"))
    before = _digest(own_db)
    code, out = _load(own_db, path, "--onderneming", "buurtbedrijf")
    assert code == 1
    assert "KvK-nummer van de auditfile (87654321) is dat van onderneming anders" in out
    assert _digest(own_db) == before


def test_a_32_rgs_taxonomy_reference_decides_a_cost_account(own_db, tmp_path):
    accounts = [("1100", "Bank", "B", None), ("4300", "Huur", "P", None)]
    bookings = [_pair("INK", "1", 2, dt.date(2024, 2, 1), "4300", "1100", "75.00")]
    text = auditfile(Package(), accounts, bookings).replace(
        b"<accDesc>Huur</accDesc><accTp>P</accTp>",
        b"<accDesc>Huur</accDesc><accTp>P</accTp><taxonomies><taxonomy><taxoRef>WBedHuiHur"
        b"</taxoRef></taxonomy></taxonomies>",
    )
    path = tmp_path / "rgs32.xaf"
    path.write_bytes(text)
    code, out = _load(own_db, path, "--onderneming", "buurtbedrijf")  # no koppeling needed
    assert code == 0, out
    assert _finance(own_db, "buurtbedrijf") == {(2024, 2, "huisvestingskosten"): 75.0}
