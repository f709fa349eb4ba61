"""The recorder (core.recorder): which snapshots a run keeps, the shared memory budget, named metrics."""

from __future__ import annotations

import numpy as np

from core.config import RunConfig
from core.recorder import MAX_RECORDED_VALUES, MAX_SNAPSHOTS, snapshot_budget, snapshot_epochs
from core.train import train, train_seeds

SMALL = RunConfig(n_samples=200, epochs=120)


def test_snapshot_schedule_is_bounded_dense_early_and_includes_the_ends():
    steps = snapshot_epochs(5000, 201)
    assert steps[0] == 0 and steps[-1] == 5000 and len(steps) <= 201
    assert np.all(np.diff(steps) > 0)
    assert np.sum(steps <= 50) >= 20  # the first 1% of training gets many snapshots
    np.testing.assert_array_equal(snapshot_epochs(10, 201), np.arange(11))


def test_runs_trained_together_share_one_recording_budget():
    big = SMALL.replace(dataset="digits", hidden=(64, 64), epochs=300)
    single = train(big)
    pair = train_seeds(big, [0, 1])
    values = sum(W[0].size + b[0].size for W, b in zip(single.weights, single.biases))
    assert len(single.steps) * values <= MAX_RECORDED_VALUES
    assert 2 * len(pair[0].steps) * values <= MAX_RECORDED_VALUES
    assert len(pair[0].steps) < len(single.steps)
    assert snapshot_budget([2, 8, 1], n_runs=16) == MAX_SNAPSHOTS  # small networks keep every snapshot


def test_an_exploded_run_keeps_its_last_good_state_as_the_final_snapshot():
    history = train(RunConfig(activation="relu", learning_rate=100.0, epochs=50))
    assert history.diverged and history.steps[-1] == history.epochs_completed
    final_W = history.final_params()[0][0]
    assert np.isfinite(final_W).all() and np.abs(final_W).max() < 1e6

