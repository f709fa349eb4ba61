"""Families of runs that differ in one setting, and the numbers the comparison lesson prints."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from core.config import RunConfig
from core.initializers import contrast_start
from core.symmetry import symmetry_gap
from core.train import train, train_starts
from lessons.identical_vs_random.analysis import (
    EXPERIMENTS,
    NUDGES,
    PENALTY_STRENGTHS,
    SIMILARITIES,
    STARTS,
    distinct_over_training,
    mean_abs_cosine,
    noise_family,
    nudge_family,
    nudge_summary,
    penalty_family,
    rounding_nudge,
    rounding_start,
    start_family,
    tied_part_gaps,
)

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
    assert contrast_start(SMALL.symmetry) == "identical"
    assert contrast_start("same_fan_in") == "identical"
    assert contrast_start("identical") == "none"


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




# --- the measurements -----------------------------------------------------------------------------------

def test_identical_start_has_one_distinct_unit_throughout(four_starts):
    counts = distinct_over_training(four_starts["identical"], 0, tol=1e-9)
    assert set(counts.tolist()) == {1}
    assert distinct_over_training(four_starts["none"], 0, tol=1e-9)[0] == 5


def test_tied_part_starts_at_exactly_zero_and_breaks_only_for_partial_ties(four_starts):
    identical = tied_part_gaps(four_starts["identical"], 0)
    assert np.all(identical == 0.0)  # the engine keeps an exact tie exact (core.ties)
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
    ("gaps", "kind", "first", "split"),
    [
        ([0.0, 0.0, 0.0], "none", None, None),
        ([0.0, 0.0, 1e-16, 2e-16, 3e-16], "round-off", 2, None),
        ([0.0, 1e-16, 1e-15, 1e-13, 1e-11], "growing", 1, None),
        ([0.0, 1e-16, 1e-9, 1e-3, 0.5], "split", 1, 3),
    ],
)
def test_rounding_is_classified_from_the_gap_curve(gaps, kind, first, split):
    rounding = rounding_nudge(np.array(gaps))
    assert (rounding.kind, rounding.first_epoch, rounding.split_epoch) == (kind, first, split)
    assert rounding.end_gap == gaps[-1] and rounding.largest == max(gaps)


def test_rounding_start_removes_everything_but_rounding_that_could_separate_copies():
    start = rounding_start(RunConfig(symmetry="same_fan_in", perturbation=1e-3, dropout=0.2))
    assert (start.symmetry, start.perturbation, start.dropout) == ("identical", 0.0, 0.0)


ROUNDING_SPLITS = RunConfig(dataset="circles", n_samples=300, noise=0.1, hidden=(6,), initializer="he_normal",
                            symmetry="identical", optimizer="momentum", batch_size=32, learning_rate=0.3,
                            epochs=300, seed=11)
ROUNDING_STAYS = RunConfig(hidden=(6,), symmetry="identical", epochs=300)


def test_rounding_as_a_nudge_grows_into_a_split_on_the_circles_case():
    """Measured on this machine's kernels: 8.9e-17 at epoch 2, past 1e-3 within 100 epochs, about 4 apart."""
    assert np.all(train(ROUNDING_SPLITS).symmetry_gap[0] == 0.0)
    rounding = rounding_nudge(train(ROUNDING_SPLITS, exact_ties=False).symmetry_gap[0])
    if rounding.kind == "none":
        pytest.skip("this machine's matrix kernels round the six copies alike: no rounding to amplify")
    assert rounding.kind == "split"
    assert rounding.first_epoch <= 10 and 1e-17 < rounding.first_gap < 1e-15
    assert rounding.split_epoch < 150 and rounding.end_gap > 1.0 and rounding.rate > 0


def test_rounding_as_a_nudge_stays_at_round_off_on_default_moons_at_width_6():
    """Measured: 1.1e-16 first at epoch 79, at most 4e-16 after 300 epochs (full-batch gd)."""
    rounding = rounding_nudge(train(ROUNDING_STAYS, exact_ties=False).symmetry_gap[0])
    if rounding.kind == "none":
        pytest.skip("this machine's matrix kernels round the six copies alike: no rounding to amplify")
    assert rounding.kind == "round-off"
    assert 1e-17 < rounding.first_gap < 1e-15 and rounding.largest < 1e-14


def test_every_scenario_names_an_experiment_the_lesson_has():
    from app.scenarios import SCENARIOS

    named = [value for scenario in SCENARIOS for key, value in scenario.settings
             if key == "compare_experiment"]
    assert named and set(named) <= set(EXPERIMENTS)
