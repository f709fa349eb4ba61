"""What each hidden unit computes, in numbers: output maps, digit pictures, and whether outputs become alike.

Plain numpy on top of the engine (no plotly, no streamlit), so every number the page shows is tested here:

- `unit_maps`: every hidden unit's activation σ(z) over a grid on the input plane (2-D data), at one
  snapshot — exactly the network's own forward pass, evaluated on the grid;
- `digit_pictures`: a first-layer unit's 64 incoming weights as the 8×8 image they multiply;
- `output_alikeness`: how alike the units' *outputs* are over the training points — the mean |correlation|
  between two units, and an effective number of units, the participation ratio of the output covariance
  (Gao et al. 2017): (Σλ)² / Σλ² over its eigenvalues λ, computed as (tr C)² / tr(C²). It is 1 when every
  unit is a copy of one (all variance along one direction) and the width when all are uncorrelated with
  equal variance;
- `alikeness_over_training`: the same at evenly spaced snapshots, for the chart and the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.datasets import Dataset
from core.network import forward_logits
from core.train import History

Array = np.ndarray

MAX_FRAMES = 30
"""Snapshots the epoch slider offers (evenly spread over the recorded ones, the first and last included)."""
MAX_UNITS_DRAWN = 64
"""Output maps or pictures drawn at most; the rest are named in a note."""
MAP_VALUES = 20_000
"""Grid cells drawn in all (units × resolution²): ~110 kB of float32 on the wire at the most."""
MAX_RESOLUTION, MIN_RESOLUTION = 40, 16
MAX_SAMPLES = 600
"""Training points the output statistics use (a fixed, evenly spaced subset when there are more)."""
DIGIT_SIDE = 8


def frame_snapshots(history: History, max_frames: int = MAX_FRAMES) -> Array:
    """Indices into `history.steps` for the slider: evenly spread, always the first and the last."""
    n = len(history.steps)
    return np.unique(np.linspace(0, n - 1, min(n, max_frames)).round().astype(int))


def map_resolution(n_units: int) -> int:
    """Grid points per side: 40 for a few units, fewer for many, so all maps stay within `MAP_VALUES`."""
    side = int(np.sqrt(MAP_VALUES / max(n_units, 1)))
    return int(np.clip(side, MIN_RESOLUTION, MAX_RESOLUTION))


def input_grid(X: Array, resolution: int, margin: float = 0.1) -> tuple[Array, Array, Array]:
    """A square grid over the data's bounding box (plus a margin): x values, y values, and the points."""
    low, high = X.min(axis=0), X.max(axis=0)
    pad = margin * np.maximum(high - low, 1e-9)
    xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
    ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def hidden_outputs(params: Sequence[tuple[Array, Array]], X: Array, activation: str) -> list[Array]:
    """σ(z) of every hidden layer on the rows of X: the network's own forward pass, nothing else."""
    with np.errstate(over="ignore", invalid="ignore"):
        outputs, _ = forward_logits(params, X, activation)
    return outputs


def unit_maps(history: History, data: Dataset, snapshot: int,
              resolution: int) -> tuple[Array, Array, list[Array]]:
    """At one snapshot: grid x values, y values, and per hidden layer (width, resolution, resolution) maps."""
    xs, ys, points = input_grid(data.X_all, resolution)
    outputs = hidden_outputs(history.params_at(snapshot), points, history.config.activation)
    return xs, ys, [layer.T.reshape(-1, resolution, resolution) for layer in outputs]


def digit_pictures(history: History, snapshot: int) -> Array:
    """(width, 8, 8): each first-layer unit's incoming weights laid out like the 8×8 digit images."""
    W = history.weights[0][snapshot]
    if W.shape[0] != DIGIT_SIDE * DIGIT_SIDE:
        raise ValueError(f"digit pictures need 64 inputs, this network has {W.shape[0]}")
    return W.T.reshape(-1, DIGIT_SIDE, DIGIT_SIDE)


def sample_rows(X: Array, max_samples: int = MAX_SAMPLES) -> Array:
    """At most `max_samples` rows of X, evenly spaced (the same rows every time)."""
    if len(X) <= max_samples:
        return X
    return X[np.linspace(0, len(X) - 1, max_samples).round().astype(int)]


