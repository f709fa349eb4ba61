"""The lesson's cached work: figures and statistics keyed by the frozen RunConfig (shared by every session).

Each function takes only hashable arguments and reads its run through `app.cache.train_run` (cached too), so a
class on one link computes each map and statistic once, and a warm rerun only sends the figures.
"""

from __future__ import annotations

import streamlit as st

from app.cache import MAX_CACHED_RUNS, train_run, train_together
from app.presentation import drawn
from core.config import RunConfig
from core.datasets import load_dataset
from core.symmetry import cosine_similarities
from figures.style import NORMAL, PROJECTOR
from figures.unit_grids import digit_pictures_figure
from lessons.what_units_compute.analysis import (
    Alikeness,
    AlikenessOverTraining,
    alikeness_at,
    alikeness_over_training,
    digit_pictures,
    frame_snapshots,
    map_resolution,
    straightness,
    unit_maps,
)
from lessons.what_units_compute.figures import alikeness_figure, output_maps_figure, similarity_figure

ENTRIES = 4 * MAX_CACHED_RUNS


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def maps_figure(config: RunConfig, snapshot: int, projector: bool) -> dict:
    """Every hidden unit's output map at one snapshot (2-D data), kept as a finished dict
    (app/presentation.py `drawn`)."""
    history, data = train_run(config), load_dataset(config)
    xs, ys, maps = unit_maps(history, data, snapshot, map_resolution(sum(config.hidden)))
    return drawn(output_maps_figure, xs, ys, maps, config.activation, int(history.steps[snapshot]), data,
                 PROJECTOR if projector else NORMAL)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def digits_figure(config: RunConfig, snapshot: int, projector: bool) -> dict:
    """Every first-layer unit's incoming weights as an 8×8 picture at one snapshot (64-input data),
    kept as a finished dict."""
    history = train_run(config)
    return drawn(digit_pictures_figure, digit_pictures(history, snapshot), int(history.steps[snapshot]),
                 PROJECTOR if projector else NORMAL)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def layer_straightness(config: RunConfig, snapshot: int) -> list[float]:
    return straightness(train_run(config), load_dataset(config), snapshot)


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def similarity_at(config: RunConfig, layer: int, snapshot: int,
                  projector: bool) -> tuple[dict, Alikeness]:
    """The weights-vs-outputs heat maps at one snapshot (kept as a finished dict), and the output statistics
    behind them."""
    history, data = train_run(config), load_dataset(config)
    alike = alikeness_at(history, data, layer, snapshot)
    cosines = cosine_similarities(history.params_at(snapshot), layer)
    figure = drawn(similarity_figure, cosines, alike.correlation, layer, int(history.steps[snapshot]),
                   PROJECTOR if projector else NORMAL)
    return figure, alike


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def alikeness_of_pair(configs: tuple[RunConfig, RunConfig], layer: int) -> tuple[AlikenessOverTraining, ...]:
    """Output alikeness over training for two runs trained together (the sidebar's start and its contrast)."""
    data = load_dataset(configs[0])
    return tuple(alikeness_over_training(history, data, layer, frame_snapshots(history))
                 for history in train_together(configs))


@st.cache_data(max_entries=ENTRIES, show_spinner=False)
def alikeness_chart(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str], layer: int,
                    projector: bool) -> dict:
    """The output alikeness of the two runs over training (`alikeness_of_pair`), drawn once in the pool."""
    over = dict(zip(labels, alikeness_of_pair(configs, layer)))
    return drawn(alikeness_figure, over, layer, PROJECTOR if projector else NORMAL)
