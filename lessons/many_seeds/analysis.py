"""Many seeds, one solution: what networks trained from different seeds share, and what they do not.

Train the same network from K seeds and three things can be measured (docs/architecture.md Q1 and Q2):

1. **The losses are close, the weights are not.** Each seed ends at nearly the same loss, yet its weight
   vector is far from the others'. The *weight spread* says how far: the largest distance of any seed's
   whole parameter vector (every weight and bias) from the reference seed's.
2. **Part of the difference is a relabelling.** A layer's units can be listed in any order without
   changing the function, so each seed is aligned to the reference with weight matching
   (`core.symmetry.match_units`): the distances shrink and, often, so does the loss barrier on the
   straight line between two networks. Odd activations (tanh) have a second symmetry — flip the sign of
   a unit's incoming weights, bias and outgoing weights — which `match_units_and_signs` undoes too.
3. **The functions agree far more than the weights do**: the fraction of points on which every seed
   predicts the same class (regression: how far apart the predicted values are, against the targets'
   spread — lessons/many_seeds/agreement.py), and for 2-D data each seed's decision boundary (o = 0
   contour).
4. **Does the start decide how good the result is?** The spread of the final test losses relative to
   their mean (`loss_relative_spread`) against the weight spread relative to the weights' size: the
   lesson's answer to "do we need a grid search over seeds?" (SEED_SEARCH_LOSS_RELATIVE).

The convex contrast: without a hidden layer (logistic regression, or linear regression with squared
error) there are no units to relabel and the loss is convex, so every seed heads for the same weights;
`convex_verdict` (lessons/many_seeds/convex.py) says whether they got there within the epochs trained,
and if not, which measured fact of the data explains it.

All distances are taken on `canonical` parameters: with more than two classes, softmax ignores any shift
shared by all classes, so the output weights are centred across classes first (otherwise seeds would
look different in a direction the loss cannot even see). Plain numpy, no streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from core.datasets import Dataset
from core.symmetry import barrier_from_losses, interpolation_losses, match_units, permute, unit_vectors
from core.train import History
from lessons.many_seeds.agreement import Agreement, PredictionSpread, function_agreement
from lessons.many_seeds.agreement import DecisionGrids as DecisionGrids  # re-exported: older imports
from lessons.many_seeds.agreement import decision_grids as decision_grids  # re-exported: older imports

Array = np.ndarray
Params = list[tuple[Array, Array]]
ParamsLike = Sequence[tuple[Array, Array]]

# "The same weights" means a spread below this fraction of the reference's own size: far above float64
# round-off (~1e-16), far below anything a plot could show.
SAME_WEIGHTS_RELATIVE = 1e-3
# A barrier at most this fraction of the loss at the ends reads as "flat".
FLAT_BARRIER_RELATIVE = 0.1
LINE_POINTS = 25  # λ values on the straight line between two networks
# "No need to search over seeds" only when the seeds' final test losses differ by at most this fraction
# of their mean. Why 10 %: a mean loss measured on the ~100 rows of a validation or test split has a
# relative standard error of about 10–15 % itself (std/mean of one row's squared error is √2 for Gaussian
# residuals, so √2/√100 ≈ 14 %), so a smaller spread is below what picking "the best seed" on held-out
# data can tell apart from luck; and it is small next to what width, learning rate or regularization
# change. Above it, the start changed how good the result is, and keeping the best of a few restarts can pay.
SEED_SEARCH_LOSS_RELATIVE = 0.10


# --- parameters as one vector -----------------------------------------------------------------------------

def canonical(params: ParamsLike) -> Params:
    """The parameters with softmax's free shift removed: output weights and bias centred across classes.

    Why: softmax(z + c) = softmax(z) for any c shared by all classes, so the loss has a flat direction and
    gradient descent never moves along it — the seeds' random starts stay there forever. Centring puts
    every network at the one representative of its function along that direction. One logistic output
    (two classes) has no such freedom and is returned unchanged (copied).
    """
    result = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    W, b = result[-1]
    if W.shape[-1] > 1:
        result[-1] = (W - W.mean(axis=-1, keepdims=True), b - b.mean(axis=-1, keepdims=True))
    return result


def flatten(params: ParamsLike) -> Array:
    """Every weight and bias of a network in one vector (layer by layer, W then b)."""
    return np.concatenate([np.concatenate([np.ravel(W), np.ravel(b)]) for W, b in params])


def distance(params_a: ParamsLike, params_b: ParamsLike) -> float:
    """Euclidean distance between two networks' whole parameter vectors."""
    return float(np.linalg.norm(flatten(params_a) - flatten(params_b)))


