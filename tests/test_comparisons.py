"""Families of runs that differ in one setting, and the numbers the comparison lesson prints."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core.comparisons import (
    NUDGES,
    PENALTY_STRENGTHS,
    ROUND_OFF,
    SIMILARITIES,
    STARTS,
    contrast_start,
    distinct_over_training,
    fit_budget,
    mean_abs_cosine,
    noise_family,
    nudge_family,
    nudge_summary,
    penalty_family,
    round_off,
    start_family,
    tied_part_gaps,
)
from core.config import RunConfig, estimated_seconds
from core.symmetry import symmetry_gap
from core.train import train, train_starts

SMALL = RunConfig(n_samples=120, hidden=(5,), epochs=60)


@pytest.fixture(scope="module")
def four_starts():
    return dict(zip(STARTS, train_starts(start_family(SMALL, STARTS))))


def _fake_history(gaps, perturbation=1e-6):
    """Just what nudge_summary reads: the gap curve and the nudge size."""
    return SimpleNamespace(symmetry_gap=(np.asarray(gaps, dtype=float),),
                           config=SimpleNamespace(perturbation=perturbation))


# --- families ------------------------------------------------------------------------------------------

def test_contrast_start_is_identical_unless_a_is_identical_already():
    assert contrast_start(SMALL) == "identical"
    assert contrast_start(SMALL.replace(symmetry="same_fan_in")) == "identical"
    assert contrast_start(SMALL.replace(symmetry="identical")) == "none"


def test_families_differ_only_in_the_setting_they_vary():
    starts = start_family(SMALL, STARTS)
    assert [c.symmetry for c in starts] == list(STARTS)
    assert {c.replace(symmetry="none") for c in starts} == {SMALL}
    nudged = nudge_family(SMALL)
    assert [c.perturbation for c in nudged] == list(NUDGES)
    assert {c.symmetry for c in nudged} == {"identical"}
    for penalty in ("l1", "l2"):
        family = penalty_family(SMALL.replace(l1=0.5, l2=0.5), penalty)
        assert [getattr(c, penalty) for c in family] == list(PENALTY_STRENGTHS[penalty])
        assert {getattr(c, "l1" if penalty == "l2" else "l2") for c in family} == {0.0}


def test_noise_family_keeps_the_tie_and_switches_only_the_noise():
    on = noise_family(SMALL, dropout_on=True)
    off = noise_family(SMALL, dropout_on=False)
    minibatch, dropout = on.values()
    assert minibatch.optimizer == "sgd" and minibatch.dropout == 0.0
    assert dropout.dropout == 0.1 and dropout.optimizer == SMALL.optimizer
    assert {c.symmetry for c in (*on.values(), *off.values())} == {"identical"}
    assert list(off.values())[1].dropout == 0.0
    assert list(noise_family(SMALL.replace(dropout=0.3), True).values())[1].dropout == 0.3


def test_fit_budget_caps_epochs_only_when_over_budget():
    family = penalty_family(SMALL, "l2")
    same, capped = fit_budget(family, seconds=1e6)
    assert same == family and not capped
    cheap, capped = fit_budget(family, seconds=0.01)
    assert capped and all(c.epochs < SMALL.epochs for c in cheap)
    assert sum(estimated_seconds(c) for c in cheap) <= 0.01 * 1.01 or all(c.epochs == 1 for c in cheap)


# --- the measurements -----------------------------------------------------------------------------------

def test_identical_start_has_one_distinct_unit_throughout(four_starts):
    counts = distinct_over_training(four_starts["identical"], 0, tol=1e-9)
    assert set(counts.tolist()) == {1}
    assert distinct_over_training(four_starts["none"], 0, tol=1e-9)[0] == 5


def test_tied_part_starts_at_exactly_zero_and_breaks_only_for_partial_ties(four_starts):
    identical = tied_part_gaps(four_starts["identical"], 0)
    assert identical[0] == 0.0 and identical.max() < ROUND_OFF  # exact, or float64 rounding at most
    assert round_off(identical).kind in ("exact", "round-off")
    for start in ("same_fan_in", "same_fan_out"):
        gaps = tied_part_gaps(four_starts[start], 0)
        assert gaps[0] == 0.0 and gaps[-1] > 1e-3, start
    random = four_starts["none"]
    expected = [symmetry_gap(random.params_at(i), 0) for i in range(len(random.steps))]
    np.testing.assert_allclose(tied_part_gaps(random, 0), expected, rtol=1e-12)


def test_mean_abs_cosine_is_one_for_copies_and_less_for_random_units(four_starts):
    assert mean_abs_cosine(four_starts["identical"], 0, 0) == pytest.approx(1.0, abs=1e-15)
    assert mean_abs_cosine(four_starts["none"], 0, 0) < 0.9
    assert set(SIMILARITIES) == {"cosine", "distance"}


@pytest.mark.parametrize(
    ("gaps", "verdict"),
    [
        (1e-6 * np.exp(0.05 * np.arange(300)), "unstable"),
        (1e-6 * np.exp(-0.02 * np.arange(300)), "stable"),
        (1e-6 * (1 + 0.001 * np.arange(300)), "neutral"),
    ],
)
def test_nudge_summary_fits_the_rate_and_names_the_balance_point(gaps, verdict):
    nudge = nudge_summary(_fake_history(gaps))
    assert nudge.verdict == verdict
    if verdict == "unstable":
        assert nudge.rate == pytest.approx(0.05, rel=1e-9)
        assert nudge.visible_epoch == int(np.ceil(np.log(1e3) / 0.05))  # first epoch with gap ≥ 1e-3
    if verdict == "stable":
        assert nudge.rate == pytest.approx(-0.02, rel=1e-9) and nudge.visible_epoch is None


def test_a_nudge_larger_than_visible_is_fitted_from_its_own_size():
    gaps = 1e-2 * np.exp(0.01 * np.arange(200))
    nudge = nudge_summary(_fake_history(gaps, perturbation=1e-2))
    assert nudge.rate == pytest.approx(0.01, rel=1e-9) and nudge.visible_epoch == 0


def test_nudge_on_xor_is_unstable_as_the_scenario_says():
    history = train(RunConfig(dataset="xor", symmetry="identical", perturbation=1e-6, epochs=300))
    nudge = nudge_summary(history)
    assert nudge.verdict == "unstable" and nudge.rate > 0.01 and nudge.visible_epoch is not None


@pytest.mark.parametrize(
    ("gaps", "kind", "first", "grows"),
    [
        ([0.0, 0.0, 0.0], "exact", None, False),
        ([0.0, 0.0, 1e-16, 2e-16], "round-off", 2, False),
        ([0.0, 1e-16, 1e-13], "round-off", 1, True),
        ([0.0, 1e-3, 0.5], "separated", 1, True),
    ],
)
def test_round_off_names_tiny_gaps_honestly(gaps, kind, first, grows):
    noise = round_off(np.array(gaps))
    assert (noise.kind, noise.first_epoch, noise.grows) == (kind, first, grows)
