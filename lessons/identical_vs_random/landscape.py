"""The loss landscape around a tie: why a tiny nudge grows or shrinks (the "why" of the nudge experiment).

Take the identical start of the current settings and two of its units i and j (their incoming column,
bias and outgoing row: p = fan_in + 1 + fan_out numbers each). Two directions through that point matter:

- **apart**: unit i moves by +a·d/√2 and unit j by −a·d/√2. Swapping the two units maps a to −a and
  leaves the loss unchanged, so the loss is *even* in a and its slope there is 0: the tie is a balance
  point along "apart", whatever the data. Whether it is a hill top or a valley floor is the curvature
  κ = d²L/da² — we take d as the direction of the *smallest* curvature, the eigenvector of the Hessian
  restricted to these antisymmetric moves (a p×p matrix, from central differences of the engine's own
  gradients).
- **together**: both units move by b·m/√2, m the direction of minus their (shared) gradient — the way
  training actually moves the pair. At a stationary start (all-zero weights) there is no such gradient,
  and m is the together-direction of smallest curvature instead.

Why the 1/√2: then a and b are distances in the whole parameter space, the two directions are unit
vectors there, and κ is an eigenvalue of the full Hessian (the antisymmetric moves form an invariant
subspace of it, by the swap symmetry). Plain gradient descent with step η then multiplies a small
difference between the copies by (1 − η·κ) per step, the number `predicted_rate` turns into a growth
rate per epoch comparable with the nudge experiment's λ.

The grid is one batched evaluation of `core.network.mean_loss` (every grid point a network along a
leading axis), in chunks that bound memory. Everything here is plain numpy on top of core.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.config import RunConfig
from core.datasets import Dataset, load_dataset
from core.network import loss_and_gradients, mean_loss, penalty, penalty_gradient
from core.optimizers import OPTIMIZERS
from core.tasks import get_task
from core.train import train

Array = np.ndarray
Params = list[tuple[Array, Array]]

GRID_POINTS = 41
"""Points per axis of the landscape (odd, so the tie itself is a grid point)."""
MAX_GRID_ROWS = 500
"""The grid is evaluated on at most this many training rows (digits has ~1350), and fewer when the network
is big (`GRID_BUDGET`); the caption says so. Its shape does not need every row, only the tie's numbers do."""
GRID_BUDGET = 1e9
"""Multiply-adds the grid may take (grid networks × rows × weights per network): well under a second."""
CURVATURE_BUDGET = 1.5e9
"""Multiply-adds the Hessian may take (2p networks, forward and backward ≈ 3× a forward pass). Small
networks use every training row; on digits with two 64-unit layers only the first few hundred fit."""
MIN_ROWS = 100
"""Never fewer rows than this (a budget that asks for fewer is exceeded instead)."""
CHUNK_ELEMENTS = 4_000_000
"""Networks per batched call are chosen so what one call holds — each network's moved weights, its
gradient, and its layers' outputs on every row — stays near this many floats (32 MB), in a worker of a
container with about 1 GB for a whole class: unchunked, the digits landscape of a 64-64-64 network held
160 MB at once."""
STEP = 1e-5
"""Central-difference step for the Hessian: its rounding error (~1e-16/STEP) and its truncation error
(~STEP²) are both far below any curvature worth a sentence."""
STATIONARY = 1e-12
"""A shared gradient smaller than this is zero: the start is a stationary point (e.g. all-zero weights)."""
MIN_RANGE = 0.5
"""The picture spans ±(the pair's own size) — moving each unit by as much as it is long is as far as
"around this start" can mean — but never less than this, so an all-zero start still gets a picture."""
FLAT = 1e-9
"""|κ| below this is no curvature at all (the loss is flat along apart to the precision of the Hessian)."""