def layer_distances(params_a: ParamsLike, params_b: ParamsLike) -> Array:
    """Distance per layer (its weights and biases together): where two networks differ."""
    return np.array([math.sqrt(float(np.sum((np.asarray(Wa) - Wb) ** 2) + np.sum((np.asarray(ba) - bb) ** 2)))
                     for (Wa, ba), (Wb, bb) in zip(params_a, params_b, strict=True)])


def relative(value: float, size: float) -> float:
    """`value` as a fraction of `size`; 0/0 is 0 (two zero networks are the same), x/0 is inf."""
    if size > 0:
        return value / size
    return 0.0 if value == 0 else math.inf


# --- aligning every seed to the reference -----------------------------------------------------------------

@dataclass(frozen=True)
class Alignment:
    """Every network lined up with the reference (`reference` indexes the list it was built from).

    `perms[k]` holds one permutation per hidden layer (`match_units`' form); `aligned[k]` is network k
    with its units reordered — the same function. `before[k]`/`after[k]` are the distances of network k
    from the reference without and with the reordering (0 for the reference itself).
    """

    reference: int
    perms: tuple[list[Array], ...]
    aligned: tuple[Params, ...]
    before: Array
    after: Array


def align_to_reference(params_list: Sequence[ParamsLike], reference: int = 0) -> Alignment:
    """Weight-match every network to `params_list[reference]` (Git Re-Basin), one network at a time.

    The distance can only shrink: `match_units` never returns an ordering further from A than B's own
    (for one hidden layer it is the closest ordering there is). Without hidden layers there is nothing to
    reorder, so `aligned` is the input and `after` equals `before`.
    """
    target = params_list[reference]
    perms, aligned = [], []
    for k, params in enumerate(params_list):
        identity = [np.arange(len(b)) for _, b in params[:-1]]
        perm = identity if k == reference else match_units(target, params)
        perms.append(perm)
        aligned.append(permute(params, perm))
    before = np.array([distance(target, params) for params in params_list])
    after = np.array([distance(target, params) for params in aligned])
    return Alignment(reference, tuple(perms), tuple(aligned), before, after)


# --- odd activations: reorder *and* flip signs ---------------------------------------------------------

# σ(−z) = −σ(z): flipping the sign of a unit's incoming weights, bias and outgoing weights changes nothing.
ODD_ACTIVATIONS = frozenset({"tanh", "linear"})


def flip_and_permute(params: ParamsLike, perms: Sequence[Array], signs: Sequence[Array]) -> Params:
    """`permute(params, perms)`, then unit j of hidden layer l multiplied by signs[l][j] (in, bias, out).

    For an odd activation the function is unchanged, since v·σ(−wᵀx − b) = (−v)·σ(wᵀx + b).
    """
    result = permute(params, perms)
    for layer, sign in enumerate(signs):
        sign = np.asarray(sign, dtype=float)
        W, b = result[layer]
        result[layer] = (W * sign, b * sign)
        V, c = result[layer + 1]
        result[layer + 1] = (V * sign[:, None], c)
    return result


def _agreement(params_a: ParamsLike, params_b: ParamsLike, perms: Sequence[Array],
               signs: Sequence[Array]) -> float:
    """⟨θ_A, θ_B reordered and flipped⟩: larger = closer (the norms do not change)."""
    return float(np.vdot(flatten(params_a), flatten(flip_and_permute(params_b, perms, signs))))


def _signed_fan_in_guess(params_a: ParamsLike, params_b: ParamsLike) -> tuple[list[Array], list[Array]]:
    """Layer by layer, pair units on incoming weights and bias alone, allowing a sign flip per pair."""
    perms: list[Array] = []
    signs: list[Array] = []
    for layer in range(len(params_a) - 1):
        W_a, b_a = (np.asarray(x) for x in params_a[layer])
        W_b, b_b = (np.asarray(x) for x in params_b[layer])
        if layer:
            W_b = W_b[perms[-1], :] * signs[-1][:, None]
        similarity = W_a.T @ W_b + np.outer(b_a, b_b)
        perm = linear_sum_assignment(np.abs(similarity), maximize=True)[1]
        perms.append(perm)
        signs.append(np.where(similarity[np.arange(len(perm)), perm] < 0, -1.0, 1.0))
    return perms, signs


