"""python -m bench [--out FILE] | python -m bench generate [--out DIR]: see BENCHMARKS.md."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench import report
from bench.scale_data import SCALES, cache_root, generate


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or only generate its data); return the exit code."""
    # on SIGTERM unwind normally, so the Streamlit servers and Chromium are stopped too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = _parser()
    args = parser.parse_args(argv)
    if args.pages:
        from bench.pages_bench import discover_pages

        unknown = sorted({path.strip("/") for path in args.pages} - set(discover_pages()))
        if unknown:
            parser.error(f"--pages: not a page of the app: {', '.join(unknown)}")
    scale = SCALES[args.scale]
    if args.command == "generate":
        data = generate(scale, args.out, force=args.force)
        state = "reused" if data.cached else f"written in {data.seconds:.1f} s"
        print(
            f"{data.folder}: {data.rows} ({data.areas_kind} areas, {data.wijken} wijken), {state}"
        )
        return 0
    out = args.out or cache_root() / f"results-{scale.name}.json"
    results = run(scale, args)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print()
    print(report.table(results))
    print(f"\n{results['seconds_total']:.0f} s in all; figures in {out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("command", nargs="?", choices=["run", "generate"], default="run")
    parser.add_argument("--out", type=Path, default=None, help="JSON file (generate: folder)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--force", action="store_true", help="generate again, even if cached")
    parser.add_argument("--etl-runs", type=int, default=3, help="floor/load pairs (median)")
    parser.add_argument(
        "--xaf-mb", type=float, default=None, help="auditfile size (national: 100, smoke: 1)"
    )
    parser.add_argument("--page-runs", type=int, default=5, help="visits per page (median)")
    parser.add_argument("--memory-sessions", type=int, default=10)
    parser.add_argument("--concurrent-sessions", type=int, default=20)
    parser.add_argument("--page-timeout", type=float, default=120, help="seconds per visit")
    parser.add_argument("--no-browser", action="store_true", help="leave out pages and load")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="PATH",
        help="visit only these page addresses (/ and /kaart, say): a quick run of the wiring "
        "(tests/test_bench_smoke.py); every page of the router by default",
    )
    parser.add_argument("--load-sessions", type=int, default=50, help="websocket sessions at once")
    parser.add_argument("--steady-seconds", type=float, default=30, help="steady stream length")
    parser.add_argument("--steady-concurrency", type=int, default=8, help="sessions at a time")
    parser.add_argument("--no-replicas", action="store_true", help="leave out nginx + replicas")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="the least of every step, to check the wiring (tests/test_bench_smoke.py): no "
        "warm-up or first visits apart, no settling pauses, one burst round",
    )
    return parser


def log(text: str) -> None:
    """Progress on stderr."""
    print(text, file=sys.stderr, flush=True)


