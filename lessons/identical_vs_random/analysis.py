"""Runs that differ in one thing, compared: which starts, nudges, noise and penalties keep units together.

The "Identical vs random start" lesson asks one question many ways — *what decides whether the units of a
layer stay copies of each other?* — and answers each with a handful of runs that differ in exactly one
setting. This module builds those families of configurations and measures them:

- the four starting symmetries, trained together (they differ only in the start, so `train_starts`
  batches them into about one run's cost);
- how many distinct units a layer has at each snapshot, and how alike each pair of units is;
- a tiny nudge ε away from the identical start: does the gap grow like e^{λ·epoch} (an unstable
  balance point) or shrink (a stable one)?
- rounding as a nudge: the identical start trained with plain matrix kernels, where a 1e-16 rounding
  difference acts like any nudge (the engine itself keeps ties exact, core.ties);
- per-unit noise (dropout) versus shared noise (minibatches), and L1/L2 penalties.

Everything returns plain numbers; the page turns them into sentences only where the numbers support them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from core.config import RunConfig
from core.symmetry import (
    GrowthFit,
    cosine_similarities,
    distinct_units_from_distances,
    fit_growth,
    pairwise_distances,
    stack_units,
)
from core.train import History

Array = np.ndarray

EXPERIMENTS = ("Four starts", "Tiny nudge", "Rounding as a nudge", "Per-unit noise", "Regularization")
"""The lesson's experiments, in the order its control offers them (scenarios name them by these labels)."""
STARTS = ("none", "identical", "same_fan_in", "same_fan_out")
"""Every starting symmetry, in the order the lesson compares them."""
NUDGES = (1e-12, 1e-9, 1e-6, 1e-4, 1e-2)
"""Sizes of the nudge ε away from the identical start, from round-off scale to visible."""
VISIBLE_GAP = 1e-3
"""A gap this large is where the nudge stops being 'tiny' (the linear picture ends; lines start to part)."""
ROUND_OFF = 1e-10
"""A tied part whose gap stays below this has held (the trainer keeps exact ties at 0.0; anything this small
in a part a start tied would be rounding, not learning)."""
PENALTY_STRENGTHS = {"l2": (0.0, 1.0, 10.0, 100.0), "l1": (0.0, 1.0, 10.0, 30.0)}
"""Penalty strengths the regularization sweep tries. Both penalties are divided by the number of
training points (scikit-learn's convention), so visible effects need strengths of order 1–100."""
DROPOUT_WHEN_OFF = 0.1
"""The dropout rate the per-unit-noise experiment uses when the sidebar's dropout is 0."""
"""One experiment (a family of runs) may take this long in total; epochs are capped to fit."""

SIMILARITIES: dict[str, Callable[..., Array]] = {
    "cosine": cosine_similarities,
    "distance": pairwise_distances,
}
"""How alike two units are: the cosine of the angle between their parameter vectors (1 = same
direction), or the Euclidean distance between them (0 = the same unit)."""


# --- families of configurations ----------------------------------------------------------------------

def start_family(config: RunConfig, symmetries: Sequence[str]) -> list[RunConfig]:
    """The config once per starting symmetry, everything else equal (so `train_starts` can batch them)."""
    return [config.replace(symmetry=symmetry) for symmetry in symmetries]


def nudge_family(config: RunConfig, nudges: Sequence[float] = NUDGES) -> list[RunConfig]:
    """The identical start of the config, nudged by each ε in turn (batched by `train_starts`)."""
    return [config.replace(symmetry="identical", perturbation=float(epsilon)) for epsilon in nudges]


def noise_family(config: RunConfig, dropout_on: bool) -> dict[str, RunConfig]:
    """Identical starts under shared noise (random minibatches) and under per-unit noise (dropout).

    The minibatch run uses SGD with the sidebar's batch size; the dropout run uses the sidebar's
    optimizer with its dropout rate (or `DROPOUT_WHEN_OFF` if that is 0), or none when switched off.
    """
    tied = config.replace(symmetry="identical", perturbation=0.0)
    rate = (config.dropout or DROPOUT_WHEN_OFF) if dropout_on else 0.0
    optimizer = config.optimizer if config.optimizer != "gd" else "sgd"
    dropout_label = (f"dropout {rate:g}" if rate else "dropout off") + f" ({config.optimizer})"
    return {
        f"minibatches ({optimizer}), no dropout": tied.replace(optimizer=optimizer, dropout=0.0),
        dropout_label: tied.replace(dropout=rate),
    }


