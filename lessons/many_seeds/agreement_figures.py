"""Figures for "do the seeds compute the same function?" — the functional side of the many-seeds lesson.

2-D inputs get one input plane with every seed drawn over the training points: for classification each
seed's decision boundary, for regression each seed's contour lines of its prediction o (at the targets'
mean and one standard deviation either side), so overlapping lines mean (nearly) the same function
however far apart the weights are. Other inputs get one bar per seed comparing its test predictions with
seed A's: the share of points with the same class, or the RMS difference of the predicted values as a
share of the targets' spread. Seeds are drawn in the lesson's greys (lessons/many_seeds/figures.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.datasets import Dataset
from figures.animation import CLASS_MARKERS, CLASS_OUTLINE, TARGET_SCALE, target_range
from figures.style import NORMAL, ChartStyle, style_figure
from lessons.many_seeds.agreement import DecisionGrids, PredictionSpread
from lessons.many_seeds.analysis import SeedStudy
from lessons.many_seeds.figures import (
    SEED_A,
    SEED_B,
    SEED_OTHER,
    SIZE_LINE,
    _category_axis,
    _legend_below,
    _seed_colors,
    seed_label,
)

# How each seed's line is drawn: colour, dash, line width as a multiple of the style's.
SEED_LINES = {"A": (SEED_A, "solid", 1.4), "B": (SEED_B, "dash", 1.4), "other": (SEED_OTHER, "solid", 1.0)}


def _small(values: np.ndarray) -> np.ndarray:
    """A grid of numbers 0–100 as bytes (Plotly sends numpy arrays as base64); float32 if it has gaps."""
    if np.isfinite(values).all():
        return np.rint(values).astype(np.uint8)
    return values.astype(np.float32)


def _seed_order(seeds: Sequence[int], chosen: int | None) -> list[tuple[int, str]]:
    """(index, role) with A and B last, so they are drawn on top (B dashed over A where they coincide)."""
    order = sorted(range(len(seeds)), key=lambda i: (seeds[i] == chosen, i == 0))
    return [(i, "A" if i == 0 else "B" if seeds[i] == chosen else "other") for i in order]


def _seed_lines(seeds: Sequence[int], chosen: int | None, style: ChartStyle):
    """Each seed in drawing order: (index, role, its line, its legend name, whether it gets a legend entry
    — "other seeds" only once)."""
    legend_done = False
    for i, role in _seed_order(seeds, chosen):
        color, dash, thickness = SEED_LINES[role]
        name = "other seeds" if role == "other" else f"{role}: {seed_label(seeds[i])}"
        show = role != "other" or not legend_done
        legend_done = legend_done or role == "other"
        yield i, role, {"color": color, "width": style.line_width * thickness, "dash": dash}, name, show


def _plane_axes(fig: go.Figure, grids: DecisionGrids) -> None:
    (x0, x1), (y0, y1) = (float(grids.xs[0]), float(grids.xs[-1])), (float(grids.ys[0]), float(grids.ys[-1]))
    fig.update_xaxes(title_text="x₁", range=[x0, x1], constrain="domain", showgrid=False)
    fig.update_yaxes(title_text="x₂", range=[y0, y1], scaleanchor="x", scaleratio=1, constrain="domain",
                     showgrid=False, zeroline=False)


# --- classification ---------------------------------------------------------------------------------------

def boundaries_figure(grids: DecisionGrids, data: Dataset, seeds: Sequence[int], chosen: int | None,
                      unanimous: float, style: ChartStyle = NORMAL) -> go.Figure:
    """Every seed's decision boundary over the training points, in one input plane (2-D data).

    Two classes: each seed's line P(class 1) = 0.5. More classes: the lines where its predicted class
    changes. Seed A black, seed B dark grey dashed, the others light grey — overlapping lines mean the
    seeds compute nearly the same function, however different their weights.
    """
    fig = go.Figure()
    for c, name in enumerate(data.class_names):
        symbol, fill = CLASS_MARKERS[c % len(CLASS_MARKERS)]
        rows = data.X_train[data.y_train == c]
        fig.add_trace(go.Scatter(
            x=rows[:, 0], y=rows[:, 1], mode="markers", name=name, opacity=0.8,
            marker={"symbol": symbol, "color": fill, "size": style.marker_size * 0.9,
                    "line": {"color": CLASS_OUTLINE, "width": 1}},
            hovertemplate=f"{name}<br>x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<extra></extra>",
        ))
    # Two classes: P(class 1) in percent, boundary at 50. More: the class index, a line between each two.
    scale, levels = (100.0, {"start": 50, "end": 50, "size": 1}) if grids.binary else \
        (1.0, {"start": 0.5, "end": len(data.class_names) - 1.5, "size": 1})
    for i, _, line, name, show in _seed_lines(seeds, chosen, style):
        fig.add_trace(go.Contour(
            x=grids.xs.astype(np.float32), y=grids.ys.astype(np.float32), z=_small(grids.values[i] * scale),
            contours={
                "coloring": "none", "showlabels": False, **levels},
            line=line, showscale=False, name=name, showlegend=show, hoverinfo="skip", legendgroup=name,
        ))
    n = len(seeds)
    style_figure(fig, style, f"Decision boundaries of all {n} seeds",
                 f"All {n} seeds predict the same class on {unanimous:.0%} of test points.")
    _plane_axes(fig, grids)
    _legend_below(fig, style)
    return fig


def _class_agreement_figure(study: SeedStudy, chosen: int | None, style: ChartStyle) -> go.Figure:
    """Per seed: the share of test points it classifies like seed A (for data with more than 2 inputs).

    The functional counterpart of the distance chart: high bars here next to long distances there are
    the lesson's point — different weights, (nearly) the same predictions.
    """
    fig = go.Figure()
    seeds = [study.seeds[k] for k in study.used]
    labels = [seed_label(s) for s in seeds][1:]
    shares = study.agreement.with_reference[1:]
    fig.add_trace(go.Bar(
        x=labels, y=shares, marker={"color": _seed_colors(seeds[1:], seeds[0], chosen)},
        text=[f"{v:.0%}" for v in shares] if len(labels) <= 8 else None, textposition="outside",
        textfont={"size": style.font_size}, showlegend=False,
        hovertemplate="%{x}: same class as seed A on %{y:.1%} of test points<extra></extra>",
    ))
    style_figure(fig, style, f"Test points classified like {seed_label(seeds[0])}",
                 f"All {len(seeds)} seeds agree on {study.agreement.unanimous:.0%} of test points.")
    _category_axis(fig, labels, [seed_label(chosen)] if chosen is not None else [])
    fig.update_yaxes(title_text="same prediction as seed A", range=[0, 1.12], tickformat=".0%")
    return fig


# --- regression ---------------------------------------------------------------------------------------------

def prediction_levels(data: Dataset) -> tuple[float, float, float]:
    """The prediction values whose contour lines are drawn: the training targets' mean and ± one std."""
    y = np.asarray(data.y_train, dtype=float)
    mean, std = float(np.mean(y)), float(np.std(y))
    return mean - std, mean, mean + std


