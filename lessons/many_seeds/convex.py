"""Logistic regression, the convex contrast: did every seed reach the one solution?

Without a hidden layer the loss is convex, so every seed should end at the same weights — like two linear
regressions on the same data. The verdict is chosen from the measured spread of the seeds' weights, with
every reason it might not hold (not converged, minibatch noise, separable data, constant inputs) named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.config import RunConfig
from core.datasets import Dataset
from core.optimizers import OPTIMIZERS
from core.train import History
from lessons.many_seeds.analysis import SAME_WEIGHTS_RELATIVE, _usable, canonical, flatten, relative


@dataclass(frozen=True)
class ConvexVerdict:
    """Whether seeds without a hidden layer reached the same weights, and the measured reason if not.

    `kind` is one of CONVEX_KINDS. Spreads are taken as in SeedStudy (largest distance from the
    reference), at the end and at the snapshot nearest half the epochs (`halfway_epoch`).
    """

    kind: str
    spread: float
    relative_spread: float
    halfway_spread: float
    halfway_epoch: int
    epochs: int
    train_accuracy: float
    constant_inputs: int


CONVEX_KINDS = ("same", "converging", "separable", "constant_inputs", "minibatch_noise", "not_converged",
                "unusable")


def _spread_at(histories: Sequence[History], snapshot: int) -> float:
    params = [flatten(canonical(history.params_at(snapshot))) for history in histories]
    return float(max(np.linalg.norm(p - params[0]) for p in params))


def _uses_minibatches(config: RunConfig, n_train: int) -> bool:
    return not OPTIMIZERS[config.optimizer].full_batch and config.batch_size < n_train


def convex_verdict(histories: Sequence[History], data: Dataset) -> ConvexVerdict:
    """Classify the spread of seeds trained *without* a hidden layer (a convex loss).

    - "same": relative spread below SAME_WEIGHTS_RELATIVE;
    - "converging": not yet, but the spread at least halved since half the epochs (train longer);
    - "separable": the reference classifies every training point correctly, so the loss keeps falling as
      the weights grow — there is no finite minimum for the seeds to meet at;
    - "constant_inputs": some inputs never vary in the training set, so their weights get no gradient and
      keep each seed's random start;
    - "minibatch_noise": each seed draws its minibatches in its own order, so with a constant step the
      weights keep moving around the lowest point instead of settling on it;
    - "not_converged": none of these; gradient descent simply has not got there in the epochs trained;
    - "unusable": fewer than two seeds trained without diverging.
    Each kind is decided from numbers stored in the verdict, so the sentence built from it stays true.
    """
    usable = [history for history in histories if _usable(history)]
    constant = int(np.sum(np.ptp(data.X_train, axis=0) == 0))
    if len(usable) < 2:
        return ConvexVerdict("unusable", math.nan, math.nan, math.nan, 0, 0, math.nan, constant)
    steps = np.asarray(usable[0].steps)
    epochs = int(steps[-1])
    halfway = int(np.searchsorted(steps, epochs / 2, side="right") - 1)
    spread, earlier = _spread_at(usable, len(steps) - 1), _spread_at(usable, halfway)
    size = float(np.linalg.norm(flatten(canonical(usable[0].final_params()))))
    rel = relative(spread, size)
    accuracy = float(usable[0].train_accuracy[-1])
    if rel < SAME_WEIGHTS_RELATIVE:
        kind = "same"
    elif epochs > 0 and spread <= 0.5 * earlier:
        kind = "converging"
    elif accuracy == 1.0:
        kind = "separable"
    elif constant:
        kind = "constant_inputs"
    elif _uses_minibatches(usable[0].config, len(data.y_train)):
        kind = "minibatch_noise"
    else:
        kind = "not_converged"
    return ConvexVerdict(kind, spread, rel, earlier, int(steps[halfway]), epochs, accuracy, constant)