def penalty_family(config: RunConfig, penalty: str) -> list[RunConfig]:
    """The config under each strength of one penalty ("l1" or "l2"), the other penalty switched off."""
    other = "l1" if penalty == "l2" else "l2"
    return [config.replace(**{penalty: strength, other: 0.0}) for strength in PENALTY_STRENGTHS[penalty]]




# --- the part a start tied ---------------------------------------------------------------------------

TIED_PARTS: dict[str, Callable[[Array, Array, Array], Array]] = {
    "none": stack_units,
    "identical": stack_units,
    "same_fan_in": lambda w_in, b, w_out: np.concatenate([np.swapaxes(w_in, -1, -2), b[..., None]], axis=-1),
    "same_fan_out": lambda w_in, b, w_out: w_out,
}
"""For each start, the part of every unit it made equal, as (…, width, p) rows per unit. A random start
ties nothing; its entry is the whole unit, so its curve is the ordinary gap."""
TIED_PART_NAMES = {
    "none": "whole units (nothing tied)",
    "identical": "whole units",
    "same_fan_in": "input weights and bias",
    "same_fan_out": "output weights",
}


def tied_part_gaps(history: History, layer: int) -> Array:
    """At each snapshot (`history.steps`), the largest distance between two units in the part of them
    the start tied.

    The full gap of a `same_fan_in` start is nonzero from the beginning (the output weights differ), so
    whether the *tie* broke is read here: do the input weights that started equal still agree?
    """
    part = TIED_PARTS[history.config.symmetry]
    rows = part(history.weights[layer], history.biases[layer], history.weights[layer + 1])
    # One snapshot at a time: all differences at once would be (snapshots, width, width, p), 430 MB for
    # 200 snapshots of 64 units with 65 inputs each, on a server that has about 1 GB for a whole class.
    # Direct differences, not the Gram form, so a tie stays exactly 0.0.
    snapshots = rows.reshape(-1, *rows.shape[-2:])
    gaps = np.empty(len(snapshots))
    with np.errstate(over="ignore", invalid="ignore"):
        for index, units in enumerate(snapshots):
            difference = units[:, None, :] - units[None, :, :]
            gaps[index] = np.sqrt(np.einsum("ijp,ijp->ij", difference, difference).max())
    return gaps.reshape(rows.shape[:-2])


# --- how alike are the units, over training? ---------------------------------------------------------

def distinct_over_training(history: History, layer: int, tol: float) -> Array:
    """Distinct units of hidden layer `layer` at each snapshot (`history.steps`): copies within `tol`
    count once. Non-finite snapshots (a diverging run) count as 0."""
    counts = np.zeros(len(history.steps), dtype=np.int64)
    for snapshot in range(len(history.steps)):
        distances = pairwise_distances(history.params_at(snapshot), layer)
        if np.all(np.isfinite(distances)):
            counts[snapshot] = distinct_units_from_distances(distances, tol)
    return counts


def similarity_at(history: History, layer: int, snapshot: int, metric: str) -> Array:
    """(width, width) similarity of every pair of units at one snapshot, by `SIMILARITIES[metric]`."""
    return SIMILARITIES[metric](history.params_at(snapshot), layer)


def mean_abs_cosine(history: History, layer: int, snapshot: int) -> float:
    """The average |cos| between two different units: 1 = all parallel, 0 = all at right angles."""
    cosines = similarity_at(history, layer, snapshot, "cosine")
    width = cosines.shape[0]
    if width < 2:
        return float("nan")
    off_diagonal = ~np.eye(width, dtype=bool)
    return float(np.abs(cosines[off_diagonal]).mean())


# --- a tiny nudge: does the gap grow or shrink? ------------------------------------------------------

@dataclass(frozen=True)
class Nudge:
    """How a gap of size ε at the start developed: the fitted rate λ and what it means.

    `verdict` is "unstable" when the gap grew by more than a factor e over the fitted epochs (the
    identical start is a saddle the units run away from), "stable" when it shrank by more than e, and
    "neutral" in between (the gap barely changed within this run).
    """

    epsilon: float
    start_gap: float
    end_gap: float
    fit: GrowthFit
    visible_epoch: int | None  # first epoch with gap ≥ VISIBLE_GAP (None: never)
    verdict: str

    @property
    def rate(self) -> float:
        return self.fit.rate


