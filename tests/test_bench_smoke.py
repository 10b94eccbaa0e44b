"""A tiny run of the benchmark (python -m bench --scale smoke): every figure is there and sane.
No timing asserts: the full benchmark is not part of the test suite (see BENCHMARKS.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench import browser
from bench.pages_bench import discover_pages
from bench.scale_data import SCALES, generate
from tests.conftest import ROOT

KEYS = (
    "etl_ratio",
    "map_bytes_national",
    "page_ratio_max",
    "server_rss_mb_10_sessions",
    "p95_ratio_20_sessions",
    "server_p95_ratio_50",
    "server_errors_50",
    "server_sessions_per_s",
    "server_rss_mb_50_sessions",
    "replica_speedup",
)


def test_scale_data_is_deterministic_and_in_the_input_formats(tmp_path):
    scale = SCALES["smoke"]
    first = generate(scale, tmp_path / "a")
    second = generate(scale, tmp_path / "b")
    for a, b in zip(first.enterprise_files, second.enterprise_files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert first.rows["activiteiten"] == scale.activities
    assert first.rows["financien"] == scale.enterprises * scale.years * 12
    financien = next(p for p in first.enterprise_files if p.name == "financien.csv")
    header, row = financien.read_bytes().decode("cp1252").splitlines()[:2]
    assert header.startswith("onderneming;jaar;maand;verhuur") and "," in row
    assert generate(scale, tmp_path / "a").cached


def test_pages_are_discovered_from_the_router():
    pages = discover_pages()
    assert "" in pages and "kaart" in pages and "methode" in pages


@pytest.mark.browser
def test_a_small_run_gives_every_figure(tmp_path):
    # the wiring of every step at the least size: the map is visited (the page of the memory
    # and concurrency steps, one session each); that every page is found is checked above
    out = tmp_path / "bench.json"
    command = [
        sys.executable, "-m", "bench", "--scale", "smoke", "--out", str(out),
        "--etl-runs", "1", "--page-runs", "1", "--memory-sessions", "1",
        "--concurrent-sessions", "1", "--page-timeout", "60", "--pages", "/kaart",
        "--load-sessions", "3", "--steady-seconds", "1", "--steady-concurrency", "2", "--quick",
        "--no-replicas",  # the replica step's measurement: tests/test_replicas.py, its cluster
    ]  # fmt: skip
    if not browser.available():
        command.append("--no-browser")
    env = {**os.environ, "WIJKIMPACT_BENCH_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert results["xaf"]["lines"] > 0 and results["xaf_ratio"] > 0  # one auditfile of 1 MB
    assert results["xaf_peak_mb"] > 0
    for key in KEYS:
        assert key in results, key
    assert results["etl_ratio"] > 0
    assert results["etl"]["rows"] == sum(results["scale"]["rows"].values())
    assert 10_000 < results["map_bytes_national"] < 50_000_000
    national = results["map"]["national"]
    assert national["areas"] > 0 and national["geometry_bytes"] < national["bytes"]
    assert results["map"]["gemeente"]["bytes"] < national["bytes"]
    # the server under load (websocket, no browser): every session got the whole page
    assert results["server_errors_50"] == 0 and results["server_load"]["sessions"] == 3
    assert results["server_load"]["kaart_bytes"] > 10_000
    assert results["server_sessions_per_s"] > 0 and results["server_rss_mb_50_sessions"] > 50
    assert results["replica_speedup"] is None  # --no-replicas: the key is there, empty
    if not browser.available():
        pytest.skip("Chromium ontbreekt: alleen ETL en kaart gemeten")
    assert results["page_ratio_max"] > 0
    assert set(results["pages"]) - {"kaart_buurt"} == {"kaart"}
    if "kaart_buurt" in results["pages"]:  # Amsterdam's buurten (../shared) on the same floor
        assert results["pages"]["kaart_buurt"]["drawn"] == ["map"]
        assert results["map"]["buurt"]["areas"] > 400 and results["map"]["buurt"]["bytes"] > 0
    assert results["page_errors"] == 0
    assert results["pages"]["kaart"]["drawn"] == ["map"]
    assert 50 < results["server_rss_mb_10_sessions"] < 24_000
    assert results["memory"]["sessions"] == 1
    assert results["concurrency"]["sessions"] == 1
    assert results["p95_ratio_20_sessions"] > 0
    assert "✓" in done.stdout or "✗" in done.stdout
