"""The app's own answer to a page's address (/kaart, /onderneming, ...): Streamlit's index page
with the server's address written in, so the browser connects at once.

Streamlit's frontend does not know where its server lives when a page is opened at /kaart: it
first asks /kaart/_stcore/health, gets a 404, waits 100 ms and then asks /_stcore/health.
Every page other than the first thus opened 0.05 to 0.1 s late. Streamlit reads the server's
address from ``window.__streamlit.BACKEND_BASE_URL`` when a page sets it before its code
runs; this page sets it to the folder of the page's own address (the root, or the base URL
path behind a proxy)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import streamlit
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

INDEX = Path(streamlit.__file__).parent / "static" / "index.html"
# "." of http://host/kaart is http://host/, of http://host/base/kaart http://host/base/
BACKEND = (
    "<script>window.__streamlit = "
    '{BACKEND_BASE_URL: new URL(".", window.location.href).href};</script>'
)


@cache
def page_html() -> str:
    """Streamlit's index.html with the server's address set before Streamlit's code."""
    html = INDEX.read_text(encoding="utf-8")
    at = html.index("<script")
    return html[:at] + BACKEND + "\n    " + html[at:]


async def _page(request: Request) -> HTMLResponse:
    return HTMLResponse(page_html(), headers={"Cache-Control": "no-cache"})


def routes(url_paths: list[str], base_url_path: str = "") -> list[Route]:
    """One route per page address (not the root: there Streamlit finds its server at once)."""
    base = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
    return [Route(f"{base}/{path}", _page, methods=["GET", "HEAD"]) for path in url_paths if path]
