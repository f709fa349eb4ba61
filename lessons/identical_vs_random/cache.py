"""Cached work of the "Identical vs random start" lesson: the loss landscape around a tie and the A/B
figures, computed once per setting and shared by every session (a rerun, or a class on one link, only
re-draws them)."""

from __future__ import annotations

import streamlit as st

from app.cache import train_together
from app.presentation import finished
from core.config import RunConfig
from core.train import History
from figures.charts import symmetry_gap_figure
from figures.style import NORMAL, PROJECTOR
from lessons.identical_vs_random.analysis import distinct_over_training
from lessons.identical_vs_random.figures import distinct_units_figure, similarity_heatmaps
from lessons.identical_vs_random.landscape import Landscape, landscape


@st.cache_data(max_entries=16, show_spinner=False)
def tie_landscape(config: RunConfig, layer: int) -> Landscape:
    """`landscape.landscape` of units 1 and 2 of hidden layer `layer` (0.05 s on the default settings,
    about a second on digits with wide layers: worth keeping across reruns)."""
    return landscape(config, layer)


# --- the A/B part of the page, drawn once per setting ------------------------------------------------------
# A warm rerun used to rebuild these three figures step by step with Plotly's validation (~170 ms of the
# page's 210 ms); kept `finished` (plain dicts, app/presentation.py), a rerun only sends them.

def _pair(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str]) -> dict[str, History]:
    return dict(zip(labels, train_together(configs), strict=True))


@st.cache_data(max_entries=32, show_spinner=False)
def pair_gap_figures(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str], layer: int, tol: float,
                     projector: bool) -> tuple[dict, dict]:
    """The largest difference between two units over training, and the distinct units, for runs A and B."""
    style = PROJECTOR if projector else NORMAL
    runs = _pair(configs, labels)
    counts = {label: (history.steps, distinct_over_training(history, layer, tol))
              for label, history in runs.items()}
    width = configs[0].hidden[layer]
    gaps = symmetry_gap_figure(runs, style.beside(), layer, title="Largest difference between two units")
    return finished(gaps), finished(distinct_units_figure(counts, width, tol, style.beside()))


@st.cache_data(max_entries=32, show_spinner=False)
def pair_heatmaps(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str], layer: int, metric: str,
                  projector: bool) -> dict:
    """Runs A and B's unit-by-unit similarity at the start and the end."""
    return finished(similarity_heatmaps(_pair(configs, labels), layer, metric,
                                        PROJECTOR if projector else NORMAL))
