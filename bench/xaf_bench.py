"""Auditfiles at scale: a generated XAF 3.2 file of about 100 MB, its validated load (python -m
etl load FILE KOPPELING --onderneming ID) against the floor of a bare streaming lxml parse of
the same file that only counts trLine elements (xaf_ratio), and the load's peak memory. Each
run is a process of its own that reports its seconds (after Python's start) and its peak RSS.

python -m bench.xaf_bench [--mb 5] runs this part alone (a quick check of the wiring)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTERPRISE = "bench_xaf"
NAMESPACE = "http://www.auditfiles.nl/XAF/3.2"
INCOME = [
    ("8000", "Opbrengst zaalverhuur", "verhuur"),
    ("8010", "Omzet café", "horeca"),
    ("8100", "Subsidie gemeente", "subsidie_gemeente"),
    ("8130", "Giften", "donaties"),
]
COSTS = [
    ("4000", "Lonen", "personeelskosten"),
    ("4300", "Huur pand", "huisvestingskosten"),
    ("4500", "Inkoop activiteiten", "activiteitenkosten"),
    ("4900", "Bankkosten", "overige_kosten"),
]
ROOT = Path(__file__).resolve().parents[1]


def write_auditfile(path: Path, megabytes: float) -> int:
    """Write an auditfile of about ``megabytes`` MB: a year of bookings of two lines each, on
    a bank account and a profit-and-loss account, with correct totals. Returns its lines."""
    transactions = max(int(megabytes * 1024 * 1024 / 464), 12)  # ~464 bytes per booking
    amounts = [10 + (n * 7919) % 99000 / 100 for n in range(transactions)]
    total = sum(round(a * 100) for a in amounts) / 100
    booked = INCOME + COSTS
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(_head(transactions * 2, total))
        body = []
        for n, amount in enumerate(amounts):
            month, day = n * 12 // transactions + 1, n % 28 + 1
            account, description, _ = booked[n % len(booked)]
            first, second = ("D", "C") if n % len(booked) < len(INCOME) else ("C", "D")
            date = f"2024-{month:02d}-{day:02d}"
            line = (
                f"<docRef>{n + 1}</docRef><effDate>{date}</effDate><desc>{description}</desc>"
                f"<amnt>{amount:.2f}</amnt>"
            )
            body.append(
                f"<transaction><nr>{n + 1}</nr><desc>Boeking {description}</desc>"
                f"<periodNumber>{month}</periodNumber><trDt>{date}</trDt>\n"
                f"<trLine><nr>1</nr><accID>1100</accID>{line}<amntTp>{first}</amntTp></trLine>\n"
                f"<trLine><nr>2</nr><accID>{account}</accID>{line}<amntTp>{second}</amntTp>"
                "</trLine>\n</transaction>\n"
            )
            if len(body) == 10_000:
                out.write("".join(body))
                body = []
        out.write("".join(body))
        out.write("</journal>\n</transactions></company></auditfile>\n")
    return transactions * 2


def _head(lines: int, total: float) -> str:
    """The header, ledger, periods and the totals of the transactions."""
    accounts = [("1100", "Bank", "B")] + [(a, d, "P") for a, d, _ in INCOME + COSTS]
    ledger = "".join(
        f"<ledgerAccount><accID>{a}</accID><accDesc>{d}</accDesc><accTp>{t}</accTp>"
        "</ledgerAccount>\n"
        for a, d, t in accounts
    )
    periods = "".join(
        f"<period><periodNumber>{m}</periodNumber><startDatePeriod>2024-{m:02d}-01"
        f"</startDatePeriod><endDatePeriod>2024-{m:02d}-{_last_day(m):02d}</endDatePeriod>"
        "</period>"
        for m in range(1, 13)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<auditfile xmlns="{NAMESPACE}">\n'
        "<header><fiscalYear>2024</fiscalYear><startDate>2024-01-01</startDate>"
        "<endDate>2024-12-31</endDate><curCode>EUR</curCode>"
        "<softwareDesc>Bench</softwareDesc></header>\n<company><companyIdent>1</companyIdent>"
        f"<companyName>Bench</companyName>\n<generalLedger>\n{ledger}</generalLedger>\n"
        f"<periods>{periods}</periods>\n<transactions><linesCount>{lines}</linesCount>"
        f"<totalDebit>{total:.2f}</totalDebit><totalCredit>{total:.2f}</totalCredit>\n"
        "<journal><jrnID>MEM</jrnID><desc>Memoriaal</desc>\n"
    )


def _last_day(month: int) -> int:
    return 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31


def write_koppeling(path: Path) -> None:
    rows = "".join(f"{ENTERPRISE};{a};{d};{c}\n" for a, d, c in INCOME + COSTS)
    path.write_text("onderneming;rekening;omschrijving;categorie\n" + rows, encoding="utf-8")


def base_database(path: Path) -> Path:
    """A database with one enterprise (and its wijk) for the auditfile to load into."""
    from etl.publish import staged_database

    with staged_database(path, fresh=True) as con:
        con.execute(
            "insert into area (area_code, level, name, parent_code, gemeente_code) "
            "values ('WK099901', 'wijk', 'Benchwijk', 'GM0999', 'GM0999')"
        )
        con.execute(
            "insert into enterprise (enterprise_id, name, area_code) "
            f"values ('{ENTERPRISE}', 'Bench', 'WK099901')"
        )
    return path


def _child(mode: str, *args: str) -> dict:
    """Run one measurement in a process of its own: its seconds and peak RSS (MB)."""
    found = subprocess.run(
        [sys.executable, "-m", "bench.xaf_bench", "--child", mode, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout.strip().splitlines()[-1])


def _floor(path: str) -> int:
    """A bare streaming lxml parse that counts trLine elements (and drops them)."""
    from lxml import etree

    count = 0
    for _, elem in etree.iterparse(path, events=("end",), tag="{*}trLine"):
        count += 1
        elem.clear(keep_tail=False)
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    return count


def _load(path: str, koppeling: str, db: str) -> int:
    from etl.commands import load_enterprise_files
    from etl.progress import Steps
    from etl.publish import staged_database
    from etl.xaf.finance import given_enterprise

    files = [Path(path), Path(koppeling)]
    with (
        open(os.devnull, "w") as quiet,
        staged_database(Path(db)) as con,
        given_enterprise(ENTERPRISE),
    ):
        results = load_enterprise_files(con, files, Steps(2, quiet))
    return results[0].rows


def measure(megabytes: float = 100, runs: int = 3, log=print) -> dict:
    """Alternate floor and validated load ``runs`` times on one generated file."""
    with tempfile.TemporaryDirectory(prefix="wijkimpact-xaf-") as tmp:
        folder = Path(tmp)
        xaf, koppeling = folder / "bench.xaf", folder / "koppeling.csv"
        started = time.perf_counter()
        lines = write_auditfile(xaf, megabytes)
        write_koppeling(koppeling)
        base = base_database(folder / "base.duckdb")
        size_mb = xaf.stat().st_size / 1024 / 1024
        seconds = time.perf_counter() - started
        log(f"  auditfile: {size_mb:.1f} MB, {lines:,} lines (written in {seconds:.1f} s)")
        floors, loads = [], []
        for run in range(runs):
            floors.append(_child("floor", str(xaf)))
            target = folder / "load.duckdb"
            target.write_bytes(base.read_bytes())
            loads.append(_child("load", str(xaf), str(koppeling), str(target)))
            assert floors[-1]["count"] == lines == loads[-1]["count"]
            log(
                f"  XAF run {run + 1}/{runs}: floor {floors[-1]['seconds']:.2f} s, validated "
                f"load {loads[-1]['seconds']:.2f} s, peak {loads[-1]['peak_mb']:.0f} MB"
            )
    floor = statistics.median(f["seconds"] for f in floors)
    load = statistics.median(x["seconds"] for x in loads)
    return {
        "xaf_ratio": round(load / floor, 3),
        "xaf_peak_mb": round(max(x["peak_mb"] for x in loads), 1),
        "xaf": {
            "file_mb": round(size_mb, 1),
            "lines": lines,
            "floor_s": [round(f["seconds"], 3) for f in floors],
            "load_s": [round(x["seconds"], 3) for x in loads],
            "floor_cpu_s": [round(f["cpu_s"], 3) for f in floors],
            "load_cpu_s": [round(x["cpu_s"], 3) for x in loads],
            "floor_peak_mb": round(max(f["peak_mb"] for f in floors), 1),
            "load_peak_mb": round(max(x["peak_mb"] for x in loads), 1),
        },
    }


def _run_child(mode: str, args: list[str]) -> None:
    """One run, timed from after the imports (Python's and the ETL's start are not the
    load), with its CPU seconds beside the wall-clock ones (the machine may be shared)."""
    if mode == "load":
        import etl.commands  # noqa: F401
        import etl.xaf.finance  # noqa: F401
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    count = _floor(args[0]) if mode == "floor" else _load(*args)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak_mb = _peak_rss_kb() / 1024
    print(json.dumps({"seconds": seconds, "cpu_s": cpu, "peak_mb": peak_mb, "count": count}))


def _peak_rss_kb() -> int:
    """This process image's peak resident memory (VmHWM). Not ru_maxrss: Linux keeps in it
    the peak of the process that forked this one before its exec (the bench, gigabytes after
    the ETL step)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.xaf_bench", description=__doc__)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--mb", type=float, default=100, help="size of the auditfile")
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if options.child:
        _run_child(options.child[0], options.child[1:])
    else:
        found = measure(options.mb, options.runs, lambda text: print(text, file=sys.stderr))
        print(json.dumps(found, indent=2))
