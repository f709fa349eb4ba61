"""How alike are the hidden units? Distances between units, the symmetry gap, its growth rate, and the
permutation symmetry: weight matching and the loss barrier between two networks.

A hidden unit is more than its incoming weights. Swapping two units i and j leaves the network's function
unchanged only if we swap *everything* that belongs to them: the incoming column W_l[:, j], the bias
b_l[j] and the outgoing row W_{l+1}[j, :]. So a unit is represented here by that whole parameter vector,
and two units are "the same" exactly when these vectors are equal — then training can never tell them
apart (docs/architecture.md, the facts).

Conventions: `params` is a list of `(W, b)` with `W` shaped `(fan_in, fan_out)` (scikit-learn's
`coefs_` layout), the last layer the output. "Hidden layer l" means `params[l]` feeds it and
`params[l + 1]` holds its fan-out rows. Read top to bottom: unit vectors → distances → the gap and how
fast it grows → permutations → interpolation and the barrier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from core.network import mean_loss

Array = np.ndarray
Params = list[tuple[Array, Array]]
ParamsLike = Sequence[tuple[Array, Array]]

# Above this many elements in the (…, width, width, p) difference array, symmetry_gaps walks over the
# pair offsets instead: memory stays bounded and each slice fits in cache (faster for width 64 too).
_BROADCAST_LIMIT = 2**19
# Gram-form squared gaps above this fraction of the largest squared norm are accurate to ~1e-9 relative.
_GRAM_TRUSTED = 1e-6


# --- one vector per unit ------------------------------------------------------------------------------

def _hidden_layer_count(params: ParamsLike) -> int:
    return len(params) - 1


def _check_layer(params: ParamsLike, layer: int) -> None:
    n_hidden = _hidden_layer_count(params)
    if not 0 <= layer < n_hidden:
        raise IndexError(f"hidden layer {layer} does not exist: this network has {n_hidden} hidden layers")


def stack_units(weights_in: Array, biases: Array, weights_out: Array) -> Array:
    """Rows [incoming column, bias, outgoing row] per unit; any leading axes are carried along."""
    weights_in, biases, weights_out = np.asarray(weights_in), np.asarray(biases), np.asarray(weights_out)
    return np.concatenate([np.swapaxes(weights_in, -1, -2), biases[..., None], weights_out], axis=-1)


def unit_vectors(params: ParamsLike, layer: int) -> Array:
    """Each unit of hidden layer `layer` as one row: [W_l[:, j], b_l[j], W_{l+1}[j, :]], shape (width, p).

    Why all three parts: two units with equal incoming weights but different outgoing weights receive
    different gradients and separate (docs/architecture.md Q4), so only the full vector decides "identical".
    Parameters with leading axes (seeds, snapshots) give (…, width, p).
    """
    _check_layer(params, layer)
    W_in, b = params[layer]
    W_out, _ = params[layer + 1]
    return stack_units(W_in, b, W_out)


# --- distances and similarities -------------------------------------------------------------------------

def _squared_distances(units: Array) -> Array:
    """Squared Euclidean distances between all rows, from the differences themselves.

    Not via |a|² + |b|² − 2a·b: that formula cancels catastrophically, so two identical units would show
    a "distance" of ~1e-8 — exactly the honest zero the dashboard must display.
    """
    difference = units[..., :, None, :] - units[..., None, :, :]
    return np.einsum("...p,...p->...", difference, difference)


def pairwise_distances(params: ParamsLike, layer: int) -> Array:
    """(width, width) Euclidean distances between the units' full parameter vectors.

    Identical units give exactly 0.0 and the matrix is exactly symmetric with a zero diagonal.
    """
    return np.sqrt(_squared_distances(unit_vectors(params, layer)))


def cosine_similarities(params: ParamsLike, layer: int) -> Array:
    """(width, width) cosines of the angles between the units' full parameter vectors.

    The cosine of a zero vector is undefined; we define it as 1 when *both* units are zero (they are the
    same unit) and 0 when only one is (nothing in common), so a zero or constant start reads "all alike".
    Units at distance exactly zero get exactly 1.0 (rounding could otherwise show 0.9999999999999998).
    """
    units = unit_vectors(params, layer)
    norms = np.sqrt(np.einsum("...p,...p->...", units, units))
    scale = norms[..., :, None] * norms[..., None, :]
    dots = units @ np.swapaxes(units, -1, -2)
    cosines = np.divide(dots, scale, out=np.zeros_like(dots), where=scale > 0)
    cosines = np.clip(cosines, -1.0, 1.0)
    cosines[_squared_distances(units) == 0] = 1.0  # identical units, including two zero vectors
    return cosines


# --- the symmetry gap ----------------------------------------------------------------------------------

def _largest_squared_distance_exact(units: Array) -> Array:
    """Largest squared distance per leading index, from direct differences (exact zero for ties)."""
    width = units.shape[-2]
    if units.size * width <= _BROADCAST_LIMIT:
        return _squared_distances(units).max(axis=(-2, -1))
    # Pairs (i, i + k) for k = 1 … width−1 cover every pair once; each slice is (…, width − k, p).
    largest = np.zeros(units.shape[:-2])
    for offset in range(1, width):
        difference = units[..., offset:, :] - units[..., :-offset, :]
        squared = np.einsum("...ip,...ip->...i", difference, difference)
        np.maximum(largest, squared.max(axis=-1), out=largest)
    return largest


def symmetry_gaps(weights_in: Array, biases: Array, weights_out: Array) -> Array:
    """Largest distance between any two units, for every leading index (seed, snapshot) at once.

    Shapes: `weights_in` (…, fan_in, width), `biases` (…, width), `weights_out` (…, width, fan_out);
    the result has shape (…). The trainer calls this every epoch, so it first uses the cheap Gram form
    |a|² + |b|² − 2a·b, which is accurate to ~1e-9 relative once units are clearly apart; any gap too small
    to trust that way (a tie or near-tie, where the form cancels) is recomputed from direct differences.
    So identical units give exactly 0.0, which is what "the units never separate" looks like in numbers.
    Non-finite weights give inf or nan, silently.
    """
    units = stack_units(weights_in, biases, weights_out)
    leading = units.shape[:-2]
    units = units.reshape(-1, *units.shape[-2:])
    with np.errstate(over="ignore", invalid="ignore"):
        norms = np.einsum("...p,...p->...", units, units)
        squared = units @ np.swapaxes(units, -1, -2)
        squared *= -2.0
        squared += norms[..., :, None]
        squared += norms[..., None, :]
        largest = squared.max(axis=(-2, -1))
        unsure = ~(largest > _GRAM_TRUSTED * norms.max(axis=-1))  # also true for nan
        if unsure.any():
            largest[unsure] = _largest_squared_distance_exact(units[unsure])
        return np.sqrt(largest).reshape(leading)


def symmetry_gap(params: ParamsLike, layer: int) -> float:
    """Largest distance between any two units of hidden layer `layer` (0.0 for a single unit).

    One number that is exactly 0.0 while the layer is still symmetric and grows once units separate.
    """
    _check_layer(params, layer)
    W_in, b = params[layer]
    W_out, _ = params[layer + 1]
    return float(symmetry_gaps(W_in, b, W_out))


# --- how many different units are there? ------------------------------------------------------------------

def distinct_units_from_distances(distances: Array, tol: float = 1e-6) -> int:
    """Number of groups when units closer than `tol` are merged (single linkage).

    Single linkage = connected components of the graph "distance ≤ tol": a chain of near-copies counts
    as one unit, which is what a learner sees when several lines overlap in the picture.
    """
    distances = np.asarray(distances)
    width = distances.shape[0]
    if width == 0:
        return 0
    close = distances <= tol
    # The two common answers without building a graph (scipy's sparse set-up costs ~1 ms a call, and the
    # comparison lesson asks once per snapshot): nothing close but each unit to itself, or all close.
    if np.count_nonzero(close) == width and close.diagonal().all():
        return width
    if close.all():
        return 1
    n_groups, _ = connected_components(csr_matrix(close), directed=False)
    return int(n_groups)


def distinct_units(params: ParamsLike, layer: int, tol: float = 1e-6) -> int:
    """How many really different units hidden layer `layer` has: width minus the copies (within `tol`)."""
    return distinct_units_from_distances(pairwise_distances(params, layer), tol)


# --- how fast does the gap grow? ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GrowthFit:
    """A straight line fitted to log(gap) against epoch: gap ≈ exp(intercept + rate · epoch).

    `rate` is λ per epoch (nan if fewer than 3 usable points); positive λ means the symmetric point is a
    saddle the units run away from, negative that it is stable and they fall back together.
    `first_epoch`/`last_epoch` bound the fitted points; `ceiling_epoch` is when the gap first reached the
    ceiling (None if it never did), i.e. when the linearized picture stopped applying.
    """

    rate: float
    intercept: float
    first_epoch: float | None
    last_epoch: float | None
    ceiling_epoch: float | None
    n_points: int


def fit_growth(
    gaps: Array, epochs: Array | None = None, floor: float = 1e-300, ceiling: float = 1e-3
) -> GrowthFit:
    """Least-squares slope of log(gap) versus epoch over the early, still-small part of the curve.

    Near the symmetric point the dynamics are linear, so a perturbation grows or decays like e^{λt}.
    That holds only while the gap is small: the fit starts at the first epoch with gap > `floor` (a gap
    of exactly zero has no logarithm) and stops before the gap first reaches `ceiling` (or at the first
    non-finite value, i.e. divergence). Zero gaps inside that range are skipped.
    """
    gaps = np.asarray(gaps, dtype=np.float64)
    epochs = np.arange(len(gaps), dtype=np.float64) if epochs is None else np.asarray(epochs, np.float64)
    if epochs.shape != gaps.shape:
        raise ValueError(f"gaps {gaps.shape} and epochs {epochs.shape} must have the same shape")
    nothing = GrowthFit(np.nan, np.nan, None, None, None, 0)
    started = np.flatnonzero(np.isfinite(gaps) & (gaps > floor))
    if len(started) == 0:
        return nothing
    start = started[0]
    after = gaps[start:]
    stops = np.flatnonzero(~np.isfinite(after) | (after >= ceiling))
    stop = start + stops[0] if len(stops) else len(gaps)
    reached = start + stops[0] if len(stops) and np.isfinite(after[stops[0]]) else None
    ceiling_epoch = float(epochs[reached]) if reached is not None else None
    usable = np.arange(start, stop)
    usable = usable[gaps[usable] > floor]
    if len(usable) < 3:
        return GrowthFit(np.nan, np.nan, None, None, ceiling_epoch, len(usable))
    t, log_gap = epochs[usable], np.log(gaps[usable])
    t_mean, log_mean = t.mean(), log_gap.mean()
    rate = float(np.sum((t - t_mean) * (log_gap - log_mean)) / np.sum((t - t_mean) ** 2))
    intercept = float(log_mean - rate * t_mean)
    return GrowthFit(rate, intercept, float(t[0]), float(t[-1]), ceiling_epoch, len(usable))


# --- permutations ----------------------------------------------------------------------------------------

def permute(params: ParamsLike, perms: Sequence[Array]) -> Params:
    """The same network with the units of each hidden layer l reordered: new unit j = old unit perms[l][j].

    Moves a unit's incoming column, bias and outgoing row together, so the function is unchanged —
    the permutation symmetry that makes "which unit is unit 3?" meaningless across training runs.
    Works for parameters with leading axes too. Returns new arrays; the input is not modified.
    """
    if len(perms) != _hidden_layer_count(params):
        raise ValueError(f"need one permutation per hidden layer ({_hidden_layer_count(params)}), "
                         f"got {len(perms)}")
    result: Params = []
    previous: Array | None = None
    for layer, (W, b) in enumerate(params):
        W, b = np.asarray(W), np.asarray(b)
        if previous is not None:
            W = W[..., previous, :]
        if layer < len(perms):
            perm = np.asarray(perms[layer])
            width = b.shape[-1]
            if perm.shape != (width,) or not np.array_equal(np.sort(perm), np.arange(width)):
                raise ValueError(f"perms[{layer}] is not a permutation of the {width} units of layer {layer}")
            W, b = W[..., perm], b[..., perm]
            previous = perm
        result.append((W.copy(), b.copy()))
    return result


def _fan_in_similarity(
    params_a: ParamsLike, params_b: ParamsLike, perms: Sequence[Array], layer: int
) -> Array:
    """C[j, k] = ⟨fan-in and bias of A's unit j, those of B's unit k⟩, B's inputs already permuted."""
    W_a, b_a = params_a[layer]
    W_b, b_b = params_b[layer]
    if layer > 0:
        W_b = W_b[perms[layer - 1], :]
    return W_a.T @ W_b + np.outer(b_a, b_b)


