"""The lesson figures: outgoing weights and the training animation.

They are checked against the numbers they claim to show (the last frame is the final network, every unit's
line really is wᵀx + b = 0), against the shared conventions (one colour per unit in every trace), and
against the budget of a shared Streamlit container (the animation's JSON stays under a megabyte).
"""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import plotly.graph_objects as go
import pytest
from sklearn.decomposition import PCA

from core.config import RunConfig
from core.datasets import Dataset, load_dataset
from core.train import History, train
from figures.animation import (
    CLASS_MARKERS,
    CLASS_TINTS,
    MAX_FRAMES,
    _clip_line,
    training_animation,
    training_animation_dict,
)
from figures.charts import output_weights_figure
from figures.style import NORMAL, OKABE_ITO, PROJECTOR, unit_color

PAYLOAD_LIMIT = 1_000_000  # bytes of JSON a page may send for one animation

CASES = {
    "moons": (RunConfig(), 0),  # the default run: 400 samples, 8 units, 500 epochs
    "wide": (RunConfig(hidden=(64,)), 0),
    "circles_deep": (RunConfig(dataset="circles", hidden=(6, 5, 4), epochs=200), 0),
    "circles_layer_2": (RunConfig(dataset="circles", hidden=(6, 5, 4), epochs=200), 1),
    "iris": (RunConfig(dataset="iris", hidden=(5,), epochs=100), 0),
    "digits": (RunConfig(dataset="digits", hidden=(8,), epochs=40), 0),
    "blobs": (RunConfig(dataset="blobs", epochs=100), 0),
    "no_hidden_layer": (RunConfig(hidden=(), epochs=100), 0),
    "zero_epochs": (RunConfig(epochs=0), 0),
    "identical": (RunConfig(symmetry="identical", epochs=100), 0),
    "diverged": (RunConfig(activation="linear", initializer="he_normal", learning_rate=10.0, epochs=400,
                           hidden=(32, 32)), 0),
}


@cache
def run(case: str) -> tuple[History, Dataset]:
    config = CASES[case][0]
    return train(config), load_dataset(config)


def animation(case: str, style=NORMAL) -> go.Figure:
    return _animation(case, style)  # one cache key per (case, style), however it is called


@cache
def _animation(case: str, style) -> go.Figure:
    history, data = run(case)
    return training_animation(history, data, layer=CASES[case][1], style=style)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("style", [NORMAL, PROJECTOR], ids=["normal", "projector"])
def test_the_finished_dict_is_the_figure_to_the_byte(case, style):
    """The app sends `training_animation_dict` (frames never validated); it must be exactly the dict of
    the validated figure the other tests inspect."""
    history, data = run(case)
    assert training_animation_dict(history, data, CASES[case][1], style) == animation(case, style).to_dict()


def _epoch(frame) -> int:
    return int(frame.name.removeprefix("epoch "))


def _snapshot(history: History, frame) -> int:
    """The snapshot index a frame shows, found from the epoch in its name."""
    return int(np.flatnonzero(history.steps == _epoch(frame))[0])


def _traces(fig: go.Figure, name: str) -> list[int]:
    return [i for i, trace in enumerate(fig.data) if trace.name == name]


def _in_frame(fig: go.Figure, frame, index: int):
    """The data a frame gives trace `index`."""
    return frame.data[list(frame.traces).index(index)]


def _unit_traces(fig: go.Figure) -> list:
    return [trace for trace in fig.data if (trace.legendgroup or "").startswith("unit ")]


def _color(trace) -> str:
    return trace.line.color if "lines" in trace.mode else trace.marker.color


# --- the training animation -----------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_animation_builds_labelled_with_bounded_frames(case):
    fig = animation(case)
    history, _ = run(case)
    assert fig.layout.title.text.strip() and fig.layout.title.subtitle.text.strip()
    axes = {name: axis for name, axis in fig.layout.to_plotly_json().items() if name[1:5] == "axis"}
    assert axes
    for name, axis in axes.items():
        if "range" in axis:  # a panel's axis
            assert axis["title"]["text"].strip(), name
    frames = fig.frames
    assert 1 <= len(frames) <= MAX_FRAMES
    assert _epoch(frames[0]) == history.steps[0] == 0
    assert _epoch(frames[-1]) == history.steps[-1]
    assert [_epoch(f) for f in frames] == sorted({_epoch(f) for f in frames})  # increasing, no repeats
    json.loads(fig.to_json())


