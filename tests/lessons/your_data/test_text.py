"""The Your data sentences say the numbers of the rows they describe."""

from __future__ import annotations

from core.added_points import AddedPoint, with_points
from core.config import RunConfig
from core.datasets import load_dataset
from lessons.your_data.text import cannot_click_sentence, classes_sentence, inputs_sentence, split_sentence


def test_the_split_sentence_counts_the_rows_and_the_added_points():
    moons = load_dataset(RunConfig(n_samples=100))
    assert split_sentence(moons, 0).startswith("**100 rows**: 75 train the network and 25 test it (a 25% "
                                               "share, each class in the same share")
    added = with_points(moons, [AddedPoint(0, 0, 0)] * 3, "Two moons").data
    text = split_sentence(added, 3)
    assert text.startswith("**100 rows**: 75 train") and "Your **3 added points** join the training rows, " \
                                                         "which makes 78 in all." in text


def test_classes_inputs_and_why_there_is_no_plane():
    iris = load_dataset(RunConfig(dataset="iris"))
    assert classes_sentence(iris) == "**3 classes**, rows per class: `setosa` (50), `versicolor` (50), " \
                                     "`virginica` (50)."
    assert inputs_sentence(iris).startswith("**4 inputs**: `sepal length (cm)`")
    assert "this data has 4 inputs, so there is no plane" in cannot_click_sentence(iris)
    plane = load_dataset(RunConfig(dataset="plane"))
    assert "squared error" in classes_sentence(plane)
    assert "a number to predict" in cannot_click_sentence(plane)
    assert "and so is the target." in split_sentence(plane, 0)
