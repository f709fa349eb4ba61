"""Figures of "What each unit computes": one framed panel per unit, in its colour, within the budget."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.symmetry import cosine_similarities
from core.train import train
from figures.style import NORMAL, PROJECTOR, unit_color
from figures.unit_grids import digit_pictures_figure
from lessons.what_units_compute.analysis import (
    alikeness_at,
    alikeness_over_training,
    digit_pictures,
    frame_snapshots,
    map_resolution,
    unit_maps,
)
from lessons.what_units_compute.figures import alikeness_figure, output_maps_figure, similarity_figure

CONFIG = RunConfig(n_samples=160, hidden=(8, 8), epochs=40)


@pytest.fixture(scope="module")
def run():
    return train(CONFIG), load_dataset(CONFIG)


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR], ids=["normal", "projector"])
def test_output_maps_have_one_heatmap_per_unit_framed_in_its_colour(run, style):
    history, data = run
    xs, ys, maps = unit_maps(history, data, 3, map_resolution(16))
    fig = output_maps_figure(xs, ys, maps, "tanh", 3, data, style)
    heatmaps = [trace for trace in fig.data if trace.type == "heatmap"]
    assert len(heatmaps) == 16
    frames = [shape.line.color for shape in fig.layout.shapes]
    assert frames == [unit_color(j, 8) for j in range(8)] * 2
    assert fig.layout.coloraxis.cmin == -1 and fig.layout.coloraxis.cmax == 1  # tanh's range
    assert "epoch 3" in fig.layout.title.text
    assert len(fig.to_json()) < 300_000  # the page's payload budget at the default


def test_more_than_64_units_are_cut_with_a_note():
    config = RunConfig(n_samples=80, hidden=(40, 40), epochs=2)
    history, data = train(config), load_dataset(config)
    xs, ys, maps = unit_maps(history, data, 1, map_resolution(80))
    fig = output_maps_figure(xs, ys, maps, "tanh", 1, data)
    assert sum(trace.type == "heatmap" for trace in fig.data) == 64
    assert "Showing 64 of 80 units" in fig.layout.title.subtitle.text


def test_digit_pictures_are_centred_on_zero_one_scale_per_snapshot():
    history = train(RunConfig(dataset="digits", hidden=(10,), epochs=5))
    pictures = digit_pictures(history, 2)
    fig = digit_pictures_figure(pictures, 2, PROJECTOR)
    extent = float(np.abs(pictures).max())
    assert fig.layout.coloraxis.cmin == -extent and fig.layout.coloraxis.cmax == extent
    assert sum(trace.type == "heatmap" for trace in fig.data) == 10
    assert fig.layout.yaxis.autorange == "reversed"  # row 0 of the image at the top, as the digit is drawn


def test_similarity_and_alikeness_figures(run):
    history, data = run
    last = len(history.steps) - 1
    alike = alikeness_at(history, data, 0, last)
    fig = similarity_figure(cosine_similarities(history.params_at(last), 0), alike.correlation, 0, 40)
    assert [trace.type for trace in fig.data] == ["heatmap", "heatmap"]
    assert "■" in fig.data[0].x[0] and unit_color(0, 8) in fig.data[0].x[0]
    over = alikeness_over_training(history, data, 0, frame_snapshots(history))
    fig = alikeness_figure({"A": over, "B": over}, 0, PROJECTOR)
    assert len(fig.data) == 4 and fig.layout.yaxis2.range[1] == 8.5
