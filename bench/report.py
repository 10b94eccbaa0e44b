"""The benchmark's figures against their targets: a printed table and a JSON file."""

from __future__ import annotations

import os
import platform
import statistics
from pathlib import Path

# key: (label, target, unit, how the figure compares with the target)
TARGETS = {
    "etl_ratio": ("ETL: validated load / DuckDB read_csv", 2.0, "x", "max"),
    "map_bytes_national": ("Map payload, all wijken of NL", 1_500_000, "bytes", "max"),
    "page_ratio_max": ("Slowest page / floor page", 1.5, "x", "max"),
    "server_rss_mb_10_sessions": ("Server memory, 10 /kaart sessions", 600, "MB", "max"),
    "server_p95_ratio_50": ("Server, 50 at once: /kaart p95 / floor", 1.5, "x", "max"),
    "server_rss_mb_50_sessions": ("Server memory, 50 /kaart sessions", 800, "MB", "max"),
    "replica_speedup": ("nginx, 2 replicas / 1: sessions per s", 1.5, "x", "min"),
}


def passed(key: str, value, results: dict) -> bool | None:
    """Whether a figure meets its target (None when it was not measured)."""
    if value is None:
        return None
    target, direction = TARGETS[key][1], TARGETS[key][3]
    ok = value >= target if direction == "min" else value <= target
    if key == "server_p95_ratio_50":
        ok = ok and results.get("server_errors_50") == 0
    if key == "page_ratio_max":
        ok = ok and not results.get("page_errors")
    return ok


# the auditfile (bench/xaf_bench.py): its validated load against a bare parse, and its memory
TARGETS |= {
    "xaf_ratio": ("Auditfile 100 MB: validated load / bare lxml parse", 3.0, "x", "max"),
    "xaf_peak_mb": ("Auditfile 100 MB: peak memory of the load", 500, "MB", "max"),
}


def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        ram_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError):
        ram_gb = None
    versions = {}
    for module in ("duckdb", "pandas", "streamlit", "plotly", "playwright"):
        try:
            from importlib.metadata import version

            versions[module] = version(module)
        except Exception:  # noqa: BLE001 - a missing package is just not reported
            versions[module] = None
    return {
        "nproc": os.cpu_count(),
        "ram_gb": ram_gb,
        "cpu": cpu,
        "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **versions,
    }


def _format(key: str, value) -> str:
    if value is None:
        return "not measured"
    unit = TARGETS[key][2]
    if unit == "bytes":
        return f"{value / 1_000_000:.2f} MB ({value:,} bytes)"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f}x"


