"""The convex contrast: did every seed of a model without a hidden layer reach the one solution?

Without a hidden layer the model is logistic regression (classification) or linear regression with
squared error (regression). Both losses are convex in the weights, so every seed should end at the same
weights; linear regression's is even *strictly* convex when the inputs' covariance has full rank (no
input is constant or a combination of the others), so its lowest point is one point. The verdict is
chosen from the measured spread of the seeds' weights, with every reason it might not hold (not
converged, minibatch noise, separable classes, constant inputs) named. "separable" is a classification
verdict only: squared error has a finite minimum whatever the data, so it never applies to regression.
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

Array = np.ndarray


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
    train_accuracy: float  # nan for regression (no classes)
    constant_inputs: int
    task: str = "classification"
    flat_directions: int = 0  # inputs minus the rank of the centred training inputs

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"


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
    - "separable" (classification only): the reference classifies every training point correctly, so the
      loss keeps falling as the weights grow — there is no finite minimum for the seeds to meet at;
      squared error always has one, so a regression never gets this verdict;
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
    flat = flat_directions(data.X_train)
    if len(usable) < 2:
        return ConvexVerdict("unusable", math.nan, math.nan, math.nan, 0, 0, math.nan, constant, data.task,
                             flat)
    steps = np.asarray(usable[0].steps)
    epochs = int(steps[-1])
    halfway = int(np.searchsorted(steps, epochs / 2, side="right") - 1)
    spread, earlier = _spread_at(usable, len(steps) - 1), _spread_at(usable, halfway)
    size = float(np.linalg.norm(flatten(canonical(usable[0].final_params()))))
    rel = relative(spread, size)
    regression = data.task == "regression"
    accuracy = math.nan if regression else float(usable[0].train_accuracy[-1])
    if rel < SAME_WEIGHTS_RELATIVE:
        kind = "same"
    elif epochs > 0 and spread <= 0.5 * earlier:
        kind = "converging"
    elif not regression and accuracy == 1.0:
        kind = "separable"
    elif constant:
        kind = "constant_inputs"
    elif _uses_minibatches(usable[0].config, len(data.y_train)):
        kind = "minibatch_noise"
    else:
        kind = "not_converged"
    return ConvexVerdict(kind, spread, rel, earlier, int(steps[halfway]), epochs, accuracy, constant,
                         data.task, flat)


def flat_directions(X: Array) -> int:
    """How many directions of weight space the inputs never vary along: inputs minus the rank of the
    centred inputs. 0 means the covariance has full rank, so a linear model's squared error is strictly
    convex (one lowest point); each flat direction is a line of equally good weights instead."""
    X = np.asarray(X, dtype=float)
    if X.shape[0] == 0:
        return X.shape[1]
    return int(X.shape[1] - np.linalg.matrix_rank(X - X.mean(axis=0)))