@dataclass(frozen=True)
class Alikeness:
    """How alike a layer's unit outputs are over the training points, at one snapshot.

    `correlation` is (width, width), nan where a unit's output is constant (it has no correlation with
    anything). `mean_abs_correlation` averages |corr| over pairs of different, non-constant units (nan if
    there is no such pair). `effective_units` is the participation ratio (nan when every unit is constant:
    then there is no variance to share out). `constant_units` counts units whose output never changes.
    """

    correlation: Array
    mean_abs_correlation: float
    effective_units: float
    constant_units: int


def output_alikeness(outputs: Array) -> Alikeness:
    """Correlation, mean |corr| and participation ratio of unit outputs `outputs` (samples, width)."""
    centred = outputs - outputs.mean(axis=0)
    covariance = centred.T @ centred / max(len(outputs) - 1, 1)
    variance = np.diag(covariance).copy()
    # Exact copies have exactly equal columns, so their variances and covariance are equal numbers; a
    # unit whose output is constant has variance 0 (or rounding noise far below any real signal).
    scale = max(float(variance.max()), 0.0)
    constant = variance <= 1e-24 * max(scale, 1e-300)
    width = outputs.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        std = np.sqrt(np.where(constant, np.nan, variance))
        correlation = np.clip(covariance / np.outer(std, std), -1.0, 1.0)
    np.fill_diagonal(correlation, np.where(constant, np.nan, 1.0))
    pairs = ~np.eye(width, dtype=bool) & np.isfinite(correlation)
    mean_abs = float(np.abs(correlation[pairs]).mean()) if pairs.any() else float("nan")
    trace, trace_of_square = float(np.trace(covariance)), float(np.sum(covariance * covariance))
    defined = trace_of_square > 0 and not constant.all()
    effective = trace * trace / trace_of_square if defined else float("nan")
    return Alikeness(correlation, mean_abs, effective, int(constant.sum()))


@dataclass(frozen=True)
class AlikenessOverTraining:
    """`output_alikeness` of one layer at each of `epochs` (the slider's snapshots)."""

    epochs: Array
    mean_abs_correlation: Array
    effective_units: Array
    width: int


def alikeness_over_training(history: History, data: Dataset, layer: int,
                            snapshots: Sequence[int]) -> AlikenessOverTraining:
    """The mean |corr| and effective number of layer `layer`'s units at each snapshot, on training rows."""
    X = sample_rows(data.X_train)
    stats = [output_alikeness(hidden_outputs(history.params_at(s), X, history.config.activation)[layer])
             for s in snapshots]
    return AlikenessOverTraining(
        epochs=np.asarray(history.steps)[list(snapshots)],
        mean_abs_correlation=np.array([s.mean_abs_correlation for s in stats]),
        effective_units=np.array([s.effective_units for s in stats]),
        width=history.config.hidden[layer],
    )


def alikeness_at(history: History, data: Dataset, layer: int, snapshot: int) -> Alikeness:
    """`output_alikeness` of layer `layer` at one snapshot, on (a subset of) the training rows."""
    X = sample_rows(data.X_train)
    return output_alikeness(hidden_outputs(history.params_at(snapshot), X, history.config.activation)[layer])


def straightness(history: History, data: Dataset, snapshot: int, resolution: int = 30) -> list[float]:
    """Per hidden layer, how close its least straight unit is to a plane over the input plane (2-D data).

    For each unit, the R² of the best linear fit a·x₁ + b·x₂ + c to its pre-activation z over a grid: a
    layer-1 unit's z = wᵀx + b is a plane, R² = 1, so its map changes only across parallel straight lines; a
    deeper unit's z sums curved outputs of the layer below, so R² < 1 and its contours bend (Q5). The
    smallest R² in the layer is returned (1.0 for a unit whose z is constant: a constant is a plane too).
    """
    _, _, points = input_grid(data.X_all, resolution)
    design = np.column_stack([points, np.ones(len(points))])
    params = history.params_at(snapshot)
    below, scores = points, []
    for layer, output in enumerate(hidden_outputs(params, points, history.config.activation)):
        W, b = params[layer]
        with np.errstate(over="ignore", invalid="ignore"):
            z = below @ W + b
        coefficients, *_ = np.linalg.lstsq(design, z, rcond=None)
        residual = ((z - design @ coefficients) ** 2).sum(axis=0)
        total = ((z - z.mean(axis=0)) ** 2).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            r2 = np.where(total > 0, 1.0 - residual / np.where(total > 0, total, 1.0), 1.0)
        scores.append(float(np.nanmin(r2)) if np.isfinite(r2).any() else float("nan"))
        below = output
    return scores