def match_units_and_signs(params_a: ParamsLike, params_b: ParamsLike,
                          max_sweeps: int = 100) -> tuple[list[Array], list[Array]]:
    """Weight matching over reorderings *and* sign flips of units: (perms, signs), one pair per hidden layer.

    Starts from the closer of two guesses — `match_units` with every sign +1, and a layer-by-layer match
    of fan-in and bias that allows flips — then re-solves one layer at a time with its neighbours fixed:
    pairing A's unit j with B's unit k at sign s scores s·C[j, k] (C as in match_units, on whole unit
    vectors), so the best sign is sign(C[j, k]) and the best pairing a linear assignment on |C|. Each
    accepted step raises Σ⟨θ_A, transformed θ_B⟩, so the result is never further from A than what
    `match_units` alone gives. Only meaningful for odd activations (ODD_ACTIVATIONS).
    """
    unsigned = [np.asarray(perm) for perm in match_units(params_a, params_b)]
    candidates = [(unsigned, [np.ones(len(perm)) for perm in unsigned]),
                  _signed_fan_in_guess(params_a, params_b)]
    perms, signs = max(candidates, key=lambda guess: _agreement(params_a, params_b, *guess))
    perms, signs = list(perms), list(signs)
    for _ in range(max_sweeps):
        changed = False
        for layer in range(len(perms)):
            free_perms = [np.arange(len(p)) if i == layer else p for i, p in enumerate(perms)]
            free_signs = [np.ones(len(s)) if i == layer else s for i, s in enumerate(signs)]
            others = flip_and_permute(params_b, free_perms, free_signs)
            similarity = unit_vectors(params_a, layer) @ unit_vectors(others, layer).T
            rows = np.arange(len(perms[layer]))
            current = float(np.sum(signs[layer] * similarity[rows, perms[layer]]))
            candidate = linear_sum_assignment(np.abs(similarity), maximize=True)[1]
            best = float(np.abs(similarity[rows, candidate]).sum())
            if best > current + 1e-12 * max(1.0, abs(current)):
                perms[layer] = candidate
                signs[layer] = np.where(similarity[rows, candidate] < 0, -1.0, 1.0)
                changed = True
        if not changed:
            break
    return perms, signs


# --- two networks, unit by unit ---------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitPairing:
    """Which unit of B lines up with each unit of A in one hidden layer, and how close they are.

    `matched[j]` is B's own index of the unit paired with A's unit j. `before[j]` compares A's unit j with
    B's unit j as numbered (no reordering anywhere); `after[j]` compares it with its matched partner, B's
    other layers reordered too. Units are whole vectors [incoming weights, bias, outgoing weights].
    """

    layer: int
    matched: Array
    before: Array
    after: Array

    @property
    def moved(self) -> int:
        """How many of A's units were paired with a differently numbered unit of B."""
        return int(np.sum(self.matched != np.arange(len(self.matched))))


def unit_pairing(params_a: ParamsLike, params_b: ParamsLike, perms: Sequence[Array],
                 layer: int) -> UnitPairing:
    """The pairing of hidden layer `layer` that `perms` (from `match_units(params_a, params_b)`) implies."""
    units_a = unit_vectors(params_a, layer)
    before = np.linalg.norm(units_a - unit_vectors(params_b, layer), axis=-1)
    after = np.linalg.norm(units_a - unit_vectors(permute(params_b, perms), layer), axis=-1)
    return UnitPairing(layer, np.asarray(perms[layer]).copy(), before, after)


# --- the straight line between two networks ---------------------------------------------------------------

@dataclass(frozen=True)
class StraightLine:
    """Loss along θ(λ) = (1 − λ)θ_A + λθ_B, with B as trained and with B's units aligned to A's."""

    lambdas: Array
    before: Array
    after: Array
    flipped: Array | None = None  # B reordered and sign-flipped (odd activations only)

    @property
    def barrier_flipped(self) -> float:
        return barrier_from_losses(self.flipped) if self.flipped is not None else math.nan

    @property
    def barrier_before(self) -> float:
        return barrier_from_losses(self.before)

    @property
    def barrier_after(self) -> float:
        return barrier_from_losses(self.after)

    @property
    def end_loss(self) -> float:
        """The mean of the two ends' losses: the yardstick for "a high" or "a low" barrier."""
        return float(0.5 * (self.before[0] + self.before[-1]))


def straight_line(params_a: ParamsLike, params_b: ParamsLike, aligned_b: ParamsLike, X: Array, y: Array,
                  activation: str, n: int = LINE_POINTS, flipped_b: ParamsLike | None = None, *,
                  task: str = "classification") -> StraightLine:
    """The task's mean loss on (X, y) (log loss, or squared error for regression) along the line from A
    to B, before and after aligning B's units.

    All lines end at the same two losses (reordering units changes no output), so any difference in
    between is due to which units get averaged with which. `flipped_b` (B reordered and sign-flipped,
    for odd activations) adds a third line.
    """
    def losses(other: ParamsLike) -> Array:
        return interpolation_losses(params_a, other, X, y, activation, n, task=task)

    flipped = None if flipped_b is None else losses(flipped_b)
    return StraightLine(np.linspace(0.0, 1.0, n), losses(params_b), losses(aligned_b), flipped)