def prediction_contours_figure(grids: DecisionGrids, data: Dataset, seeds: Sequence[int], chosen: int | None,
                               spread: PredictionSpread, style: ChartStyle = NORMAL) -> go.Figure:
    """Every seed's contour lines of its prediction o over the training points (2-D regression).

    Three levels per seed — the training targets' mean t̄ and t̄ ± std(t) — so a seed's lines trace its
    whole prediction surface (low, middle, high), in the seeds' greys; the points are coloured by their
    target on the scale of the training animation. Lines that lie on top of each other mean the seeds
    predict nearly the same values there; the subtitle gives the measured RMS difference on test points.
    """
    fig = go.Figure()
    low, high = target_range(data)
    fig.add_trace(go.Scatter(
        x=data.X_train[:, 0], y=data.X_train[:, 1], mode="markers", name="target t (training data)",
        customdata=data.y_train,
        marker={"color": data.y_train, "colorscale": TARGET_SCALE, "cmin": low, "cmax": high,
                "size": style.marker_size * 0.9, "line": {"color": CLASS_OUTLINE, "width": 1},
                "colorbar": {"title": {"text": "target t"}, "thickness": 12, "len": 0.7}},
        hovertemplate="target t = %{customdata:.2f}<br>x₁ %{x:.2f}, x₂ %{y:.2f}<extra></extra>",
    ))
    bottom, middle, top = prediction_levels(data)
    step = (top - bottom) / 2
    levels = ({"start": bottom, "end": top + 1e-6 * max(step, 1e-9), "size": step} if step > 0
              else {"start": middle, "end": middle, "size": 1.0})
    for i, role, line, name, show in _seed_lines(seeds, chosen, style):
        fig.add_trace(go.Contour(
            x=grids.xs.astype(np.float32), y=grids.ys.astype(np.float32),
            z=grids.values[i].astype(np.float32),
            contours={"coloring": "none", "showlabels": role == "A",
                      "labelfont": {"size": style.font_size * 0.8, "color": SEED_A}, **levels},
            line=line, showscale=False, name=name, showlegend=show, hoverinfo="skip", legendgroup=name,
        ))
    n = len(seeds)
    style_figure(fig, style, f"Prediction contours of all {n} seeds",
                 f"Lines o = {bottom:.2g}, {middle:.2g}, {top:.2g}. On test points two seeds differ by RMS "
                 f"{spread.between:.2g} ({_share(spread.relative)} of the targets' spread).")
    _plane_axes(fig, grids)
    _legend_below(fig, style)
    return fig


