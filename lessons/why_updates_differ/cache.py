"""Cached work of the "Why the updates differ" lesson: its two charts, built once per setting.

A warm rerun used to rebuild both with Plotly's step-by-step validation (~150 ms of the page's ~180 ms);
kept as finished dicts (app/presentation.py `drawn`), a rerun only sends them. The factors are recomputed
from the cached run inside, so the key is small and hashable: the run's config, the snapshot, the layer,
the units and the style.
"""

from __future__ import annotations

import streamlit as st

from app.cache import train_run
from app.presentation import drawn
from core.config import RunConfig
from core.datasets import load_dataset
from figures.style import NORMAL, PROJECTOR
from lessons.why_updates_differ.analysis import network_factors
from lessons.why_updates_differ.figures import factor_figure, step_figure


@st.cache_data(max_entries=64, show_spinner=False)
def factor_charts(config: RunConfig, snapshot: int, layer: int, units: tuple[int, ...],
                  projector: bool) -> tuple[dict, dict]:
    """The factor bars and the gradient steps of `units` in hidden layer `layer`, at recorded snapshot
    `snapshot` of the run of `config` (the same numbers the page's tables show)."""
    history, data = train_run(config), load_dataset(config)
    factors = network_factors(history.params_at(snapshot), data.X_train, data.y_train, config.activation,
                              config.l2, config.l1, data.task)[layer]
    style = PROJECTOR if projector else NORMAL
    return (drawn(factor_figure, factors, list(units), style),
            drawn(step_figure, factors, list(units), config.learning_rate, style))
