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



def test_a_block_of_epochs_stays_within_its_memory_bound_and_its_size_changes_no_number(monkeypatch):
    """The recorder evaluates epochs in blocks; a block's memory is bounded by every layer's outputs, the
    units' rows and the weights (five 64-64-64 runs once held ~90 MB), and results never depend on it."""
    import core.recorder as recorder
    from core.datasets import load_dataset
    from core.train import train_starts

    configs = [RunConfig(dataset="iris", hidden=(64, 64, 64), symmetry="identical", perturbation=eps,
                         epochs=120) for eps in (0.0, 1e-9, 1e-3)]
    data = load_dataset(configs[0])
    sizes = [data.n_features, 64, 64, 64, data.n_outputs]
    per_epoch = recorder.block_elements_per_epoch(sizes, len(configs), len(data.y_all))
    seen = []
    original = recorder.Recorder.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        seen.append(self.block)

    monkeypatch.setattr(recorder.Recorder, "__init__", spy)
    default = train_starts(configs, data=data)
    assert seen[-1] * per_epoch <= recorder.BLOCK_ELEMENTS
    monkeypatch.setattr(recorder, "BLOCK_ELEMENTS", 1)  # one epoch per block
    one_by_one = train_starts(configs, data=data)
    assert seen[-1] == 1
    for a, b in zip(default, one_by_one, strict=True):
        for x, y in zip((*a.weights, a.train_loss, a.test_loss, a.test_score, *a.symmetry_gap),
                        (*b.weights, b.train_loss, b.test_loss, b.test_score, *b.symmetry_gap), strict=True):
            assert np.array_equal(x, y, equal_nan=True)
    assert default[0].symmetry_gap[0][-1] == 0.0  # the exact tie, whatever the blocks