def nudge_summary(history: History, layer: int = 0) -> Nudge:
    """Fit gap ∝ e^{λ·epoch} to the small-gap part of the run and classify the identical start.

    The fit stops where the gap first reaches `VISIBLE_GAP`, or 100× its start when ε is already that
    large, since beyond that the units have parted and the linear picture no longer applies.
    """
    gaps = np.asarray(history.symmetry_gap[layer], dtype=float)
    start_gap = float(gaps[0])
    ceiling = max(VISIBLE_GAP, 100 * start_gap)
    fit = fit_growth(gaps, ceiling=ceiling)
    reached = np.flatnonzero(np.isfinite(gaps) & (gaps >= VISIBLE_GAP))
    visible_epoch = int(reached[0]) if len(reached) else None
    verdict = "neutral"
    if np.isfinite(fit.rate) and fit.first_epoch is not None and fit.last_epoch is not None:
        change = fit.rate * (fit.last_epoch - fit.first_epoch)  # log of the growth over the fitted span
        verdict = "unstable" if change > 1 else "stable" if change < -1 else "neutral"
    finite = gaps[np.isfinite(gaps)]
    return Nudge(float(history.config.perturbation), start_gap, float(finite[-1]) if len(finite) else np.nan,
                 fit, visible_epoch, verdict)


# --- rounding as a nudge -----------------------------------------------------------------------------

def rounding_start(config: RunConfig) -> RunConfig:
    """The identical start of the config with nothing else that could separate the copies (no nudge, no
    dropout): by the exact engine its gap is 0.0 throughout; with plain kernels, only rounding acts."""
    return config.replace(symmetry="identical", perturbation=0.0, dropout=0.0)


@dataclass(frozen=True)
class Rounding:
    """What the ordinary matrix kernels' rounding did to identical copies (the engine keeps them at 0.0).

    `kind`, decided from the gap curve of the run trained with plain kernels:
    - "none": the kernels computed every copy alike; no difference ever appeared;
    - "round-off": a difference of ~1e-16 appeared and stayed within `ROUNDING_AMPLIFIED`× its first size
      (rounding accumulating, nothing amplifying it): the balance is not unstable here;
    - "growing": it grew more than `ROUNDING_AMPLIFIED`× but is still below `VISIBLE_GAP` at the end;
    - "split": it reached `VISIBLE_GAP`: the copies parted, as if nudged.
    """

    kind: str
    first_epoch: int | None  # first epoch with a nonzero gap
    first_gap: float  # the gap then (0.0 for "none")
    largest: float
    end_gap: float
    split_epoch: int | None  # first epoch with gap ≥ VISIBLE_GAP
    fit: GrowthFit  # gap ∝ e^{λ·epoch} from where the rounding appeared up to VISIBLE_GAP

    @property
    def rate(self) -> float:
        return self.fit.rate


ROUNDING_AMPLIFIED = 1e3
"""Rounding that grew past this many times its first size is being amplified (λ > 0), not accumulating:
summed round-off of ~1e-16 per step stays within a few hundred times that over thousands of steps."""


def rounding_nudge(gaps: Array) -> Rounding:
    """Classify the gap curve of an identical start trained with plain kernels (see `Rounding`)."""
    gaps = np.asarray(gaps, dtype=float)
    nonzero = np.flatnonzero(gaps != 0)
    finite = gaps[np.isfinite(gaps)]
    end_gap = float(finite[-1]) if len(finite) else float("nan")
    if len(nonzero) == 0:
        return Rounding("none", None, 0.0, 0.0, end_gap, None, fit_growth(gaps, ceiling=VISIBLE_GAP))
    first = int(nonzero[0])
    first_gap = float(gaps[first])
    largest = float(finite.max())
    reached = np.flatnonzero(np.isfinite(gaps) & (gaps >= VISIBLE_GAP))
    split_epoch = int(reached[0]) if len(reached) else None
    if split_epoch is not None:
        kind = "split"
    elif largest > ROUNDING_AMPLIFIED * first_gap:
        kind = "growing"
    else:
        kind = "round-off"
    fit = fit_growth(gaps, ceiling=VISIBLE_GAP)
    return Rounding(kind, first, first_gap, largest, end_gap, split_epoch, fit)
