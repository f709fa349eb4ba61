"""Figures of "Why the updates differ": every unit in its own colour, the differing factor marked with its
measured share, arrows that are the gradient step (at the scale the chart states), readable on a projector."""

from __future__ import annotations

import dataclasses
import re
from itertools import pairwise

import numpy as np
import pytest

from core.initializers import apply_symmetry
from figures.labels import unit_label
from figures.style import NORMAL, PROJECTOR, RUN_COLORS, unit_color
from lessons.why_updates_differ.analysis import compare_units, network_factors
from lessons.why_updates_differ.figures import (
    FADED,
    MARK_FILL,
    MAX_BARS,
    factor_figure,
    nice_scale,
    output_gradient_figure,
    percent,
    step_figure,
    subscript,
)
from tests.lessons.why_updates_differ.factors import layer_factors


def network(sizes, seed=0, symmetry="none", scale=1.0):
    rng = np.random.default_rng(seed)
    params = [(rng.normal(0.0, scale, (a, b)), rng.normal(0.0, 0.5 * scale, b)) for a, b in pairwise(sizes)]
    return apply_symmetry(params, symmetry)


def factors(sizes, seed=0, symmetry="none", activation="tanh", layer=0, n=60, scale=1.0):
    rng = np.random.default_rng(seed + 100)
    X = rng.normal(size=(n, sizes[0]))
    y = np.arange(n) % max(sizes[-1], 2)
    return layer_factors(network(sizes, seed, symmetry, scale), X, y, activation, layer)


def bars(fig):
    return [trace for trace in fig.data if trace.type == "bar"]


def panel_titles(fig):
    return [a.text for a in fig.layout.annotations]


# --- factor_figure ---------------------------------------------------------------------------------------

def test_factor_figure_draws_each_unit_in_its_colour_in_three_panels():
    f = factors([2, 8, 1])
    fig = factor_figure(f, [2, 5])
    assert len(bars(fig)) == 6  # 2 units × 3 panels
    for trace in bars(fig):
        unit = int(trace.name.split()[-1]) - 1
        assert trace.marker.color == unit_color(unit, 8)
    assert {trace.xaxis for trace in bars(fig)} == {"x", "x2", "x3"}
    assert [t.name for t in bars(fig) if t.showlegend] == [unit_label(2), unit_label(5)]
    assert list(bars(fig)[2].x) == ["w₁", "w₂", "b"]
    assert bars(fig)[2].y == pytest.approx([*f.gradient[:, 2], f.bias_gradient[2]])
    assert bars(fig)[1].y == pytest.approx([f.mean_slope[2]])
    assert bars(fig)[0].y == pytest.approx([f.outgoing[2, 0]])
    assert fig.layout.title.text == "Unit 3 vs unit 6: the factors of each update"


def test_the_factor_making_most_of_the_difference_is_marked_with_its_share():
    f = factors([2, 6, 1], symmetry="same_fan_out")  # only the slope can differ
    fig = factor_figure(f, [0, 1])
    comparison = compare_units(f, 0, 1)
    assert comparison.main.factor.key == "slope"
    titles = panel_titles(fig)
    assert "100% of the difference" in titles[1] and "difference" not in titles[0] + titles[2]
    assert [shape.xref for shape in fig.layout.shapes] == ["x2 domain"]
    assert fig.layout.shapes[0].fillcolor == MARK_FILL
    assert "slope σ'(z) makes 100%" in fig.layout.title.subtitle.text

    f = factors([2, 6, 1], symmetry="same_fan_in")  # only the signal v·δ can differ
    fig = factor_figure(f, [0, 1])
    assert "100% of the difference" in panel_titles(fig)[0]
    assert [shape.xref for shape in fig.layout.shapes] == ["x domain"]
    assert "signal v·δ makes 100%" in fig.layout.title.subtitle.text


def test_identical_units_draw_equal_bars_and_say_so():
    fig = factor_figure(factors([2, 6, 1], symmetry="identical"), [0, 4])
    first, second = bars(fig)[:3], bars(fig)[3:]
    for a, b in zip(first, second):
        assert list(a.y) == list(b.y)
    assert "Every factor is equal" in fig.layout.title.subtitle.text
    assert not fig.layout.shapes
    assert all("difference" not in title for title in panel_titles(fig))


def test_a_single_unit_is_shown_with_nothing_to_compare():
    fig = factor_figure(factors([2, 1, 1]), [0])
    assert len(bars(fig)) == 3
    assert fig.layout.title.subtitle.text == "One unit only: nothing to compare."
    assert fig.layout.title.text == "Unit 1: the factors of each update"


def test_wide_layers_show_the_entries_where_the_units_differ_most():
    f = factors([64, 16, 10], n=200)
    fig = factor_figure(f, [0, 1])
    gradient_bars = [t for t in bars(fig) if t.xaxis == "x3"]
    assert len(gradient_bars[0].x) == MAX_BARS
    assert gradient_bars[0].x[-1] == "b"
    assert "gradient ∂L/∂θ (6 of 65)" in panel_titles(fig)[2]
    shown = [int(name[1:].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))) - 1
             for name in gradient_bars[0].x[:-1]]
    gap = np.abs(f.gradient[:, 0] - f.gradient[:, 1])
    assert sorted(shown) == sorted(np.argsort(-gap)[:MAX_BARS - 1].tolist())
    outgoing_bars = [t for t in bars(fig) if t.xaxis == "x"]
    assert len(outgoing_bars[0].x) == MAX_BARS and "6 of 10 outputs" in panel_titles(fig)[0]


def test_a_deeper_layer_names_the_layer_above():
    fig = factor_figure(factors([3, 5, 4, 1], layer=0), [0, 1])
    assert "outgoing weights → layer 2" in panel_titles(fig)[0]
    assert list(bars(fig)[0].x) == ["→1", "→2", "→3", "→4"]


def test_projector_text_is_large_and_labels_never_overlap():
    f = factors([2, 6, 1])
    for style in (NORMAL, PROJECTOR):
        fig = factor_figure(f, [0, 1], style)
        assert fig.layout.font.size == style.font_size
        assert all(a.font.size >= style.font_size for a in fig.layout.annotations)
        assert fig.layout.height > style.height
        for trace in bars(fig):
            if trace.text is not None:
                assert trace.textfont.size == style.font_size
    # The gradient panel's three pairs of 7-character labels do not fit side by side: they are left out.
    labelled = [t.text is not None for t in bars(factor_figure(f, [0, 1], PROJECTOR)) if t.xaxis == "x3"]
    assert labelled == [False, False]
    assert all(t.text is not None for t in bars(factor_figure(f, [0, 1], NORMAL)) if t.xaxis == "x2")


def test_non_finite_numbers_are_left_out_not_raised():
    f = factors([2, 4, 1], activation="linear", scale=1e200)
    fig = factor_figure(f, [0, 1])
    assert any(np.isnan(np.asarray(t.y, dtype=float)).any() for t in bars(fig))
    step_figure(f, [0, 1], 0.5)


# --- step_figure -----------------------------------------------------------------------------------------

def _arrow_scale(fig) -> float:
    text = fig.layout.title.subtitle.text
    if "drawn to scale" in text:
        return 1.0
    return float(re.search(r"drawn ([\d.e+-]+)× longer", text).group(1))


def test_arrows_are_the_gradient_step_at_the_stated_scale():
    f = factors([2, 8, 1])
    fig = step_figure(f, [1, 3], learning_rate=0.5)
    arrows = [t for t in fig.data if t.mode == "lines+markers"]
    dots = [t for t in fig.data[1:] if t.mode == "markers"]  # steps too short to draw as an arrow
    assert len(arrows) >= 2 and len(arrows) + len(dots) == 8
    short = len(dots)
    assert (f"{short} step" in fig.layout.title.subtitle.text.replace("<br>", " ")) == (short > 0)
    for trace in arrows:  # a head never longer than half its arrow: no blobs
        assert trace.marker.size[1] <= 2.6 * NORMAL.marker_size
    scale = _arrow_scale(fig)
    assert scale in {nice_scale(scale)}  # a round factor: 1, 2 or 5 × 10^k
    for trace in arrows:
        j = int(trace.name.split()[-1]) - 1
        assert trace.line.color == unit_color(j, 8)
        start = f.weights[:, j]
        tip = start - scale * 0.5 * f.gradient[:, j]
        assert [trace.x[0], trace.y[0]] == pytest.approx(start)
        assert [trace.x[1], trace.y[1]] == pytest.approx(tip)
        assert trace.showlegend == (j in (1, 3))
        assert trace.opacity == (1.0 if j in (1, 3) else FADED)
    longest = max(np.hypot(t.x[1] - t.x[0], t.y[1] - t.y[0]) for t in arrows)
    assert longest > 0.05 * np.ptp(f.weights, axis=1).max()  # visible, not a dot
    assert fig.layout.yaxis.scaleanchor == "x"  # equal units: the arrows' angles are true
    assert "w₁" in fig.layout.xaxis.title.text and "w₂" in fig.layout.yaxis.title.text
    assert "8 units, 8 different arrows" in fig.layout.title.subtitle.text.replace("<br>", " ")
    assert fig.data[0].mode == "markers" and len(fig.data[0].x) == 8  # where each unit is now


