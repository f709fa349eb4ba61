"""The numbers of "What each unit computes": maps are the forward pass, statistics mean what they say."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.network import forward_logits
from core.train import train
from lessons.what_units_compute.analysis import (
    MAP_VALUES,
    MAX_FRAMES,
    alikeness_at,
    alikeness_over_training,
    digit_pictures,
    frame_snapshots,
    input_grid,
    map_resolution,
    output_alikeness,
    straightness,
    unit_maps,
)

SMALL = RunConfig(n_samples=160, hidden=(5, 3), epochs=60)


@pytest.fixture(scope="module")
def run():
    return train(SMALL), load_dataset(SMALL)


def test_maps_are_the_networks_own_forward_pass_on_the_grid(run):
    history, data = run
    snapshot = len(history.steps) - 1
    xs, ys, maps = unit_maps(history, data, snapshot, 12)
    _, _, points = input_grid(data.X_all, 12)
    hidden, _ = forward_logits(history.params_at(snapshot), points, "tanh")
    assert [m.shape for m in maps] == [(5, 12, 12), (3, 12, 12)]
    for layer, layer_maps in enumerate(maps):
        for unit in range(layer_maps.shape[0]):
            np.testing.assert_array_equal(layer_maps[unit].ravel(), hidden[layer][:, unit])
    # Row r of a map is y = ys[r]; column c is x = xs[c].
    assert points[12 * 3 + 5].tolist() == [xs[5], ys[3]]


def test_the_grid_covers_the_data_with_a_margin(run):
    _, data = run
    xs, ys, points = input_grid(data.X_all, 20)
    assert xs[0] < data.X_all[:, 0].min() and xs[-1] > data.X_all[:, 0].max()
    assert ys[0] < data.X_all[:, 1].min() and ys[-1] > data.X_all[:, 1].max()
    assert points.shape == (400, 2)


@pytest.mark.parametrize(("units", "side"), [(1, 40), (8, 40), (16, 35), (64, 17), (192, 16)])
def test_resolution_keeps_all_maps_within_the_budget(units, side):
    assert map_resolution(units) == side
    assert units * side * side <= MAP_VALUES or side == 16


def test_frames_are_few_evenly_spread_and_include_both_ends(run):
    history, _ = run
    frames = frame_snapshots(history)
    assert frames[0] == 0 and frames[-1] == len(history.steps) - 1 and len(frames) <= MAX_FRAMES
    assert np.all(np.diff(frames) > 0)


def test_digit_pictures_are_the_first_layers_columns_as_8x8_images():
    config = RunConfig(dataset="digits", hidden=(6,), epochs=3)
    history = train(config)
    pictures = digit_pictures(history, 1)
    assert pictures.shape == (6, 8, 8)
    np.testing.assert_array_equal(pictures[4].ravel(), history.weights[0][1][:, 4])
    with pytest.raises(ValueError, match="64 inputs"):
        digit_pictures(train(SMALL.replace(epochs=1)), 0)


def test_identical_copies_are_one_unit_in_their_outputs():
    history = train(SMALL.replace(symmetry="identical"))
    alike = alikeness_at(history, load_dataset(SMALL), 0, len(history.steps) - 1)
    assert alike.effective_units == pytest.approx(1.0, abs=1e-12)
    assert alike.mean_abs_correlation == pytest.approx(1.0, abs=1e-12)
    assert alike.constant_units == 0


def test_uncorrelated_outputs_of_equal_variance_count_as_every_unit():
    rng = np.random.default_rng(0)
    outputs = np.linalg.qr(rng.normal(size=(200, 4)))[0]  # orthonormal columns
    outputs -= outputs.mean(axis=0)
    outputs = np.linalg.qr(outputs)[0]
    alike = output_alikeness(outputs * 3.0)
    assert alike.effective_units == pytest.approx(4.0, rel=1e-9)
    assert alike.mean_abs_correlation < 1e-9


def test_the_participation_ratio_is_the_eigenvalue_formula():
    rng = np.random.default_rng(1)
    outputs = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5))
    eigenvalues = np.linalg.eigvalsh(np.cov(outputs, rowvar=False))
    alike = output_alikeness(outputs)
    assert alike.effective_units == pytest.approx(eigenvalues.sum() ** 2 / (eigenvalues**2).sum(), rel=1e-10)
    np.testing.assert_allclose(alike.correlation, np.corrcoef(outputs, rowvar=False), atol=1e-12)


def test_constant_units_are_left_out_of_the_correlation_and_said_so():
    rng = np.random.default_rng(2)
    outputs = np.column_stack([rng.normal(size=100), np.zeros(100), rng.normal(size=100)])
    alike = output_alikeness(outputs)
    assert alike.constant_units == 1
    assert np.isnan(alike.correlation[1]).all() and np.isfinite(alike.correlation[0, 2])
    assert np.isfinite(alike.mean_abs_correlation)
    nothing = output_alikeness(np.ones((50, 3)))
    assert nothing.constant_units == 3 and np.isnan(nothing.effective_units)
    assert np.isnan(nothing.mean_abs_correlation)


def test_a_zero_start_has_constant_outputs_throughout():
    history = train(SMALL.replace(initializer="zeros", hidden=(4,)))
    over = alikeness_over_training(history, load_dataset(SMALL), 0, frame_snapshots(history))
    assert np.isnan(over.effective_units).all() and over.width == 4


def test_default_moons_outputs_become_more_correlated_yet_not_copies():
    """The learner's question, answered with the numbers the page shows on the default run."""
    history = train(RunConfig())
    over = alikeness_over_training(history, load_dataset(RunConfig()), 0, frame_snapshots(history))
    assert over.mean_abs_correlation[-1] > over.mean_abs_correlation[0]
    assert 1.05 < over.effective_units[-1] < 8


def test_layer_one_maps_are_planes_and_deeper_ones_bend(run):
    history, data = run
    first, second = straightness(history, data, len(history.steps) - 1)
    assert first == pytest.approx(1.0, abs=1e-9)
    assert second < 0.999
    linear = train(SMALL.replace(activation="linear"))
    assert all(score == pytest.approx(1.0, abs=1e-9) for score in straightness(linear, data, 5))
