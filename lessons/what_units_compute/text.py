"""Sentences of the "What each unit computes" lesson, each chosen from the numbers beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from figures.labels import format_score, score_name
from lessons.what_units_compute.analysis import Alikeness

QUESTION = (
    "*Based on the same inputs, each unit ends up producing a different output — is that only the random "
    "start? Shouldn't training make the units' outputs more similar?* Look at what every unit computes, "
    "and measure how alike the outputs are."
)
DIGITS_AND_CNNS = (
    "Each picture is one unit's 64 input weights laid out like the 8×8 digit images. The units see the same "
    "images through the same formula and still become different detectors, for the reason the other lessons "
    "measure: a different start means a different gradient. Convolutional networks show it on a larger "
    "scale: the filters of one layer all see the same image, yet learn edges, blobs and textures of "
    "their own (Zeiler & Fergus 2014)."
)
REFERENCES = (
    "- M. D. Zeiler and R. Fergus, *Visualizing and Understanding Convolutional Networks*, ECCV 2014.\n"
    "- P. Gao, E. Trautmann, B. Yu, G. Santhanam, S. Ryu, K. Shenoy and S. Ganguli, *A theory of "
    "multineuronal dimensionality, dynamics and measurement*, bioRxiv 214262, 2017 (the participation "
    "ratio as an effective number of dimensions)."
)


def _number(value: float, digits: str = ".2f") -> str:
    return format(value, digits) if math.isfinite(value) else "undefined"


def alikeness_sentence(start_mean_abs: float, end: Alikeness, epoch: int, width: int, layer: int) -> str:
    """Do the outputs become alike? The measured mean |corr| and effective number, whichever way they go."""
    name = f"layer {layer + 1}'s units"
    if width < 2:
        return f"Layer {layer + 1} has a single unit: there is no second output to compare it with."
    if not math.isfinite(end.effective_units):
        return (f"At epoch {epoch} every one of {name} outputs a constant on the training points, so their "
                "outputs have no correlation to measure and no effective number.")
    copies = (end.constant_units == 0 and end.effective_units < 1 + 1e-9
              and math.isfinite(end.mean_abs_correlation) and end.mean_abs_correlation > 1 - 1e-9)
    if copies:
        return (f"At epoch {epoch} {name} are copies in what they compute: mean |corr| **1.00** and an "
                f"effective number of **{end.effective_units:.2f}** of {width} — one unit in disguise.")
    before, after = start_mean_abs, end.mean_abs_correlation
    if math.isfinite(before) and math.isfinite(after):
        trend = ("more correlated than at the start" if after > before + 0.005
                 else "less correlated than at the start" if after < before - 0.005
                 else "about as correlated as at the start")
        change = f"from **{before:.2f}** at the start to **{after:.2f}** at epoch {epoch}: {trend}"
    else:
        change = f"**{_number(after)}** at epoch {epoch}"
    constant = (f" ({end.constant_units} of them output a constant and are left out of the correlation)"
                if end.constant_units else "")
    verdict = ("yet not copies" if end.effective_units > 1.05 else "and nearly copies")
    return (f"The mean |correlation| between two of {name}' outputs goes {change}{constant}, {verdict} — the "
            f"effective number of units is **{end.effective_units:.2f}** of {width} (identical copies: 1).")


def straightness_sentence(scores: Sequence[float], activation: str) -> str:
    """Do units of different layers compute different kinds of maps (Q5)? From the measured R² per layer."""
    if not scores:
        return ""
    parts = [f"layer {index + 1}: R² = {score:.3f}" for index, score in enumerate(scores)
             if math.isfinite(score)]
    if not parts:
        return ""
    text = ("How straight are the maps? The least straight unit's pre-activation z, fitted by a plane over "
            "the input plane — " + "; ".join(parts) + ". ")
    if len(scores) == 1:
        return text + ("A first-layer unit computes σ(wᵀx + b): its map changes only across parallel "
                       "straight lines. Add a second hidden layer to see curved maps.")
    if activation == "linear":
        return text + ("With a linear activation every layer stays a plane: deeper units are straight too.")
    deeper = min(scores[1:])
    if deeper < 0.999:
        return text + ("Layer 1's maps change across straight lines; deeper units combine the curved outputs "
                       "of the layer below, so their boundaries bend — units in different layers differ.")
    return text + ("Here even the deeper units are still nearly planes (their layer below is near its linear "
                   "range); train longer or with larger weights to see them bend.")


def copies_cost_sentence(label_a: str, score_a: float, label_b: str, score_b: float,
                         effective_a: float, effective_b: float, width: int, copies_held: bool,
                         task: str = "classification") -> str:
    """What identical copies cost: the two runs' test score (accuracy or R²) and effective number of units,
    side by side.

    `copies_held`: the identical run's units are still exact copies at the end (gap 0.0). Only then is it
    said that the layer computes one function; with dropout the copies separate, and the sentence says so.
    """
    numbers = (f"*{label_a}*: test {score_name(task)} **{format_score(score_a, task)}**, effective number "
               f"of units **{_number(effective_a)}** of {width}; *{label_b}*: "
               f"**{format_score(score_b, task)}**, **{_number(effective_b)}** of {width}.")
    if copies_held:
        return numbers + (" The identical copies are still exact copies: the layer computes one function, so "
                          "it can do only what a single unit can.")
    return numbers + (" The identical start did not stay identical here (per-unit noise such as dropout "
                      "separated the copies), so its units are no longer one unit in disguise.")
