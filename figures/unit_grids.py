"""Small multiples of hidden units: one small heat map per unit, framed in that unit's colour.

Two pictures use it: each unit's output map over the input plane (2-D data), and each first-layer unit's
64 incoming weights as an 8×8 picture (digits). Both answer "what does *this* unit do?" at a glance, for
every unit at once, in the same colours as every other chart. Plotly only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from figures.animation import add_player
from figures.style import NORMAL, ChartStyle, style_figure, unit_color

MAX_COLUMNS = 8
CLASS_SHADES = np.array(["#222222", "#FFFFFF", "#999999", "#555555"])  # data points: one shade per class
ACTIVATION_SCALES = {
    # σ's range sets the colour scale: symmetric ranges get a diverging scale centred on 0.
    "tanh": ("RdBu_r", -1.0, 1.0),
    "sigmoid": ("RdBu_r", 0.0, 1.0),
    "relu": ("Viridis", 0.0, None),
    "linear": ("RdBu_r", None, None),
}


@dataclass(frozen=True)
class UnitPanel:
    """One unit's small picture: which layer and unit it is, and its values on the grid."""

    layer: int
    unit: int
    width: int  # units in its layer (for its colour)
    values: np.ndarray  # (rows, columns)


PANEL_PX = 96
"""A panel's height in pixels: about the width of one of eight panels in the main column at 1280×720, so
the square panels fill their cells (panels keep the data's aspect ratio)."""


def _point_shades(labels: np.ndarray) -> np.ndarray | str:
    """One shade per class; regression targets (real numbers, no classes) are one mid grey."""
    if not np.issubdtype(labels.dtype, np.integer):
        return "#777777"
    return CLASS_SHADES[labels % len(CLASS_SHADES)]


