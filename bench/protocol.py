"""Streamlit sessions without a browser: a client of Streamlit's own websocket protocol
(/_stcore/stream, the protobuf messages its frontend sends), for the server's part of a page
visit: from opening the session until the script run has sent its last element."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass


@dataclass
class ScriptRun:
    """One session's first run of a page: seconds, bytes received, elements (deltas), or the
    error."""

    seconds: float
    bytes: int = 0
    deltas: int = 0
    error: str | None = None


async def run_page(url: str, page: str, timeout_s: float = 120) -> ScriptRun:
    """Open a session on the server at ``url`` (http://host:port), ask for ``page`` (its url
    path) as the browser does, and wait for the end of that script run."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    started = time.perf_counter()
    received = deltas = 0
    try:
        async with asyncio.timeout(timeout_s):
            address = url.replace("http://", "ws://", 1) + "/_stcore/stream"
            async with connect(address, subprotocols=["streamlit"], max_size=None) as socket:
                ask = BackMsg()
                ask.rerun_script.page_name = page
                ask.rerun_script.query_string = ""
                await socket.send(ask.SerializeToString())
                while True:
                    data = await socket.recv()
                    received += len(data)
                    message = ForwardMsg()
                    message.ParseFromString(data)
                    kind = message.WhichOneof("type")
                    deltas += kind == "delta"
                    if kind == "script_finished" and deltas:
                        break
    except Exception as exc:  # a timeout or a closed connection: count it, go on
        return ScriptRun(time.perf_counter() - started, received, deltas, f"{exc!r}"[:300])
    return ScriptRun(time.perf_counter() - started, received, deltas)


async def run_many(url: str, page: str, count: int) -> list[ScriptRun]:
    """``count`` sessions asking for ``page`` at the same time."""
    return list(await asyncio.gather(*(run_page(url, page) for _ in range(count))))