def run(scale, args) -> dict:
    """Every measurement, in one process, on this machine; returns the JSON figures."""
    from bench import browser, etl_bench, map_bench, xaf_bench

    started = time.perf_counter()
    results: dict = {"machine_before": report.machine()}
    data = generate(scale)
    log(f"scale data: {data.folder} ({'cached' if data.cached else f'{data.seconds:.0f} s'})")
    results["scale"] = {
        "name": scale.name,
        "enterprises": scale.enterprises,
        "years": list(scale.year_range),
        "rows": data.rows,
        "areas": data.areas_kind,
        "wijken": data.wijken,
        "large_gemeente": data.large_gemeente,
        "generate_s": round(data.seconds, 2),
    }
    db = data.folder / "loaded.duckdb"
    log("ETL ...")
    etl = etl_bench.measure(data, args.etl_runs, db, log)
    reload_s = etl_bench.reload_once(data.enterprise_files, db)
    log(f"  reload of the same files (every unit compared, none changed): {reload_s:.2f} s")
    results["etl_ratio"] = round(etl.ratio, 3)
    results["etl"] = {
        "rows": etl.rows,
        "floor_s": [round(s, 3) for s in etl.floor_s],
        "load_s": [round(s, 3) for s in etl.load_s],
        "floor_median_s": round(etl.floor, 3),
        "load_median_s": round(etl.load, 3),
        "reload_s": round(reload_s, 3),
        "reload_ratio": round(reload_s / etl.floor, 3),
    }
    xaf_mb = args.xaf_mb or (100 if scale.name == "national" else 1)
    log(f"auditfile (XAF, {xaf_mb:g} MB) ...")
    results.update(xaf_bench.measure(xaf_mb, args.etl_runs, log))
    log("map payload (AppTest on /kaart) ...")
    national = map_bench.measure(db, None)
    one = map_bench.measure(db, data.large_gemeente)
    results["map_bytes_national"] = national.bytes
    results["map"] = {"national": national.as_dict(), "gemeente": one.as_dict()}
    log(
        f"  national: {national.bytes:,} bytes ({national.areas} areas; geometry "
        f"{national.geometry_bytes:,}, figure {national.figure_bytes:,}), "
        f"{national.cold_s:.2f} s cold / {national.warm_s:.2f} s warm; "
        f"{data.large_gemeente}: {one.bytes:,} bytes, {one.cold_s:.2f} s / {one.warm_s:.2f} s"
    )
    with contextlib.ExitStack() as stack:
        # --quick: one floor and one app for the pages, the server under load and the buurt
        # map, the app on the database with Amsterdam's buurten (when there are)
        shared = buurten = None
        if args.no_browser or not browser.available():
            log("pages: skipped (--no-browser, or no Chromium/Playwright)")
            for key in ("page_ratio_max", "server_rss_mb_10_sessions", "p95_ratio_20_sessions"):
                results[key] = None
        else:
            if args.quick:
                from bench import buurt_bench, pages_bench

                folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                buurten = buurt_bench.prepare(db, folder)
                shared = stack.enter_context(pages_bench.serving(buurten or db, _geometry(results)))
            _pages(results, db, args, shared)
        _server_load(results, db, args, shared, buurten)
    results["machine"] = report.machine()
    results["seconds_total"] = round(time.perf_counter() - started, 1)
    return results


def _server_load(
    results: dict, db: Path, args, shared: tuple | None = None, buurten: Path | None = None
) -> None:
    """The server under load without browsers, and replicas behind nginx (bench/server_load.py);
    the buurt map of the largest gemeente whose buurten are there (bench/buurt_bench.py).
    ``shared``: the floor, the map floor and the app already running (--quick), the app on
    ``buurten`` (the database with Amsterdam's buurten, None without it)."""
    from bench import buurt_bench, server_load

    servers = (shared[0], shared[2]) if shared else None

    log("the server under load (Streamlit's websocket, no browser) ...")
    results.update(
        server_load.measure(
            db,
            args.load_sessions,
            args.steady_seconds,
            args.steady_concurrency,
            log,
            replicas=not args.no_replicas,
            quick=args.quick,
            servers=servers,
        )
    )
    buurt_bench.measure(results, db, args, log, (buurten, shared[2]) if shared else None)


def _geometry(results: dict) -> Path | None:
    """The national GeoJSON file of /kaart (for the bare map's floor), when there is one."""
    from bench import map_bench

    url = results.get("map", {}).get("national", {}).get("geometry_url")
    return map_bench.static_file(url) if url else None


