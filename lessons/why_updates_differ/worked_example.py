"""The learner's worked example, with the live numbers of one training point substituted.

The question (a well-known answer to "how are hidden-layer weights computed if every unit sees the same X?")
works it out for n inputs, tanh hidden units h = tanh(z), one linear output o = hV + b_o, the squared loss
L = (t − o)² and SGD. For one sample, the chain rule gives

    ∂L/∂W₁ⱼ = ∂L/∂o · ∂o/∂hⱼ · ∂hⱼ/∂zⱼ · ∂zⱼ/∂W₁ⱼ = −2(t − o) · Vⱼ · (1 − hⱼ²) · x₁
            = 2 · Vⱼ · (t − o) · x₁ · (hⱼ² − 1)

so units j and k share t, o and x₁ and differ only through Vⱼ, hⱼ. For σ other than tanh the slope
1 − h² becomes σ'(zⱼ); the formula is otherwise the same. `worked_example` evaluates both units' formulas
and the engine's own gradient entries (core.network.loss_and_gradients on that one sample, no penalty:
the loss of the formula) so the page can show they agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.network import ACTIVATIONS, forward_logits, loss_and_gradients

Array = np.ndarray
ParamsLike = Sequence[tuple[Array, Array]]


@dataclass(frozen=True)
class UnitTerms:
    """One hidden unit's numbers in the formula, and its gradient entry computed two ways."""

    unit: int
    v: float  # Vⱼ: its weight into the output
    h: float  # hⱼ = σ(zⱼ) on this sample
    slope: float  # σ'(zⱼ) (for tanh, 1 − hⱼ²)
    formula: float  # ∂L/∂W₁ⱼ by the formula
    engine: float  # the same entry from loss_and_gradients


@dataclass(frozen=True)
class WorkedExample:
    """One sample's worked gradient for two units (or one) of a one-hidden-layer regression network."""

    sample: int
    input_index: int  # p: the formula is for the weights from input p (x₁ when p = 0)
    t: float
    o: float
    x: float
    activation: str
    units: tuple[UnitTerms, ...]

    @property
    def largest_disagreement(self) -> float:
        """max |formula − engine| over the units shown: round-off only, if the formula is right."""
        return max(abs(u.formula - u.engine) for u in self.units)

    @property
    def updates_equal(self) -> bool:
        """The two units' entries are exactly equal (copies): only then may the page say so."""
        return len(self.units) == 2 and self.units[0].engine == self.units[1].engine


def applies(params: ParamsLike, task: str) -> bool:
    """The example's network: one hidden layer and one linear output unit with squared loss."""
    return task == "regression" and len(params) == 2 and np.shape(params[-1][0])[-1] == 1


def formula_value(v: float, t: float, o: float, x: float, h: float, slope: float, activation: str) -> float:
    """∂L/∂W_pj for one sample: 2·V·(t − o)·x·(h² − 1) for tanh, −2·V·(t − o)·x·σ'(z) otherwise."""
    if activation == "tanh":
        return 2.0 * v * (t - o) * x * (h * h - 1.0)
    return -2.0 * v * (t - o) * x * slope


def worked_example(params: ParamsLike, X: Array, y: Array, activation: str, sample: int,
                   units: Sequence[int], input_index: int = 0) -> WorkedExample:
    """The example's numbers at training point `sample` for the chosen hidden units (see the module doc).

    Raises ValueError when the network is not the example's (check `applies` first).
    """
    if len(params) != 2 or np.shape(params[-1][0])[-1] != 1:
        raise ValueError("the worked example needs one hidden layer and one output unit")
    row = np.asarray(X, dtype=float)[sample:sample + 1]
    target = np.asarray(y, dtype=float)[sample:sample + 1]
    hidden, logits = forward_logits(params, row, activation)
    h_row = hidden[0][0]
    slopes = ACTIVATIONS[activation].derivative_from_output(hidden[0])[0]
    _, grads = loss_and_gradients(params, row, target, activation, task="regression")
    t, o, x = float(target[0]), float(logits[0, 0]), float(row[0, input_index])
    V = np.asarray(params[1][0], dtype=float)[:, 0]
    terms = tuple(
        UnitTerms(int(j), float(V[j]), float(h_row[j]), float(slopes[j]),
                  formula_value(float(V[j]), t, o, x, float(h_row[j]), float(slopes[j]), activation),
                  float(grads[0][0][input_index, j]))
        for j in units
    )
    return WorkedExample(int(sample), int(input_index), t, o, x, activation, terms)
