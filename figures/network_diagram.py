"""The network as a diagram: one column of nodes per layer, hidden units in their own colours.

Drawn as a small SVG, not a Plotly chart: the diagram is the only picture on Home, the first page a
teacher opens, and without it Home needs no Plotly at all — the browser then skips loading and starting
plotly.js (~4.6 MB of JavaScript, about 1.7 s of the first page on a 2-core machine, measured with
benchmarks/cold_start.py). The diagram has no data to explore, so nothing is lost: each node still says
which unit it is when hovered.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from figures.labels import unit_label
from figures.style import NORMAL, TITLE_SCALE, ChartStyle, _unit_colors, line_budget, wrap_text

DIAGRAM_HEIGHT = 260  # px at NORMAL's font size; scaled with the font for PROJECTOR
EDGE_COLOR = "#D3D3D3"
NODE_GRAY = "#9A9A9A"
TEXT_COLOR = "#222222"
ELLIPSIS_COLOR = "#555555"
TITLE = "Every hidden unit gets the same inputs (one colour per unit)"
MARGIN = 5  # px around the drawing
LABEL_LINE_EM = 1.45  # the page font's ascent + descent is ~1.42 em: two label lines never touch
LABEL_CHAR_EM = 0.6  # a wide estimate of a label character's width, in ems of its font size


def _drawn_nodes(n_nodes: int, max_drawn: int) -> list[int | None]:
    """Which nodes of a column are drawn: all, or the first max_drawn-1, an ellipsis (None), the last."""
    if n_nodes <= max_drawn:
        return list(range(n_nodes))
    return [*range(max(max_drawn - 1, 1)), None, n_nodes - 1]


def column_label(column: int, n_columns: int, n_nodes: int, short: bool = False) -> tuple[str, str]:
    """A column's two label lines: what the layer is, and how many nodes it has (drawn or not). `short`
    names a hidden layer "hidden 2" instead of "hidden layer 2", for columns too narrow for that."""
    units = f"({n_nodes} {'unit' if n_nodes == 1 else 'units'})"
    if column == 0:
        return "inputs", f"({n_nodes})"
    if column == n_columns - 1:
        return "output", units
    return f"hidden {column}" if short else f"hidden layer {column}", units


def node_name(column: int, n_columns: int, node: int) -> str:
    """What a node is, as its tooltip says: an input, a hidden unit (counted from 1) or an output."""
    if column == 0:
        return f"input x{node + 1}"
    if column == n_columns - 1:
        return f"output {node + 1}"
    return f"hidden layer {column}, {unit_label(node)}"


def _text(x: float, y: float, text: str, size: float, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.0f}"{extra}>{escape(text)}</text>'


def network_diagram(layer_sizes: Sequence[int], style: ChartStyle = NORMAL, max_drawn: int = 16) -> str:
    """The network as circles in columns, inputs → hidden units → output, each pair of layers fully
    connected, as SVG markup that scales to the width of its container.

    Why: it shows at a glance the premise of the whole lesson — every hidden unit of a layer is wired to
    the very same inputs — and introduces each unit's colour (unit_color, the same in every other chart).
    Inputs and outputs are gray because they are not units that can become alike. A layer wider than
    `max_drawn` shows its first max_drawn-1 nodes, "⋮" and its last node; its label gives the true count.
    Sizes follow the Plotly charts': the title is TITLE_SCALE × the style's font, wrapped to the width.
    """
    sizes = [int(size) for size in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"need at least an input and an output layer of positive width, got {sizes}")
    columns = [_drawn_nodes(n, max_drawn) for n in sizes]
    tallest = max(len(column) for column in columns)
    font = style.font_size
    title_size = font * TITLE_SCALE
    title_lines = wrap_text(TITLE, line_budget(style.width, title_size)).split("<br>")

    # Top to bottom: the title, the two-line column labels, then the nodes.
    title_top = MARGIN + 0.6 * font
    labels_top = title_top + len(title_lines) * 1.3 * title_size + 0.5 * font
    plot_top = labels_top + 2 * LABEL_LINE_EM * font + 0.4 * font
    plot_px = DIAGRAM_HEIGHT * font / NORMAL.font_size - 6.5 * font
    height = plot_top + plot_px + MARGIN
    width = style.width
    node_diameter = float(np.clip(0.7 * plot_px / tallest, 5, 3 * style.marker_size))
    span = (tallest - 1) / 2 + 0.6  # rows of the tallest column, plus room for half a node

    column_px = (width - 2 * MARGIN) / len(columns)
    short = len("hidden layer 0") * LABEL_CHAR_EM * font > column_px

    def x_of(column: int) -> float:
        return MARGIN + (column + 0.5) * column_px

    def y_of(slot: int, column: list[int | None]) -> float:  # centred columns, first node on top
        row = (len(column) - 1) / 2 - slot
        return plot_top + (span - row) / (2 * span) * plot_px

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" width="100%" '
             f'style="max-width:{width}px;font-family:inherit" role="img" aria-label="{escape(TITLE)}">']
    parts += [_text(MARGIN, title_top + (k + 0.8) * 1.3 * title_size, line, title_size, fill=TEXT_COLOR)
              for k, line in enumerate(title_lines)]
    edges = []
    for c in range(len(columns) - 1):
        left = [y_of(k, columns[c]) for k, node in enumerate(columns[c]) if node is not None]
        right = [y_of(k, columns[c + 1]) for k, node in enumerate(columns[c + 1]) if node is not None]
        edges += [f"M{x_of(c):.1f} {y0:.1f}L{x_of(c + 1):.1f} {y1:.1f}" for y0 in left for y1 in right]
    parts.append(f'<path d="{"".join(edges)}" stroke="{EDGE_COLOR}" '
                 f'stroke-width="{max(style.line_width / 3, 0.6):.2f}" fill="none"/>')
    for c, column in enumerate(columns):
        x = x_of(c)
        for k, line in enumerate(column_label(c, len(columns), sizes[c], short)):
            parts.append(_text(x, labels_top + (k + 0.9) * LABEL_LINE_EM * font, line, font,
                               text_anchor="middle", fill=TEXT_COLOR))
        hidden = 0 < c < len(columns) - 1
        colors = _unit_colors(sizes[c]) if hidden else None
        for k, node in enumerate(column):
            if node is None:
                parts.append(_text(x, y_of(k, column), "⋮", max(node_diameter * 1.6, font),
                                   text_anchor="middle", dominant_baseline="central", fill=ELLIPSIS_COLOR))
                continue
            color = colors[node] if colors else NODE_GRAY
            parts.append(f'<circle cx="{x:.1f}" cy="{y_of(k, column):.1f}" r="{node_diameter / 2:.1f}" '
                         f'fill="{color}" stroke="#FFFFFF" stroke-width="1">'
                         f"<title>{escape(node_name(c, len(columns), node))}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)
