"""The Your data page's pictures: the input plane a click adds points to, and the rows per class.

Plotly reports clicks only on points, not on empty paper, so the plane is covered by a fine grid of
invisible markers (`CLICK_COLUMNS` × `CLICK_ROWS`, hover labels off): a click anywhere selects the nearest
grid marker, and the page adds a point there. The grid is the first trace, so the page can tell a click
on it from a click on a row; either way the point goes where the click was.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from core.added_points import AddedPoint
from core.datasets import Dataset
from figures.animation import CLASS_MARKERS, CLASS_OUTLINE
from figures.style import NORMAL, ChartStyle, style_figure

# Markers ~12 px apart across a 790-px chart and ~9–12 px down its 255–350-px plot area: every click is
# within Plotly's 20-px hover distance of one, and the chart stays light to redraw after each click.
CLICK_COLUMNS, CLICK_ROWS = 60, 30
PLANE_MARGIN = 0.15  # axis box = the rows' range ± 15 % of its larger side
ADDED_OUTLINE = "#000000"
TEST_OPACITY = 0.35


def plane_box(data: Dataset, added: Sequence[AddedPoint] = ()) -> tuple[tuple[float, float], ...]:
    """The axes' ranges: every row and added point, with a margin to click beyond the data."""
    points = np.vstack([data.X_all, np.array([[p.x1, p.x2] for p in added]).reshape(-1, 2)])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = PLANE_MARGIN * float((high - low).max() or 1.0)
    return tuple((round(float(a - pad), 2), round(float(b + pad), 2)) for a, b in zip(low, high, strict=True))


def click_grid(box: tuple[tuple[float, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    """x and y of the invisible markers that catch clicks, covering `box` evenly."""
    xs = np.linspace(*box[0], CLICK_COLUMNS)
    ys = np.linspace(*box[1], CLICK_ROWS)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return grid_x.ravel().round(3).astype(np.float32), grid_y.ravel().round(3).astype(np.float32)


def _class_marker(label: int, style: ChartStyle, **changes: object) -> dict:
    symbol, fill = CLASS_MARKERS[label % len(CLASS_MARKERS)]
    return {"symbol": symbol, "color": fill, "size": style.marker_size,
            "line": {"color": CLASS_OUTLINE, "width": 1}} | changes


def plane_figure(data: Dataset, added: Sequence[AddedPoint], chosen: int,
                 style: ChartStyle = NORMAL) -> go.Figure:
    """The input plane of 2-D classification data: training rows (solid) and test rows (faded) by class,
    the added points outlined in black, and the invisible grid that turns a click into a point of class
    `chosen`."""
    box = plane_box(data, added)
    grid_x, grid_y = click_grid(box)
    fig = go.Figure(go.Scatter(
        x=grid_x, y=grid_y, mode="markers", name="click grid", showlegend=False, hoverinfo="none",
        marker={"size": 4, "color": "rgba(0,0,0,0)"}, selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
    ))
    base_train = len(data.y_train) - len(added)  # the added points are the last training rows
    for label, name in enumerate(data.class_names):
        train = data.X_train[:base_train][data.y_train[:base_train] == label]
        test = data.X_test[data.y_test == label]
        for rows, part, opacity in ((train, "training", 1.0), (test, "test", TEST_OPACITY)):
            fig.add_trace(go.Scatter(
                x=rows[:, 0].astype(np.float32), y=rows[:, 1].astype(np.float32), mode="markers",
                name=name, legendgroup=name, showlegend=part == "training", opacity=opacity,
                marker=_class_marker(label, style), unselected={"marker": {"opacity": opacity}},
                hovertemplate=f"{name} ({part} row)<br>x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<extra></extra>",
            ))
    for label, name in enumerate(data.class_names):
        mine = [p for p in added if p.label == label]
        if mine:
            fig.add_trace(go.Scatter(
                x=[p.x1 for p in mine], y=[p.x2 for p in mine], mode="markers", name=f"{name}, added",
                marker=_class_marker(label, style, size=style.marker_size * 1.8,
                                     line={"color": ADDED_OUTLINE, "width": style.line_width}),
                unselected={"marker": {"opacity": 1.0}},
                hovertemplate=f"{name} (added)<br>x₁ %{{x:.2f}}, x₂ %{{y:.2f}}<extra></extra>",
            ))
    title = f"Click to add a point of class {data.class_names[chosen]}"
    subtitle = "Solid: training · faded: test · black outline: added by you"
    style_figure(fig, style, title, subtitle)
    fig.update_layout(dragmode=False, hovermode="closest", clickmode="event+select",
                      legend={"orientation": "h", "y": -0.12, "x": 0.0, "yanchor": "top"})
    fig.update_xaxes(title_text="x₁ (standardized)", range=box[0], showgrid=True, zeroline=False)
    fig.update_yaxes(title_text="x₂ (standardized)", range=box[1], showgrid=True, zeroline=False)
    return fig


def rows_figure(data: Dataset, style: ChartStyle = NORMAL) -> go.Figure:
    """Rows per class in the training and test split (classification), or the spread of the standardized
    targets (regression): what the split looks like when there is no plane to draw."""
    fig = go.Figure()
    if data.task == "classification":
        names = list(data.class_names)
        for part, labels, opacity in (("training", data.y_train, 1.0), ("test", data.y_test, 0.5)):
            counts = np.bincount(labels, minlength=len(names))
            fig.add_trace(go.Bar(x=names, y=counts, name=f"{part} rows", opacity=opacity,
                                 marker={"color": "#5A5A5A"},
                                 hovertemplate=f"%{{x}}: %{{y}} {part} rows<extra></extra>"))
        title = "Rows per class"
        subtitle = "Each class keeps the same share in the training and the test rows."
        fig.update_xaxes(title_text="class", type="category")
        fig.update_yaxes(title_text="rows")
    else:
        for part, targets, opacity in (("training", data.y_train, 1.0), ("test", data.y_test, 0.5)):
            fig.add_trace(go.Histogram(x=targets.astype(np.float32), name=f"{part} rows", opacity=opacity,
                                       marker={"color": "#5A5A5A"}, nbinsx=30))
        title, subtitle = "Targets to predict", "Standardized with the training rows' mean and spread."
        fig.update_xaxes(title_text="target t (standardized)")
        fig.update_yaxes(title_text="rows")
    style_figure(fig, style, title, subtitle)
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2, "x": 0.0, "yanchor": "top"})
    return fig
