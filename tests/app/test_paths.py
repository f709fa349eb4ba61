"""app/paths.py: which addresses are redirected, and where (in the browser: tests/e2e/test_odd_paths.py)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.paths import UnknownPathRedirect, landing_path

ROOT_FILES = frozenset({"favicon.png", "manifest.json", "index.html"})


@pytest.mark.parametrize(("path", "landing"), [
    ("/weight-trajectories/extra/segments", "/weight-trajectories"),
    ("/lessons/home.py", "/"),
    ("/many-seeds/../", "/many-seeds"),  # /many-seeds/..%2F, as ASGI decodes it
    ("/many-seeds/", "/many-seeds"),
    ("/no-such-lesson", "/"),
    ("//evil.example", "/"),
])
def test_an_unknown_address_lands_on_its_page_or_home(path, landing):
    assert landing_path(path, ROOT_FILES) == landing


@pytest.mark.parametrize("path", [
    "/", "/many-seeds", "/weight-trajectories", "/_stcore/health", "/_stcore/stream", "/static/js/index.js",
    "/media/abc.csv", "/app/static/x.png", "/favicon.png", "/manifest.json", "/component/x/index.html",
    # the browser looks for the server under the page's address first; those must stay 404s
    "/many-seeds/_stcore/health", "/weight-trajectories/_stcore/host-config",
])
def test_pages_and_the_servers_own_routes_are_left_alone(path):
    assert landing_path(path, ROOT_FILES) is None


def _call(path: str, method: str = "GET", query: bytes = b"") -> list[dict]:
    sent: list[dict] = []

    async def inner(scope, receive, send):
        await send({"type": "passed-through"})

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "query_string": query, "root_path": ""}
    # On a thread of its own: in a run with the browser tests, Playwright keeps an event loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, UnknownPathRedirect(inner)(scope, None, send)).result(timeout=10)
    return sent


def test_the_redirect_keeps_the_query_string():
    start = _call("/weight-trajectories/extra/segments", query=b"seed=3&hidden=4-4")[0]
    assert start["status"] == 302
    assert dict(start["headers"])[b"location"] == b"/weight-trajectories?seed=3&hidden=4-4"


def test_other_methods_and_known_pages_pass_through():
    assert _call("/lessons/home.py", method="POST") == [{"type": "passed-through"}]
    assert _call("/many-seeds") == [{"type": "passed-through"}]
