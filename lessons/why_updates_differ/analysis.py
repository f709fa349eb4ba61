"""Why two hidden units get different updates: one hidden layer's gradient, factor by factor.

Every unit j of hidden layer l computes σ(z_j) with z_j = a·w_j + b_j from the *same* inputs a (the data x
for the first layer, the previous layer's outputs after that). Its gradient is a sum over the n samples of
a product of factors, and only some of them belong to the unit:

    ∂L/∂w_pj = (1/n) Σ_n  s_nj · σ'(z_nj) · a_np          (+ the L2/L1 penalty part)
    s_nj     = Σ_k W⁽ˡ⁺¹⁾_jk δ⁽ˡ⁺¹⁾_nk                   the back-propagated signal
    δ_nj     = s_nj · σ'(z_nj)                           the unit's error signal: δˡ = (δˡ⁺¹ Wˡ⁺¹ᵀ) ⊙ σ'(zˡ)

With one output unit (two classes) and one hidden layer, W⁽ˡ⁺¹⁾_j is a single number v_j and δ⁽ˡ⁺¹⁾_n =
p_n − y_n, so s_nj = v_j·δ_n: the formula of Q2. With softmax outputs or a deeper layer above,
s_nj sums over the units above, so it is named the "signal", not v_j·δ. The input a_np is shared by every
unit; the signal differs between two units only through their outgoing weights, the slope σ'(z_nj) only
through their incoming weights and bias. `compare_units` measures which of the two differs.

For regression (one linear output o, loss (t − o)²) the output's δ_n is 2(o_n − t_n) instead of
p_n − y_n; everything else is the same.

δ here is *per sample* (p − y at the output, no 1/n): the 1/n of the mean loss is applied once, in the
gradient, so the per-sample numbers a page shows read as in the formula.

Column-exact arithmetic. Matrix products are spelled out below as sums in which every unit's column gets
the very same sequence of elementwise operations, never as BLAS calls: a BLAS kernel may round the last
columns of a product differently (docs/architecture.md, exact ties), which would show two identical units
differing by 1e-16 here although the trainer kept them bit-identical. So "equal number for number" is
`==`, not "close". Everything broadcasts over nothing: one network, one parameter snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.network import ACTIVATIONS, penalty_gradient
from core.symmetry import symmetry_gaps
from core.tasks import get_task

Array = np.ndarray
ParamsLike = Sequence[tuple[Array, Array]]

ROUND_OFF = 1e-12  # relative differences below this are float64 round-off, not a real difference


# --- column-exact products ------------------------------------------------------------------------------

def columnwise_product(A: Array, B: Array) -> Array:
    """A @ B with every output column computed by the same elementwise operations (see the module doc).

    Two identical columns of B give two bit-identical columns of the result. The loop runs over whichever
    is shorter — the shared index (accumulating rank-one terms) or the rows of A (each row a sum down the
    columns of A[i, :, None] * B) — so its cost stays a few dozen numpy calls for this app's sizes.
    """
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    rows, shared = A.shape
    out = np.zeros((rows, B.shape[1]))
    if shared <= rows:
        for k in range(shared):
            out += A[:, k, None] * B[None, k, :]
    else:
        for i in range(rows):
            out[i] = (A[i, :, None] * B).sum(axis=0)
    return out


# --- the factors of one hidden layer -------------------------------------------------------------------

@dataclass(frozen=True)
class LayerFactors:
    """Every factor of hidden layer `layer`'s gradient, per sample (rows) and per unit (columns).

    Holds the *unmasked* network (no dropout): the direction the gradient points when every unit is kept.
    """

    layer: int  # hidden layer, counted from 0
    n_hidden_layers: int
    weights: Array  # (fan_in, width) W⁽ˡ⁾: unit j's incoming weights are column j
    biases: Array  # (width,)
    inputs: Array  # (n, fan_in) a: x for layer 0, the previous layer's σ(z) otherwise; shared by all units
    pre_activation: Array  # (n, width) z = a·W + b
    output: Array  # (n, width) σ(z)
    slope: Array  # (n, width) σ'(z)
    outgoing: Array  # (width, n_above) W⁽ˡ⁺¹⁾: unit j's outgoing weights are row j
    delta_above: Array  # (n, n_above) δ of the layer above, per sample (p − y at the output); shared
    signal: Array  # (n, width) s = δ_above · outgoingᵀ
    delta: Array  # (n, width) δ = s ⊙ σ'(z)
    data_gradient: Array  # (fan_in, width) (1/n) Σ_n δ_nj a_np
    bias_gradient: Array  # (width,) (1/n) Σ_n δ_nj (biases carry no penalty)
    penalty_gradient: Array  # (fan_in, width) (l2·W + l1·sign W) / n
    task: str = "classification"  # decides the output's δ: p − y, or 2(o − t) for regression

    @property
    def n_samples(self) -> int:
        return self.inputs.shape[0]

    @property
    def fan_in(self) -> int:
        return self.weights.shape[0]

    @property
    def width(self) -> int:
        return self.weights.shape[1]

    @property
    def n_above(self) -> int:
        return self.outgoing.shape[1]

    @property
    def above_is_output(self) -> bool:
        return self.layer == self.n_hidden_layers - 1

    @property
    def output_error(self) -> str:
        """The output's per-sample δ as a formula: "p − y", or "2(o − t)" for squared-error regression."""
        return "2(o − t)" if self.task == "regression" else "p − y"

    @property
    def single_output_weight(self) -> bool:
        """True when each unit has one outgoing weight v_j into one output unit: then s_nj = v_j·δ_n."""
        return self.above_is_output and self.n_above == 1

    @property
    def gradient(self) -> Array:
        """The whole weight gradient ∂L/∂W⁽ˡ⁾: data part plus penalty part."""
        return self.data_gradient + self.penalty_gradient

    @property
    def mean_slope(self) -> Array:
        """Each unit's σ'(z) averaged over the samples, (width,)."""
        return self.slope.mean(axis=0)

    def unit_gradient(self, unit: int) -> Array:
        """Unit `unit`'s whole gradient as one vector: [∂L/∂w_1j … ∂L/∂w_pj, ∂L/∂b_j]."""
        return np.append(self.gradient[:, unit], self.bias_gradient[unit])


