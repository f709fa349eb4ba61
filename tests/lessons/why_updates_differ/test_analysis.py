"""The gradient of a hidden layer, factor by factor: a hand-worked case, the factors multiplying back to
core.network's gradient, bit-identical columns for identical units, and which factor makes a difference."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest

from core.initializers import apply_symmetry
from core.network import forward_logits, loss_and_gradients
from lessons.why_updates_differ.analysis import (
    FACTORS,
    ROUND_OFF,
    columnwise_product,
    compare_units,
    layer_summaries,
    most_telling,
    network_factors,
    relative_difference,
    sample_breakdown,
)
from tests.lessons.why_updates_differ.factors import layer_factors


def _sigmoid(t: float) -> float:
    return 1.0 / (1.0 + math.exp(-t))


def random_network(sizes, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, scale, (a, b)), rng.normal(0.0, 0.5 * scale, b)) for a, b in pairwise(sizes)]


def random_data(n, n_features, n_classes, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, n_features)), np.arange(n) % n_classes


# --- a case worked out by hand --------------------------------------------------------------------------

# Two samples, two inputs, two ReLU units, one logistic output:
#   x₁ = (1, 2), y₁ = 1;  x₂ = (−1, 0), y₂ = 0
#   W = [[0.5, −1], [0.25, 1]], b = (0, 0.5), v = (2, −1), c = 0
HAND_X = np.array([[1.0, 2.0], [-1.0, 0.0]])
HAND_Y = np.array([1, 0])
HAND_PARAMS = [(np.array([[0.5, -1.0], [0.25, 1.0]]), np.array([0.0, 0.5])),
               (np.array([[2.0], [-1.0]]), np.array([0.0]))]


def test_a_hand_computed_case():
    f = layer_factors(HAND_PARAMS, HAND_X, HAND_Y, "relu", 0, l2=0.1)
    # z = xW + b: sample 1 → (0.5 + 0.5, −1 + 2 + 0.5) = (1, 1.5); sample 2 → (−0.5, 1 + 0.5) = (−0.5, 1.5)
    assert f.pre_activation.tolist() == [[1.0, 1.5], [-0.5, 1.5]]
    assert f.output.tolist() == [[1.0, 1.5], [0.0, 1.5]]
    assert f.slope.tolist() == [[1.0, 1.0], [0.0, 1.0]]
    # logits: 2·1 − 1.5 = 0.5 and 2·0 − 1.5 = −1.5; δ = p − y
    d1, d2 = _sigmoid(0.5) - 1.0, _sigmoid(-1.5) - 0.0
    assert f.delta_above[:, 0] == pytest.approx([d1, d2], abs=1e-15)
    # signal s = v·δ, unit 1 has v = 2, unit 2 has v = −1
    assert f.signal == pytest.approx(np.array([[2 * d1, -d1], [2 * d2, -d2]]), abs=1e-15)
    # product δ_j = s·σ': the ReLU slope of unit 1 is 0 for sample 2
    assert f.delta == pytest.approx(np.array([[2 * d1, -d1], [0.0, -d2]]), abs=1e-15)
    # ∂L/∂w_pj = (1/2) Σ_n δ_nj x_np
    expected_data = np.array([[(2 * d1 * 1) / 2, (-d1 * 1 + -d2 * -1) / 2],
                              [(2 * d1 * 2) / 2, (-d1 * 2 + -d2 * 0) / 2]])
    assert f.data_gradient == pytest.approx(expected_data, abs=1e-15)
    assert f.bias_gradient == pytest.approx([(2 * d1) / 2, (-d1 - d2) / 2], abs=1e-15)
    # L2 part (α/n)·W with α = 0.1, n = 2
    assert f.penalty_gradient == pytest.approx(0.05 * HAND_PARAMS[0][0], abs=1e-15)
    assert f.gradient == pytest.approx(expected_data + 0.05 * HAND_PARAMS[0][0], abs=1e-15)
    assert f.mean_slope.tolist() == [0.5, 1.0]
    assert f.single_output_weight and f.above_is_output


def test_hand_case_one_sample_breakdown():
    s = sample_breakdown(layer_factors(HAND_PARAMS, HAND_X, HAND_Y, "relu"), 1, [1, 0])
    d2 = _sigmoid(-1.5)
    assert s.units == (1, 0)
    assert s.inputs.tolist() == [-1.0, 0.0]
    assert s.pre_activation.tolist() == [1.5, -0.5]
    assert s.slope.tolist() == [1.0, 0.0]
    assert s.outgoing[:, 0].tolist() == [-1.0, 2.0]
    assert s.delta == pytest.approx([-d2, 0.0], abs=1e-15)
    assert s.contribution == pytest.approx(np.array([[d2 / 2, 0.0], [0.0, 0.0]]), abs=1e-15)
    assert s.bias_contribution == pytest.approx([-d2 / 2, 0.0], abs=1e-15)


def test_hand_case_l1_adds_the_sign_of_each_weight():
    f = layer_factors(HAND_PARAMS, HAND_X, HAND_Y, "relu", 0, l1=0.4)
    assert f.penalty_gradient.tolist() == (0.2 * np.sign(HAND_PARAMS[0][0])).tolist()


# --- the factors multiply back to core.network's gradient -----------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("hidden", [(5,), (4, 6), (3, 5, 4)], ids=["1-layer", "2-layers", "3-layers"])
@pytest.mark.parametrize("l2, l1", [(0.0, 0.0), (0.3, 0.0), (0.2, 0.1)], ids=["plain", "l2", "l2+l1"])
def test_factors_multiply_back_to_the_network_gradient(activation, n_classes, hidden, l2, l1):
    X, y = random_data(37, 3, n_classes)
    n_outputs = 1 if n_classes == 2 else n_classes
    params = random_network([3, *hidden, n_outputs], seed=len(hidden) + n_classes)
    _, grads = loss_and_gradients(params, X, y, activation, l2, l1)
    layers = network_factors(params, X, y, activation, l2, l1)
    assert len(layers) == len(hidden)
    for f in layers:
        G, B = grads[f.layer]
        assert np.max(np.abs(f.gradient - G)) <= 1e-12 * np.max(np.abs(G))
        assert np.max(np.abs(f.bias_gradient - B)) <= 1e-12 * np.max(np.abs(B))
        # and the factors compose exactly as the formula says
        assert np.array_equal(f.delta, f.signal * f.slope)
        assert f.signal == pytest.approx(f.delta_above @ f.outgoing.T, rel=1e-13, abs=1e-15)
        assert f.data_gradient == pytest.approx(f.inputs.T @ f.delta / len(y), rel=1e-12, abs=1e-15)
        assert np.array_equal(f.gradient, f.data_gradient + f.penalty_gradient)


def test_forward_pass_matches_the_network():
    X, y = random_data(50, 4, 3)
    params = random_network([4, 6, 5, 3])
    hidden, _ = forward_logits(params, X, "tanh")
    for f, h in zip(network_factors(params, X, y, "tanh"), hidden):
        assert f.output == pytest.approx(h, rel=1e-13, abs=1e-15)
    assert np.array_equal(network_factors(params, X, y, "tanh")[1].inputs,
                          network_factors(params, X, y, "tanh")[0].output)


def test_each_sample_contributes_its_term():
    X, y = random_data(23, 2, 2)
    f = layer_factors(random_network([2, 4, 1]), X, y, "sigmoid")
    summed = sum(sample_breakdown(f, n, [0, 1, 2, 3]).contribution for n in range(len(y))).T
    assert summed == pytest.approx(f.data_gradient, rel=1e-12, abs=1e-16)
    bias = sum(sample_breakdown(f, n, [2]).bias_contribution for n in range(len(y)))
    assert bias == pytest.approx(f.bias_gradient[[2]], rel=1e-12)


# --- identical units are equal number for number --------------------------------------------------------

@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
@pytest.mark.parametrize("sizes", [[2, 8, 1], [64, 16, 10], [13, 7, 5, 3], [4, 6, 6, 6, 1]],
                         ids=["moons-like", "digits-like", "wine-like", "3-layers"])
def test_identical_units_get_bit_identical_numbers(activation, sizes):
    X, y = random_data(300, sizes[0], max(sizes[-1], 2), seed=4)
    params = apply_symmetry(random_network(sizes, seed=5), "identical")
    for f in network_factors(params, X, y, activation, l2=0.01, l1=0.001):
        for name in ("pre_activation", "output", "slope", "signal", "delta", "data_gradient",
                     "penalty_gradient"):
            values = getattr(f, name)
            assert (values == values[:, :1]).all(), f"{name} differs between identical units"
        assert (f.bias_gradient == f.bias_gradient[0]).all()
        comparison = compare_units(f, 0, f.width - 1)
        assert comparison.gradient_gap == 0.0
        assert comparison.main is None and comparison.differing == ()
        assert all(gap.relative == 0 and gap.part_size == 0 for gap in comparison.gaps)
        assert layer_summaries([f])[0].largest_unit_gap == 0.0


def test_columnwise_product_is_a_matrix_product_with_identical_columns_kept_identical():
    rng = np.random.default_rng(7)
    for shape_a, shape_b in (((500, 64), (64, 9)), ((9, 500), (500, 64))):  # both loop orders
        A, B = rng.normal(size=shape_a), rng.normal(size=shape_b)
        B[:, 3] = B[:, 0]
        product = columnwise_product(A, B)
        assert product == pytest.approx(A @ B, rel=1e-12, abs=1e-12)
        assert np.array_equal(product[:, 3], product[:, 0])


# --- which factor makes the difference ------------------------------------------------------------------

def test_same_input_weights_differ_only_in_the_signal():
    X, y = random_data(80, 2, 2)
    f = layer_factors(apply_symmetry(random_network([2, 5, 1], seed=2), "same_fan_in"), X, y, "tanh")
    comparison = compare_units(f, 0, 3)
    assert comparison.gap("slope").relative == 0.0 and comparison.gap("slope").part_size == 0.0
    assert comparison.gap("signal").relative > 0.01
    assert comparison.main.factor is FACTORS["signal"]
    assert comparison.share(comparison.main) == 1.0
    assert [gap.factor.key for gap in comparison.differing] == ["signal"]
    v = f.outgoing[[0, 3], 0]  # with one output, the signal's difference is the difference of v
    assert comparison.gap("signal").relative == pytest.approx(abs(v[0] - v[1]) / np.abs(v).max(), rel=1e-12)


def test_same_output_weights_differ_only_in_the_slope():
    X, y = random_data(80, 2, 2)
    f = layer_factors(apply_symmetry(random_network([2, 5, 1], seed=2), "same_fan_out"), X, y, "tanh")
    comparison = compare_units(f, 1, 2)
    assert comparison.gap("signal").relative == 0.0 and comparison.outgoing_gap == 0.0
    assert comparison.main.factor is FACTORS["slope"]
    assert comparison.gradient_gap > 0


@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_the_parts_add_up_to_the_gradient_gap(l2):
    X, y = random_data(60, 3, 3)
    for f in network_factors(random_network([3, 6, 4, 3], seed=3), X, y, "sigmoid", l2=l2):
        comparison = compare_units(f, 0, 1)
        parts = sum(gap.part for gap in comparison.gaps) + comparison.penalty_part
        assert parts == pytest.approx(f.unit_gradient(0) - f.unit_gradient(1), rel=1e-10, abs=1e-15)
        shares = [comparison.share(gap) for gap in comparison.gaps] + [comparison.share(None)]
        assert sum(shares) == pytest.approx(1.0)
        assert (comparison.penalty_part_size > 0) == (l2 > 0)
        assert comparison.relative_gradient_gap > ROUND_OFF


def test_comparing_a_unit_that_does_not_exist_fails_clearly():
    X, y = random_data(10, 2, 2)
    f = layer_factors(random_network([2, 3, 1]), X, y, "tanh")
    with pytest.raises(IndexError, match="unit 3"):
        compare_units(f, 0, 3)
    with pytest.raises(IndexError, match="sample 10"):
        sample_breakdown(f, 10, [0])
    with pytest.raises(IndexError, match="hidden layer 1"):
        layer_factors(random_network([2, 3, 1]), X, y, "tanh", 1)


def test_a_network_without_hidden_layers_has_no_factors():
    X, y = random_data(10, 2, 2)
    assert network_factors(random_network([2, 1]), X, y, "tanh") == ()


def test_a_diverged_network_gives_numbers_not_warnings():
    # pyproject turns RuntimeWarnings raised in core into errors, so overflow must be silenced here.
    X, y = random_data(20, 2, 2)
    params = random_network([2, 4, 1], scale=1e200)
    f = layer_factors(params, X, y, "linear")
    assert not np.isfinite(f.gradient).all()
    comparison = compare_units(f, 0, 1)
    assert not comparison.finite
    layer_summaries([f])


# --- small helpers --------------------------------------------------------------------------------------

def test_relative_difference():
    assert relative_difference([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_difference([0.0], [0.0]) == 0.0
    assert relative_difference([1.0], [-1.0]) == 2.0
    assert relative_difference([3.0, 4.0], [0.0, 0.0]) == 1.0


def test_most_telling_prefers_where_units_differ_and_keeps_order():
    columns = np.array([[5.0, 1.0, 0.2, 9.0, 0.0],
                        [5.0, 2.0, 0.2, 9.0, 3.0]])
    assert most_telling(columns, 2).tolist() == [1, 4]  # the two entries that differ, in order
    assert most_telling(columns, 3).tolist() == [1, 3, 4]  # then the largest equal one
    assert most_telling(columns, 10).tolist() == [0, 1, 2, 3, 4]


def test_layer_summaries_count_the_slope_factors():
    X, y = random_data(40, 3, 2)
    summaries = layer_summaries(network_factors(random_network([3, 4, 5, 2, 1]), X, y, "tanh"))
    assert [s.slope_factors for s in summaries] == [3, 2, 1]
    assert [s.width for s in summaries] == [4, 5, 2]
    assert [s.fan_in for s in summaries] == [3, 4, 5]
    assert all(0 < s.mean_slope <= 1 and s.largest_unit_gap > 0 for s in summaries)
    single = layer_summaries(network_factors(random_network([3, 1, 1]), X, y, "tanh"))
    assert single[0].largest_unit_gap == 0.0
