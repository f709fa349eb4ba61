"""Exploding runs (core.divergence): stopped at the first bad epoch and named, with the rate to lower."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import RunConfig
from core.divergence import MAX_WEIGHT, Blowup, first_blowups, message
from core.train import train


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_learning_rate_100_explodes_and_is_stopped_with_a_message(activation):
    history = train(RunConfig(activation=activation, learning_rate=100.0))
    assert history.diverged
    assert "exploded" in history.message and "learning rate 100 is too large" in history.message
    assert "10× smaller" in history.message
    assert np.isfinite(history.train_loss).all()
    assert history.train_loss.max() < 50 * max(history.train_loss[0], 0.1)  # nothing past the line is kept
    assert max(np.abs(W).max() for W in history.weights) < MAX_WEIGHT
    assert all(np.isfinite(gaps).all() and gaps.max() < 1e3 for gaps in history.symmetry_gap)


@pytest.mark.parametrize(("activation", "rate"), [("relu", 3.0), ("tanh", 10.0), ("sigmoid", 10.0)])
def test_a_large_but_stable_rate_is_not_flagged(activation, rate):
    history = train(RunConfig(activation=activation, learning_rate=rate))
    assert not history.diverged and history.message == ""
    assert history.train_loss[-1] < history.train_loss[0]


def test_the_first_bad_epoch_of_each_run_is_found():
    losses = np.array([[[0.5, 0.4, 30.0, 0.3], [0.5, 0.4, 0.3, 0.2], [0.7, np.nan, 0.1, 0.1],
                        [0.01, 4.9, 5.1, 0.1]],
                       [[0.5] * 4, [0.5] * 4, [0.7] * 4, [0.5] * 4]])
    sizes = np.array([[1.0] * 4, [1.0, 2.0, 2e6, 1.0], [1.0] * 4, [1.0] * 4])
    # run 0: loss 30 > 50 × 0.5; run 1: a weight of 2e6; run 2: nan; run 3: floor 0.1 → limit 5.
    found = first_blowups(losses, sizes, losses[0, :, 0], first_epoch=10)
    assert [blowup.epoch for blowup in found] == [12, 12, 11, 12]
    assert [blowup.kind for blowup in found] == ["loss", "weights", "not finite", "loss"]
    assert first_blowups(losses[:, :2, :2], sizes[:2, :2], losses[0, :2, 0]) == [None, None]


def test_each_kind_of_blowup_is_named_with_its_number():
    def one_epoch(train_loss: float, weight_size: float) -> Blowup | None:
        losses = np.array([[[train_loss]], [[0.1]]])
        return first_blowups(losses, np.array([[weight_size]]), np.array([0.5]), first_epoch=7)[0]

    assert one_epoch(np.nan, 1.0).kind == "not finite"
    assert one_epoch(np.nan, 3e6).kind == "not finite"  # non-finite is named first
    assert one_epoch(0.1, 3e6) == Blowup(7, "weights", 3e6, 0.5)
    assert one_epoch(40.0, 2.0) == Blowup(7, "loss", 40.0, 0.5)
    text = message(Blowup(7, "not finite", np.nan, 0.5), 2.5)
    assert text.startswith("Training diverged at epoch 7: the loss or the weights stopped being finite")
    assert "learning rate 2.5 is too large" in text and "up to epoch 6 is shown" in text
    weights, loss = message(Blowup(7, "weights", 3e6, 0.5), 2.5), message(Blowup(7, "loss", 40.0, 0.5), 2.5)
    assert "diverged at epoch 7: a weight exploded to 3e+06 (beyond 1e+06)" in weights
    assert "the training loss exploded to 40, 80× its start of 0.5" in loss