def _forward(
    params: ParamsLike, X: Array, activation: str
) -> tuple[list[Array], list[Array], list[Array], Array]:
    """Each hidden layer's inputs a, pre-activations z and outputs σ(z), and the output logits.

    The forward pass of core.network.forward_logits with the same σ, spelled out column-exact.
    """
    sigma = ACTIVATIONS[activation].function
    inputs, pre_activations, outputs = [], [], []
    signal = np.asarray(X, dtype=float)
    for W, b in params[:-1]:
        inputs.append(signal)
        z = columnwise_product(signal, W)
        z += b
        pre_activations.append(z)
        signal = sigma(z.copy())  # σ may work in place; z is kept
        outputs.append(signal)
    W, b = params[-1]
    logits = columnwise_product(signal, W)
    logits += b
    return inputs, pre_activations, outputs, logits


def network_factors(
    params: ParamsLike, X: Array, y: Array, activation: str, l2: float = 0.0, l1: float = 0.0,
    task: str = "classification",
) -> tuple[LayerFactors, ...]:
    """The factors of every hidden layer's gradient (an empty tuple without hidden layers).

    `params`, `X`, `y`, `activation`, `l2`, `l1` mean what they mean in core.network.loss_and_gradients,
    and `gradient` / `bias_gradient` of layer l equal its gradient for layer l to round-off (tested).
    A diverged network's huge weights may overflow to inf or nan; that is shown as is, never raised.
    """
    params = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]
    derivative = ACTIVATIONS[activation].derivative_from_output
    n_hidden = len(params) - 1
    with np.errstate(all="ignore"):
        inputs, pre_activations, outputs, logits = _forward(params, X, activation)
        rule = get_task(task)
        delta_above = rule.delta_scale * (rule.output(logits) - rule.targets(y, logits.shape[-1]))
        n = delta_above.shape[0]
        layers: list[LayerFactors] = []
        for layer in range(n_hidden - 1, -1, -1):
            W, b = params[layer]
            outgoing = params[layer + 1][0]
            slope = derivative(outputs[layer])
            signal = columnwise_product(delta_above, outgoing.T)
            delta = signal * slope
            data_gradient = columnwise_product(inputs[layer].T, delta) / n
            penalty_part = np.zeros_like(W) + penalty_gradient(W, l2, l1, n)
            layers.append(LayerFactors(
                layer=layer, n_hidden_layers=n_hidden, weights=W, biases=b, inputs=inputs[layer],
                pre_activation=pre_activations[layer], output=outputs[layer], slope=slope,
                outgoing=outgoing, delta_above=delta_above, signal=signal, delta=delta,
                data_gradient=data_gradient, bias_gradient=delta.sum(axis=0) / n,
                penalty_gradient=penalty_part, task=task,
            ))
            delta_above = delta
    return tuple(reversed(layers))


