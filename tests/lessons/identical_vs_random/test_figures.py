"""Figures of the comparison lesson: what each trace holds, not how it looks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.config import RunConfig
from core.train import train, train_starts
from figures.charts import symmetry_gap_figure
from figures.style import PROJECTOR, RUN_COLORS, unit_color
from lessons.identical_vs_random.analysis import (
    STARTS,
    distinct_over_training,
    nudge_summary,
    rounding_nudge,
    start_family,
)
from lessons.identical_vs_random.figures import (
    MAX_HEATMAP_FRAMES,
    MAX_HEATMAP_UNITS,
    distinct_units_figure,
    nudge_figure,
    penalty_figure,
    rounding_figure,
    similarity_heatmaps,
    tied_parts_figure,
)

SMALL = RunConfig(n_samples=120, hidden=(4,), epochs=40)


@pytest.fixture(scope="module")
def runs():
    random, identical = train_starts([SMALL, SMALL.replace(symmetry="identical")])
    return {"A: random": random, "B: identical": identical}


def test_gap_figure_of_several_runs_has_one_line_per_run_below_a_legend(runs):
    fig = symmetry_gap_figure(runs)
    lines = [trace for trace in fig.data if trace.name in runs]
    assert [trace.line.color for trace in lines] == list(RUN_COLORS[:2])
    identical = lines[1]
    floor = next(trace for trace in fig.data if trace.name == "exactly equal (gap = 0)").y[0]
    assert np.all(np.asarray(identical.y) == floor)  # an exact tie sits on the labelled floor
    assert fig.layout.legend.orientation == "h"


def test_distinct_units_figure_steps_through_the_counts(runs):
    counts = {label: (h.steps, distinct_over_training(h, 0, 1e-6)) for label, h in runs.items()}
    fig = distinct_units_figure(counts, width=4, tol=1e-6)
    assert [list(trace.y) for trace in fig.data] == [list(c) for _, c in counts.values()]
    assert fig.data[1].y[-1] == 1 and fig.data[0].y[0] == 4
    assert "1e-06" in fig.layout.title.subtitle.text


def test_heatmaps_scrub_both_runs_with_one_slider(runs):
    fig = similarity_heatmaps(runs, 0, "cosine")
    assert [trace.type for trace in fig.data] == ["heatmap", "heatmap"]
    assert 2 <= len(fig.frames) <= MAX_HEATMAP_FRAMES
    assert len(fig.layout.sliders[0].steps) == len(fig.frames)
    identical_last = np.asarray(fig.frames[-1].data[1].z)
    np.testing.assert_array_equal(identical_last, np.ones((4, 4)))  # copies: cosine exactly 1
    assert unit_color(2, 4) in fig.data[0].x[2]  # each unit's tick carries its colour


def test_distance_heatmap_uses_one_range_for_every_frame(runs):
    fig = similarity_heatmaps(runs, 0, "distance", PROJECTOR)
    largest = max(np.nanmax(np.asarray(d.z, dtype=float)) for frame in fig.frames for d in frame.data)
    assert fig.layout.coloraxis.cmax == pytest.approx(largest)


def test_heatmaps_show_at_most_sixteen_units_and_say_so():
    wide = train(SMALL.replace(hidden=(20,), epochs=3))
    fig = similarity_heatmaps({"wide": wide}, 0, "cosine")
    assert np.asarray(fig.data[0].z).shape == (MAX_HEATMAP_UNITS, MAX_HEATMAP_UNITS)
    assert "first 16 of 20" in fig.layout.title.subtitle.text


def test_nudge_figure_draws_the_fitted_growth_and_the_visible_line():
    config = RunConfig(dataset="xor", n_samples=200, epochs=200)
    histories = train_starts([config.replace(symmetry="identical", perturbation=eps) for eps in (1e-9, 1e-6)])
    runs = {"ε = 1e-09": histories[0], "ε = 1e-06": histories[1]}
    nudge = nudge_summary(histories[1])
    fig = nudge_figure(runs, "ε = 1e-06", nudge)
    fit = [trace for trace in fig.data if trace.name.startswith("fit:")]
    assert len(fit) == 1 and f"{nudge.rate:.3g}" in fit[0].name
    assert math.isclose(fit[0].y[0], math.exp(nudge.fit.intercept + nudge.rate * fit[0].x[0]))
    assert any(shape.y0 == 1e-3 for shape in fig.layout.shapes)


def test_tied_parts_figure_has_one_curve_per_start():
    histories = train_starts(start_family(SMALL, STARTS))
    fig = tied_parts_figure(dict(zip(STARTS, histories)), 0)
    names = [trace.name for trace in fig.data if trace.name != "exactly equal (gap = 0)"]
    assert len(names) == 4 and names[2].startswith("same input weights")


def test_penalty_figure_writes_units_and_accuracy_on_each_bar():
    fig = penalty_figure((0.0, 10.0), (8, 2), (0.95, float("nan")), 8, "l2", 0.1)
    assert list(fig.data[0].y) == [8, 2]
    assert fig.data[0].text[0] == "8 units<br>test 95%" and "diverged" in fig.data[0].text[1]


def test_rounding_figure_marks_the_first_rounding_difference_and_the_visible_line():
    config = SMALL.replace(hidden=(6,), symmetry="identical", optimizer="momentum", learning_rate=0.3)
    exact, plain = train(config), train(config, exact_ties=False)
    rounding = rounding_nudge(plain.symmetry_gap[0])
    fig = rounding_figure({"exact": exact, "plain": plain}, rounding, 0, PROJECTOR)
    exact_line = next(trace for trace in fig.data if trace.name == "exact")
    floor = next(trace for trace in fig.data if trace.name == "exactly equal (gap = 0)").y[0]
    assert np.all(np.asarray(exact_line.y) == floor)
    texts = [annotation.text for annotation in fig.layout.annotations]
    assert any("the copies start to part visibly" in text for text in texts)
    if rounding.first_epoch is not None:
        assert any(text.startswith("first rounding difference") and f"epoch {rounding.first_epoch}" in text
                   for text in texts)
