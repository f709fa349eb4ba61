"""The "Identical vs random start" lesson, headless: every start, every experiment, the edge cases."""

from __future__ import annotations

import pytest

from lessons.identical_vs_random.analysis import STARTS
from tests.app.conftest import chart_specs, errors, html_tables

PAGE = "lessons/identical_vs_random/page.py"


def seeing(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**What you are seeing.**")]


@pytest.mark.parametrize("symmetry", STARTS)
def test_page_runs_for_every_sidebar_start(open_app, symmetry):
    at = open_app(PAGE, symmetry=symmetry, epochs="100")
    assert errors(at) == []
    assert len(chart_specs(at)) == 4  # gap, distinct units, heat maps, the experiment's chart
    first = seeing(at)[0]
    if symmetry == "identical":  # B then defaults to a random start, A keeps its exact tie
        assert "**A: identical copies** — all 8 units are exact copies" in first
        assert "B: random (no tie)" in first
    else:
        assert "**B: identical copies** — all 8 units are exact copies" in first


def test_four_starts_say_which_ties_break_with_numbers(open_app):
    at = open_app(PAGE, epochs="100")
    text = seeing(at)[1]
    assert "stay exact copies (gap **0.0**)" in text
    assert "with *same input weights* the tie broke" in text
    assert "with *same output weights* the tie broke" in text
    table = html_tables(at)[0]
    assert list(table["start"]) == ["random (no tie)", "identical copies", "same input weights",
                                    "same output weights"]
    assert list(table["its gap at the start"])[1:] == ["0.0", "0.0", "0.0"]


def test_tiny_nudge_on_xor_reports_an_unstable_balance_point(open_app):
    at = open_app(PAGE, dataset="xor", compare_experiment="Tiny nudge")
    assert errors(at) == []
    labels = {metric.label: metric.value for metric in at.metric}
    assert float(labels["growth rate λ per epoch"]) > 0
    assert labels["gap reaches 1e-3"].startswith("epoch ")
    assert "**unstable** balance point" in seeing(at)[1]


@pytest.mark.parametrize("dropout", ["true", "false"])
def test_per_unit_noise_breaks_the_tie_only_with_dropout(open_app, dropout):
    at = open_app(PAGE, compare_experiment="Per-unit noise", compare_dropout=dropout, epochs="100")
    assert errors(at) == []
    text = seeing(at)[1]
    assert "*minibatches (sgd), no dropout*: stayed exact copies (gap **0.0**)" in text
    if dropout == "true":
        assert "*dropout 0.1 (gd)*: reached gap" in text
    else:
        assert "*dropout off (gd)*: stayed exact copies" in text


def test_regularization_counts_distinct_units_per_strength(open_app):
    at = open_app(PAGE, compare_experiment="Regularization", compare_penalty="L1", epochs="200")
    assert errors(at) == []
    assert "distinct units" in seeing(at)[1]
    assert any("by L1 strength" in spec for spec in chart_specs(at))


def test_deeper_network_compares_the_chosen_layer(open_app):
    at = open_app(PAGE, hidden="6-3", compare_layer="layer 2", epochs="50")
    assert errors(at) == []
    assert "all 3 units are exact copies" in seeing(at)[0]


@pytest.mark.parametrize("hidden", ["none", "1"])
def test_no_units_to_compare_is_explained_not_an_error(open_app, hidden):
    at = open_app(PAGE, hidden=hidden)
    assert errors(at) == []
    assert any("at least two units" in info.value for info in at.info)


def test_diverging_runs_say_so_and_the_page_still_works(open_app):
    at = open_app(PAGE, activation="linear", initializer="he_normal", learning_rate="10", hidden="32-32",
                  epochs="100")
    assert errors(at) == []
    assert any("diverged" in error.value for error in at.error)
    assert chart_specs(at)


def test_hand_edited_lesson_values_fall_back_to_defaults(open_app):
    at = open_app(PAGE, compare_experiment="Nonsense", compare_tol="abc", compare_start="zzz", epochs="50")
    assert errors(at) == []
    assert len(seeing(at)) == 2  # default experiment (four starts) drawn


CIRCLES = {"dataset": "circles", "n_samples": "300", "noise": "0.1", "hidden": "6", "activation": "tanh",
           "initializer": "he_normal", "symmetry": "identical", "optimizer": "momentum", "batch_size": "32",
           "learning_rate": "0.3", "epochs": "300", "seed": "11"}
"""Issue 11's URL: the plain kernels split these copies (gap 17.3); the app must show the math."""


def test_the_circles_copies_stay_exact_and_the_rounding_experiment_shows_the_split(open_app):
    at = open_app(PAGE, compare_experiment="Rounding as a nudge", **CIRCLES)
    assert errors(at) == []
    first, rounding = seeing(at)[0], seeing(at)[1]
    assert "**A: identical copies** — all 6 units are exact copies after 300 epochs (gap **0.0**, **1** " \
           "distinct unit)" in first
    assert "in exact arithmetic" in first and "*Rounding as a nudge*" in first
    labels = {metric.label: metric.value for metric in at.metric}
    assert labels["kernels first differ"].startswith("epoch ")
    assert labels["by"].endswith("e-16") or labels["by"].endswith("e-17")
    exact_end, plain_end = labels["gap at the end: exact / plain"].split(" / ")
    assert exact_end == "0.0" and float(plain_end) > 1.0
    assert "the copies split" in rounding and "The exact engine keeps the gap at **0.0**" in rounding
    assert "a 1e-16 difference is a nudge" in rounding


def test_home_shows_the_circles_copies_exactly_equal(open_app):
    at = open_app(**CIRCLES)
    assert errors(at) == []
    gap = next(metric for metric in at.metric if metric.label == "Largest unit difference")
    assert gap.value == "0.0"


def test_rounding_experiment_on_the_default_width_says_no_difference_appeared(open_app):
    at = open_app(PAGE, compare_experiment="Rounding as a nudge", epochs="100")
    assert errors(at) == []
    labels = {metric.label: metric.value for metric in at.metric}
    text = seeing(at)[1]
    if labels["kernels first differ"] == "never":  # width 8: this machine's kernels treat the copies alike
        assert "no rounding difference appeared" in text
    else:
        assert "first rounded the copies differently" in text


def test_tiny_nudge_shows_the_landscape_around_the_tie_and_its_curvature(open_app):
    at = open_app(PAGE, dataset="xor", epochs="200", compare_experiment="Tiny nudge")
    assert errors(at) == []
    labels = {metric.label: metric.value for metric in at.metric}
    assert float(labels["curvature along apart κ"]) < 0 < float(labels["growth rate λ per epoch"])
    why = seeing(at)[-1]
    assert "a **ridge**" in why and "That agrees with the nudge experiment's λ" in why
    assert any("Around the tie: a ridge" in spec for spec in chart_specs(at))
