"""History → Plotly figure: one palette, one colour per hidden unit, the same in every chart.

Every figure here is built from numbers the trainer recorded, never from a sketch of what "should" happen,
and every one says what to look at in its title. The conventions, shared by all pages (docs/architecture.md):

- unit j of a layer is `unit_color(j, width)` in every chart, so a learner can follow one unit around;
- train is a solid line and test a dashed one;
- a `ChartStyle` sets the sizes, so projector mode is one argument, not a second set of charts.

Histories come in every shape the trainer produces: a diverged run (shorter per-epoch arrays, huge
values), a network without hidden layers (logistic regression), or zero epochs (a single point). Each
function draws those honestly instead of failing. Plotly only; streamlit is never imported here.
"""


from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from core.train import History
from figures.labels import unit_label
from figures.style import (
    GAP_FLOOR,
    LAYER_DASHES,
    NORMAL,
    RUN_COLORS,
    RUN_DASHES,
    TEST_DASH,
    TRAIN_DASH,
    WEIGHT_DASHES,
    ChartStyle,
    _mark_divergence,
    _mode,
    _note,
    _runs,
    _scatter_class,
    _unit_colors,
    epoch_axis,
    finite_or_nan,
    style_figure,
    unit_color,
)

# A gap chart turns linear (from 0) when every nonzero gap is above ROUND_OFF_SCALE and the largest is at
# most LINEAR_SPREAD times the smallest: then the smallest still stands clear of the zero line (≥ 5 % of
# the axis), and a log axis down to the 1e-17 floor would only flatten the curves.
ROUND_OFF_SCALE = 1e-6
LINEAR_SPREAD = 20.0

# --- loss and score (accuracy or R²) ---------------------------------------------------------------------

def _metric_figure(
    history: History | Mapping[str, History], metric: str, style: ChartStyle, title: str, subtitle: str,
    chart_width: int | None = None,
) -> go.Figure:
    runs = _runs(history)
    fig = go.Figure()
    n_points = sum(2 * len(run.train_loss) for run in runs.values())
    scatter = _scatter_class(n_points)
    for index, (label, run) in enumerate(runs.items()):
        color = RUN_COLORS[index % len(RUN_COLORS)]
        for split, dash in (("train", TRAIN_DASH), ("test", TEST_DASH)):
            values = finite_or_nan(getattr(run, f"{split}_{metric}"))
            name = f"{label} · {split}" if label else split
            fig.add_trace(scatter(
                x=np.arange(len(values)), y=values, name=name, mode=_mode(len(values)),
                legendgroup=label or None,
                line={"color": color, "dash": dash, "width": style.line_width},
                marker={"size": style.marker_size},
            ))
        _mark_divergence(fig, run, style)
    style_figure(fig, style, title, subtitle, width=chart_width)
    epoch_axis(fig, max(len(run.train_loss) for run in runs.values()))
    fig.update_layout(hovermode="x unified")
    return fig


def loss_figure(history: History | Mapping[str, History], style: ChartStyle = NORMAL,
                chart_width: int | None = None) -> go.Figure:
    """Train (solid) and test (dashed) loss per epoch (log loss, or squared error for regression).

    Pass one History, or several as {label: History} to compare runs on one axis (each run one neutral
    colour). A diverged run's loss spans hundreds of orders of magnitude; the axis then switches to a log
    scale and says so, because on a linear axis every earlier epoch would sit flat on zero.
    """
    loss_name = _task(history).loss_name
    fig = _metric_figure(history, "loss", style, f"{loss_name.capitalize()} during training",
                         "Lower is better. Solid: train; dashed: test.", chart_width)
    values = np.concatenate([finite_or_nan(getattr(run, name)) for run in _runs(history).values()
                             for name in ("train_loss", "test_loss")])
    values = values[np.isfinite(values) & (values > 0)]
    if len(values) and values.max() / values.min() > 1e3:
        fig.update_yaxes(type="log", title_text=f"{loss_name} (log scale)", exponentformat="power")
    else:
        fig.update_yaxes(title_text=loss_name, rangemode="tozero")
    return fig


def _task(history: History | Mapping[str, History]):
    return next(iter(_runs(history).values())).task


