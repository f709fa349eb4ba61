"""The "What each unit computes" lesson, headless: 2-D, 64-input, 3-class and no-hidden-layer settings."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import chart_specs, errors

PAGE = "lessons/what_units_compute/page.py"


def seeing(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**What you are seeing.**")]


def test_default_moons_answers_the_learner_with_the_measured_numbers(open_app):
    at = open_app(PAGE)
    assert errors(at) == []
    specs = chart_specs(at)
    assert len(specs) == 3 and len(specs[0]) < 300_000  # maps, similarity, alikeness; the payload budget
    texts = seeing(at)
    assert "layer 1: R² = 1.000" in texts[0]
    assert "from **0.57** at the start to **0.81** at epoch 500: more correlated" in texts[1]
    assert "yet not copies" in texts[1]
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics == {"A: random (no tie): test accuracy": "95%",
                       "B: identical copies: test accuracy": "93%"}


def test_the_epoch_slider_moves_every_picture(open_app):
    at = open_app(PAGE, units_epoch="0")
    assert errors(at) == []
    assert "epoch 0" in chart_specs(at)[0]
    assert "at epoch 0" in seeing(at)[1]


def test_a_deeper_network_shows_curved_maps_in_layer_two(open_app):
    at = open_app(PAGE, hidden="8-8")
    assert errors(at) == []
    text = seeing(at)[0]
    assert "layer 1: R² = 1.000; layer 2: R² = 0." in text and "boundaries bend" in text


def test_digits_show_pictures_and_the_cost_of_copies(open_app):
    at = open_app(PAGE, dataset="digits", hidden="16", epochs="300", symmetry="identical")
    assert errors(at) == []
    assert "8×8 picture" in json.loads(chart_specs(at)[0])["layout"]["title"]["text"]
    texts = seeing(at)
    assert "Zeiler & Fergus 2014" in texts[0]
    assert "one unit in disguise" in texts[1]
    metrics = {metric.label: metric.value for metric in at.metric}
    identical = int(metrics["A: identical copies: test accuracy"].rstrip("%"))
    random = int(metrics["B: random (no tie): test accuracy"].rstrip("%"))
    assert identical < 50 < 90 < random
    assert "computes one function" in texts[2]


@pytest.mark.parametrize("query", [{"dataset": "iris"}, {"dataset": "spiral", "hidden": "6-6-6"},
                                   {"dataset": "wine", "hidden": "5"}])
def test_other_data_and_depths_work(open_app, query):
    at = open_app(PAGE, epochs="100", **query)
    assert errors(at) == []
    assert len(seeing(at)) >= 2


def test_no_hidden_layer_and_a_single_unit_say_why_there_is_nothing_to_compare(open_app):
    at = open_app(PAGE, hidden="")
    assert errors(at) == []
    assert any("no hidden layer" in info.value for info in at.info)
    at = open_app(PAGE, hidden="1")
    assert errors(at) == []
    assert any("single unit" in info.value for info in at.info)


def test_an_exploding_run_is_named_and_the_page_still_draws(open_app):
    at = open_app(PAGE, activation="relu", learning_rate="100")
    assert errors(at) == []
    assert any("exploded" in error.value for error in at.error)
    assert chart_specs(at)


def test_the_scenarios_point_at_what_their_numbers_show(open_app):
    maps = open_app(PAGE, scenario="What each unit computes")
    assert errors(maps) == []
    texts = seeing(maps)
    assert "layer 2: R² = 0." in texts[0] and "more correlated than at the start, yet not copies" in texts[1]
    copies = open_app(PAGE, scenario="Identical copies are one unit (digits)")
    assert errors(copies) == []
    assert "mean |corr| **1.00** and an effective number of **1.00** of 16" in seeing(copies)[1]


def test_the_identical_maps_scenario_shows_copies(open_app):
    at = open_app(PAGE, scenario="Identical start: identical maps")
    assert errors(at) == []
    assert "mean |corr| **1.00** and an effective number of **1.00** of 8" in seeing(at)[1]
