"""AppTest fixtures: run the real entrypoint headless, with a clean cache for every test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import app.state
from app.pages import HOME

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"


@pytest.fixture(autouse=True)
def clean_cache() -> Iterator[None]:
    st.cache_data.clear()  # no result leaks in from another test
    yield
    st.cache_data.clear()


@pytest.fixture
def open_app() -> Callable[..., AppTest]:
    """open_app(page=None, **query_params) -> AppTest after its first run (on `page` if given)."""

    def _open(page: str | None = None, **query_params: str) -> AppTest:
        """Like opening `/<page>?<query_params>` in a browser. AppTest can switch pages only after a first
        run, so that run is a bare home page, and the address then arrives with the switch to `page`,
        flagged as history navigation: a run whose address decides everything, as a first visit's does
        (see app/state.py)."""
        at = AppTest.from_file(str(DASHBOARD), default_timeout=90)
        if page in (None, HOME.path):  # the first run is home's
            at.query_params.update(query_params)
            at.run()
            return at
        at.run()  # the first run registers the pages
        at.query_params.update(query_params)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(app.state, "_is_history_navigation", lambda: True)
            at.switch_page(page).run()
        return at

    return _open


def errors(at: AppTest) -> list[str]:
    return [element.value for element in at.exception]


def chart_specs(at: AppTest) -> list[str]:
    return [chart.proto.spec for chart in at.get("plotly_chart")]


class _TableReader(HTMLParser):
    """Reads the HTML tables of figures/tables.py back into header → cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(at: AppTest) -> list[dict[str, list[str]]]:
    """Every HTML table the page shows (figures/tables.py), as header → cells (unescaped text)."""
    found = []
    for element in at.markdown:
        if "<table" in element.value:
            reader = _TableReader()
            reader.feed(element.value)
            for header, *rows in reader.tables:
                found.append({name: [row[k] for row in rows] for k, name in enumerate(header)})
    return found


def drawings(at: AppTest) -> list[str]:
    """Everything the page draws: its Plotly charts (JSON) and its SVG pictures (Home has only the latter)."""
    return [*chart_specs(at), *svg_pictures(at)]


def svg_pictures(at: AppTest) -> list[str]:
    """The page's inline SVG pictures (e.g. Home's network diagram), as markup."""
    return [element.value for element in at.markdown if element.value.startswith("<svg")]