def accuracy_figure(history: History | Mapping[str, History], style: ChartStyle = NORMAL,
                    chart_width: int | None = None) -> go.Figure:
    """Train (solid) and test (dashed) score per epoch: accuracy on a fixed 0–100 % axis, or R² for
    regression on an axis that ends at 1 (a perfect fit) and shows 0 (no better than the mean).

    Its titles are wrapped for `width` px, by default half the column: Weight trajectories draws it
    beside the loss (`ChartStyle.beside`)."""
    task = _task(history)
    chart_width = chart_width or style.beside().width
    if not task.is_regression:
        fig = _metric_figure(history, "score", style, "Accuracy during training",
                             "Higher is better. Solid: train; dashed: test.", chart_width)
        fig.update_yaxes(title_text="accuracy", range=[-0.02, 1.02], tickformat=".0%")
        return fig
    fig = _metric_figure(history, "score", style, "R² during training",
                         "1 is a perfect fit, 0 no better than the mean. Solid: train; dashed: test.",
                         chart_width)
    scores = np.concatenate([finite_or_nan(getattr(run, name)) for run in _runs(history).values()
                             for name in ("train_score", "test_score")])
    scores = scores[np.isfinite(scores)]
    low = max(float(scores.min()), -1.0) if len(scores) else 0.0
    fig.update_yaxes(title_text="R²", range=[min(low, 0.0) - 0.02, 1.02])
    return fig


# --- the symmetry gap -----------------------------------------------------------------------------------

class GapCurve(NamedTuple):
    """One line of a gap chart: its name, the epochs it was measured at, the gaps, and its look."""

    name: str
    epochs: np.ndarray
    gaps: np.ndarray
    color: str
    dash: str


def gap_curves_figure(curves: Sequence[GapCurve], style: ChartStyle, title: str, subtitle: str,
                      legend_below: bool = False, chart_width: int | None = None) -> go.Figure:
    """Gap curves on a log axis, with exact zeros drawn on a floor line labelled "exactly equal".

    The log axis shows round-off (~1e-16) and visible separation (~1) on one chart, but it cannot show 0,
    and exactly 0 is the point of the lesson. So exact zeros are drawn on a floor line below any real
    nonzero gap, and the axis always spans at least two decades so round-off never looks like separation.

    When every nonzero gap is far above round-off and within a factor `LINEAR_SPREAD` of the others
    (random units: 1.59 → 7.14), a log axis reaching down to the floor would flatten them into a line;
    the axis is then linear from 0, where exact zeros are drawn as what they are.
    """
    fig = go.Figure()
    gaps = [finite_or_nan(curve.gaps) for curve in curves]
    positive = np.concatenate([gap[gap > 0] for gap in gaps])
    positive = positive[np.isfinite(positive)]
    has_zeros = any(np.any(gap == 0) for gap in gaps)
    floor = GAP_FLOOR
    linear = bool(len(positive)) and positive.min() > ROUND_OFF_SCALE and (
        positive.max() <= LINEAR_SPREAD * positive.min())
    if linear:
        floor = 0.0
    elif len(positive) and positive.min() <= floor:  # never let the floor hide a real, tiny gap
        floor = 10.0 ** (math.floor(math.log10(positive.min())) - 1)
    last_epoch = max(float(curve.epochs[-1]) for curve in curves)
    scatter = _scatter_class(sum(len(gap) for gap in gaps))
    if has_zeros:
        fig.add_trace(scatter(
            x=[0, max(last_epoch, 1)], y=[floor, floor], mode="lines", name="exactly equal (gap = 0)",
            line={"color": "#888888", "dash": "dot", "width": max(style.line_width / 2, 1.0)},
            hoverinfo="skip", showlegend=not legend_below,
        ))
        fig.add_annotation(text="exactly equal (gap = 0)", x=0.01, xanchor="left",
                           y=floor if linear else math.log10(floor),
                           yanchor="bottom", xref="paper", yref="y", showarrow=False,
                           font={"size": style.font_size, "color": "#555555"})
    for curve, gap in zip(curves, gaps):
        fig.add_trace(scatter(
            x=curve.epochs, y=np.where(gap == 0, floor, gap), mode=_mode(len(gap)), name=curve.name,
            customdata=gap, hovertemplate="epoch %{x}: gap %{customdata:.3g}<extra>%{fullData.name}</extra>",
            line={"color": curve.color, "dash": curve.dash, "width": style.line_width},
            marker={"size": style.marker_size},
        ))
    style_figure(fig, style, title, subtitle, width=chart_width)
    epoch_axis(fig, int(last_epoch) + 1)
    if legend_below:  # run labels can be long: a legend row under the chart
        fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"})
    if linear:
        top = float(positive.max()) * 1.08
        fig.update_yaxes(title_text="symmetry gap", type="linear", range=[-0.04 * top, top])
        return fig
    # The visible range in decades: from the floor (or the smallest gap) to the largest gap.
    low = math.log10(floor) if has_zeros or not len(positive) else math.log10(positive.min())
    high = math.log10(positive.max()) if len(positive) else low
    if high - low < 2:  # at least two decades, so round-off (1e-16) and "visible" never look alike
        low, high = (low, low + 2) if has_zeros else ((low + high) / 2 - 1, (low + high) / 2 + 1)
    fig.update_yaxes(title_text="symmetry gap (log scale)", type="log", exponentformat="power",
                     range=[low - 0.5, high + 0.5], dtick=max(1, math.ceil((high - low) / 6)))
    return fig