# --- comparing two units -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Factor:
    """A per-sample factor of δ_nj that can differ between units, and what makes it differ."""

    key: str
    title: Callable[[LayerFactors], str]  # named honestly for the layer: v·δ only where it is v·δ
    cause: str  # the unit's parameters it depends on
    values: Callable[[LayerFactors, int], Array]  # (layer factors, unit) -> (n,) per sample
    partner: str  # the other factor of the product δ = signal · slope


# The two factors of δ_nj = s_nj · σ'(z_nj) that belong to the unit (the input a_np is shared by all).
FACTORS: dict[str, Factor] = {
    "signal": Factor("signal", lambda f: "signal v·δ" if f.single_output_weight else "signal Σₖ vₖδₖ",
                     "outgoing weights", lambda f, unit: f.signal[:, unit], partner="slope"),
    "slope": Factor("slope", lambda f: "slope σ'(z)", "incoming weights and bias",
                    lambda f, unit: f.slope[:, unit], partner="signal"),
}


def relative_difference(a: Array, b: Array) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖): 0 for equal vectors, up to 2 for opposite ones; 0 when both are 0."""
    a, b = np.asarray(a, dtype=float).ravel(), np.asarray(b, dtype=float).ravel()
    with np.errstate(all="ignore"):
        size = max(float(np.linalg.norm(a)), float(np.linalg.norm(b)))
        if size == 0:
            return 0.0
        return float(np.linalg.norm(a - b) / size)


@dataclass(frozen=True)
class FactorGap:
    """How much one factor differs between two units, and how much of their gradient gap it makes."""

    factor: Factor
    relative: float  # relative_difference of the per-sample vectors
    largest: float  # max_n |value_a − value_b|
    part: Array  # (fan_in + 1,) this factor's part of the gap ∂L/∂θ_a − ∂L/∂θ_b (weights, then bias)

    @property
    def part_size(self) -> float:
        with np.errstate(all="ignore"):
            return float(np.linalg.norm(self.part))


@dataclass(frozen=True)
class UnitComparison:
    """Two units of one layer side by side: how far apart their gradients are, and which factor makes it.

    The gap between the two data gradients splits exactly into one part per factor (δ = s·σ'):

        s_a σ'_a − s_b σ'_b = (s_a − s_b)·(σ'_a + σ'_b)/2 + (σ'_a − σ'_b)·(s_a + s_b)/2

    so each factor's part is (1/n) Σ_n (its difference) · (the other factor's average) · [a_n, 1]. A factor
    that is equal in both units has a part of exactly 0. The L2/L1 penalty adds a third part.
    """

    units: tuple[int, int]
    gaps: tuple[FactorGap, ...]  # in FACTORS order
    penalty_part: Array  # (fan_in + 1,) the penalty's part of the gap (bias entry 0)
    outgoing_gap: float  # max_k |W⁽ˡ⁺¹⁾_ak − W⁽ˡ⁺¹⁾_bk|
    gradient_gap: float  # max |∂L/∂θ_a − ∂L/∂θ_b| over weights and bias (total gradient)
    gradient_size: float  # max |∂L/∂θ| over both units' weights and bias
    relative_gradient_gap: float  # relative_difference of the two whole gradient vectors

    def gap(self, key: str) -> FactorGap:
        """The gap of the factor named `key` in FACTORS."""
        return next(gap for gap in self.gaps if gap.factor.key == key)

    @property
    def finite(self) -> bool:
        values = [self.gradient_gap, self.gradient_size, *(g.relative for g in self.gaps),
                  *(g.part_size for g in self.gaps)]
        return bool(np.all(np.isfinite(values)))

    @property
    def penalty_part_size(self) -> float:
        with np.errstate(all="ignore"):
            return float(np.linalg.norm(self.penalty_part))

    def share(self, gap: FactorGap | None) -> float:
        """A factor's part of the gradient gap (None: the penalty's) as a share of all parts' sizes."""
        total = sum(g.part_size for g in self.gaps) + self.penalty_part_size
        size = self.penalty_part_size if gap is None else gap.part_size
        return size / total if total > 0 else 0.0

    @property
    def main(self) -> FactorGap | None:
        """The factor making the largest part of the gradient gap, or None if no part is nonzero."""
        best = max(self.gaps, key=lambda gap: gap.part_size)
        return best if best.part_size > 0 else None

    @property
    def differing(self) -> tuple[FactorGap, ...]:
        """The factors that differ by more than round-off, the largest part of the gap first."""
        return tuple(sorted((g for g in self.gaps if g.relative > ROUND_OFF), key=lambda g: -g.part_size))


