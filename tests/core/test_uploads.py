"""Uploaded CSV files: good ones become data split and scaled exactly like the built-in sets; every bad one
gets its own sentence, naming the row and column where that makes sense; the size limit holds before a byte
is parsed."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from core.config import RunConfig
from core.csv_table import MAX_BYTES, MAX_CLASSES, MAX_COLUMNS, MAX_ROWS, parse_table
from core.custom_data import is_custom_name, register
from core.datasets import TEST_FRACTION, load_dataset, split_standardized
from core.errors import UploadError
from core.uploads import ColumnChoice, build_upload, default_choice, read_upload


def csv_bytes(header: list[str], rows, separator: str = ",") -> bytes:
    lines = [separator.join(header), *(separator.join(str(cell) for cell in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode()


def numbers_file(X: np.ndarray, labels, header: list[str] | None = None, digits: str = ".17g") -> bytes:
    header = header or [*(f"x{i + 1}" for i in range(X.shape[1])), "label"]
    return csv_bytes(header, ([*(format(v, digits) for v in row), label] for row, label in zip(X, labels)))


def blobs(n: int, d: int, classes: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % classes
    return rng.normal(size=(n, d)) + labels[:, None], labels


# --- good files -------------------------------------------------------------------------------------------

def test_string_labels_are_classes_in_alphabetical_order():
    X, labels = blobs(40, 2, 3)
    data = read_upload(numbers_file(X, np.array(["virginica", "setosa", "versicolor"])[labels]))
    assert data.spec.class_names == ("setosa", "versicolor", "virginica")
    assert data.spec.task == "classification" and data.spec.n_features == 2 and data.spec.n_rows == 40
    assert np.array_equal(data.y, np.array([2, 0, 1])[labels])
    split = data.dataset(0)
    assert split.is_2d and split.n_outputs == 3 and len(split.y_test) == math.ceil(40 * TEST_FRACTION)


def test_integer_labels_are_classes_in_increasing_order():
    X, labels = blobs(60, 4, 3)
    data = read_upload(numbers_file(X, labels * 5 + 10))  # 10, 15, 20
    assert data.spec.class_names == ("10", "15", "20") and data.choice.is_label
    assert np.array_equal(data.y, labels)


def test_a_real_valued_target_is_regression_with_a_standardized_target():
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(50, 2))
    data = read_upload(numbers_file(X, X.sum(axis=1) * 100 + 7, header=["a", "b", "price"]))
    assert data.spec.task == "regression" and data.spec.class_names == ()
    split = data.dataset(3)
    assert abs(split.y_train.mean()) < 1e-12 and abs(split.y_train.std() - 1) < 1e-12


def test_the_largest_file_allowed_5000_rows_by_64_inputs(tmp_path):
    X, labels = blobs(MAX_ROWS, 64, 10)
    content = numbers_file(X, labels, digits=".4g")  # four significant digits: ~2.6 MB
    assert len(content) <= MAX_BYTES
    data = read_upload(content)
    assert data.X.shape == (MAX_ROWS, 64) and data.spec.n_classes == 10
    assert read_upload(io.BytesIO(content)).name == data.name  # a stream reads as the bytes do


def test_separators_semicolon_and_tab_quotes_blank_lines_and_a_bom_are_read():
    rows = [[1.5, "a"], [2, "b"], [3, "a"], [4, "b"], [5, "a"], [6, "b"], [7, "a"], [8, "b"]]
    semicolon = csv_bytes(["x", "y"], rows, ";")
    tab = b"\xef\xbb\xbf" + csv_bytes(['"x"', '"y"'], rows, "\t").replace(b"\n3", b"\n\n3")
    for content in (semicolon, tab):
        data = read_upload(content)
        assert data.choice == ColumnChoice("y", ("x",), True) and data.X[:, 0].tolist() == [1.5, *range(2, 9)]


def test_a_file_without_header_names_its_columns_and_keeps_its_first_row():
    X, labels = blobs(12, 2, 2)
    content = numbers_file(X, labels).split(b"\n", 1)[1]
    table = parse_table(content)
    assert table.names == ("column 1", "column 2", "column 3") and table.n_rows == 12 and not table.has_header


def test_the_default_choice_leaves_out_a_column_of_words_and_the_user_may_choose_otherwise():
    rows = [[f"id{i}", i % 3, i * 0.5, "ab"[i % 2]] for i in range(12)]
    table = parse_table(csv_bytes(["name", "count", "size", "kind"], rows))
    choice = default_choice(table)
    assert choice == ColumnChoice("kind", ("count", "size"), True)
    regression = build_upload(table, ColumnChoice("size", ("count",), False))
    assert regression.spec.task == "regression"
    assert build_upload(table, ColumnChoice("count", ("size",), True)).spec.class_names == ("0", "1", "2")


def test_the_same_file_and_choice_is_one_name_and_another_choice_another():
    X, labels = blobs(20, 3, 2)
    content = numbers_file(X, labels)
    first, second = read_upload(content), read_upload(content)
    assert first.name == second.name and is_custom_name(first.name)
    table = parse_table(content)
    other = build_upload(table, ColumnChoice("label", ("x1", "x2"), True))
    assert other.name != first.name
    assert register(first) is register(second)  # one entry for equal data, whoever uploads it


# --- the same split and scale as the built-in sets ------------------------------------------------------

def test_iris_uploaded_as_csv_is_the_built_in_iris_bit_for_bit():
    from sklearn.datasets import load_iris

    iris = load_iris()
    upload = register(read_upload(numbers_file(iris.data, iris.target)))
    for seed in (0, 7):
        built_in = load_dataset(RunConfig(dataset="iris", data_seed=seed))
        mine = load_dataset(RunConfig(dataset=upload.name, data_seed=seed))
        for name in ("X_train", "y_train", "X_test", "y_test"):
            assert np.array_equal(getattr(mine, name), getattr(built_in, name)), name


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(n=hs.integers(12, 60), d=hs.integers(1, 5), classes=hs.sampled_from([0, 2, 3]),
       seed=hs.integers(0, 2**31 - 1), data_seed=hs.integers(0, 1000))
def test_uploads_are_split_and_standardized_by_the_built_in_path(n, d, classes, seed, data_seed):
    """Any good file: its split equals `split_standardized` (the function every built-in set goes through)
    on the file's own numbers — classification (2–3 classes) or regression (classes = 0)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 100, size=d)
    target = np.arange(n) % classes if classes else rng.normal(size=n) * 3 + 1
    data = read_upload(numbers_file(X, target if classes else [repr(float(t)) for t in target]))
    expected = split_standardized(data.name, X, target, data_seed, data.choice.features,
                                  tuple(str(c) for c in range(classes)))
    split = data.dataset(data_seed)
    for name in ("X_train", "y_train", "X_test", "y_test"):
        assert np.array_equal(getattr(split, name), getattr(expected, name)), name
    assert split.X_train.shape == (n - math.ceil(n * TEST_FRACTION), d)


