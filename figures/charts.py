"""History → Plotly figure: one palette, one colour per hidden unit, the same in every chart.

Every figure here is built from numbers the trainer recorded, never from a sketch of what "should" happen,
and every one says what to look at in its title. The conventions, shared by all pages (DESIGN.md §5):

- unit j of a layer is `unit_color(j, width)` in every chart, so a learner can follow one unit around;
- train is a solid line and test a dashed one;
- a `ChartStyle` sets the sizes, so projector mode is one argument, not a second set of charts.

Histories come in every shape the trainer produces: a diverged run (shorter per-epoch arrays, huge
values), a network without hidden layers (logistic regression), or zero epochs (a single point). Each
function draws those honestly instead of failing. Plotly only; streamlit is never imported here.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from core.datasets import Dataset
from core.network import forward_logits, probabilities
from core.train import History

# --- palette --------------------------------------------------------------------------------------------

# Okabe & Ito's colour-blind-safe qualitative palette, ordered so the first units get the strongest
# colours on white. Its black is replaced by a gray (black reads as an axis), and its yellow, the
# weakest on a white background, comes last.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F", "#F0E442")
# Past eight units the palette continues along a perceptually ordered map; its pale yellow end is cut
# off because thin pale lines vanish on white.
EXTENDED_SCALE = "Viridis"
EXTENDED_RANGE = (0.0, 0.85)

TRAIN_DASH = "solid"
TEST_DASH = "dash"
# Runs and layers are not units, so they get neutral colours that no unit ever has.
RUN_COLORS = ("#222222", "#9A9A9A", "#5A5A5A", "#C4C4C4")
LAYER_DASHES = ("solid", "dashdot", "longdash")
RUN_DASHES = ("solid", "dash", "dot", "dashdot")
WEIGHT_DASHES = ("solid", "dash")  # w₁, w₂ of one unit

# Every figure uses the white template, cut down to the trace types we draw: the full one styles ~25
# types, and every figure carries, validates, pickles and sends its template (7 kB of JSON per chart).
# Set once as the default: applying it per figure cost 30–80 ms, more than building most figures.
TRACE_TYPES = ("bar", "contour", "heatmap", "scatter", "scattergl")
_white = pio.templates["plotly_white"]
pio.templates["symmetry_lab"] = go.layout.Template(
    layout=_white.layout, data={kind: _white.data[kind] for kind in TRACE_TYPES})
pio.templates.default = "symmetry_lab"

GAP_FLOOR = 1e-17  # where a gap of exactly 0 is drawn on a log axis (float64 round-off is ~1e-16)
WEBGL_POINTS = 5_000  # above this many points in one figure, draw with WebGL instead of SVG


def unit_color(index: int, n_units: int) -> str:
    """The colour of hidden unit `index` (0-based) in a layer of `n_units` units, the same in every chart."""
    if not 0 <= index < n_units:
        raise IndexError(f"unit {index} does not exist in a layer of {n_units} units")
    if index < len(OKABE_ITO):
        return OKABE_ITO[index]
    n_extra = n_units - len(OKABE_ITO)
    low, high = EXTENDED_RANGE
    position = low if n_extra == 1 else low + (high - low) * (index - len(OKABE_ITO)) / (n_extra - 1)
    return sample_colorscale(EXTENDED_SCALE, [position])[0]


@functools.cache
def _unit_colors(width: int) -> tuple[str, ...]:
    """unit_color for every unit of a layer, computed once per width (sampling the colour map is slow)."""
    return tuple(unit_color(j, width) for j in range(width))


def unit_label(index: int) -> str:
    """How a unit is named on screen: counted from 1, as in the math (Z_1 … Z_M)."""
    return f"unit {index + 1}"


def format_gap(value: float) -> str:
    """A symmetry gap as captions print it: exactly 0 stays "0.0", round-off shows as e.g. "2.2e-16"."""
    if value == 0:
        return "0.0"
    if not math.isfinite(value):
        return str(value)
    return f"{value:.1e}" if abs(value) < 1e-3 or abs(value) >= 1e5 else f"{value:.3g}"


# --- style ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartStyle:
    """Sizes shared by every chart; PROJECTOR makes text and lines readable from the back of a room."""

    font_size: int = 14
    line_width: float = 2.0
    marker_size: float = 6.0
    height: int = 400


NORMAL = ChartStyle()
PROJECTOR = ChartStyle(font_size=20, line_width=3.5, marker_size=10.0, height=540)


def style_figure(fig: go.Figure, style: ChartStyle, title: str, subtitle: str = "") -> go.Figure:
    """Apply the common look: white template, title (and a "what to look at" subtitle), fonts, legend."""
    top = int(style.font_size * (5.2 if subtitle else 3.4))
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": style.font_size, "color": "#555555"}},
            "font": {"size": round(style.font_size * 1.3)},
            "x": 0.0,
            "xanchor": "left",
            "xref": "paper",
        },
        font={"size": style.font_size, "color": "#222222"},
        height=style.height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={"font": {"size": style.font_size}, "itemwidth": 30, "tracegroupgap": 2},
        hoverlabel={"font": {"size": style.font_size}},
    )
    fig.update_xaxes(automargin=True, title_standoff=6, zeroline=False)
    fig.update_yaxes(automargin=True, title_standoff=6)
    return fig


# --- helpers --------------------------------------------------------------------------------------------

def _clean(values: np.ndarray) -> np.ndarray:
    """Float copy with inf/nan as nan, which Plotly leaves out (a diverged run's last values)."""
    values = np.array(values, dtype=float)
    values[~np.isfinite(values)] = np.nan
    return values


def _scatter_class(n_points: int) -> type[go.Scatter] | type[go.Scattergl]:
    return go.Scattergl if n_points > WEBGL_POINTS else go.Scatter


def _mode(n_points: int) -> str:
    """A single point (epochs=0) has no line to draw, so it gets a marker."""
    return "lines+markers" if n_points == 1 else "lines"


def epoch_axis(fig: go.Figure, n_epochs: int) -> None:
    """Label the x axis "epoch"; a single point (epochs=0) gets room on both sides instead of a 0–1 axis."""
    if n_epochs <= 1:
        fig.update_xaxes(title_text="epoch", range=[-0.5, 0.5], dtick=1)
    else:
        fig.update_xaxes(title_text="epoch", rangemode="tozero")


def _note(fig: go.Figure, text: str, style: ChartStyle) -> go.Figure:
    """A short message in the middle of an otherwise empty chart."""
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": round(style.font_size * 1.2), "color": "#555555"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _mark_divergence(fig: go.Figure, history: History, style: ChartStyle) -> None:
    """A vertical line where a diverged run stops, so its short curves do not look like a finished run."""
    if history.diverged:
        fig.add_vline(x=history.epochs_completed, line={"color": "#B00020", "dash": "dot", "width": 1.5},
                      annotation_text=f"diverged after epoch {history.epochs_completed}",
                      annotation_position="top left",
                      annotation_font={"size": style.font_size, "color": "#B00020"})


def _runs(history: History | Mapping[str, History]) -> dict[str, History]:
    return {"": history} if isinstance(history, History) else dict(history)


# --- loss and accuracy ----------------------------------------------------------------------------------

def _metric_figure(
    history: History | Mapping[str, History], metric: str, style: ChartStyle, title: str, subtitle: str
) -> go.Figure:
    runs = _runs(history)
    fig = go.Figure()
    n_points = sum(2 * len(run.train_loss) for run in runs.values())
    scatter = _scatter_class(n_points)
    for index, (label, run) in enumerate(runs.items()):
        color = RUN_COLORS[index % len(RUN_COLORS)]
        for split, dash in (("train", TRAIN_DASH), ("test", TEST_DASH)):
            values = _clean(getattr(run, f"{split}_{metric}"))
            name = f"{label} · {split}" if label else split
            fig.add_trace(scatter(
                x=np.arange(len(values)), y=values, name=name, mode=_mode(len(values)),
                legendgroup=label or None,
                line={"color": color, "dash": dash, "width": style.line_width},
                marker={"size": style.marker_size},
            ))
        _mark_divergence(fig, run, style)
    style_figure(fig, style, title, subtitle)
    epoch_axis(fig, max(len(run.train_loss) for run in runs.values()))
    fig.update_layout(hovermode="x unified")
    return fig


def loss_figure(history: History | Mapping[str, History], style: ChartStyle = NORMAL) -> go.Figure:
    """Train (solid) and test (dashed) log loss per epoch.

    Pass one History, or several as {label: History} to compare runs on one axis (each run one neutral
    colour). A diverged run's loss spans hundreds of orders of magnitude; the axis then switches to a log
    scale and says so, because on a linear axis every earlier epoch would sit flat on zero.
    """
    fig = _metric_figure(history, "loss", style, "Log loss during training",
                         "Lower is better. Solid: train; dashed: test.")
    values = np.concatenate([_clean(getattr(run, name)) for run in _runs(history).values()
                             for name in ("train_loss", "test_loss")])
    values = values[np.isfinite(values) & (values > 0)]
    if len(values) and values.max() / values.min() > 1e3:
        fig.update_yaxes(type="log", title_text="log loss (log scale)", exponentformat="power")
    else:
        fig.update_yaxes(title_text="log loss", rangemode="tozero")
    return fig


def accuracy_figure(history: History | Mapping[str, History], style: ChartStyle = NORMAL) -> go.Figure:
    """Train (solid) and test (dashed) accuracy per epoch, on a fixed 0–100 % axis so runs compare."""
    fig = _metric_figure(history, "accuracy", style, "Accuracy during training",
                         "Higher is better. Solid: train; dashed: test.")
    fig.update_yaxes(title_text="accuracy", range=[-0.02, 1.02], tickformat=".0%")
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
                      legend_below: bool = False) -> go.Figure:
    """Gap curves on a log axis, with exact zeros drawn on a floor line labelled "exactly equal".

    The log axis shows round-off (~1e-16) and visible separation (~1) on one chart, but it cannot show 0,
    and exactly 0 is the point of the lesson. So exact zeros are drawn on a floor line below any real
    nonzero gap, and the axis always spans at least two decades so round-off never looks like separation.
    """
    fig = go.Figure()
    gaps = [_clean(curve.gaps) for curve in curves]
    positive = np.concatenate([gap[gap > 0] for gap in gaps])
    positive = positive[np.isfinite(positive)]
    has_zeros = any(np.any(gap == 0) for gap in gaps)
    floor = GAP_FLOOR
    if len(positive) and positive.min() <= floor:  # never let the floor hide a real, tiny gap
        floor = 10.0 ** (math.floor(math.log10(positive.min())) - 1)
    last_epoch = max(float(curve.epochs[-1]) for curve in curves)
    scatter = _scatter_class(sum(len(gap) for gap in gaps))
    if has_zeros:
        fig.add_trace(scatter(
            x=[0, max(last_epoch, 1)], y=[floor, floor], mode="lines", name="exactly equal (gap = 0)",
            line={"color": "#888888", "dash": "dot", "width": max(style.line_width / 2, 1.0)},
            hoverinfo="skip", showlegend=not legend_below,
        ))
        fig.add_annotation(text="exactly equal (gap = 0)", x=0.01, xanchor="left", y=math.log10(floor),
                           yanchor="bottom", xref="paper", yref="y", showarrow=False,
                           font={"size": style.font_size, "color": "#555555"})
    for curve, gap in zip(curves, gaps):
        fig.add_trace(scatter(
            x=curve.epochs, y=np.where(gap == 0, floor, gap), mode=_mode(len(gap)), name=curve.name,
            customdata=gap, hovertemplate="epoch %{x}: gap %{customdata:.3g}<extra>%{fullData.name}</extra>",
            line={"color": curve.color, "dash": curve.dash, "width": style.line_width},
            marker={"size": style.marker_size},
        ))
    # The visible range in decades: from the floor (or the smallest gap) to the largest gap.
    low = math.log10(floor) if has_zeros or not len(positive) else math.log10(positive.min())
    high = math.log10(positive.max()) if len(positive) else low
    if high - low < 2:  # at least two decades, so round-off (1e-16) and "visible" never look alike
        low, high = (low, low + 2) if has_zeros else ((low + high) / 2 - 1, (low + high) / 2 + 1)
    style_figure(fig, style, title, subtitle)
    epoch_axis(fig, int(last_epoch) + 1)
    fig.update_yaxes(title_text="symmetry gap (log scale)", type="log", exponentformat="power",
                     range=[low - 0.5, high + 0.5], dtick=max(1, math.ceil((high - low) / 6)))
    if legend_below:  # run labels can be long: a legend row under the chart
        fig.update_layout(legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"})
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

def unit_weights_figure(history: History, layer: int = 0, style: ChartStyle = NORMAL) -> go.Figure:
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
        lines = {j: [_clean(W[:, i, j]) for i in range(n_inputs)] for j in range(width)}
    else:  # one line per unit: the length of its incoming weight vector
        names = ("‖w‖",)
        y_title = f"‖w‖, norm of the {n_inputs} incoming weights"
        with np.errstate(over="ignore", invalid="ignore"):
            norms = np.linalg.norm(W, axis=1)  # (snapshots, width)
        lines = {j: [_clean(norms[:, j])] for j in range(width)}
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
    style_figure(fig, style, title, "Overlapping lines are equal units.")
    epoch_axis(fig, len(steps))
    fig.update_yaxes(title_text=y_title)
    return fig


def share_y_range(figures: Sequence[go.Figure], pad: float = 0.05) -> None:
    """Give side-by-side charts one y range, so equal heights mean equal values.

    Without this, each chart zooms to its own data and a run whose weights barely move looks as busy as
    one whose weights travel four times as far. Linear axes only.
    """
    values = [np.asarray(trace.y, dtype=float) for fig in figures for trace in fig.data
              if trace.y is not None]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    if len(finite) == 0:
        return
    low, high = float(finite.min()), float(finite.max())
    margin = pad * (high - low) if high > low else max(abs(high), 1.0) * pad
    for fig in figures:
        fig.update_yaxes(range=[low - margin, high + margin])


# --- each unit's outgoing weights -----------------------------------------------------------------------

def _hidden_layer(hidden: Sequence[int], layer: int) -> int:
    """A hidden-layer index made non-negative (-1 is the last hidden layer), or an IndexError."""
    if not -len(hidden) <= layer < len(hidden):
        raise IndexError(f"hidden layer {layer} does not exist: this network has {len(hidden)}")
    return layer % len(hidden)


def output_weights_figure(history: History, layer: int = -1, style: ChartStyle = NORMAL) -> go.Figure:
    """Each hidden unit's outgoing weight v_j over training, one colour per unit.

    Why this chart: v_j multiplies unit j's share of the error signal (∂L/∂h_j = Σ_k v_jk δ_k), so two units
    with equal incoming weights but different v_j still get different updates (DESIGN.md Q4). With one
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
        lines = [_clean(V[:, j, 0]) for j in range(width)]
    else:
        title, symbol = f"Each unit's outgoing weights {v}", "‖v‖"
        into = "the output" if layer == len(hidden) - 1 else f"layer {layer + 2}"
        y_title = f"‖{v}‖, length over the {n_next} units of {into}"
        with np.errstate(over="ignore", invalid="ignore"):
            lines = [_clean(norm) for norm in np.linalg.norm(V, axis=2).T]
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
    style_figure(fig, style, title, "v<sub>j</sub> scales unit j's share of the error signal: "
                                    "a different v<sub>j</sub>, a different update.")
    epoch_axis(fig, len(steps))
    fig.update_yaxes(title_text=y_title, zeroline=n_next == 1, zerolinecolor="#D9D9D9", zerolinewidth=1)
    return fig


# --- the training animation -----------------------------------------------------------------------------
# One figure, one slider, one Play button. Static traces (paths, start/end marks, data points) are sent
# once; each frame carries only the traces that move (current weights, unit lines, the boundary), with
# numbers rounded to float32 precision, so a 64-unit run stays well under a megabyte of JSON.

MAX_FRAMES = 40
FRAME_MS = 150  # 40 frames ≈ 6 s of animation
GRID_SIZE = 50  # the decision boundary is evaluated on a GRID_SIZE × GRID_SIZE grid
MAX_GRID_VALUES = 1_000_000  # activations one batched pass over the grid may hold (8 MB of float64)
PLANE_MARGIN = 0.1  # axis box = data range ± 10 %
# Classes are not units: neutral grays and shapes (light, dark, mid), soft tinted backgrounds.
CLASS_MARKERS = (("circle", "#FFFFFF"), ("diamond", "#6E6E6E"), ("square", "#B4B4B4"),
                 ("triangle-up", "#FFFFFF"), ("cross", "#6E6E6E"))
CLASS_OUTLINE = "#6E6E6E"
CLASS_TINTS = ("#E6D6BC", "#C9D6E2", "#DDCDE0", "#D2E0CF", "#EAE1C4")  # soft region colours, one per class
BOUNDARY_COLOR = "#222222"
NOW_OUTLINE = "#FFFFFF"


@dataclass(frozen=True)
class _Moving:
    """A trace that changes from frame to frame: its look is fixed, `data(snapshot)` gives its numbers.

    Moving points and lines are Scattergl, never Scatter: Plotly.js "transitions" SVG scatter traces, and
    a transition re-plots the subplots without their contour and heatmap layers, so the decision boundary
    vanished while playing (measured in Chromium, plotly.js 4.1 and Streamlit's 4.2). WebGL traces are not
    transitioned: every frame is one plain redraw, and boundary, lines and points move together.
    """

    trace: go.Scattergl | go.Contour | go.Heatmap  # styled, without its changing data
    data: Callable[[int], dict]


_Slot = go.Scatter | go.Contour | go.Heatmap | _Moving
_Box = tuple[tuple[float, float], tuple[float, float]]  # ((x_min, x_max), (y_min, y_max))


def frame_snapshots(n_snapshots: int, max_frames: int) -> np.ndarray:
    """At most `max_frames` snapshot indices, evenly spread over the recorded ones, first and last always.

    Spread over snapshot *indices*, not epochs: the trainer records densely early, where units decide
    whether they separate, so the animation spends its frames there too (the slider shows each epoch).
    """
    count = min(n_snapshots, max_frames)
    return np.unique(np.rint(np.linspace(0, n_snapshots - 1, count)).astype(int))


def _compact(values: np.ndarray) -> np.ndarray:
    """float32 (half the JSON of float64) unless a diverged run's values exceed float32's range."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return values if finite.size and np.abs(finite).max() > 1e37 else values.astype(np.float32)


def _short(values: np.ndarray) -> list[float | None]:
    """A handful of numbers as a JSON list at float32 precision (7 significant digits); nan → None."""
    return [float(f"{v:.7g}") if math.isfinite(v) else None for v in np.asarray(values, dtype=float).ravel()]


def _box(points: np.ndarray, margin: float = PLANE_MARGIN) -> _Box:
    """The axis box around 2-D points: their range ± `margin` of the larger side, never empty.

    Units that never move (a zero start) are a single point; they get a small box around it.
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        return (-1.0, 1.0), (-1.0, 1.0)
    low, high = points.min(axis=0), points.max(axis=0)
    span = float((high - low).max())
    pad = margin * span if span > 0 else 0.1 * max(float(np.abs(points).max()), 1.0)
    return (float(low[0] - pad), float(high[0] + pad)), (float(low[1] - pad), float(high[1] + pad))


def _clip_line(w: np.ndarray, b: float, box: _Box) -> tuple[list[float], list[float]]:
    """The segment of the line w₁x₁ + w₂x₂ + b = 0 inside the axis box, or empty lists if it misses it.

    A unit whose weights are (nearly) zero has no line at all: it is skipped, not drawn somewhere arbitrary.
    """
    (x0, x1), (y0, y1) = box
    w1, w2 = float(w[0]), float(w[1])
    scale = max(abs(w1), abs(w2))
    if not (math.isfinite(scale) and math.isfinite(b)) or scale <= 1e-9 * max(1.0, abs(b)):
        return [], []
    w1, w2, b = w1 / scale, w2 / scale, b / scale  # the same line, without overflow for huge weights
    eps = 1e-9 * max(x1 - x0, y1 - y0)
    points = []
    if abs(w2) > 1e-12:
        points += [(x, -(b + w1 * x) / w2) for x in (x0, x1)]
    if abs(w1) > 1e-12:
        points += [(-(b + w2 * y) / w1, y) for y in (y0, y1)]
    inside = [(x, y) for x, y in points if x0 - eps <= x <= x1 + eps and y0 - eps <= y <= y1 + eps]
    if len(inside) < 2:
        return [], []
    start, end = max(((p, q) for p in inside for q in inside), key=lambda pq: math.dist(*pq))
    if math.dist(start, end) <= eps:  # only touches a corner
        return [], []
    return _short([start[0], end[0]]), _short([start[1], end[1]])


def _unit_path_slots(coords: np.ndarray, steps: np.ndarray, axes: tuple[str, str], names: tuple[str, str],
                     style: ChartStyle) -> list[_Slot]:
    """Per unit: its whole path (faint, static), ○ at the start and × at the end, ● where it is now.

    `coords` is (snapshots, units, 2). A unit's path and end marks carry legendgroup "unit j+1", so clicking
    a unit in the legend hides or shows its track. Units are drawn last first, so where units coincide
    (an identical start) the one on top is unit 1, in the strongest colour.
    """
    xaxis, yaxis = axes
    width = coords.shape[1]
    x_name, y_name = names
    top_last = list(reversed(range(width)))
    slots: list[_Slot] = []
    for j in top_last:
        color, label = _unit_colors(width)[j], unit_label(j)
        path = _compact(coords[:, j])
        common = {"legendgroup": label, "xaxis": xaxis, "yaxis": yaxis, "name": label}
        slots.append(go.Scatter(  # the legend entry: the unit's colour at full strength
            x=[None], y=[None], mode="lines", legendrank=j, hoverinfo="skip",
            line={"color": color, "width": style.line_width}, **common,
        ))
        slots.append(go.Scatter(
            x=path[:, 0], y=path[:, 1], customdata=steps, mode="lines", opacity=0.45, showlegend=False,
            line={"color": color, "width": max(style.line_width * 0.75, 1.0)},
            hovertemplate=f"{label}, epoch %{{customdata}}<br>{x_name} %{{x:.3g}}, {y_name} %{{y:.3g}}"
                          "<extra></extra>", **common,
        ))
        slots.append(go.Scatter(
            x=path[[0, -1], 0], y=path[[0, -1], 1], mode="markers", showlegend=False, hoverinfo="skip",
            marker={"color": color, "symbol": ["circle-open", "x-thin-open"], "size": style.marker_size * 1.4,
                    "line": {"color": color, "width": max(style.line_width * 0.8, 1.5)}}, **common,
        ))
    # Where every unit is now: one trace for all units (per-point colours, point i is unit text[i]), so
    # each frame carries one small trace instead of one per unit.
    slots.append(_Moving(
        go.Scattergl(mode="markers", name="now", showlegend=False, xaxis=xaxis, yaxis=yaxis,
                     text=[unit_label(j) for j in top_last],
                     marker={"color": [_unit_colors(width)[j] for j in top_last],
                             "size": style.marker_size * 2, "line": {"color": NOW_OUTLINE, "width": 1.5}},
                     hovertemplate=f"%{{text}} now<br>{x_name} %{{x:.3g}}, {y_name} %{{y:.3g}}"
                                   "<extra></extra>"),
        lambda s: {"x": _short(coords[s, top_last, 0]), "y": _short(coords[s, top_last, 1])},
    ))
    return slots


def _grid(box: _Box) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid lines along x and y, and the GRID_SIZE² points of the grid as rows (x₁, x₂)."""
    (x0, x1), (y0, y1) = box
    xs, ys = np.linspace(x0, x1, GRID_SIZE), np.linspace(y0, y1, GRID_SIZE)
    gx, gy = np.meshgrid(xs, ys)  # row = y, column = x, as Plotly's z expects
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def _class_maps(history: History, snapshots: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The network's output on `points` at each snapshot: P(class 1) for two classes, else the argmax.

    Snapshots go through batched forward passes (core.network broadcasts over a leading axis), a few at
    a time: all at once, 60 frames of 64 units on the 2 500 grid points held 100 MB of activations. A
    diverged run's huge weights can overflow to nan; those cells come back as nan and are left blank.
    """
    widest = max((W.shape[-1] for W in history.weights), default=1)
    per_pass = max(1, MAX_GRID_VALUES // (len(points) * widest))
    result = np.empty((len(snapshots), len(points)))
    for start in range(0, len(snapshots), per_pass):
        chosen = snapshots[start:start + per_pass]
        params = [(W[chosen], b[chosen]) for W, b in zip(history.weights, history.biases)]
        with np.errstate(all="ignore"):
            _, logits = forward_logits(params, points, history.config.activation)
            bad = ~np.isfinite(logits).all(axis=-1)
            if logits.shape[-1] == 1:
                part = probabilities(logits)[..., 0]
            else:
                part = np.argmax(np.nan_to_num(logits), axis=-1).astype(float)
        part[bad] = np.nan
        result[start:start + len(chosen)] = part
    return result.reshape(len(snapshots), GRID_SIZE, GRID_SIZE)


def _small_grid(values: np.ndarray) -> np.ndarray:
    """A grid of integers 0–100 as bytes (Plotly sends numpy arrays as base64: 3.3 kB for 50 × 50).

    Cells a diverged network left undefined (nan) need float32, which has a nan; Plotly leaves them blank.
    """
    if np.isfinite(values).all():
        return np.rint(values).astype(np.uint8)
    return np.round(values).astype(np.float32)


def _background_slot(history: History, dataset: Dataset, snapshots: np.ndarray, box: _Box,
                     axes: tuple[str, str], style: ChartStyle) -> _Moving:
    """The network's verdict at each frame: P(class 1) shaded with its 0.5 contour drawn, or class regions."""
    xs, ys, points = _grid(box)
    maps = _class_maps(history, snapshots, points)
    frame_of = {int(s): i for i, s in enumerate(snapshots)}
    xaxis, yaxis = axes
    names = dataset.class_names
    if len(names) == 2:
        percent = maps * 100
        trace = go.Contour(
            x=_compact(xs), y=_compact(ys), zmin=0, zmax=100, showscale=False, opacity=0.9,
            colorscale=[[0.0, CLASS_TINTS[0]], [0.5, "#FFFFFF"], [1.0, CLASS_TINTS[1]]],
            contours={"coloring": "heatmap", "start": 50, "end": 50, "size": 1, "showlabels": False},
            line={"color": BOUNDARY_COLOR, "width": style.line_width * 1.5}, hoverongaps=False,
            hovertemplate=f"P({names[1]}) = %{{z}} %<extra></extra>", xaxis=xaxis, yaxis=yaxis,
            name="decision boundary", showlegend=False,
        )
        return _Moving(trace, lambda s: {"z": _small_grid(percent[frame_of[s]])})
    k = len(names)
    scale = [[edge / k, CLASS_TINTS[c % len(CLASS_TINTS)]] for c in range(k) for edge in (c, c + 1)]
    trace = go.Heatmap(
        x=_compact(xs), y=_compact(ys), zmin=-0.5, zmax=k - 0.5, colorscale=scale, showscale=False,
        opacity=0.9, hoverongaps=False, hovertemplate="predicted class %{z}<extra></extra>",
        xaxis=xaxis, yaxis=yaxis, name="predicted class", showlegend=False,
    )
    return _Moving(trace, lambda s: {"z": _small_grid(maps[frame_of[s]])})


def _input_plane_slots(history: History, dataset: Dataset, snapshots: np.ndarray, box: _Box,
                       axes: tuple[str, str], style: ChartStyle, unit_lines: bool) -> list[_Slot]:
    """The input plane: decision boundary (moving), training points by class, each unit's line (moving)."""
    xaxis, yaxis = axes
    slots: list[_Slot] = [_background_slot(history, dataset, snapshots, box, axes, style)]
    X, y = dataset.X_train, dataset.y_train
    for c, name in enumerate(dataset.class_names):
        symbol, fill = CLASS_MARKERS[c % len(CLASS_MARKERS)]
        rows = _compact(X[y == c])
        slots.append(go.Scatter(
            x=rows[:, 0], y=rows[:, 1], mode="markers", name=f"{name} (training data)", legendrank=1000 + c,
            marker={"symbol": symbol, "color": fill, "size": style.marker_size,
                    "line": {"color": CLASS_OUTLINE, "width": 1}},
            hovertemplate=f"{name}<br>x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<extra></extra>", xaxis=xaxis, yaxis=yaxis,
        ))
    if unit_lines:
        W, b = history.weights[0], history.biases[0]
        width = W.shape[2]
        # Dozens of full-width lines would bury the decision boundary: wide layers get thin lines.
        line_width = style.line_width if width <= 16 else max(style.line_width / 2, 1.0)
        for j in reversed(range(width)):  # unit 1 on top, as in weight space
            label = unit_label(j)
            slots.append(_Moving(
                go.Scattergl(mode="lines", name=label, legendgroup=label, showlegend=False, xaxis=xaxis,
                             yaxis=yaxis, line={"color": _unit_colors(width)[j], "width": line_width},
                             hovertemplate=f"{label}: wᵀx + b = 0<extra></extra>"),
                lambda s, j=j: dict(zip(("x", "y"), _clip_line(W[s, :, j], float(b[s, j]), box))),
            ))
    return slots


def _projection(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's incoming weight vector at each snapshot, projected on the first two principal directions.

    The directions come from one SVD over all snapshots and units at once, so the axes stay fixed while
    the animation runs. Returns coordinates (snapshots, units, 2) and the fraction of variance each
    direction explains (zeros if every vector is the same, e.g. a zero start that never moves).
    """
    vectors = np.asarray(weights, dtype=float).transpose(0, 2, 1)  # (snapshots, units, fan_in)
    flat = vectors.reshape(-1, vectors.shape[-1])
    mean = flat.mean(axis=0)
    centred = flat - mean
    scale = np.abs(centred).max()
    if not (np.isfinite(scale) and scale > 0):
        return np.zeros((*vectors.shape[:2], 2)), np.zeros(2)
    _, singular, directions = np.linalg.svd(centred / scale, full_matrices=False)
    variance = singular**2
    explained = np.zeros(2)
    explained[:len(variance[:2])] = variance[:2] / variance.sum()
    basis = np.zeros((2, vectors.shape[-1]))
    basis[:len(directions[:2])] = directions[:2]
    return (vectors - mean) @ basis.T, explained


def _square_axes(fig: go.Figure, panel: int, box: _Box, titles: tuple[str, str]) -> None:
    """Fixed ranges (the animation must not rescale) and equal units on both axes (angles stay true)."""
    suffix = "" if panel == 1 else str(panel)
    (x0, x1), (y0, y1) = box
    fig.layout[f"xaxis{suffix}"].update(range=[x0, x1], title_text=titles[0], constrain="domain",
                                        zeroline=False, showgrid=True)
    fig.layout[f"yaxis{suffix}"].update(range=[y0, y1], title_text=titles[1], constrain="domain",
                                        scaleanchor=f"x{suffix}", scaleratio=1, zeroline=False)


def add_player(fig: go.Figure, labels: Sequence[str], style: ChartStyle) -> None:
    """▶ Play / ❚❚ Pause buttons and one slider over the frames (scrubbing backwards works too)."""
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}, "transition": {"duration": 0}}
    play = {"label": "▶ Play", "method": "animate", "args": [None, {
        "mode": "immediate", "fromcurrent": True, "transition": {"duration": 0},
        "frame": {"duration": FRAME_MS, "redraw": True}}]}  # redraw: contours and heatmaps do not tween
    pause = {"label": "❚❚ Pause", "method": "animate", "args": [[None], {
        "mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}]}
    # Below the x-axis titles: the buttons on the left, the current epoch on the right of the same row,
    # the slider's rail under both, full width (a slider beside the buttons would overlap them once
    # projector fonts make the buttons wider).
    below = style.font_size * 3.5
    fig.update_layout(
        updatemenus=[{
            "type": "buttons", "direction": "left", "buttons": [play, pause], "showactive": False,
            "x": 0.0, "xanchor": "left", "y": 0.0, "yanchor": "top", "pad": {"t": below},
            "font": {"size": style.font_size}, "bgcolor": "#F2F2F2", "bordercolor": "#BBBBBB",
        }],
        sliders=[{
            "active": 0, "steps": [{"label": label, "method": "animate", "args": [[label], jump]}
                                   for label in labels],
            "x": 0.0, "len": 1.0, "xanchor": "left", "y": 0.0, "yanchor": "top",
            "pad": {"t": below + style.font_size * 0.8, "b": 0}, "transition": {"duration": 0},
            "currentvalue": {"visible": True, "prefix": "", "xanchor": "right",
                             "font": {"size": round(style.font_size * 1.2), "color": "#222222"}},
            # 40 tick labels would overlap: hide them (and their room); the current epoch is shown above.
            "font": {"size": 1, "color": "rgba(0,0,0,0)"}, "ticklen": 4, "minorticklen": 2,
        }],
    )


class _Panel(NamedTuple):
    """One subplot of the animation: what it is called, its traces, its fixed axes, its line of subtitle."""

    title: str
    slots: list[_Slot]
    box: _Box
    axis_titles: tuple[str, str]
    note: str


def _animated_figure(panels: Sequence[_Panel], snapshots: np.ndarray, steps: np.ndarray,
                     style: ChartStyle) -> go.Figure:
    """Lay out the panels side by side, then one frame per snapshot holding only the moving traces."""
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[panel.title for panel in panels],
                        horizontal_spacing=0.1)
    slots = [slot for panel in panels for slot in panel.slots]
    first = int(snapshots[0])
    fig.add_traces([slot.trace.update(slot.data(first)) if isinstance(slot, _Moving) else slot
                    for slot in slots])
    moving = [i for i, slot in enumerate(slots) if isinstance(slot, _Moving)]
    labels = [f"epoch {int(steps[s])}" for s in snapshots]
    # Frames as plain dicts holding only the changing numbers: Plotly validates them once, and the
    # browser merges them into the styled traces.
    fig.frames = [
        {"name": label, "traces": moving,
         "data": [{"type": slots[i].trace.type, **slots[i].data(int(s))} for i in moving]}
        for s, label in zip(snapshots, labels)
    ]
    for index, panel in enumerate(panels, start=1):
        _square_axes(fig, index, panel.box, panel.axis_titles)
    if len(labels) > 1:  # a single snapshot (epochs=0) has nothing to play
        add_player(fig, labels, style)
    return fig


def _units_panel(history: History, layer: int, plane: bool, style: ChartStyle) -> _Panel:
    """The left panel: each unit as a point, in weight space (2-D inputs, layer 0) or projected."""
    if plane and layer == 0:
        coords = np.asarray(history.weights[0], dtype=float).transpose(0, 2, 1)  # (snapshots, units, 2)
        slots = _unit_path_slots(coords, history.steps, ("x", "y"), ("w₁", "w₂"), style)
        return _Panel("weight space: each unit's (w₁, w₂)", slots, _box(coords),
                      ("w₁ (weight on x₁)", "w₂ (weight on x₂)"), "○ start, × end, ● now.")
    coords, explained = _projection(history.weights[layer])
    slots = _unit_path_slots(coords, history.steps, ("x", "y"), ("PC 1", "PC 2"), style)
    fan_in = history.weights[layer].shape[1]
    return _Panel(f"each unit's {fan_in} incoming weights, projected", slots, _box(coords),
                  ("first principal direction", "second principal direction"),
                  f"○ start, × end, ● now. The 2 axes show {explained.sum():.0%} of the variance.")


def _plane_panel(history: History, dataset: Dataset, snapshots: np.ndarray, index: int, style: ChartStyle,
                 unit_lines: bool) -> _Panel:
    """The input plane as subplot number `index`: the boundary, the data and (layer 0) each unit's line."""
    box = _box(dataset.X_train)
    suffix = str(index) if index > 1 else ""
    slots = _input_plane_slots(history, dataset, snapshots, box, (f"x{suffix}", f"y{suffix}"), style,
                               unit_lines)
    title = "input plane: unit lines wᵀx + b = 0" if unit_lines else "input plane"
    note = "Black: decision boundary." if dataset.n_classes == 2 else "Shading: predicted class."
    return _Panel(title, slots, box, ("x₁", "x₂"), note)


def training_animation(history: History, dataset: Dataset, layer: int = 0, style: ChartStyle = NORMAL,
                       max_frames: int = MAX_FRAMES) -> go.Figure:
    """Every unit of one hidden layer moving through training, with Play/Pause and a slider to scrub.

    Why: the lesson's claim is about motion (units start apart and stay apart, or start identical and
    stay identical), which a still picture cannot show. For 2-D data and the first hidden layer there are
    two panels: weight space, where each unit is the point (w₁, w₂), and the input plane, where each unit
    is its line wᵀx + b = 0 next to the network's decision boundary. For more inputs, or deeper layers,
    each unit's incoming weight vector is projected on the two principal directions of all its positions
    over training (fixed axes); 2-D data keeps the input plane with the boundary beside it. Without a
    hidden layer only the boundary (itself one line) remains. Frames are at most `max_frames` recorded
    snapshots, always the first and the last.
    """
    if max_frames < 2:
        raise ValueError(f"max_frames must be at least 2 (the first and the last snapshot), got {max_frames}")
    hidden = history.config.hidden
    steps = np.asarray(history.steps)
    snapshots = frame_snapshots(len(steps), max_frames)
    plane = dataset.is_2d
    if not hidden and not plane:
        fig = go.Figure()
        style_figure(fig, style, "Training animation")
        return _note(fig, "No hidden layer and more than two inputs:<br>there are no units to follow.", style)
    panels: list[_Panel] = []
    if hidden:
        layer = _hidden_layer(hidden, layer)
        panels.append(_units_panel(history, layer, plane, style))
        where = f"layer {layer + 1}" if len(hidden) > 1 else "the hidden layer"
        title = f"Follow each unit of {where} through training"
        notes = []
    else:
        title = "The decision boundary through training (no hidden layer)"
        notes = ["Logistic regression: its one line wᵀx + b = 0 is the whole model."]
    if plane:
        panels.append(_plane_panel(history, dataset, snapshots, len(panels) + 1, style,
                                   unit_lines=bool(hidden) and layer == 0))
    if history.diverged:
        title += f" (diverged after epoch {history.epochs_completed})"
    notes += [panel.note for panel in panels]
    if len(snapshots) == 1:
        notes.append("Only the start was recorded.")
    fig = _animated_figure(panels, snapshots, steps, style)
    style_figure(fig, style, title, " ".join(notes))
    fig.update_annotations(font={"size": style.font_size})  # the panel titles
    top = fig.layout.margin.t + 2 * style.font_size  # room for the panel titles under the subtitle
    # The legend goes in rows under the slider, so the panels get the figure's full width (a legend on the
    # right took a quarter of it); the bottom margin grows by the slider's and the legend's height.
    height = style.height + 120 + 3 * style.font_size
    slider_px = style.font_size * (3.5 + 0.8 + 4.6)
    bottom = slider_px + 3.6 * style.font_size
    plot_px = height - top - bottom
    fig.update_layout(
        height=height, hovermode="closest", margin_t=top, margin_b=bottom,
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": -slider_px / plot_px, "yanchor": "top",
                "itemwidth": 30},
    )
    return fig


# --- the network diagram --------------------------------------------------------------------------------

DIAGRAM_HEIGHT = 260  # at NORMAL's font size; scaled with the font for PROJECTOR
EDGE_COLOR = "#D3D3D3"
NODE_GRAY = "#9A9A9A"


def _drawn_nodes(n_nodes: int, max_drawn: int) -> list[int | None]:
    """Which nodes of a column are drawn: all, or the first max_drawn-1, an ellipsis (None), the last."""
    if n_nodes <= max_drawn:
        return list(range(n_nodes))
    return [*range(max(max_drawn - 1, 1)), None, n_nodes - 1]


def _column_label(column: int, n_columns: int, n_nodes: int) -> str:
    if column == 0:
        return f"inputs<br>({n_nodes})"
    if column == n_columns - 1:
        return f"output<br>({n_nodes} {'unit' if n_nodes == 1 else 'units'})"
    return f"hidden layer {column}<br>({n_nodes} {'unit' if n_nodes == 1 else 'units'})"


def network_diagram(layer_sizes: Sequence[int], style: ChartStyle = NORMAL, max_drawn: int = 16) -> go.Figure:
    """The network as circles in columns, inputs → hidden units → output, each pair of layers fully connected.

    Why: it shows at a glance the premise of the whole lesson — every hidden unit of a layer is wired to
    the very same inputs — and introduces each unit's colour (unit_color, the same in every other chart).
    Inputs and outputs are gray because they are not units that can become alike. A layer wider than
    `max_drawn` shows its first max_drawn-1 nodes, "⋮" and its last node; its label gives the true count.
    """
    sizes = [int(size) for size in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"need at least an input and an output layer of positive width, got {sizes}")
    columns = [_drawn_nodes(n, max_drawn) for n in sizes]
    tallest = max(len(column) for column in columns)

    def y_of(slot: int, column: list[int | None]) -> float:  # centred columns, first node on top
        return (len(column) - 1) / 2 - slot

    height = round(DIAGRAM_HEIGHT * style.font_size / NORMAL.font_size)
    plot_px = height - 6.5 * style.font_size  # minus the title and the two-line column labels
    node_size = float(np.clip(0.7 * plot_px / tallest, 5, 3 * style.marker_size))
    fig = go.Figure()
    edges_x: list[float | None] = []
    edges_y: list[float | None] = []
    for c in range(len(columns) - 1):
        left = [y_of(k, columns[c]) for k, node in enumerate(columns[c]) if node is not None]
        right = [y_of(k, columns[c + 1]) for k, node in enumerate(columns[c + 1]) if node is not None]
        for y0 in left:
            for y1 in right:
                edges_x += [c, c + 1, None]
                edges_y += [y0, y1, None]
    fig.add_trace(go.Scatter(x=edges_x, y=edges_y, mode="lines", hoverinfo="skip",
                             line={"color": EDGE_COLOR, "width": max(style.line_width / 3, 0.6)}))
    for c, column in enumerate(columns):
        slots = [(k, node) for k, node in enumerate(column) if node is not None]
        hidden = 0 < c < len(columns) - 1
        if hidden:
            colors = [_unit_colors(sizes[c])[node] for _, node in slots]
            names = [f"hidden layer {c}, {unit_label(node)}" for _, node in slots]
        else:
            colors = NODE_GRAY
            names = [f"input x{node + 1}" if c == 0 else f"output {node + 1}" for _, node in slots]
        fig.add_trace(go.Scatter(
            x=[c] * len(slots), y=[y_of(k, column) for k, _ in slots], mode="markers", text=names,
            hovertemplate="%{text}<extra></extra>", name=_column_label(c, len(columns), sizes[c]),
            marker={"color": colors, "size": node_size, "line": {"color": "#FFFFFF", "width": 1}},
        ))
        gaps = [k for k, node in enumerate(column) if node is None]
        if gaps:
            fig.add_trace(go.Scatter(
                x=[c], y=[y_of(gaps[0], column)], mode="text", text=["⋮"], hoverinfo="skip",
                textfont={"size": round(max(node_size * 1.6, style.font_size)), "color": "#555555"},
            ))
        fig.add_annotation(text=_column_label(c, len(columns), sizes[c]), x=c, y=1.0, xref="x", yref="paper",
                           yanchor="bottom", showarrow=False, font={"size": style.font_size})
    style_figure(fig, style, "Every hidden unit gets the same inputs (one colour per unit)")
    span = (tallest - 1) / 2 + 0.6
    fig.update_xaxes(visible=False, range=[-0.5, len(columns) - 0.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-span, span], fixedrange=True)
    fig.update_layout(height=height, showlegend=False,
                      margin={"t": round(style.font_size * 6), "b": 5, "l": 5, "r": 5})
    return fig
