"""core.generators against scikit-learn itself: every maker and the split give the same arrays bit for bit
(np.array_equal, same dtype and shape) over a grid of sizes, noise levels, seeds and class counts; and the
datasets that use them load without importing scikit-learn."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn import datasets as sk_datasets
from sklearn.model_selection import train_test_split as sk_train_test_split

from core import datasets, generators
from core.config import FIELDS
from core.datasets import DATASETS, TEST_FRACTION

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (0, 1, 7, 12345, 2**31 - 1)
N_MIN, N_MAX = FIELDS["n_samples"].low, FIELDS["n_samples"].high
SIZES = (1, 2, 3, 5, N_MIN, N_MIN + 1, 37, 200, 1001, N_MAX)  # below the app's minimum too: odd, tiny
NOISES = (None, 0.0, 0.05, 0.2, 1.0)  # None skips the noise; 0.0 still draws it
CENTERS = 2.5 * np.array([[0.0, 1.0], [-np.sqrt(3) / 2, -0.5], [np.sqrt(3) / 2, -0.5]])


def assert_identical(ours, theirs) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert np.array_equal(a, b)
        assert np.array_equal(np.signbit(a), np.signbit(b))  # even the sign of a zero


# --- the makers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_make_moons_is_scikit_learns(n, seed):
    for noise in NOISES:
        assert_identical(generators.make_moons(n, noise, seed),
                         sk_datasets.make_moons(n_samples=n, noise=noise, random_state=seed))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_make_circles_is_scikit_learns(n, seed):
    for noise in NOISES:
        for factor in (0.5, 0.8):
            assert_identical(generators.make_circles(n, noise, seed, factor=factor),
                             sk_datasets.make_circles(n_samples=n, noise=noise, factor=factor,
                                                      random_state=seed))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_make_blobs_is_scikit_learns(n, seed):
    for std in (0.4, 0.5, 1.1, 2.4, 0.0):
        assert_identical(generators.make_blobs(n, CENTERS, std, seed),
                         sk_datasets.make_blobs(n_samples=n, centers=CENTERS, cluster_std=std,
                                                random_state=seed))
    four = np.array([[1.0, 2.0], [-3.0, 0.5], [0.0, 0.0], [4.0, -4.0]])
    assert_identical(generators.make_blobs(n, four, 0.7, seed),
                     sk_datasets.make_blobs(n_samples=n, centers=four, cluster_std=0.7, random_state=seed))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [n for n in SIZES if n >= 3])
def test_make_gaussian_quantiles_is_scikit_learns(n, seed):
    for n_features, n_classes in ((2, 2), (2, 3), (3, 2)):
        assert_identical(generators.make_gaussian_quantiles(n, n_features, n_classes, seed),
                         sk_datasets.make_gaussian_quantiles(n_samples=n, n_features=n_features,
                                                             n_classes=n_classes, random_state=seed))


def test_gaussian_quantiles_needs_a_row_per_class_like_scikit_learn():
    with pytest.raises(ValueError, match="at least n_classes"):
        generators.make_gaussian_quantiles(1, 2, 2, 0)
    with pytest.raises(ValueError, match="at least n_classes"):
        sk_datasets.make_gaussian_quantiles(n_samples=1, n_features=2, n_classes=2, random_state=0)


def sk_make_classification(n, class_sep, seed):
    """The call core.datasets' "linear" used to make, argument for argument."""
    return sk_datasets.make_classification(
        n_samples=n, n_features=2, n_informative=2, n_redundant=0, n_repeated=0, n_classes=2,
        n_clusters_per_class=1, class_sep=class_sep, flip_y=0.0, random_state=seed,
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES)
def test_make_classification_is_scikit_learns(n, seed):
    for class_sep in (0.5, 1.25, 1.75, 3.0, 0.01, 7.3):
        assert_identical(generators.make_classification(n, class_sep, seed),
                         sk_make_classification(n, class_sep, seed))


