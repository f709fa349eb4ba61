"""Do the seeds compute the same *function*? Their predictions compared point by point, for both tasks.

The lesson's claim is that seeds far apart in weight space compute nearly the same function. What "the
same function" means depends on what the network predicts:

- **classification**: a class per point, so the seeds agree on a point or they do not — `Agreement`
  counts the points on which every seed predicts the same class, and each seed's share of points
  predicted like the reference;
- **regression**: a real number o per point, which two seeds never match exactly — `PredictionSpread`
  measures *how far apart* the predictions are: the root-mean-square difference between two seeds'
  predictions, in units of the targets' own spread (std of t on the same points). 0.05 means the
  seeds disagree by 5 % of how much the targets vary — invisible on a chart of the targets.

For 2-D inputs both tasks get each seed's output on a grid over the input plane (`decision_grids`):
P(class 1) or the class for classification, the prediction o for regression. Plain numpy, no streamlit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.network import decision_values, forward_logits, predict
from core.tasks import get_task

Array = np.ndarray
Params = list[tuple[Array, Array]]
ParamsLike = Sequence[tuple[Array, Array]]

GRID_POINTS = 60  # input-plane grid: GRID_POINTS × GRID_POINTS


def stack(params_list: Sequence[ParamsLike]) -> Params:
    """Several networks of one shape as one network with a leading axis (core.network broadcasts over it)."""
    return [(np.stack([np.asarray(p[layer][0]) for p in params_list]),
             np.stack([np.asarray(p[layer][1]) for p in params_list]))
            for layer in range(len(params_list[0]))]


def predictions(params_list: Sequence[ParamsLike], X: Array, activation: str,
                task: str = "classification") -> Array:
    """(networks, points) predictions in one batched forward pass: classes, or the values o (regression)."""
    with np.errstate(all="ignore"):
        _, logits = forward_logits(stack(params_list), np.asarray(X), activation)
    rule = get_task(task)
    return logits[..., 0].astype(float) if rule.is_regression else predict(logits)


# --- classification: the same class or not --------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    """How alike the networks' *functions* are on a set of points (classification)."""

    unanimous: float  # fraction of points on which every network predicts the same class
    with_reference: Array  # per network: fraction of points predicted like the reference


def agreement(predicted: Array, reference: int = 0) -> Agreement:
    """Agreement of the predictions (networks, points) among themselves and with network `reference`."""
    predicted = np.asarray(predicted)
    unanimous = float(np.mean(np.all(predicted == predicted[:1], axis=0))) if predicted.shape[1] else 1.0
    with_reference = (predicted == predicted[reference]).mean(axis=1) if predicted.shape[1] else \
        np.ones(len(predicted))
    return Agreement(unanimous, with_reference)


# --- regression: how far apart the predicted values are -------------------------------------------------

@dataclass(frozen=True)
class PredictionSpread:
    """How far apart the networks' predicted values are on a set of points (regression).

    `between` is the RMS difference between two networks' predictions, over every pair and every point;
    `from_reference[k]` is network k's RMS difference from the reference's (0 for the reference itself);
    `target_spread` is the std of the targets on the same points, the yardstick for both.
    """

    between: float
    from_reference: Array
    target_spread: float

    @property
    def relative(self) -> float:
        """`between` as a fraction of the targets' spread: how much of the targets' variation the seeds
        disagree by (inf if the targets do not vary but the predictions do)."""
        return _fraction(self.between, self.target_spread)

    @property
    def relative_from_reference(self) -> Array:
        return np.array([_fraction(float(v), self.target_spread) for v in self.from_reference])


def _fraction(value: float, size: float) -> float:
    if size > 0:
        return value / size
    return 0.0 if value == 0 else float("inf")


def prediction_spread(predicted: Array, targets: Array, reference: int = 0) -> PredictionSpread:
    """RMS differences of the predictions (networks, points) between networks and from `reference`."""
    predicted = np.asarray(predicted, dtype=float)
    if predicted.shape[1] == 0:
        return PredictionSpread(0.0, np.zeros(len(predicted)), 0.0)
    pairs = list(itertools.combinations(range(len(predicted)), 2))
    squared = [np.mean((predicted[i] - predicted[j]) ** 2) for i, j in pairs]
    between = float(np.sqrt(np.mean(squared))) if pairs else 0.0
    from_reference = np.sqrt(np.mean((predicted - predicted[reference]) ** 2, axis=1))
    return PredictionSpread(between, from_reference, float(np.std(np.asarray(targets, dtype=float))))


def function_agreement(params_list: Sequence[ParamsLike], X: Array, y: Array, activation: str,
                       task: str = "classification") -> Agreement | PredictionSpread:
    """The task's measure of how alike the networks' functions are on (X, y), the first network the
    reference: `Agreement` for classification, `PredictionSpread` for regression."""
    predicted = predictions(params_list, X, activation, task)
    if get_task(task).is_regression:
        return prediction_spread(predicted, y)
    return agreement(predicted)


# --- the input plane ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecisionGrids:
    """Each network's output on a grid over the input plane: P(class 1) for two classes, the class for
    more, the prediction o for regression (`regression` True)."""

    xs: Array
    ys: Array
    values: Array  # (networks, len(ys), len(xs)); nan where a network's output is not finite
    binary: bool
    regression: bool = False


def plane_box(X: Array, margin: float = 0.1) -> tuple[tuple[float, float], tuple[float, float]]:
    """The rectangle around 2-D points, widened by `margin` of the larger side."""
    X = np.asarray(X, dtype=float)
    low, high = X.min(axis=0), X.max(axis=0)
    pad = margin * float(max((high - low).max(), 1e-9))
    return (float(low[0] - pad), float(high[0] + pad)), (float(low[1] - pad), float(high[1] + pad))


def decision_grids(params_list: Sequence[ParamsLike], X: Array, activation: str,
                   size: int = GRID_POINTS, task: str = "classification") -> DecisionGrids:
    """Every network evaluated on one size × size grid around the 2-D points X, in one batched pass."""
    (x0, x1), (y0, y1) = plane_box(X)
    xs, ys = np.linspace(x0, x1, size), np.linspace(y0, y1, size)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    stacked = stack(params_list)
    values = decision_values(stacked, points, activation, task=task)
    regression = get_task(task).is_regression
    binary = not regression and stacked[-1][0].shape[-1] == 1
    return DecisionGrids(xs, ys, values.reshape(len(params_list), size, size), binary, regression)
