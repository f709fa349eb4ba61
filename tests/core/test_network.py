"""The network's gradients, checked against finite differences and against scikit-learn's own MLP."""

from __future__ import annotations

import itertools
import warnings
from itertools import pairwise

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from core.network import ACTIVATIONS, forward, forward_logits, loss_and_gradients, probabilities


def random_problem(n_classes: int, hidden: tuple[int, ...], seed: int = 0, n: int = 12, d: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = np.arange(n) % n_classes
    sizes = [d, *hidden, 1 if n_classes == 2 else n_classes]
    params = [(rng.normal(size=(a, b)), rng.normal(size=b)) for a, b in pairwise(sizes)]
    return params, X, y


def numerical_gradient(params, X, y, activation, l2, l1, eps=1e-6):
    grads = []
    for W, b in params:
        layer = []
        for array in (W, b):
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                original = array[index]
                array[index] = original + eps
                plus, _ = loss_and_gradients(params, X, y, activation, l2, l1)
                array[index] = original - eps
                minus, _ = loss_and_gradients(params, X, y, activation, l2, l1)
                array[index] = original
                grad[index] = (plus - minus) / (2 * eps)
            layer.append(grad)
        grads.append(tuple(layer))
    return grads


CASES = list(itertools.product(ACTIVATIONS, (2, 3), ((4,), (4, 3)), ((0.0, 0.0), (0.3, 0.2))))


@pytest.mark.parametrize(("activation", "n_classes", "hidden", "penalties"), CASES)
def test_gradients_match_central_finite_differences(activation, n_classes, hidden, penalties):
    params, X, y = random_problem(n_classes, hidden, seed=len(hidden) + n_classes)
    if activation == "relu":  # keep pre-activations away from the kink, where the derivative jumps
        for _, b in params:
            b += 0.05 * np.sign(b)
    l2, l1 = penalties
    _, grads = loss_and_gradients(params, X, y, activation, l2, l1)
    expected = numerical_gradient(params, X, y, activation, l2, l1)
    for (gW, gb), (eW, eb) in zip(grads, expected):
        np.testing.assert_allclose(gW, eW, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(gb, eb, rtol=1e-5, atol=1e-7)


def test_loss_is_mean_log_loss_plus_sklearn_penalties():
    params, X, y = random_problem(3, (5,))
    probs = forward(params, X, "tanh")[-1]
    log_loss = -np.mean(np.log(probs[np.arange(len(y)), y]))
    l2_term = 0.5 * 0.7 * sum(np.sum(W**2) for W, _ in params) / len(y)
    l1_term = 0.2 * sum(np.sum(np.abs(W)) for W, _ in params) / len(y)
    loss, _ = loss_and_gradients(params, X, y, "tanh", l2=0.7, l1=0.2)
    assert loss == pytest.approx(log_loss + l2_term + l1_term, rel=1e-12)


def test_forward_returns_input_first_and_probabilities_last():
    params, X, _ = random_problem(2, (4, 3))
    activations = forward(params, X, "sigmoid")
    assert [a.shape for a in activations] == [(12, 3), (12, 4), (12, 3), (12, 1)]
    assert activations[0] is X
    assert np.all((activations[-1] > 0) & (activations[-1] < 1))
    probs3 = forward(random_problem(3, (4,))[0], X, "relu")[-1]
    np.testing.assert_allclose(probs3.sum(axis=1), 1.0)


def test_leading_seed_axis_gives_the_same_numbers_as_separate_networks():
    nets = [random_problem(3, (4, 2), seed=s)[0] for s in range(3)]
    _, X, y = random_problem(3, (4, 2))
    stacked = [
        (np.stack([net[i][0] for net in nets]), np.stack([net[i][1] for net in nets])) for i in range(3)
    ]
    losses, grads = loss_and_gradients(stacked, X, y, "tanh", l2=0.1, l1=0.1)
    for s, net in enumerate(nets):
        loss, single = loss_and_gradients(net, X, y, "tanh", l2=0.1, l1=0.1)
        assert losses[s] == pytest.approx(loss, rel=1e-12)
        for (gW, gb), (sW, sb) in zip(grads, single):
            np.testing.assert_allclose(gW[s], sW, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(gb[s], sb, rtol=1e-12, atol=1e-15)


def test_loss_is_finite_for_huge_logits():
    params, X, y = random_problem(2, (4,))
    params[-1] = (params[-1][0] * 1e6, params[-1][1])
    loss, grads = loss_and_gradients(params, X, y, "tanh")
    assert np.isfinite(loss) and loss > 100
    assert all(np.isfinite(g).all() for layer in grads for g in layer)


def test_dropout_masks_zero_the_dropped_units_gradients():
    params, X, y = random_problem(2, (4,))
    mask = np.ones((12, 4))
    mask[:, 1] = 0.0  # unit 1 dropped for every sample
    _, grads = loss_and_gradients(params, X, y, "tanh", masks=[mask])
    assert np.all(grads[0][0][:, 1] == 0.0) and grads[0][1][1] == 0.0
    assert grads[1][0][1, 0] == 0.0
    _, logits = forward_logits(params, X, "tanh", [mask])
    assert probabilities(logits).shape == (12, 1)


SKLEARN_NAMES = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic", "linear": "identity"}


@pytest.mark.parametrize(("activation", "n_classes"), list(itertools.product(ACTIVATIONS, (2, 3))))
def test_one_full_batch_step_matches_scikit_learn(activation, n_classes):
    rng = np.random.default_rng(7)
    n, d, width, lr, alpha = 60, 3, 5, 0.1, 0.3
    X = rng.normal(size=(n, d))
    y = rng.integers(0, n_classes, size=n)
    y[:n_classes] = np.arange(n_classes)
    mlp = MLPClassifier(
        hidden_layer_sizes=(width,), activation=SKLEARN_NAMES[activation], solver="sgd", alpha=alpha,
        batch_size=n, learning_rate_init=lr, momentum=0.0, nesterovs_momentum=False, shuffle=False,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.partial_fit(X, y, classes=np.arange(n_classes))
        params = [
            (rng.normal(size=W.shape) * 0.8, rng.normal(size=b.shape) * 0.3)
            for W, b in zip(mlp.coefs_, mlp.intercepts_)
        ]
        mlp.coefs_ = [W.copy() for W, _ in params]
        mlp.intercepts_ = [b.copy() for _, b in params]
        mlp.partial_fit(X, y)
    loss, grads = loss_and_gradients(params, X, y, activation, l2=alpha)
    assert mlp.loss_ == pytest.approx(loss, rel=1e-9)
    for (W, b), (gW, gb), W_sk, b_sk in zip(params, grads, mlp.coefs_, mlp.intercepts_):
        np.testing.assert_allclose(W - lr * gW, W_sk, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b - lr * gb, b_sk, rtol=1e-10, atol=1e-12)


def test_fast_tanh_agrees_with_numpy_everywhere():
    z = np.concatenate([np.linspace(-800, 800, 200_001), [0.0, -0.0, 1e-300, -1e-300, 19.0, 20.0, -20.0]])
    fast = ACTIVATIONS["tanh"].function(z.copy())
    np.testing.assert_allclose(fast, np.tanh(z), rtol=0, atol=4e-16)
    assert fast[-7] == 0.0 and fast[0] == -1.0 and fast[200_000] == 1.0
