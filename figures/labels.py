"""How numbers and units are written on screen, the same in every chart and sentence."""

from __future__ import annotations

import math


def unit_label(index: int) -> str:
    """How a unit is named on screen: counted from 1, as in the math (Z_1 … Z_M)."""
    return f"unit {index + 1}"


def format_gap(value: float) -> str:
    """A symmetry gap as captions print it: exactly 0 stays "0.0", round-off shows as e.g. "2.2e-16"."""
    if value == 0:
        return "0.0"
    if not math.isfinite(value):
        return str(value)
    return f"{value:.1e}" if abs(value) < 1e-3 or abs(value) >= 1e5 else f"{value:.3g}"


def format_score(value: float, task_name: str) -> str:
    """A run's score as sentences print it: accuracy as a percentage ("87%"), R² as a number ("0.93")."""
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.2f}" if task_name == "regression" else f"{value:.0%}"


def score_name(task_name: str) -> str:
    """What the score is called: "accuracy" for classification, "R²" for regression."""
    return "R²" if task_name == "regression" else "accuracy"