def _fan_out_similarity(
    params_a: ParamsLike, params_b: ParamsLike, perms: Sequence[Array], layer: int
) -> Array:
    """C[j, k] = ⟨outgoing row of A's unit j, that of B's unit k⟩, B's next layer already permuted."""
    V_a, _ = params_a[layer + 1]
    V_b, _ = params_b[layer + 1]
    if layer + 1 < len(perms):
        V_b = V_b[:, perms[layer + 1]]
    return V_a @ V_b.T


def _best_assignment(similarity: Array) -> Array:
    """perm with perm[j] = the unit of B given to A's unit j, maximizing Σ_j similarity[j, perm[j]]."""
    return linear_sum_assignment(similarity, maximize=True)[1]


def _total_similarity(params_a: ParamsLike, params_b: ParamsLike, perms: Sequence[Array]) -> float:
    """⟨θ_A, θ_B with its units reordered by `perms`⟩ over every weight and bias: larger = closer."""
    return float(sum(np.vdot(a, b) for layer_a, layer_b in zip(params_a, permute(params_b, perms))
                     for a, b in zip(layer_a, layer_b)))


def match_units(
    params_a: ParamsLike, params_b: ParamsLike, max_sweeps: int = 100, seed: int = 0
) -> list[Array]:
    """Weight matching (Ainsworth, Hayase & Srinivasa 2023, "Git Re-Basin"): the permutations that line
    B's units up with A's, one per hidden layer, so `permute(params_b, perms)` is B reordered like A.

    For hidden layer l the permutation maximizes Σ_j ⟨unit j of A, unit perm[j] of B⟩ over the whole
    unit vector, i.e. a linear assignment on C = W_Aᵀ W_B(in) + b_A b_Bᵀ + W_A(out) W_B(out)ᵀ. With several
    hidden layers the incoming rows depend on the previous layer's permutation and the outgoing columns on
    the next one's, so: first match layer by layer on fan-in and bias alone, then re-solve one layer at a
    time with both neighbours fixed (a seeded random order each sweep) until a sweep changes nothing.
    A layer's permutation is only replaced by a strictly better one, so ties cannot make it cycle.
    Deterministic for a given `seed`. If B is an exact permutation of A, this recovers it exactly.
    """
    if len(params_a) != len(params_b) or any(
        np.shape(Wa) != np.shape(Wb) for (Wa, _), (Wb, _) in zip(params_a, params_b, strict=False)
    ):
        raise ValueError("the two networks must have the same layer sizes")
    params_a = [(np.asarray(W), np.asarray(b)) for W, b in params_a]
    params_b = [(np.asarray(W), np.asarray(b)) for W, b in params_b]
    n_hidden = _hidden_layer_count(params_a)

    perms: list[Array] = []
    for layer in range(n_hidden):
        perms.append(_best_assignment(_fan_in_similarity(params_a, params_b, perms, layer)))
    # The sweeps below only ever raise Σ⟨θ_A, permuted θ_B⟩, so starting from the better of this greedy
    # guess and "no reordering" guarantees the result is never further from A than B itself was (the
    # greedy guess ignores fan-out and, in deep narrow nets, can start below the identity).
    identity = [np.arange(len(b)) for _, b in params_a[:-1]]
    if _total_similarity(params_a, params_b, identity) > _total_similarity(params_a, params_b, perms):
        perms = identity

    rng = np.random.default_rng(seed)
    for _ in range(max_sweeps):
        changed = False
        for layer in rng.permutation(n_hidden):
            similarity = (_fan_in_similarity(params_a, params_b, perms, layer)
                          + _fan_out_similarity(params_a, params_b, perms, layer))
            candidate = _best_assignment(similarity)
            rows = np.arange(len(candidate))
            current_score = similarity[rows, perms[layer]].sum()
            if similarity[rows, candidate].sum() > current_score + 1e-12 * max(1.0, abs(current_score)):
                perms[layer] = candidate
                changed = True
        if not changed:
            break
    return perms