# --- the whole study of K seeds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SeedStudy:
    """Everything the lesson measures about K seeds of one configuration.

    Seeds that diverged (or ended on non-finite weights) are listed in `excluded` and left out of every
    number; `used` indexes the histories that count, `reference` (an index into `used`) is the first of
    them, normally the sidebar's own seed. The *weight spread* is `alignment.before.max()`: the largest
    distance of any seed's parameter vector from the reference's. `task` names the output layer
    (core.tasks): the loss is log loss or squared error, the score accuracy or R², and `agreement` an
    `Agreement` or a `PredictionSpread` accordingly.
    """

    seeds: tuple[int, ...]
    used: tuple[int, ...]
    excluded: tuple[int, ...]
    test_loss: Array  # final test loss per history (all of them, diverged ones included)
    test_score: Array  # final test accuracy (classification) or R² (regression) per history
    params: tuple[Params, ...]  # canonical final parameters of the used histories
    alignment: Alignment | None  # None if fewer than two seeds are usable
    reference_size: float  # ‖θ_reference‖
    agreement: Agreement | PredictionSpread | None
    task: str = "classification"

    @property
    def usable(self) -> bool:
        return self.alignment is not None

    @property
    def is_regression(self) -> bool:
        return self.task == "regression"

    @property
    def test_accuracy(self) -> Array:
        """Final test accuracy per history; nan for regression, which has no classes to be right about."""
        return np.full_like(self.test_score, np.nan) if self.is_regression else self.test_score

    @property
    def reference_seed(self) -> int:
        return self.seeds[self.used[0]] if self.used else self.seeds[0]

    @property
    def loss_range(self) -> tuple[float, float]:
        """Lowest and highest final test loss of the used seeds."""
        losses = self.test_loss[list(self.used)]
        return float(losses.min()), float(losses.max())

    @property
    def score_range(self) -> tuple[float, float]:
        """Lowest and highest final test score (accuracy or R²) of the used seeds."""
        scores = self.test_score[list(self.used)]
        return float(scores.min()), float(scores.max())

    @property
    def loss_spread(self) -> float:
        """Highest minus lowest final test loss across the used seeds: how close the seeds end."""
        low, high = self.loss_range
        return high - low

    @property
    def mean_test_loss(self) -> float:
        return float(np.mean(self.test_loss[list(self.used)]))

    @property
    def loss_relative_spread(self) -> float:
        """The test-loss spread as a fraction of the seeds' mean test loss (0 if the mean loss is 0)."""
        mean = self.mean_test_loss
        return self.loss_spread / mean if mean > 0 else 0.0

    @property
    def weight_spread(self) -> float:
        """Largest distance of a seed's whole parameter vector from the reference seed's (as trained)."""
        return float(self.alignment.before.max()) if self.alignment else math.nan

    @property
    def aligned_spread(self) -> float:
        """The same after reordering every seed's units to line up with the reference's."""
        return float(self.alignment.after.max()) if self.alignment else math.nan

    @property
    def relative_spread(self) -> float:
        """The weight spread as a fraction of the reference's own size ‖θ_reference‖."""
        return relative(self.weight_spread, self.reference_size)


def _usable(history: History) -> bool:
    return not history.diverged and all(np.isfinite(W).all() and np.isfinite(b).all()
                                        for W, b in history.final_params())


def study_seeds(histories: Sequence[History], data: Dataset) -> SeedStudy:
    """Measure K trained seeds: final losses and scores, weight spread, alignment to the first usable
    seed, and how alike their functions are on the test points (the task's measure)."""
    seeds = tuple(history.config.seed for history in histories)
    used = tuple(k for k, history in enumerate(histories) if _usable(history))
    excluded = tuple(seeds[k] for k in range(len(histories)) if k not in used)
    params = tuple(canonical(histories[k].final_params()) for k in used)
    alignment = align_to_reference(params, 0) if len(params) >= 2 else None
    size = float(np.linalg.norm(flatten(params[0]))) if params else math.nan
    activation = histories[0].config.activation
    shared = function_agreement(params, data.X_test, data.y_test, activation, data.task) \
        if len(params) >= 2 else None
    final = np.array([[history.test_loss[-1], history.test_score[-1]] for history in histories])
    return SeedStudy(seeds, used, excluded, final[:, 0], final[:, 1], params, alignment, size, shared,
                     data.task)


def seed_range(first: int, count: int, highest: int = 2**31 - 1) -> tuple[int, ...]:
    """`count` consecutive seeds starting at `first`, shifted down if they would pass the largest seed."""
    start = min(int(first), highest - count + 1)
    return tuple(range(start, start + count))
