"""The many-seeds lesson's sentences: one for every verdict, each chosen by the numbers."""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import numpy as np
import pytest

from lessons.many_seeds.analysis import FLAT_BARRIER_RELATIVE, SEED_SEARCH_LOSS_RELATIVE
from lessons.many_seeds.convex import CONVEX_KINDS
from lessons.many_seeds.text import (
    BARRIER_MEANING,
    CONVEX_MEANING,
    SEED_SEARCH_MEANING,
    barrier_kind,
    fmt,
    function_sentence,
    loss_text,
    percent,
    seed_search_kind,
    seed_search_sentence,
    spread_sentence,
)


def _line(before: float, after: float, end_loss: float = 1.0):
    return SimpleNamespace(barrier_before=before, barrier_after=after, end_loss=end_loss, barrier_flipped=0.0)


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (FLAT_BARRIER_RELATIVE / 2, FLAT_BARRIER_RELATIVE / 4, "flat_already"),
        (0.5, FLAT_BARRIER_RELATIVE / 2, "flat"),
        (0.5, 0.3, "lower"),
        (0.3, 0.5, "not_lower"),
    ],
)
def test_barrier_kind_follows_the_numbers(before, after, kind):
    line = _line(before, after)
    assert barrier_kind(line) == kind
    assert f"{after:.3g}" in BARRIER_MEANING[kind](line) or kind == "flat_already"


def test_every_convex_verdict_has_a_sentence():
    assert set(CONVEX_MEANING) == set(CONVEX_KINDS)


def test_numbers_in_text_never_round_a_small_value_to_zero():
    assert fmt(0.0) == "0" and fmt(2.9e-6) == "2.9e-06" and fmt(13.31) == "13.3"
    assert loss_text(0.0712) == "0.071" and loss_text(1e-5) == "1.0e-05"


# --- "do we need a grid search over seeds?" (issue 15) -----------------------------------------------------

def _study(losses, scores, weight_relative, task="classification", excluded=()):
    """A SeedStudy from constructed numbers: seed A has size 1, seed k sits weight_relative away."""
    from lessons.many_seeds.analysis import Alignment, SeedStudy

    n = len(losses)
    before = np.array([0.0] + [weight_relative] * (n - 1))
    alignment = Alignment(0, (), (), before, before)
    seeds = tuple(range(n + len(excluded)))
    return SeedStudy(seeds, tuple(range(n)), tuple(excluded), np.array(losses, dtype=float),
                     np.array(scores, dtype=float), (), alignment, 1.0, None, task)


@pytest.mark.parametrize(
    ("losses", "scores", "weights", "task", "kind"),
    [
        ([1.0, 1.03, 1.01], [0.9, 0.9, 0.91], 1.4, "regression", "equally_good"),
        ([1.0, 1.0, 1.0], [0.9, 0.9, 0.9], 1e-6, "regression", "same_solution"),
        ([1.0, 1.5, 1.2], [0.5, 0.25, 0.4], 1.4, "regression", "start_matters"),
        ([0.10, 0.20], [0.95, 0.94], 1.7, "classification", "start_matters"),
        ([0.01, 0.03], [1.0, 1.0], 1.5, "classification", "scores_tie"),
        ([1.0, 1.1], [0.8, 0.78], 1.5, "classification", "equally_good"),  # 0.1/1.05 ≈ 9.5% ≤ 10%
    ],
)
def test_seed_search_kind_follows_the_numbers(losses, scores, weights, task, kind):
    study = _study(losses, scores, weights, task)
    assert seed_search_kind(study) == kind
    sentence = seed_search_sentence(study)
    relative = (max(losses) - min(losses)) / np.mean(losses)
    no_need = "no need" in sentence or "nothing to search over" in sentence
    assert no_need == (relative <= SEED_SEARCH_LOSS_RELATIVE)  # never "no need" above the threshold
    assert ("do help" in sentence) == (kind == "start_matters")
    if relative > 0:
        assert percent(relative) in sentence  # the number the choice was made from is the one printed
    if kind == "equally_good":
        assert f"{weights:.3g} times their size" in sentence
    if task == "regression":
        assert "accuracy" not in sentence


def test_seed_search_threshold_edges_never_print_a_spread_that_looks_like_the_other_side():
    at = _study([1.0, 1.0 + 0.1 * 1.05], [0.5, 0.5], 1.0, "regression")  # 0.105/1.0525: just under 10%
    assert seed_search_kind(at) == "equally_good"
    over = _study([1.0, 1.11], [0.5, 0.45], 1.0, "regression")  # 10.4% of the mean
    assert seed_search_kind(over) == "start_matters"
    assert "10.4%" in seed_search_sentence(over) and percent(0.104) == "10.4%"


@pytest.mark.parametrize("seed", range(20))
def test_seed_search_sentence_never_contradicts_random_numbers(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    losses = rng.uniform(0.2, 1.0) * (1 + rng.uniform(0, 0.3) * rng.random(n))
    task = "regression" if seed % 2 else "classification"
    scores = 1 - losses / 2 if task == "regression" else np.round(rng.uniform(0.8, 1.0, n), 2)
    study = _study(losses, scores, float(rng.uniform(0, 2)), task)
    sentence = seed_search_sentence(study)
    small = study.loss_relative_spread <= SEED_SEARCH_LOSS_RELATIVE
    assert ("no need" in sentence or "nothing to search over" in sentence) == small
    assert ("do help" in sentence or "would buy a lower loss" in sentence) == (not small)


def test_diverged_seeds_are_named_in_the_seed_search_sentence():
    study = _study([1.0, 1.02], [0.5, 0.49], 1.2, "regression", excluded=(7,))
    assert "leave out the 1 of 3 seeds that diverged" in seed_search_sentence(study)


# --- regression wording ------------------------------------------------------------------------------------

def test_regression_spread_and_function_sentences_say_squared_error_and_r2():
    from lessons.many_seeds.agreement import PredictionSpread

    study = _study([0.30, 0.32], [0.70, 0.68], 1.4, "regression")
    text = spread_sentence(study)
    assert "squared error" in text and "R² from 0.68 to 0.70" in text and "accuracy" not in text
    close = PredictionSpread(0.05, np.array([0.0, 0.05]), 1.0)
    sentence = function_sentence(dataclasses.replace(study, agreement=close))
    assert "RMS **0.05**" in sentence and "5.0% of the targets' spread" in sentence
    assert "nearly the same function" in sentence and "less than the seeds' own RMS error" in sentence
    far = PredictionSpread(0.4, np.array([0.0, 0.4]), 1.0)
    assert "the functions differ too" in function_sentence(dataclasses.replace(study, agreement=far))


def test_linear_regression_same_weights_names_strict_convexity_only_with_full_rank_inputs():
    from lessons.many_seeds.convex import ConvexVerdict

    verdict = ConvexVerdict("same", 1e-17, 1e-17, 1e-17, 250, 500, math.nan, 0, "regression", 0)
    assert "strictly convex" in CONVEX_MEANING["same"](verdict)
    assert "logistic" not in CONVEX_MEANING["same"](verdict)
    flat = dataclasses.replace(verdict, flat_directions=1)
    assert "strictly" not in CONVEX_MEANING["same"](flat)
    classification = dataclasses.replace(verdict, task="classification", train_accuracy=0.9)
    assert "logistic regressions" in CONVEX_MEANING["same"](classification)


def test_every_seed_search_kind_has_a_sentence():
    assert set(SEED_SEARCH_MEANING) == {"same_solution", "equally_good", "scores_tie", "start_matters"}
