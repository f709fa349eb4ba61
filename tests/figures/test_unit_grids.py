"""Small multiples of units (figures.unit_grids): framed panels, digit pictures and their animation."""

from __future__ import annotations

import numpy as np

from core.config import RunConfig
from core.train import train
from figures.style import PROJECTOR, unit_color
from figures.unit_grids import MAX_PICTURE_FRAMES, UnitPanel, digit_pictures_animation, unit_grid_figure


def test_panels_of_several_layers_start_a_row_each_and_carry_their_unit_colour():
    panels = [UnitPanel(0, j, 3, np.zeros((4, 4))) for j in range(3)] + [UnitPanel(1, 0, 2, np.ones((4, 4))),
                                                                       UnitPanel(1, 1, 2, np.ones((4, 4)))]
    fig = unit_grid_figure(panels, PROJECTOR, "t", "s", "RdBu_r", -1, 1, "σ")
    assert [a.text for a in fig.layout.annotations] == ["layer 1", "unit 1", "unit 2", "unit 3", "layer 2",
                                                        "unit 1", "unit 2"]
    assert fig.layout.yaxis4.domain[1] < fig.layout.yaxis.domain[0]  # layer 2 starts a new row
    assert [shape.line.color for shape in fig.layout.shapes] == [unit_color(j, 3) for j in range(3)] + [
        unit_color(j, 2) for j in range(2)]
    assert all(a.font.size >= 18 for a in fig.layout.annotations)  # readable on a projector


def test_digit_animation_has_few_frames_each_with_its_own_centred_scale():
    history = train(RunConfig(dataset="digits", hidden=(64,), epochs=40))
    fig = digit_pictures_animation(history.weights[0], history.steps, PROJECTOR)
    assert 2 <= len(fig.frames) <= MAX_PICTURE_FRAMES
    last = fig.frames[-1]
    extent = float(np.abs(history.weights[0][-1]).max())
    assert last.layout.coloraxis.cmax == extent and last.layout.coloraxis.cmin == -extent
    np.testing.assert_allclose(np.asarray(last.data[5].z).ravel(), history.weights[0][-1][:, 5], rtol=1e-6)
    assert len(fig.to_json()) < 300_000  # 64 units at the most: the page's payload budget
