"""SIGKILL `python -m etl load` at random moments while another process reads: never half a load;
and `rebuild` and `restore`: always the old or the new database, the archive never half-written.

The trials run the command's code (etl.cli.main) in a child forked from a process that has
imported the ETL once, so each kill lands somewhere in the command itself rather than in
Python's start-up, and a trial costs a load, not a start; the command itself loads before and
after."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from etl import archive, versions
from tests.conftest import ROOT

TRIALS = 24
KILLED = 4  # rebuilds of a small archive (a CBS file), and as many restores
ROWS = 1_000  # activities per load
SEED = 20241127

# Each read opens the database file anew, read-only, so it sees whichever file the path names
# at that moment: attached to an in-memory DuckDB kept for the process (14 ms a read, where a
# new connection took 45 ms), about 30 reads a second at less than half a core.
READER = r"""
import json, sys, time
from pathlib import Path
import duckdb

db, out, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
con = duckdb.connect(":memory:")
with out.open("w") as fh:
    while not stop.exists():
        try:
            con.execute("attach ? as db (read_only)", [db])
            try:
                tables = [r[0] for r in con.execute(
                    "select table_name from duckdb_tables() where database_name = 'db' "
                    "order by table_name").fetchall()]
                state = {t: con.execute(f'select count(*) from db."{t}"').fetchone()[0]
                         for t in tables}
            finally:
                con.execute("detach db")
            fh.write(json.dumps(state, sort_keys=True) + "\n")
        except Exception as exc:  # every failure is a finding: write it down
            fh.write("ERROR " + repr(exc) + "\n")
        fh.flush()
        time.sleep(0.02)
"""


LOADER = r"""
import json, os, signal, sys, time, traceback
from etl.cli import main
import etl.commands, etl.progress, etl.publish  # what `load` imports: a forked load starts at once
import etl.rebuild, etl.stats, etl.versions  # and `rebuild`, `restore`

for line in sys.stdin:  # {"argv", "err", "delay"}: run argv in a forked child, SIGKILL it after
    job = json.loads(line)  # delay s (None: let it finish)
    delay = "-" if job["delay"] is None else job["delay"]
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.dup2(os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC), 2)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            code = main(job["argv"])
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    if delay != "-":  # "-": let it finish
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)  # one that has ended is a zombie until waited for: its pid
    _, status = os.waitpid(pid, 0)
    print(os.waitstatus_to_exitcode(status), time.monotonic() - started, flush=True)
