"""Points added by clicking join the training rows of 2-D classification data, nothing else moves, and the
result is named by its content like an upload."""

from __future__ import annotations

import numpy as np
import pytest

from core.added_points import MAX_POINTS, AddedPoint, with_points
from core.config import RunConfig
from core.custom_data import register
from core.datasets import load_dataset
from core.errors import UploadError
from core.train import train

MOONS = RunConfig(n_samples=100)


def test_points_join_the_training_rows_and_nothing_else_moves():
    base = load_dataset(MOONS)
    points = [AddedPoint(0.1, -0.2, 1), AddedPoint(1.5, 1.5, 0)]
    made = with_points(base, points, "Two moons")
    data = made.dataset(123)  # the same rows whatever the data seed: the base's seed is in them
    assert np.array_equal(data.X_train[:-2], base.X_train) and np.array_equal(data.y_train[:-2], base.y_train)
    assert data.X_train[-2:].tolist() == [[0.1, -0.2], [1.5, 1.5]] and data.y_train[-2:].tolist() == [1, 0]
    assert data.X_test is base.X_test and data.class_names == base.class_names
    assert made.spec.n_rows == 102 and made.spec.title == "Two moons + 2 added points"
    assert with_points(base, points, "Two moons").name == made.name
    assert with_points(base, points[:1], "Two moons").name != made.name


def test_every_lesson_config_trains_on_the_added_points():
    base = load_dataset(MOONS)
    made = register(with_points(base, [AddedPoint(0.0, 0.0, 1)] * 20, "Two moons"))
    history = train(MOONS.replace(dataset=made.name, epochs=20))
    plain = train(MOONS.replace(epochs=20))
    assert history.task.name == "classification" and history.train_loss[-1] != plain.train_loss[-1]


@pytest.mark.parametrize(("config", "points", "message"), [
    (RunConfig(dataset="iris"), [AddedPoint(0, 0, 0)], "this data has 4 inputs."),
    (RunConfig(dataset="plane"), [AddedPoint(0, 0, 0)], "and a number to predict."),
    (MOONS, [AddedPoint(0, 0, 2)], "Class 2 does not exist: this data has 2 classes."),
    (MOONS, [AddedPoint(float("nan"), 0, 0)], "A point must lie within"),
    (MOONS, [AddedPoint(0, 0, 0)] * (MAX_POINTS + 1), f"At most {MAX_POINTS} points"),
])
def test_points_that_cannot_be_added_are_explained(config, points, message):
    with pytest.raises(UploadError, match=message):
        with_points(load_dataset(config), points, "base")