def test_make_classification_has_one_cluster_per_class_at_distinct_corners():
    for seed in SEEDS:
        X, y = generators.make_classification(1001, 3.0, seed)
        assert X.dtype == np.float64 and y.dtype == np.int64 and X.shape == (1001, 2)
        assert np.bincount(y).tolist() == [501, 500]  # class 0 takes the odd row
        corners = generators._hypercube_corners(2, 2, np.random.RandomState(seed))
        assert corners.dtype == np.uint8 and len({tuple(c) for c in corners}) == 2
    with pytest.raises(ValueError):
        generators.make_classification(20, 0.0, 0)
    with pytest.raises(ValueError):  # scikit-learn draws 1 corner of 4 or 2 of 2 another way
        generators._hypercube_corners(2, 1, np.random.RandomState(0))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_registrys_makers_are_the_scikit_learn_calls_they_replaced(seed):
    """The arguments core.datasets passes (circles' factor, blobs' centers and std, linear's class_sep, …)
    are the old ones, over the app's whole range of sizes and noise levels."""
    for n in (N_MIN, N_MIN + 1, 37, 200, 400, 1001, N_MAX):
        for noise in (0.0, 0.2, 0.3, 0.5, 1.0):
            rng = np.random.default_rng(seed)
            X, y = sk_datasets.make_gaussian_quantiles(n_samples=n, n_features=2, n_classes=2,
                                                       random_state=seed)
            old = {
                "moons": sk_datasets.make_moons(n_samples=n, noise=noise, random_state=seed),
                "circles": sk_datasets.make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed),
                "blobs": sk_datasets.make_blobs(n_samples=n, centers=CENTERS, cluster_std=0.4 + 2.0 * noise,
                                                random_state=seed),
                "gaussian_quantiles": (X + rng.normal(0.0, noise * 0.5, size=X.shape), y),
                "linear": sk_make_classification(n, 2.5 * (1.0 - noise) + 0.5, seed),
            }
            for name, expected in old.items():
                assert_identical(DATASETS[name].generate(n, noise, seed), expected)
    assert np.array_equal(datasets._BLOB_CENTERS, CENTERS)


def test_linear_pulls_its_clouds_together_from_class_sep_3_to_half(monkeypatch):
    """noise 0 → class_sep 3.0, noise 1 → 0.5 (still positive, as scikit-learn requires)."""
    seps = []
    monkeypatch.setattr(generators, "make_classification", lambda n, class_sep, seed: seps.append(class_sep))
    for noise in (0.0, 0.3, 0.5, 1.0):
        DATASETS["linear"].generate(20, noise, 0)
    assert seps == [3.0, 2.25, 1.75, 0.5]


# --- the split --------------------------------------------------------------------------------------------

def both_splits(X, y, seed, stratify):
    ours = generators.train_test_split(X, y, test_size=TEST_FRACTION, random_state=seed,
                                       stratify=y if stratify else None)
    theirs = sk_train_test_split(X, y, test_size=TEST_FRACTION, random_state=seed,
                                 stratify=y if stratify else None)
    return ours, theirs


def labels_with_counts(counts, rng) -> np.ndarray:
    return rng.permutation(np.repeat(np.arange(len(counts)), counts)).astype(np.int64)