def table(results: dict) -> str:
    """The five headline figures with their targets, ✓ or ✗."""
    lines = [f"{'figure':<40} {'measured':<28} {'target':<12} ok"]
    if results.get("browser"):
        lines.insert(0, f"pages measured in {results['browser']}")
    for key, (label, target, unit, _) in TARGETS.items():
        value = results.get(key)
        sign = "≥" if TARGETS[key][3] == "min" else "≤"
        shown_target = (
            f"{sign} {target / 1_000_000:.1f} MB"
            if unit == "bytes"
            else f"{sign} {target:g}{'' if unit == 'x' else ' '}{unit}"
        )
        mark = {True: "✓", False: "✗", None: "-"}[passed(key, value, results)]
        lines.append(f"{label:<40} {_format(key, value):<28} {shown_target:<12} {mark}")
    pages = results.get("pages", {})
    if pages:
        lines.append("")
        lines.append(f"{'page':<16} {'median s':>9} {'/ floor':>8} {'first visit s':>14}  drawn")
        floor = results.get("page_floor_median_s")
        lines.append(f"{'(floor)':<16} {floor or 0:>9.2f} {1:>8.2f}")
        bare = results.get("map_floor")
        if bare:
            lines.append(
                f"{'(bare NL map)':<16} {bare['median_s']:>9.2f} "
                f"{bare['ratio_to_page_floor']:>8.2f}  (the national map alone on a page)"
            )
        for path, page in pages.items():
            median = page.get("median_s")
            ratio = page.get("ratio")
            lines.append(
                f"{'/' + path:<16} {median if median is not None else float('nan'):>9.2f} "
                f"{ratio if ratio is not None else float('nan'):>8.2f} "
                f"{page.get('first_visit_s') or float('nan'):>14.2f}  {page.get('drawn')}"
                + (f"  ERRORS: {page['errors']}" if page.get("errors") else "")
            )
    concurrency = results.get("concurrency")
    if concurrency and concurrency.get("arrived_p95_s"):
        lines.append("")
        lines.append(
            f"20 sessions at once, until the page's content had arrived in the browser: "
            f"p95 {concurrency['arrived_p95_s']:.2f} s, single "
            f"{concurrency.get('arrived_single_s') or float('nan'):.2f} s"
        )
    if concurrency and concurrency.get("floor_p95_ratio"):
        lines.append(
            f"the floor page in the same harness (20 browsers on these cores): p95 "
            f"{concurrency['floor_p95_s']:.2f} s = {concurrency['floor_p95_ratio']:.1f}x its single"
        )
    cpu = (concurrency or {}).get("browser_cpu") or {}
    if cpu.get("lower_bound_ratio"):
        lines.append(
            f"the browsers' own CPU: {cpu['single_s']:.2f} s for one /kaart visit "
            f"({cpu['per_session_at_once_s']:.2f} s each with {concurrency['sessions']} at once); "
            f"{concurrency['sessions']} visits on "
            f"{cpu['cores']} cores take at least {cpu['lower_bound_s']:.1f} s = "
            f"{cpu['lower_bound_ratio']:.1f}x a single visit"
        )
    server = (concurrency or {}).get("server") or {}
    if server.get("p95_s"):
        lines.append(
            f"the server alone (Streamlit's websocket, no browser), /kaart: "
            f"{server['single_s']:.3f} s per session, p95 {server['p95_s']:.2f} s with 20 at once, "
            f"{server['errors']} errors"
        )
    lines += _server_lines(results)
    return "\n".join(lines)


def _server_lines(results: dict) -> list[str]:
    """The server under load (websocket, no browser) and the replicas, in words."""
    lines = []
    load = results.get("server_load")
    if load:
        lines.append(
            f"the server, {load['sessions']} sessions at once ({load['rounds']} rounds): /kaart "
            f"p95 {load['kaart_p95_s']:.2f} s, floor page p95 {load['floor_p95_s']:.2f} s; "
            f"{results.get('server_errors_50')} errors; "
            f"one session alone {load['kaart_single_s']:.3f} s ({load['kaart_bytes']:,} bytes)"
        )
    if results.get("server_sessions_per_s") is not None:
        steady = results.get("server_steady", {})
        lines.append(
            f"steady stream on /kaart: {results['server_sessions_per_s']:.1f} sessions per s "
            f"({steady.get('concurrency')} at a time, {steady.get('seconds'):g} s, p95 "
            f"{steady.get('p95_s')} s, {steady.get('errors')} errors; "
            f"{steady.get('cpu_ms_per_session')} ms of server CPU per session)"
        )
    rates = (results.get("replicas") or {}).get("sessions_per_s")
    if rates:
        lines.append(
            "through nginx: "
            + ", ".join(f"{n} replica(s) {rate:.1f} sessions per s" for n, rate in rates.items())
        )
    buurt = (results.get("map") or {}).get("buurt")
    if buurt:
        lines.append(
            f"buurt map {buurt['gemeente']}: {buurt['bytes']:,} bytes ({buurt['areas']} buurten; "
            f"geometry {buurt['geometry_bytes']:,}, figure {buurt['figure_bytes']:,})"
        )
    return [""] + lines if lines else []


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile with linear interpolation (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: list[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None