def _share(value: float) -> str:
    return "under 1%" if value < 0.01 else f"{value:.0%}" if math.isfinite(value) else str(value)


def _regression_agreement_figure(study: SeedStudy, chosen: int | None, style: ChartStyle) -> go.Figure:
    """Per seed: the RMS difference of its test predictions from seed A's, as a share of the targets'
    spread, with the seeds' own RMS error against the targets as a dashed yardstick line."""
    spread = study.agreement
    seeds = [study.seeds[k] for k in study.used]
    labels = [seed_label(s) for s in seeds][1:]
    shares = spread.relative_from_reference[1:]
    error = math.sqrt(study.mean_test_loss) / spread.target_spread if spread.target_spread > 0 else math.nan
    fig = go.Figure(go.Bar(
        x=labels, y=shares, marker={"color": _seed_colors(seeds[1:], seeds[0], chosen)},
        customdata=spread.from_reference[1:],
        text=[_share(v) for v in shares] if len(labels) <= 8 else None, textposition="outside",
        textfont={"size": style.font_size}, showlegend=False,
        hovertemplate="%{x}: RMS difference %{customdata:.3g} from seed A's predictions, "
                      "%{y:.1%} of the targets' spread<extra></extra>",
    ))
    top = max([float(np.max(shares)) if len(shares) else 0.0, error if math.isfinite(error) else 0.0, 0.05])
    if math.isfinite(error):
        fig.update_layout(
            shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": error, "y1": error,
                     "line": {"color": SIZE_LINE, "dash": "dash", "width": max(style.line_width / 1.5, 1)}}],
            annotations=[{"text": f"the seeds' RMS error against the targets: {error:.0%}", "xref": "paper",
                          "x": 1, "xanchor": "right", "yref": "y", "y": error, "yanchor": "bottom",
                          "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
                          "font": {"size": style.font_size, "color": "#555555"}}])
    style_figure(fig, style, f"Test predictions compared with {seed_label(seeds[0])}'s",
                 f"Two seeds differ by RMS {spread.between:.2g}, {_share(spread.relative)} of the targets' "
                 f"spread (std {spread.target_spread:.2g}).")
    _category_axis(fig, labels, [seed_label(chosen)] if chosen is not None else [])
    fig.update_yaxes(title_text="RMS difference / targets' std", range=[0, top * 1.3], tickformat=".0%")
    return fig


def agreement_figure(study: SeedStudy, chosen: int | None = None, style: ChartStyle = NORMAL) -> go.Figure:
    """Per seed, how alike its test predictions are to seed A's (data with more than 2 inputs): the share
    of points with the same class, or for regression the RMS difference of the predicted values.

    The functional counterpart of the distance chart: predictions like A's next to long distances there
    are the lesson's point — different weights, (nearly) the same function.
    """
    if study.agreement is None:
        return style_figure(go.Figure(), style, "Predictions like seed A's")
    if isinstance(study.agreement, PredictionSpread):
        return _regression_agreement_figure(study, chosen, style)
    return _class_agreement_figure(study, chosen, style)