@pytest.mark.parametrize("n_classes", range(2, 21))
def test_stratified_split_is_scikit_learns(n_classes):
    rng = np.random.default_rng(n_classes)
    count_sets = [
        [max(2, 200 // n_classes)] * n_classes,  # balanced
        [2 + i for i in range(n_classes)],  # a little uneven
        [2] * (n_classes - 1) + [300],  # one class dominates
        list(rng.integers(2, 60, size=n_classes)),  # anything
        list(rng.integers(2, 6, size=n_classes)),  # small, so the test quarter is tight
    ]
    for counts in count_sets:
        y = labels_with_counts(counts, rng)
        if np.ceil(TEST_FRACTION * len(y)) < n_classes:
            continue  # too few rows for a test row of each class: both refuse (checked below)
        X = rng.normal(size=(len(y), 2))
        for seed in (*SEEDS, *rng.integers(0, 2**31 - 1, size=5)):
            assert_identical(*both_splits(X, y, int(seed), stratify=True))


@pytest.mark.parametrize("seed", SEEDS)
def test_stratified_split_of_every_generated_set_is_scikit_learns(seed):
    for spec in DATASETS.values():
        if not (spec.is_generated and spec.task == "classification"):
            continue
        for n in (N_MIN, N_MIN + 1, 37, 400, 1001, N_MAX):
            X, y = spec.generate(n, 0.2, seed)
            y = np.asarray(y, np.int64)
            assert_identical(*both_splits(X, y, seed, stratify=True))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", SIZES[1:])
def test_regression_split_is_scikit_learns(n, seed):
    rng = np.random.default_rng(n)
    X, t = rng.normal(size=(n, 3)), rng.normal(size=n)
    assert_identical(*both_splits(X, t, seed, stratify=False))
    assert_identical(*both_splits(X, np.arange(n, dtype=np.int64), seed, stratify=False))


@pytest.mark.parametrize("n", [*range(2, 30), 200, 1001, N_MAX])
def test_split_sizes_round_the_test_part_up_like_scikit_learn(n):
    ours = generators.train_test_split(np.zeros((n, 1)), np.zeros(n), test_size=TEST_FRACTION, random_state=0)
    theirs = sk_train_test_split(np.zeros((n, 1)), np.zeros(n), test_size=TEST_FRACTION, random_state=0)
    assert [len(a) for a in ours] == [len(a) for a in theirs]
    assert generators.split_sizes(n, TEST_FRACTION) == (len(ours[0]), len(ours[1]))


@pytest.mark.parametrize("y", [
    np.array([0, 0, 0, 0, 0, 0, 0, 1]),  # a class of one row
    np.array([0, 0, 1, 1, 2, 2, 3, 3]),  # 4 classes, a test quarter of 2 rows
    np.repeat(np.arange(3), 2),  # 3 classes, a test quarter of 2 rows
], ids=["single-row class", "test quarter too small", "too few rows"])
def test_stratified_split_refuses_what_scikit_learn_refuses(y):
    X = np.zeros((len(y), 2))
    with pytest.raises(ValueError):
        sk_train_test_split(X, y, test_size=TEST_FRACTION, random_state=0, stratify=y)
    with pytest.raises(ValueError):
        generators.train_test_split(X, y, test_size=TEST_FRACTION, random_state=0, stratify=y)


def test_split_refuses_an_empty_train_part_and_mismatched_lengths():
    with pytest.raises(ValueError):
        generators.train_test_split(np.zeros((1, 2)), np.zeros(1), test_size=TEST_FRACTION, random_state=0)
    with pytest.raises(ValueError):
        generators.train_test_split(np.zeros((5, 2)), np.zeros(4), test_size=TEST_FRACTION, random_state=0)
    with pytest.raises(ValueError):
        generators.split_sizes(10, 1.0)


def test_approximate_mode_is_scikit_learns():
    from sklearn.utils.extmath import _approximate_mode

    rng = np.random.default_rng(0)
    for _ in range(300):
        counts = rng.integers(1, 50, size=rng.integers(2, 21))
        n_draws = int(rng.integers(1, counts.sum() + 1))
        seed = int(rng.integers(0, 2**31 - 1))
        ours = generators._approximate_mode(counts, n_draws, np.random.RandomState(seed))
        theirs = _approximate_mode(counts, n_draws, np.random.RandomState(seed))
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs) and ours.sum() == n_draws


# --- no scikit-learn on the way ---------------------------------------------------------------------------

HEAVY_MODULES_LOADED = ("print(sorted(m for m in sys.modules\n"
                        "             if m.split('.')[0] in ('sklearn', 'pandas', 'pyarrow', 'scipy')))\n")
"""A line of code that prints what a process holds of scikit-learn and what importing any part of it
brings (pandas, pyarrow, scipy.stats: ~110 MB in all); loading a dataset may bring none of it, nor any
other part of scipy."""


def test_the_sets_it_serves_load_without_scikit_learn():
    """The default dataset and every dataset in the registry, generated and bundled, load, split and all,
    in one fresh process without importing scikit-learn, pandas, pyarrow or scipy (scipy.stats included)."""
    names = list(DATASETS)
    assert names == ["moons", "circles", "blobs", "xor", "spiral", "gaussian_quantiles", "linear", "plane",
                     "gaussians", "iris", "wine", "breast_cancer", "digits", "diabetes"]
    code = ("import sys\n"
            "from core.config import RunConfig\n"
            "from core.datasets import load_dataset\n"
            "load_dataset(RunConfig())\n"
            f"for name in {names!r}:\n"
            "    load_dataset(RunConfig(dataset=name, n_samples=37, noise=0.0, data_seed=7))\n"
            + HEAVY_MODULES_LOADED)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_no_set_imports_scikit_learn():
    """Each set, loaded in its own fresh process, leaves no scikit-learn, pandas, pyarrow or scipy behind:
    Home may show any of them before the server's warm-up is done (dashboard.py, app/runtime.py)."""
    code = ("import sys\n"
            "from core.config import RunConfig\n"
            "from core.datasets import load_dataset\n"
            "load_dataset(RunConfig(dataset=sys.argv[1]))\n"
            + HEAVY_MODULES_LOADED)
    for name in DATASETS:
        result = subprocess.run([sys.executable, "-c", code, name], cwd=ROOT, capture_output=True, text=True,
                                check=True)
        assert result.stdout.strip() == "[]", name
