"""Is the tie backprop's fault? Two experiments that separate *how* gradients are computed from *when*
updates are applied (issue 15; DESIGN Q4, the comment that "computing each ∂C/∂W_i individually would avoid
the symmetry").

1. **Finite differences, one weight at a time.** Each weight's gradient as (L(θ + h·e) − L(θ − h·e)) /
   (2h), which knows nothing of layers or of the chain rule, next to backprop's. They agree to ~10 digits,
   and two units that are exact copies get *bitwise equal* finite-difference entries: the tie is a property
   of the loss (swapping two copies maps the network to itself), not of the algorithm.

   Bitwise, not just to 1e-11: perturbing unit A's weight or the same weight of its copy B gives two
   networks that are permutations of each other, but a matrix product (BLAS) sums over units in memory
   order and may compute column A with another micro-kernel than column B, so the two losses could differ
   by ~1e-16 and the quotients by ~1e-11. `_SymmetricLoss` therefore computes the chosen layer's columns
   one by one with the same reduction, and the next layer's sums over the chosen layer's units after
   sorting the products along the unit axis, and the penalties from sorted values: every sum that runs over
   those units depends on the multiset of its terms only, so permuted networks give bit-equal losses.

2. **Updates applied one unit at a time.** From an identical start, plain gradient steps that move every
   parameter at once keep copies exactly equal (core.ties gives tied units one shared gradient, which is
   the exact-arithmetic answer); moving unit 1 first, then computing unit 2's gradient on the network
   where unit 1 has already moved, and so on, separates them — with the very same backprop gradients.

Plain numpy on top of core: no streamlit, no plotly. Everything is bounded (see the constants below).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.config import RunConfig
from core.initializers import init_params
from core.network import ACTIVATIONS, loss_and_gradients
from core.symmetry import symmetry_gap
from core.tasks import get_task
from core.ties import TieSharing

Array = np.ndarray
Params = list[tuple[Array, Array]]

MAX_FD_PARAMETERS = 300  # above this many parameters, finite differences only for units A and B
MAX_ROWS = 200  # training rows used by both experiments (the first ones of the training split)
FD_STEP = 1e-5  # h: truncation error ~h², rounding ~1e-16/h, both ~1e-10 for O(1) losses
KINK_BAND = 1e-4  # ReLU pre-activations this close to 0 may be crossed by a step of h (no derivative there)
N_STEPS = 5
ALL_DIGITS = 16  # what an error of exactly 0 counts as (float64 carries ~16 significant digits)


# --- a loss whose sums over one layer's units do not depend on the units' order -----------------------

def _columnwise(signal: Array, W: Array) -> Array:
    """signal @ W, every output column by the same reduction (so equal columns of W give equal columns)."""
    return (signal[:, :, None] * W[None, :, :]).sum(axis=1)


def _order_free(signal: Array, W: Array) -> Array:
    """signal @ W, each sum over the inputs taken after sorting its terms: a function of their multiset."""
    terms = signal[:, :, None] * W[None, :, :]
    terms.sort(axis=1)
    return terms.sum(axis=1)


def _order_free_total(values: Array) -> float:
    return float(np.sort(values, axis=None).sum())


class _SymmetricLoss:
    """The mean loss plus penalties (as core.network's, to rounding), permutation-invariant in `layer`.

    The inputs of every layer at the base parameters are kept, so a perturbation of layer l restarts the
    forward pass at layer l (the layers below are unchanged, so this gives the same numbers as a full pass).
    """

    def __init__(self, params: Params, X: Array, y: Array, activation: str, l2: float, l1: float,
                 task: str, layer: int):
        self.X, self.activation, self.l2, self.l1, self.layer = X, activation, l2, l1, layer
        self.rule = get_task(task)
        self.targets = self.rule.targets(y, params[-1][0].shape[1])
        self.inputs: list[Array] = []
        self._forward(params, 0, keep=True)

    def _forward(self, params: Params, start: int, keep: bool = False) -> Array:
        sigma = ACTIVATIONS[self.activation].function
        signal = self.inputs[start] if not keep else self.X
        for index in range(start, len(params)):
            if keep:
                self.inputs.append(signal)
            W, b = params[index]
            if index == self.layer:
                z = _columnwise(signal, W)
            elif index == self.layer + 1:
                z = _order_free(signal, W)
            else:
                z = signal @ W
            z += b
            signal = sigma(z) if index < len(params) - 1 else z
        return signal

    def __call__(self, params: Params, changed_layer: int = 0) -> float:
        logits = self._forward(params, changed_layer)
        loss = float(self.rule.mean_loss(logits, self.targets))
        n = self.X.shape[0]
        for W, _ in params:
            if self.l2:
                loss += 0.5 * self.l2 * _order_free_total(W * W) / n
            if self.l1:
                loss += self.l1 * _order_free_total(np.abs(W)) / n
        return loss


# --- 1. finite differences next to backprop -------------------------------------------------------------

@dataclass(frozen=True)
class GradientCheck:
    """Finite-difference and backprop gradients of units A and B, and how well they agree overall.

    `backprop` and `finite_difference` are (len(units), fan_in + 1 + fan_out): each unit's incoming
    weights, its bias, its outgoing weights, in that order.
    """

    layer: int
    units: tuple[int, ...]
    fan_in: int
    fan_out: int
    backprop: Array
    finite_difference: Array
    max_relative_error: float  # max |FD − BP| / max |BP| over every parameter checked
    n_checked: int  # parameters differentiated numerically
    n_parameters: int  # parameters in the whole network
    n_rows: int  # training rows used
    n_rows_total: int
    copies: bool  # units A and B equal in incoming column, bias and outgoing row (bitwise)
    unit_distance: float  # distance between A and B's parameter vectors (0.0 for copies)
    fd_copy_difference: float  # largest |FD_A − FD_B| (0.0 when bitwise equal); nan for one unit
    backprop_copy_difference: float
    kinks: int  # ReLU pre-activations at (or within KINK_BAND of) the kink, where no derivative exists

    @property
    def digits(self) -> int:
        """Significant digits the two agree to: ⌊−log10(max relative error)⌋, all 16 for an exact match."""
        return agreement_digits(self.max_relative_error)

    @property
    def capped(self) -> bool:
        """Whether only units A and B were checked (the network has more than MAX_FD_PARAMETERS)."""
        return self.n_checked < self.n_parameters

    @property
    def rows_capped(self) -> bool:
        return self.n_rows < self.n_rows_total


def agreement_digits(relative_error: float) -> int:
    if not math.isfinite(relative_error):
        return 0
    if relative_error <= 0:
        return ALL_DIGITS
    return int(min(max(math.floor(-math.log10(relative_error)), 0), ALL_DIGITS))


def relative_error(fd: Array, bp: Array) -> float:
    """max |FD − BP| / max |BP| (the ∞-norm relative error): entries much smaller than the largest carry
    the same ~1e-11 absolute error of a central difference, so an entrywise ratio would measure the step
    size, not the agreement. 0.0 for an exact match (or two all-zero gradients), inf if anything is not
    finite."""
    fd, bp = np.ravel(fd), np.ravel(bp)
    if not (np.isfinite(fd).all() and np.isfinite(bp).all()):
        return math.inf
    difference = float(np.abs(fd - bp).max()) if fd.size else 0.0
    scale = float(np.abs(bp).max()) if bp.size else 0.0
    if difference == 0:
        return 0.0
    return difference / scale if scale > 0 else math.inf


def training_rows(X: Array, y: Array, max_rows: int = MAX_ROWS) -> tuple[Array, Array]:
    """The first `max_rows` training rows (the split is already shuffled), for both experiments."""
    return np.asarray(X, dtype=np.float64)[:max_rows], np.asarray(y)[:max_rows]


def unit_indices(params: Params, layer: int, unit: int) -> list[tuple[int, tuple[int, int] | int]]:
    """Where unit `unit` of hidden layer `layer` lives: (array, index) for its incoming weights, its bias,
    its outgoing weights — array 2·l is W_l, 2·l + 1 is b_l."""
    fan_in = params[layer][0].shape[0]
    fan_out = params[layer + 1][0].shape[1]
    return ([(2 * layer, (p, unit)) for p in range(fan_in)] + [(2 * layer + 1, unit)]
            + [(2 * layer + 2, (unit, k)) for k in range(fan_out)])


def _all_indices(params: Params) -> list[tuple[int, tuple[int, int] | int]]:
    found: list[tuple[int, tuple[int, int] | int]] = []
    for index, (W, b) in enumerate(params):
        found += [(2 * index, (int(p), int(k))) for p, k in np.ndindex(W.shape)]
        found += [(2 * index + 1, int(k)) for k in range(b.shape[0])]
    return found


def finite_differences(loss: _SymmetricLoss, params: Params,
                       where: Sequence[tuple[int, tuple[int, int] | int]], step: float = FD_STEP) -> Array:
    """Central differences, one parameter at a time (2 loss evaluations each).

    The denominator is the step actually taken, (w + h) − (w − h), which in floating point is not
    exactly 2h; equal weights take equal steps, so copies stay comparable bit for bit.
    """
    arrays = [np.array(a, dtype=np.float64) for layer in params for a in layer]
    current = [(arrays[2 * j], arrays[2 * j + 1]) for j in range(len(params))]  # views, edited in place
    values = np.empty(len(where))
    for i, (array_index, entry) in enumerate(where):
        array = arrays[array_index]
        original = array[entry]
        plus, minus = original + step, original - step
        array[entry] = plus
        up = loss(current, array_index // 2)
        array[entry] = minus
        down = loss(current, array_index // 2)
        array[entry] = original
        values[i] = (up - down) / (plus - minus)
    return values


def _gather(grads: Params, where: Sequence[tuple[int, tuple[int, int] | int]]) -> Array:
    flat = [a for layer in grads for a in layer]
    return np.array([flat[array_index][entry] for array_index, entry in where])


def check_gradients(params: Sequence[tuple[Array, Array]], X: Array, y: Array, activation: str,
                    layer: int, units: Sequence[int], l2: float = 0.0, l1: float = 0.0, *,
                    task: str = "classification", max_parameters: int = MAX_FD_PARAMETERS,
                    max_rows: int = MAX_ROWS) -> GradientCheck:
    """Finite differences next to backprop (`core.network.loss_and_gradients`), with the penalties.

    Every parameter is checked when the network has at most `max_parameters`, else only units A and B's
    (the agreement is then measured on those); at most `max_rows` training rows are used.
    """
    params = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]
    rows_X, rows_y = training_rows(X, y, max_rows)
    _, grads = loss_and_gradients(params, rows_X, rows_y, activation, l2, l1, task=task)
    loss = _SymmetricLoss(params, rows_X, rows_y, activation, l2, l1, task, layer)
    per_unit = [unit_indices(params, layer, u) for u in units]
    n_parameters = sum(W.size + b.size for W, b in params)
    if n_parameters <= max_parameters:
        everything = _all_indices(params)
        fd_all = finite_differences(loss, params, everything)
        bp_all = _gather(grads, everything)
        lookup = {key: i for i, key in enumerate(everything)}
        fd = np.array([[fd_all[lookup[key]] for key in where] for where in per_unit])
        n_checked = n_parameters
    else:
        fd = np.array([finite_differences(loss, params, where) for where in per_unit])
        bp_all, fd_all, n_checked = None, fd, sum(len(where) for where in per_unit)
    bp = np.array([_gather(grads, where) for where in per_unit])
    if bp_all is None:
        bp_all = bp
    max_error = relative_error(fd_all, bp_all)
    vectors = [np.array([np.asarray(params[a // 2][a % 2])[e] for a, e in where]) for where in per_unit]
    two = len(units) == 2
    return GradientCheck(
        layer=layer, units=tuple(int(u) for u in units), fan_in=params[layer][0].shape[0],
        fan_out=params[layer + 1][0].shape[1], backprop=bp, finite_difference=fd,
        max_relative_error=max_error, n_checked=n_checked, n_parameters=n_parameters,
        n_rows=len(rows_y), n_rows_total=len(y),
        copies=two and bool(np.array_equal(vectors[0], vectors[1])),
        unit_distance=float(np.linalg.norm(vectors[0] - vectors[1])) if two else math.nan,
        fd_copy_difference=float(np.abs(fd[0] - fd[1]).max()) if two else math.nan,
        backprop_copy_difference=float(np.abs(bp[0] - bp[1]).max()) if two else math.nan,
        kinks=relu_kinks(loss, params) if activation == "relu" else 0,
    )


def relu_kinks(loss: _SymmetricLoss, params: Params) -> int:
    """How many (row, unit) pre-activations of the hidden layers lie within KINK_BAND of ReLU's kink.

    There the loss has no derivative: backprop takes σ'(0) = 0, a central difference straddling 0 averages
    the two sides, and the two honestly disagree (e.g. an identical ReLU start, where a row that switches
    off one copy switches off all of them, feeds exactly 0 to the next layer).
    """
    return sum(int(np.count_nonzero(np.abs(loss.inputs[index] @ W + b) <= KINK_BAND))
               for index, (W, b) in enumerate(params[:-1]))


# --- 2. the same gradients, applied all at once or one unit at a time -----------------------------------

@dataclass(frozen=True)
class UpdateOrder:
    """The layer's symmetry gap after each plain gradient step (index 0 = the start) for both schemes."""

    layer: int
    width: int  # units in the layer (one unit has nothing to separate from: its gap is always 0.0)
    learning_rate: float
    simultaneous: Array  # gap after 0, 1, …, n_steps steps, every parameter moved at once
    sequential: Array  # the same, one unit at a time (each unit's gradient after the earlier units moved)
    start_gap: float
    hidden_gradient_zero: bool  # at the start, every gradient entry of the layer's units is exactly 0
    n_rows: int

    @property
    def n_steps(self) -> int:
        return len(self.simultaneous) - 1


def identical_start(config: RunConfig, layer_sizes: Sequence[int] | None = None) -> Params:
    """The identical start the trainer uses for `config` with symmetry="identical" and no nudge.

    The trainer draws its start from the first child of SeedSequence(seed) (core.train); so does this, so
    the start here is epoch 0 of the page's identical run (tested).
    """
    identical = config.replace(symmetry="identical", perturbation=0.0)
    rng = np.random.default_rng(np.random.SeedSequence(config.seed).spawn(1)[0])
    return init_params(identical, rng, layer_sizes)


def _gradients(params: Params, X: Array, y: Array, activation: str, l2: float, l1: float,
               task: str) -> Params:
    """Backprop's gradient with tied units given one shared gradient (core.ties): exact arithmetic gives
    copies equal gradients, and this keeps them bitwise equal in floating point too."""
    _, grads = loss_and_gradients(params, X, y, activation, l2, l1, task=task)
    stacked = [(W[None], b[None]) for W, b in params]
    ties = TieSharing.find(stacked, per_unit_noise=False)
    stacked_grads = [(np.array(gW)[None], np.array(gb)[None]) for gW, gb in grads]
    if ties is not None:
        ties.share(stacked_grads)
    return [(gW[0], gb[0]) for gW, gb in stacked_grads]


def _unit_gradient_zero(grads: Params, layer: int) -> bool:
    return not (np.any(grads[layer][0]) or np.any(grads[layer][1]) or np.any(grads[layer + 1][0]))


def orders_from_identical_start(config: RunConfig, layer_sizes: Sequence[int], X: Array, y: Array, layer: int,
                                task: str = "classification") -> UpdateOrder:
    """`compare_update_orders` from the identical start of `config` (its activation, learning rate and
    penalties): the page's experiment in one call, so a worker process can run it."""
    return compare_update_orders(identical_start(config, layer_sizes), X, y, config.activation, layer,
                                 config.learning_rate, config.l2, config.l1, task=task)


def compare_update_orders(start: Sequence[tuple[Array, Array]], X: Array, y: Array, activation: str,
                          layer: int, learning_rate: float, l2: float = 0.0, l1: float = 0.0, *,
                          task: str = "classification", n_steps: int = N_STEPS,
                          max_rows: int = MAX_ROWS) -> UpdateOrder:
    """Plain full-batch gradient steps from `start`, in two orders, with the gap of hidden layer `layer`.

    Sequential: for each unit j of the layer in turn, the gradient at the current network, and only unit
    j's incoming column, bias and outgoing row moved by it; then one more gradient, for everything else
    (other layers, the output bias). Simultaneous: one gradient, every parameter moved by it.
    """
    rows_X, rows_y = training_rows(X, y, max_rows)
    width = start[layer][0].shape[1]

    def grad(params: Params) -> Params:
        return _gradients(params, rows_X, rows_y, activation, l2, l1, task)

    together = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in start]
    in_turn = [(W.copy(), b.copy()) for W, b in together]
    first = grad(together)
    zero = _unit_gradient_zero(first, layer)
    gaps_together = [symmetry_gap(together, layer)]
    gaps_in_turn = [gaps_together[0]]
    with np.errstate(all="ignore"):
        for step in range(n_steps):
            grads = first if step == 0 else grad(together)
            for (W, b), (gW, gb) in zip(together, grads, strict=True):
                W -= learning_rate * gW
                b -= learning_rate * gb
            gaps_together.append(symmetry_gap(together, layer))

            W_in, b_in = in_turn[layer]
            W_out = in_turn[layer + 1][0]
            for unit in range(width):
                grads = grad(in_turn)
                W_in[:, unit] -= learning_rate * grads[layer][0][:, unit]
                b_in[unit] -= learning_rate * grads[layer][1][unit]
                W_out[unit, :] -= learning_rate * grads[layer + 1][0][unit, :]
            grads = grad(in_turn)
            for index, ((W, b), (gW, gb)) in enumerate(zip(in_turn, grads, strict=True)):
                if index != layer:
                    b -= learning_rate * gb
                if index not in (layer, layer + 1):
                    W -= learning_rate * gW
            gaps_in_turn.append(symmetry_gap(in_turn, layer))
    return UpdateOrder(layer=layer, width=width, learning_rate=float(learning_rate),
                       simultaneous=np.array(gaps_together), sequential=np.array(gaps_in_turn),
                       start_gap=float(gaps_together[0]), hidden_gradient_zero=zero, n_rows=len(rows_y))
