"""The network as a diagram: one column of nodes per layer, hidden units in their own colours."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from figures.labels import unit_label
from figures.style import NORMAL, ChartStyle, _unit_colors, added_height, style_figure

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
    # Room under the title for the column labels; a wrapped title adds its lines to both.
    fig.update_layout(height=height + added_height(fig, style), showlegend=False,
                      margin={"t": fig.layout.margin.t + round(style.font_size * 2.6),
                              "b": 5, "l": 5, "r": 5})
    return fig
