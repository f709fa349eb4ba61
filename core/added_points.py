"""Points added to a 2-D data set by clicking its plane (the "Your data" page), as data of their own.

A teacher builds a counterexample live: a few points of one class in the middle of the other. The added
points join the **training** rows of the data on screen, at the coordinates clicked — the standardized
inputs the network sees — and nothing else moves: the test rows, the split and the scaling stay the base
data's. So every point already drawn stays where it was, and each click adds exactly one row to what the
network trains on. (Splitting again would send some clicks to the test rows, where they teach nothing;
standardizing again would move every point, the clicked one too.)

The result is registered like an upload (core.custom_data), under a name made from the base rows and the
points, so every lesson trains on it and the same clicks on the same data give the same name.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.csv_table import count
from core.custom_data import content_name
from core.datasets import Dataset, DatasetSpec
from core.errors import UploadError

MAX_POINTS = 200  # clicks per data set: a counterexample needs a handful; this bounds the memory too
PLANE_LIMIT = 1000.0  # |coordinate| bound (in training standard deviations): finite and sane


@dataclass(frozen=True)
class AddedPoint:
    """One click: where (standardized inputs x₁, x₂) and which class (an index into the class names)."""

    x1: float
    x2: float
    label: int


def check_points(base: Dataset, points: Sequence[AddedPoint]) -> None:
    """An UploadError if `points` cannot be added to `base`: 2-D classification data only, at most
    `MAX_POINTS` points, each of one of its classes, inside the plane."""
    if not base.is_2d or base.task != "classification":
        raise UploadError("Points can be added to data with two inputs and classes only; this data has "
                          f"{count(base.n_features, 'input')}" + (" and a number to predict."
                                                                  if base.task == "regression" else "."))
    if len(points) > MAX_POINTS:
        raise UploadError(f"At most {MAX_POINTS} points can be added; undo some first.")
    for point in points:
        if not 0 <= point.label < base.n_classes:
            raise UploadError(f"Class {point.label} does not exist: this data has {base.n_classes} classes.")
        if not (np.isfinite([point.x1, point.x2]).all() and max(abs(point.x1), abs(point.x2)) <= PLANE_LIMIT):
            raise UploadError(f"A point must lie within ±{PLANE_LIMIT:g} of the centre of the plane.")


@dataclass(eq=False)
class PointsData:
    """A base data set plus added training points; the same split whatever the data seed (the base's own
    seed is already in its rows)."""

    name: str
    spec: DatasetSpec
    data: Dataset
    points: tuple[AddedPoint, ...]
    nbytes: int

    def dataset(self, data_seed: int) -> Dataset:
        return self.data


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def points_name(base: Dataset, points: Sequence[AddedPoint]) -> str:
    """The registry name of `base` with `points` added: from the base's rows and the points themselves."""
    clicked = np.array([[p.x1, p.x2, p.label] for p in points], dtype=np.float64)
    arrays = (base.X_train, base.y_train, base.X_test, base.y_test, clicked)
    return content_name(b"points", json.dumps(base.class_names).encode(),
                        *(np.ascontiguousarray(array).tobytes() for array in arrays))


def with_points(base: Dataset, points: Sequence[AddedPoint], base_title: str) -> PointsData:
    """`base` with `points` added to its training rows (see the module's docstring), not yet registered."""
    points = tuple(points)
    check_points(base, points)
    name = points_name(base, points)
    added_X = np.array([[p.x1, p.x2] for p in points], dtype=np.float64).reshape(-1, 2)
    added_y = np.array([p.label for p in points], dtype=np.int64)
    X_train = _read_only(np.ascontiguousarray(np.concatenate([base.X_train, added_X])))
    y_train = _read_only(np.concatenate([base.y_train, added_y]))
    data = Dataset(name, X_train, y_train, base.X_test, base.y_test, base.feature_names, base.class_names)
    title = f"{base_title} + {count(len(points), 'added point')}"
    description = (f"{count(len(points), 'point')} added to the training rows of {base_title} "
                   f"({len(base.y_all)} rows).")
    spec = DatasetSpec(name, title, description, 2, base.class_names, n_rows=len(data.y_all))
    return PointsData(name, spec, data, points, nbytes=X_train.nbytes + y_train.nbytes)