@pytest.mark.parametrize("case", ["moons", "digits", "no_hidden_layer"])
def test_projector_animation_is_bigger(case):
    normal, projector = animation(case), animation(case, PROJECTOR)
    assert projector.layout.font.size == PROJECTOR.font_size >= 18
    assert projector.layout.height > normal.layout.height
    for now in _traces(projector, "now"):
        assert projector.data[now].marker.size > normal.data[now].marker.size
    assert projector.layout.updatemenus[0].font.size == PROJECTOR.font_size


def test_frames_are_a_downsample_that_keeps_first_and_last():
    history, data = run("moons")
    for max_frames in (2, 7, 10):
        fig = training_animation(history, data, max_frames=max_frames)
        epochs = [_epoch(frame) for frame in fig.frames]
        assert len(epochs) == max_frames
        assert epochs[0] == 0 and epochs[-1] == history.steps[-1]
        assert set(epochs) <= set(history.steps.tolist())


def test_at_least_two_frames_are_asked_for():
    history, data = run("moons")
    with pytest.raises(ValueError, match="max_frames"):
        training_animation(history, data, max_frames=1)


def test_frames_carry_only_the_moving_traces():
    fig = animation("moons")
    moving = list(fig.frames[0].traces)
    assert all(list(frame.traces) == moving for frame in fig.frames)
    assert len(moving) < len(fig.data) / 2  # paths, start/end marks and data points are sent once
    for frame in fig.frames:
        assert len(frame.data) == len(moving)
        for index, data in zip(moving, frame.data):
            assert data.type == fig.data[index].type
            assert set(data.to_plotly_json()) <= {"type", "x", "y", "z"}  # only numbers, no styling


@pytest.mark.parametrize("case", ["moons", "circles_layer_2", "blobs"])
def test_nothing_that_moves_is_an_svg_scatter(case):
    # Plotly.js "transitions" SVG scatter traces, and a transition re-plots the subplots without their
    # contour layer: the decision boundary would vanish while playing. WebGL traces are redrawn instead.
    fig = animation(case)
    assert {fig.data[i].type for i in fig.frames[0].traces} <= {"scattergl", "contour", "heatmap"}


def test_the_figure_opens_on_the_first_frame():
    fig = animation("moons")
    first = fig.frames[0]
    for index, data in zip(first.traces, first.data):
        for key, values in data.to_plotly_json().items():
            if key != "type":
                np.testing.assert_array_equal(np.asarray(fig.data[index][key], float),
                                              np.asarray(values, float))


@pytest.mark.parametrize("case", ["moons", "wide", "identical", "diverged"])
def test_moving_markers_in_the_last_frame_are_the_final_weights(case):
    history, _ = run(case)
    fig = animation(case)
    (now,) = _traces(fig, "now")
    last = _in_frame(fig, fig.frames[-1], now)
    W = history.final_params()[0][0]  # (2 inputs, units)
    for i, label in enumerate(fig.data[now].text):
        j = int(label.removeprefix("unit ")) - 1
        np.testing.assert_allclose([last.x[i], last.y[i]], W[:, j], rtol=1e-6, atol=0)


@pytest.mark.parametrize("case", ["iris", "digits", "circles_layer_2"])
def test_projected_markers_end_where_the_paths_end(case):
    fig = animation(case)
    (now,) = _traces(fig, "now")
    last = _in_frame(fig, fig.frames[-1], now)
    for i, label in enumerate(fig.data[now].text):
        path = next(t for t in fig.data if t.legendgroup == label and t.mode == "lines" and len(t.x) > 1)
        np.testing.assert_allclose([last.x[i], last.y[i]], [path.x[-1], path.y[-1]], rtol=1e-6, atol=1e-7)


