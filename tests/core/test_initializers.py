"""Initializers reproduce the library formulas; symmetry modes tie exactly what they promise to tie."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from sklearn.neural_network import MLPClassifier
from sklearn.utils import check_random_state

from core.config import INITIALIZER_NAMES, SYMMETRY_NAMES, RunConfig
from core.initializers import (
    GAINS,
    INITIALIZERS,
    SYMMETRY_MODES,
    apply_symmetry,
    init_params,
    layer_gain,
)

N = 256  # 256 × 256 = 65 536 draws: sample std within ~1 %, uniform maxima reach the bound


def draw(name, fan_in=N, fan_out=N, seed=0, **kwargs):
    return INITIALIZERS[name](fan_in, fan_out, np.random.default_rng(seed), **kwargs)


def assert_uniform(values, bound):
    """All inside ±bound, both ends nearly reached, and the std of U(±a), a/√3."""
    assert np.abs(values).max() <= bound
    assert values.max() > 0.99 * bound and values.min() < -0.99 * bound
    assert values.std() == pytest.approx(bound / math.sqrt(3), rel=0.03)


def assert_normal(values, std):
    assert abs(values.mean()) < 0.02 * std
    assert values.std() == pytest.approx(std, rel=0.02)
    assert np.abs(values).max() > 3.5 * std  # not truncated at 2 std


def test_registry_names_match_config():
    assert tuple(INITIALIZERS) == INITIALIZER_NAMES
    assert tuple(SYMMETRY_MODES) == SYMMETRY_NAMES
    for function in INITIALIZERS.values():
        assert function.__doc__ and len(function.__doc__) > 30


def test_gains_are_pytorch_calculate_gain():
    expected = {"relu": math.sqrt(2), "tanh": 5 / 3, "sigmoid": 1.0, "linear": 1.0}
    assert expected == GAINS


@pytest.mark.parametrize("name", INITIALIZER_NAMES)
def test_shapes_and_dtypes(name):
    W, b = draw(name, 5, 3)
    assert W.shape == (5, 3) and b.shape == (3,)
    assert W.dtype == np.float64 and b.dtype == np.float64


@pytest.mark.parametrize("gain", [1.0, 5 / 3])
def test_glorot(gain):
    std = gain * math.sqrt(2 / (N + 64))
    W, b = draw("glorot_uniform", N, 64, gain=gain)
    assert_uniform(W, math.sqrt(3) * std)
    assert np.all(b == 0)
    W, b = draw("glorot_normal", N, 64, gain=gain)
    assert_normal(W, std)
    assert np.all(b == 0)


def test_glorot_uniform_equals_keras_bound():
    W, _ = draw("glorot_uniform", 30, 50)
    assert np.abs(W).max() <= math.sqrt(6 / 80)


@pytest.mark.parametrize("gain", [1.0, math.sqrt(2)])
def test_he(gain):
    std = gain / math.sqrt(N)
    W, b = draw("he_uniform", gain=gain)
    assert_uniform(W, math.sqrt(3) * std)
    assert np.all(b == 0)
    W, b = draw("he_normal", gain=gain)
    assert_normal(W, std)
    assert np.all(b == 0)


def test_lecun_normal_ignores_gain():
    W, b = draw("lecun_normal", gain=math.sqrt(2))
    assert_normal(W, 1 / math.sqrt(N))
    assert np.all(b == 0)


@pytest.mark.parametrize(("fan_in", "fan_out"), [(N, 16), (16, N), (32, 32), (1, 8), (8, 1)])
@pytest.mark.parametrize("gain", [1.0, 2.0])
def test_orthogonal(fan_in, fan_out, gain):
    W, b = draw("orthogonal", fan_in, fan_out, gain=gain)
    assert W.shape == (fan_in, fan_out) and np.all(b == 0)
    gram = W.T @ W if fan_in >= fan_out else W @ W.T
    np.testing.assert_allclose(gram, gain**2 * np.eye(min(fan_in, fan_out)), atol=1e-10)


def test_orthogonal_is_not_biased_by_qr_signs():
    # Without the sign fix, numpy's QR returns a first column whose first entry has a fixed sign.
    first_entries = [draw("orthogonal", 8, 8, seed=seed)[0][0, 0] for seed in range(200)]
    assert 60 < sum(value > 0 for value in first_entries) < 140


def test_torch_default_weights_and_bias_uniform_1_over_sqrt_fan_in():
    bound = 1 / math.sqrt(N)
    W, _ = draw("torch_default")
    assert_uniform(W, bound)
    biases = np.concatenate([draw("torch_default", N, N, seed=seed)[1] for seed in range(40)])
    assert_uniform(biases, bound)


@pytest.mark.parametrize(("activation", "factor"), [("relu", 6), ("tanh", 6), ("linear", 6), ("sigmoid", 2)])
def test_sklearn_default_bound_matches_scikit_learn(activation, factor):
    fan_in, fan_out = N, 64
    bound = math.sqrt(factor / (fan_in + fan_out))
    W, b = draw("sklearn_default", fan_in, fan_out, activation=activation)
    assert_uniform(W, bound)
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.8 * bound  # random bias, same bound

    sk_activation = {"sigmoid": "logistic", "linear": "identity"}.get(activation, activation)
    model = MLPClassifier(activation=sk_activation, random_state=0)
    model._random_state = check_random_state(0)
    sk_W, sk_b = model._init_coef(fan_in, fan_out, np.float64)
    assert np.abs(sk_W).max() <= bound and np.abs(sk_W).max() > 0.99 * bound
    assert np.abs(W).max() == pytest.approx(np.abs(sk_W).max(), rel=0.01)
    assert sk_W.std() == pytest.approx(W.std(), rel=0.03)
    assert np.abs(sk_b).max() <= bound


def test_sklearn_default_uses_factor_2_on_the_output_layer_too():
    # scikit-learn tests its hidden activation for every layer, including the logits layer.
    params = init_params(RunConfig(initializer="sklearn_default", activation="sigmoid", hidden=(64,)), 0,
                         layer_sizes=[N, 64, 64])
    bounds = [math.sqrt(2 / (N + 64)), math.sqrt(2 / (64 + 64))]
    for (W, b), bound in zip(params, bounds, strict=True):
        assert bound / 1.01 < np.abs(W).max() <= bound
        assert np.abs(b).max() <= bound


def test_plain_uniform_normal_constant_zeros_use_scale():
    assert_uniform(draw("uniform", scale=0.3)[0], 0.3)
    assert_normal(draw("normal", scale=0.3)[0], 0.3)
    W, b = draw("constant", 4, 3, scale=0.7)
    assert np.all(W == 0.7) and np.all(b == 0)
    W, b = draw("zeros", 4, 3, scale=0.7)
    assert np.all(W == 0) and np.all(b == 0)


# --- init_params -------------------------------------------------------------------------------------------

def test_init_params_layer_sizes_from_dataset_and_hidden():
    for dataset, hidden, sizes in [("moons", (8,), [2, 8, 1]), ("digits", (16, 8), [64, 16, 8, 10]),
                                   ("iris", (), [4, 3]), ("blobs", (1, 1, 1), [2, 1, 1, 1, 3])]:
        params = init_params(RunConfig(dataset=dataset, hidden=hidden), np.random.default_rng(0))
        assert [W.shape for W, _ in params] == list(itertools.pairwise(sizes))
        assert [b.shape for _, b in params] == [(n,) for n in sizes[1:]]
        assert all(W.dtype == np.float64 and b.dtype == np.float64 for W, b in params)


def test_init_params_is_deterministic_and_seeded():
    config = RunConfig(hidden=(8, 8), initializer="torch_default")
    a = init_params(config, np.random.default_rng(5))
    b = init_params(config, np.random.default_rng(5))
    c = init_params(config, np.random.default_rng(6))
    for (Wa, ba), (Wb, bb), (Wc, _) in zip(a, b, c, strict=True):
        np.testing.assert_array_equal(Wa, Wb)
        np.testing.assert_array_equal(ba, bb)
        assert not np.array_equal(Wa, Wc)


def test_he_gain_on_hidden_layers_only():
    assert layer_gain("he_normal", "relu", is_output=False) == math.sqrt(2)
    assert layer_gain("he_normal", "relu", is_output=True) == 1.0
    assert layer_gain("glorot_uniform", "tanh", is_output=False) == 1.0
    assert layer_gain("orthogonal", "relu", is_output=False) == 1.0
    config = RunConfig(initializer="he_normal", activation="relu", hidden=(64,))
    (W_hidden, _), (W_out, _) = init_params(config, 0, layer_sizes=[N, 64, N])
    assert W_hidden.std() == pytest.approx(math.sqrt(2) / math.sqrt(N), rel=0.03)
    assert W_out.std() == pytest.approx(1 / math.sqrt(64), rel=0.03)


def test_orthogonal_layers_in_a_network():
    params = init_params(RunConfig(initializer="orthogonal", activation="relu", hidden=(16, 32)), 0,
                         layer_sizes=[8, 16, 32, 4])
    for W, _ in params:
        gram = W.T @ W if W.shape[0] >= W.shape[1] else W @ W.T
        np.testing.assert_allclose(gram, np.eye(min(W.shape)), atol=1e-10)


@pytest.mark.parametrize("name", INITIALIZER_NAMES)
@pytest.mark.parametrize("hidden", [(), (1,), (5,), (4, 3), (3, 4, 2)])
def test_every_initializer_and_depth_works(name, hidden):
    for symmetry in SYMMETRY_NAMES:
        config = RunConfig(dataset="iris", hidden=hidden, initializer=name, symmetry=symmetry)
        params = init_params(config, np.random.default_rng(0))
        assert len(params) == len(hidden) + 1
        assert all(np.all(np.isfinite(W)) and np.all(np.isfinite(b)) for W, b in params)


def test_zeros_gives_zeros_everywhere():
    params = init_params(RunConfig(initializer="zeros", hidden=(4, 4)), 0)
    assert all(np.all(W == 0) and np.all(b == 0) for W, b in params)


# --- symmetry modes --------------------------------------------------------------------------------------

def symmetric(symmetry, hidden=(6,), **changes):
    config = RunConfig(dataset="wine", hidden=hidden, initializer="torch_default", symmetry=symmetry,
                       **changes)
    return init_params(config, np.random.default_rng(1))


def columns_equal(W):
    return np.array_equal(W, np.repeat(W[:, :1], W.shape[1], axis=1))


def rows_equal(W):
    return np.array_equal(W, np.repeat(W[:1, :], W.shape[0], axis=0))


def entries_equal(b):
    return np.array_equal(b, np.full_like(b, b[0]))


@pytest.mark.parametrize("hidden", [(6,), (6, 5), (6, 5, 4)])
def test_identical_ties_fan_in_bias_and_fan_out_exactly(hidden):
    params = symmetric("identical", hidden)
    for layer in range(len(hidden)):
        assert columns_equal(params[layer][0])
        assert entries_equal(params[layer][1])
        assert rows_equal(params[layer + 1][0])
    assert not entries_equal(params[-1][1])  # the output layer is not a hidden layer: left alone


@pytest.mark.parametrize("hidden", [(6,), (6, 5)])
def test_same_fan_in_ties_columns_and_biases_but_not_rows(hidden):
    params = symmetric("same_fan_in", hidden)
    for layer in range(len(hidden)):
        assert columns_equal(params[layer][0])
        assert entries_equal(params[layer][1])
        assert not rows_equal(params[layer + 1][0])


@pytest.mark.parametrize("hidden", [(6,), (6, 5)])
def test_same_fan_out_ties_rows_but_not_columns(hidden):
    params = symmetric("same_fan_out", hidden)
    for layer in range(len(hidden)):
        assert rows_equal(params[layer + 1][0])
        assert not columns_equal(params[layer][0])
        assert not entries_equal(params[layer][1])


def test_none_and_symmetry_keep_unit_0():
    free = symmetric("none")
    assert not columns_equal(free[0][0]) and not rows_equal(free[1][0])
    for mode in SYMMETRY_NAMES:
        tied = symmetric(mode)
        np.testing.assert_array_equal(tied[0][0][:, 0], free[0][0][:, 0])
        np.testing.assert_array_equal(tied[1][0][0], free[1][0][0])


def test_apply_symmetry_is_pure_and_handles_seed_axes():
    params = symmetric("none", hidden=(4, 3))
    before = [(W.copy(), b.copy()) for W, b in params]
    tied = apply_symmetry(params, "identical")
    for (W, b), (W0, b0) in zip(params, before, strict=True):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    assert columns_equal(tied[0][0]) and rows_equal(tied[1][0])

    stacked = [(np.stack([W, 2 * W]), np.stack([b, 2 * b])) for W, b in params]
    for seed, scale in enumerate((1, 2)):
        per_seed = apply_symmetry(stacked, "identical")
        single = apply_symmetry([(W * scale, b * scale) for W, b in params], "identical")
        for (W, b), (Ws, bs) in zip(per_seed, single, strict=True):
            np.testing.assert_array_equal(W[seed], Ws)
            np.testing.assert_array_equal(b[seed], bs)


def test_logistic_regression_has_no_hidden_units_to_tie():
    config = RunConfig(dataset="iris", hidden=(), initializer="torch_default")
    free = init_params(config, 0)
    for mode in SYMMETRY_NAMES:
        tied = init_params(config.replace(symmetry=mode), 0)
        np.testing.assert_array_equal(tied[0][0], free[0][0])


def test_perturbation_adds_noise_of_std_epsilon_on_top_of_the_same_draw():
    base = RunConfig(dataset="digits", initializer="glorot_uniform", symmetry="identical", hidden=(64,),
                     epochs=100)  # the compute budget allows fewer epochs for this size
    clean = init_params(base, 3)
    noisy = init_params(base.replace(perturbation=0.01), 3)
    pairs = list(zip(noisy, clean, strict=True))
    differences = np.concatenate([np.ravel(Wn - Wc) for (Wn, _), (Wc, _) in pairs]
                                 + [bn - bc for (_, bn), (_, bc) in pairs])
    assert differences.size == 64 * 64 + 64 + 64 * 10 + 10
    assert differences.std() == pytest.approx(0.01, rel=0.03)
    assert abs(differences.mean()) < 0.001
    for (_, bn), (_, bc) in pairs:
        assert np.all(bn != bc)  # biases are perturbed too
    assert not columns_equal(noisy[0][0])  # the tie is broken, by about ε
    spread = np.abs(noisy[0][0] - noisy[0][0][:, :1]).max()
    assert 0.01 < spread < 0.1


def test_noise_is_drawn_only_when_perturbation_is_positive():
    rng_a, rng_b = np.random.default_rng(9), np.random.default_rng(9)
    init_params(RunConfig(hidden=(4,)), rng_a)
    init_params(RunConfig(hidden=(4,)), rng_b)
    assert rng_a.random() == rng_b.random()
    init_params(RunConfig(hidden=(4,), perturbation=0.1), rng_a)
    init_params(RunConfig(hidden=(4,)), rng_b)
    assert rng_a.random() != rng_b.random()
