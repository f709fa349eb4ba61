"""Margins sized before the browser draws (figures/margins.py): Plotly's tick rule, the room per part,
and what is left alone. Whether Chromium then draws once is checked in tests/e2e/test_margins.py."""

from __future__ import annotations

import base64
import copy

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train
from figures import run_figures
from figures.finished import figure_dict
from figures.margins import label_ems, numeric_tick_labels, presize_margins
from figures.style import NORMAL, PROJECTOR


@pytest.mark.parametrize("rough, step", [(0.057, 0.1), (0.01, 0.02), (0.03, 0.05), (3.0, 5.0), (7.0, 10.0),
                                         (0.2, 0.2), (140.0, 200.0)])
def test_ticks_step_as_plotly_rounds_it(rough, step):
    from figures.margins import _nice_step

    assert _nice_step(rough) == pytest.approx(step)


def test_tick_labels_have_the_steps_decimals():
    # 280 px: 8 ticks, a rough step of 0.05, kept (5 × 0.01); trailing zeros dropped as Plotly does
    assert numeric_tick_labels(0.3, 0.7, 280) == ["0.3", "0.35", "0.4", "0.45", "0.5", "0.55", "0.6", "0.65",
                                                  "0.7"]
    assert numeric_tick_labels(0.31, 0.69, 120) == ["0.4", "0.5", "0.6"]  # 5 ticks: 0.076 → 0.1
    assert "100%" in numeric_tick_labels(-0.02, 1.02, 300, percent=True)
    assert numeric_tick_labels(-3.2, 1.1, 300)[0] == "-3"
    assert label_ems("100%") > label_ems("0.7") > label_ems("7")


def _figure(**layout) -> dict:
    return {"data": [{"type": "scatter", "name": "unit 1", "y": [0.1, 0.9]},
                     {"type": "scatter", "name": "unit 2", "y": [0.2, 0.8]}],
            "layout": {"font": {"size": 14}, "height": 400, "margin": {"l": 10, "r": 10, "t": 72, "b": 10},
                       "yaxis": {"title": {"text": "loss", "standoff": 6}},
                       "xaxis": {"title": {"text": "epoch", "standoff": 6}}, **layout}}


def test_left_bottom_and_legend_room_are_raised():
    margin = presize_margins(_figure())["layout"]["margin"]
    assert margin["l"] > 40 and margin["b"] > 40 and margin["r"] > 80
    assert margin["t"] == 72  # the title's room is style_figure's


def test_room_grows_with_font_labels_and_names():
    base = presize_margins(_figure())["layout"]["margin"]
    big_font = presize_margins(_figure(font={"size": 20}))["layout"]["margin"]
    assert all(big_font[side] > base[side] for side in "lbr")
    wide = _figure()
    wide["data"][0]["y"] = [-1500.5, 2500.25]
    wide["data"][1]["name"] = "a much longer legend entry"
    wider = presize_margins(wide)["layout"]["margin"]
    assert wider["l"] > base["l"] and wider["r"] > base["r"]


def test_base64_arrays_are_read():
    spec = _figure()
    wide_values = np.array([-2500.0, 1.0]).tobytes()
    spec["data"][0]["y"] = {"dtype": "f8", "bdata": base64.b64encode(wide_values).decode()}
    plain = presize_margins(_figure())["layout"]["margin"]["l"]
    assert presize_margins(spec)["layout"]["margin"]["l"] > plain


def test_a_margin_is_never_lowered():
    spec = _figure(margin={"l": 300, "r": 300, "t": 72, "b": 300})
    assert presize_margins(spec)["layout"]["margin"] == {"l": 300, "r": 300, "t": 72, "b": 300}


def test_one_trace_shows_no_legend_and_a_horizontal_legend_keeps_the_bottom():
    single = _figure()
    single["data"] = single["data"][:1]
    assert presize_margins(single)["layout"]["margin"]["r"] == 10
    below = presize_margins(_figure(legend={"orientation": "h", "y": -0.3}))["layout"]["margin"]
    assert below["r"] == 10 and below["b"] == 10  # the figure sized its bottom for the legend itself


def test_unknown_trace_types_and_axes_are_left_to_plotly():
    polar = _figure()
    polar["data"][0]["type"] = "scatterpolar"
    assert presize_margins(copy.deepcopy(polar)) == polar
    log = presize_margins(_figure(yaxis={"type": "log", "title": {"text": "loss"}}))["layout"]["margin"]
    assert log["l"] == 10  # log ticks are labelled otherwise: not guessed


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR], ids=["normal", "projector"])
def test_the_trajectory_figures_arrive_with_their_margins_sized(style):
    config = RunConfig()
    history, data = train(config), load_dataset(config)
    for kind in ("animation", "incoming_weights", "outgoing_weights", "loss", "accuracy"):
        margin = figure_dict(run_figures.run_figure, kind, history, data, 0, style)["layout"]["margin"]
        assert margin["l"] > 2 * style.font_size, kind
        assert margin["b"] > 2 * style.font_size, kind