def compare_units(factors: LayerFactors, a: int, b: int) -> UnitComparison:
    """Compare units `a` and `b` of one layer: each factor's gap, its part of the gradient gap, the gap."""
    for unit in (a, b):
        if not 0 <= unit < factors.width:
            raise IndexError(f"unit {unit} does not exist in a layer of {factors.width} units")
    n = factors.n_samples
    augmented = np.hstack([factors.inputs, np.ones((n, 1))])  # [a_n, 1]: weights, then bias
    values = {key: (factor.values(factors, a), factor.values(factors, b)) for key, factor in FACTORS.items()}
    gaps = []
    with np.errstate(all="ignore"):
        for key, factor in FACTORS.items():
            va, vb = values[key]
            pa, pb = values[factor.partner]
            largest = float(np.max(np.abs(va - vb))) if len(va) else 0.0
            part = augmented.T @ ((va - vb) * (pa + pb) / 2) / n
            gaps.append(FactorGap(factor, relative_difference(va, vb), largest, part))
        ga, gb = factors.unit_gradient(a), factors.unit_gradient(b)
        penalty = np.append(factors.penalty_gradient[:, a] - factors.penalty_gradient[:, b], 0.0)
        return UnitComparison(
            units=(a, b), gaps=tuple(gaps), penalty_part=penalty,
            outgoing_gap=float(np.max(np.abs(factors.outgoing[a] - factors.outgoing[b]))),
            gradient_gap=float(np.max(np.abs(ga - gb))),
            gradient_size=float(max(np.max(np.abs(ga)), np.max(np.abs(gb)))),
            relative_gradient_gap=relative_difference(ga, gb),
        )


