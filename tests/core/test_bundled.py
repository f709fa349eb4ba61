"""core.bundled against scikit-learn itself: each of the five bundled sets, read from scikit-learn's files
without importing it, equals what its `load_*()` returns (data and target bit for bit, same dtype and
shape; feature names equal as strings); diabetes' scaling is `sklearn.preprocessing.scale`'s arithmetic;
and without scikit-learn the loaders say so with a ConfigError."""

from __future__ import annotations

import importlib.util
import warnings

import numpy as np
import pytest
from sklearn import datasets as sk_datasets
from sklearn.preprocessing import scale as sk_scale

from core import bundled, datasets
from core.datasets import DATASETS
from core.errors import ConfigError

BUNDLED = {name: spec for name, spec in DATASETS.items() if spec.loader is not None}


def assert_identical(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    assert np.array_equal(ours, theirs)
    assert np.array_equal(np.signbit(ours), np.signbit(theirs))  # even the sign of a zero


def test_there_is_a_loader_for_every_bundled_set():
    assert sorted(BUNDLED) == ["breast_cancer", "diabetes", "digits", "iris", "wine"]
    assert sorted(spec.loader for spec in BUNDLED.values()) == sorted(bundled.LOADERS)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_each_bundled_set_is_what_scikit_learn_loads(name):
    loader = BUNDLED[name].loader
    data, target, feature_names = bundled.LOADERS[loader]()
    bunch = getattr(sk_datasets, loader)()
    assert_identical(data, bunch.data)
    assert_identical(target, bunch.target)
    assert all(type(feature) is str for feature in feature_names)
    assert feature_names == tuple(str(feature) for feature in bunch.feature_names)
    assert len(feature_names) == data.shape[1] == BUNDLED[name].n_features
    assert data.shape[0] == BUNDLED[name].n_rows


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_the_registry_serves_the_rows_scikit_learn_loads(name):
    """What core.datasets keeps of a set (contiguous float64 rows, labels as int64 or targets as float64,
    names as strings) is what it kept when it called scikit-learn, and the class names are its."""
    spec = BUNDLED[name]
    bunch = getattr(sk_datasets, spec.loader)()
    X, y, feature_names = datasets._load_bundled(name)
    assert_identical(X, np.ascontiguousarray(bunch.data, dtype=np.float64))
    assert X.flags.c_contiguous and not X.flags.writeable and not y.flags.writeable
    assert_identical(y, np.asarray(bunch.target, dtype=np.int64 if spec.class_names else np.float64))
    assert feature_names == tuple(str(feature) for feature in bunch.feature_names)
    if spec.class_names:
        assert spec.class_names == tuple(str(c) for c in bunch.target_names)


def test_diabetes_is_scaled_as_scikit_learns_default():
    unscaled = sk_datasets.load_diabetes(scaled=False).data
    data = bundled.load_diabetes()[0]
    assert_identical(data, sk_datasets.load_diabetes(scaled=True).data)
    assert not np.array_equal(data, unscaled)
    assert np.allclose((data**2).sum(axis=0), 1.0) and np.allclose(data.mean(axis=0), 0.0)


@pytest.mark.parametrize("seed", range(6))
def test_scaling_is_scikit_learns_scale(seed):
    """Also where scikit-learn centres a second time (huge offsets) and leaves constant columns unscaled."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(int(rng.integers(2, 500)), 6)) * rng.uniform(0.01, 100, size=6)
    X[:, 1] = 3.0  # constant
    X[:, 2] += 1e17 * seed  # centring leaves a mean far from 0 (from seed 1 on)
    X[:, 3] = rng.integers(1, 3, size=len(X)).astype(float)  # two values, like diabetes' sex
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # scikit-learn warns about the second pass
        assert_identical(bundled._scaled(X.copy()), sk_scale(X.copy(), copy=False))


def test_without_scikit_learn_a_bundled_set_is_a_config_error(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: None)
    for load in bundled.LOADERS.values():
        with pytest.raises(ConfigError, match="scikit-learn is not installed"):
            load()
    with pytest.raises(ConfigError, match="dataset = 'digits'"):
        bundled.data_folder("digits")


def test_a_missing_data_file_is_a_config_error(monkeypatch, tmp_path):
    (tmp_path / "datasets" / "data").mkdir(parents=True)
    spec = importlib.util.spec_from_loader("sklearn", loader=None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path)]
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: spec)
    with pytest.raises(ConfigError, match=r"iris\.csv is missing"):
        bundled.load_iris()
