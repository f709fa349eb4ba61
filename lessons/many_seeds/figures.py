"""Figures for "Many seeds, one solution": K seeds side by side, before and after lining up their units.

Colour rules (docs/architecture.md): hidden units are always `unit_color(j, width)`; seeds are *not* units, so
they are drawn in neutral greys — the reference seed A black, the chosen seed B dark grey, every other
seed light grey. "As trained" is light and "after alignment" dark wherever both appear, so the eye reads
the same contrast in every chart. Each function takes numbers from the lesson's `analysis` and returns a
styled Plotly figure; streamlit is never imported here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.symmetry import unit_vectors
from core.tasks import get_task
from figures.labels import format_gap, format_score, score_name
from figures.style import NORMAL, ChartStyle, added_height, style_figure, unit_color
from lessons.many_seeds.analysis import SeedStudy, StraightLine, UnitPairing

SEED_A = "#222222"  # the reference seed
SEED_B = "#6E6E6E"  # the seed compared with it
SEED_OTHER = "#C8C8C8"
TRAINED = "#BDBDBD"  # "as trained" (before alignment)
ALIGNED = "#222222"  # "units aligned to seed A"
FLIPPED = "#6E6E6E"  # reordered and sign-flipped (odd activations)
SIZE_LINE = "#8C8C8C"
DIVERGED = "#B00020"
MAX_HEATMAP_COLUMNS = 1200  # weights drawn per seed in the heat map (the first units, if more)


def seed_label(seed: int) -> str:
    return f"seed {seed}"


def _seed_colors(seeds: Sequence[int], reference: int, chosen: int | None) -> list[str]:
    """Per seed (by value): black for A, dark grey for B, light grey for the rest."""
    return [SEED_A if s == reference else SEED_B if s == chosen else SEED_OTHER for s in seeds]


def _short_number(value: float) -> str:
    return format_gap(float(value))


def _legend_below(fig: go.Figure, style: ChartStyle) -> None:
    """The legend in one row under the x-axis title, so it never covers the title, subtitle or data."""
    plot_px = max(fig.layout.height - fig.layout.margin.t - 3 * style.font_size, 100)
    fig.update_layout(legend={"orientation": "h", "x": 0.0, "xanchor": "left", "yanchor": "top",
                              "y": -3.4 * style.font_size / plot_px})


def _category_axis(fig: go.Figure, labels: Sequence[str], bold: Sequence[str], **where) -> None:
    """Seed names on a categorical axis, the highlighted ones in bold."""
    text = [f"<b>{label}</b>" if label in bold else label for label in labels]
    fig.update_xaxes(type="category", tickmode="array", tickvals=list(labels), ticktext=text, **where)


# --- final losses -----------------------------------------------------------------------------------------

def seed_losses_figure(study: SeedStudy, chosen: int | None = None, style: ChartStyle = NORMAL) -> go.Figure:
    """Each seed's final test loss as a bar (its score in the label and hover): equal heights = equally good.

    The loss and score are the task's (log loss and accuracy, or squared error and R²). Diverged seeds
    get no bar (their loss is meaningless) but a red "diverged" mark, so the count of seeds stays honest.
    The axis starts at 0, so small differences look small.
    """
    labels = [seed_label(s) for s in study.seeds]
    used = set(study.used)
    colors = _seed_colors(study.seeds, study.reference_seed, chosen)
    losses = [float(study.test_loss[k]) if k in used else None for k in range(len(study.seeds))]
    task = get_task(study.task)
    scores = [format_score(float(v), study.task) for v in study.test_score]
    fig = go.Figure(go.Bar(
        x=labels, y=losses, marker={"color": colors, "line": {"color": "#555555", "width": 1}},
        customdata=scores, name="final test loss", showlegend=False,
        text=[v if k in used else "" for k, v in enumerate(scores)] if len(labels) <= 8 else None,
        textposition="outside", textfont={"size": style.font_size},
        hovertemplate=(f"%{{x}}: test {task.loss_name} %{{y:.3f}}, {score_name(study.task)} "
                       "%{customdata}<extra></extra>"),
    ))
    for k in range(len(study.seeds)):
        if k not in used:
            fig.add_annotation(x=labels[k], y=0, yanchor="bottom", text="diverged", textangle=-90,
                               showarrow=False, font={"size": style.font_size, "color": DIVERGED})
    if study.used:
        low, high = study.loss_range
        subtitle = f"Spread {high - low:.3f} ({low:.3f} to {high:.3f})"
        subtitle += f"; labels: test {score_name(study.task)}." if len(labels) <= 8 else "."
        top = high * 1.25 if high > 0 else 1.0
    else:
        subtitle, top = "Every seed diverged.", 1.0
    style_figure(fig, style, "Final test loss of each seed", subtitle)
    _category_axis(fig, labels, [labels[k] for k, s in enumerate(study.seeds)
                                 if s in (study.reference_seed, chosen)])
    fig.update_yaxes(title_text=f"test {task.loss_name}", range=[0, top])
    fig.update_layout(bargap=0.3)
    return fig


# --- how far apart the weights are ------------------------------------------------------------------------

def weight_distance_figure(study: SeedStudy, chosen: int | None = None, has_units: bool = True,
                           style: ChartStyle = NORMAL) -> go.Figure:
    """Distance of every seed's whole weight vector from seed A's, as trained (light) and aligned (dark).

    A dashed line marks the size of seed A's own weights ‖θ_A‖, so a distance is read against the scale
    of the weights: tiny bars are tiny, not zoomed in. Without hidden units only the "as trained" bars
    exist (there is nothing to reorder).
    """
    fig = go.Figure()
    title = f"Distance from {seed_label(study.reference_seed)}'s weights"
    if not study.usable:
        style_figure(fig, style, title)
        fig.add_annotation(text="Fewer than two seeds trained without diverging.", x=0.5, y=0.5,
                           xref="paper", yref="paper", showarrow=False, font={"size": style.font_size})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return fig
    alignment = study.alignment
    seeds = [study.seeds[k] for k in study.used]
    labels = [seed_label(s) for s in seeds]
    others = list(range(1, len(seeds)))
    x = [labels[i] for i in others]
    fig.add_trace(go.Bar(
        x=x, y=alignment.before[others], name="as trained", marker={"color": TRAINED},
        hovertemplate="%{x}: %{y:.3g} as trained<extra></extra>",
    ))
    if has_units:
        fig.add_trace(go.Bar(
            x=x, y=alignment.after[others], name="units aligned to seed A", marker={"color": ALIGNED},
            hovertemplate="%{x}: %{y:.3g} after alignment<extra></extra>",
        ))
    size = study.reference_size
    # A plain layout shape and annotation: add_hline costs ~40 ms of Plotly bookkeeping per call.
    fig.update_layout(
        shapes=[{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": size, "y1": size,
                 "line": {"color": SIZE_LINE, "dash": "dash", "width": max(style.line_width / 1.5, 1)}}],
        annotations=[{"text": f"size of seed A's weights ‖θ<sub>A</sub>‖ = {size:.3g}", "xref": "paper",
                      "x": 1, "xanchor": "right", "yref": "y", "y": size, "yanchor": "bottom",
                      "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
                      "font": {"size": style.font_size, "color": "#555555"}}],
    )
    subtitle = (f"Largest: {_short_number(alignment.before.max())} as trained"
                + (f", {_short_number(alignment.after.max())} aligned." if has_units else "."))
    style_figure(fig, style, title, subtitle)
    _category_axis(fig, x, [seed_label(chosen)] if chosen is not None else [])
    high = max(float(alignment.before.max()), size)
    fig.update_yaxes(title_text="distance ‖θ<sub>k</sub> − θ<sub>A</sub>‖", range=[0, high * 1.25])
    fig.update_layout(barmode="group", bargap=0.25)
    _legend_below(fig, style)
    return fig


# --- every seed's weights, as numbers ---------------------------------------------------------------------

def _unit_block(params, layer: int | None) -> np.ndarray:
    """One row per unit (hidden layer `layer`), or the output layer's [w; b] per output when layer is None."""
    if layer is None:
        W, b = params[-1]
        return np.concatenate([np.asarray(W), np.asarray(b)[None, :]], axis=0).T  # (outputs, fan_in + 1)
    return unit_vectors(params, layer)


