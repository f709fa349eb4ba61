"""The sentences and tables of the "Many seeds, one solution" lesson, chosen from the measured numbers.

Each registry maps a measured verdict (how the barrier changed, why logistic regression's seeds do or do
not meet) to the sentence that is true for it, so the page never states what its numbers contradict.
Plain strings and columns, no streamlit.
"""

from __future__ import annotations

import math

import numpy as np

from figures.labels import format_score, score_name
from lessons.many_seeds.agreement import Agreement, PredictionSpread
from lessons.many_seeds.analysis import (
    FLAT_BARRIER_RELATIVE,
    SAME_WEIGHTS_RELATIVE,
    SEED_SEARCH_LOSS_RELATIVE,
    SeedStudy,
    StraightLine,
    layer_distances,
)
from lessons.many_seeds.convex import ConvexVerdict
from lessons.many_seeds.figures import seed_label

AGREE_WELL = 0.9  # "the functions agree" from this fraction of test points on
# Regression: "the functions agree" when two seeds' predictions differ by at most this fraction of the
# targets' spread (RMS) — 10 % of the spread is 1 % of the variance, invisible on a chart of the targets.
AGREE_CLOSE = 0.1
FAR_APART = 0.1  # weights "far apart": a spread above this fraction of seed A's size


def fmt(value: float) -> str:
    """A distance or spread for text: 3 significant digits, scientific when tiny."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    return f"{value:.1e}" if abs(value) < 1e-3 else f"{value:.3g}"


def loss_text(value: float) -> str:
    """A loss difference: 3 decimals, or the tiny number itself rather than a misleading "0.000"."""
    return f"{value:.3f}" if value >= 5e-4 or value == 0 else fmt(value)


def times(value: float) -> str:
    """A ratio in words: "1.71 times", "2.9e-06 times"."""
    return f"{fmt(value)} times"


def percent(value: float) -> str:
    """A relative spread in words: "under 1%", "3.1%", "53%" — one decimal near the seed-search threshold,
    so a spread just over it never prints as the threshold itself."""
    if value < 0.01:
        return "under 1%"
    if value < 0.1 or abs(value - SEED_SEARCH_LOSS_RELATIVE) < 0.005:
        return f"{value:.1%}"
    return f"{value:.0%}"


def convex_model(task: str) -> str:
    """What a network without a hidden layer is called for the task."""
    return "linear regression" if task == "regression" else "logistic regression"


def loss_name(task: str) -> str:
    return "squared error" if task == "regression" else "log loss"


def spread_sentence(study: SeedStudy) -> str:
    """How close the losses are, how far apart the weights — each against its own scale."""
    low, high = study.loss_range
    loss_rel = study.loss_relative_spread
    worst, best = study.score_range
    a = seed_label(study.reference_seed)
    text = (f"The {len(study.used)} seeds end at test losses ({loss_name(study.task)}) from **{low:.3f}** to "
            f"**{high:.3f}** and test {score_name(study.task)} from {format_score(worst, study.task)} to "
            f"{format_score(best, study.task)}. ")
    if study.relative_spread < SAME_WEIGHTS_RELATIVE:
        return text + (f"Their weights are the same: at most **{fmt(study.weight_spread)}** from {a}'s, "
                       f"{times(study.relative_spread)} the size of {a}'s weights.")
    text += (f"Their weights are up to **{fmt(study.weight_spread)}** away from {a}'s, "
             f"{times(study.relative_spread)} the size of {a}'s weights ({fmt(study.reference_size)}).")
    if study.relative_spread > max(2 * loss_rel, FAR_APART):
        text += (f" Measured against their own scale, the losses (spread {percent(loss_rel)} of their mean) "
                 "agree far more closely than the weights.")
    return text


# --- "do we need a grid search over seeds?" (issue 15) --------------------------------------------------

def seed_search_kind(study: SeedStudy) -> str:
    """same_solution | equally_good | scores_tie | start_matters, from the measured spreads.

    "No need to search" (same_solution, equally_good) only when the test losses differ by at most
    SEED_SEARCH_LOSS_RELATIVE of their mean (analysis.py says why 10 %). A larger loss spread with every
    seed at exactly the same test accuracy is scores_tie: restarts would buy confidence, not correct
    answers. Otherwise the start changed how good the result is: start_matters.
    """
    if study.loss_relative_spread <= SEED_SEARCH_LOSS_RELATIVE:
        return "same_solution" if study.relative_spread <= FAR_APART else "equally_good"
    worst, best = study.score_range
    if not study.is_regression and worst == best:
        return "scores_tie"
    return "start_matters"


SEED_SEARCH_MEANING = {
    "same_solution": lambda s: (
        f"Not here: the seeds' weights end within {times(s.relative_spread)} their size of each other and "
        f"their test losses within {percent(s.loss_relative_spread)} of their mean, so the start hardly "
        "matters and there is nothing to search over; spend tuning on the width, learning rate and "
        "regularization."),
    "equally_good": lambda s: (
        f"The seeds' weights differ by up to {times(s.relative_spread)} their size, but their test losses "
        f"by only {percent(s.loss_relative_spread)} of their mean: the start decides *which* of many "
        "equally good solutions you get, not how good it is, so there is no need to search over seeds; "
        "spend tuning on the width, learning rate and regularization."),
    "scores_tie": lambda s: (
        f"The seeds' test losses differ by {percent(s.loss_relative_spread)} of their mean, yet every seed "
        f"scores the same test accuracy ({format_score(s.score_range[0], s.task)}): the start changed how "
        "confident the network is, not which test points it gets right, so a search over seeds would buy "
        "a lower loss here, not a better score."),
    "start_matters": lambda s: (
        f"Here the seeds' test losses differ by {percent(s.loss_relative_spread)} of their mean "
        f"({s.loss_range[0]:.3f} to {s.loss_range[1]:.3f}; test {score_name(s.task)} "
        f"{format_score(s.score_range[0], s.task)} to {format_score(s.score_range[1], s.task)}): the start "
        "decided how good the result is, not only where the weights land — some starts ended worse, so a "
        "few restarts, keeping the best on validation data, do help in this setting."),
}


def seed_search_sentence(study: SeedStudy) -> str:
    """The page's answer to "do we need a grid search over seeds?", chosen from the measured spreads;
    diverged seeds (left out of the spreads) are named, since for them the start did decide."""
    text = SEED_SEARCH_MEANING[seed_search_kind(study)](study)
    if study.excluded:
        n = len(study.excluded)
        text += (f" These numbers leave out the {n} of {len(study.seeds)} seeds that diverged: at this "
                 "learning rate the start also decides whether training works at all, which a lower "
                 "learning rate fixes better than a search over seeds.")
    return text


# --- do the functions agree? ------------------------------------------------------------------------------

def function_sentence(study: SeedStudy) -> str:
    """How alike the seeds' functions are on the test points, in the task's measure, next to the weights."""
    n, shared = len(study.used), study.agreement
    far = study.relative_spread > FAR_APART
    if isinstance(shared, PredictionSpread):
        text = (f"On the test points two seeds' predictions differ by RMS **{fmt(shared.between)}**, "
                f"{percent(shared.relative)} of the targets' spread (std {fmt(shared.target_spread)})")
        error = math.sqrt(study.mean_test_loss)
        yardstick = (f" — less than the seeds' own RMS error against the targets ({fmt(error)})"
                     if shared.between < error else "")
        if shared.relative > AGREE_CLOSE:
            return text + f"{yardstick}: here the functions differ too, not only the weights."
        if far:
            return text + (f"{yardstick}, although their weights are up to {fmt(study.weight_spread)} apart: "
                           "different weights, nearly the same function.")
        return text + f"{yardstick}."
    assert isinstance(shared, Agreement)
    agree = shared.unanimous
    if agree >= AGREE_WELL and far:
        return (f"All {n} seeds predict the same class on **{agree:.0%}** of the test points, although "
                f"their weights are up to {fmt(study.weight_spread)} apart.")
    if agree >= AGREE_WELL:
        return f"All {n} seeds predict the same class on **{agree:.0%}** of the test points."
    return (f"The {n} seeds predict the same class on only **{agree:.0%}** of the test points: here the "
            "functions differ too, not only the weights.")


def alignment_sentence(study: SeedStudy, line: StraightLine, seed_b: int) -> str:
    before, after = study.alignment.before[1:], study.alignment.after[1:]
    closer = int(np.sum(after < before))
    farther = int(np.sum(after > before))
    a, b = seed_label(study.reference_seed), seed_label(seed_b)
    moved = f"{closer} of {len(before)} seeds move closer" + (", none moves away" if farther == 0 else
                                                              f", {farther} move away")
    return (f"Reordering each seed's units to line up with {a}'s brings the largest distance down to "
            f"**{fmt(study.aligned_spread)}** ({moved}). Between {a} and {b} the loss barrier goes from "
            f"**{line.barrier_before:.3g}** to **{line.barrier_after:.3g}**.")


def barrier_kind(line: StraightLine) -> str:
    """flat | flat_already | lower | not_lower, from the two barriers and the loss at the ends."""
    flat = FLAT_BARRIER_RELATIVE * line.end_loss
    if line.barrier_before <= flat:
        return "flat_already"
    if line.barrier_after <= flat:
        return "flat"
    return "lower" if line.barrier_after < line.barrier_before else "not_lower"


BARRIER_MEANING = {
    "flat": lambda line: (
        f"After reordering, the straight path barely rises (barrier {line.barrier_after:.3g}, under "
        f"{FLAT_BARRIER_RELATIVE:.0%} of the loss at its ends): the two networks sit in one valley, and "
        f"the ridge of {line.barrier_before:.3g} between them came from listing the same units in another "
        "order."),
    "flat_already": lambda line: (
        f"Even as trained the straight path barely rises (barrier {line.barrier_before:.3g}, under "
        f"{FLAT_BARRIER_RELATIVE:.0%} of the loss at its ends): these two networks already sit in one "
        "valley."),
    "lower": lambda line: (
        f"Reordering lowered the ridge between the two networks from {line.barrier_before:.3g} to "
        f"{line.barrier_after:.3g} but did not remove it: the order of the units explains part of the "
        "difference between the two networks, not all of it."),
    "not_lower": lambda line: (
        f"For this pair reordering did not lower the ridge ({line.barrier_before:.3g} → "
        f"{line.barrier_after:.3g}): weight matching brings the weights closer, which does not guarantee a "
        "lower loss between them."),
}


def flip_sentence(line: StraightLine, activation: str, distances: tuple[float, float]) -> str:
    """For odd activations: how much of the rest is the sign symmetry σ(−z) = −σ(z)."""
    reordered, flipped = distances
    lower = "falls" if line.barrier_flipped < line.barrier_after else "goes"
    return (f"And {activation} is odd, σ(−z) = −σ(z): flipping the signs of all of a unit's weights changes "
            f"nothing either. Allowing flips too, the distance goes from {fmt(reordered)} to "
            f"**{fmt(flipped)}** and the barrier {lower} to **{line.barrier_flipped:.3g}** (dotted line).")


def also_network_sentence(v: ConvexVerdict, mlp: SeedStudy, name: str) -> str:
    return (f" With {name} the spread is **{fmt(mlp.weight_spread)}** ({times(mlp.relative_spread)} the "
            f"weights' size), while the test-loss spread is {loss_text(mlp.loss_spread)}.")


def _same_weights(v: ConvexVerdict) -> str:
    text = (f"Without a hidden layer every seed reaches **the same weights**: the largest distance between "
            f"them is **{fmt(v.spread)}**, {times(v.relative_spread)} the weights' size. ")
    if not v.is_regression:
        return text + ("Like two linear regressions on the same data, two logistic regressions give the "
                       "same answer: the loss is convex, with one lowest point.")
    if v.flat_directions == 0:
        return text + ("This is linear regression, and its squared error is convex in the weights — "
                       "strictly convex here, since the inputs' covariance has full rank — so it has one "
                       "lowest point, and every start ends there.")
    return text + ("This is linear regression, and its squared error is convex in the weights, so every "
                   "start heads for its lowest value.")


CONVEX_MEANING = {
    "same": _same_weights,
    "converging": lambda v: (
        f"Without a hidden layer the seeds are **converging to one answer**: their largest distance fell "
        f"from {fmt(v.halfway_spread)} at epoch {v.halfway_epoch} to **{fmt(v.spread)}** at epoch "
        f"{v.epochs} ({times(v.relative_spread)} the weights' size). Gradient descent has not finished; "
        "train longer to see it shrink further."),
    "separable": lambda v: (
        f"Without a hidden layer the seeds still differ by up to **{fmt(v.spread)}** "
        f"({times(v.relative_spread)} the weights' size): every training point is classified correctly "
        f"(train accuracy {v.train_accuracy:.0%}), so the loss keeps falling as the weights grow and there "
        "is no finite lowest point for the seeds to meet at."),
    "constant_inputs": lambda v: (
        f"Without a hidden layer the seeds still differ by up to **{fmt(v.spread)}** "
        f"({times(v.relative_spread)} the weights' size). Part of that can never shrink: "
        f"{v.constant_inputs} input{'s' if v.constant_inputs != 1 else ''} never vary in the training data, "
        "so their weights get no gradient and keep each seed's random start."),
    "minibatch_noise": lambda v: (
        f"Without a hidden layer the seeds are still up to **{fmt(v.spread)}** apart "
        f"({times(v.relative_spread)} the weights' size; {fmt(v.halfway_spread)} at epoch "
        f"{v.halfway_epoch}): each seed draws its minibatches in its own order, so with a constant step "
        "size the weights keep moving around the one lowest point of this convex loss instead of settling "
        "on it. Full-batch gradient descent (optimizer gd) has no such noise."),
    "not_converged": lambda v: (
        f"Without a hidden layer the seeds are still up to **{fmt(v.spread)}** apart "
        f"({times(v.relative_spread)} the weights' size; {fmt(v.halfway_spread)} at epoch "
        f"{v.halfway_epoch}): gradient descent has not reached the one lowest point of this convex loss "
        f"in {v.epochs} epochs."),
    "unusable": lambda v: ("Without a hidden layer, fewer than two seeds trained without diverging: lower "
                           "the learning rate in the sidebar."),
}


def layer_table(params_a, params_b, aligned_b, hidden: tuple[int, ...]) -> dict[str, list[str]]:
    """Per layer of weights: the distance between A and B as trained and after reordering (columns), each
    with three decimals so the column lines up."""
    names = [f"into hidden layer {i + 1}" for i in range(len(hidden))] + ["into the output"]
    return {"weights": names,
            "distance as trained": [f"{d:.3f}" for d in layer_distances(params_a, params_b)],
            "after reordering": [f"{d:.3f}" for d in layer_distances(params_a, aligned_b)]}
