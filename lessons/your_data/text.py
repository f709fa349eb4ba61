"""The Your data page's sentences, each computed from the rows it describes (never typed next to them)."""

from __future__ import annotations

import numpy as np

from core.csv_table import count
from core.datasets import TEST_FRACTION, Dataset
from core.plain_text import plain_text

MOST_CLASSES_NAMED = 10


def split_sentence(data: Dataset, n_added: int) -> str:
    """How the rows are split: how many train, how many test, and how the test rows were chosen."""
    train, test = len(data.y_train), len(data.y_test)
    base = len(data.y_all) - n_added
    stratified = ", each class in the same share" if data.task == "classification" else ""
    text = (f"**{count(base, 'row')}**: {train - n_added} train the network and {test} test it (a "
            f"{TEST_FRACTION:.0%} share{stratified}, chosen by the data seed). Inputs are standardized with "
            "the training rows' mean and spread" + (", and so is the target." if data.task == "regression"
                                                    else "."))
    if n_added:
        text += (f" Your **{count(n_added, 'added point')}** join the training rows, which makes "
                 f"{train} in all.")
    return text


def classes_sentence(data: Dataset) -> str:
    """The classes and how many rows each has (all splits together), or what regression predicts."""
    if data.task == "regression":
        return "The target is a number: the output is one linear unit, trained on squared error."
    counts = np.bincount(data.y_all, minlength=data.n_classes)
    named = [f"{plain_text(name)} ({int(n)})" for name, n in zip(data.class_names, counts, strict=True)]
    shown = ", ".join(named[:MOST_CLASSES_NAMED]) + (", …" if len(named) > MOST_CLASSES_NAMED else "")
    return f"**{count(data.n_classes, 'class')}**, rows per class: {shown}."


def inputs_sentence(data: Dataset) -> str:
    """The input columns by name (the first few of many)."""
    names = [plain_text(name) for name in data.feature_names]
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return f"**{count(data.n_features, 'input')}**: {shown}."


def cannot_click_sentence(data: Dataset) -> str:
    """Why this data has no plane to click on."""
    if data.task == "regression":
        return ("Points are added by clicking for data with two inputs and classes; this data has a number "
                "to predict, so there is no class to give a new point.")
    return (f"Points are added by clicking for data with two inputs and classes; this data has "
            f"{count(data.n_features, 'input')}, so there is no plane to click on. Choose a 2-D data set "
            "(or upload one with two feature columns) to add points.")