# --- the straight line between two networks -------------------------------------------------------------

def interpolate(params_a: ParamsLike, params_b: ParamsLike, lam: float | Array) -> Params:
    """The network (1 − λ)·θ_A + λ·θ_B, parameter by parameter.

    An array of λ values gives a stack of networks along a new leading axis, which core.network
    evaluates in one call. λ = 0 and λ = 1 reproduce A and B exactly.
    """
    if len(params_a) != len(params_b):
        raise ValueError("the two networks must have the same number of layers")
    lam = np.asarray(lam, dtype=np.float64)
    result: Params = []
    for (W_a, b_a), (W_b, b_b) in zip(params_a, params_b, strict=True):
        layer = []
        for a, b in ((W_a, W_b), (b_a, b_b)):
            weight = lam.reshape(lam.shape + (1,) * np.ndim(a))
            layer.append((1.0 - weight) * a + weight * b)
        result.append((layer[0], layer[1]))
    return result


def interpolation_losses(
    params_a: ParamsLike, params_b: ParamsLike, X: Array, y: Array, activation: str, n: int = 25,
    *, task: str = "classification",
) -> Array:
    """The task's mean loss (no penalty) of the networks at λ = linspace(0, 1, n) on the line from A to B.

    A bump in the middle means A and B sit in different valleys; after matching their units, the bump of
    two independently trained networks mostly disappears — the valleys were permuted copies.
    """
    if n < 2:
        raise ValueError(f"n = {n}: need at least the two end points")
    stacked = interpolate(params_a, params_b, np.linspace(0.0, 1.0, n))
    return mean_loss(stacked, X, y, activation, task)


def barrier(
    params_a: ParamsLike, params_b: ParamsLike, X: Array, y: Array, activation: str, n: int = 25,
    *, task: str = "classification",
) -> float:
    """Loss barrier max_λ L(λ) − ½(L(θ_A) + L(θ_B)): how far the straight path climbs above its ends.

    Never negative (the maximum includes both ends); 0 means the two networks are linearly connected.
    """
    return barrier_from_losses(interpolation_losses(params_a, params_b, X, y, activation, n, task=task))


def barrier_from_losses(losses: Array) -> float:
    """The barrier of losses already computed along the line: max_λ L(λ) − ½(L(0) + L(1))."""
    losses = np.asarray(losses)
    return float(losses.max() - 0.5 * (losses[0] + losses[-1]))
