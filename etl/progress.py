"""Progress on the terminal for long ETL work: numbered steps with counts and durations."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Steps:
    """Print '[i/n] what ... result (1,2 s)' lines to stderr as the work goes on."""

    def __init__(self, total: int, stream=None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr

    @contextmanager
    def step(self, what: str) -> Iterator[dict]:
        """Run one step; the caller may put a 'result' text into the yielded dict."""
        self.done += 1
        prefix = f"[{self.done}/{self.total}] {what}"
        print(f"{prefix} ...", file=self.stream, flush=True)
        info: dict = {}
        started = time.perf_counter()
        try:
            yield info
        except Exception:
            print(f"{prefix}: mislukt", file=self.stream, flush=True)
            raise
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        result = info.get("result", "klaar")
        print(f"{prefix}: {result} ({seconds} s)", file=self.stream, flush=True)