def test_two_d_first_layer_shows_weight_space_and_the_input_plane():
    fig = animation("moons")
    assert fig.layout.xaxis.title.text == "w₁ (weight on x₁)"
    assert fig.layout.yaxis.title.text == "w₂ (weight on x₂)"
    assert (fig.layout.xaxis2.title.text, fig.layout.yaxis2.title.text) == ("x₁", "x₂")
    for suffix in ("", "2"):  # equal units on both axes, fixed ranges
        assert fig.layout[f"yaxis{suffix}"].scaleanchor == f"x{suffix}"
        assert fig.layout[f"xaxis{suffix}"].range is not None
    contour = [trace for trace in fig.data if isinstance(trace, go.Contour)]
    assert len(contour) == 1 and contour[0].contours.start == contour[0].contours.end == 50  # P = 0.5
    assert len(_traces(fig, "now")) == 1


def test_start_and_end_marks_are_a_hollow_circle_and_an_x():
    history, _ = run("moons")
    fig = animation("moons")
    marks = [t for t in _unit_traces(fig) if t.mode == "markers" and isinstance(t.marker.symbol, tuple)]
    assert len(marks) == history.config.hidden[0]
    for trace in marks:
        j = int(trace.legendgroup.removeprefix("unit ")) - 1
        assert trace.marker.symbol[0] == "circle-open" and trace.marker.symbol[1].startswith("x")
        W = history.weights[0]
        np.testing.assert_allclose([trace.x[0], trace.y[0]], W[0, :, j], rtol=1e-6)
        np.testing.assert_allclose([trace.x[1], trace.y[1]], W[-1, :, j], rtol=1e-6)


@pytest.mark.parametrize("case", ["moons", "wide", "diverged", "blobs"])
def test_each_unit_line_is_w_x_plus_b_equals_zero_inside_the_box(case):
    history, _ = run(case)
    fig = animation(case)
    (x0, x1), (y0, y1) = fig.layout.xaxis2.range, fig.layout.yaxis2.range
    lines = {i: int(t.name.removeprefix("unit ")) - 1 for i, t in enumerate(fig.data)
             if t.xaxis == "x2" and (t.legendgroup or "").startswith("unit ")}
    assert len(lines) == history.config.hidden[0]
    drawn = 0
    for frame in fig.frames:
        s = _snapshot(history, frame)
        for index, j in lines.items():
            segment = _in_frame(fig, frame, index)
            if not segment.x:
                continue
            drawn += 1
            w, b = history.weights[0][s, :, j], history.biases[0][s, j]
            for x, y in zip(segment.x, segment.y):
                scale = abs(w[0] * x) + abs(w[1] * y) + abs(b)
                assert abs(w[0] * x + w[1] * y + b) <= 1e-5 * scale
                assert x0 - 1e-6 <= x <= x1 + 1e-6 and y0 - 1e-6 <= y <= y1 + 1e-6
            assert np.hypot(segment.x[1] - segment.x[0], segment.y[1] - segment.y[0]) > 0
    assert drawn > len(fig.frames)  # most lines cross the plot


def test_clip_line_skips_zero_weights_and_lines_that_miss_the_box():
    box = ((-1.0, 1.0), (-1.0, 1.0))
    assert _clip_line(np.array([0.0, 0.0]), 0.3, box) == ([], [])
    assert _clip_line(np.array([1.0, 0.0]), -5.0, box) == ([], [])  # x = 5, outside
    xs, ys = _clip_line(np.array([1.0, 0.0]), -0.5, box)  # x = 0.5, vertical
    assert xs == [0.5, 0.5] and sorted(ys) == [-1.0, 1.0]
    xs, ys = _clip_line(np.array([1.0, -1.0]), 0.0, box)  # the diagonal, corner to corner
    assert sorted(xs) == [-1.0, 1.0] and sorted(ys) == [-1.0, 1.0]


def test_a_zero_start_draws_no_unit_lines():
    config = RunConfig(initializer="zeros", epochs=5)  # tanh: hidden weights stay exactly 0
    fig = training_animation(train(config), load_dataset(config))
    lines = [i for i, t in enumerate(fig.data) if t.xaxis == "x2" and t in _unit_traces(fig)]
    assert lines
    for frame in fig.frames:
        assert all(not _in_frame(fig, frame, i).x for i in lines)


