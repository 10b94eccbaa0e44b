"""A Streamlit server for the benchmark: started with `streamlit run` on a free local port,
its resident memory read from /proc (with its child processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from deploy.replicas import STREAMLIT_FLAGS, free_port, wait_healthy

# the bench serves the app as the replicas of deploy/ do, on loopback
FLAGS = list(STREAMLIT_FLAGS)


@dataclass
class Server:
    """A running Streamlit server."""

    url: str
    process: subprocess.Popen

    def rss_mb(self) -> float:
        """Resident memory of the server and its children, in MB."""
        return process_tree_rss(self.process.pid) / 1024 / 1024


@contextmanager
def serve(
    script: Path, cwd: Path, env: dict[str, str] | None = None, flags: tuple[str, ...] = ()
) -> Iterator[Server]:
    """Run ``streamlit run script`` in ``cwd`` until the block ends (``flags``: more options)."""
    with serve_all((script, cwd, env, flags)) as (server,):
        yield server


@contextmanager
def serve_all(*apps: tuple) -> Iterator[list[Server]]:
    """Several servers (each ``(script, cwd, env, flags)`` as :func:`serve` takes them), started
    together, so that their starts overlap; all stopped when the block ends."""
    servers: list[Server] = []
    try:
        for script, cwd, env, flags in apps:
            port = free_port()
            command = [sys.executable, "-m", "streamlit", "run", str(script)]
            process = subprocess.Popen(
                command + ["--server.port", str(port)] + FLAGS + list(flags),
                cwd=cwd,
                env={**os.environ, "WIJKIMPACT_MODE": "demo", **(env or {})},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            servers.append(Server(f"http://127.0.0.1:{port}", process))
        for server in servers:
            wait_healthy(server.url, server.process)
        yield servers
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait(timeout=15)


def process_tree_rss(pid: int) -> int:
    """Resident set size in bytes of a process and all its descendants (Linux /proc)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        total += _rss(current)
        todo.extend(_children(current))
    return total


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text()
            found += [int(p) for p in text.split()]
    except OSError:
        pass
    return found


def cpu_seconds_of(executable: Path) -> float:
    """CPU seconds (user + system) used so far by the running processes of a program named as
    ``executable`` (a browser and its renderers: /usr/bin/chromium is a shell script that starts
    /usr/lib/chromium/chromium); a process that has ended no longer counts."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")[0].split(b" ")[0]
            if Path(command.decode(errors="replace")).name != executable.name:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks
