"""An uploaded CSV file turned into data the app learns from: the columns chosen (features and one label or
target), checked with a sentence for every problem, then split and standardized exactly like the built-in
sets (core.datasets.split_standardized) and registered under a name made from its content
(core.custom_data).

    table = parse_table(uploaded_bytes)          # core.csv_table: limits, text, rows and columns
    choice = default_choice(table)               # the last column is the target, the numeric others features
    data = register(build_upload(table, choice))  # an UploadError if the choice cannot be learned
    RunConfig(dataset=data.name)                  # every lesson, cache and budget works with it

**Classification or regression** is the target column's: labels (any words, or whole numbers with at most
`LABEL_GUESS` different values) are classes, anything else a number to predict — unless the user says
otherwise (`ColumnChoice.is_label`). Class names are the labels, numbers in increasing order first, then
words in alphabetical order; class k is the k-th name.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np

from core.csv_table import MAX_CLASSES, MAX_FEATURES, Column, Table, count, parse_table
from core.custom_data import content_name, register
from core.datasets import TEST_FRACTION, Dataset, DatasetSpec, split_standardized
from core.errors import UploadError
from core.plain_text import plain_text

LABEL_GUESS = 10  # whole numbers with at most this many values read as classes by default
MIN_ROWS = 8  # a quarter (2) for testing, the rest (6) to train on
SPLITS_KEPT = 2  # splits (data seeds) each upload keeps ready
TITLE = "Your CSV"

__all__ = ["ColumnChoice", "UploadedData", "build_upload", "default_choice", "looks_like_labels",
           "parse_table", "read_upload", "register"]


@dataclass(frozen=True)
class ColumnChoice:
    """Which column to predict, from which columns, and whether its values are class labels."""

    target: str
    features: tuple[str, ...]
    is_label: bool

    def key(self) -> bytes:
        """The choice as bytes, part of the data's content name."""
        return json.dumps([self.target, list(self.features), self.is_label]).encode()


