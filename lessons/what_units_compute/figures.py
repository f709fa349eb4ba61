"""Figures of the "What each unit computes" lesson: output maps, output correlations, alikeness over time.

Built from the numbers of `analysis` only; the shared pieces (unit colours, panels framed per unit) come
from core. Plotly only.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.datasets import Dataset
from figures.style import (
    NORMAL,
    RUN_COLORS,
    RUN_DASHES,
    ChartStyle,
    cell_font_size,
    epoch_axis,
    style_figure,
    unit_color,
)
from figures.unit_grids import UnitPanel, activation_range, unit_grid_figure
from lessons.what_units_compute.analysis import MAX_UNITS_DRAWN, AlikenessOverTraining, sample_rows

POINTS_PER_PANEL = 60


def output_maps_figure(xs: np.ndarray, ys: np.ndarray, maps: list[np.ndarray], activation: str, epoch: int,
                       data: Dataset, style: ChartStyle = NORMAL) -> go.Figure:
    """Every hidden unit's σ(z) over the input plane at one epoch, layer by layer (at most 64 drawn)."""
    panels, total = [], sum(len(layer) for layer in maps)
    for layer, layer_maps in enumerate(maps):
        for unit, values in enumerate(layer_maps):
            if len(panels) < MAX_UNITS_DRAWN:
                panels.append(UnitPanel(layer, unit, len(layer_maps), values))
    scale, low, high = activation_range(activation, maps)
    points = sample_rows(data.X_train, POINTS_PER_PANEL), sample_rows(data.y_train, POINTS_PER_PANEL)
    hidden = f" Showing {len(panels)} of {total} units." if total > len(panels) else ""
    return unit_grid_figure(
        panels, style, f"Each unit's output σ(z) over the input plane, epoch {epoch}",
        "Each square is one unit, framed in its colour; dots are training points." + hidden,
        scale, low, high, "σ(z)", x=xs, y=ys, points=points)


def _colored_ticks(width: int) -> list[str]:
    return [f"<span style='color:{unit_color(j, width)}'>■</span> {j + 1}" for j in range(width)]


def similarity_figure(cosines: np.ndarray, correlation: np.ndarray, layer: int, epoch: int,
                      style: ChartStyle = NORMAL, max_units: int = 16) -> go.Figure:
    """Two heat maps at one epoch: how alike the units' weights are (cosine) and their outputs (corr)."""
    width = min(len(cosines), max_units)
    labels = _colored_ticks(len(cosines))[:width]
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=("weights: cosine", "outputs: correlation"))
    for column, matrix in enumerate((cosines, correlation), start=1):
        shown = np.asarray(matrix, dtype=float)[:width, :width]
        # Numbers in the cells only while they fit beside each other ("−0.93": 5 characters).
        font = cell_font_size(width, 2, 5, style, style.height - 7 * style.font_size)
        written = width <= 8 and font is not None
        text = np.where(np.isfinite(shown), np.char.mod("%.2f", np.nan_to_num(shown)), "const")
        fig.add_trace(go.Heatmap(
            z=np.round(shown, 3), x=labels, y=labels, coloraxis="coloraxis", xgap=1, ygap=1,
            text=text if written else None, texttemplate="%{text}" if written else None,
            textfont={"size": font or style.font_size},
            hovertemplate="units %{y} and %{x}: %{z:.3f}<extra></extra>",
        ), row=1, col=column)
    cut = f" Showing the first {width} of {len(cosines)} units." if len(cosines) > width else ""
    style_figure(fig, style, f"How alike are layer {layer + 1}'s units? Weights vs outputs, epoch {epoch}",
                 "1 = alike, 0 = unrelated, −1 = opposite; 'const': the unit's output never changes." + cut)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(margin={"t": fig.layout.margin.t + round(style.font_size * 1.8)})  # subplot titles
    fig.update_layout(coloraxis={"colorscale": "RdBu_r", "cmin": -1, "cmax": 1,
                                 "colorbar": {"title": {"text": "cos / corr"}, "thickness": 14}})
    for annotation in fig.layout.annotations:
        annotation.font = {"size": style.font_size}
    return fig


def alikeness_figure(runs: Mapping[str, AlikenessOverTraining], layer: int,
                     style: ChartStyle = NORMAL) -> go.Figure:
    """Mean |corr| of unit outputs and the effective number of units over training, for each run."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=("mean |correlation| of two units' outputs",
                                        "effective number of units"))
    width = 1
    for index, (label, run) in enumerate(runs.items()):
        width = max(width, run.width)
        line = {"color": RUN_COLORS[index % len(RUN_COLORS)], "dash": RUN_DASHES[index % len(RUN_DASHES)],
                "width": style.line_width}
        for column, values in enumerate((run.mean_abs_correlation, run.effective_units), start=1):
            fig.add_trace(go.Scatter(
                x=run.epochs, y=np.where(np.isfinite(values), values, None), mode="lines+markers", name=label,
                line=line, marker={"size": style.marker_size / 2}, showlegend=column == 1, legendgroup=label,
                hovertemplate=f"epoch %{{x}}: %{{y:.2f}}<extra>{label}</extra>",
            ), row=1, col=column)
    style_figure(fig, style, f"Do the outputs of layer {layer + 1}'s units become alike during training?",
                 f"Effective number: 1 = every unit a copy of one; {width} = all independent.")
    fig.update_yaxes(range=[0, 1.05], row=1, col=1)
    fig.update_yaxes(range=[0, width + 0.5], row=1, col=2)
    epoch_axis(fig, int(max(run.epochs[-1] for run in runs.values())) + 1)
    fig.update_layout(margin={"t": fig.layout.margin.t + round(style.font_size * 1.8)})  # subplot titles
    fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"})
    for annotation in fig.layout.annotations:
        annotation.font = {"size": style.font_size}
    return fig
