"""Presentation settings: normal or projector mode, applied to every chart and to the page text."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st
from plotly.basedatatypes import BaseFigure

from app.pool import run_in_pool
from app.state import projector_mode
from figures.finished import figure_dict, finished
from figures.style import NORMAL, PROJECTOR, ChartStyle

# Streamlit's default top padding (6rem) and title size cost a fifth of a 720-pixel screen; 3.8rem still
# clears the fixed 3.75rem header bar.
_PAGE_CSS = """
<style>
  .stMainBlockContainer { padding-top: 3.8rem; padding-bottom: 2rem; }
  .stMainBlockContainer h1 { font-size: 2.1rem; padding-top: 0; }
</style>
"""
_PROJECTOR_CSS = """
<style>
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.25rem; }
  .stMainBlockContainer td, .stMainBlockContainer th { font-size: 1.2rem; }
  .stMainBlockContainer [data-testid="stMetricValue"] p { font-size: 2.8rem; }
  .stMainBlockContainer h1 { font-size: 2.5rem; }
</style>
"""


def chart_style() -> ChartStyle:
    """The chart style for the current session: larger fonts and thicker lines in projector mode."""
    return PROJECTOR if projector_mode() else NORMAL


def apply_page_style() -> None:
    """Tighten the page's top margin, and scale text up in projector mode (charts: `chart_style`)."""
    st.html(_PAGE_CSS + (_PROJECTOR_CSS if projector_mode() else ""))


class _FinishedFigure(BaseFigure):
    """A figure built and validated once, carried as its plain dict (see `drawn`).

    `st.plotly_chart` asks a figure for `to_dict()` and sends its JSON; a cached go.Figure would first be
    unpickled, which re-validates every trace and the template (33–58 ms per figure, measured), and then
    deep-copied by `to_dict` (20 ms for the training animation). This stand-in skips both: it is never
    initialised as a Figure, it only answers `to_dict()` with the dict that was cached.
    """

    def __init__(self, spec: dict) -> None:
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec


def drawn(builder: Callable[..., go.Figure], *args, **kwargs) -> dict:
    """`builder(*args, **kwargs)` as its finished plain dict, to be cached instead of the figure and drawn
    with `show_chart` — built in a worker process (app/pool.py).

    Why: building a figure is most of a page's CPU (Plotly validates every property as it is set), and the
    server is one process whose threads share one core's worth of Python; in the pool a class's figures
    are built on every core. `builder` must be a module's top-level function and the arguments picklable
    (histories, datasets, styles and configs are). Without a pool it is built here.
    """
    return run_in_pool(figure_dict, builder, *args, inline_lock=False, **kwargs)


def show_chart(figure: go.Figure | dict, key: str | None = None) -> None:
    """Draw a Plotly figure (or a finished dict from `drawn`) full width with our own theme (not
    Streamlit's), so colours stay ours, and with margins the browser need not find by drawing it twice
    (figures/margins.py; a finished dict has them already)."""
    spec = figure if isinstance(figure, dict) else finished(figure)  # to_dict(): what st.plotly_chart does
    st.plotly_chart(_FinishedFigure(spec), width="stretch", theme=None, key=key,
                    config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]})


def show_markup(markup: str) -> None:
    """Draw markup made by our own figures — an SVG picture (the network diagram) or an HTML table
    (figures/tables.py) — inline, full width. Markdown, not `st.html`: st.html's sanitizer drops SVG
    (measured: nothing drawn). The markup is our own: fixed words and numbers, every cell escaped."""
    st.markdown(markup, unsafe_allow_html=True)


def side_by_side() -> tuple:
    """Two charts next to each other — or, in projector mode, one under the other at full width, so
    their titles and ticks stay readable from the back of the room."""
    if projector_mode():
        return st.container(), st.container()
    return tuple(st.columns(2))