@pytest.mark.parametrize("case", ["iris", "digits", "circles_layer_2"])
def test_other_inputs_and_deeper_layers_get_a_fixed_pca_projection(case):
    history, data = run(case)
    layer = CASES[case][1]
    fig = animation(case)
    assert fig.layout.xaxis.title.text == "first principal direction"
    assert fig.layout.yaxis.title.text == "second principal direction"
    assert fig.layout.yaxis.scaleanchor == "x"
    W = history.weights[layer]
    vectors = W.transpose(0, 2, 1).reshape(-1, W.shape[1])
    explained = PCA(n_components=2).fit(vectors).explained_variance_ratio_.sum()
    assert f"The 2 axes show {explained:.0%} of the variance" in fig.layout.title.subtitle.text
    assert ("xaxis2" in fig.layout.to_plotly_json()) == data.is_2d
    if data.is_2d:  # a deeper layer's units are not lines in the input plane: only the boundary is drawn
        assert fig.layout.xaxis2.title.text == "x₁"
        assert not [t for t in _unit_traces(fig) if t.xaxis == "x2"]


def test_more_than_two_classes_show_the_predicted_region_map():
    _, data = run("blobs")
    fig = animation("blobs")
    (heatmap,) = [i for i, t in enumerate(fig.data) if isinstance(t, go.Heatmap)]
    last = np.asarray(_in_frame(fig, fig.frames[-1], heatmap).z, dtype=float)
    assert set(np.unique(last)) <= set(range(data.n_classes))
    assert len(np.unique(last)) == data.n_classes  # a trained net predicts all three blobs somewhere
    assert "predicted class" in fig.layout.title.subtitle.text


def test_no_hidden_layer_shows_only_the_input_plane_and_the_boundary():
    fig = animation("no_hidden_layer")
    assert not _unit_traces(fig) and not _traces(fig, "now")
    assert fig.layout.xaxis.title.text == "x₁" and "xaxis2" not in fig.layout.to_plotly_json()
    assert any(isinstance(t, go.Contour) for t in fig.data)
    assert "no hidden layer" in fig.layout.title.text


def test_no_hidden_layer_and_many_inputs_explains_itself():
    config = RunConfig(dataset="iris", hidden=(), epochs=10)
    fig = training_animation(train(config), load_dataset(config))
    assert not fig.frames
    assert "no units to follow" in fig.layout.annotations[0].text


def test_zero_epochs_is_a_single_frame_without_a_player():
    fig = animation("zero_epochs")
    assert len(fig.frames) == 1 and _epoch(fig.frames[0]) == 0
    assert not fig.layout.updatemenus and not fig.layout.sliders


def test_a_diverged_run_ends_on_its_last_finite_weights_and_says_so():
    history, _ = run("diverged")
    fig = animation("diverged")
    assert history.diverged
    assert f"diverged after epoch {history.epochs_completed}" in fig.layout.title.text
    assert _epoch(fig.frames[-1]) == history.steps[-1]


def test_play_pause_and_slider_drive_the_frames():
    fig = animation("moons")
    (menu,) = fig.layout.updatemenus
    play, pause = menu.buttons
    assert (play.label, pause.label) == ("▶ Play", "❚❚ Pause")
    assert play.method == pause.method == "animate"
    assert play.args[0] is None and play.args[1]["frame"]["redraw"] is True  # contours need a redraw
    assert play.args[1]["fromcurrent"] is True
    assert list(pause.args[0]) == [None] and pause.args[1]["mode"] == "immediate"
    assert pause.args[1]["frame"]["duration"] == 0
    (slider,) = fig.layout.sliders
    names = [frame.name for frame in fig.frames]
    assert [step.label for step in slider.steps] == names
    for step in slider.steps:  # each step jumps to its own frame, labelled by epoch
        assert list(step.args[0]) == [step.label] and step.label.startswith("epoch ")
        assert step.args[1]["frame"]["redraw"] is True


