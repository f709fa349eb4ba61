"""Is the tie backprop's fault? Finite differences agree with backprop, copies get bit-equal entries from
both, all-at-once steps keep copies exact and one-unit-at-a-time steps separate them; caps are applied and
said; every sentence matches its numbers."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.initializers import apply_symmetry, init_params
from core.train import train
from lessons.why_updates_differ.backprop_check import (
    MAX_FD_PARAMETERS,
    agreement_digits,
    check_gradients,
    compare_update_orders,
    identical_start,
    relative_error,
)
from lessons.why_updates_differ.backprop_figures import gradient_table_html
from lessons.why_updates_differ.backprop_text import (
    agreement_text,
    copies_text,
    gap_table,
    gradient_table,
    limits_caption,
    orders_text,
    parameter_labels,
)


def _data(n: int = 60, d: int = 3, classes: int = 2, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, classes, size=n)
    return X, y


def _params(sizes, seed=1, scale=0.8):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, scale, (a, b)), rng.normal(0, 0.3, b)) for a, b in pairwise(sizes)]


SETTINGS = [  # (hidden widths, activation, l2, l1, classes)
    ((3,), "tanh", 0.0, 0.0, 2),
    ((5,), "relu", 0.1, 0.0, 2),
    ((7,), "sigmoid", 0.0, 0.05, 3),
    ((5, 3), "tanh", 0.2, 0.0, 2),
    ((3, 7), "sigmoid", 0.0, 0.0, 3),
]


@pytest.mark.parametrize("hidden, activation, l2, l1, classes", SETTINGS)
def test_finite_differences_agree_with_backprop(hidden, activation, l2, l1, classes):
    X, y = _data(classes=classes)
    params = _params([3, *hidden, 1 if classes == 2 else classes])
    for layer in range(len(hidden)):
        check = check_gradients(params, X, y, activation, layer, [0, 1], l2, l1)
        assert not check.capped and check.kinks == 0
        assert check.digits >= 6, check.max_relative_error


def test_regression_passes_its_task_on():
    X, _ = _data()
    y = X @ np.array([1.0, -2.0, 0.5])
    check = check_gradients(_params([3, 4, 1]), X, y, "tanh", 0, [0, 2], l2=0.1, task="regression")
    assert check.digits >= 6


@pytest.mark.parametrize("hidden, activation, l2, l1, classes", SETTINGS)
def test_copies_get_bitwise_equal_finite_differences(hidden, activation, l2, l1, classes):
    X, y = _data(classes=classes)
    params = apply_symmetry(_params([3, *hidden, 1 if classes == 2 else classes]), "identical")
    for layer in range(len(hidden)):
        for units in ([0, 1], [1, hidden[layer] - 1]):
            check = check_gradients(params, X, y, activation, layer, units, l2, l1)
            assert check.copies
            assert np.array_equal(check.finite_difference[0], check.finite_difference[1])  # ==, not ≈
            assert check.fd_copy_difference == 0.0
            assert "equal number for number" in copies_text(check)


def test_units_that_are_not_copies_are_not_called_copies():
    X, y = _data()
    check = check_gradients(_params([3, 5, 1]), X, y, "tanh", 0, [0, 3])
    assert not check.copies and check.fd_copy_difference > 0
    text = copies_text(check)
    assert "**not copies**" in text and "equal number" not in text


def test_a_relu_kink_is_measured_and_explained():
    """An identical ReLU start: a row that switches one copy off switches all of them off, so layer 2
    sees exactly 0 — the loss has no derivative there and the two methods honestly disagree."""
    config = RunConfig(hidden=(5, 5), activation="relu", l2=0.1, symmetry="identical", perturbation=0.0)
    data = load_dataset(config)
    params = identical_start(config)
    check = check_gradients(params, data.X_train, data.y_train, "relu", 1, [0, 1], 0.1)
    assert check.kinks > 0 and check.fd_copy_difference == 0.0
    if check.digits < 6:
        assert "kink" in agreement_text(check)


def test_the_cap_is_applied_and_said():
    X, y = _data(n=250, d=40, classes=3)
    params = _params([40, 9, 3])
    n_parameters = 40 * 9 + 9 + 9 * 3 + 3
    assert n_parameters > MAX_FD_PARAMETERS
    check = check_gradients(params, X, y, "tanh", 0, [2, 5])
    assert check.capped and check.n_checked == 2 * (40 + 1 + 3) and check.n_parameters == n_parameters
    assert check.rows_capped and check.n_rows == 200 and check.n_rows_total == 250
    assert check.digits >= 6
    order = compare_update_orders(apply_symmetry(params, "identical"), X, y, "tanh", 0, 0.5)
    caption = limits_caption(check, order)
    assert f"{check.n_checked} of the network's {n_parameters} parameters" in caption
    assert "first 200 of the 250 training rows" in caption
    small = check_gradients(_params([3, 4, 1]), *_data(), "tanh", 0, [0, 1])
    assert "capped" not in limits_caption(small, order) and "rows" not in limits_caption(small, order)


@pytest.mark.parametrize("width", [3, 5, 7, 6])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_all_at_once_keeps_copies_one_unit_at_a_time_separates(width, activation):
    X, y = _data(n=80, classes=2, seed=width)
    start = apply_symmetry(_params([3, width, 1], seed=width), "identical")
    order = compare_update_orders(start, X, y, activation, 0, 0.5)
    assert order.n_steps == 5 and order.start_gap == 0.0
    assert (order.simultaneous == 0.0).all()  # exactly, every step
    assert order.sequential[-1] > 0
    text = orders_text(order)
    assert "when** the updates are applied" in text and "gap **0.0** after every step" in text
    table = gap_table(order)
    assert set(table["all at once"]) == {"0.0"}


def test_two_hidden_layers_one_unit_at_a_time_in_either_layer():
    X, y = _data(n=80, classes=3)
    start = apply_symmetry(_params([3, 5, 3, 3]), "identical")
    for layer in (0, 1):
        order = compare_update_orders(start, X, y, "tanh", layer, 0.5, l2=0.1)
        assert (order.simultaneous == 0.0).all() and order.sequential[-1] > 0


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_zero_start_has_no_hidden_gradient_to_apply_in_any_order(activation):
    """All-zero weights with tanh or ReLU: hidden outputs 0 (and σ'(0) = 0 for ReLU, outgoing weights 0
    for tanh) make every gradient of the hidden units zero, so neither order moves them."""
    X, y = _data(n=80)
    start = init_params(RunConfig(initializer="zeros", hidden=(5,), activation=activation), 0, [3, 5, 1])
    order = compare_update_orders(start, X, y, activation, 0, 0.5)
    assert order.hidden_gradient_zero
    assert (order.simultaneous == 0.0).all() and (order.sequential == 0.0).all()
    text = orders_text(order)
    assert "exactly zero" in text and "separates" not in text


def test_the_identical_start_is_the_trainers():
    config = RunConfig(epochs=1)
    history = train(config.replace(symmetry="identical", perturbation=0.0))
    for (W, b), (W0, b0) in zip(identical_start(config), history.params_at(0), strict=True):
        assert np.array_equal(W, W0) and np.array_equal(b, b0)


def test_default_and_digits_settings_are_fast_and_bounded():
    import time

    for config in (RunConfig(), RunConfig(dataset="digits")):
        data = load_dataset(config)
        history_params = identical_start(config)
        t = time.perf_counter()
        check = check_gradients(history_params, data.X_train, data.y_train, config.activation, 0, [0, 1],
                                config.l2, config.l1, task=data.task)
        compare_update_orders(history_params, data.X_train, data.y_train, config.activation, 0,
                              config.learning_rate, task=data.task)
        elapsed = time.perf_counter() - t
        assert check.n_checked <= MAX_FD_PARAMETERS and check.n_rows <= 200
        assert elapsed < 3.0  # generous for CI; ~0.02 s (moons) and ~0.2 s (digits) locally
        assert check.copies and check.fd_copy_difference == 0.0 and check.digits >= 6


def test_digits_of_agreement():
    assert agreement_digits(0.0) == 16 and agreement_digits(3e-10) == 9
    assert agreement_digits(float("inf")) == 0
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.array([1.0, 2.0 + 2e-9]), np.array([1.0, 2.0])) == pytest.approx(1e-9)


def test_tables_name_every_parameter_and_colour_each_unit():
    X, y = _data(classes=3)
    params = _params([3, 4, 3])
    check = check_gradients(params, X, y, "tanh", 0, [1, 3])
    labels = parameter_labels(check, ["a", "b", "c"], ["r", "s", "t"])
    assert labels == ["weight from a", "weight from b", "weight from c", "bias",
                      "weight to r", "weight to s", "weight to t"]
    table = gradient_table(check, labels)
    assert list(table) == ["parameter", "unit 2: backprop", "unit 2: finite diff.", "unit 4: backprop",
                           "unit 4: finite diff.", "2 − 4 (finite diff.)"]
    assert all(len(column) == 7 for column in table.values())
    html = gradient_table_html(table, check.units, 4)
    from figures.style import unit_color

    assert unit_color(1, 4).lower() in html.lower() and unit_color(3, 4).lower() in html.lower()
