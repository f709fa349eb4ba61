"""Cached work of the "Identical vs random start" lesson: the loss landscape around a tie and the A/B
figures, computed once per setting and shared by every session (a rerun, or a class on one link, only
re-draws them)."""

from __future__ import annotations

import streamlit as st

from app.cache import train_plain_kernels, train_run, train_together
from app.pool import run_in_pool
from app.presentation import drawn
from core.config import RunConfig
from core.datasets import load_dataset
from core.symmetry import distinct_units
from core.train import History
from figures.charts import symmetry_gap_figure
from figures.style import NORMAL, PROJECTOR, ChartStyle
from lessons.identical_vs_random.analysis import (
    NUDGES,
    PENALTY_STRENGTHS,
    STARTS,
    Nudge,
    Rounding,
    distinct_over_training,
    nudge_summary,
    rounding_nudge,
    tied_part_gaps,
)
from lessons.identical_vs_random.figures import (
    apart_line_figure,
    distinct_units_figure,
    landscape_figure,
    nudge_figure,
    penalty_figure,
    rounding_figure,
    similarity_heatmaps,
    tied_parts_figure,
)
from lessons.identical_vs_random.landscape import Landscape, landscape


@st.cache_data(max_entries=16, show_spinner=False)
def tie_landscape(config: RunConfig, layer: int) -> Landscape:
    """`landscape.landscape` of units 1 and 2 of hidden layer `layer` (0.05 s on the default settings,
    about a second on digits with wide layers: worth keeping across reruns), computed in a worker process:
    its 41×41 networks are heavy work and a burst of memory the server should not carry."""
    return run_in_pool(landscape, config, layer, data=load_dataset(config))


# --- the A/B part of the page, drawn once per setting ------------------------------------------------------
# A warm rerun used to rebuild these three figures step by step with Plotly's validation (~170 ms of the
# page's 210 ms); kept as finished dicts (app/presentation.py `drawn`), a rerun only sends them.

def _pair(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str]) -> dict[str, History]:
    return dict(zip(labels, train_together(configs), strict=True))


def _style(projector: bool) -> ChartStyle:
    return PROJECTOR if projector else NORMAL


@st.cache_data(max_entries=32, show_spinner=False)
def pair_gap_figures(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str], layer: int, tol: float,
                     projector: bool) -> tuple[dict, dict, dict[str, int]]:
    """The largest difference between two units over training, and the distinct units, for runs A and B;
    and each run's number of distinct units at the end (the page's sentence quotes them)."""
    style = _style(projector)
    runs = _pair(configs, labels)
    counts = {label: (history.steps, distinct_over_training(history, layer, tol))
              for label, history in runs.items()}
    width = configs[0].hidden[layer]
    gaps = drawn(symmetry_gap_figure, runs, style.beside(), layer,
                 title="Largest difference between two units")
    final = {label: int(distinct[-1]) for label, (_, distinct) in counts.items()}
    return gaps, drawn(distinct_units_figure, counts, width, tol, style.beside()), final


@st.cache_data(max_entries=32, show_spinner=False)
def pair_heatmaps(configs: tuple[RunConfig, RunConfig], labels: tuple[str, str], layer: int, metric: str,
                  projector: bool) -> dict:
    """Runs A and B's unit-by-unit similarity at the start and the end."""
    return drawn(similarity_heatmaps, _pair(configs, labels), layer, metric, _style(projector))


# --- the experiments: each one's figure and the numbers its sentences quote, computed once per setting ---

@st.cache_data(max_entries=32, show_spinner=False)
def four_starts_view(family: tuple[RunConfig, ...], layer: int, tol: float,
                     projector: bool) -> tuple[dict, list[tuple[float, float]], list[int]]:
    """The four starts (in `STARTS` order): their figure, each tied part's gap (start, end), and the
    distinct units at the end."""
    histories = train_together(family)
    tied = [tied_part_gaps(history, layer) for history in histories]
    distinct = [distinct_units(history.final_params(), layer, tol) for history in histories]
    figure = drawn(tied_parts_figure, dict(zip(STARTS, histories)), layer, _style(projector))
    return figure, [(float(gaps[0]), float(gaps[-1])) for gaps in tied], distinct


def nudge_label(epsilon: float) -> str:
    return f"ε = {epsilon:.0e}"


@st.cache_data(max_entries=32, show_spinner=False)
def nudge_view(family: tuple[RunConfig, ...], epsilon: float, layer: int,
               projector: bool) -> tuple[dict, Nudge]:
    """Gap curves of the identical start nudged by every ε of `NUDGES`, and the fit of the chosen ε."""
    nudged = dict(zip((nudge_label(eps) for eps in NUDGES), train_together(family)))
    summary = nudge_summary(nudged[nudge_label(epsilon)], layer)
    return drawn(nudge_figure, nudged, nudge_label(epsilon), summary, _style(projector)), summary


@st.cache_data(max_entries=16, show_spinner=False)
def landscape_figures(config: RunConfig, layer: int, projector: bool) -> tuple[dict, dict]:
    """The loss around the tie of units 1 and 2: its contour, and its line along "apart"."""
    view, width, style = tie_landscape(config, layer), config.hidden[layer], _style(projector)
    return drawn(landscape_figure, view, width, style), drawn(apart_line_figure, view, width, style)


ROUNDING_RUNS = ("exact arithmetic (this app)", "plain matrix kernels (NumPy, PyTorch)")


@st.cache_data(max_entries=16, show_spinner=False)
def rounding_view(pair: tuple[RunConfig, RunConfig], layer: int, projector: bool) -> tuple[dict, Rounding]:
    """The identical start by the exact engine and by plain kernels, and how the plain kernels' gap grew."""
    exact, plain = train_run(pair[0]), train_plain_kernels(pair[1])
    rounding = rounding_nudge(plain.symmetry_gap[layer])
    runs = dict(zip(ROUNDING_RUNS, (exact, plain)))
    return drawn(rounding_figure, runs, rounding, layer, _style(projector)), rounding


@st.cache_data(max_entries=16, show_spinner=False)
def noise_figure(family: tuple[RunConfig, ...], labels: tuple[str, ...], layer: int, projector: bool) -> dict:
    """Identical copies under shared noise (minibatches) and per-unit noise (dropout)."""
    noisy = dict(zip(labels, (train_run(member) for member in family)))
    return drawn(symmetry_gap_figure, noisy, _style(projector), layer,
                 title="Identical copies under two kinds of noise")


@st.cache_data(max_entries=16, show_spinner=False)
def penalty_view(family: tuple[RunConfig, ...], penalty: str, layer: int, tol: float,
                 projector: bool) -> tuple[dict, list[int], list[float]]:
    """Distinct units and test score at each strength of one penalty, and their figure."""
    histories = [train_run(member) for member in family]
    distinct = [distinct_units(history.final_params(), layer, tol) for history in histories]
    scores = [float(history.test_score[-1]) for history in histories]
    width, task = family[0].hidden[layer], histories[0].task.name
    figure = drawn(penalty_figure, PENALTY_STRENGTHS[penalty], distinct, scores, width, penalty, tol,
                   _style(projector), task)
    return figure, distinct, scores
