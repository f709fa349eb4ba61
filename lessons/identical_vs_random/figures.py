"""Figures for comparing runs that differ in one setting (the "Identical vs random start" lesson).

The gap curves themselves come from `figures.charts.symmetry_gap_figure` (several runs on one log axis);
this module adds what that lesson needs on top: distinct units over training, unit-by-unit similarity
heat maps with a time slider, the nudge experiment's fitted growth, rounding as a nudge, the penalty
sweep, and the loss landscape around a tie (the nudge's "why").
Conventions as in figures.charts: runs get neutral colours, units their own colour everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.initializers import START_LABELS
from core.train import History
from figures.animation import add_player, frame_snapshots
from figures.charts import GapCurve, gap_curves_figure, symmetry_gap_figure
from figures.labels import format_score
from figures.style import (
    NORMAL,
    RUN_COLORS,
    RUN_DASHES,
    ChartStyle,
    cell_font_size,
    epoch_axis,
    finite_or_nan,
    style_figure,
    unit_color,
)
from lessons.identical_vs_random.analysis import (
    TIED_PART_NAMES,
    VISIBLE_GAP,
    Nudge,
    Rounding,
    similarity_at,
    tied_part_gaps,
)
from lessons.identical_vs_random.landscape import Landscape

MAX_HEATMAP_UNITS = 16  # beyond this a cell is too small to read on a projector: the first 16 are shown
MAX_HEATMAP_FRAMES = 30
ANNOTATE_UP_TO = 8  # write the number in each cell for layers this small
SIMILARITY_SCALES = {
    # cosine: 1 (same direction) dark red, 0 white, −1 dark blue; distance: 0 (same unit) dark.
    "cosine": {"colorscale": "RdBu_r", "cmin": -1.0, "cmax": 1.0, "title": "cos", "format": ".2f"},
    "distance": {"colorscale": "Viridis", "cmin": 0.0, "cmax": None, "title": "distance", "format": ".2g"},
}


def _colored_unit_labels(width: int) -> list[str]:
    """Tick labels that carry each unit's colour, so the heat map's rows match every other chart."""
    return [f"<span style='color:{unit_color(j, width)}'>■</span> {j + 1}" for j in range(width)]


def distinct_units_figure(counts: Mapping[str, tuple[np.ndarray, np.ndarray]], width: int, tol: float,
                          style: ChartStyle = NORMAL) -> go.Figure:
    """How many different units each run's layer has over training: {label: (epochs, counts)}."""
    fig = go.Figure()
    for index, (label, (epochs, values)) in enumerate(counts.items()):
        fig.add_trace(go.Scatter(
            x=epochs, y=values, name=label, mode="lines", line_shape="hv",
            line={"color": RUN_COLORS[index % len(RUN_COLORS)], "dash": RUN_DASHES[index % len(RUN_DASHES)],
                  "width": style.line_width},
            hovertemplate="epoch %{x}: %{y} distinct units<extra>%{fullData.name}</extra>",
        ))
    style_figure(fig, style, "How many different units are there?",
                 f"Copies within {tol:g} count once; 1 = one unit in disguise")
    n_epochs = max((int(epochs[-1]) + 1 for epochs, _ in counts.values()), default=1)
    epoch_axis(fig, n_epochs)
    fig.update_yaxes(title_text="distinct units", range=[0, width + 0.5], dtick=max(1, math.ceil(width / 8)))
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0, "yanchor": "top"})
    return fig


def tied_parts_figure(runs: Mapping[str, History], layer: int, style: ChartStyle = NORMAL) -> go.Figure:
    """For runs keyed by their start ("identical", "same_fan_in", …): the gap in the part each start tied.

    The full gap of a `same_fan_in` start is nonzero from epoch 0 (its output weights differ), so the full
    gap cannot show whether the tie broke; the gap of the tied part starts at exactly 0 and can.
    """
    curves = [
        GapCurve(f"{START_LABELS[start]}: {TIED_PART_NAMES[start]}", history.steps,
                 tied_part_gaps(history, layer), RUN_COLORS[index % len(RUN_COLORS)],
                 RUN_DASHES[index % len(RUN_DASHES)])
        for index, (start, history) in enumerate(runs.items())
    ]
    return gap_curves_figure(curves, style, "Does the tied part stay tied?",
                             f"Hidden layer {layer + 1}: largest difference in the part the start made equal",
                             legend_below=True)


