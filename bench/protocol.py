"""Streamlit sessions without a browser: a client of Streamlit's own websocket protocol
(/_stcore/stream, the protobuf messages its frontend sends), for the server's part of a page
visit: from opening the session until the script run has sent its last element."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

# Messages larger than this are elements (a chart, a table) and only counted: parsing the
# national map's 200 kB in the client would take CPU from the server it measures, on the same
# cores. Everything smaller is read: the end of the run, and an exception shown on the page.
PARSE_BELOW = 64_000


@dataclass
class ScriptRun:
    """One session's first run of a page: seconds, bytes received, elements (deltas), or the
    error; ``started`` (perf_counter) when the session was opened, ``upstream``: the replica
    that answered (nginx's X-Upstream header, deploy/replicas.py), if told."""

    seconds: float
    bytes: int = 0
    deltas: int = 0
    error: str | None = None
    started: float = 0.0
    upstream: str | None = None


async def run_page(
    url: str,
    page: str,
    timeout_s: float = 120,
    hold: asyncio.Event | None = None,
    headers: dict[str, str] | None = None,
    received: list[int] | None = None,
) -> ScriptRun:
    """Open a session on the server at ``url`` (http://host:port), ask for ``page`` (its url
    path) as the browser does, and wait for the end of that script run; with ``hold``, keep the
    session open until that event is set (memory with open sessions) and append 1 to
    ``received`` when the whole page is there."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    started = time.perf_counter()
    size = deltas = 0
    upstream = None
    try:
        async with asyncio.timeout(timeout_s):
            address = url.replace("http://", "ws://", 1) + "/_stcore/stream"
            async with connect(
                address, subprotocols=["streamlit"], max_size=None, additional_headers=headers
            ) as socket:
                upstream = socket.response.headers.get("X-Upstream")
                ask = BackMsg()
                ask.rerun_script.page_name = page
                ask.rerun_script.query_string = ""
                await socket.send(ask.SerializeToString())
                while True:
                    data = await socket.recv()
                    size += len(data)
                    if len(data) >= PARSE_BELOW:
                        deltas += 1
                        continue
                    message = ForwardMsg()
                    message.ParseFromString(data)
                    kind = message.WhichOneof("type")
                    if kind == "delta":
                        deltas += 1
                        element = message.delta.new_element
                        if element.WhichOneof("type") == "exception":
                            raise RuntimeError(f"the page shows an exception: {element.exception}")
                    if kind == "script_finished" and deltas:
                        break
                seconds = time.perf_counter() - started
                if hold is not None:
                    received.append(1)
                    await hold.wait()
    except Exception as exc:  # a timeout or a closed connection: count it, go on
        run = ScriptRun(time.perf_counter() - started, size, deltas, f"{exc!r}"[:300])
        run.started, run.upstream = started, upstream
        return run
    return ScriptRun(seconds, size, deltas, None, started, upstream)


async def run_many(url: str, page: str, count: int) -> list[ScriptRun]:
    """``count`` sessions asking for ``page`` at the same time."""
    return list(await asyncio.gather(*(run_page(url, page) for _ in range(count))))


async def steady(url: str, page: str, seconds: float, concurrency: int) -> list[ScriptRun]:
    """A steady stream of sessions for ``seconds``: ``concurrency`` clients, each opening a
    new session as soon as its previous one has received the whole page (bounded: never more
    than ``concurrency`` at once); sessions started before the end are waited for."""
    end = time.perf_counter() + seconds
    runs: list[ScriptRun] = []

    async def client() -> None:
        while time.perf_counter() < end:
            runs.append(await run_page(url, page))

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return runs


def sessions_per_s(runs: list[ScriptRun]) -> float:
    """Sessions that received the whole page per second, from the first session's start to
    the last one's end."""
    ok = [run for run in runs if run.error is None]
    if not ok:
        return 0.0
    first = min(run.started for run in runs)
    last = max(run.started + run.seconds for run in runs)
    return len(ok) / (last - first)
