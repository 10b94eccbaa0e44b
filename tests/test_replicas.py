"""nginx in front of two replicas of the app (deploy/, as deploy/README.md runs it): a browser
keeps its replica for every request and its websocket, and a load published while sessions are
open on both replicas shows in each on its next rerun (they read the same database file)."""

from __future__ import annotations

import asyncio
import shutil
import urllib.request

import pytest

from bench import protocol, server_load
from deploy import replicas
from tests.conftest import etl_command
from tests.live_app import run_async

pytestmark = pytest.mark.skipif(
    replicas.nginx_binary() is None, reason="nginx ontbreekt (apt-get install nginx-light)"
)

NEW = "Buurtbedrijf Replicatest"
PAGE = "onderneming"  # lists the public enterprises by name


@pytest.fixture(scope="module")
def cluster(demo_db, tmp_path_factory):
    """nginx over two replicas on a copy of the demo database (this test loads into it)."""
    db = tmp_path_factory.mktemp("replicas") / "wijkimpact.duckdb"
    shutil.copyfile(demo_db, db)
    with replicas.running(db, 2, tag_upstream=True, env={"WIJKIMPACT_MODE": "demo"}) as running:
        yield running, db


def _get(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """The replica that answered (nginx's X-Upstream) and the replica cookie nginx sets, if
    any (Streamlit sets cookies of its own)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200, url
        cookies = answer.headers.get_all("Set-Cookie") or []
        ours = [c for c in cookies if c.startswith("wijkimpact_replica=")]
        assert len(ours) <= 1, cookies
        return answer.headers["X-Upstream"], ours[0] if ours else None


def _browsers(running) -> dict[str, str]:
    """First visits without a cookie until one landed on each replica: replica -> its cookie."""
    cookies: dict[str, str] = {}
    for _ in range(60):
        upstream, cookie = _get(running.url + "/")
        assert cookie is not None  # a first visit gets one
        assert "HttpOnly" in cookie and "Path=/" in cookie
        cookies.setdefault(upstream, cookie.split(";")[0])
        if len(cookies) == 2:
            break
    return cookies


def test_a_browser_keeps_its_replica(cluster):
    running, _ = cluster
    cookies = _browsers(running)
    # new browsers are spread over both replicas
    assert set(cookies) == {url.removeprefix("http://") for url in running.replica_urls}
    for upstream, cookie in cookies.items():
        for path in ("/", "/kaart", "/_stcore/health", "/_stcore/host-config", "/"):
            seen, new_cookie = _get(running.url + path, cookie)
            assert seen == upstream, path
            assert new_cookie is None, path  # a browser with a cookie keeps it
        # the page's websocket (the Streamlit session) reaches the same replica, and works
        run = run_async(protocol.run_page(running.url, PAGE, headers={"Cookie": cookie}))
        assert run.error is None and run.deltas > 0
        assert run.upstream == upstream


async def _rerun(socket, page: str) -> bytes:
    """Ask the open session to run ``page`` again; every message until that run ended."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ask = BackMsg()
    ask.rerun_script.page_name = page
    ask.rerun_script.query_string = ""
    await socket.send(ask.SerializeToString())
    received, deltas = b"", 0
    while True:
        data = await asyncio.wait_for(socket.recv(), 60)
        received += data
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        deltas += kind == "delta"
        if kind == "script_finished" and deltas:
            return received


async def _sessions_around(running, cookies: dict[str, str], publish) -> dict:
    """A session open on each replica; the page before ``publish()`` and on the rerun after."""
    from websockets.asyncio.client import connect

    seen = {}
    address = running.url.replace("http://", "ws://") + "/_stcore/stream"
    sockets = [
        await connect(address, subprotocols=["streamlit"], max_size=None, additional_headers={
            "Cookie": cookie
        })
        for cookie in cookies.values()
    ]  # fmt: skip
    try:
        before = [await _rerun(socket, PAGE) for socket in sockets]
        publish()
        after = [await _rerun(socket, PAGE) for socket in sockets]
        for socket, old, new in zip(sockets, before, after, strict=True):
            seen[socket.response.headers["X-Upstream"]] = (old, new)
    finally:
        for socket in sockets:
            await socket.close()
    return seen


def test_a_load_shows_on_every_replica_at_its_next_rerun(cluster, tmp_path):
    running, db = cluster
    upload = tmp_path / "ondernemingen.csv"
    upload.write_text(
        f"id;naam;wijkcode;publiek\nreplicatest;{NEW};WK999908;ja\n", encoding="utf-8"
    )
    loads = []

    def publish() -> None:  # what /gegevens does on an upload, through etl/api.py
        loads.append(etl_command("load", upload, "--db", db))

    seen = run_async(_sessions_around(running, _browsers(running), publish))
    assert loads[0].returncode == 0, loads[0].stderr
    assert "1 nieuw" in loads[0].stdout
    assert set(seen) == {url.removeprefix("http://") for url in running.replica_urls}
    for upstream, (before, after) in seen.items():
        assert b"Bewonersbedrijf De Kroon" in before, upstream  # the page drew its list
        assert NEW.encode() not in before, upstream
        assert NEW.encode() in after, upstream


def test_the_bench_measures_sessions_through_nginx(cluster):
    # the bench's replica step (bench/server_load.py) on this cluster: a steady stream of
    # whole /kaart pages through nginx, spread over both replicas; the bench's smoke run
    # (tests/test_bench_smoke.py) leaves out starting clusters of its own
    running, _ = cluster
    runs = run_async(server_load.through_nginx(running, 1.0, 2))
    assert runs and all(run.error is None and run.deltas > 0 for run in runs)
    replicas_there = {url.removeprefix("http://") for url in running.replica_urls}
    assert {run.upstream for run in runs} <= replicas_there
    assert protocol.sessions_per_s(runs) > 0