def _label_text(value: float) -> str:
    """A number used as a class label, as it reads: 3.0 → "3", 0.5 → "0.5"."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def looks_like_labels(column: Column) -> bool:
    """The default for "this column is a class label": words, or whole numbers with few values."""
    if not column.is_numeric:
        return not column.too_many_words
    values = column.values[np.isfinite(column.values)]
    return bool(np.all(values == np.round(values))) and len(np.unique(values)) <= LABEL_GUESS


def default_choice(table: Table) -> ColumnChoice:
    """The last column as the target, every other column that holds numbers as a feature. A column with no
    number at all (a name, an id) is left out; one with a few words among its numbers stays in, so the
    message names the cell to fix rather than the column silently vanishing."""
    target, others = table.columns[-1], table.columns[:-1]
    numeric = [column.name for column in others if np.isfinite(column.values).any()]
    features = tuple(numeric) if numeric else tuple(column.name for column in others)
    return ColumnChoice(target.name, features[:MAX_FEATURES], looks_like_labels(target))


# --- checks -------------------------------------------------------------------------------------------

def _check_columns(table: Table, choice: ColumnChoice) -> None:
    if choice.target not in table.by_name:
        raise UploadError(f"The file has no column named {plain_text(choice.target)}.")
    unknown = [name for name in choice.features if name not in table.by_name]
    if unknown:
        raise UploadError(f"The file has no column named {plain_text(unknown[0])}.")
    if not choice.features:
        raise UploadError("Choose at least one feature column: the network needs an input.")
    if choice.target in choice.features:
        raise UploadError(f"Column {plain_text(choice.target)} is the target, so it cannot also be a "
                          "feature.")
    if len(choice.features) > MAX_FEATURES:
        raise UploadError(f"{len(choice.features)} feature columns are chosen; at most {MAX_FEATURES} are "
                          "allowed.")
    if table.n_rows < MIN_ROWS:
        raise UploadError(f"The file has {count(table.n_rows, 'row')} of data; at least {MIN_ROWS} are "
                          "needed (a quarter of them is held out for testing).")
    for name in (*choice.features, choice.target):
        column = table.by_name[name]
        if column.first_missing is not None:
            raise UploadError(f"Row {column.first_missing} has no value in column {plain_text(name)}: fill "
                              "in every missing value, or delete the rows that have one.")
    for name in choice.features:
        word = table.by_name[name].first_word
        if word is not None:
            row, text = word
            hint = " (a decimal comma? write 1.5, not 1,5)" if _decimal_comma(text) else ""
            raise UploadError(f"Column {plain_text(name)} must hold numbers only: row {row} holds "
                              f"{plain_text(text)}{hint}.")


def _decimal_comma(text: str) -> bool:
    whole, _, fraction = text.lstrip("+-").partition(",")
    return whole.isdigit() and fraction.isdigit()


def _classes(column: Column) -> tuple[np.ndarray, tuple[str, ...]]:
    """Class index per row and the class names (numbers in increasing order, then words A–Z)."""
    name = plain_text(column.name)
    numbers = np.unique(column.values[np.isfinite(column.values)])
    if column.too_many_words or len(numbers) + len(column.words) > MAX_CLASSES:
        count = "more than " + str(MAX_CLASSES) if column.too_many_words else len(numbers) + len(column.words)
        other = ("switch off 'class label' to predict it as a number" if column.is_numeric
                 else "it holds words, so it cannot be a number to predict either")
        raise UploadError(f"Column {name} has {count} different values: too many classes (at most "
                          f"{MAX_CLASSES}); {other}.")
    words = sorted(column.words)
    names = tuple(_label_text(value) for value in numbers) + tuple(words)
    labels = np.searchsorted(numbers, column.values).astype(np.int64)
    if column.codes is not None:
        word_rank = np.array([len(numbers) + words.index(word) for word in column.words], dtype=np.int64)
        labels = np.where(column.codes >= 0, word_rank[np.maximum(column.codes, 0)], labels)
    return labels, names


def _check_classes(column: Column, labels: np.ndarray, names: tuple[str, ...], rows: np.ndarray) -> None:
    if len(names) < 2:
        raise UploadError(f"Column {plain_text(column.name)} holds a single class, {plain_text(names[0])}: a "
                          "classifier needs at least two.")
    counts = np.bincount(labels, minlength=len(names))
    for index in np.flatnonzero(counts < 2):
        row = int(rows[np.flatnonzero(labels == index)[0]])
        raise UploadError(f"Class {plain_text(names[index])} has a single row (row {row}): every class "
                          "needs at least two, one to train on and one to test.")
    n = len(labels)
    test = math.ceil(n * TEST_FRACTION)
    if test < len(names):
        needed = math.ceil((len(names) - 1) / TEST_FRACTION) + 1
        raise UploadError(f"With {len(names)} classes, the test quarter of {n} rows ({test}) cannot hold one "
                          f"row of each class: upload at least {needed} rows.")


def _targets(column: Column) -> np.ndarray:
    if not column.is_numeric:
        row, text = column.first_word
        remedy = (f"and more than {MAX_CLASSES} different ones, too many to be classes"
                  if column.too_many_words else "switch on 'class label' to learn it as classes")
        raise UploadError(f"Column {plain_text(column.name)} holds words (row {row}: {plain_text(text)}), "
                          f"so it cannot be a number to predict; {remedy}.")
    if np.ptp(column.values) == 0:
        raise UploadError(f"Column {plain_text(column.name)} has the same value, "
                          f"{_label_text(column.values[0])}, in every row: there is nothing to predict.")
    return column.values


# --- the data -----------------------------------------------------------------------------------------

@dataclass(eq=False)
class UploadedData:
    """Validated rows of an upload (raw, before the split), served split and standardized per data seed."""

    name: str
    spec: DatasetSpec
    X: np.ndarray
    y: np.ndarray
    choice: ColumnChoice
    nbytes: int = 0
    _splits: dict[int, Dataset] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.nbytes = (1 + SPLITS_KEPT) * (self.X.nbytes + self.y.nbytes)

    @property
    def n_rows(self) -> int:
        return len(self.y)

    def dataset(self, data_seed: int) -> Dataset:
        """The split for `data_seed`: the same function and seed as a built-in set's."""
        with self._lock:
            cached = self._splits.get(data_seed)
        if cached is not None:
            return cached
        split = split_standardized(self.name, self.X, self.y, data_seed, self.choice.features,
                                   self.spec.class_names)
        with self._lock:
            while len(self._splits) >= SPLITS_KEPT:
                self._splits.pop(next(iter(self._splits)))
            return self._splits.setdefault(data_seed, split)


def build_upload(table: Table, choice: ColumnChoice) -> UploadedData:
    """The data `choice` makes of `table`, or an UploadError naming the first problem (and where it is)."""
    _check_columns(table, choice)
    target = table.by_name[choice.target]
    X = np.column_stack([table.by_name[name].values for name in choice.features])
    if choice.is_label:
        y, class_names = _classes(target)
        _check_classes(target, y, class_names, table.rows)
    else:
        y, class_names = _targets(target), ()
    X, y = (_read_only(np.ascontiguousarray(array)) for array in (X, y))
    name = content_name(b"csv", table.digest, choice.key())
    task = f"{len(class_names)} classes" if class_names else "a number to predict"
    description = (f"{count(table.n_rows, 'row')}, {count(len(choice.features), 'feature column')}; "
                   f"{plain_text(choice.target)}: {task}.")
    spec = DatasetSpec(name, TITLE, description, len(choice.features), class_names, n_rows=table.n_rows)
    return UploadedData(name, spec, X, y, choice)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def read_upload(source: bytes | BinaryIO, choice: ColumnChoice | None = None) -> UploadedData:
    """Parse, check and build in one call (the default choice unless one is given); not registered."""
    table = parse_table(source)
    return build_upload(table, choice or default_choice(table))
