"""Cached work of "The math and the papers": the swap line of the sidebar's network and its chart, computed
once per setting (a rerun, or a class on one link, only re-sends the chart)."""

from __future__ import annotations

import streamlit as st

from app.cache import train_run
from app.presentation import drawn
from core.config import RunConfig
from core.datasets import load_dataset
from figures.style import NORMAL, PROJECTOR
from lessons.math_and_papers.analysis import SwapLine, swap_line
from lessons.math_and_papers.figures import swap_line_figure


@st.cache_data(max_entries=32, show_spinner=False)
def swap_view(config: RunConfig, layer: int, projector: bool) -> tuple[SwapLine | None, dict | None]:
    """The loss on the line between the run's final network and the same network with two units of hidden
    layer `layer` swapped, and its chart (None when there is no finite line to draw)."""
    history, data = train_run(config), load_dataset(config)
    line = swap_line(history.final_params(), data.X_train, data.y_train, config.activation, layer=layer)
    if line is None or not line.finite:
        return line, None
    figure = drawn(swap_line_figure, line, config.hidden[line.layer], PROJECTOR if projector else NORMAL)
    return line, figure
