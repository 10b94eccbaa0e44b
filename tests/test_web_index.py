"""serve.py's index page for the page addresses: Streamlit's own, with the server's address."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
from starlette.applications import Starlette

from wijkimpact import web_index
from wijkimpact.page_table import URL_PATHS


def test_the_address_is_set_before_streamlit_runs_and_the_rest_is_streamlits_page():
    original = web_index.INDEX.read_text(encoding="utf-8")
    html = web_index.page_html()
    assert html.count("window.__streamlit") == 1
    assert html.index("window.__streamlit") < html.index('<script type="module"')
    assert html.replace(web_index.BACKEND + "\n    ", "") == original


def test_every_page_but_the_root_has_a_route_also_under_a_base_path():
    assert [r.path for r in web_index.routes(URL_PATHS)] == ["/" + p for p in URL_PATHS if p]
    assert "/" not in [r.path for r in web_index.routes(URL_PATHS)]
    under = [r.path for r in web_index.routes(["", "kaart"], "/wijkimpact/")]
    assert under == ["/wijkimpact/kaart"]


def _get(app, *paths: str) -> list[httpx.Response]:
    async def ask():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return [await client.get(path) for path in paths]

    # in a thread of its own: the browser tests' Playwright may hold this thread's event loop
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ask()).result()


def test_a_page_address_answers_with_that_page_uncached():
    page, unknown = _get(Starlette(routes=web_index.routes(["kaart"])), "/kaart?wijk=WK1", "/x")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-cache"
    assert "window.__streamlit" in page.text
    assert unknown.status_code == 404
