"""One budget per page view: every family a page trains shares it, the cuts are the same on every rerun,
and no view asks for more than PAGE_BUDGET_SECONDS of estimated training."""

from __future__ import annotations

import pytest

from core.budget import (
    MAX_COST_SECONDS,
    PAGE_BUDGET_SECONDS,
    PageBudget,
    batched_seconds,
    estimated_seconds,
    family_seconds,
    fit_budget,
    max_epochs,
)
from core.config import FIELDS, RunConfig

HEAVY = RunConfig(dataset="iris", hidden=(64, 64, 64), optimizer="adam", learning_rate=0.01, epochs=10)


def heaviest(config: RunConfig) -> RunConfig:
    """The config at the most epochs the sidebar accepts (one run's budget)."""
    return config.replace(epochs=min(max_epochs(config), int(FIELDS["epochs"].high)))


def test_family_seconds_is_batched_or_summed():
    configs = [RunConfig(), RunConfig(symmetry="identical")]
    assert family_seconds(configs, batched=True) == batched_seconds(configs)
    assert family_seconds(configs) == pytest.approx(sum(estimated_seconds(c) for c in configs))


def test_a_page_of_cheap_runs_is_never_capped():
    budget = PageBudget()
    for family in ([RunConfig()], [RunConfig(symmetry=s) for s in ("none", "identical", "same_fan_in")]):
        fitted, capped = budget.fit(family, batched=True)
        assert not capped and fitted == family
    assert 0 < budget.spent < PAGE_BUDGET_SECONDS


DIGITS = RunConfig(dataset="digits", hidden=(64, 64), epochs=10)


@pytest.mark.parametrize("config", [RunConfig(), HEAVY, DIGITS],
                         ids=["moons", "iris-64-64-64-adam", "digits-64-64"])
def test_six_trainings_on_one_page_stay_within_the_page_budget(config):
    """Like Identical vs random start with its heaviest accepted sidebar run: the A/B pair, then an
    experiment of five nudged starts — the second family gets what the first left, and says it capped."""
    config = heaviest(config)
    assert estimated_seconds(config) <= MAX_COST_SECONDS + 1e-9
    budget = PageBudget()
    pair, _ = budget.fit([config, config.replace(symmetry="identical")], batched=True)
    family = [config.replace(symmetry="identical", perturbation=eps)
              for eps in (1e-12, 1e-9, 1e-6, 1e-4, 1e-2)]
    nudged, capped = budget.fit(family, batched=True)
    spent = family_seconds(pair, batched=True) + family_seconds(nudged, batched=True)
    assert spent <= PAGE_BUDGET_SECONDS * 1.001 and budget.spent == pytest.approx(spent)
    unlimited = family_seconds(family, batched=True) + family_seconds(pair, batched=True)
    assert capped == (unlimited > PAGE_BUDGET_SECONDS)
    assert all(c.epochs >= 1 for c in nudged)


def test_the_same_view_makes_the_same_cuts():
    def view() -> list[RunConfig]:
        budget = PageBudget()
        budget.fit([heaviest(HEAVY)] * 2, batched=True)
        return budget.fit([heaviest(HEAVY)] * 5, batched=True)[0]

    assert view() == view()


def test_at_most_limits_one_family_below_what_is_left():
    budget = PageBudget()
    fitted, capped = budget.fit([heaviest(HEAVY)], at_most=1.0)
    assert capped and estimated_seconds(fitted[0]) <= 1.0 + 1e-9
    assert budget.left == pytest.approx(PAGE_BUDGET_SECONDS - estimated_seconds(fitted[0]))


def test_fit_budget_keeps_at_least_one_epoch():
    fitted, capped = fit_budget([heaviest(HEAVY)] * 3, 1e-6)
    assert capped and all(c.epochs == 1 for c in fitted)


def test_the_cap_note_names_the_runs_the_epochs_and_the_page_budget():
    from core.budget import page_cap_note

    note = page_cap_note("these runs", 120, 500)
    assert "these runs train for 120 epochs (the sidebar says 500)" in note
    assert f"{PAGE_BUDGET_SECONDS:g} s of training for all its runs together" in note