@dataclass(frozen=True)
class Landscape:
    """The loss around a tie of units `units` of hidden layer `layer`, and its curvature along apart.

    `loss[k, l]` is the loss at b = `b[k]`, a = `a[l]` (rows b, columns a, as Plotly's contour wants).
    `curvature` is κ, the smallest of `curvatures` (ascending eigenvalues on the apart subspace).
    `line` is the loss along apart alone (b = 0), on the same rows as κ (so ½κa² fits it near 0). Small
    networks use every training row for everything; big ones the first rows only (`capped`).
    """

    layer: int
    units: tuple[int, int]
    task: str
    loss_name: str
    a: Array
    b: Array
    loss: Array
    line: Array
    tie_loss: float
    curvature: float
    curvatures: Array
    apart_slope: float  # ∂L/∂a at the tie: 0 by the swap symmetry (up to rounding)
    together_slope: float  # ∂L/∂b at the tie: −|gradient of the pair| (0 at a stationary start)
    together_curvature: float  # d²L/db² at the tie
    stationary: bool  # the pair's gradient is 0, so "together" is a curvature direction
    apart_direction: Array  # d (p,), unit norm: unit i moves by a·d/√2, unit j by −a·d/√2
    together_direction: Array  # m (p,), unit norm: both units move by b·m/√2
    grid_rows: int  # the grid's loss uses the first grid_rows training rows
    curvature_rows: int  # κ, the slopes and `line` use the first curvature_rows rows
    train_rows: int

    @property
    def capped(self) -> bool:
        """Whether some number was computed on fewer than all training rows (a caption must say so)."""
        return min(self.grid_rows, self.curvature_rows) < self.train_rows

    @property
    def shape(self) -> str:
        """"ridge" (κ < 0: the tie is a saddle), "valley" (κ > 0) or "flat"."""
        if not math.isfinite(self.curvature) or abs(self.curvature) < FLAT:
            return "flat"
        return "ridge" if self.curvature < 0 else "valley"


# --- a pair of units as one vector -------------------------------------------------------------------

def unit_vector(params: Sequence[tuple[Array, Array]], layer: int, unit: int) -> Array:
    """(incoming column, bias, outgoing row) of one unit of hidden layer `layer`, as one flat vector."""
    (W_in, b), (W_out, _) = params[layer], params[layer + 1]
    return np.concatenate([W_in[:, unit], [b[unit]], W_out[unit, :]])


def move_pair(params: Sequence[tuple[Array, Array]], layer: int, units: tuple[int, int],
              delta_i: Array, delta_j: Array) -> Params:
    """Stacked networks: `params` with unit i moved by each row of `delta_i` and unit j by `delta_j`.

    `delta_*` are (n, p); the two layers the units live in get a leading axis of n, the other layers are
    shared as they are (core.network broadcasts over the leading axis either way).
    """
    i, j = units
    (W_in, b), (W_out, b_out) = params[layer], params[layer + 1]
    fan_in = W_in.shape[0]
    n = len(delta_i)
    W_in_n = np.repeat(W_in[None], n, axis=0)
    b_n = np.repeat(b[None], n, axis=0)
    W_out_n = np.repeat(W_out[None], n, axis=0)
    for unit, delta in ((i, delta_i), (j, delta_j)):
        W_in_n[:, :, unit] += delta[:, :fan_in]
        b_n[:, unit] += delta[:, fan_in]
        W_out_n[:, unit, :] += delta[:, fan_in + 1:]
    moved = list(params)
    moved[layer] = (W_in_n, b_n)
    moved[layer + 1] = (W_out_n, np.asarray(b_out))
    return moved


