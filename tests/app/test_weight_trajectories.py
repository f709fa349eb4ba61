"""Weight trajectories for 64-input data: the units as 8×8 pictures over training, not a 64-line legend."""

from __future__ import annotations

import json

from tests.app.conftest import chart_specs, errors

PAGE = "lessons/weight_trajectories/page.py"


def test_digit_units_are_pictures_that_play_over_training(open_app):
    at = open_app(PAGE, dataset="digits", hidden="64", epochs="60")
    assert errors(at) == []
    first = json.loads(chart_specs(at)[0])
    assert "8×8 picture" in first["layout"]["title"]["text"]
    assert first["layout"]["showlegend"] is False and len(first["frames"]) >= 2
    assert len(chart_specs(at)[0]) < 300_000


def test_a_deeper_digit_layer_keeps_the_unit_path_animation(open_app):
    at = open_app(PAGE, dataset="digits", hidden="16-8", epochs="30", trajectories_layer="layer 2")
    assert errors(at) == []
    first = json.loads(chart_specs(at)[0])
    assert "8×8 picture" not in first["layout"]["title"]["text"] and len(first["frames"]) >= 2
