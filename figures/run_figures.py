"""The figures drawn from one training run, by name — a registry, so the app can ask a worker process to
draw "the animation of this run" (app/cache.py `run_figure`) with a name instead of a function."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from core.datasets import Dataset
from core.train import History
from figures.animation import training_animation_dict
from figures.charts import accuracy_figure, loss_figure, output_weights_figure, unit_weights_figure
from figures.style import ChartStyle
from figures.unit_grids import digit_pictures_animation

# (history, dataset, layer, style) -> Figure, or a figure's finished dict (the animation: its frames need no
# second validation, figures/animation.py says why)
RUN_FIGURES: dict[str, Callable[[History, Dataset, int, ChartStyle], go.Figure | dict]] = {
    "animation": lambda history, data, layer, style: training_animation_dict(history, data, layer, style),
    "incoming_weights": lambda history, data, layer, style: unit_weights_figure(history, layer, style),
    "outgoing_weights": lambda history, data, layer, style: output_weights_figure(history, layer, style),
    "loss": lambda history, data, layer, style: loss_figure(history, style),
    "accuracy": lambda history, data, layer, style: accuracy_figure(history, style),
    "digit_pictures": lambda history, data, layer, style: digit_pictures_animation(
        history.weights[0], history.steps, style),
}


def run_figure(kind: str, history: History, data: Dataset, layer: int, style: ChartStyle) -> go.Figure | dict:
    """The figure `kind` of RUN_FIGURES for one run (hidden layer `layer`, where the figure has one)."""
    return RUN_FIGURES[kind](history, data, layer, style)
