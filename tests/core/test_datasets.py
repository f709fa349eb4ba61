"""Every dataset loads as a standardized, deterministic split of the promised size: stratified by class for
classification, with standardized real targets for regression."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import DATASET_NAMES, ConfigError, RunConfig
from core.datasets import DATASETS, TEST_FRACTION, Dataset, dataset_dimensions, dataset_title, load_dataset

GENERATED = [name for name, spec in DATASETS.items() if spec.is_generated]
BUNDLED = [name for name, spec in DATASETS.items() if not spec.is_generated]
CLASSIFICATION = [name for name, spec in DATASETS.items() if spec.task == "classification"]
REGRESSION = [name for name, spec in DATASETS.items() if spec.task == "regression"]


def config(**changes) -> RunConfig:
    return RunConfig(**changes)


def test_registry_names_match_config_and_are_complete():
    assert tuple(DATASETS) == DATASET_NAMES
    assert GENERATED == ["moons", "circles", "blobs", "xor", "spiral", "gaussian_quantiles", "linear",
                         "plane", "gaussians"]
    assert BUNDLED == ["iris", "wine", "breast_cancer", "digits", "diabetes"]
    assert REGRESSION == ["plane", "gaussians", "diabetes"]
    for name, spec in DATASETS.items():
        assert spec.name == name
        assert spec.title and dataset_title(name) == spec.title
        assert len(spec.description) > 20


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_shapes_dtypes_and_labels(name):
    data = load_dataset(config(dataset=name))
    assert isinstance(data, Dataset) and data.name == name
    for X, y in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
        assert X.dtype == np.float64 and X.flags.c_contiguous and X.ndim == 2
        assert y.dtype == np.int64 and y.shape == (X.shape[0],)
        assert np.all(np.isfinite(X))
    assert data.X_train.shape[1] == data.X_test.shape[1] == data.n_features == len(data.feature_names)
    assert set(np.unique(data.y_train)) == set(range(data.n_classes)) == set(np.unique(data.y_test))
    assert data.n_classes == len(data.class_names) >= 2
    assert data.n_outputs == (1 if data.n_classes == 2 else data.n_classes)
    assert data.is_2d == (name in GENERATED)
    assert all(isinstance(n, str) for n in data.feature_names + data.class_names)
    assert data.task == DATASETS[name].task == "classification"


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_sets_have_real_standardized_targets_and_one_output(name):
    data = load_dataset(config(dataset=name, data_seed=5))
    assert data.task == DATASETS[name].task == "regression"
    assert data.class_names == () and data.n_classes == 0 and data.n_outputs == 1
    for X, y in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
        assert X.dtype == y.dtype == np.float64 and y.shape == (X.shape[0],)
        assert np.all(np.isfinite(y))
    assert len(np.unique(data.y_all)) > 0.4 * len(data.y_all)  # real values, not a few labels
    # the targets are scaled with the train split's statistics, like the features
    assert abs(data.y_train.mean()) < 1e-10 and abs(data.y_train.std() - 1.0) < 1e-10
    assert abs(data.y_test.mean()) < 1.0


def test_regression_targets_follow_their_surfaces():
    plane = load_dataset(config(dataset="plane", noise=0.0, n_samples=300))
    design = np.column_stack([plane.X_all, np.ones(len(plane.y_all))])
    residual = np.linalg.lstsq(design, plane.y_all, rcond=None)[1]
    assert residual[0] < 1e-20  # noise-free: exactly a plane in the inputs
    bumps = load_dataset(config(dataset="gaussians", noise=0.0, n_samples=300))
    design = np.column_stack([bumps.X_all, np.ones(len(bumps.y_all))])
    residual = np.linalg.lstsq(design, bumps.y_all, rcond=None)[1]
    assert residual[0] > 0.5 * len(bumps.y_all)  # a plane explains less than half of the bumps


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_dimensions_match_loaded_data_without_loading(name):
    for n_samples in (20, 101, 400):
        data = load_dataset(config(dataset=name, n_samples=n_samples))
        n_total = len(data.y_train) + len(data.y_test)
        assert dataset_dimensions(name, n_samples) == (data.n_features, data.n_outputs, n_total)


def test_known_sizes_of_bundled_sets():
    assert dataset_dimensions("digits", 400) == (64, 10, 1797)
    assert dataset_dimensions("iris", 400) == (4, 3, 150)
    assert dataset_dimensions("wine", 400) == (13, 3, 178)
    assert dataset_dimensions("breast_cancer", 400) == (30, 1, 569)
    assert dataset_dimensions("spiral", 123) == (2, 1, 123)
    assert dataset_dimensions("blobs", 123) == (2, 3, 123)


def test_unknown_name_raises_config_error():
    with pytest.raises(ConfigError, match="dataset"):
        dataset_dimensions("mnist", 100)


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("n_samples", [20, 101, 400])
def test_generated_sets_have_exactly_n_samples_balanced_rows(name, n_samples):
    data = load_dataset(config(dataset=name, n_samples=n_samples, noise=0.3))
    assert len(data.y_all) == n_samples
    if data.task == "regression":
        return
    counts = np.bincount(data.y_all)
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_split_is_stratified_with_the_configured_test_fraction(name):
    data = load_dataset(config(dataset=name, n_samples=203, data_seed=7))
    n_total = len(data.y_all)
    n_test = len(data.y_test)
    assert n_test == int(np.ceil(TEST_FRACTION * n_total))  # scikit-learn rounds the test size up
    if data.task == "regression":
        return  # real targets have no classes to stratify by
    all_counts = np.bincount(data.y_all)
    test_counts = np.bincount(data.y_test, minlength=len(all_counts))
    expected = all_counts * n_test / n_total
    assert np.all(np.abs(test_counts - expected) <= 1.0)


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_train_split_is_standardized(name):
    data = load_dataset(config(dataset=name, data_seed=3))
    mean = data.X_train.mean(axis=0)
    std = data.X_train.std(axis=0)
    np.testing.assert_allclose(mean, 0.0, atol=1e-10)
    varying = std > 1e-12
    np.testing.assert_allclose(std[varying], 1.0, rtol=1e-10)
    if name == "digits":  # the blank border pixels are constant: centred, not blown up to inf/nan
        assert not varying.all()
        assert np.all(data.X_train[:, ~varying] == 0.0)
    else:
        assert varying.all()
    # the test split uses the train statistics, so it is only roughly standardized
    assert np.all(np.abs(data.X_test.mean(axis=0)[varying]) < 1.0)


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_same_config_gives_identical_arrays_even_without_the_cache(name):
    from core import datasets

    first = load_dataset(config(dataset=name, data_seed=11))
    datasets._load_cached.cache_clear()
    second = load_dataset(config(dataset=name, data_seed=11))
    assert first is not second
    for field in ("X_train", "y_train", "X_test", "y_test"):
        np.testing.assert_array_equal(getattr(first, field), getattr(second, field))
    assert first.feature_names == second.feature_names and first.class_names == second.class_names


@pytest.mark.parametrize("name", DATASET_NAMES)
def test_different_data_seed_gives_different_data_or_split(name):
    a = load_dataset(config(dataset=name, data_seed=1))
    b = load_dataset(config(dataset=name, data_seed=2))
    assert a.X_train.shape == b.X_train.shape
    assert not np.array_equal(a.X_train, b.X_train)


def test_bundled_sets_ignore_n_samples_and_noise():
    a = load_dataset(config(dataset="iris", n_samples=50, noise=0.0))
    b = load_dataset(config(dataset="iris", n_samples=900, noise=0.9))
    assert a is b  # one cache entry, since the result cannot differ


@pytest.mark.parametrize("name", GENERATED)
def test_noise_changes_generated_sets(name):
    a = load_dataset(config(dataset=name, noise=0.0))
    b = load_dataset(config(dataset=name, noise=0.5))
    if a.task == "regression":  # the noise is on the target
        assert np.array_equal(a.X_all, b.X_all) and not np.array_equal(a.y_all, b.y_all)
        return
    assert not np.array_equal(a.X_all, b.X_all)


def test_noise_free_linear_set_is_linearly_separable():
    from sklearn.svm import LinearSVC

    data = load_dataset(config(dataset="linear", noise=0.0))
    model = LinearSVC(C=1e4, max_iter=100_000).fit(data.X_all, data.y_all)
    assert model.score(data.X_all, data.y_all) == 1.0


def test_cached_arrays_are_read_only_and_repeated_loads_are_cached():
    data = load_dataset(config())
    assert load_dataset(config()) is data
    for array in (data.X_train, data.y_train, data.X_test, data.y_test, data.X_all, data.y_all):
        assert not array.flags.writeable
        with pytest.raises(ValueError):
            array[0] = 0


def test_all_is_train_then_test():
    data = load_dataset(config(dataset="wine"))
    n_train = len(data.y_train)
    np.testing.assert_array_equal(data.X_all[:n_train], data.X_train)
    np.testing.assert_array_equal(data.X_all[n_train:], data.X_test)
    np.testing.assert_array_equal(data.y_all, np.concatenate([data.y_train, data.y_test]))


def test_bundled_names_come_from_scikit_learn():
    iris = load_dataset(config(dataset="iris"))
    assert iris.class_names == ("setosa", "versicolor", "virginica")
    assert iris.feature_names[0] == "sepal length (cm)"
    assert load_dataset(config(dataset="breast_cancer")).class_names == ("malignant", "benign")
    digits = load_dataset(config(dataset="digits"))
    assert digits.class_names == tuple("0123456789") and len(digits.feature_names) == 64
    assert load_dataset(config(dataset="diabetes")).feature_names[:3] == ("age", "sex", "bmi")