def similarity_heatmaps(runs: Mapping[str, History], layer: int, metric: str,
                        style: ChartStyle = NORMAL) -> go.Figure:
    """Unit-by-unit similarity of each run's layer, side by side, with one slider over training.

    One slider moves every panel, so "at epoch 50, run A's units are all different while run B's are
    all the same" is one glance. Frames are spread over the recorded snapshots, dense early.
    """
    scale = SIMILARITY_SCALES[metric]
    histories = list(runs.values())
    width = histories[0].config.hidden[layer]
    shown = min(width, MAX_HEATMAP_UNITS)
    n_snapshots = min(len(history.steps) for history in histories)
    snapshots = frame_snapshots(n_snapshots, MAX_HEATMAP_FRAMES)

    def matrix(history: History, snapshot: int) -> np.ndarray:
        values = similarity_at(history, layer, int(snapshot), metric)[:shown, :shown]
        return np.where(np.isfinite(values), values, np.nan)

    matrices = [[matrix(history, s) for s in snapshots] for history in histories]
    cmax = scale["cmax"]
    if cmax is None:  # distances: one fixed range over every frame, so colours compare across epochs
        finite = np.concatenate([m[np.isfinite(m)] for frames in matrices for m in frames])
        cmax = float(finite.max()) if len(finite) and finite.max() > 0 else 1.0
    labels = _colored_unit_labels(shown)
    fig = make_subplots(rows=1, cols=len(histories), horizontal_spacing=0.08)
    for column, (label, frames) in enumerate(zip(runs, matrices), start=1):
        fig.add_trace(go.Heatmap(
            z=frames[0], x=labels, y=labels, coloraxis="coloraxis", xgap=1, ygap=1,
            hovertemplate=f"%{{y}} vs %{{x}}: {scale['title']} %{{z:.3g}}<extra></extra>",
        ), row=1, col=column)
        fig.update_yaxes(autorange="reversed", row=1, col=column, scaleanchor=f"x{column}",
                         constrain="domain")
        fig.update_xaxes(row=1, col=column, constrain="domain", side="bottom", title_text=f"<b>{label}</b>")
    steps = histories[0].steps
    frame_labels = [f"epoch {int(steps[s])}" for s in snapshots]
    fig.frames = [
        {"name": label, "traces": list(range(len(histories))),
         "data": [{"type": "heatmap", "z": frames[i]} for frames in matrices]}
        for i, label in enumerate(frame_labels)
    ]
    if len(frame_labels) > 1:
        add_player(fig, frame_labels, style)
    cut = f" Showing the first {shown} of {width} units." if shown < width else ""
    subtitle = ("1 = same direction, 0 = unrelated, −1 = opposite." if metric == "cosine"
                else "0 = the same unit.") + cut
    style_figure(fig, style, f"Unit-by-unit {'cosine similarity' if metric == 'cosine' else 'distance'}, "
                 f"hidden layer {layer + 1}", subtitle)
    # Numbers in the cells only while they fit beside each other ("−0.93" is 5 characters wide): on a
    # projector 8 units' numbers at 18 px ran into each other, so they are dropped there (hover has them).
    font = cell_font_size(shown, len(histories), 5 if metric == "cosine" else 4, style,
                          fig.layout.height - fig.layout.margin.t - 3 * style.font_size)
    if shown <= ANNOTATE_UP_TO and font is not None:
        fig.update_traces(texttemplate=f"%{{z:{scale['format']}}}", textfont={"size": font})
    fig.update_layout(
        coloraxis={"colorscale": scale["colorscale"], "cmin": scale["cmin"], "cmax": cmax,
                   "colorbar": {"title": {"text": scale["title"]}, "thickness": 14}},
        height=fig.layout.height + (style.font_size * 6 if len(frame_labels) > 1 else 0),
    )
    return fig