def networks_per_call(params: Params, n_rows: int) -> int:
    """How many moved networks one batched call may hold within `CHUNK_ELEMENTS` floats: per network its
    weights twice (the moved copy and its gradient) and every layer's output on every row, twice
    (forward values and backward deltas)."""
    weights = sum(W.size + b.size for W, b in params)
    outputs = n_rows * sum(W.shape[-1] for W, _ in params)
    return max(1, CHUNK_ELEMENTS // (2 * weights + 2 * outputs))


def _pair_gradients(params: Params, layer: int, units: tuple[int, int], delta_i: Array, delta_j: Array,
                    X: Array, y: Array, config: RunConfig, task: str, n_train: int) -> tuple[Array, Array]:
    """The gradients of units i and j, (n, p) each, at the n moved networks (batched, in chunks of
    `networks_per_call`).

    The L1/L2 penalty's gradient is added here with the whole training set's n (as training divides it),
    so it stays the training loss's even when only the first rows of X are used.
    """
    chunk = networks_per_call(params, len(X))
    parts = [_pair_gradients_at_once(params, layer, units, delta_i[k:k + chunk], delta_j[k:k + chunk], X, y,
                                     config, task, n_train) for k in range(0, len(delta_i), chunk)]
    return np.concatenate([i for i, _ in parts]), np.concatenate([j for _, j in parts])


def _pair_gradients_at_once(params: Params, layer: int, units: tuple[int, int], delta_i: Array,
                            delta_j: Array, X: Array, y: Array, config: RunConfig, task: str,
                            n_train: int) -> tuple[Array, Array]:
    _, grads = loss_and_gradients(move_pair(params, layer, units, delta_i, delta_j), X, y, config.activation,
                                  task=task)
    (g_in, g_b), (g_out, _) = grads[layer], grads[layer + 1]
    fan_in = g_in.shape[-2]
    is_weight = np.ones(delta_i.shape[1], dtype=bool)
    is_weight[fan_in] = False  # the bias is not penalized

    def pick(unit: int, delta: Array) -> Array:
        gradient = np.concatenate([g_in[:, :, unit], g_b[:, unit, None], g_out[:, unit, :]], axis=1)
        if config.l2 or config.l1:
            moved = unit_vector(params, layer, unit) + delta
            gradient = gradient + is_weight * penalty_gradient(moved, config.l2, config.l1, n_train)
        return gradient

    return pick(units[0], delta_i), pick(units[1], delta_j)


def subspace_hessian(params: Params, layer: int, units: tuple[int, int], X: Array, y: Array,
                     config: RunConfig, task: str, n_train: int, sign: float = -1.0) -> Array:
    """The p×p Hessian on moves (e, sign·e)/√2 of the pair (sign −1: apart, +1: together).

    Column k is a central difference of the gradient along (e_k, sign·e_k)/√2, projected back on the same
    kind of move; the 2p networks go through `loss_and_gradients` batched. Symmetrized.
    """
    p = len(unit_vector(params, layer, units[0]))
    steps = np.concatenate([np.eye(p), -np.eye(p)]) * (STEP / math.sqrt(2))
    g_i, g_j = _pair_gradients(params, layer, units, steps, sign * steps, X, y, config, task, n_train)
    difference = (g_i[:p] - g_i[p:]) + sign * (g_j[:p] - g_j[p:])  # (k, m): move k, gradient entry m
    hessian = difference.T / (2 * STEP * math.sqrt(2))
    return (hessian + hessian.T) / 2


def _curvature_along(params: Params, layer: int, units: tuple[int, int], m: Array, X: Array, y: Array,
                     config: RunConfig, task: str, n_train: int) -> float:
    """d²L/db² along the together-move (m, m)/√2: one central difference of the gradient (2 networks)."""
    steps = np.stack([m, -m]) * (STEP / math.sqrt(2))
    g_i, g_j = _pair_gradients(params, layer, units, steps, steps, X, y, config, task, n_train)
    return float(((g_i[0] - g_i[1]) + (g_j[0] - g_j[1])) @ m / (2 * STEP * math.sqrt(2)))


# --- the landscape -----------------------------------------------------------------------------------

def tied_start(config: RunConfig) -> Params:
    """The identical (tied, un-nudged) start of the config: exactly the start its training runs from
    (`core.train` draws it; zero epochs make that free)."""
    tied = config.replace(symmetry="identical", perturbation=0.0, epochs=0)
    return train(tied).params_at(0)


def grid_losses(params: Params, layer: int, units: tuple[int, int], delta_i: Array, delta_j: Array,
                X: Array, y: Array, config: RunConfig, task: str, n_train: int) -> Array:
    """Loss (plus the config's L1/L2 penalty, as training sees it) of every moved network, in chunks."""
    chunk = networks_per_call(params, len(X))
    losses = np.empty(len(delta_i))
    with np.errstate(all="ignore"):
        for start in range(0, len(delta_i), chunk):
            part = slice(start, start + chunk)
            moved = move_pair(params, layer, units, delta_i[part], delta_j[part])
            total = mean_loss(moved, X, y, config.activation, task=task)
            if config.l2 or config.l1:
                total = total + penalty(moved, config.l2, config.l1, n_train)
            losses[start:start + chunk] = total
    return losses


def rows_within(budget: float, networks: int, weights: int, n_rows: int, cap: int | None = None) -> int:
    """How many rows `networks` networks of `weights` weights each can evaluate within `budget`."""
    fits = int(budget // max(networks * weights, 1))
    return min(n_rows, cap or n_rows, max(fits, MIN_ROWS))


def landscape(config: RunConfig, layer: int = 0, units: tuple[int, int] = (0, 1), *,
              data: Dataset | None = None, points: int = GRID_POINTS) -> Landscape:
    """The loss on the (apart, together) plane through the tie of the config's identical start.

    Uses the training rows (the loss training descends) with the config's L1/L2 penalty, like training.
    """
    data = load_dataset(config) if data is None else data
    task = data.task  # "classification" or "regression": the loss training descends
    params = tied_start(config)
    theta = unit_vector(params, layer, units[0])
    p = len(theta)
    weights = sum(W.size for W, _ in params)
    n_train = len(data.y_train)
    curvature_rows = rows_within(CURVATURE_BUDGET, 3 * 2 * p, weights, n_train)
    grid_rows = rows_within(GRID_BUDGET, points * points, weights, n_train, MAX_GRID_ROWS)
    X, y = np.asarray(data.X_train[:curvature_rows]), np.asarray(data.y_train[:curvature_rows])

    apart = subspace_hessian(params, layer, units, X, y, config, task, n_train, sign=-1.0)
    curvatures, vectors = np.linalg.eigh(apart)
    d = vectors[:, 0]
    zero = np.zeros((1, p))
    g_i, g_j = _pair_gradients(params, layer, units, zero, zero, X, y, config, task, n_train)
    shared = (g_i[0] + g_j[0]) / 2
    apart_slope = float((g_i[0] - g_j[0]) @ d / math.sqrt(2))
    norm = float(np.linalg.norm(shared))
    stationary = norm < STATIONARY
    if stationary:  # no downhill direction: the together-move of smallest curvature instead
        together = subspace_hessian(params, layer, units, X, y, config, task, n_train, sign=1.0)
        together_values, together_vectors = np.linalg.eigh(together)
        m, together_slope, together_curvature = together_vectors[:, 0], 0.0, float(together_values[0])
    else:
        m = -shared / norm
        together_slope = -math.sqrt(2) * norm
        together_curvature = _curvature_along(params, layer, units, m, X, y, config, task, n_train)

    reach = max(math.sqrt(2) * float(np.linalg.norm(theta)), MIN_RANGE)
    a = np.linspace(-reach, reach, points)
    b = np.linspace(-reach, reach, points)
    bb, aa = np.meshgrid(b, a, indexing="ij")
    delta_i = (aa.reshape(-1, 1) * d + bb.reshape(-1, 1) * m) / math.sqrt(2)
    delta_j = (-aa.reshape(-1, 1) * d + bb.reshape(-1, 1) * m) / math.sqrt(2)
    X_grid, y_grid = np.asarray(data.X_train[:grid_rows]), np.asarray(data.y_train[:grid_rows])
    grid = grid_losses(params, layer, units, delta_i, delta_j, X_grid, y_grid, config, task, n_train)
    line_i = a[:, None] * d / math.sqrt(2)
    line = grid_losses(params, layer, units, line_i, -line_i, X, y, config, task, n_train)
    return Landscape(layer, units, task, get_task(task).loss_name, a, b, grid.reshape(points, points), line,
                     float(line[points // 2]), float(curvatures[0]), curvatures, apart_slope, together_slope,
                     together_curvature, stationary, d, m, grid_rows, curvature_rows, n_train)


# --- what the curvature predicts for the nudge -------------------------------------------------------

def steps_per_epoch(config: RunConfig, n_train: int) -> int:
    """Updates per epoch: 1 full batch for gd, ⌈n / batch⌉ minibatches otherwise."""
    if OPTIMIZERS[config.optimizer].full_batch:
        return 1
    return math.ceil(n_train / min(config.batch_size, n_train))


def step_factor(curvature: float, config: RunConfig) -> float:
    """|growth| per step of a small difference along a direction of curvature κ, for a linear model.

    gd/sgd: |1 − ηκ|. Momentum (v ← μv − ηg, θ ← θ + v): the larger root in size of
    r² − (1 + μ − ηκ)·r + μ = 0. Adam rescales every step by its own statistics: nan (no prediction).
    """
    eta = config.learning_rate
    if config.optimizer in ("gd", "sgd"):
        return abs(1 - eta * curvature)
    if config.optimizer == "momentum":
        mu = config.momentum
        roots = np.roots([1.0, -(1 + mu - eta * curvature), mu])
        return float(np.max(np.abs(roots)))
    return float("nan")


def predicted_rate(view: Landscape, config: RunConfig) -> float:
    """The nudge's growth rate λ per epoch that the curvatures at the tie predict (nan: no prediction).

    The fastest-growing apart direction wins: max over the apart curvatures of ln|factor| × steps per
    epoch. Dropout (per-unit noise) breaks the tie by itself, so it gets no prediction either.
    """
    if config.dropout > 0:
        return float("nan")
    factors = [step_factor(float(k), config) for k in view.curvatures]
    if not all(math.isfinite(f) and f > 0 for f in factors):
        return float("nan")
    return max(math.log(f) for f in factors) * steps_per_epoch(config, view.train_rows)
