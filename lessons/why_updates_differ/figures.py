"""Figures for "Why the updates differ": two units' gradient factors side by side, and each unit's step.

Built from the lesson's `analysis` numbers only, in the app's conventions (figures.charts): unit j is
`unit_color(j, width)` everywhere, every title says what to look at, every axis is labelled, and a
`ChartStyle` makes the same figure readable on a projector. Plotly only; streamlit is never imported.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from figures.labels import unit_label
from figures.style import NORMAL, RUN_COLORS, ChartStyle, finite_or_nan, style_figure, unit_color
from lessons.why_updates_differ.analysis import LayerFactors, compare_units, most_telling

MAX_BARS = 6  # per panel: past this many weights, show the ones where the units differ most
ARROW_SHARE = 0.4  # the longest arrow is drawn at about this share of the plot's span
FADED = 0.45  # opacity of the units not chosen
HEAD_SHARE = 0.5  # an arrowhead is at most this share of its arrow's drawn length
MIN_ARROW_PX = 6.0  # a step drawn shorter than this is left as the unit's dot (and the subtitle says so)
MARK_FILL = "#FFF3C4"  # a pale highlight behind the panel of the factor making most of the difference
PANEL_OF_FACTOR = {"signal": 0, "slope": 1}  # factor_figure's panel that shows each factor's cause
SPACING = 0.08  # between factor_figure's panels, a share of the width
BAR_GAP = 0.3
PLOT_WIDTH = 760  # px: a full-width chart beside the open sidebar at 1280×720
_EM = {**dict.fromkeys("0123456789e", 0.556), ".": 0.278, "-": 0.333, "+": 0.584}  # Arial glyph widths
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(number: int) -> str:
    """1 → "₁", 17 → "₁₇": indices as in the math, readable without HTML."""
    return str(number).translate(_SUBSCRIPTS)


def percent(share: float) -> str:
    """A share as text: "89%", but "0.0021%" rather than a misleading "0%" for a tiny, nonzero one."""
    if share == 0 or not math.isfinite(share) or abs(share) >= 0.01:
        return f"{share:.0%}"
    return f"{share * 100:.2g}%"


def _labels_fit(panel_share: float, n_categories: int, n_units: int, texts: Sequence[str],
                style: ChartStyle) -> bool:
    """Whether value labels fit over a panel's bars side by side, at the page's usual chart width.

    Bars of one group touch, so neighbouring labels are one bar width apart: (1 − gap) of a category
    shared by the units; text width comes from Arial's character widths in em. Labels that would overlap
    are left out (the numbers are in the table under the chart, and in the hover).
    """
    bar = panel_share * PLOT_WIDTH / max(n_categories, 1) * (1 - BAR_GAP) / max(n_units, 1)
    longest = max((sum(_EM.get(c, 0.6) for c in text) for text in texts), default=0.0)
    return longest * style.font_size <= bar


def _title_on_top(fig: go.Figure, height: int) -> None:
    """Keep title and subtitle at the top edge when a figure widens its top margin for panel titles
    (Plotly otherwise centres the title in the margin, right onto the panel titles)."""
    fig.update_layout(title={"y": 1 - 8 / height, "yref": "container", "yanchor": "top"})


def nice_scale(raw: float) -> float:
    """The largest of 1, 2, 5 × 10^k not above `raw` (a round factor to say on the chart)."""
    if not (math.isfinite(raw) and raw > 0):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for step in (5.0, 2.0, 1.0):
        if step * power <= raw * (1 + 1e-12):
            return step * power
    return power


def _scale_text(scale: float) -> str:
    if scale == 1:
        return "drawn to scale"
    return f"drawn {scale:g}× longer" if scale > 1 else f"drawn at {scale:g}× length"


# --- two units, factor by factor -------------------------------------------------------------------------

def _above_name(k: int) -> str:
    """A category under an outgoing-weight bar: the weight into unit (or output) k of the layer above."""
    return f"→{k + 1}"


def factor_figure(factors: LayerFactors, units: Sequence[int], style: ChartStyle = NORMAL,
                  max_bars: int = MAX_BARS) -> go.Figure:
    """The factors of the chosen units' gradients as bars, one colour per unit, three panels side by side.

    Panels: the outgoing weight(s), which scale the signal each unit receives; the slope σ'(z) averaged
    over the samples; the resulting gradient (weights and bias). With one unit there is nothing to compare,
    but its factors are still shown. With two, the panel of the factor that makes most of the difference
    between their gradients (`compare_units`' exact split) is shaded, and its title and the subtitle say
    its share. Long vectors show the `max_bars` entries where the units differ most.
    """
    units = [int(unit) for unit in units]
    width = factors.width
    if factors.single_output_weight:
        out_names, out_index, out_title = ["v"], np.array([0]), "outgoing weight v"
    else:
        out_index = most_telling(factors.outgoing[units], max_bars)
        out_names = [_above_name(int(k)) for k in out_index]
        into = "outputs" if factors.above_is_output else f"layer {factors.layer + 2}"
        shown = f"{len(out_index)} of {factors.n_above} " if factors.n_above > len(out_index) else ""
        out_title = f"outgoing weights → {shown}{into}"
    w_index = most_telling(factors.gradient[:, units].T, max_bars - 1)
    grad_names = [f"w{subscript(int(p) + 1)}" for p in w_index] + ["b"]
    grad_title = "gradient ∂L/∂θ"
    if factors.fan_in > len(w_index):
        grad_title += f" ({len(w_index) + 1} of {factors.fan_in + 1})"
    titles = [out_title, "mean slope σ'(z)", grad_title]

    comparison = compare_units(factors, *units) if len(units) == 2 else None
    main = comparison.main if comparison is not None else None
    marked = PANEL_OF_FACTOR.get(main.factor.key) if main is not None else None
    # Every panel title has two lines, so the panels line up; the second one points at the factor.
    mark = f"<b>▼ {percent(comparison.share(main))} of the difference</b>" if main is not None else " "
    titles = [f"{text}<br>{mark if panel == marked else ' '}" for panel, text in enumerate(titles)]

    names = (out_names, ["σ'(z)"], grad_names)
    shares = np.array([max(len(out_names), 2.0), 2.0, len(grad_names) + 0.4])
    texts = {u: [[f"{v:.3g}" for v in finite_or_nan(values)] for values in (
        factors.outgoing[u, out_index], [factors.mean_slope[u]],
        np.append(factors.gradient[w_index, u], factors.bias_gradient[u]))] for u in units}
    labelled = [_labels_fit(share / shares.sum() * (1 - 2 * SPACING), len(names[panel]), len(units),
                            [text for u in units for text in texts[u][panel]], style)
                for panel, share in enumerate(shares)]
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=SPACING,
                        column_widths=list(shares))
    for u in units:
        color = unit_color(u, width)
        columns = (
            factors.outgoing[u, out_index],
            [factors.mean_slope[u]],
            np.append(factors.gradient[w_index, u], factors.bias_gradient[u]),
        )
        for panel, values in enumerate(columns):
            values = finite_or_nan(values)
            fig.add_trace(go.Bar(
                x=names[panel], y=values, name=unit_label(u), legendgroup=unit_label(u),
                showlegend=panel == 0, marker={"color": color}, offsetgroup=str(u),
                text=texts[u][panel] if labelled[panel] else None,
                textposition="outside", cliponaxis=False, constraintext="none",
                textfont={"size": style.font_size},
                hovertemplate=f"{unit_label(u)}<br>%{{x}} = %{{y:.6g}}<extra></extra>",
            ), row=1, col=panel + 1)
    if marked is not None:  # shade the panel of the factor that differs most
        suffix = "" if marked == 0 else str(marked + 1)
        fig.add_shape(type="rect", xref=f"x{suffix} domain", yref=f"y{suffix} domain", x0=-0.04, x1=1.04,
                      y0=-0.02, y1=1.0, fillcolor=MARK_FILL, line={"width": 0}, layer="below")
    if comparison is None:
        subtitle = "One unit only: nothing to compare."
    elif main is None:
        subtitle = "Every factor is equal, so the gradients are equal: bar for bar the same."
    else:
        subtitle = (f"The {main.factor.title(factors)} makes {percent(comparison.share(main))} of the "
                    "difference between the two gradients.")
    title = unit_label(units[0]).capitalize() + "".join(f" vs {unit_label(u)}" for u in units[1:])
    style_figure(fig, style, f"{title}: the factors of each update", subtitle)
    top = fig.layout.margin.t + round(style.font_size * 2.6)  # room for the two-line panel titles
    height = fig.layout.height + 40
    _title_on_top(fig, height)
    fig.update_annotations(font={"size": style.font_size})  # the panel titles
    fig.update_layout(barmode="group", bargap=BAR_GAP, margin={"t": top}, height=height,
                      legend={"orientation": "h", "y": -0.12, "x": 0.0})
    fig.update_yaxes(zeroline=True, zerolinecolor="#AAAAAA", zerolinewidth=1.5)
    fig.update_xaxes(title_text="θ", tickangle=0, row=1, col=3)
    # Bars start at 0, so the room above and below the data must hold the value labels.
    for panel in range(3):
        values = np.concatenate([finite_or_nan(np.asarray(trace.y, dtype=float)) for trace in fig.data
                                 if trace.xaxis == ("x" if panel == 0 else f"x{panel + 1}")])
        values = values[np.isfinite(values)]
        low, high = (min(values.min(), 0.0), max(values.max(), 0.0)) if len(values) else (0.0, 1.0)
        pad = 0.2 * (high - low) if high > low else 1.0
        below, above = (pad if low < 0 else 0.05 * pad), (pad if high > 0 else 0.05 * pad)
        fig.update_yaxes(range=[low - below, high + above], row=1, col=panel + 1)
    return fig


# --- each unit's step ---------------------------------------------------------------------------------------

def _input_names(factors: LayerFactors) -> tuple[str, str]:
    if factors.layer == 0:
        return "w₁ (from x₁)", "w₂ (from x₂)"
    return f"w₁ (from layer {factors.layer}, unit 1)", f"w₂ (from layer {factors.layer}, unit 2)"


def step_figure(factors: LayerFactors, chosen: Sequence[int], learning_rate: float,
                style: ChartStyle = NORMAL) -> go.Figure:
    """Each unit's gradient step −η·∂L/∂w: arrows in its (w₁, w₂) plane when the layer has two inputs,
    else the step length per unit (a weight space of more dimensions cannot be drawn as is)."""
    if factors.fan_in == 2:
        return _arrows_figure(factors, chosen, learning_rate, style)
    return _step_lengths_figure(factors, chosen, learning_rate, style)


def _arrows_figure(factors: LayerFactors, chosen: Sequence[int], learning_rate: float,
                   style: ChartStyle) -> go.Figure:
    """Each unit at its (w₁, w₂) with an arrow to (w₁, w₂) − η·∇ (scaled by a round factor, said on the
    chart). The chosen units are drawn strong and on top, the others faded."""
    width = factors.width
    with np.errstate(all="ignore"):
        points = finite_or_nan(factors.weights.T)  # (width, 2)
        steps = finite_or_nan(-learning_rate * factors.gradient.T)
        lengths = np.linalg.norm(steps, axis=1)
    finite = np.isfinite(points).all(axis=1) & np.isfinite(steps).all(axis=1)
    longest = float(lengths[finite].max()) if finite.any() else 0.0
    if finite.any():
        span = float((points[finite].max(axis=0) - points[finite].min(axis=0)).max())
        if span == 0:
            span = max(float(np.abs(points[finite]).max()), 1.0)
    else:
        span = 1.0
    scale = nice_scale(ARROW_SHARE * span / longest) if longest > 0 else 1.0
    tips = points + scale * steps
    chosen = [int(u) for u in chosen]
    order = [j for j in reversed(range(width)) if j not in chosen] + list(reversed(chosen))  # chosen on top
    opacity = [1.0 if j in chosen else FADED for j in order]
    # An arrowhead is a marker of fixed pixel size: on a step shorter than it, the arrow was a blob. So
    # each head is scaled to its arrow's drawn length, and a step too short to draw is left as its dot.
    box = np.vstack([points[finite], tips[finite]]) if finite.any() else np.zeros((1, 2))
    centre = (box.min(axis=0) + box.max(axis=0)) / 2
    half = 0.58 * float((box.max(axis=0) - box.min(axis=0)).max())  # a square box, 8 % margin
    half = half if half > 0 else 0.5
    plot_px = max(min(style.width - 6 * style.font_size, style.height - 6 * style.font_size), 100)
    drawn_px = np.nan_to_num(scale * lengths) * plot_px / (2 * half)
    fig = go.Figure()
    fig.add_trace(go.Scatter(  # where each unit is now (under the arrows, which start there)
        x=points[order, 0], y=points[order, 1], mode="markers", name="now", showlegend=False,
        text=[unit_label(j) for j in order], customdata=lengths[order],
        marker={"color": [unit_color(j, width) for j in order], "opacity": opacity,
                "size": [style.marker_size * (1.3 if j in chosen else 1.0) for j in order],
                "line": {"color": "#FFFFFF", "width": 1}},
        hovertemplate="%{text}<br>w₁ %{x:.4g}, w₂ %{y:.4g}<br>step length %{customdata:.3g}<extra></extra>",
    ))
    too_short = 0
    for j in order:
        strong = j in chosen
        color = unit_color(j, width)
        head = min(style.marker_size * (2.6 if strong else 1.8), HEAD_SHARE * drawn_px[j])
        if drawn_px[j] < MIN_ARROW_PX or not finite[j]:
            too_short += bool(finite[j]) and longest > 0
            fig.add_trace(go.Scatter(  # no arrow: the unit's dot, in the legend like an arrow
                x=points[j, :1], y=points[j, 1:], mode="markers", name=unit_label(j),
                legendgroup=unit_label(j), showlegend=strong, legendrank=j, opacity=1.0 if strong else FADED,
                marker={"color": color, "size": style.marker_size * (1.3 if strong else 1.0)},
                hoverinfo="skip"))
            continue
        fig.add_trace(go.Scatter(  # the arrow: a line with an arrowhead at its tip only
            x=[points[j, 0], tips[j, 0]], y=[points[j, 1], tips[j, 1]], mode="lines+markers",
            name=unit_label(j), legendgroup=unit_label(j), showlegend=strong, legendrank=j,
            opacity=1.0 if strong else FADED,
            line={"color": color, "width": style.line_width * (1.4 if strong else 1.0)},
            marker={"color": color, "symbol": "arrow", "angleref": "previous",
                    "size": [0, head]},
            hoverinfo="skip",
        ))
    distinct = len({tuple(row) for row in np.round(np.hstack([points, steps])[finite], 12).tolist()})
    if longest == 0 and finite.any():
        subtitle = "Every gradient is exactly 0: no unit moves."
    else:
        subtitle = f"Arrow = −η·∇w (η = {learning_rate:g}), {_scale_text(scale)}."
        if width > 1 and distinct == 1:
            subtitle += f" All {width} units: one point, one arrow."
        elif width > 1:
            subtitle += f" {width} units, {distinct} different arrows."
        if too_short:
            subtitle += (f" {too_short} step{'s' if too_short > 1 else ''} too short to draw at this scale: "
                         "dot only.")
    style_figure(fig, style, "Each unit's next step in its (w₁, w₂) plane", subtitle)
    x_title, y_title = _input_names(factors)
    fig.update_xaxes(title_text=x_title, range=[centre[0] - half, centre[0] + half], constrain="domain")
    fig.update_yaxes(title_text=y_title, range=[centre[1] - half, centre[1] + half], constrain="domain",
                     scaleanchor="x", scaleratio=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.18, "x": 0.0}, height=fig.layout.height + 80)
    return fig


def _step_lengths_figure(factors: LayerFactors, chosen: Sequence[int], learning_rate: float,
                         style: ChartStyle) -> go.Figure:
    """One bar per unit: the length η‖∂L/∂w_j‖ of its step; the chosen units strong, the others faded."""
    width = factors.width
    with np.errstate(all="ignore"):
        lengths = finite_or_nan(learning_rate * np.linalg.norm(factors.gradient, axis=0))
    chosen = {int(u) for u in chosen}
    labels = [str(j + 1) for j in range(width)]
    fig = go.Figure(go.Bar(
        x=labels, y=lengths, marker={"color": [unit_color(j, width) for j in range(width)],
                                     "opacity": [1.0 if j in chosen else FADED for j in range(width)]},
        name="step length", showlegend=False,
        hovertemplate="unit %{x}<br>step length %{y:.4g}<extra></extra>",
    ))
    subtitle = (f"Arrows need 2 inputs; this layer has {factors.fan_in}. "
                f"Bar = η‖∇w‖ (η = {learning_rate:g}).")
    style_figure(fig, style, "Each unit's step length", subtitle)
    fig.update_xaxes(title_text="unit", type="category", tickangle=0)
    fig.update_yaxes(title_text="step length η‖∂L/∂w‖", rangemode="tozero")
    return fig


# --- no hidden layer ---------------------------------------------------------------------------------------

def output_gradient_figure(gradient_W: np.ndarray, gradient_b: np.ndarray, style: ChartStyle = NORMAL,
                           max_bars: int = MAX_BARS) -> go.Figure:
    """A network without hidden layers: the output unit(s)' gradient, the only update there is.

    Output units are not hidden units, so they get the neutral run colours, never a unit colour.
    """
    gradient_W = np.asarray(gradient_W, dtype=float)
    gradient_b = np.asarray(gradient_b, dtype=float)
    n_inputs, n_outputs = gradient_W.shape
    index = most_telling(gradient_W.T, max_bars - 1)
    names = [f"∂L/∂w{subscript(int(p) + 1)}" for p in index] + ["∂L/∂b"]
    fig = go.Figure()
    for k in range(n_outputs):
        values = finite_or_nan(np.append(gradient_W[index, k], gradient_b[k]))
        fig.add_trace(go.Bar(
            x=names, y=values, name=f"output {k + 1}" if n_outputs > 1 else "output unit",
            marker={"color": RUN_COLORS[k % len(RUN_COLORS)]}, text=[f"{v:.3g}" for v in values],
            textposition="outside", cliponaxis=False, textfont={"size": style.font_size},
        ))
    shown = f" ({len(index)} of {n_inputs} weights)" if n_inputs > len(index) else ""
    style_figure(fig, style, "No hidden layer: no hidden units to compare",
                 f"The only update is the output unit's gradient{shown}.")
    fig.update_layout(barmode="group", showlegend=n_outputs > 1)
    fig.update_xaxes(title_text="parameter")
    fig.update_yaxes(title_text="gradient", zeroline=True, zerolinecolor="#AAAAAA")
    return fig
