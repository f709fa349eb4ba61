"""The one chart of "The math and the papers": the loss on the straight line from the trained network to
its copy with two units swapped.

Why this chart: it shows the swap theorem (equal loss at both ends), the tie (halfway both units are
equal) and the evenness of the loss in the units' difference d (the curve is its own mirror image) in one
picture, from the current run's numbers. Plotly only; no streamlit.
"""

from __future__ import annotations

import plotly.graph_objects as go

from figures.style import NORMAL, RUN_COLORS, ChartStyle, finite_or_nan, style_figure, unit_color
from lessons.math_and_papers.analysis import SwapLine


def unit_name(unit: int) -> str:
    """Units are counted from 1 on screen, as on every other page."""
    return f"unit {unit + 1}"


def swap_line_figure(line: SwapLine, width: int, style: ChartStyle = NORMAL) -> go.Figure:
    """Loss against λ from θ (λ = 0) to the swapped copy Pθ (λ = 1), the tie at λ = ½ marked."""
    a, b = (unit_name(u) for u in line.units)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=line.lams, y=finite_or_nan(line.losses), mode="lines", name="training loss",
        line={"color": RUN_COLORS[0], "width": style.line_width},
        hovertemplate="λ = %{x:.3f}<br>loss = %{y:.6g}<extra></extra>",
    ))
    ends = (("trained network", 0, line.units[0]), (f"{a} ⇄ {b} swapped", -1, line.units[1]))
    for label, index, unit in ends:
        fig.add_trace(go.Scatter(
            x=[line.lams[index]], y=finite_or_nan(line.losses[[index]]), mode="markers", name=label,
            marker={"size": style.marker_size * 2, "color": unit_color(unit, width),
                    "line": {"width": 1, "color": "#222222"}},
            hovertemplate=f"{label}<br>loss = %{{y:.6g}}<extra></extra>",
        ))
    fig.add_vline(x=0.5, line={"dash": "dot", "color": "#777777", "width": max(1.0, style.line_width / 2)})
    # Inside the plot, low and right of the line: the curve's peak is at the top, the subtitle above it.
    fig.add_annotation(x=0.5, xref="x", y=0.04, yref="y domain", xanchor="left", yanchor="bottom", xshift=6,
                       text=f"tie: {a} = {b}", showarrow=False, font={"size": style.font_size})
    fig.update_xaxes(title_text=f"λ: from the trained network (0) to its copy with {a} and {b} swapped (1)",
                     range=[-0.02, 1.02])
    fig.update_yaxes(title_text="training loss (no penalty)")
    layer = f" of hidden layer {line.layer + 1}" if line.layer else ""
    return style_figure(
        fig, style,
        title=f"Swap {a} and {b}{layer}: same loss at both ends",
        subtitle="From one ordering of the units to the other: a tie in the middle, a mirror-image curve.",
    )