def weights_heatmap_figure(study: SeedStudy, layer: int | None = 0, chosen: int | None = None,
                           style: ChartStyle = NORMAL) -> go.Figure:
    """Every seed's weights as one row of colours, as trained and after aligning its units to seed A.

    Each column block is one unit of hidden layer `layer` (its incoming weights, bias and outgoing
    weights, in that order), so rows that agree show the same colours stacked. As trained, the blocks are
    in each seed's own order and rows disagree; after alignment, columns line up as far as the seeds
    really learned the same units. `layer=None` (no hidden layer) shows the output weights and bias: one
    panel, because there is nothing to reorder.
    """
    if not study.usable:
        return style_figure(go.Figure(), style, "Every seed's weights")
    seeds = [study.seeds[k] for k in study.used]
    panels = [("as trained", study.params)]
    if layer is not None:
        panels.append(("units aligned to seed A", study.alignment.aligned))
    blocks = [np.stack([_unit_block(p, layer) for p in params]) for _, params in panels]  # (seeds, units, p)
    n_units, per_unit = blocks[0].shape[1:]
    shown = max(1, min(n_units, MAX_HEATMAP_COLUMNS // per_unit))
    rows = [block[:, :shown].reshape(len(seeds), -1) for block in blocks]
    finite = np.abs(rows[0][np.isfinite(rows[0])])
    limit = float(np.quantile(finite, 0.98)) if finite.size else 1.0
    limit = limit if limit > 0 else 1.0
    labels = [seed_label(s) for s in seeds]
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[name for name, _ in panels],
                        shared_yaxes=True, horizontal_spacing=0.04)
    colors = [unit_color(j, n_units) for j in range(n_units)] if layer is not None else None
    traces, shapes, axes = [], [], {}
    for column, values in enumerate(rows, start=1):
        suffix = "" if column == 1 else str(column)
        traces.append(go.Heatmap(
            z=values.astype(np.float32), y=labels, x=np.arange(values.shape[1]), zmin=-limit,
            zmax=limit, zmid=0, colorscale="RdBu_r", showscale=column == len(rows), xaxis=f"x{suffix}",
            yaxis=f"y{suffix}",
            colorbar={"title": {"text": "weight"}, "thickness": 12, "len": 0.8},
            hovertemplate="%{y}, column %{x}: %{z:.3g}<extra></extra>",
        ))
        shapes += [{"type": "line", "xref": f"x{suffix}", "yref": f"y{suffix} domain", "y0": 0, "y1": 1,
                    "x0": j * per_unit - 0.5, "x1": j * per_unit - 0.5,
                    "line": {"color": "#FFFFFF", "width": 2}}
                   for j in range(1, shown)]  # white separators between units
        if layer is None:
            ticks = [f"w{i + 1}" for i in range(per_unit - 1)] + ["b"]
            axes[f"xaxis{suffix}"] = {"tickmode": "array", "tickvals": list(range(per_unit)),
                                      "ticktext": ticks}
        else:
            step = max(1, shown // 16)  # at most ~16 unit labels
            labelled = range(0, shown, step)
            axes[f"xaxis{suffix}"] = {
                "tickmode": "array", "tickvals": [j * per_unit + (per_unit - 1) / 2 for j in labelled],
                "ticktext": [f"<span style='color:{colors[j]}'><b>{j + 1}</b></span>" for j in labelled]}
    fig.add_traces(traces)
    fig.update_layout(shapes=shapes, **axes)
    fig.update_yaxes(autorange="reversed", tickmode="array", tickvals=labels,
                     ticktext=[f"<b>{label}</b>" if s in (study.reference_seed, chosen) else label
                               for label, s in zip(labels, seeds)])
    if layer is None:
        title = "Every seed's weights (no hidden layer)"
        subtitle = "One row per seed: identical rows mean identical weights."
        fig.update_xaxes(title_text="output weights w and bias b")
    else:
        title = "Every seed's weights, one row per seed"
        subtitle = "Blocks = units (numbered in colour). Aligned: do the columns line up?"
        fig.update_xaxes(title_text=f"units of hidden layer {layer + 1}" + (
            f" (first {shown} of {n_units})" if shown < n_units else ""))
    style_figure(fig, style, title, subtitle)
    fig.update_annotations(font={"size": style.font_size})
    fig.update_layout(margin_t=fig.layout.margin.t + 2 * style.font_size,
                      height=max(fig.layout.height, int(style.font_size * (8 + 1.8 * len(seeds)))))
    return fig


# --- two seeds, unit by unit ------------------------------------------------------------------------------

def pairing_figure(pairing: UnitPairing, seed_a: int, seed_b: int, n_layers: int = 1,
                   style: ChartStyle = NORMAL) -> go.Figure:
    """Which unit of seed B lines up with each unit of seed A, and how close each pair is.

    Top: A's units in a row, B's units in a row below, each in its own colour (so a unit of B keeps the
    colour of its number, and the crossing lines show the reordering). Bottom, under each of A's units:
    its distance to B's unit of the same number (light) and to its matched unit (dark).
    """
    width = len(pairing.matched)
    colors = [unit_color(j, width) for j in range(width)]
    units = list(range(width))
    xs: list[float | None] = []
    ys: list[float | None] = []
    for j, k in enumerate(pairing.matched):
        xs += [j, int(k), None]
        ys += [1, 0, None]
    marker = style.marker_size * (2.6 if width <= 16 else 1.4)
    numbered = width <= 16
    top = {"xaxis": "x", "yaxis": "y"}
    bottom = {"xaxis": "x2", "yaxis": "y2"}
    traces = [go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                         line={"color": "#9A9A9A", "width": style.line_width}, **top)]
    for row_y, who in ((1, "A"), (0, "B")):
        traces.append(go.Scatter(
            x=units, y=[row_y] * width, mode="markers+text" if numbered else "markers",
            text=[str(j + 1) for j in units], textfont={"color": "#FFFFFF", "size": style.font_size},
            marker={"color": colors, "size": marker, "line": {"color": "#FFFFFF", "width": 1}},
            showlegend=False, hovertemplate=f"{who}'s unit %{{text}}<extra></extra>", **top,
        ))
    traces.append(go.Bar(
        x=units, y=pairing.before, name="to B's unit with the same number", marker={"color": TRAINED},
        customdata=[f"A's unit {j + 1} ↔ B's unit {j + 1}" for j in units],
        hovertemplate="%{customdata}: %{y:.3g}<extra></extra>", **bottom,
    ))
    traces.append(go.Bar(
        x=units, y=pairing.after, name="to B's matched unit", marker={"color": ALIGNED},
        customdata=[f"A's unit {j + 1} ↔ B's unit {int(k) + 1}" for j, k in enumerate(pairing.matched)],
        hovertemplate="%{customdata}: %{y:.3g}<extra></extra>", **bottom,
    ))
    step = max(1, width // 16)
    ticks = {"tickmode": "array", "tickvals": units[::step], "ticktext": [str(j + 1) for j in units[::step]],
             "range": [-0.6, width - 0.4]}
    fig = go.Figure(traces, layout={
        "xaxis": {**ticks, "anchor": "y", "matches": "x2", "showticklabels": False},
        "yaxis": {"domain": [0.62, 1.0], "tickmode": "array", "tickvals": [0, 1], "range": [-0.45, 1.45],
                  "ticktext": [f"B: {seed_label(seed_b)}", f"A: {seed_label(seed_a)}"], "showgrid": False,
                  "zeroline": False, "fixedrange": True},
        "xaxis2": {**ticks, "anchor": "y2", "title": {"text": "unit number (A's units for the bars)"}},
        "yaxis2": {"domain": [0.0, 0.54], "title": {"text": "distance"}, "rangemode": "tozero"},
        "barmode": "group", "bargap": 0.25,
    })
    where = f", hidden layer {pairing.layer + 1}" if n_layers > 1 else ""
    title = f"Which unit of {seed_label(seed_b)} matches each unit of {seed_label(seed_a)}{where}"
    subtitle = f"{pairing.moved} of {width} units change partner. Bars: distance from each of A's units."
    style_figure(fig, style, title, subtitle)
    fig.update_layout(height=int(style.height * 1.25) + added_height(fig, style),
                      legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 0.56,
                              "yanchor": "bottom"})
    return fig


# --- the straight line between two networks ---------------------------------------------------------------

def straight_line_figure(line: StraightLine, seed_a: int, seed_b: int, has_units: bool = True,
                         style: ChartStyle = NORMAL, task: str = "classification") -> go.Figure:
    """Training loss along θ(λ) = (1 − λ)θ_A + λθ_B: as trained (light, dashed), with B's units reordered
    to match A's (dark), and — if the line has it — reordered and sign-flipped (grey, dotted).

    The legend carries each line's barrier (its highest point above the mean of its two ends), so the
    number the page talks about is on the chart too. The y-axis names the task's loss.
    """
    fig = go.Figure()
    traces = [("as trained", line.before, line.barrier_before, TRAINED, "dash")]
    if has_units:
        traces.append(("units reordered", line.after, line.barrier_after, ALIGNED, "solid"))
        if line.flipped is not None:
            traces.append(("reordered + signs flipped", line.flipped, line.barrier_flipped, FLIPPED, "dot"))
    for name, losses, barrier, color, dash in traces:
        fig.add_trace(go.Scatter(
            x=line.lambdas, y=losses, mode="lines", name=f"{name}: barrier {barrier:.3g}",
            line={"color": color, "dash": dash,
                  "width": style.line_width * (1.0 if dash == "solid" else 1.4)},
            hovertemplate=f"{name}<br>λ = %{{x:.2f}}: loss %{{y:.3f}}<extra></extra>",
        ))
    style_figure(fig, style, "Loss along the straight line from A to B",
                 f"A = {seed_label(seed_a)}, B = {seed_label(seed_b)}. A bump is a ridge.")
    finite = np.concatenate([line.before, line.after, *([] if line.flipped is None else [line.flipped])])
    finite = finite[np.isfinite(finite)]
    top = float(finite.max()) * 1.15 if finite.size else 1.0
    fig.update_xaxes(title_text="λ  (0 = A, 1 = B)", range=[-0.03, 1.03])
    fig.update_yaxes(title_text=f"training {get_task(task).loss_name}", range=[0, top])
    _legend_below(fig, style)
    return fig
