"""Regression beside classification: the squared loss, its gradient (finite differences, scikit-learn's
MLPRegressor) and R², and the task flowing from the dataset through training."""

from __future__ import annotations

import itertools
import warnings
from itertools import pairwise

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor

from core.config import RunConfig
from core.datasets import DATASETS, load_dataset
from core.network import ACTIVATIONS, decision_values, forward, loss_and_gradients, mean_loss
from core.tasks import TASKS, get_task, r_squared
from core.train import train, train_seeds

SKLEARN_NAMES = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic", "linear": "identity"}
REGRESSION = [name for name, spec in DATASETS.items() if spec.task == "regression"]


def regression_problem(hidden: tuple[int, ...], seed: int = 0, n: int = 12, d: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    t = rng.normal(size=n)
    sizes = [d, *hidden, 1]
    params = [(rng.normal(size=(a, b)), rng.normal(size=b)) for a, b in pairwise(sizes)]
    return params, X, t


def numerical_gradient(params, X, t, activation, l2, l1, eps=1e-6):
    grads = []
    for W, b in params:
        layer = []
        for array in (W, b):
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                original = array[index]
                array[index] = original + eps
                plus, _ = loss_and_gradients(params, X, t, activation, l2, l1, task="regression")
                array[index] = original - eps
                minus, _ = loss_and_gradients(params, X, t, activation, l2, l1, task="regression")
                array[index] = original
                grad[index] = (plus - minus) / (2 * eps)
            layer.append(grad)
        grads.append(tuple(layer))
    return grads


def test_registry_has_both_tasks_and_rejects_others():
    assert set(TASKS) == {"classification", "regression"}
    assert get_task("regression").loss_name == "squared error" and get_task("regression").score_name == "R²"
    with pytest.raises(ValueError, match="classification, regression"):
        get_task("ranking")


def test_loss_is_the_mean_of_t_minus_o_squared_plus_penalties():
    params, X, t = regression_problem((5,))
    o = forward(params, X, "tanh", task="regression")[-1][:, 0]
    l2_term = 0.5 * 0.7 * sum(np.sum(W**2) for W, _ in params) / len(t)
    l1_term = 0.2 * sum(np.sum(np.abs(W)) for W, _ in params) / len(t)
    loss, _ = loss_and_gradients(params, X, t, "tanh", l2=0.7, l1=0.2, task="regression")
    assert loss == pytest.approx(np.mean((t - o) ** 2) + l2_term + l1_term, rel=1e-12)
    assert mean_loss(params, X, t, "tanh", "regression") == pytest.approx(np.mean((t - o) ** 2), rel=1e-12)


def test_output_delta_is_minus_two_residual_over_n():
    params, X, t = regression_problem(())
    o = X @ params[0][0][:, 0] + params[0][1][0]
    _, grads = loss_and_gradients(params, X, t, "linear", task="regression")
    np.testing.assert_allclose(grads[0][1][0], np.mean(-2 * (t - o)), rtol=1e-12)
    np.testing.assert_allclose(grads[0][0][:, 0], X.T @ (-2 * (t - o)) / len(t), rtol=1e-12)


@pytest.mark.parametrize(("activation", "hidden", "penalties"), [
    (activation, hidden, penalties)
    for activation, hidden, penalties in itertools.product(
        ACTIVATIONS, [(), (5,), (3, 7)], [(0.0, 0.0), (0.4, 0.0), (0.0, 0.3)])
])
def test_regression_gradients_match_central_finite_differences(activation, hidden, penalties):
    params, X, t = regression_problem(hidden, seed=len(hidden))
    if activation == "relu":  # keep pre-activations away from the kink, where differences are one-sided
        params = [(W, b + 0.05) for W, b in params]
    _, grads = loss_and_gradients(params, X, t, activation, *penalties, task="regression")
    numeric = numerical_gradient(params, X, t, activation, *penalties)
    for (gW, gb), (nW, nb) in zip(grads, numeric, strict=True):
        np.testing.assert_allclose(gW, nW, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(gb, nb, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(("activation", "hidden"), list(itertools.product(ACTIVATIONS, [(5,), (4, 3)])))
def test_one_full_batch_step_matches_scikit_learns_regressor(activation, hidden):
    """scikit-learn's regressor minimises ½·mean (t − o)² + ½·α‖W‖²/n: half our loss when our l2 is 2α.
    So its gradient is half ours, and one of its steps with rate η is one of ours with rate η/2."""
    rng = np.random.default_rng(11)
    n, d, lr, alpha = 50, 3, 0.1, 0.3
    X = rng.normal(size=(n, d))
    t = rng.normal(size=n)
    mlp = MLPRegressor(
        hidden_layer_sizes=hidden, activation=SKLEARN_NAMES[activation], solver="sgd", alpha=alpha,
        batch_size=n, learning_rate_init=lr, momentum=0.0, nesterovs_momentum=False, shuffle=False,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.partial_fit(X, t)
        params = [(rng.normal(size=W.shape) * 0.8, rng.normal(size=b.shape) * 0.3)
                  for W, b in zip(mlp.coefs_, mlp.intercepts_)]
        mlp.coefs_ = [W.copy() for W, _ in params]
        mlp.intercepts_ = [b.copy() for _, b in params]
        mlp.partial_fit(X, t)
    loss, grads = loss_and_gradients(params, X, t, activation, l2=2 * alpha, task="regression")
    assert mlp.loss_ == pytest.approx(loss / 2, rel=1e-9)
    for (W, b), (gW, gb), W_sk, b_sk in zip(params, grads, mlp.coefs_, mlp.intercepts_, strict=True):
        np.testing.assert_allclose(W - (lr / 2) * gW, W_sk, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(b - (lr / 2) * gb, b_sk, rtol=1e-10, atol=1e-12)


def test_r_squared_matches_scikit_learn_and_broadcasts():
    rng = np.random.default_rng(3)
    t = rng.normal(size=40)
    outputs = np.stack([t + rng.normal(scale=s, size=40) for s in (0.1, 1.0, 3.0)])[..., None]
    scores = r_squared(outputs, t)
    assert scores.shape == (3,)
    for k in range(3):
        assert scores[k] == pytest.approx(r2_score(t, outputs[k, :, 0]), rel=1e-12)
    assert np.isnan(r_squared(np.zeros((5, 1)), np.ones(5)))  # no spread: R² undefined, not a crash


def test_decision_values_show_the_prediction_for_regression():
    params, X, _ = regression_problem((4,))
    values = decision_values(params, X, "tanh", task="regression")
    np.testing.assert_array_equal(values, forward(params, X, "tanh", task="regression")[-1][:, 0])
    assert values.min() < 0 or values.max() > 1  # a value, not a probability


@pytest.mark.parametrize("name", REGRESSION)
def test_training_a_regression_set_lowers_the_squared_error_and_records_r_squared(name):
    history = train(RunConfig(dataset=name, epochs=150, learning_rate=0.05))
    assert not history.diverged
    assert history.task.name == "regression"
    assert history.train_loss[-1] < 0.7 * history.train_loss[0]
    data = load_dataset(history.config)
    o = forward(history.final_params(), data.X_test, history.config.activation, task="regression")[-1][:, 0]
    assert history.test_loss[-1] == pytest.approx(np.mean((data.y_test - o) ** 2), rel=1e-9)
    assert history.test_score[-1] == pytest.approx(r2_score(data.y_test, o), rel=1e-9)
    assert np.isnan(history.test_accuracy).all()  # no classes: accuracy is not a number here


def test_a_classification_history_scores_by_accuracy():
    history = train(RunConfig(epochs=20))
    assert history.task.name == "classification"
    np.testing.assert_array_equal(history.test_accuracy, history.test_score)


def test_regression_seeds_batched_equal_separate_runs():
    config = RunConfig(dataset="gaussians", hidden=(5, 3), optimizer="adam", learning_rate=0.01,
                       batch_size=16, epochs=30)
    together = train_seeds(config, [1, 2, 3])
    for seed, history in zip([1, 2, 3], together, strict=True):
        alone = train(config.replace(seed=seed))
        np.testing.assert_allclose(history.train_loss, alone.train_loss, rtol=0, atol=1e-12)
        np.testing.assert_allclose(history.test_score, alone.test_score, rtol=0, atol=1e-12)
