"""The compute budget: how long a run would take, and how many epochs fit.

The estimate was fitted to measured training times on a 2-core machine (while recording everything),
erring on the slow side, so that any config that passes takes at most ~5 s. It needs only the dataset's
sizes, which the registry knows without loading anything. `RunConfig` checks every new config against it
(a run over budget is a ConfigError naming the epochs that would fit).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from core.datasets import TEST_FRACTION, dataset_dimensions

if TYPE_CHECKING:
    from core.config import RunConfig

MAX_COST_SECONDS = 5.0
SECONDS_PER_STEP = 60e-6  # fixed Python/numpy overhead of one update step
SECONDS_PER_LAYER_STEP = {"gd": 30e-6, "sgd": 30e-6, "momentum": 75e-6, "adam": 85e-6}
SECONDS_PER_DROPOUT_LAYER_STEP = 25e-6  # drawing one layer's masks
SECONDS_PER_UNIT_SAMPLE = 30e-9  # σ, σ' and friends, per hidden unit per sample per epoch
SECONDS_PER_MULTIPLY_ADD = 0.4e-9  # forward + backward + evaluation, per multiply-add of the forward pass


def _epoch_seconds(values: Mapping[str, Any]) -> float:
    """Estimated seconds per epoch: per-step overhead plus the elementwise and matrix work per sample."""
    n_features, n_outputs, n_total = dataset_dimensions(values["dataset"], values["n_samples"])
    hidden = values["hidden"]
    sizes = [n_features, *hidden, n_outputs]
    n_train = n_total - math.ceil(n_total * TEST_FRACTION)
    batch = n_train if values["optimizer"] == "gd" else min(values["batch_size"], n_train)
    steps = math.ceil(n_train / batch)
    per_step = (1 + n_features / 64) * (  # wide inputs make every step's gathers and products slower
        SECONDS_PER_STEP
        + len(sizes[1:]) * SECONDS_PER_LAYER_STEP[values["optimizer"]]
        + (len(hidden) * SECONDS_PER_DROPOUT_LAYER_STEP if values["dropout"] > 0 else 0.0)
    )
    multiply_adds = sum(a * b for a, b in pairwise(sizes))
    per_sample = sum(hidden) * SECONDS_PER_UNIT_SAMPLE + multiply_adds * SECONDS_PER_MULTIPLY_ADD
    return steps * per_step + n_total * per_sample


def estimated_seconds(config: RunConfig) -> float:
    """Rough training time on a 2-core machine; the budget compares against it."""
    return config.epochs * _epoch_seconds(vars(config))


def max_epochs(config: RunConfig | Mapping[str, Any]) -> int:
    """The most epochs these settings may train for within the compute budget (before the epochs field's
    own upper bound, which callers apply)."""
    values = config if isinstance(config, Mapping) else vars(config)
    return int(MAX_COST_SECONDS // _epoch_seconds(values))


# --- families of runs ---------------------------------------------------------------------------------

BATCHED_START_COST = 0.25
"""Each extra start trained with `train_starts` costs about this fraction of one run (lessons' families)."""


def seed_cost_factor(n_features: int) -> float:
    """Each extra seed in a batched `train_seeds` run costs this fraction of one seed's estimated time.

    Measured with benchmarks/bench_many_seeds.py --factors on the 2-core machine: with 2–30 inputs,
    16 seeds take 4–7.5 times one seed's estimate, i.e. +0.25–0.45 per extra seed. With 64 inputs
    (digits) the matrices are large enough for OpenBLAS to use both cores, and on a busy machine its
    threads stall each other: +1.3 per seed when quiet, far more under load (see the benchmark). The
    line below errs on the slow side of the quiet measurements.
    """
    return 0.6 + 1.6 * min(n_features, 64) / 64


def batched_seconds(configs: Sequence[RunConfig], extra_cost: float = BATCHED_START_COST) -> float:
    """Estimated seconds of training `configs` together in one batched computation: the slowest run,
    plus `extra_cost` of it for every further run."""
    costs = [estimated_seconds(config) for config in configs]
    return max(costs, default=0.0) * (1 + extra_cost * max(len(costs) - 1, 0))


def seeds_seconds(configs: Sequence[RunConfig], count: int, n_features: int) -> float:
    """Estimated seconds to train `count` seeds of each config (one batched run per config)."""
    factor = 1 + (count - 1) * seed_cost_factor(n_features)
    return sum(estimated_seconds(config) for config in configs) * factor


def family_seconds(configs: Sequence[RunConfig], batched: bool = False) -> float:
    """Estimated seconds of a family: one batched `train_starts` call, or separate runs."""
    return batched_seconds(configs) if batched else sum(estimated_seconds(config) for config in configs)


def fit_budget(configs: Sequence[RunConfig], seconds: float,
               batched: bool = False) -> tuple[list[RunConfig], bool]:
    """The configs with epochs capped so that the family trains within `seconds`; and whether it capped.

    `batched` families (one `train_starts` call) cost `batched_seconds`; separate runs cost the sum of
    their estimates.
    """
    configs = list(configs)
    total = family_seconds(configs, batched)
    if total <= seconds or not configs:
        return configs, False
    factor = seconds / total
    return [config.replace(epochs=max(1, int(config.epochs * factor))) for config in configs], True


# --- one budget per page ------------------------------------------------------------------------------

PAGE_BUDGET_SECONDS = 2 * MAX_COST_SECONDS
"""All the training one page view may ask for, together: the sidebar's run (≤ MAX_COST_SECONDS) and any
family of runs a lesson trains beside it share this, so no view keeps a core busy for longer than it says."""


def page_cap_note(runs: str, epochs: int, asked: int) -> str:
    """The sentence a page shows when its budget cut a family's epochs: which runs, how far, from what."""
    return (f"To stay within the page's compute budget ({PAGE_BUDGET_SECONDS:g} s of training for all its "
            f"runs together) {runs} train for {epochs} epochs (the sidebar says {asked}).")


class PageBudget:
    """What one page view may still spend on training (see `PAGE_BUDGET_SECONDS`).

    A page asks for each family of runs through `fit`, in the order it draws them, so the same view always
    makes the same cuts (and hits the same cache entries); a family that would overrun what is left
    trains for fewer epochs, and `fit` says so. Cached runs cost no time when served, but are still
    counted: what a view trains must not depend on what happens to be in the cache.
    """

    def __init__(self, seconds: float = PAGE_BUDGET_SECONDS) -> None:
        self.seconds = seconds
        self.spent = 0.0

    @property
    def left(self) -> float:
        return max(self.seconds - self.spent, 0.0)

    def fit(self, configs: Sequence[RunConfig], batched: bool = False,
            at_most: float | None = None) -> tuple[list[RunConfig], bool]:
        """The configs capped to what is left (and to `at_most` seconds, if given); whether it capped."""
        allowance = self.left if at_most is None else min(self.left, at_most)
        fitted, capped = fit_budget(configs, allowance, batched)
        self.spent += family_seconds(fitted, batched)
        return fitted, capped


# --- how many seeds fit -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SeedPlan:
    """How many seeds to train, for how many epochs, and what that is estimated to cost."""

    count: int
    epochs: int
    seconds: float
    requested: int
    requested_seconds: float

    @property
    def reduced(self) -> bool:
        return self.count < self.requested

    def capped(self, config: RunConfig) -> bool:
        return self.epochs < config.epochs


def plan_seeds(configs: Sequence[RunConfig], requested: int, options: Sequence[int], n_features: int,
               budget: float = MAX_COST_SECONDS) -> SeedPlan:
    """The most seeds (from `options`, at most `requested`) whose training fits the compute budget.

    If even the fewest options do not fit, train that many with fewer epochs (the same cap for every
    config, so the comparison stays fair). Never fewer than min(options) seeds: the lesson needs two.
    """
    wanted = seeds_seconds(configs, requested, n_features)
    for count in sorted((option for option in options if option <= requested), reverse=True):
        seconds = seeds_seconds(configs, count, n_features)
        if seconds <= budget:
            return SeedPlan(count, configs[0].epochs, seconds, requested, wanted)
    count = min(options)
    epochs = configs[0].epochs
    seconds = seeds_seconds(configs, count, n_features)
    if seconds > budget and epochs > 0:
        epochs = max(1, int(epochs * budget / seconds))
        seconds = seeds_seconds([config.replace(epochs=epochs) for config in configs], count, n_features)
    return SeedPlan(count, epochs, seconds, requested, wanted)
