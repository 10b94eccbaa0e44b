"""Start the real app with `streamlit run` on a free port, and open it in headless Chromium."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# The bench's choice of browser: Chromium's headless shell when installed (scripts/test.sh
# installs it; a page costs it less CPU than the full browser), else Chromium.
from bench.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
# The tests' browser, not the bench's (bench/browser.py measures what a visitor's browser does):
# without V8's optimising compiler (TurboFan), which spends CPU on code that a test's short visits
# do not run long enough to gain from, and with reduced motion, so Streamlit's animations draw no
# frames. Paired runs of 8 page visits each: 0.87x the CPU of the browser and the app's server
# together (BENCHMARKS.md, "The test suite"). What a page shows is the same.
TEST_CHROMIUM_ARGS = [*CHROMIUM_ARGS, "--js-flags=--no-opt"]
CONTEXT = {"locale": "nl-NL", "reduced_motion": "reduce"}


def free_port() -> int:
    """A TCP port on localhost that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_app(
    db: Path,
    port: int | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    base_path: str = "",
) -> Iterator[str]:
    """Serve the app (`streamlit run app.py`, as scripts/demo.sh does) on localhost against
    ``db``; yield its base url; stop it afterwards. ``args`` go to `streamlit run` (e.g.
    --secrets.files), ``env`` into its environment (WIJKIMPACT_MODE=demo unless it says
    otherwise); ``base_path`` (e.g. "wijkimpact"): served under that path, as behind a proxy
    (the url yielded is still the server's root). One server for a whole test session:
    the ``demo_server`` fixture (tests/conftest.py)."""
    if base_path:
        args = (*args, "--server.baseUrlPath", base_path)
    port = port or free_port()
    env = {**os.environ, "WIJKIMPACT_DB": str(db), "WIJKIMPACT_MODE": "demo", **(env or {})}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    health = f"{url}/{base_path}/_stcore/health" if base_path else f"{url}/_stcore/health"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(health, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError as exc:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()  # its error output ends only when it does
                    output = server.stderr.read().decode() if server.stderr else ""
                    raise RuntimeError(f"streamlit did not start: {output}") from exc
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


_browser: dict = {}


def shared_browser():
    """One headless Chromium per test process (Playwright's sync API allows one at a time)."""
    if "browser" not in _browser:
        import atexit

        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _browser["playwright"] = playwright
        _browser["browser"] = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=TEST_CHROMIUM_ARGS
        )

        def stop() -> None:
            _browser["browser"].close()
            playwright.stop()

        atexit.register(stop)
    return _browser["browser"]


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox that shows ``label``."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def open_as(page, url: str, role: str, title: str) -> None:
    """The demo app at ``url`` as ``role`` (its label in the role switcher; the demo starts as
    the public), on the page ``title`` reached through the menu: a new address would start a
    new session, as the public again."""
    page.goto(url + "/")
    page.get_by_text("Demomodus: iedereen kan elke rol kiezen").wait_for(timeout=60_000)
    choose(page, "Bekijk als", role)
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)


@contextmanager
def chromium_page(
    width: int = 1400,
    height: int = 1000,
    logged_out: bool = False,
    downloads: bool = False,
    new_tab: bool = False,
):
    """A page for a new Streamlit session in the shared headless Chromium, in one browsing
    context per test process: the app's scripts then come from the browser's cache after its
    first visit, as for a user who comes back, which spares the browser and the server most of
    a page load. The page is the process's one reused tab when it is free (left on about:blank
    afterwards, which ends its Streamlit session): a new tab costs Chromium 1.5-2 s of CPU more
    than the next address in the same tab (BENCHMARKS.md). ``new_tab``: a tab of its own, closed
    afterwards (several tabs at once, a test that listens to the page's requests). ``logged_out``:
    every cookie of the context cleared first and afterwards (no login left from an earlier
    test), for tests of logging in. ``downloads``: a context of its own, as a fresh browser:
    Chromium holds back repeated downloads that a site starts from script within one context,
    and Streamlit's download buttons start theirs from script."""
    if downloads:
        context = shared_browser().new_context(
            viewport={"width": width, "height": height}, **CONTEXT
        )
        try:
            yield context.new_page()
        finally:
            context.close()
        return
    if "context" not in _browser:
        _browser["context"] = shared_browser().new_context(**CONTEXT)
    context = _browser["context"]
    if logged_out:
        context.clear_cookies()
    idle = _browser.setdefault("idle tab", [])
    reused = bool(idle) and not new_tab
    page = idle.pop() if reused else context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    try:
        yield page
        if not new_tab and not idle:
            page.goto("about:blank")  # the session ends; the tab waits for the next test
            idle.append(page)
    finally:
        if page not in idle:
            page.close()
        if logged_out:
            context.clear_cookies()


def download(page, button: str, folder: Path) -> bytes:
    """Click the button named ``button`` (exactly) once the page has settled, and return the
    file it downloads (saved in ``folder``)."""
    settled(page)  # a click while the page still runs can be lost in the rerun
    with page.expect_download(timeout=60_000) as made:
        page.get_by_role("button", name=button, exact=True).click()
    settled(page)
    saved = folder / made.value.suggested_filename
    made.value.save_as(saved)
    return saved.read_bytes()


def run_async(coroutine):
    """asyncio.run(coroutine) in a thread of its own: the browser tests leave Playwright's
    event loop in this worker's main thread, where asyncio.run refuses to start."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def settled(page, timeout: float = 60_000) -> None:
    """Until the app's run after the last action has finished (Streamlit's running indicator
    gone): a click during a run can be lost in the rerun."""
    page.wait_for_timeout(300)  # the indicator appears a moment after the action
    page.get_by_test_id("stStatusWidget").wait_for(state="detached", timeout=timeout)
