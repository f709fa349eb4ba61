"""When has a run blown up? Non-finite numbers, weights beyond 1e6, or a loss far above its start.

A too-large learning rate does not always end in NaN: ReLU at rate 100 on moons climbs to a loss of 1e30
with weights of 3e17 while staying finite, and tanh at rate 100 swings its loss up to 60 (from 0.5). Such a
run teaches nothing about symmetry (its "unit gap" of 1e17 is an artifact of the explosion), so the trainer
stops it at the first epoch that crosses any line below, keeps everything before it, and says which line
and which learning rate to lower. A merely large but stable rate — a loss spike of a few times its start
that training recovers from — crosses none of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray

MAX_WEIGHT = 1e6
"""A weight or bias beyond this (in absolute value) has exploded: a trained unit needs nothing near it."""
MAX_LOSS_FACTOR = 50.0
"""Train loss this many times its start: exploded (tanh at rate 100 reaches 70–170×; rate 10, ≤ 11×)."""
LOSS_FLOOR = 0.1
"""The start loss the factor is measured from is at least this, so a run starting near 0 is not flagged
for an ordinary wobble."""


@dataclass(frozen=True)
class Blowup:
    """The first epoch a run crossed a line, which line (`kind`), and the number that crossed it."""

    epoch: int
    kind: str  # "not finite" | "weights" | "loss"
    value: float
    start_loss: float


def first_blowups(losses: Array, weight_sizes: Array, start_loss: Array, first_epoch: int = 0
                  ) -> list[Blowup | None]:
    """Per run, the first epoch of a block that crossed a line, or None when every epoch is fine.

    `losses` is (2, runs, epochs): train and test loss; `weight_sizes` (runs, epochs): the largest |weight|
    or |bias|; `start_loss` (runs,): the train loss at epoch 0; `first_epoch`: the block's first epoch.
    Where an epoch crosses several lines, non-finite numbers are named first, then the weights.
    """
    not_finite = ~(np.isfinite(losses).all(axis=0) & np.isfinite(weight_sizes))
    too_big = weight_sizes > MAX_WEIGHT
    too_high = losses[0] > (MAX_LOSS_FACTOR * np.maximum(start_loss, LOSS_FLOOR))[:, None]
    found: list[Blowup | None] = []
    for run, bad in enumerate(not_finite | too_big | too_high):
        if not bad.any():
            found.append(None)
            continue
        index = int(np.argmax(bad))
        epoch, start = first_epoch + index, float(start_loss[run])
        if not_finite[run, index]:
            found.append(Blowup(epoch, "not finite", float("nan"), start))
        elif too_big[run, index]:
            found.append(Blowup(epoch, "weights", float(weight_sizes[run, index]), start))
        else:
            found.append(Blowup(epoch, "loss", float(losses[0, run, index]), start))
    return found


def message(blowup: Blowup, learning_rate: float) -> str:
    """What happened, in numbers, and what to change: the learning rate, about 10× smaller."""
    what = {
        "not finite": "diverged at epoch {epoch}: the loss or the weights stopped being finite numbers",
        "weights": "diverged at epoch {epoch}: a weight exploded to {value:.3g} (beyond {limit:.0e})",
        "loss": "diverged at epoch {epoch}: the training loss exploded to {value:.3g}, {factor:.0f}× its "
                "start of {start:.3g}",
    }[blowup.kind].format(epoch=blowup.epoch, value=blowup.value, limit=MAX_WEIGHT,
                          factor=blowup.value / blowup.start_loss if blowup.start_loss > 0 else np.inf,
                          start=blowup.start_loss)
    return (f"Training {what}. The learning rate {learning_rate:g} is too large for this network and data; "
            f"try one about 10× smaller. Everything up to epoch {blowup.epoch - 1} is shown.")
