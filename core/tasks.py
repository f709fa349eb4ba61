"""What the output layer does for each kind of problem: a registry of two tasks, not an if-chain.

A task says how the output logits become a prediction, what the loss is, what ∂L/∂logits is, and how a
prediction is scored:

- classification: one logistic unit for two classes (softmax over one unit per class otherwise), mean
  log loss, δ = p − t, scored by accuracy;
- regression: one linear unit o, mean squared error (t − o)², δ = 2(o − t), scored by R².

Each loss is the mean over samples, so the trainer divides δ by the batch size once. The squared error
is the textbook L = (t − o)² (so ∂L/∂o = −2(t − o)): twice scikit-learn's `squared_error`, which halves it.
Every function broadcasts over leading axes (snapshots, seeds), like core.network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_softmax, softmax

Array = np.ndarray


# --- classification -----------------------------------------------------------------------------------

def probabilities(logits: Array) -> Array:
    """Class probabilities: logistic for a single output unit, softmax across several."""
    return expit(logits) if logits.shape[-1] == 1 else softmax(logits, axis=-1)


def predict(logits: Array) -> Array:
    """Predicted class labels from output logits."""
    if logits.shape[-1] == 1:
        return (logits[..., 0] > 0).astype(np.int64)
    return np.argmax(logits, axis=-1)


def targets_for(y: Array, n_outputs: int) -> Array:
    """Integer labels as the output layer's targets: a 0/1 column, or one-hot rows for softmax."""
    y = np.asarray(y)
    if n_outputs == 1:
        return y.astype(np.float64)[..., None]
    return np.eye(n_outputs)[y]


def per_sample_log_loss(logits: Array, targets: Array) -> Array:
    """Each sample's log loss, computed from logits so that it is stable for any logit size."""
    if logits.shape[-1] == 1:
        per_sample = np.logaddexp(0.0, logits)
        per_sample -= targets * logits
        return per_sample[..., 0]
    return -np.einsum("...k,...k->...", targets, log_softmax(logits, axis=-1))


def accuracy(logits: Array, y: Array) -> Array:
    """Share of samples whose predicted class is the label (the last axis of y is the samples)."""
    return (predict(logits) == y).mean(axis=-1)


# --- regression ---------------------------------------------------------------------------------------

def real_targets(y: Array, n_outputs: int = 1) -> Array:
    """Real targets as the one linear output's column."""
    return np.asarray(y, dtype=np.float64)[..., None]


def per_sample_squared_error(outputs: Array, targets: Array) -> Array:
    """Each sample's (t − o)² (one output unit)."""
    residual = targets - outputs
    return (residual * residual)[..., 0]


def r_squared(outputs: Array, y: Array) -> Array:
    """R² = 1 − Σ(t − o)² / Σ(t − t̄)²: 1 is a perfect fit, 0 is no better than predicting the mean.

    Negative when the network is worse than the mean; nan when every target is the same (no spread to
    explain).
    """
    y = np.asarray(y, dtype=np.float64)
    residual = y - outputs[..., 0]
    spread = ((y - y.mean(axis=-1, keepdims=True)) ** 2).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 - (residual * residual).sum(axis=-1) / np.where(spread > 0, spread, np.nan)


# --- the registry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Task:
    """The output layer of one kind of problem (see the module doc)."""

    name: str
    loss_name: str  # for axis titles: "log loss", "squared error"
    score_name: str  # "accuracy", "R²"
    output: Callable[[Array], Array]  # logits → what the network predicts (probabilities or values)
    targets: Callable[[Array, int], Array]  # y → the output layer's targets
    per_sample_loss: Callable[[Array, Array], Array]  # (logits, targets) → one loss per sample
    score: Callable[[Array, Array], Array]  # (logits, y) → accuracy or R² over the last (sample) axis
    delta_scale: float  # ∂L/∂logits per sample = delta_scale · (output − targets)

    @property
    def is_regression(self) -> bool:
        return self.name == "regression"

    def output_delta(self, logits: Array, targets: Array) -> Array:
        """∂(mean loss)/∂logits: delta_scale · (output − t) / n, a new array (logits are left as they are)."""
        delta = self.output(logits) - targets
        delta *= self.delta_scale / logits.shape[-2]
        return delta

    def mean_loss(self, logits: Array, targets: Array) -> Array:
        """The mean loss over samples, one value per leading index."""
        return self.per_sample_loss(logits, targets).mean(axis=-1)


TASKS: dict[str, Task] = {
    "classification": Task("classification", "log loss", "accuracy", probabilities, targets_for,
                           per_sample_log_loss, accuracy, 1.0),
    "regression": Task("regression", "squared error", "R²", lambda logits: logits, real_targets,
                       per_sample_squared_error, r_squared, 2.0),
}


def get_task(name: str) -> Task:
    """The registry entry; a ValueError naming the allowed tasks otherwise."""
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(f"task = {name!r}: must be one of {', '.join(TASKS)}") from None