def symmetry_gap_figure(
    history: History | Mapping[str, History], style: ChartStyle = NORMAL, layer: int = 0,
    title: str = "Largest difference between any two units",
) -> go.Figure:
    """The symmetry gap (largest distance between two units of a layer) per epoch, on a log axis.

    Pass one History to see each of its hidden layers (one dash per layer), or several as
    {label: History} to compare runs on hidden layer `layer` (one neutral colour and dash per run).
    """
    runs = _runs(history)
    single = isinstance(history, History)
    if single:
        curves = [GapCurve(f"hidden layer {index + 1}", np.arange(len(gap)), gap, RUN_COLORS[0],
                           LAYER_DASHES[index % len(LAYER_DASHES)])
                  for index, gap in enumerate(history.symmetry_gap)]
    else:
        curves = [GapCurve(label, np.arange(len(run.symmetry_gap[layer])), run.symmetry_gap[layer],
                           RUN_COLORS[index % len(RUN_COLORS)], RUN_DASHES[index % len(RUN_DASHES)])
                  for index, (label, run) in enumerate(runs.items()) if layer < len(run.symmetry_gap)]
    if not curves:
        fig = style_figure(go.Figure(), style, title)
        return _note(fig, "No hidden layer:<br>logistic regression has no units to compare.", style)
    zeros = any(np.any(np.asarray(curve.gaps) == 0) for curve in curves)
    subtitle = ("0 = the layer's units are still identical." if single
                else f"Hidden layer {layer + 1}" + ("; bottom line: gap exactly 0" if zeros else ""))
    fig = gap_curves_figure(curves, style, title, subtitle, legend_below=not single)
    for run in runs.values():
        _mark_divergence(fig, run, style)
    return fig


# --- each unit's weights --------------------------------------------------------------------------------

def unit_weights_figure(history: History, layer: int = 0, style: ChartStyle = NORMAL,
                        chart_width: int | None = None) -> go.Figure:
    """Each hidden unit's incoming weights over training, one colour per unit.

    With two inputs (the 2-D datasets) both weights are drawn, w₁ solid and w₂ dashed, grouped per unit in
    the legend. With more inputs the lines would be unreadable, so each unit's incoming weight vector is
    summarised by its length ‖w‖. Units that never separate draw exactly on top of each other: one line.
    """
    hidden = history.config.hidden
    title = "Each unit's incoming weights"
    if len(hidden) > 1:
        title += f", layer {layer + 1}"
    fig = go.Figure()
    if not hidden:
        style_figure(fig, style, title)
        return _note(fig, "No hidden layer:<br>logistic regression has no units to compare.", style)
    if not 0 <= layer < len(hidden):
        raise IndexError(f"hidden layer {layer} does not exist: this network has {len(hidden)}")
    W = np.asarray(history.weights[layer])  # (snapshots, fan_in, width)
    steps = np.asarray(history.steps)
    n_inputs, width = W.shape[1], W.shape[2]
    if n_inputs <= 2:  # each weight its own line: w₁ solid, w₂ dashed
        names = ("w₁", "w₂")[:n_inputs]
        y_title = "weight w₁ (solid), w₂ (dashed)" if n_inputs == 2 else "weight w₁"
        lines = {j: [finite_or_nan(W[:, i, j]) for i in range(n_inputs)] for j in range(width)}
    else:  # one line per unit: the length of its incoming weight vector
        names = ("‖w‖",)
        y_title = f"‖w‖, norm of the {n_inputs} incoming weights"
        with np.errstate(over="ignore", invalid="ignore"):
            norms = np.linalg.norm(W, axis=1)  # (snapshots, width)
        lines = {j: [finite_or_nan(norms[:, j])] for j in range(width)}
    scatter = _scatter_class(len(steps) * width * len(names))
    # Drawn last unit first, so that when units coincide the line on top is unit 1 (strongest colour);
    # legendrank keeps the legend in unit order anyway.
    for j in reversed(range(width)):
        for i, (name, values) in enumerate(zip(names, lines[j])):
            fig.add_trace(scatter(
                x=steps, y=values, mode=_mode(len(steps)), name=unit_label(j),
                legendgroup=unit_label(j), legendrank=j, showlegend=i == 0,
                hovertemplate=f"{unit_label(j)} {name}<br>epoch %{{x}}: %{{y:.4g}}<extra></extra>",
                line={"color": unit_color(j, width), "dash": WEIGHT_DASHES[i],
                      "width": style.line_width},
                marker={"size": style.marker_size},
            ))
    _mark_divergence(fig, history, style)
    # Weight trajectories draws it beside the outgoing weights: titles wrapped for half the column.
    style_figure(fig, style, title, "Overlapping lines are equal units.",
                 width=chart_width or style.beside().width)
    epoch_axis(fig, len(steps))
    fig.update_yaxes(title_text=y_title)
    return fig


