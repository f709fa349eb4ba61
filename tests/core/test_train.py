"""The trainer: what History records, determinism, batching over seeds, divergence, and the symmetry
facts of docs/architecture.md checked with numbers."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.config import RunConfig
from core.recorder import MAX_SNAPSHOTS
from core.train import History, train, train_seeds, train_starts

ROOT = Path(__file__).resolve().parents[2]
SMALL = RunConfig(n_samples=200, epochs=120)


def history_digest(history: History) -> str:
    digest = hashlib.sha256()
    arrays = (history.steps, *history.weights, *history.biases, history.train_loss, history.test_loss,
              history.train_accuracy, history.test_accuracy, *history.symmetry_gap)
    for array in arrays:
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def test_history_has_the_documented_shapes():
    config = RunConfig(hidden=(5, 3), epochs=300)
    history = train(config)
    n = len(history.steps)
    assert history.steps[0] == 0 and history.steps[-1] == 300 and n <= MAX_SNAPSHOTS
    assert np.all(np.diff(history.steps) > 0)
    assert [W.shape for W in history.weights] == [(n, 2, 5), (n, 5, 3), (n, 3, 1)]
    assert [b.shape for b in history.biases] == [(n, 5), (n, 3), (n, 1)]
    for metric in (history.train_loss, history.test_loss, history.train_accuracy, history.test_accuracy):
        assert metric.shape == (301,) and np.isfinite(metric).all()
    assert [g.shape for g in history.symmetry_gap] == [(301,), (301,)]
    assert not history.diverged and history.message == ""
    final = history.final_params()
    assert len(final) == 3 and final[0][0].shape == (2, 5)
    np.testing.assert_array_equal(final[1][0], history.weights[1][-1])


def test_default_run_learns_moons():
    history = train(RunConfig())
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.test_accuracy[-1] > 0.85


def test_recorded_loss_equals_the_loss_of_the_recorded_weights():
    from core.datasets import load_dataset
    from core.network import loss_and_gradients

    history = train(SMALL)
    data = load_dataset(SMALL)
    for index, epoch in enumerate(history.steps[::20]):
        loss, _ = loss_and_gradients(history.params_at(index * 20), data.X_train, data.y_train, "tanh")
        assert history.train_loss[epoch] == pytest.approx(loss, rel=1e-12)


def test_history_is_read_only():
    history = train(SMALL)
    with pytest.raises(ValueError):
        history.weights[0][0, 0, 0] = 1.0


def test_same_config_gives_bit_identical_history():
    assert history_digest(train(SMALL)) == history_digest(train(SMALL))


def test_same_config_gives_bit_identical_history_in_another_process():
    code = (
        "from tests.core.test_train import SMALL, history_digest; from core.train import train; "
        "print(history_digest(train(SMALL)))"
    )
    other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert other.stdout.strip() == history_digest(train(SMALL))


@pytest.mark.parametrize(
    "config",
    [
        SMALL,
        SMALL.replace(optimizer="sgd", batch_size=32, epochs=30),
        SMALL.replace(optimizer="adam", learning_rate=0.01, dropout=0.3, hidden=(6, 4), epochs=30),
        SMALL.replace(dataset="iris", optimizer="momentum", learning_rate=0.05, l2=0.1, epochs=40),
    ],
    ids=["gd", "sgd", "adam-dropout-2layers", "iris-momentum-l2"],
)
def test_train_seeds_matches_train_for_every_seed(config):
    seeds = [0, 3, 7, 12]
    batched = train_seeds(config, seeds)
    for seed, history in zip(seeds, batched):
        single = train(config.replace(seed=seed))
        assert history.config == single.config
        np.testing.assert_array_equal(history.steps, single.steps)
        for a, b in zip((*history.weights, *history.biases), (*single.weights, *single.biases)):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
        np.testing.assert_allclose(history.train_loss, single.train_loss, rtol=0, atol=1e-9)
        np.testing.assert_allclose(history.test_accuracy, single.test_accuracy, rtol=0, atol=1e-9)


def test_different_seeds_start_differently_on_the_same_data():
    a, b = train_seeds(SMALL.replace(epochs=0), [0, 1])
    assert not np.allclose(a.weights[0][0], b.weights[0][0])


def test_zero_epochs_records_only_the_start():
    history = train(SMALL.replace(epochs=0))
    np.testing.assert_array_equal(history.steps, [0])
    assert history.train_loss.shape == (1,)


def test_logistic_regression_has_no_hidden_layer_and_no_gap():
    history = train(SMALL.replace(hidden=()))
    assert history.symmetry_gap == () and len(history.weights) == 1
    assert history.test_accuracy[-1] > 0.8


def test_progress_reports_increasing_fractions_up_to_one():
    seen: list[float] = []
    train(SMALL, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0) and len(seen) >= 10


def test_divergence_stops_keeps_finite_history_and_says_what_to_change():
    config = RunConfig(activation="linear", initializer="he_normal", learning_rate=10.0, epochs=400,
                       hidden=(32, 32))
    history = train(config)
    assert history.diverged
    assert "exploded" in history.message and "learning rate 10 " in history.message
    assert len(history.train_loss) < 401
    assert np.isfinite(history.train_loss).all()
    assert all(np.isfinite(W).all() for W in history.weights)
    assert history.steps[-1] == len(history.train_loss) - 1


# --- the symmetry facts -----------------------------------------------------------------------------

def unit_spread(history: History, layer: int = 0) -> float:
    return float(np.max(history.symmetry_gap[layer]))


@pytest.mark.parametrize(
    "changes",
    [
        {"optimizer": "gd"},
        {"optimizer": "sgd", "batch_size": 16, "learning_rate": 0.1},
        {"optimizer": "momentum", "batch_size": 32, "learning_rate": 0.05},
        {"optimizer": "adam", "batch_size": 32, "learning_rate": 0.01},
        {"l2": 0.5},
        {"l1": 0.5},
        {"hidden": (6, 5)},
        {"activation": "relu", "initializer": "he_normal"},
    ],
    ids=["gd", "sgd", "momentum", "adam", "l2", "l1", "two-layers", "relu"],
)
def test_identical_start_stays_identical_forever(changes):
    history = train(SMALL.replace(symmetry="identical", **changes))
    for layer, gaps in enumerate(history.symmetry_gap):
        assert np.all(gaps == 0.0), f"layer {layer} units separated by {gaps.max():.3g}"
    W = history.weights[0]
    assert np.all(W[:, :, :1] == W)


@pytest.mark.parametrize("symmetry", ["same_fan_in", "same_fan_out", "none"])
def test_partial_symmetry_breaks(symmetry):
    history = train(SMALL.replace(symmetry=symmetry))
    assert history.symmetry_gap[0][-1] > 1e-2


def test_dropout_breaks_an_identical_start():
    history = train(SMALL.replace(symmetry="identical", dropout=0.3))
    assert history.symmetry_gap[0][0] == 0.0
    assert history.symmetry_gap[0][-1] > 1e-2


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_all_zero_start_never_moves_the_weights(activation):
    history = train(SMALL.replace(initializer="zeros", activation=activation))
    for W in history.weights:
        assert np.all(W == 0.0)
    assert np.all(history.biases[0] == 0.0)
    # Balanced classes: even the output bias gets zero gradient, so the loss stays at log 2 throughout.
    assert np.all(history.train_loss == history.train_loss[0])


def test_train_starts_batches_runs_that_differ_only_in_their_start():
    configs = [SMALL.replace(symmetry=symmetry) for symmetry in ("none", "identical", "same_fan_in")]
    configs.append(SMALL.replace(symmetry="identical", perturbation=1e-6, seed=5))
    for batched, config in zip(train_starts(configs), configs):
        single = train(config)
        assert batched.config == config
        for a, b in zip(batched.weights, single.weights):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    assert train_starts(configs)[1].symmetry_gap[0].max() == 0.0  # batching keeps an exact tie exact


def test_train_starts_refuses_configs_that_differ_in_training():
    with pytest.raises(ValueError, match="differ only in"):
        train_starts([SMALL, SMALL.replace(learning_rate=0.1)])
    assert train_starts([]) == []