def test_identical_units_share_one_arrow():
    fig = step_figure(factors([2, 5, 1], symmetry="identical"), [0, 1], 0.5)
    assert "All 5 units: one point, one arrow." in fig.layout.title.subtitle.text


def test_a_zero_gradient_has_no_arrows_and_says_so():
    f = factors([2, 4, 1], symmetry="identical")
    zero = layer_factors([(np.zeros((2, 4)), np.zeros(4)), (np.zeros((4, 1)), np.zeros(1))],
                         f.inputs, np.arange(f.n_samples) % 2, "tanh")
    fig = step_figure(zero, [0, 1], 0.5)
    assert "Every gradient is exactly 0" in fig.layout.title.subtitle.text


def test_more_than_two_inputs_get_step_lengths_per_unit():
    f = factors([5, 6, 1])
    fig = step_figure(f, [0, 2], 0.1, PROJECTOR)
    (trace,) = fig.data
    assert list(trace.x) == [str(j + 1) for j in range(6)]
    assert trace.y == pytest.approx(0.1 * np.linalg.norm(f.gradient, axis=0))
    assert list(trace.marker.color) == [unit_color(j, 6) for j in range(6)]
    assert list(trace.marker.opacity) == [1.0, FADED, 1.0, FADED, FADED, FADED]
    assert "this layer has 5" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis.title.text and fig.layout.xaxis.title.text == "unit"
    assert fig.layout.font.size == PROJECTOR.font_size


def test_a_deeper_layer_with_two_inputs_names_its_inputs():
    layers = network_factors(network([3, 2, 4, 1]), np.ones((5, 3)), np.arange(5) % 2, "tanh")
    fig = step_figure(layers[1], [0, 1], 0.5)
    assert fig.layout.xaxis.title.text == "w₁ (from layer 1, unit 1)"


# --- no hidden layer, helpers ---------------------------------------------------------------------------

def test_output_gradient_figure_uses_neutral_colours():
    fig = output_gradient_figure(np.array([[0.1, -0.2, 0.3], [0.0, 0.2, -0.1]]), np.array([0.5, 0.0, -0.5]))
    assert len(fig.data) == 3
    assert [t.marker.color for t in fig.data] == list(RUN_COLORS[:3])
    assert list(fig.data[0].x) == ["∂L/∂w₁", "∂L/∂w₂", "∂L/∂b"]
    assert "no hidden units to compare" in fig.layout.title.text


def test_nice_scale_and_subscripts():
    assert [nice_scale(v) for v in (7.3, 20.0, 0.034, 1.0, 0.0)] == [5.0, 20.0, 0.02, 1.0, 1.0]
    assert subscript(17) == "₁₇"


def test_percent_never_rounds_a_real_difference_to_zero():
    assert [percent(v) for v in (0.0, 0.891, 1.0, 0.004, 2.1e-8)] == ["0%", "89%", "100%", "0.4%", "2.1e-06%"]


def test_a_step_too_short_to_draw_is_a_dot_with_a_note():
    f = factors([2, 8, 1])
    data, penalty = np.array(f.data_gradient), np.array(f.penalty_gradient)
    data[:, 0] *= 1e-6  # unit 1 barely moves: its arrow would be all head
    penalty[:, 0] *= 1e-6
    f = dataclasses.replace(f, data_gradient=data, penalty_gradient=penalty)
    assert np.linalg.norm(f.gradient[:, 0]) < 1e-4 * np.linalg.norm(f.gradient[:, 1])
    fig = step_figure(f, [0, 1], learning_rate=0.5)
    dots = [t for t in fig.data[1:] if t.mode == "markers"]
    assert "unit 1" in [t.name for t in dots]
    assert "too short to draw at this scale: dot only" in fig.layout.title.subtitle.text.replace("<br>", " ")