# --- one sample ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SampleBreakdown:
    """One training sample's share of the gradient, for a few units of one layer (rows follow `units`)."""

    sample: int
    units: tuple[int, ...]
    inputs: Array  # (fan_in,) a_n, shared by every unit
    delta_above: Array  # (n_above,) δ of the layer above for this sample (p − y at the output), shared
    pre_activation: Array  # (units,) z_nj
    output: Array  # (units,) σ(z_nj)
    slope: Array  # (units,) σ'(z_nj)
    outgoing: Array  # (units, n_above)
    signal: Array  # (units,) s_nj
    delta: Array  # (units,) δ_nj = s_nj σ'(z_nj): the product
    contribution: Array  # (units, fan_in) δ_nj a_n / n: this sample's term of ∂L/∂w_j
    bias_contribution: Array  # (units,) δ_nj / n


def sample_breakdown(factors: LayerFactors, sample: int, units: Sequence[int]) -> SampleBreakdown:
    """The factors of one sample for the given units: the terms that `network_factors` sums over n."""
    if not 0 <= sample < factors.n_samples:
        raise IndexError(f"sample {sample} does not exist: there are {factors.n_samples} samples")
    units = tuple(int(unit) for unit in units)
    n = factors.n_samples
    delta = factors.delta[sample, list(units)]
    with np.errstate(all="ignore"):
        return SampleBreakdown(
            sample=sample, units=units, inputs=factors.inputs[sample],
            delta_above=factors.delta_above[sample],
            pre_activation=factors.pre_activation[sample, list(units)],
            output=factors.output[sample, list(units)], slope=factors.slope[sample, list(units)],
            outgoing=factors.outgoing[list(units)], signal=factors.signal[sample, list(units)], delta=delta,
            contribution=delta[:, None] * factors.inputs[sample][None, :] / n, bias_contribution=delta / n,
        )


def most_telling(columns: Array, k: int) -> Array:
    """Indices of at most `k` entries to show when a vector per unit is too long for a table, in order.

    `columns` is (units, m). Entries where the units differ most are chosen first, then the largest in
    size, so a table of k entries still shows the difference if there is one; they are returned sorted,
    so x₃ is listed before x₁₇ as in the vector itself.
    """
    columns = np.nan_to_num(np.asarray(columns, dtype=float), nan=0.0, posinf=1e308, neginf=-1e308)
    spread = columns.max(axis=0) - columns.min(axis=0)
    size = np.abs(columns).max(axis=0)
    order = np.lexsort((np.arange(columns.shape[1]), -size, -spread))
    return np.sort(order[:k])


# --- every layer at once (Q5) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LayerSummary:
    """One hidden layer in numbers: what feeds it, how many σ' factors its δ carries, how big things are."""

    layer: int
    width: int
    fan_in: int
    slope_factors: int  # σ' factors in δ of this layer: one per hidden layer from here to the last
    mean_slope: float  # σ'(z) averaged over samples and units
    delta_rms: float  # root mean square of δ_nj over samples and units
    mean_gradient_norm: float  # ‖∂L/∂w_j‖ (weights and bias) averaged over the units
    largest_unit_gap: float  # largest distance between two units' gradient vectors (0 for width 1)


def layer_summaries(layers: Sequence[LayerFactors]) -> tuple[LayerSummary, ...]:
    """A LayerSummary for each of `network_factors`' layers."""
    summaries = []
    for f in layers:
        with np.errstate(all="ignore"):
            vectors = np.vstack([f.gradient, f.bias_gradient[None, :]])  # (fan_in + 1, width)
            gap = float(symmetry_gaps(f.gradient, f.bias_gradient, np.zeros((f.width, 0))))
            summaries.append(LayerSummary(
                layer=f.layer, width=f.width, fan_in=f.fan_in, slope_factors=f.n_hidden_layers - f.layer,
                mean_slope=float(f.slope.mean()), delta_rms=float(np.sqrt(np.mean(f.delta**2))),
                mean_gradient_norm=float(np.linalg.norm(vectors, axis=0).mean()), largest_unit_gap=gap,
            ))
    return tuple(summaries)
