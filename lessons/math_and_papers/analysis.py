"""The numbers behind "The math and the papers": the swap theorem checked on the current run.

Why a live check on a page of proofs: a theorem on a projector is more convincing next to a number that
obeys it. Swapping two hidden units (incoming column, bias, outgoing row together) must leave the loss
unchanged; and the straight line from the network θ to its swapped copy Pθ passes, exactly halfway,
through a tie — both units equal to their average. Along that line the units' difference is
d(λ) = (1 − 2λ)·d₀, so the loss along it is the loss as a function of d through a tie, mirror-symmetric
about the middle because the loss is even in d. Plain numpy on top of core; no streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.network import mean_loss
from core.symmetry import interpolate, pairwise_distances, permute

Array = np.ndarray
Params = list[tuple[Array, Array]]

LINE_POINTS = 41  # odd, so λ = ½ (the tie) is one of the points
FLAT = 1e-12  # a second difference smaller than this is "no measurable bend"


@dataclass(frozen=True)
class SwapLine:
    """The loss on the straight line from a network (λ = 0) to the copy with two units swapped (λ = 1)."""

    layer: int  # hidden layer, counted from 0
    units: tuple[int, int]  # the swapped units, counted from 0
    distance: float  # ‖θ_i − θ_j‖ over incoming weights, bias and outgoing weights (= 2‖d₀‖)
    lams: Array
    losses: Array

    @property
    def end_loss(self) -> float:
        return float(self.losses[0])

    @property
    def swapped_loss(self) -> float:
        return float(self.losses[-1])

    @property
    def end_difference(self) -> float:
        """|L(Pθ) − L(θ)|: zero in exact arithmetic, the size of floating-point rounding here."""
        return abs(self.swapped_loss - self.end_loss)

    @property
    def tie_loss(self) -> float:
        """The loss halfway, where both units equal their average: a tie."""
        return float(self.losses[len(self.losses) // 2])

    @property
    def asymmetry(self) -> float:
        """Largest |L(λ) − L(1 − λ)|: how far the curve is from its mirror image (rounding only)."""
        return float(np.max(np.abs(self.losses - self.losses[::-1])))

    @property
    def bend(self) -> float:
        """Second difference at the tie, per unit λ²: < 0 means the tie is a ridge along this line."""
        middle = len(self.losses) // 2
        step = float(self.lams[1] - self.lams[0])
        second = self.losses[middle - 1] - 2.0 * self.losses[middle] + self.losses[middle + 1]
        return float(second / step**2)

    @property
    def finite(self) -> bool:
        return bool(np.all(np.isfinite(self.losses)))


def swap_units(params: Sequence[tuple[Array, Array]], layer: int, i: int, j: int) -> Params:
    """The same network with units i and j of hidden layer `layer` swapped (every other unit in place)."""
    perms = [np.arange(np.asarray(b).shape[-1]) for _, b in list(params)[:-1]]
    perms[layer][[i, j]] = perms[layer][[j, i]]
    return permute(params, perms)


def most_different_pair(params: Sequence[tuple[Array, Array]], layer: int = 0) -> tuple[int, int]:
    """The two units of a hidden layer farthest apart: the pair whose swap moves the network most."""
    distances = pairwise_distances(params, layer)
    i, j = np.unravel_index(int(np.argmax(distances)), distances.shape)
    return (int(min(i, j)), int(max(i, j)))


def swap_line(params: Sequence[tuple[Array, Array]], X: Array, y: Array, activation: str, layer: int = 0,
              units: tuple[int, int] | None = None, n: int = LINE_POINTS) -> SwapLine | None:
    """The loss (no penalty: a penalty on Σw² or Σ|w| is swap-invariant too) at n points of the line from
    θ to Pθ. None when the layer has fewer than two units: there is nothing to swap."""
    if len(params) < 2 or layer >= len(params) - 1 or np.asarray(params[layer][1]).shape[-1] < 2:
        return None
    if n < 3 or n % 2 == 0:
        raise ValueError(f"n = {n}: need an odd number ≥ 3 of points, so that λ = ½ is one of them")
    i, j = units if units is not None else most_different_pair(params, layer)
    swapped = swap_units(params, layer, i, j)
    lams = np.linspace(0.0, 1.0, n)
    losses = np.asarray(mean_loss(interpolate(params, swapped, lams), X, y, activation), dtype=np.float64)
    distance = float(pairwise_distances(params, layer)[i, j])
    return SwapLine(layer, (i, j), distance, lams, losses)


def orderings(hidden: Sequence[int]) -> int:
    """How many orderings of the units give the same function: w₁!·w₂!·…, one factor per hidden layer.

    All of them are distinct parameter vectors when a layer's units are pairwise different; copies of a
    unit make some orderings coincide, so this is an upper bound on the distinct copies.
    """
    return math.prod(math.factorial(width) for width in hidden)
