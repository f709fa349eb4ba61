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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

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
WEIGHT_DASHES = ("solid", "dash")  # w₁, w₂ of one unit

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
        template="plotly_white",
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


def _epoch_axis(fig: go.Figure, n_epochs: int) -> None:
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
    _epoch_axis(fig, max(len(run.train_loss) for run in runs.values()))
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

def symmetry_gap_figure(history: History, style: ChartStyle = NORMAL) -> go.Figure:
    """Each hidden layer's symmetry gap (largest distance between two units) per epoch, on a log axis.

    The log axis shows round-off (~1e-16) and visible separation (~1) on one chart, but it cannot show 0,
    and exactly 0 is the point of the lesson. So exact zeros are drawn on a floor line labelled
    "exactly equal (gap = 0)", below any real nonzero gap.
    """
    title = "Largest difference between any two units"
    fig = go.Figure()
    if not history.symmetry_gap:
        style_figure(fig, style, title)
        return _note(fig, "No hidden layer:<br>logistic regression has no units to compare.", style)
    gaps = [_clean(gap) for gap in history.symmetry_gap]
    positive = np.concatenate([gap[gap > 0] for gap in gaps])
    positive = positive[np.isfinite(positive)]
    has_zeros = any(np.any(gap == 0) for gap in gaps)
    floor = GAP_FLOOR
    if len(positive) and positive.min() <= floor:  # never let the floor hide a real, tiny gap
        floor = 10.0 ** (math.floor(math.log10(positive.min())) - 1)
    n_epochs = max(len(gap) for gap in gaps)
    scatter = _scatter_class(n_epochs * len(gaps))
    if has_zeros:
        fig.add_trace(scatter(
            x=[0, max(n_epochs - 1, 1)], y=[floor, floor], mode="lines", name="exactly equal (gap = 0)",
            line={"color": "#888888", "dash": "dot", "width": max(style.line_width / 2, 1.0)},
            hoverinfo="skip",
        ))
        fig.add_annotation(text="exactly equal (gap = 0)", x=0.01, xanchor="left", y=math.log10(floor),
                           yanchor="bottom", xref="paper", yref="y", showarrow=False,
                           font={"size": style.font_size, "color": "#555555"})
    for layer, gap in enumerate(gaps):
        fig.add_trace(scatter(
            x=np.arange(len(gap)), y=np.where(gap == 0, floor, gap), mode=_mode(len(gap)),
            name=f"hidden layer {layer + 1}", customdata=gap,
            hovertemplate="epoch %{x}: gap %{customdata:.3g}<extra>%{fullData.name}</extra>",
            line={"color": RUN_COLORS[0], "dash": LAYER_DASHES[layer % len(LAYER_DASHES)],
                  "width": style.line_width},
            marker={"size": style.marker_size},
        ))
    # The visible range in decades: from the floor (or the smallest gap) to the largest gap.
    low = math.log10(floor) if has_zeros or not len(positive) else math.log10(positive.min())
    high = math.log10(positive.max()) if len(positive) else low
    if high - low < 2:  # at least two decades, so round-off (1e-16) and "visible" never look alike
        low, high = (low, low + 2) if has_zeros else ((low + high) / 2 - 1, (low + high) / 2 + 1)
    _mark_divergence(fig, history, style)
    style_figure(fig, style, title, "0 = the layer's units are still identical.")
    _epoch_axis(fig, n_epochs)
    fig.update_yaxes(title_text="symmetry gap (log scale)", type="log", exponentformat="power",
                     range=[low - 0.5, high + 0.5], dtick=max(1, math.ceil((high - low) / 6)))
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
    _epoch_axis(fig, len(steps))
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
