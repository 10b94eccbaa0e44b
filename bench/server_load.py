"""The server under load, without browsers (Streamlit's own websocket protocol,
bench/protocol.py): 50 sessions at once on /kaart against 50 at once on the floor page, the
sessions per second a steady stream gets, memory with 50 open sessions, and the same steady
stream through nginx over 1 and over 2 replicas (deploy/replicas.py)."""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from bench import protocol, report
from bench.pages_bench import FLOOR_APP, MAP_PAGE
from bench.protocol import ScriptRun
from bench.server import Server, process_tree_rss, serve_all
from wijkimpact.config import PROJECT_ROOT

ROUNDS = 3  # bursts of each page, alternating, pooled


def measure(
    db: Path,
    sessions: int,
    steady_s: float,
    concurrency: int,
    log=print,
    replicas: bool = True,
    quick: bool = False,
    servers: tuple | None = None,
) -> dict:
    """Every figure of the server under load, as the JSON report holds them; ``quick``: the
    least of each part, to check the wiring (one burst round, one session alone, no pauses);
    ``servers``: a floor and the app on ``db`` already running (else served for this part)."""
    return asyncio.run(_measure(db, sessions, steady_s, concurrency, log, replicas, quick, servers))


@contextmanager
def serving(db: Path) -> Iterator[tuple[Server, Server]]:
    """The floor served as the app is (Streamlit with the app's settings, .streamlit/) and the
    app on ``db``, side by side until the block ends."""
    with tempfile.TemporaryDirectory(prefix="wijkimpact-floor-") as tmp:
        floor_app = Path(tmp) / "floor_app.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        shutil.copytree(PROJECT_ROOT / ".streamlit", Path(tmp) / ".streamlit", ignore=_secrets)
        with serve_all(
            (floor_app, Path(tmp), None, ()),
            (PROJECT_ROOT / "app.py", PROJECT_ROOT, {"WIJKIMPACT_DB": str(db)}, ()),
        ) as (floor, app):
            yield floor, app


def _serving(db: Path, servers: tuple | None):
    return nullcontext(servers) if servers is not None else serving(db)


async def _measure(db, sessions, steady_s, concurrency, log, replicas, quick, servers) -> dict:
    results: dict = {}
    with _serving(db, servers) as (floor, app):
        rounds, pause = (1, 0) if quick else (ROUNDS, 1)
        results.update(await _bursts(app.url, floor.url, sessions, log, rounds, pause))
        results.update(await _memory(app, sessions, log, pause))
        cpu = _cpu_s(app.process.pid)
        runs = await protocol.steady(app.url, MAP_PAGE, steady_s, concurrency)
        cpu = _cpu_s(app.process.pid) - cpu
        results["server_sessions_per_s"] = round(protocol.sessions_per_s(runs), 2)
        results["server_steady"] = _steady(runs, steady_s, concurrency)
        # what a session costs the server in CPU: the same on a busy machine as on a quiet
        # one, where sessions per second depend on what else runs
        results["server_steady"]["cpu_ms_per_session"] = round(1000 * cpu / len(runs), 1)
        log(
            f"  steady stream on /{MAP_PAGE} ({concurrency} at a time, {steady_s:.0f} s): "
            f"{results['server_sessions_per_s']:.1f} sessions/s, "
            f"{results['server_steady']['errors']} errors, "
            f"{results['server_steady']['cpu_ms_per_session']:.0f} ms server CPU per session"
        )
    results.update(await _replicas(db, steady_s, concurrency, log) if replicas else {
        "replica_speedup": None
    })  # fmt: skip
    return results


async def _bursts(
    app_url: str, floor_url: str, sessions: int, log, rounds: int = ROUNDS, pause: float = 1
) -> dict:
    """``rounds`` bursts of each page, alternating, ``pause`` seconds apart (0: one session
    alone too, not five)."""
    for url, page in ((app_url, MAP_PAGE), (floor_url, "")):  # caches warm, first visit done
        await protocol.run_page(url, page)
    alone = 5 if pause else 1
    single = [await protocol.run_page(app_url, MAP_PAGE) for _ in range(alone)]
    floor_single = [await protocol.run_page(floor_url, "") for _ in range(alone)]
    kaart: list[ScriptRun] = []
    floor: list[ScriptRun] = []
    for _ in range(rounds):
        floor += await protocol.run_many(floor_url, "", sessions)
        await asyncio.sleep(pause)
        kaart += await protocol.run_many(app_url, MAP_PAGE, sessions)
        await asyncio.sleep(pause)
    whole = max(run.deltas for run in single)  # what one session alone receives
    kaart_errors = _errors(kaart, whole)
    floor_errors = _errors(floor, max(run.deltas for run in floor_single))
    kaart_p95 = _p95(kaart)
    floor_p95 = _p95(floor)
    ratio = kaart_p95 / floor_p95 if kaart_p95 and floor_p95 else None
    log(
        f"  {sessions} sessions at once (websocket, {rounds} rounds): /{MAP_PAGE} p95 "
        f"{kaart_p95:.2f} s, floor p95 {floor_p95:.2f} s = {ratio:.2f}x; "
        f"errors {kaart_errors} / {floor_errors}"
    )
    return {
        "server_p95_ratio_50": _round(ratio),
        "server_errors_50": kaart_errors,
        "server_load": {
            "sessions": sessions,
            "rounds": rounds,
            "kaart_p95_s": _round(kaart_p95),
            "floor_p95_s": _round(floor_p95),
            "kaart_single_s": _round(statistics.median(r.seconds for r in single)),
            "floor_single_s": _round(statistics.median(r.seconds for r in floor_single)),
            "kaart_bytes": single[-1].bytes,
            "kaart_elements": whole,
            "floor_errors": floor_errors,
            "error_messages": sorted({r.error for r in kaart + floor if r.error})[:5],
            "kaart_times_s": [round(r.seconds, 3) for r in sorted(kaart, key=_seconds)],
            "floor_times_s": [round(r.seconds, 3) for r in sorted(floor, key=_seconds)],
        },
    }