def unit_grid_figure(
    panels: Sequence[UnitPanel], style: ChartStyle, title: str, subtitle: str, colorscale: str,
    zmin: float, zmax: float, colorbar_title: str, x: np.ndarray | None = None, y: np.ndarray | None = None,
    points: tuple[np.ndarray, np.ndarray] | None = None, reverse_y: bool = False,
) -> go.Figure:
    """Panels in rows of up to `MAX_COLUMNS`, a new row for each layer; one shared colour scale.

    `points` (X, class labels or real targets) are drawn faintly on every panel so a map can be read
    against the data.
    The figure is assembled as plain dicts and validated once: building 64 panels with make_subplots and
    add_trace validated every call and took over a second.
    """
    per_layer: dict[int, list[UnitPanel]] = {}
    for panel in panels:
        per_layer.setdefault(panel.layer, []).append(panel)
    columns = min(MAX_COLUMNS, max(len(members) for members in per_layer.values()))
    cells: list[tuple[int, int, UnitPanel]] = []
    row = 0
    for layer in sorted(per_layer):
        for index, panel in enumerate(per_layer[layer]):
            cells.append((row + index // columns, index % columns, panel))
        row += -(-len(per_layer[layer]) // columns)
    n_rows, several_layers = row, len(per_layer) > 1
    # Sizes in pixels, turned into fractions of the plotting area: each row is a panel with its title above
    # it, so no title runs into the panel or the figure's subtitle above.
    title_size = max(style.font_size - 2, 12) if style is NORMAL else style.font_size
    title_px, gap_px, panel_px = round(title_size * 1.7), 10, PANEL_PX
    paper_px = n_rows * (title_px + panel_px) + (n_rows - 1) * gap_px
    gap_x = 0.02
    cell_w = (1 - gap_x * (columns - 1)) / columns
    data, layout, shapes, annotations = [], {}, [], []
    marker_colors = None if points is None else _point_shades(np.asarray(points[1]))
    for number, (r, c, panel) in enumerate(cells, start=1):
        suffix = "" if number == 1 else str(number)
        x0 = c * (cell_w + gap_x)
        top = 1 - r * (title_px + panel_px + gap_px) / paper_px
        bottom = top - (title_px + panel_px) / paper_px
        domain_x = [max(x0, 0.0), min(x0 + cell_w, 1.0)]
        domain_y = [max(bottom, 0.0), min(top - title_px / paper_px, 1.0)]
        layout[f"xaxis{suffix}"] = {"domain": domain_x, "anchor": f"y{suffix}", "visible": False,
                                    "constrain": "domain"}
        layout[f"yaxis{suffix}"] = {"domain": domain_y, "anchor": f"x{suffix}", "visible": False,
                                    "constrain": "domain", "scaleanchor": f"x{suffix}", "scaleratio": 1,
                                    "autorange": "reversed" if reverse_y else True}
        data.append({"type": "heatmap", "z": panel.values.astype(np.float32), "x": x, "y": y,
                     "coloraxis": "coloraxis", "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
                     "hovertemplate": f"L{panel.layer + 1} unit {panel.unit + 1}: %{{z:.3f}}<extra></extra>"})
        if points is not None:
            data.append({"type": "scatter", "x": points[0][:, 0], "y": points[0][:, 1], "mode": "markers",
                         "xaxis": f"x{suffix}", "yaxis": f"y{suffix}", "hoverinfo": "skip",
                         "showlegend": False,
                         "marker": {"size": 3, "color": marker_colors, "opacity": 0.45,
                                    "line": {"width": 0.5, "color": "#222222"}}})
        shapes.append({"type": "rect", "xref": f"x{suffix} domain", "yref": f"y{suffix} domain", "x0": 0,
                       "x1": 1, "y0": 0, "y1": 1, "line": {"color": unit_color(panel.unit, panel.width),
                                                           "width": 5}})
        if several_layers and c == 0 and (number == 1 or cells[number - 2][2].layer != panel.layer):
            annotations.append({"text": f"layer {panel.layer + 1}", "x": -0.005, "y": (top + bottom) / 2,
                                "xref": "paper", "yref": "paper", "xanchor": "right", "yanchor": "middle",
                                "textangle": -90, "showarrow": False, "font": {"size": title_size}})
        annotations.append({"text": f"unit {panel.unit + 1}", "x": x0 + cell_w / 2, "y": top,
                            "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "top",
                            "showarrow": False, "font": {"size": title_size}})
    fig = go.Figure(data=data, layout={**layout, "shapes": shapes, "annotations": annotations})
    style_figure(fig, style, title, subtitle)
    if several_layers:  # room for the "layer l" labels left of each layer's first row
        fig.update_layout(margin={"l": round(title_size * 2.2)})
    fig.update_layout(
        height=fig.layout.margin.t + fig.layout.margin.b + paper_px, showlegend=False,
        coloraxis={"colorscale": colorscale, "cmin": zmin, "cmax": zmax,
                   "colorbar": {"title": {"text": colorbar_title}, "thickness": 14, "len": 0.9}},
    )
    return fig


def activation_range(activation: str, maps: Sequence[np.ndarray]) -> tuple[str, float, float]:
    """Colour scale and range for σ's outputs: σ's own range where it has one, else the maps' extent."""
    scale, low, high = ACTIVATION_SCALES[activation]
    finite = [m[np.isfinite(m)] for m in maps]
    values = np.concatenate([v.ravel() for v in finite]) if finite else np.zeros(1)
    extent = float(np.abs(values).max()) if values.size else 1.0
    extent = extent if extent > 0 else 1.0
    if low is None:
        low = -extent
    if high is None:
        high = extent
    return scale, low, high


def digit_pictures_figure(pictures: np.ndarray, epoch: int, style: ChartStyle = NORMAL,
                          max_units: int = 64) -> go.Figure:
    """Each first-layer unit's 64 incoming weights as the 8×8 image they multiply, framed in its colour.

    The colour scale is diverging and centred on 0 (red: the unit adds that pixel, blue: subtracts it),
    one scale per snapshot so a picture keeps its contrast early, when the weights are still small.
    """
    width = len(pictures)
    shown = pictures[:max_units]
    extent = float(np.nanmax(np.abs(shown))) if shown.size and np.isfinite(shown).any() else 1.0
    extent = extent if extent > 0 else 1.0
    panels = [UnitPanel(0, j, width, picture) for j, picture in enumerate(shown)]
    hidden = f" Showing the first {len(shown)} of {width} units." if width > len(shown) else ""
    return unit_grid_figure(
        panels, style, f"Each unit's input weights as an 8×8 picture, epoch {epoch}",
        "Red: the pixel pushes the unit up; blue: down; white: ignored." + hidden,
        "RdBu_r", -extent, extent, "weight", reverse_y=True)


MAX_PICTURE_FRAMES = 7
"""Frames of the digit-picture animation: 64 units × 64 weights × 7 frames stay under 300 kB of JSON."""


def digit_pictures_animation(weights: np.ndarray, epochs: Sequence[int],
                             style: ChartStyle = NORMAL) -> go.Figure:
    """The digit pictures over training: `weights` is (snapshots, 64, width), one frame per snapshot.

    Each frame carries its own colour range (centred on 0), so early pictures keep their contrast.
    """
    n = len(epochs)
    chosen = np.unique(np.linspace(0, n - 1, min(n, MAX_PICTURE_FRAMES)).round().astype(int))
    pictures = [np.swapaxes(weights[i], 0, 1).reshape(-1, 8, 8)[:64] for i in chosen]
    fig = digit_pictures_figure(pictures[0], int(epochs[chosen[0]]), style)
    fig.update_layout(title={"text": "Each unit's input weights as an 8×8 picture"})
    labels = [f"epoch {int(epochs[i])}" for i in chosen]

    def extent(frame: np.ndarray) -> float:
        finite = np.abs(frame[np.isfinite(frame)])
        return float(finite.max()) if finite.size and finite.max() > 0 else 1.0

    fig.frames = [
        # Only z changes (traces 0… in order, so no trace list), and this frame's colour range.
        go.Frame(name=label, data=[{"type": "heatmap", "z": picture.astype(np.float32)} for picture in frame],
                 layout={"coloraxis": {"cmin": -extent(frame), "cmax": extent(frame)}})
        for label, frame in zip(labels, pictures)
    ]
    if len(labels) > 1:
        add_player(fig, labels, style)
        fig.update_layout(height=fig.layout.height + style.font_size * 6,
                          margin={"b": style.font_size * 6})
    return fig