def nudge_figure(runs: Mapping[str, History], selected: str, nudge: Nudge,
                 style: ChartStyle = NORMAL) -> go.Figure:
    """Gap curves for every nudge size ε, the chosen one emphasised, with its fitted e^{λ·epoch} line."""
    fig = symmetry_gap_figure(runs, style, title="A tiny nudge from identical: does the gap grow?")
    for trace in fig.data:
        if trace.name in runs and trace.name != selected:
            trace.line.color, trace.line.width, trace.opacity = "#B0B0B0", max(style.line_width / 2, 1), 0.8
            trace.line.dash = "solid"
        elif trace.name == selected:
            trace.line.color, trace.line.dash = RUN_COLORS[0], "solid"
    fit = nudge.fit
    if math.isfinite(fit.rate) and fit.first_epoch is not None and fit.last_epoch is not None:
        epochs = np.linspace(fit.first_epoch, fit.last_epoch, 50)
        fig.add_trace(go.Scatter(
            x=epochs, y=np.exp(fit.intercept + fit.rate * epochs), mode="lines",
            name=f"fit: gap ∝ e^(λ·epoch), λ = {fit.rate:.3g}",
            line={"color": "#B00020", "dash": "dash", "width": style.line_width},
            hoverinfo="skip",
        ))
    fig.add_hline(y=VISIBLE_GAP, line={"color": "#555555", "dash": "dot", "width": 1},
                  annotation_text=f"gap = {VISIBLE_GAP:g}: the units start to part visibly",
                  annotation_position="bottom right", annotation_font={"size": style.font_size - 2})
    fig.update_layout(legend={"orientation": "h", "y": -0.22, "x": 0})
    return fig


def rounding_figure(runs: Mapping[str, History], rounding: Rounding, layer: int,
                    style: ChartStyle = NORMAL) -> go.Figure:
    """The identical start by the exact engine (on the floor line, gap 0.0) and by plain kernels, with the
    epoch the kernels' rounding first separated the copies and the 'visible' line."""
    fig = symmetry_gap_figure(runs, style, layer, title="Rounding as a nudge: exact vs plain kernels")
    if rounding.first_epoch is not None:
        fig.add_annotation(x=rounding.first_epoch, y=math.log10(rounding.first_gap), xref="x", yref="y",
                           text=f"first rounding difference: {rounding.first_gap:.1e} at epoch "
                                f"{rounding.first_epoch}", showarrow=True, arrowhead=2, ax=60, ay=-40,
                           xanchor="left", font={"size": style.font_size - 2})
    fig.add_hline(y=VISIBLE_GAP, line={"color": "#555555", "dash": "dot", "width": 1},
                  annotation_text=f"gap = {VISIBLE_GAP:g}: the copies start to part visibly",
                  annotation_position="bottom right", annotation_font={"size": style.font_size - 2})
    return fig


def penalty_figure(strengths: Sequence[float], distinct: Sequence[int], scores: Sequence[float],
                   width: int, penalty: str, tol: float, style: ChartStyle = NORMAL,
                   task: str = "classification") -> go.Figure:
    """Distinct units at the end of training for each penalty strength, the test score (accuracy or R²)
    written on top."""
    names = [f"{strength:g}" for strength in strengths]
    prefix = "test R² " if task == "regression" else "test "
    fig = go.Figure(go.Bar(
        x=names, y=list(distinct), marker={"color": RUN_COLORS[2]},
        text=[f"{count} units<br>{prefix}{format_score(score, task)}" if math.isfinite(score)
              else f"{count} units<br>diverged" for count, score in zip(distinct, scores)],
        textposition="outside", textfont={"size": style.font_size},
        hovertemplate=f"{penalty.upper()} %{{x}}: %{{y}} distinct units<extra></extra>",
    ))
    style_figure(fig, style, f"Distinct units after training, by {penalty.upper()} strength",
                 f"Units closer than {tol:g} count as one; the layer has {width}.")
    fig.update_xaxes(title_text=f"{penalty.upper()} penalty strength", type="category")
    fig.update_yaxes(title_text="distinct units", range=[0, width * 1.3 + 0.5])
    return fig



