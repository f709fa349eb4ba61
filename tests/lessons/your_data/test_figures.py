"""The Your data pictures: a plane whose invisible grid catches a click anywhere, the added points drawn
apart; rows per class (or the targets' spread) when there is no plane."""

from __future__ import annotations

import numpy as np

from core.added_points import AddedPoint, with_points
from core.config import RunConfig
from core.datasets import load_dataset
from figures.style import PROJECTOR
from lessons.your_data.figures import CLICK_COLUMNS, CLICK_ROWS, plane_box, plane_figure, rows_figure

MOONS = load_dataset(RunConfig(n_samples=100))


def test_the_grid_covers_the_whole_plane_and_shows_nothing():
    fig = plane_figure(MOONS, (), 0)
    grid = fig.data[0]
    assert len(grid.x) == CLICK_COLUMNS * CLICK_ROWS and grid.hoverinfo == "none"
    assert grid.marker.color == "rgba(0,0,0,0)" and not grid.showlegend
    (x_low, x_high), (y_low, y_high) = plane_box(MOONS)
    assert tuple(fig.layout.xaxis.range) == (x_low, x_high)
    assert tuple(fig.layout.yaxis.range) == (y_low, y_high)
    assert np.isclose(min(grid.x), x_low, atol=1e-3) and np.isclose(max(grid.x), x_high, atol=1e-3)
    assert np.isclose(min(grid.y), y_low, atol=1e-3) and np.isclose(max(grid.y), y_high, atol=1e-3)
    assert (x_high - x_low) / (CLICK_COLUMNS - 1) < 0.1 * (x_high - x_low)  # far closer than any two clicks
    assert fig.layout.dragmode is False


def test_every_row_is_drawn_once_and_the_added_points_apart():
    points = (AddedPoint(3.0, 3.0, 1), AddedPoint(-0.5, 0.2, 1))
    data = with_points(MOONS, points, "Two moons").data
    fig = plane_figure(data, points, 1)
    rows = sum(len(trace.x) for trace in fig.data[1:] if not trace.name.endswith("added"))
    assert rows == len(MOONS.y_all)
    added = [trace for trace in fig.data if trace.name == "lower moon, added"]
    assert len(added) == 1 and list(added[0].x) == [3.0, -0.5]
    assert plane_box(data, points)[0][1] > 3.0  # the plane grows to show an added point
    assert "lower moon" in fig.layout.title.text


def test_projector_text_is_at_least_18_px():
    for fig in (plane_figure(MOONS, (), 0, PROJECTOR), rows_figure(load_dataset(RunConfig(dataset="iris")),
                                                                   PROJECTOR)):
        assert fig.layout.font.size >= 18 and fig.layout.title.font.size >= 18


def test_rows_per_class_and_the_targets_spread():
    iris = load_dataset(RunConfig(dataset="iris"))
    fig = rows_figure(iris)
    assert [list(trace.y) for trace in fig.data] == [np.bincount(iris.y_train).tolist(),
                                                     np.bincount(iris.y_test).tolist()]
    plane = load_dataset(RunConfig(dataset="plane"))
    assert [trace.type for trace in rows_figure(plane).data] == ["histogram", "histogram"]
