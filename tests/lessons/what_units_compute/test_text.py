"""Sentences of "What each unit computes": each wording only where its numbers hold."""

from __future__ import annotations

import numpy as np

from lessons.what_units_compute.analysis import Alikeness
from lessons.what_units_compute.text import alikeness_sentence, copies_cost_sentence, straightness_sentence


def alike(mean_abs: float, effective: float, constant: int = 0) -> Alikeness:
    return Alikeness(np.eye(2), mean_abs, effective, constant)


def test_more_correlated_yet_not_copies():
    text = alikeness_sentence(0.57, alike(0.81, 1.37), 500, 8, 0)
    assert "from **0.57** at the start to **0.81** at epoch 500: more correlated" in text
    assert "yet not copies" in text and "**1.37** of 8" in text


def test_less_correlated_is_said_as_such():
    assert "less correlated than at the start" in alikeness_sentence(0.6, alike(0.3, 3.2), 100, 8, 0)


def test_copies_are_one_unit_in_disguise():
    text = alikeness_sentence(1.0, alike(1.0, 1.0), 300, 16, 0)
    assert "one unit in disguise" in text and "**1.00** of 16" in text


def test_constant_outputs_have_no_statistics():
    assert "outputs a constant" in alikeness_sentence(float("nan"), alike(float("nan"), float("nan"), 4),
                                                      10, 4, 0)


def test_straightness_by_depth_and_activation():
    assert "Add a second hidden layer" in straightness_sentence([1.0], "tanh")
    assert "boundaries bend" in straightness_sentence([1.0, 0.62], "tanh")
    assert "deeper units are straight too" in straightness_sentence([1.0, 1.0], "linear")
    assert "still nearly planes" in straightness_sentence([1.0, 0.9995], "tanh")


def test_copies_cost_says_one_function_only_when_the_copies_held():
    held = copies_cost_sentence("A", 0.37, "B", 0.95, 1.0, 7.3, 16, copies_held=True)
    assert "**37%**" in held and "**95%**" in held and "computes one function" in held
    broke = copies_cost_sentence("A", 0.6, "B", 0.95, 2.0, 7.3, 16, copies_held=False)
    assert "did not stay identical" in broke and "one function" not in broke
