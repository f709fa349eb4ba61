"""The loss landscape around a tie: its symmetry, its curvature, and that κ's sign matches the nudge's λ.

Settings measured for the sign test (gd, 200 epochs, ε = 1e-6, units 1 and 2 of layer 1):
- XOR (the scenario "A tiny nudge from identical"), tanh, width 8, η 0.5: κ ≈ −0.147, λ ≈ +0.040 (unstable);
- moons, tanh, width 8, η 0.5, L2 100: κ ≈ +0.0038, λ ≈ −0.012 (stable).
Without a penalty every random tie tried (moons, circles, blobs, xor, linear; tanh, sigmoid, relu; widths
2 and 8) had κ < 0: at a non-stationary tie the mixed term ∂²L/∂v∂w (output weight × input weight) makes
the apart curvature indefinite. A strong L2 penalty adds l2/n to every weight direction and turns it into
a valley.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.network import mean_loss, penalty
from core.train import train, train_starts
from figures.style import PROJECTOR
from lessons.identical_vs_random.analysis import nudge_family, nudge_summary
from lessons.identical_vs_random.figures import apart_line_figure, landscape_figure
from lessons.identical_vs_random.landscape import (
    GRID_POINTS,
    MIN_ROWS,
    grid_losses,
    landscape,
    predicted_rate,
    rows_within,
    tied_start,
)
from lessons.identical_vs_random.text import landscape_sentence

UNSTABLE = RunConfig(dataset="xor", symmetry="identical", perturbation=1e-6, epochs=200)
STABLE = RunConfig(hidden=(8,), l2=100.0, epochs=200)


@pytest.fixture(scope="module")
def view():
    return landscape(RunConfig(n_samples=200, hidden=(4,), epochs=10))


def nudge_rate(config: RunConfig):
    (history,) = train_starts(nudge_family(config, (1e-6,)))
    return nudge_summary(history, 0)


def test_the_grid_is_even_in_apart_and_the_tie_has_no_apart_slope(view):
    assert view.loss.shape == (GRID_POINTS, GRID_POINTS)
    np.testing.assert_allclose(view.a, -view.a[::-1], atol=1e-15)
    np.testing.assert_allclose(view.loss, view.loss[:, ::-1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(view.line, view.line[::-1], rtol=0, atol=1e-12)
    assert abs(view.apart_slope) < 1e-12
    assert view.together_slope < 0 and not view.stationary


def test_the_tie_is_the_identical_start_training_runs_from(view):
    config = RunConfig(n_samples=200, hidden=(4,), epochs=10)
    history = train(config.replace(symmetry="identical"))
    middle = GRID_POINTS // 2
    assert view.a[middle] == 0 and view.b[middle] == 0
    assert view.tie_loss == pytest.approx(float(history.train_loss[0]), abs=1e-12)
    assert view.loss[middle, middle] == pytest.approx(view.tie_loss, abs=1e-12)


def test_kappa_is_the_second_derivative_along_the_apart_direction(view):
    config = RunConfig(n_samples=200, hidden=(4,), epochs=10)
    data = load_dataset(config)
    h = 1e-3
    step = np.array([[h], [0.0], [-h]]) * view.apart_direction / math.sqrt(2)
    losses = grid_losses(tied_start(config), 0, (0, 1), step, -step, data.X_train, data.y_train, config,
                         "classification", len(data.y_train))
    second = (losses[0] + losses[2] - 2 * losses[1]) / h**2
    assert second == pytest.approx(view.curvature, rel=1e-3, abs=1e-6)
    assert view.curvature == view.curvatures[0] and np.all(np.diff(view.curvatures) >= 0)
    assert np.linalg.norm(view.apart_direction) == pytest.approx(1.0)


def test_the_penalty_is_part_of_the_loss_as_in_training():
    config = RunConfig(n_samples=200, hidden=(4,), l2=10.0, epochs=10)
    data = load_dataset(config)
    params = tied_start(config)
    expected = mean_loss(params, data.X_train, data.y_train, "tanh") + penalty(params, 10.0, 0.0,
                                                                               len(data.y_train))
    assert landscape(config).tie_loss == pytest.approx(float(expected), abs=1e-12)


def test_a_zero_start_is_stationary_and_still_gets_a_picture():
    view = landscape(RunConfig(n_samples=200, hidden=(4,), initializer="zeros", epochs=10))
    assert view.stationary and view.together_slope == 0.0
    assert view.a[-1] > 0 and np.all(np.isfinite(view.loss))


def test_big_networks_use_fewer_rows_within_the_budget():
    assert rows_within(1e9, 1681, 24, 300, 500) == 300
    assert rows_within(1e9, 1681, 8832, 1347, 500) == MIN_ROWS
    assert rows_within(1e9, 1681, 1184, 1347, 500) == 500


def test_a_ridge_where_the_nudge_grows():
    view, nudge = landscape(UNSTABLE), nudge_rate(UNSTABLE)
    assert view.shape == "ridge" and view.curvature < 0
    assert nudge.verdict == "unstable" and nudge.rate > 0
    assert predicted_rate(view, UNSTABLE) > 0
    sentence = landscape_sentence(view, nudge, 0.5, "gd", predicted_rate(view, UNSTABLE))
    assert "a **ridge**" in sentence and "That agrees" in sentence


def test_a_valley_where_the_nudge_shrinks():
    view, nudge = landscape(STABLE), nudge_rate(STABLE)
    assert view.shape == "valley" and view.curvature > 0
    assert nudge.verdict == "stable" and nudge.rate < 0
    assert predicted_rate(view, STABLE) < 0
    sentence = landscape_sentence(view, nudge, 0.5, "gd", predicted_rate(view, STABLE))
    assert "a **valley**" in sentence and "That agrees" in sentence


def test_sentences_never_contradict_the_numbers_beside_them(view):
    nudge = nudge_rate(UNSTABLE)
    valley = dataclasses.replace(view, curvature=0.2, curvatures=np.array([0.2, 9.0]))
    overshot = landscape_sentence(valley, nudge, 0.5, "gd", math.nan)
    assert "a **valley**" in overshot and "exceeds 2/κ_max = 0.222" in overshot and "(unstable)" in overshot
    assert "Adam rescales" in landscape_sentence(valley, nudge, 0.01, "adam", math.nan)
    neutral = dataclasses.replace(nudge, verdict="neutral")
    assert "barely changed" in landscape_sentence(view, neutral, 0.5, "gd", 0.01)
    unfitted = dataclasses.replace(nudge, fit=dataclasses.replace(nudge.fit, rate=math.nan))
    assert "could not be fitted" in landscape_sentence(view, unfitted, 0.5, "gd", 0.01)
    flat = dataclasses.replace(view, curvature=0.0)
    assert "flat along apart" in landscape_sentence(flat, nudge, 0.5, "gd", 0.0)


def test_the_contour_marks_the_tie_and_says_what_to_look_at(view):
    fig = landscape_figure(view, 4)
    contour, tie = fig.data
    assert np.shape(contour.z) == (GRID_POINTS, GRID_POINTS)
    np.testing.assert_allclose(contour.x, view.a)
    np.testing.assert_allclose(contour.y, view.b)
    assert contour.colorbar.title.text == "log loss"
    assert list(tie.x) == [0.0] and list(tie.y) == [0.0]
    assert fig.layout.title.text.startswith("Around the tie: a ")
    assert fig.layout.xaxis.title.text.startswith("apart")
    assert fig.layout.yaxis.title.text.startswith("together")
    line = apart_line_figure(view, 4)
    assert line.layout.yaxis.title.text == "log loss" and len(line.data) == 3
    assert line.data[1].y[GRID_POINTS // 2] == pytest.approx(view.tie_loss)


def test_projector_mode_text_is_large(view):
    for fig in (landscape_figure(view, 4, PROJECTOR), apart_line_figure(view, 4, PROJECTOR)):
        assert fig.layout.font.size >= 18 and fig.layout.title.font.size >= 18


def test_a_regression_set_gets_its_own_loss():
    view = landscape(RunConfig(dataset="plane", hidden=(4,), epochs=10))
    assert view.task == "regression" and view.loss_name == "squared error"
    np.testing.assert_allclose(view.loss, view.loss[:, ::-1], rtol=0, atol=1e-12)
    assert landscape_figure(view, 4).data[0].colorbar.title.text == "squared error"


def test_batches_of_moved_networks_stay_within_the_chunk_budget_and_give_the_same_numbers(monkeypatch):
    """The landscape evaluates hundreds of moved networks; it does so in calls small enough for a shared
    worker (digits 64-64-64 held 160 MB at once unchunked), and chunking changes no number."""
    from lessons.identical_vs_random import landscape as module

    wide = tied_start(RunConfig(dataset="digits", hidden=(64, 64, 64), epochs=1))
    weights = sum(W.size + b.size for W, b in wide)
    outputs = 256 * sum(W.shape[-1] for W, _ in wide)
    chunk = module.networks_per_call(wide, 256)
    per_network = 2 * weights + 2 * outputs
    assert chunk * per_network <= module.CHUNK_ELEMENTS < (chunk + 1) * per_network

    config = RunConfig(dataset="xor", hidden=(5,), l2=0.3)
    data = load_dataset(config)
    params = tied_start(config)
    p = len(module.unit_vector(params, 0, 0))
    rng = np.random.default_rng(3)
    delta_i, delta_j = rng.normal(size=(23, p)), rng.normal(size=(23, p))
    args = (params, 0, (0, 1), delta_i, delta_j, data.X_train, data.y_train, config, data.task,
            len(data.y_train))
    whole = module._pair_gradients_at_once(*args)
    monkeypatch.setattr(module, "CHUNK_ELEMENTS", 1)  # one network per call
    assert module.networks_per_call(params, len(data.X_train)) == 1
    chunked = module._pair_gradients(*args)
    assert all(np.array_equal(a, b) for a, b in zip(whole, chunked, strict=True))