@pytest.mark.parametrize("case", ["moons", "wide", "blobs", "circles_deep", "digits"])
def test_a_unit_has_one_colour_in_every_trace(case):
    history, _ = run(case)
    width = history.config.hidden[CASES[case][1]]
    fig = animation(case)
    traces = _unit_traces(fig)
    assert {t.legendgroup for t in traces} == {f"unit {j + 1}" for j in range(width)}
    for trace in traces:
        assert _color(trace) == unit_color(int(trace.legendgroup.removeprefix("unit ")) - 1, width)
    (now,) = [fig.data[i] for i in _traces(fig, "now")]
    expected = [unit_color(int(text.removeprefix("unit ")) - 1, width) for text in now.text]
    assert list(now.marker.color) == expected


def test_unit_1_is_drawn_on_top_where_units_coincide():
    fig = animation("identical")
    (now,) = [fig.data[i] for i in _traces(fig, "now")]
    assert now.text[-1] == "unit 1"  # drawn last = on top
    paths = [t.legendgroup for t in _unit_traces(fig) if t.mode == "lines" and len(t.x) > 1]
    assert paths[-1] == "unit 1"


def test_classes_never_wear_a_unit_colour():
    unit_colours = {c.lower() for c in OKABE_ITO}
    assert not {fill.lower() for _, fill in CLASS_MARKERS} & unit_colours
    assert not {tint.lower() for tint in CLASS_TINTS} & unit_colours


@pytest.mark.parametrize("case", ["moons", "wide"])
def test_the_animation_json_stays_under_a_megabyte(case):
    size = len(animation(case).to_json())
    assert size < PAYLOAD_LIMIT, f"{case}: {size / 1e6:.2f} MB"


# --- outgoing weights -----------------------------------------------------------------------------------

def test_binary_output_draws_each_unit_outgoing_weight():
    history, _ = run("moons")
    fig = output_weights_figure(history)
    width = history.config.hidden[0]
    assert len(fig.data) == width
    for trace in fig.data:
        j = int(trace.name.removeprefix("unit ")) - 1
        np.testing.assert_array_equal(trace.y, history.weights[1][:, j, 0])
        np.testing.assert_array_equal(trace.x, history.steps)
        assert trace.line.color == unit_color(j, width)
    assert "weight to the output" in fig.layout.yaxis.title.text
    assert fig.layout.xaxis.title.text == "epoch"


@pytest.mark.parametrize("case", ["iris", "digits"])
def test_several_outputs_draw_the_length_of_each_unit_outgoing_weights(case):
    history, data = run(case)
    fig = output_weights_figure(history)
    assert "‖" in fig.layout.yaxis.title.text and f"{data.n_outputs} units" in fig.layout.yaxis.title.text
    for trace in fig.data:
        j = int(trace.name.removeprefix("unit ")) - 1
        np.testing.assert_allclose(trace.y, np.linalg.norm(history.weights[1][:, j, :], axis=1))


def test_outgoing_weights_of_any_hidden_layer():
    history, _ = run("circles_deep")
    last = output_weights_figure(history)  # default: the last hidden layer, into the output
    assert "layer 3" in last.layout.title.text and len(last.data) == 4
    assert last.layout.yaxis.title.text == output_weights_figure(history, layer=2).layout.yaxis.title.text
    first = output_weights_figure(history, layer=0)  # into hidden layer 2, whose 5 units make a norm
    assert len(first.data) == 6 and "layer 2" in first.layout.yaxis.title.text
    with pytest.raises(IndexError):
        output_weights_figure(history, layer=3)


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR], ids=["normal", "projector"])
@pytest.mark.parametrize("case", ["zero_epochs", "diverged", "no_hidden_layer"])
def test_outgoing_weights_for_every_shape_of_history(case, style):
    history, _ = run(case)
    fig = output_weights_figure(history, style=style)
    assert fig.layout.title.text.strip()
    assert style.height <= fig.layout.height < style.height + 6 * style.font_size  # + wrapped title lines
    if not history.config.hidden:
        assert fig.layout.xaxis.visible is False
        assert "No hidden layer" in fig.layout.annotations[0].text
        return
    assert fig.layout.yaxis.title.text.strip()
    if history.diverged:
        assert any("diverged" in a.text for a in fig.layout.annotations)
    if len(history.steps) == 1:
        assert all("markers" in trace.mode for trace in fig.data)
    fig.to_json()


# --- the network diagram --------------------------------------------------------------------------------