async def _memory(app, sessions: int, log, pause: float = 1) -> dict:
    idle = process_tree_rss(app.process.pid) / 1024 / 1024
    hold, received = asyncio.Event(), []
    opening = [
        asyncio.ensure_future(protocol.run_page(app.url, MAP_PAGE, hold=hold, received=received))
        for _ in range(sessions)
    ]
    while len(received) + sum(task.done() for task in opening) < sessions:
        await asyncio.sleep(0.2)
    await asyncio.sleep(2 * pause)  # their last messages, garbage
    rss = process_tree_rss(app.process.pid) / 1024 / 1024
    hold.set()
    runs = await asyncio.gather(*opening)
    log(f"  memory: {idle:.0f} MB before, {rss:.0f} MB with {sessions} open /{MAP_PAGE} sessions")
    return {
        "server_rss_mb_50_sessions": round(rss, 1),
        "server_memory_50": {
            "sessions": sessions,
            "rss_idle_mb": round(idle, 1),
            "errors": sum(1 for run in runs if run.error),
        },
    }


async def _replicas(db: Path, steady_s: float, concurrency: int, log) -> dict:
    """The same steady stream through nginx over 1 replica, then over 2 (deploy/replicas.py)."""
    from deploy import replicas

    if replicas.nginx_binary() is None:
        log("  replicas: skipped (no nginx)")
        return {"replica_speedup": None}
    rates, runs_of = {}, {}
    for count in (1, 2):
        with replicas.running(db, count, env={"WIJKIMPACT_MODE": "demo"}) as cluster:
            runs = await through_nginx(cluster, steady_s, concurrency)
        rates[count] = protocol.sessions_per_s(runs)
        runs_of[count] = _steady(runs, steady_s, concurrency)
        log(f"  nginx over {count} replica(s): {rates[count]:.1f} sessions/s")
    speedup = rates[2] / rates[1] if rates[1] else None
    return {
        "replica_speedup": _round(speedup),
        "replicas": {
            "sessions_per_s": {str(k): round(v, 2) for k, v in rates.items()},
            **{f"steady_{k}": v for k, v in runs_of.items()},
        },
    }


async def through_nginx(cluster, steady_s: float, concurrency: int) -> list[ScriptRun]:
    """The steady stream of /kaart sessions through ``cluster``'s nginx (deploy.replicas
    .Cluster), after every replica's first visit (its caches filled)."""
    for url in cluster.replica_urls:
        await protocol.run_page(url, MAP_PAGE)
    return await protocol.steady(cluster.url, MAP_PAGE, steady_s, concurrency)


def _secrets(folder: str, names: list[str]) -> list[str]:
    """Leave out secrets (a login) when copying the app's settings for the floor."""
    return [name for name in names if name.startswith("secrets")]


def _steady(runs: list[ScriptRun], seconds: float, concurrency: int) -> dict:
    ok = [run.seconds for run in runs if run.error is None]
    return {
        "seconds": seconds,
        "concurrency": concurrency,
        "sessions": len(runs),
        "errors": sum(1 for run in runs if run.error),
        "p50_s": _round(statistics.median(ok) if ok else None),
        "p95_s": _round(report.percentile(ok, 95) if ok else None),
    }


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _errors(runs: list[ScriptRun], whole: int) -> int:
    """Sessions that failed or did not receive every element one session alone receives."""
    return sum(1 for run in runs if run.error or run.deltas < whole)


def _p95(runs: list[ScriptRun]) -> float | None:
    ok = [run.seconds for run in runs if run.error is None]
    return report.percentile(ok, 95) if ok else None


def _seconds(run: ScriptRun) -> float:
    return run.seconds


def _round(value, digits: int = 3):
    return None if value is None else round(value, digits)
