"""The real server never loads pandas, pyarrow or scikit-learn (together ~110 MB of a ~1 GB container a
class shares): the datasets are made and read in numpy (core/generators.py, core/bundled.py) and the
tables are plain HTML (figures/tables.py). Checked the way the operating system sees it — the server's
own memory map after every page, on built-in and bundled data — over its websocket protocol (no browser
needed)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.pages import PAGES
from benchmarks._protocol import ProtocolSession
from benchmarks._server import running_server

pytestmark = pytest.mark.e2e

LIBRARIES = ("pandas", "pyarrow", "sklearn", "scipy/stats")
VISITS = [(spec.url_path, "") for spec in PAGES] + [
    ("", "dataset=digits&hidden=8"),  # a bundled set on Home (it waits for the whole warm-up)
    ("why-updates-differ", "dataset=iris&hidden=4-3"),  # the backprop tables
    ("many-seeds", "dataset=linear&hidden=3-3"),  # make_classification's set and the layer table
    ("identical-vs-random", "dataset=diabetes"),  # the four-starts table, a bundled regression set
]


async def _visit_all(url: str) -> list[str]:
    problems = []
    for url_path, query in VISITS:
        async with ProtocolSession(url) as session:
            run = await session.open(url_path, query)
        problems += [f"/{url_path}?{query}: {text[:200]}" for text in run.exceptions]
    return problems


def loaded(pid: int) -> list[str]:
    """The libraries of LIBRARIES whose files the process has mapped (shared objects of each are mapped as
    soon as it is imported)."""
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name in LIBRARIES if f"/{name}/" in maps]


def test_no_page_makes_the_server_load_pandas_pyarrow_or_scikit_learn():
    with running_server("server-imports.log") as server, ThreadPoolExecutor(max_workers=1) as thread:
        # A thread of its own: the browser tests' Playwright may already run an event loop in this one.
        assert thread.submit(asyncio.run, _visit_all(server.url)).result(timeout=300) == []
        assert loaded(server.process.pid) == []