# --- bad files: one sentence each -------------------------------------------------------------------------

def good_rows(n: int = 12) -> list[list]:
    return [[i, i * 2.5, "ab"[i % 2]] for i in range(n)]


HEADER = ["x1", "x2", "y"]
BAD_FILES = {
    "empty": (b"", "The file is empty."),
    "only blank lines": (b"\n\n  \n", "The file is empty."),
    "header only": (b"x1,x2,y\n", "a header row but no rows of data"),
    "excel workbook": (b"PK\x03\x04" + bytes(200), "not a CSV file: it is a zip archive (an Excel .xlsx"),
    "binary": (b"x,y\n1,\x00\x01\x02\n", "not a CSV file: it holds binary data"),
    "latin-1": ("x,température\n1,é\n".encode("latin-1"),
                "not UTF-8 text: byte 0xE9 in row 1 is not valid UTF-8"),
    "single column": (b"x\n1\n2\n3\n", "a single column (`x`)"),
    "too many columns": (csv_bytes([f"c{i}" for i in range(MAX_COLUMNS + 1)], [range(MAX_COLUMNS + 1)]),
                         f"{MAX_COLUMNS + 1} columns; at most {MAX_COLUMNS}"),
    "too many rows": (csv_bytes(HEADER, [[1, 2, "a"]] * (MAX_ROWS + 1)), "more than 5,000 rows of data"),
    "ragged row": (csv_bytes(HEADER, [*good_rows(5), [1, 2], *good_rows(5)]),
                   "Row 7 has 2 values, but the header names 3 columns"),
    "duplicate names": (csv_bytes(["x", "x", "y"], good_rows()), "Two columns are both named `x` (columns 1 "
                                                                 "and 2)"),
    "text in a feature": (csv_bytes(HEADER, [*good_rows(4), [1, "tall", "a"], *good_rows(7)]),
                          "Column `x2` must hold numbers only: row 6 holds `tall`."),
    "decimal comma": (csv_bytes(HEADER, [*good_rows(2), [1, "2,5", "a"], *good_rows(9)], ";"),
                      "row 4 holds `2,5` (a decimal comma? write 1.5, not 1,5)."),
    "missing value": (csv_bytes(HEADER, [*good_rows(8), [3, "", "a"], *good_rows(3)]),
                      "Row 10 has no value in column `x2`"),
    "missing as NA": (csv_bytes(HEADER, [*good_rows(2), ["NA", 1, "b"], *good_rows(9)]),
                      "Row 4 has no value in column `x1`"),
    "missing label": (csv_bytes(HEADER, [*good_rows(3), [3, 1, "?"], *good_rows(8)]),
                      "Row 5 has no value in column `y`"),
    "infinite value": (csv_bytes(HEADER, [*good_rows(3), [3, "inf", "a"], *good_rows(8)]),
                       "Column `x2` must hold numbers only: row 5 holds `inf`."),
    "one class": (csv_bytes(HEADER, [[i, i, "a"] for i in range(12)]),
                  "Column `y` holds a single class, `a`: a classifier needs at least two."),
    "a class with one row": (csv_bytes(HEADER, [*good_rows(11), [9, 9, "c"]]),
                             "Class `c` has a single row (row 13): every class needs at least two"),
    "too few rows": (csv_bytes(HEADER, good_rows(5)), "The file has 5 rows of data; at least 8 are needed"),
    "too few rows for the classes": (csv_bytes(HEADER, [[i, i, "abcd"[i % 4]] for i in range(12)]),
                                     "With 4 classes, the test quarter of 12 rows (3) cannot hold one row of "
                                     "each class: upload at least 13 rows."),
    "too many words": (csv_bytes(HEADER, [[i, i, f"k{i % 25}"] for i in range(60)]),
                       "holds words (row 2: `k0`), so it cannot be a number to predict; and more than 20 "
                       "different ones, too many to be classes."),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_every_bad_file_gets_its_own_sentence(name):
    content, message = BAD_FILES[name]
    with pytest.raises(UploadError) as caught:
        read_upload(content)
    assert message in caught.value.message, caught.value.message
    assert "Traceback" not in caught.value.message and len(caught.value.message) < 400


def test_a_constant_target_has_nothing_to_predict():
    table = parse_table(csv_bytes(HEADER, [[i, 2.5, "a"] for i in range(12)]))
    with pytest.raises(UploadError, match=r"the same value, 2\.5, in every row: there is nothing to predict"):
        build_upload(table, ColumnChoice("x2", ("x1",), False))


def test_a_bad_column_choice_is_explained():
    table = parse_table(csv_bytes(HEADER, good_rows(40)))
    cases = {ColumnChoice("y", (), True): "at least one feature column",
             ColumnChoice("y", ("x1", "y"), True): "is the target, so it cannot also be a feature",
             ColumnChoice("z", ("x1",), True): "no column named `z`",
             ColumnChoice("y", ("x1",), False): "switch on 'class label'",
             ColumnChoice("x1", ("x2",), True): f"has 40 different values: too many classes \\(at most "
                                                f"{MAX_CLASSES}\\); switch off 'class label'"}
    for choice, message in cases.items():
        with pytest.raises(UploadError, match=message):
            build_upload(table, choice)


# --- the size limit comes before parsing -------------------------------------------------------------------

class HugeStream(io.RawIOBase):
    """A 50 MB stream that fails the test if anyone reads from it."""

    size = 50 * 1024 * 1024

    def readable(self) -> bool:
        return True

    def read(self, *_):
        raise AssertionError("the stream was read")

    readinto = read


def test_a_50_mb_stream_is_refused_without_being_read():
    with pytest.raises(UploadError, match=r"The file is 50\.0 MB; the limit is 4 MB"):
        parse_table(HugeStream())


def test_a_stream_that_cannot_tell_its_size_is_read_only_up_to_the_limit():
    class Unsized(io.RawIOBase):
        taken = 0

        def readable(self) -> bool:
            return True

        def read(self, size=-1):
            assert size == MAX_BYTES + 1, "read without a bound"
            self.taken += size
            return b"1," * (size // 2) + b"1"

    stream = Unsized()
    with pytest.raises(UploadError, match="the limit is 4 MB"):
        parse_table(stream)
    assert stream.taken == MAX_BYTES + 1
