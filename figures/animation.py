"""The training animation: each unit's path through weight space, its line wᵀx + b = 0 on the input
plane and the decision boundary, frame by frame with a ▶ Play button and a slider that scrubs backwards too.
Plotly only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64  # what Figure.to_dict applies (plotly ≥ 6)
from plotly.subplots import make_subplots

from core.datasets import Dataset
from core.network import decision_values
from core.train import History
from figures.charts import _hidden_layer
from figures.labels import unit_label
from figures.style import NORMAL, ChartStyle, _note, _unit_colors, style_figure

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
# Regression: the prediction o and the targets t share one soft diverging scale (low → white → high),
# the surface in the class tints, the points in darker versions of them so they stay visible on it.
# The ends are a step stronger than the class tints: a fitted surface rarely reaches the targets' extremes
# (R² < 1), and in the soft tints its bumps were hard to see on a projector.
SURFACE_SCALE = [[0.0, "#DCC49C"], [0.5, "#FFFFFF"], [1.0, "#ADC3D8"]]
TARGET_SCALE = [[0.0, "#8C6A33"], [0.5, "#FFFFFF"], [1.0, "#3E6487"]]
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
    """The network's output on `points` at each snapshot: P(class 1) for two classes, else the argmax;
    the prediction o for regression.

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
        result[start:start + len(chosen)] = decision_values(params, points, history.config.activation,
                                                            history.task.name)
    return result.reshape(len(snapshots), GRID_SIZE, GRID_SIZE)


def target_range(dataset: Dataset) -> tuple[float, float]:
    """The symmetric value range a regression picture spans: ± the largest |target| of the training rows."""
    reach = float(np.max(np.abs(dataset.y_train))) if len(dataset.y_train) else 1.0
    return -max(reach, 1e-9), max(reach, 1e-9)


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
    if dataset.task == "regression":
        low, high = target_range(dataset)
        levels = np.clip((maps - low) / (high - low), 0.0, 1.0) * 100  # uint8-sized, like probabilities
        trace = go.Heatmap(
            x=_compact(xs), y=_compact(ys), zmin=0, zmax=100, colorscale=SURFACE_SCALE, showscale=False,
            opacity=0.9, hoverinfo="skip", xaxis=xaxis, yaxis=yaxis, name="prediction", showlegend=False,
        )
        return _Moving(trace, lambda s: {"z": _small_grid(levels[frame_of[s]])})
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
    if dataset.task == "regression":
        low, high = target_range(dataset)
        slots.append(go.Scatter(
            x=_compact(X[:, 0]), y=_compact(X[:, 1]), mode="markers", name="target t (training data)",
            legendrank=1000, customdata=_compact(y),
            marker={"color": _compact(y), "colorscale": TARGET_SCALE, "cmin": low, "cmax": high,
                    "size": style.marker_size, "line": {"color": CLASS_OUTLINE, "width": 1}},
            hovertemplate="target t = %{customdata:.2f}<br>x₁ %{x:.2f}, x₂ %{y:.2f}<extra></extra>",
            xaxis=xaxis, yaxis=yaxis,
        ))
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
                     style: ChartStyle) -> tuple[go.Figure, list[dict]]:
    """Lay out the panels side by side; and one frame per snapshot holding only the moving traces, as plain
    dicts (the caller attaches them, validated or not: see `training_animation_dict`)."""
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[panel.title for panel in panels],
                        horizontal_spacing=0.1)
    slots = [slot for panel in panels for slot in panel.slots]
    first = int(snapshots[0])
    fig.add_traces([slot.trace.update(slot.data(first)) if isinstance(slot, _Moving) else slot
                    for slot in slots])
    moving = [i for i, slot in enumerate(slots) if isinstance(slot, _Moving)]
    labels = [f"epoch {int(steps[s])}" for s in snapshots]
    # Frames hold only the changing numbers; the browser merges them into the styled traces.
    frames = [
        {"name": label, "traces": moving,
         "data": [{"type": slots[i].trace.type, **slots[i].data(int(s))} for i in moving]}
        for s, label in zip(snapshots, labels)
    ]
    for index, panel in enumerate(panels, start=1):
        _square_axes(fig, index, panel.box, panel.axis_titles)
    if len(labels) > 1:  # a single snapshot (epochs=0) has nothing to play
        add_player(fig, labels, style)
    return fig, frames


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
    note = ("Shading: prediction o; dots: target t; brown low, blue high."  # fits a projector's width
            if dataset.task == "regression" else
            "Black: decision boundary." if dataset.n_classes == 2 else "Shading: predicted class.")
    return _Panel(title, slots, box, ("x₁", "x₂"), note)


def training_animation(history: History, dataset: Dataset, layer: int = 0, style: ChartStyle = NORMAL,
                       max_frames: int = MAX_FRAMES) -> go.Figure:
    """Every unit of one hidden layer moving through training (see `_animation_parts`), as a Plotly figure."""
    fig, frames = _animation_parts(history, dataset, layer, style, max_frames)
    if frames:
        fig.frames = frames
    return fig


def training_animation_dict(history: History, dataset: Dataset, layer: int = 0, style: ChartStyle = NORMAL,
                            max_frames: int = MAX_FRAMES) -> dict:
    """`training_animation(...).to_dict()`, the same to the byte (tested), at about half the cost.

    Why: validating the frames took about a third of the animation's time, for nothing — they are our
    own numbers in the keys of traces already validated once in the figure itself. So only the figure is
    validated; its frames join the finished dict as they are, their arrays in Plotly's base64 form, as
    `to_dict` would write them.
    """
    fig, frames = _animation_parts(history, dataset, layer, style, max_frames)
    spec = fig.to_dict()
    if frames:
        convert_to_base64(frames)
        spec["frames"] = frames
    return spec


def _animation_parts(history: History, dataset: Dataset, layer: int, style: ChartStyle,
                     max_frames: int) -> tuple[go.Figure, list[dict]]:
    """Every unit of one hidden layer moving through training, with Play/Pause and a slider to scrub: the
    figure without its frames, and the frames.

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
        return _note(fig, "No hidden layer and more than two inputs:<br>there are no units to follow.",
                     style), []
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
    fig, frames = _animated_figure(panels, snapshots, steps, style)
    style_figure(fig, style, title, " ".join(notes))
    fig.update_annotations(font={"size": style.font_size})  # the panel titles
    top = fig.layout.margin.t + 2 * style.font_size  # room for the panel titles under the subtitle
    # The legend goes in rows under the slider, so the panels get the figure's full width (a legend on the
    # right took a quarter of it); the bottom margin grows by the slider's and the legend's height.
    height = style.height + 120 + 3 * style.font_size
    slider_px = style.font_size * (3.5 + 0.8 + 4.6)
    bottom = slider_px + 4.6 * style.font_size  # as much as Plotly's automargin finds: one drawing
    plot_px = height - top - bottom
    fig.update_layout(
        height=height, hovermode="closest", margin_t=top, margin_b=bottom,
        legend={"orientation": "h", "x": 0.0, "xanchor": "left", "y": -slider_px / plot_px, "yanchor": "top",
                "itemwidth": 30},
    )
    return fig, frames


