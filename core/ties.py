"""Exact ties: hidden units that start as exact copies stay exact copies in floating point, too.

The theorem (see DESIGN §2): swapping units i and j of a layer — their incoming column, bias and outgoing
row — leaves the loss unchanged, so if the two units are equal in all three, their gradients are equal, and
every update rule that treats units alike keeps them equal forever. That is a statement about exact
arithmetic. In floating point the matrix kernels (BLAS) may compute column i of `X @ W` with another
micro-kernel than column j (e.g. the leftover columns when the width is not a multiple of the SIMD width),
so equal columns can come out 1e-16 apart; at an unstable tie that rounding grows like any nudge and the
copies split. The app must show the math, so the trainer keeps ties exact *by construction*:

1. At the start, each hidden layer's units are grouped by exact equality of everything that determines
   their update: incoming column, bias and outgoing row (optimizer state starts at zero for every unit).
   Only runs without per-unit randomness are grouped: dropout draws a mask per unit, so its copies really
   do separate, and they are left alone.
2. On every step, each group's gradient is computed once — its first unit's — and given to every member.
3. The update rules are elementwise IEEE arithmetic (+, −, ×, ÷, √), which gives equal outputs for equal
   inputs wherever in an array they sit. So members receive equal gradients, keep equal optimizer state and
   end every step with bitwise-equal parameters: the gap stays exactly 0.0, step after step, by induction.

Units that differ in any bit at the start (a nudge ε, `same_fan_in`, `same_fan_out`, a random start) are in
groups of their own and train exactly as they would without this module: nothing is ever snapped together.
Training without sharing (`share=False` in the trainer) is the "rounding as a nudge" experiment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.symmetry import unit_vectors

Array = np.ndarray


def representatives(rows: Array) -> Array:
    """For each unit, the index of the first unit exactly equal to it (itself if it has no earlier copy).

    `rows` is (runs, width, p); the answer is (runs, width) of integers. Equality is `==` on every entry,
    so units that differ by a single bit (a nudge of 1e-15) keep their own index.
    """
    equal = (rows[:, :, None, :] == rows[:, None, :, :]).all(axis=-1)  # (runs, width, width)
    return np.argmax(equal, axis=-1)  # first True per row; the diagonal guarantees there is one


class TieSharing:
    """The tie groups of a stack of runs, and the step that gives each group one shared gradient."""

    def __init__(self, groups: list[Array]):
        self.groups = groups  # per hidden layer: (runs, width) index of each unit's representative
        # Per layer, the copies to make as (run, members, representative): members as a slice when they
        # are a contiguous block (every unit of an identical start), so that a step costs a few basic
        # slice assignments rather than fancy indexing.
        self._copies = [[(run, _as_slice(members), int(rep_of_run[members[0]]))
                         for run, rep_of_run in enumerate(rep)
                         for members in _members_by_representative(rep_of_run)]
                        for rep in groups]

    @classmethod
    def find(cls, params: Sequence[tuple[Array, Array]], per_unit_noise: bool) -> TieSharing | None:
        """The ties in `params` (each array with a leading run axis), or None when there is nothing to share.

        None when no layer of any run has two equal units, or when per-unit noise (dropout) is on, so the
        common random start costs nothing extra.
        """
        if per_unit_noise:
            return None
        groups = [representatives(unit_vectors(params, layer)) for layer in range(len(params) - 1)]
        if all((group == np.arange(group.shape[-1])).all() for group in groups):
            return None
        return cls(groups)

    def share(self, grads: list[tuple[Array, Array]]) -> None:
        """Give every member of a group its representative's gradient (in place, layer by layer).

        A hidden unit's gradient lives in three places: its column of ∂W (incoming), its entry of ∂b and its
        row of the next layer's ∂W (outgoing). Rows and columns of the same ∂W may both be shared (layer l's
        outgoing rows, layer l+1's incoming columns); copying rows first, then columns, gives each entry
        its representative's (row, column) value either way.
        """
        for layer, copies in enumerate(self._copies):
            grad_W, grad_b = grads[layer]
            grad_out = grads[layer + 1][0]
            for run, members, rep in copies:  # grad[run] is a view: assigning through it is in place
                grad_W[run][:, members] = grad_W[run][:, rep, None]
                grad_b[run][members] = grad_b[run][rep]
                grad_out[run][members, :] = grad_out[run][rep, None, :]


def _members_by_representative(rep: Array) -> list[Array]:
    """The units that copy another, grouped by the unit they copy (the representative itself excluded)."""
    copies = np.flatnonzero(rep != np.arange(len(rep)))
    return [copies[rep[copies] == r] for r in np.unique(rep[copies])]


def _as_slice(indices: Array) -> slice | Array:
    """A contiguous run of indices as a slice (cheaper to assign through), anything else unchanged."""
    if np.array_equal(indices, np.arange(indices[0], indices[-1] + 1)):
        return slice(int(indices[0]), int(indices[-1]) + 1)
    return indices
