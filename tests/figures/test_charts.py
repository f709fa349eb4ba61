"""Every chart builds for every shape of History the trainer produces, and keeps the shared conventions:
one colour per unit, labelled titles and axes, exact zeros of the gap drawn on the labelled floor."""

from __future__ import annotations

from functools import cache

import numpy as np
import plotly.graph_objects as go
import pytest

from core.config import RunConfig
from core.train import History, train
from figures.charts import (
    GapCurve,
    accuracy_figure,
    gap_curves_figure,
    loss_figure,
    symmetry_gap_figure,
    unit_weights_figure,
)
from figures.labels import format_gap
from figures.style import GAP_FLOOR, NORMAL, OKABE_ITO, PROJECTOR, TEST_DASH, TRAIN_DASH, unit_color

CASES = {
    "one_layer": RunConfig(epochs=60),
    "two_layers": RunConfig(hidden=(6, 4), epochs=60),
    "no_hidden_layer": RunConfig(hidden=(), epochs=60),
    "zero_epochs": RunConfig(epochs=0),
    "diverged": RunConfig(activation="linear", initializer="he_normal", learning_rate=10.0, epochs=400,
                          hidden=(32, 32)),
    "iris": RunConfig(dataset="iris", hidden=(5,), epochs=60),
    "identical": RunConfig(symmetry="identical", epochs=60),
    "wide": RunConfig(hidden=(20,), epochs=20),
}
FIGURES = {
    "loss": loss_figure,
    "accuracy": accuracy_figure,
    "gap": symmetry_gap_figure,
    "weights": unit_weights_figure,
}


@cache
def history(case: str) -> History:
    return train(CASES[case])


def _check_labelled(fig: go.Figure) -> None:
    assert fig.layout.title.text.strip()
    if fig.layout.xaxis.visible is False:  # an explanatory note instead of axes
        assert any(annotation.text.strip() for annotation in fig.layout.annotations)
        return
    assert fig.layout.xaxis.title.text.strip()
    assert fig.layout.yaxis.title.text.strip()


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR], ids=["normal", "projector"])
@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_every_figure_builds_and_is_labelled(kind, case, style):
    fig = FIGURES[kind](history(case), style=style)
    assert isinstance(fig, go.Figure)
    _check_labelled(fig)
    assert style.height <= fig.layout.height < style.height + 6 * style.font_size  # + wrapped title lines
    assert fig.layout.font.size == style.font_size
    fig.to_json()  # serialisable, as st.plotly_chart needs


def test_the_diverged_case_really_diverges():
    assert history("diverged").diverged
    assert len(history("diverged").train_loss) < CASES["diverged"].epochs + 1


def test_projector_style_is_bigger():
    assert PROJECTOR.font_size >= 18
    assert PROJECTOR.line_width > NORMAL.line_width


def test_train_solid_and_test_dashed():
    fig = loss_figure(history("one_layer"))
    dashes = {trace.name: trace.line.dash for trace in fig.data}
    assert dashes == {"train": TRAIN_DASH, "test": TEST_DASH}
    assert fig.layout.xaxis.title.text == "epoch"
    assert fig.layout.yaxis.title.text == "log loss"
    assert len(fig.data[0].y) == CASES["one_layer"].epochs + 1


def test_loss_compares_labelled_runs():
    fig = loss_figure({"random": history("one_layer"), "identical": history("identical")})
    assert [trace.name for trace in fig.data] == [
        "random · train", "random · test", "identical · train", "identical · test"]
    assert fig.data[0].line.color != fig.data[2].line.color


def test_diverged_loss_stays_on_a_readable_axis_and_marks_the_end():
    """The trainer stops a run before its loss passes 50× its start (core.divergence), so the curve that
    is drawn spans less than three decades and a linear axis shows it whole."""
    h = history("diverged")
    fig = loss_figure(h)
    assert max(max(trace.y) for trace in fig.data if trace.y is not None) < 50 * h.train_loss[0]
    assert fig.layout.yaxis.type is None and fig.layout.yaxis.title.text == "log loss"
    assert any(f"diverged after epoch {h.epochs_completed}" in a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("kind", sorted(FIGURES))
def test_zero_epochs_draws_a_visible_point(kind):
    fig = FIGURES[kind](history("zero_epochs"))
    assert all(len(trace.y) == 1 and "markers" in trace.mode for trace in fig.data if len(trace.x) == 1)
    low, high = fig.layout.xaxis.range
    assert low < 0 < high  # the point sits inside the plot, not on its edge


def test_accuracy_axis_is_fixed_from_0_to_100_percent():
    fig = accuracy_figure(history("one_layer"))
    low, high = fig.layout.yaxis.range
    assert low <= 0 and high >= 1


def test_gap_figure_draws_exact_zeros_on_the_labelled_floor():
    h = history("identical")
    assert np.all(h.symmetry_gap[0] == 0)  # the premise: an identical start stays identical
    fig = symmetry_gap_figure(h)
    assert fig.layout.yaxis.type == "log"
    floor_line, layer = fig.data
    assert floor_line.name == "exactly equal (gap = 0)"
    assert set(floor_line.y) == {GAP_FLOOR}
    assert np.all(np.asarray(layer.y) == GAP_FLOOR)
    assert np.all(np.asarray(layer.customdata) == 0)  # hover shows the real value, 0
    assert any(a.text == "exactly equal (gap = 0)" for a in fig.layout.annotations)
    assert fig.layout.yaxis.range[0] < np.log10(GAP_FLOOR)  # the floor is inside the visible range


def test_gap_figure_keeps_nonzero_gaps_and_one_line_per_layer():
    h = history("two_layers")
    fig = symmetry_gap_figure(h)
    layers = [trace for trace in fig.data if trace.name.startswith("hidden layer")]
    assert [trace.name for trace in layers] == ["hidden layer 1", "hidden layer 2"]
    for trace, gap in zip(layers, h.symmetry_gap):
        np.testing.assert_array_equal(trace.y, gap)  # no zeros here: drawn as measured
    assert len(layers) == len(fig.data)  # and so no floor line either
    assert fig.layout.title.text == "Largest difference between any two units"


def test_gap_figure_without_hidden_layer_says_so():
    h = history("no_hidden_layer")
    assert h.symmetry_gap == ()
    fig = symmetry_gap_figure(h)
    assert len(fig.data) == 0
    assert any("No hidden layer" in a.text for a in fig.layout.annotations)


def test_weights_figure_with_two_inputs_draws_w1_solid_and_w2_dashed():
    h = history("one_layer")
    fig = unit_weights_figure(h)
    width = CASES["one_layer"].hidden[0]
    assert len(fig.data) == 2 * width
    for trace in fig.data:
        np.testing.assert_array_equal(trace.x, h.steps)
    by_unit = {}
    for trace in fig.data:
        by_unit.setdefault(trace.legendgroup, []).append(trace)
    assert len(by_unit) == width
    for traces in by_unit.values():
        assert sorted(trace.line.dash for trace in traces) == ["dash", "solid"]
        assert sum(bool(trace.showlegend) for trace in traces) == 1  # one legend entry per unit
    assert "w₁" in fig.layout.yaxis.title.text and "w₂" in fig.layout.yaxis.title.text


def test_weights_figure_with_many_inputs_draws_the_norm():
    h = history("iris")
    fig = unit_weights_figure(h)
    assert len(fig.data) == CASES["iris"].hidden[0]
    assert "‖w‖" in fig.layout.yaxis.title.text
    unit_1 = next(trace for trace in fig.data if trace.name == "unit 1")
    np.testing.assert_allclose(unit_1.y, np.linalg.norm(h.weights[0][:, :, 0], axis=1))


def test_weights_figure_for_the_second_layer_and_a_missing_layer():
    fig = unit_weights_figure(history("two_layers"), layer=1)
    assert len(fig.data) == 4  # 4 units, each a norm over the 6 layer-1 inputs
    assert "layer 2" in fig.layout.title.text
    with pytest.raises(IndexError):
        unit_weights_figure(history("two_layers"), layer=2)


def test_weights_figure_without_hidden_layer_says_so():
    fig = unit_weights_figure(history("no_hidden_layer"))
    assert len(fig.data) == 0
    assert any("No hidden layer" in a.text for a in fig.layout.annotations)


def test_unit_colours_are_distinct_and_stable():
    colors = [unit_color(j, 20) for j in range(20)]
    assert len(set(colors)) == 20
    assert colors[:8] == list(OKABE_ITO)
    assert "#000000" not in colors  # black reads as an axis
    assert [unit_color(j, 8) for j in range(8)] == colors[:8]  # the first 8 never depend on the width
    assert len({unit_color(j, 64) for j in range(64)}) == 64
    with pytest.raises(IndexError):
        unit_color(8, 8)


def test_each_unit_has_one_colour_in_the_weights_figure():
    fig = unit_weights_figure(history("wide"))
    colors = {}
    for trace in fig.data:
        colors.setdefault(trace.name, set()).add(trace.line.color)
    assert len(colors) == 20
    for j in range(20):
        assert colors[f"unit {j + 1}"] == {unit_color(j, 20)}


def test_big_figures_switch_to_webgl():
    fig = unit_weights_figure(train(RunConfig(hidden=(32,), epochs=200)))
    assert all(isinstance(trace, go.Scattergl) for trace in fig.data)
    assert all(isinstance(trace, go.Scatter) for trace in unit_weights_figure(history("one_layer")).data)


@pytest.mark.parametrize(("value", "text"), [(0.0, "0.0"), (2.2e-16, "2.2e-16"), (7.1401, "7.14"),
                                             (float("inf"), "inf")])
def test_format_gap(value, text):
    assert format_gap(value) == text


def _curves(*gaps):
    return [GapCurve(f"run {i}", np.arange(len(g)), np.asarray(g, dtype=float), "#222222", "solid")
            for i, g in enumerate(gaps)]


def test_gaps_in_a_narrow_band_far_above_round_off_get_a_linear_axis_from_zero():
    # Random units, 1.59 → 7.14, beside identical copies (exactly 0): a log axis down to the 1e-17 floor
    # flattened the first into a line. Linear from 0, the zeros are drawn at 0 itself.
    fig = gap_curves_figure(_curves([1.59, 3.0, 7.14], [0.0, 0.0, 0.0]), NORMAL, "gap", "")
    assert fig.layout.yaxis.type == "linear"
    low, high = fig.layout.yaxis.range
    assert low < 0 < 1.59 and high >= 7.14
    floor_line = next(t for t in fig.data if t.name == "exactly equal (gap = 0)")
    assert set(floor_line.y) == {0.0}
    assert np.all(np.asarray(fig.data[-1].y) == 0) and np.all(np.asarray(fig.data[-1].customdata) == 0)
    assert (7.14 - 1.59) / (high - low) > 0.5  # the growth fills most of the chart


@pytest.mark.parametrize("gaps", [[1e-12, 1e-3, 2.0], [1e-9, 2e-9], [0.01, 7.0]])
def test_round_off_or_a_wide_spread_keeps_the_log_axis(gaps):
    fig = gap_curves_figure(_curves(gaps, [0.0] * len(gaps)), NORMAL, "gap", "")
    assert fig.layout.yaxis.type == "log"