# --- each unit's outgoing weights -----------------------------------------------------------------------

def _hidden_layer(hidden: Sequence[int], layer: int) -> int:
    """A hidden-layer index made non-negative (-1 is the last hidden layer), or an IndexError."""
    if not -len(hidden) <= layer < len(hidden):
        raise IndexError(f"hidden layer {layer} does not exist: this network has {len(hidden)}")
    return layer % len(hidden)


def output_weights_figure(history: History, layer: int = -1, style: ChartStyle = NORMAL,
                          chart_width: int | None = None) -> go.Figure:
    """Each hidden unit's outgoing weight v_j over training, one colour per unit.

    Why this chart: v_j multiplies unit j's share of the error signal (∂L/∂h_j = Σ_k v_jk δ_k), so two units
    with equal incoming weights but different v_j still get different updates (Q4). With one
    output unit (two classes) each unit has a single outgoing weight, drawn as is, sign included. With
    several outputs (softmax, or a next hidden layer) each unit's outgoing weights are summarised by their
    length ‖v_j‖, and the axis title says so. `layer` counts hidden layers from 0; -1 is the last one.
    """
    hidden = history.config.hidden
    fig = go.Figure()
    if not hidden:
        style_figure(fig, style, "Each unit's outgoing weight")
        return _note(fig, "No hidden layer:<br>logistic regression has no units to compare.", style)
    layer = _hidden_layer(hidden, layer)
    V = np.asarray(history.weights[layer + 1])  # (snapshots, width, fan_out of the next layer)
    steps = np.asarray(history.steps)
    width, n_next = V.shape[1], V.shape[2]
    v = "v<sub>j</sub>"
    if n_next == 1:
        title, y_title, symbol = f"Each unit's outgoing weight {v}", f"{v}, weight to the output", "v"
        lines = [finite_or_nan(V[:, j, 0]) for j in range(width)]
    else:
        title, symbol = f"Each unit's outgoing weights {v}", "‖v‖"
        into = "the output" if layer == len(hidden) - 1 else f"layer {layer + 2}"
        y_title = f"‖{v}‖, length over the {n_next} units of {into}"
        with np.errstate(over="ignore", invalid="ignore"):
            lines = [finite_or_nan(norm) for norm in np.linalg.norm(V, axis=2).T]
    if len(hidden) > 1:
        title += f", layer {layer + 1}"
    scatter = _scatter_class(len(steps) * width)
    for j in reversed(range(width)):  # unit 1 on top where lines coincide, as in unit_weights_figure
        fig.add_trace(scatter(
            x=steps, y=lines[j], mode=_mode(len(steps)), name=unit_label(j), legendgroup=unit_label(j),
            legendrank=j,
            hovertemplate=f"{unit_label(j)} {symbol}<br>epoch %{{x}}: %{{y:.4g}}<extra></extra>",
            line={"color": _unit_colors(width)[j], "width": style.line_width},
            marker={"size": style.marker_size},
        ))
    _mark_divergence(fig, history, style)
    # Weight trajectories draws it beside the incoming weights: titles wrapped for half the column.
    style_figure(fig, style, title, "v<sub>j</sub> scales unit j's share of the error signal: "
                                    "a different v<sub>j</sub>, a different update.",
                 width=chart_width or style.beside().width)
    epoch_axis(fig, len(steps))
    fig.update_yaxes(title_text=y_title, zeroline=n_next == 1, zerolinecolor="#D9D9D9", zerolinewidth=1)
    return fig


