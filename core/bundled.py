"""scikit-learn's bundled toy sets (iris, wine, breast cancer, digits, diabetes) read straight from the data
files scikit-learn ships, without importing scikit-learn, bit-identical to its `load_*()` functions.

Importing any part of scikit-learn imports pandas and pyarrow too (~110 MB in a process, ~1 s of CPU),
yet these sets are small CSV files in its package folder. The folder is found with
`importlib.util.find_spec("sklearn")`, which locates the package without running it; each function here
then parses its file as scikit-learn's `datasets/_base.py` does — the same `csv` reader and
`np.asarray(..., dtype=np.float64)` per row, the same `np.loadtxt` through `gzip`, the same arithmetic for
diabetes' default scaling — so `data`, `target` and `feature_names` equal what `load_*()` returns (values,
dtypes, names; tests/core/test_bundled.py compares them). The feature names, which scikit-learn writes
in its source rather than its files, are written out here too. Matched against scikit-learn 1.9; should a
later version change a file or a loader, that test fails.

scikit-learn is still a requirement (requirements.txt): without it there are no files to read, and
`data_folder` says so with a ConfigError.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.errors import ConfigError

Array = np.ndarray
Bundle = tuple[Array, Array, tuple[str, ...]]  # data, target, feature_names, as in load_*()'s Bunch


def data_folder(dataset: str = "a bundled set") -> Path:
    """scikit-learn's `datasets/data` folder, located without importing scikit-learn; a ConfigError naming
    `dataset` if scikit-learn (or the folder) is missing."""
    try:
        spec = importlib.util.find_spec("sklearn")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    folder = Path(locations[0]) / "datasets" / "data" if locations else None
    if folder is None or not folder.is_dir():
        raise ConfigError("dataset", dataset, "its rows are read from scikit-learn's bundled data files, and "
                          "scikit-learn is not installed (pip install -r requirements.txt), or has no "
                          "datasets/data folder")
    return folder


def _file(name: str, dataset: str) -> Path:
    path = data_folder(dataset) / name
    if not path.is_file():
        raise ConfigError("dataset", dataset, f"scikit-learn's data file {name} is missing ({path.parent})")
    return path


def _csv_data(name: str, dataset: str) -> tuple[Array, Array]:
    """Rows and integer labels of a plain CSV file, as `sklearn.datasets._base.load_csv_data`: the header
    holds the row and column counts (then the class names), each row its features then its label."""
    with _file(name, dataset).open("r", encoding="utf-8") as csv_file:
        rows = csv.reader(csv_file)
        header = next(rows)
        n_samples, n_features = int(header[0]), int(header[1])
        data = np.empty((n_samples, n_features))
        target = np.empty((n_samples,), dtype=int)
        for i, row in enumerate(rows):
            data[i] = np.asarray(row[:-1], dtype=np.float64)
            target[i] = np.asarray(row[-1], dtype=int)
    return data, target


def _gzip_csv_data(name: str, dataset: str, **loadtxt_options) -> Array:
    """A gzip-compressed table of numbers, as `sklearn.datasets._base.load_gzip_compressed_csv_data`."""
    with _file(name, dataset).open("rb") as compressed_file, \
            gzip.open(compressed_file, mode="rt", encoding="utf-8") as text:
        return np.loadtxt(text, **loadtxt_options)


def _scaled(X: Array) -> Array:
    """`sklearn.preprocessing.scale(X, copy=False)` for a dense float64 matrix without NaNs: every column
    centred and divided by its (population) std, in place, with scikit-learn's two corrective passes."""
    mean = np.nanmean(X, 0)
    std = np.nanstd(X, 0)
    X -= mean
    mean_1 = np.nanmean(X, axis=0)
    if not np.allclose(mean_1, 0):  # scikit-learn warns and centres again
        X -= mean_1
    std[std < 10 * np.finfo(std.dtype).eps] = 1.0  # constant columns are only centred
    X /= std
    mean_2 = np.nanmean(X, axis=0)
    if not np.allclose(mean_2, 0):  # scikit-learn warns and centres again
        X -= mean_2
    return X


# --- the five sets, as scikit-learn's load_*() with default arguments ------------------------------------

def load_iris() -> Bundle:
    data, target = _csv_data("iris.csv", "iris")
    return data, target, ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")


def load_wine() -> Bundle:
    data, target = _csv_data("wine_data.csv", "wine")
    return data, target, ("alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols",
                          "flavanoids", "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue",
                          "od280/od315_of_diluted_wines", "proline")


def load_breast_cancer() -> Bundle:
    data, target = _csv_data("breast_cancer.csv", "breast_cancer")
    kinds = ("radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity",
             "concave points", "symmetry", "fractal dimension")
    names = (*(f"mean {k}" for k in kinds), *(f"{k} error" for k in kinds), *(f"worst {k}" for k in kinds))
    return data, target, names


def load_digits() -> Bundle:
    """All ten digits (n_class=10): 8×8 pixel counts 0–16 as floats, the digit as an int."""
    table = _gzip_csv_data("digits.csv.gz", "digits", delimiter=",")
    target = table[:, -1].astype(int, copy=False)
    return table[:, :-1], target, tuple(f"pixel_{row}_{col}" for row in range(8) for col in range(8))


def load_diabetes() -> Bundle:
    """scaled=True, the default: each column centred and scaled to unit norm (std · √n_rows = 1); the
    target, disease progression a year later, as read (floats)."""
    data = _gzip_csv_data("diabetes_data_raw.csv.gz", "diabetes")
    target = _gzip_csv_data("diabetes_target.csv.gz", "diabetes")
    data = _scaled(data)
    data /= data.shape[0] ** 0.5
    return data, target, ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")


LOADERS: dict[str, Callable[[], Bundle]] = {
    load.__name__: load for load in (load_iris, load_wine, load_breast_cancer, load_digits, load_diabetes)
}
"""By the name of the `sklearn.datasets` function each reproduces (core.datasets' `DatasetSpec.loader`)."""
