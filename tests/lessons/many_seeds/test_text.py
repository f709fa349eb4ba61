"""The many-seeds lesson's sentences: one for every verdict, each chosen by the numbers."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from lessons.many_seeds.analysis import FLAT_BARRIER_RELATIVE
from lessons.many_seeds.convex import CONVEX_KINDS
from lessons.many_seeds.text import BARRIER_MEANING, CONVEX_MEANING, barrier_kind, fmt, loss_text


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
