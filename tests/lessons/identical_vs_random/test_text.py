"""The rounding experiment's sentences: each kind says only what its numbers show."""

from __future__ import annotations

import numpy as np
import pytest

from lessons.identical_vs_random.analysis import rounding_nudge
from lessons.identical_vs_random.text import ROUNDING_MORAL, exact_arithmetic_note, rounding_sentence


def sentence(gaps: list[float]) -> str:
    return rounding_sentence(rounding_nudge(np.array(gaps)), len(gaps) - 1)


def test_no_rounding_difference_is_said_as_such():
    text = sentence([0.0] * 5)
    assert "In 4 epochs the plain kernels computed every copy alike" in text and "**0.0**" in text


def test_round_off_that_does_not_grow_is_not_called_a_split():
    text = sentence([0.0, 0.0, 1.1e-16, 2.2e-16, 4.4e-16])
    assert "first rounded the copies differently at epoch 2, by **1.1e-16**" in text
    assert "at most 4× its first size" in text and "not amplified" in text
    assert "split" not in text


def test_growing_rounding_gives_its_rate_and_what_is_left_to_visible():
    gaps = [0.0] + [1e-16 * np.exp(0.5 * t) for t in range(40)]
    text = sentence(gaps)
    assert "grew (λ = 0.5 per epoch)" in text and "still far below 0.001" in text
    remaining = np.log(1e-3 / gaps[-1]) / 0.5
    assert f"in about {remaining:.0f} more epochs" in text


def test_a_split_names_the_epoch_it_became_visible():
    text = sentence([0.0, 1e-16, 1e-10, 1e-5, 2e-3, 3.0])
    assert "reached 0.001 at epoch 4: the copies split, ending **3** apart" in text
    assert "The exact engine keeps the gap at **0.0** throughout." in text


@pytest.mark.parametrize("text", [ROUNDING_MORAL, exact_arithmetic_note()])
def test_the_theorem_is_stated_for_exact_arithmetic(text):
    assert "exact arithmetic" in text
