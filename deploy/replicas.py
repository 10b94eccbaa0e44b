"""N Streamlit replicas of Wijkimpact behind one nginx on this machine (deploy/README.md).

    python -m deploy.replicas --replicas 2 --port 8501 --db data/wijkimpact.duckdb

starts the replicas (`streamlit run app.py` on free local ports, all reading the same published
database file) and nginx (the distribution's package, its own configuration, pid file and logs
in a temporary folder, in the foreground) in front of them at 127.0.0.1:PORT, until Ctrl-C.
The bench and tests/test_replicas.py use :func:`running`."""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).with_name("wijkimpact.nginx.conf")
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx")
STREAMLIT_FLAGS = (
    "--server.headless",
    "true",
    "--server.address",
    "127.0.0.1",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
    "--server.runOnSave",
    "false",
)
# Around the site file: nginx in the foreground, one worker (a Streamlit replica needs the
# cores more), everything it writes in its own folder.
MAIN_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/wijkimpact.conf;
}}
"""


@dataclass
class Cluster:
    """Running replicas behind nginx: the address users open, and each replica's own."""

    url: str
    replica_urls: list[str]
    processes: list[subprocess.Popen] = field(default_factory=list)
    nginx: subprocess.Popen | None = None


def nginx_binary() -> str | None:
    """The nginx program, or None when it is not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return next((path for path in NGINX_CANDIDATES if Path(path).exists()), None)


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(listen: str, upstreams: list[str], tag_upstream: bool = False) -> str:
    """The nginx site (deploy/wijkimpact.nginx.conf) for ``upstreams`` (host:port each);
    ``tag_upstream``: every answer names its replica in an X-Upstream header (tests, bench)."""
    servers = "\n".join(f"    server {address};" for address in upstreams)
    extra = "        add_header X-Upstream $upstream_addr always;" if tag_upstream else ""
    text = SITE.read_text(encoding="utf-8")
    return text.replace("@LISTEN@", listen).replace("@SERVERS@", servers).replace("@EXTRA@", extra)


@contextmanager
def running(
    db: Path,
    replicas: int = 2,
    port: int | None = None,
    *,
    tag_upstream: bool = False,
    env: dict[str, str] | None = None,
    logs: bool = True,
) -> Iterator[Cluster]:
    """Start ``replicas`` Streamlit servers of the app on ``db`` and nginx in front of them on
    127.0.0.1:``port`` (a free one when None); stop them all when the block ends. ``env``
    goes into the replicas' environment (WIJKIMPACT_MODE, say). ``logs``: what the replicas
    print goes into files in nginx's temporary folder (shown when one does not start);
    False: to this process's own output (the command line)."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    port = port or free_port()
    # one cookie secret for all replicas: the login cookie and the upload form's XSRF cookie
    # of one replica are valid at the others too (a restarted replica, a changed route)
    shared = {
        "WIJKIMPACT_DB": str(Path(db).resolve()),
        "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get(
            "STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32)
        ),
        **(env or {}),
    }
    with ExitStack() as stack:
        prefix = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wijkimpact-ngx-")))
        prefix.chmod(0o755)  # nginx's workers (user nobody when started as root) write here
        cluster = Cluster(f"http://127.0.0.1:{port}", [])
        stack.callback(_stop_all, cluster)
        for number in range(replicas):
            replica_port = free_port()
            log = prefix / f"replica-{number + 1}.log" if logs else None
            cluster.processes.append(_start_replica(replica_port, shared, log))
            cluster.replica_urls.append(f"http://127.0.0.1:{replica_port}")
        for number, (url, process) in enumerate(
            zip(cluster.replica_urls, cluster.processes, strict=True)
        ):
            wait_healthy(url, process, log=prefix / f"replica-{number + 1}.log")
        upstreams = [url.removeprefix("http://") for url in cluster.replica_urls]
        (prefix / "wijkimpact.conf").write_text(
            site_config(f"127.0.0.1:{port}", upstreams, tag_upstream), encoding="utf-8"
        )
        (prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix), encoding="utf-8")
        command = [nginx, "-p", str(prefix), "-e", str(prefix / "error.log")]
        command += ["-c", str(prefix / "nginx.conf"), "-g", "daemon off;"]
        cluster.nginx = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_us
        )
        wait_healthy(cluster.url, cluster.nginx, log=prefix / "error.log")
        yield cluster


def _start_replica(port: int, env: dict[str, str], log: Path | None) -> subprocess.Popen:
    """One replica; its output into ``log`` (a file, never a pipe nobody reads: a full pipe
    would stop the replica), or this process's own output when None."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    with open(log, "ab") if log else nullcontext() as output:
        return subprocess.Popen(
            command + list(STREAMLIT_FLAGS),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT if log else None,
            preexec_fn=_die_with_us,
        )


def _die_with_us() -> None:
    """In the child: end when the process that started it ends, however it ends (killed
    included), so no replica or nginx is left behind holding a port (Linux)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def wait_healthy(
    url: str, process: subprocess.Popen, seconds: float = 90, log: Path | None = None
) -> None:
    """Until ``url``/_stcore/health answers 200; raise when ``process`` ended or time ran out,
    with the end of what it wrote: ``log``, or its stderr pipe once it has ended."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            if log is not None:
                error = log.read_text(errors="replace") if log.exists() else ""
            elif process.stderr is not None and process.poll() is not None:
                error = process.stderr.read().decode(errors="replace")
            else:
                error = ""
            raise RuntimeError(f"{url} did not start: {error[-2000:]}")
        time.sleep(0.2)


def _stop_all(cluster: Cluster) -> None:
    processes = ([cluster.nginx] if cluster.nginx else []) + cluster.processes
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGQUIT if process is cluster.nginx else signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def main(argv: list[str] | None = None) -> int:
    """Run replicas behind nginx until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m deploy.replicas", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (2)")
    parser.add_argument("--port", type=int, default=8501, help="nginx's port (8501)")
    parser.add_argument(
        "--db", type=Path, default=None, help="the published database (default: WIJKIMPACT_DB)"
    )
    args = parser.parse_args(argv)
    db = args.db or os.environ.get("WIJKIMPACT_DB") or ROOT / "data" / "wijkimpact.duckdb"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with running(Path(db), args.replicas, args.port, logs=False) as cluster:
        shown = ", ".join(cluster.replica_urls)
        print(f"{cluster.url}: nginx over {args.replicas} replica(s) ({shown}); Ctrl-C stops")
        with suppress(KeyboardInterrupt):
            cluster.nginx.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