# --- the landscape around a tie (lessons.identical_vs_random.landscape) -------------------------------

def _pair_name(view: Landscape) -> str:
    i, j = view.units
    return f"units {i + 1} and {j + 1} of layer {view.layer + 1}"


def landscape_figure(view: Landscape, width: int, style: ChartStyle = NORMAL) -> go.Figure:
    """Contour of the loss on the (apart, together) plane through the tie, the tie itself marked.

    Left–right is "apart" (the loss is mirror-symmetric there by the swap symmetry), up is "together"
    (downhill for the pair). Whether the middle row rises or falls away from the tie is the lesson.
    """
    fig = go.Figure(go.Contour(
        x=view.a, y=view.b, z=finite_or_nan(view.loss), colorscale="Viridis", ncontours=24,
        contours={"coloring": "heatmap"}, line={"width": 0.5, "color": "rgba(255,255,255,0.5)"},
        colorbar={"title": {"text": view.loss_name, "side": "right"}, "thickness": 14},
        hovertemplate=f"apart %{{x:.3g}}, together %{{y:.3g}}: {view.loss_name} %{{z:.4g}}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[0.0], y=[0.0], mode="markers+text", text=["tie"], textposition="top right", name="the tie",
        textfont={"size": style.font_size, "color": "white"},
        marker={"size": style.marker_size * 2, "color": unit_color(view.units[0], width), "symbol": "x",
                "line": {"width": 2, "color": "white"}},
        hovertemplate=f"the identical start: {view.loss_name} {view.tie_loss:.4g}<extra></extra>",
        showlegend=False,
    ))
    kind, slope = {"ridge": ("a ridge", "moving apart goes downhill"),
                   "valley": ("a valley", "moving apart goes uphill"),
                   "flat": ("flat along apart", "moving apart neither rises nor falls")}[view.shape]
    # Two short subtitle lines, not one long one: beside the apart line (half the page) a single line
    # of this length was cut off at the colour bar.
    subtitle = f"{slope.capitalize()} ({_pair_name(view)})<br>Left–right mirror images are the same network"
    style_figure(fig, style, f"Around the tie: {kind}", subtitle)
    fig.update_layout(margin={"t": fig.layout.margin.t + int(style.font_size * 0.9)},
                      title={"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": style.font_size}})
    fig.update_xaxes(title_text="apart a: the two units move opposite ways", range=[view.a[0], view.a[-1]])
    fig.update_yaxes(title_text="together b: both move downhill", range=[view.b[0], view.b[-1]])
    return fig


def apart_line_figure(view: Landscape, width: int, style: ChartStyle = NORMAL) -> go.Figure:
    """The loss along "apart" alone (the middle row of the contour) and the parabola ½κa² of the tie."""
    color = unit_color(view.units[0], width)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=view.a, y=finite_or_nan(view.line), mode="lines", name="loss along apart",
        line={"color": color, "width": style.line_width},
        hovertemplate=f"a = %{{x:.3g}}: {view.loss_name} %{{y:.4g}}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=view.a, y=view.tie_loss + 0.5 * view.curvature * view.a**2, mode="lines",
        name=f"curvature at the tie, κ = {view.curvature:.3g}",
        line={"color": RUN_COLORS[0], "width": style.line_width, "dash": "dash"},
        hovertemplate="a = %{x:.3g}: %{y:.4g}<extra>½κa²</extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[0.0], y=[view.tie_loss], mode="markers", name="the tie", showlegend=False,
        marker={"size": style.marker_size * 1.6, "color": color, "symbol": "x"},
        hovertemplate=f"the tie: {view.loss_name} %{{y:.4g}}<extra></extra>",
    ))
    style_figure(fig, style, "Along apart only", "Dashed: the parabola ½κa² of the tie's curvature")
    fig.update_xaxes(title_text="apart a")
    fig.update_yaxes(title_text=view.loss_name)
    fig.update_layout(legend={"orientation": "h", "y": -0.25, "x": 0, "yanchor": "top"})
    return fig