def _pages(results: dict, db: Path, args, servers: tuple | None = None) -> None:
    from bench import pages_bench

    log("pages, memory and concurrency (headless Chromium) ...")
    pages = pages_bench.measure(
        db,
        args.page_runs,
        args.memory_sessions,
        args.concurrent_sessions,
        log,
        args.page_timeout,
        _geometry(results),
        [path.strip("/") for path in args.pages] if args.pages else None,
        args.quick,
        servers,
    )
    floor = report.median(pages.floor)
    results["browser"] = pages.browser
    results["page_floor_s"] = [round(s, 3) for s in pages.floor]
    results["page_floor_median_s"] = round(floor, 3)
    if pages.map_floor:  # the bare national map: what the map alone costs in this browser
        bare = report.median(pages.map_floor)
        kaart = pages.median(pages_bench.MAP_PAGE)
        results["map_floor"] = {
            "runs_s": [round(s, 3) for s in pages.map_floor],
            "median_s": round(bare, 3),
            "ratio_to_page_floor": round(bare / floor, 3),
            "kaart_ratio_to_map_floor": _round(kaart / bare if kaart else None),
        }
    results["pages"] = {
        path: {
            "median_s": _round(pages.median(path)),
            "ratio": _round(pages.ratio(path)),
            "runs_s": [round(v.seconds, 3) for v in visits],
            "arrived_s": [_round(v.arrived) for v in visits],
            "drawn": sorted({v.drawn for v in visits if v.drawn}),
            "errors": [v.error for v in visits if v.error],
            "first_visit_s": _round(pages.first_visit[path].seconds),
            "first_visit_error": pages.first_visit[path].error,
        }
        for path, visits in pages.pages.items()
    }
    ratios = [p["ratio"] for p in results["pages"].values() if p["ratio"] is not None]
    results["page_ratio_max"] = max(ratios) if ratios else None
    results["page_errors"] = sum(len(p["errors"]) for p in results["pages"].values())
    results["server_rss_mb_10_sessions"] = round(pages.rss_sessions_mb, 1)
    results["memory"] = {
        "sessions": pages.sessions_open,
        "sessions_drawn": pages.sessions_drawn,
        "rss_idle_mb": round(pages.rss_idle_mb, 1),
        "rss_sessions_mb": round(pages.rss_sessions_mb, 1),
    }
    times = [v.seconds for v in pages.concurrent]
    arrived = [v.arrived for v in pages.concurrent if v.arrived is not None]
    single_arrived = report.median(
        [v.arrived for v in pages.pages.get(pages_bench.MAP_PAGE, []) if v.arrived is not None]
    )
    single = pages.median(pages_bench.MAP_PAGE)
    p95 = report.percentile(times, 95) if times else None
    results["p95_ratio_20_sessions"] = _round(p95 / single if p95 and single else None)
    results["concurrency"] = {
        "sessions": len(times),
        "p95_s": _round(p95),
        "single_s": _round(single),
        "errors": sum(1 for v in pages.concurrent if v.error),
        "error_messages": sorted({v.error for v in pages.concurrent if v.error}),
        "times_s": [round(t, 3) for t in sorted(times)],
        # the server's part: until the page's content had arrived (drawn or not)
        "arrived_p95_s": _round(report.percentile(arrived, 95) if arrived else None),
        "arrived_single_s": _round(single_arrived),
        "arrived_times_s": [round(t, 3) for t in sorted(arrived)],
        **_context(pages),
        "browser_cpu": _browser_cpu(pages, single, len(times)),
    }


def _browser_cpu(pages, single: float | None, sessions: int) -> dict:
    """The browsers' own CPU: what one /kaart visit costs them, and the shortest the slowest of
    ``sessions`` visits at once could take when all browsers share this machine's cores."""
    cores = os.cpu_count() or 1
    alone = pages.browser_cpu_single_s
    bound = sessions * alone / cores
    return {
        "cores": cores,
        "single_s": _round(alone),
        "per_session_at_once_s": _round(
            pages.browser_cpu_concurrent_s / sessions if sessions else None
        ),
        "lower_bound_s": _round(bound),
        "lower_bound_ratio": _round(bound / single if single and alone else None),
    }


def _context(pages) -> dict:
    """The floor page in the same 20-browser harness, and the server's part alone."""
    floor_times = [v.seconds for v in pages.floor_concurrent if v.error is None]
    floor_single = report.median(pages.floor)
    floor_p95 = report.percentile(floor_times, 95) if floor_times else None
    alone = [r.seconds for r in pages.server_single if r.error is None]
    together = [r.seconds for r in pages.server_concurrent if r.error is None]
    server_single = report.median(alone)
    server_p95 = report.percentile(together, 95) if together else None
    return {
        "floor_p95_s": _round(floor_p95),
        "floor_p95_ratio": _round(floor_p95 / floor_single if floor_p95 and floor_single else None),
        "floor_errors": sum(1 for v in pages.floor_concurrent if v.error),
        "server": {
            "single_s": _round(server_single),
            "p95_s": _round(server_p95),
            "ratio": _round(server_p95 / server_single if server_p95 and server_single else None),
            "errors": sum(1 for r in pages.server_concurrent if r.error),
            "bytes": pages.server_single[-1].bytes if pages.server_single else None,
            "times_s": [round(t, 3) for t in sorted(together)],
        },
    }


def _round(value, digits: int = 3):
    return None if value is None else round(value, digits)


if __name__ == "__main__":
    sys.exit(main())