"""


def _state(db: Path) -> dict[str, int]:
    """Row counts of every table, through a fresh read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def _activities(path: Path, trial: int) -> Path:
    """A CSV of ROWS new activities of a demo enterprise in its own wijk (a new batch per trial)."""
    lines = [
        "onderneming;datum;activiteit;thema;wijkcode;deelnemers;vrijwilligers;vrijwilligersuren"
    ]
    start = dt.date(2023, 1, 1)
    for i in range(ROWS):
        day = start + dt.timedelta(days=i % 365)
        lines.append(
            f"bloemenhof;{day:%d-%m-%Y};Proef {trial} nr {i};Ontmoeting;WK999908;"
            f"{i % 40};{i % 5};{i % 9},5"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _load(db: Path, csv: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", str(csv), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _after(before: dict[str, int]) -> dict[str, int]:
    """What a completed load of one CSV makes of ``before``."""
    return before | {"activity": before["activity"] + ROWS, "load_log": before["load_log"] + 1}


def _leftovers(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.*.tmp*"))


def test_a_killed_load_leaves_the_old_or_the_new_database_never_half(demo_db, tmp_path):
    started = time.monotonic()
    db = tmp_path / "wijkimpact.duckdb"
    shutil.copy(demo_db, db)

    out, stop = tmp_path / "reader.jsonl", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(out), str(stop)])
    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def forked(argv: list, err: Path, kill_after: float | None = None) -> tuple[int, float]:
        """Exit code (-9: killed) and seconds of python -m etl ARGV in a forked child."""
        job = {"argv": [str(a) for a in argv], "err": str(err), "delay": kill_after}
        loader.stdin.write(json.dumps(job) + "\n")
        loader.stdin.flush()
        code, seconds = loader.stdout.readline().split()
        return int(code), float(seconds)

    def forked_load(csv: Path, kill_after: float | None = None) -> tuple[int, float]:
        """Exit code (-9: killed) and seconds of a load of ``csv`` in a forked child."""
        return forked(["load", csv, "--db", db], Path(f"{csv}.err"), kill_after)

    # complete loads first, with the reader busy: the command itself, then two forked loads
    # (how long a load takes, fork to exit)
    before = _state(db)
    legit = [json.dumps(before, sort_keys=True)]
    durations = []
    for trial in (-3, -2, -1):
        csv = _activities(tmp_path / f"proef_meting{trial}.csv", trial)
        if trial == -3:
            command = _load(db, csv)
            assert command.wait(timeout=60) == 0, command.stderr.read().decode()
        else:
            code, seconds = forked_load(csv)
            assert code == 0, Path(f"{csv}.err").read_text()
            durations.append(seconds)
        before, after = _after(before), _state(db)
        assert after == before
        legit.append(json.dumps(after, sort_keys=True))
    duration = sum(durations) / len(durations)

    rng = random.Random(SEED)
    outcome = {"voor publicatie": 0, "na publicatie": 0, "klaar voor de kill": 0}
    try:
        for trial in range(TRIALS):
            before = _state(db)
            csv = _activities(tmp_path / f"proef_{trial}.csv", trial)
            delay = rng.uniform(0.0, duration * 1.3)
            code, _ = forked_load(csv, kill_after=delay)
            state = _state(db)  # opens read-only, counts every table
            assert state in (before, _after(before)), (trial, delay, state, before)
            if code == 0:
                assert state == _after(before), Path(f"{csv}.err").read_text()
                outcome["klaar voor de kill"] += 1
            else:
                assert code == -signal.SIGKILL, Path(f"{csv}.err").read_text()
                outcome["voor publicatie" if state == before else "na publicatie"] += 1
            legit.append(json.dumps(state, sort_keys=True))
        archived = _rebuild_and_restore_trials(forked, tmp_path / "archief", rng)
    finally:
        loader.stdin.close()
        loader.wait(timeout=30)
        stop.touch()
        reader.wait(timeout=30)

    leftovers = _leftovers(db)
    # the leftovers of killed loads do not get in the way of the next load
    final_before = _state(db)
    last = _load(db, _activities(tmp_path / "proef_laatste.csv", TRIALS))
    assert last.wait(timeout=60) == 0, last.stderr.read().decode()
    assert _state(db) == _after(final_before)
    _archive_whole(db)  # what killed loads left half-written is gone; the rest is whole

    lines = out.read_text().splitlines()
    errors = [line for line in lines if line.startswith("ERROR")]
    assert not errors, errors[:5]
    seen = set(lines)
    assert seen <= set(legit), seen - set(legit)
    assert len(lines) > TRIALS
    assert outcome["voor publicatie"] > 0
    seconds = time.monotonic() - started
    print(
        f"\natomic kill: {TRIALS} proeven (load {duration:.2f} s), gekild voor publicatie "
        f"{outcome['voor publicatie']}, na publicatie {outcome['na publicatie']}, klaar voor de "
        f"kill {outcome['klaar voor de kill']}; {len(lines)} leesacties zonder fout, "
        f"{len(seen)} verschillende standen gezien; {len(leftovers)} tijdelijke bestanden "
        f"achtergebleven; {archived}; {seconds:.0f} s"
    )
    for leftover in leftovers:
        os.unlink(leftover)


def _archive_whole(db: Path) -> None:
    """Every file the manifest names is in the archive, its bytes those of its hash; no part
    of a file, no cut-off manifest line and no version that was never published is left (the
    last command cleaned them up)."""
    root = archive.archive_dir(db)
    assert (root / archive.MANIFEST).read_bytes().endswith(b"\n")
    assert not list((root / archive.FILES).glob(f"*/*{archive.PART}*"))
    kept = sorted(int(p.stem) for p in versions.versions_dir(db).glob("*.duckdb"))
    assert kept == sorted(v.nr for v in versions.list_versions(db))  # none never published
    for entry in archive.read_manifest(db):
        for file in entry["files"]:
            data = (root / archive.blob_name(file["sha256"])).read_bytes()
            assert hashlib.sha256(data).hexdigest() == file["sha256"], file


def _rebuild_and_restore_trials(forked, folder: Path, rng: random.Random) -> str:
    """Kill rebuilds and restores of a small archive at random moments: the database is always
    the old or the new one, whole; the archive stays whole and the next rebuild goes on."""
    started = time.monotonic()
    folder.mkdir()
    db, err = folder / "w.duckdb", folder / "commando.err"
    older, newer = sorted((ROOT / "data" / "demo" / "cbs").glob("*.csv"))[-2:]
    assert forked(["stats", older, "--db", db], err)[0] == 0, err.read_text()
    one_file = _state(db)
    code, rebuild_seconds = forked(["rebuild", "--db", db], err)
    assert code == 0, err.read_text()
    killed = {"herbouw": 0, "terugzetten": 0}
    for _trial in range(KILLED):
        live = versions.live_version(db)
        code, _ = forked(["rebuild", "--db", db], err, rng.uniform(0.0, rebuild_seconds * 1.3))
        assert code in (0, -signal.SIGKILL), err.read_text()
        assert _state(db) == one_file  # the old database or the new one, each whole
        now = versions.live_version(db)
        assert now == live or "replayed" in archive.entry_by_nr(archive.read_manifest(db))[now]
        killed["herbouw"] += code != 0
    assert forked(["rebuild", "--db", db], err)[0] == 0, err.read_text()  # goes on, cleans up
    assert not list(folder.glob(".*.herbouw-*.tmp"))
    first = versions.live_version(db)
    assert forked(["stats", newer, "--db", db], err)[0] == 0, err.read_text()
    newest, both = versions.live_version(db), _state(db)
    assert both != one_file
    states = {first: one_file, newest: both}
    code, restore_seconds = forked(["restore", first, "--db", db], err)
    assert code == 0 and _state(db) == one_file, err.read_text()
    for trial in range(KILLED):
        target, other = (newest, first) if trial % 2 == 0 else (first, newest)
        code, _ = forked(["restore", target, "--db", db], err, rng.uniform(0.0, restore_seconds))
        assert code in (0, -signal.SIGKILL), err.read_text()
        assert _state(db) in (states[other], states[target])
        assert versions.live_version(db) in (other, target)
        if versions.live_version(db) == other:  # killed before: put it where the next expects
            assert forked(["restore", target, "--db", db], err)[0] == 0, err.read_text()
        killed["terugzetten"] += code != 0
    _archive_whole(db)
    return (
        f"herbouw ({rebuild_seconds:.2f} s) {killed['herbouw']} van {KILLED} keer gekild, "
        f"terugzetten ({restore_seconds:.2f} s) {killed['terugzetten']} van {KILLED} keer "
        f"({time.monotonic() - started:.1f} s)"
    )
