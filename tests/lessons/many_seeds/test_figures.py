"""Figures of the many-seeds lesson: titles and axes, units in their own colours, seeds in greys, the
before/after contrast, and the awkward cases (no hidden layer, diverged seeds, many classes, projector)."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train_seeds
from figures.style import NORMAL, PROJECTOR, unit_color
from lessons.many_seeds.agreement import decision_grids
from lessons.many_seeds.agreement_figures import agreement_figure, boundaries_figure
from lessons.many_seeds.analysis import (
    flip_and_permute,
    match_units_and_signs,
    straight_line,
    study_seeds,
    unit_pairing,
)
from lessons.many_seeds.figures import (
    ALIGNED,
    SEED_A,
    SEED_B,
    SEED_OTHER,
    TRAINED,
    pairing_figure,
    seed_label,
    seed_losses_figure,
    straight_line_figure,
    weight_distance_figure,
    weights_heatmap_figure,
)

DEFAULT = RunConfig(epochs=150)
NEUTRAL = {SEED_A, SEED_B, SEED_OTHER, TRAINED, ALIGNED}


@functools.cache
def study(config: RunConfig = DEFAULT, count: int = 4):
    return study_seeds(train_seeds(config, range(count)), load_dataset(config))


def title(fig) -> str:
    return fig.layout.title.text


def test_losses_figure_has_one_bar_per_seed_in_greys_with_a_and_b_highlighted():
    result = study()
    fig = seed_losses_figure(result, chosen=2)
    bar = fig.data[0]
    assert list(bar.x) == [seed_label(s) for s in range(4)]
    assert list(bar.marker.color) == [SEED_A, SEED_OTHER, SEED_B, SEED_OTHER]
    assert set(bar.marker.color) <= NEUTRAL
    assert title(fig) == "Final test loss of each seed"
    assert "Spread" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis.title.text and fig.layout.yaxis.range[0] == 0


def test_distance_figure_compares_as_trained_and_aligned_against_the_weights_size():
    result = study()
    fig = weight_distance_figure(result, chosen=1)
    names = [trace.name for trace in fig.data]
    assert names == ["as trained", "units aligned to seed A"]
    assert np.all(np.asarray(fig.data[1].y) <= np.asarray(fig.data[0].y) + 1e-12)
    assert any("‖θ" in (shape_annotation.text or "") for shape_annotation in fig.layout.annotations)
    assert fig.layout.yaxis.range[1] >= result.reference_size  # tiny distances look tiny
    logistic = weight_distance_figure(study(DEFAULT.replace(hidden=())), chosen=1, has_units=False)
    assert [trace.name for trace in logistic.data] == ["as trained"]


def test_pairing_figure_keeps_each_unit_in_its_own_colour():
    result = study(DEFAULT.replace(hidden=(6,)))
    a, b = result.params[0], result.params[1]
    pairing = unit_pairing(a, b, result.alignment.perms[1], 0)
    fig = pairing_figure(pairing, 0, 1)
    rows = [trace for trace in fig.data if trace.type == "scatter" and trace.mode.startswith("markers")]
    expected = [unit_color(j, 6) for j in range(6)]
    assert [list(row.marker.color) for row in rows] == [expected, expected]  # A's row, then B's own colours
    lines = fig.data[0]
    ends = [(lines.x[i], lines.x[i + 1]) for i in range(0, len(lines.x), 3)]
    assert ends == [(j, int(k)) for j, k in enumerate(pairing.matched)]
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert [bar.marker.color for bar in bars] == [TRAINED, ALIGNED]
    assert "Which unit of seed 1 matches each unit of seed 0" in title(fig)


def test_heatmap_shows_every_seed_as_a_row_before_and_after():
    result = study()
    fig = weights_heatmap_figure(result, layer=0, chosen=1)
    heatmaps = [trace for trace in fig.data if trace.type == "heatmap"]
    assert len(heatmaps) == 2
    assert all(np.asarray(h.z).shape == (4, 8 * (2 + 1 + 1)) for h in heatmaps)
    assert heatmaps[0].zmid == 0
    logistic = weights_heatmap_figure(study(DEFAULT.replace(hidden=())), layer=None)
    assert len([trace for trace in logistic.data if trace.type == "heatmap"]) == 1
    assert "no hidden layer" in title(logistic)


def test_straight_line_figure_names_each_barrier():
    result = study()
    data = load_dataset(DEFAULT)
    a, b = result.params[0], result.params[1]
    flipped = flip_and_permute(b, *match_units_and_signs(a, b))
    line = straight_line(a, b, result.alignment.aligned[1], data.X_train, data.y_train, "tanh",
                         flipped_b=flipped)
    fig = straight_line_figure(line, 0, 1)
    assert [trace.name.split(":")[0] for trace in fig.data] == ["as trained", "units reordered",
                                                                "reordered + signs flipped"]
    assert f"barrier {line.barrier_before:.3g}" in fig.data[0].name
    assert fig.layout.xaxis.title.text.startswith("λ")
    assert len(straight_line_figure(line, 0, 1, has_units=False).data) == 1


def test_boundaries_figure_draws_one_line_per_seed_and_stays_small():
    result = study(DEFAULT, 8)
    data = load_dataset(DEFAULT)
    grids = decision_grids(result.params, data.X_train, "tanh")
    fig = boundaries_figure(grids, data, list(range(8)), chosen=3, unanimous=0.97)
    contours = [trace for trace in fig.data if trace.type == "contour"]
    assert len(contours) == 8
    assert {c.line.color for c in contours} <= NEUTRAL
    assert [c.name for c in contours if c.showlegend] == ["other seeds", "A: seed 0", "B: seed 3"]
    assert "97%" in fig.layout.title.subtitle.text
    assert len(json.dumps(fig.to_plotly_json(), default=str)) < 150_000


def test_boundaries_for_three_classes_mark_class_changes():
    config = DEFAULT.replace(dataset="blobs")
    result = study(config)
    data = load_dataset(config)
    grids = decision_grids(result.params, data.X_train, "tanh")
    fig = boundaries_figure(grids, data, list(range(4)), chosen=1, unanimous=1.0)
    contour = next(trace for trace in fig.data if trace.type == "contour")
    assert contour.contours.start == 0.5 and contour.contours.end == 1.5


def test_agreement_figure_for_data_without_a_plane():
    config = DEFAULT.replace(dataset="iris", epochs=60)
    fig = agreement_figure(study(config), chosen=2)
    assert list(fig.data[0].x) == ["seed 1", "seed 2", "seed 3"]
    assert all(0 <= v <= 1 for v in fig.data[0].y)
    assert "classified like seed 0" in title(fig)


def test_diverged_seeds_are_marked_not_drawn():
    config = RunConfig(activation="linear", initializer="he_normal", learning_rate=2.0, epochs=400,
                       hidden=(16, 16))
    result = study(config)
    fig = seed_losses_figure(result, chosen=2)
    assert fig.data[0].y[1] is None and fig.data[0].y[3] is None
    assert sum(a.text == "diverged" for a in fig.layout.annotations) == 2
    everything = study_seeds(train_seeds(config.replace(learning_rate=10.0, hidden=(8,)), range(2)),
                             load_dataset(config))
    assert "Every seed diverged" in seed_losses_figure(everything).layout.title.subtitle.text
    assert weight_distance_figure(everything).layout.annotations  # a note, not a crash


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR])
def test_style_sets_the_font_size(style):
    result = study()
    pairing = unit_pairing(result.params[0], result.params[1], result.alignment.perms[1], 0)
    for fig in (seed_losses_figure(result, 1, style), weight_distance_figure(result, 1, True, style),
                weights_heatmap_figure(result, 0, 1, style), pairing_figure(pairing, 0, 1, 1, style)):
        assert fig.layout.font.size == style.font_size
        assert fig.layout.legend.font.size == style.font_size
