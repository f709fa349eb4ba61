"""The toy problems the networks learn, in one registry, each turned into a standardized train/test split.

Every dataset is a small frozen `DatasetSpec` in `DATASETS`: a title, one line that says what makes it
interesting, how big it is, and how to make its rows. Nine are generated in 2-D (so the dashboard can draw
input space, each unit's line wᵀx + b = 0 and the decision boundary or prediction surface); five are
scikit-learn's bundled toy sets (read from files shipped with scikit-learn, never downloaded) for "does it
still hold in 64-D?". None of them imports scikit-learn: its makers are redone in numpy (core.generators)
and its files are read directly (core.bundled), both bit for bit.

The task follows from the dataset: a set with class names is classification (integer labels), a set
without is regression (real targets, one linear output, squared error; core.tasks).

`load_dataset(config)` is fully determined by `(dataset, n_samples, noise, data_seed)`: `data_seed` seeds
both the generation and the split (stratified by class for classification). Features — and regression
targets — are standardized with the *train* split's mean and std, as one would in practice, so the test
split never leaks into training (`split_standardized`). Results are cached and read-only because every
page loads the same config again and again.

Data of one's own — an uploaded CSV (core.uploads), points added by clicking (core.added_points) — is
not in `DATASETS`: it is registered under a name made from its content (core.custom_data), and
`get_spec` and `load_dataset` look there for such a name, so everything keyed by a RunConfig works alike.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core import bundled, custom_data, generators
from core.errors import ConfigError

if TYPE_CHECKING:
    from core.config import RunConfig

TEST_FRACTION = 0.25
"""The share of every dataset held out for testing (stratified by class for classification)."""

Array = np.ndarray
XY = tuple[Array, Array]

PLANE_FEATURES = ("x1", "x2")


# --- generated 2-D sets -------------------------------------------------------------------------------
# Each maker takes (n_samples, noise, seed), returns exactly n_samples rows with balanced classes
# (counts differ by at most one) and labels 0..K-1. Moons, circles, blobs, gaussian quantiles and linear
# are scikit-learn's makers, redone bit for bit in numpy by core.generators.

def _moons(n: int, noise: float, seed: int) -> XY:
    return generators.make_moons(n, noise, seed)


def _circles(n: int, noise: float, seed: int) -> XY:
    return generators.make_circles(n, noise, seed, factor=0.5)


_BLOB_CENTERS = 2.5 * np.array([[0.0, 1.0], [-np.sqrt(3) / 2, -0.5], [np.sqrt(3) / 2, -0.5]])


def _blobs(n: int, noise: float, seed: int) -> XY:
    # Fixed centers on a triangle (make_blobs' random centers could land on top of each other);
    # noise widens the clouds until they overlap.
    return generators.make_blobs(n, _BLOB_CENTERS, 0.4 + 2.0 * noise, seed)


def _xor(n: int, noise: float, seed: int) -> XY:
    # Point i goes to quadrant i % 4, so the label (x1·x2 < 0) alternates and classes stay balanced.
    rng = np.random.default_rng(seed)
    quadrant_signs = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])
    signs = quadrant_signs[np.arange(n) % 4]
    X = signs * rng.uniform(0.05, 1.0, size=(n, 2)) + rng.normal(0.0, noise * 0.5, size=(n, 2))
    y = (np.arange(n) % 2).astype(np.int64)
    return X, y


def _spiral(n: int, noise: float, seed: int) -> XY:
    # Two arms, one and a half turns each; the second arm is the first rotated by π.
    rng = np.random.default_rng(seed)
    y = (np.arange(n) % 2).astype(np.int64)
    t = rng.uniform(0.05, 1.0, size=n)
    angle = 3.0 * np.pi * t + np.pi * y
    X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X = X + rng.normal(0.0, noise * 0.25, size=(n, 2))
    return X, y


def _gaussian_quantiles(n: int, noise: float, seed: int) -> XY:
    # Labels come from the distance to the centre; the jitter added afterwards blurs the boundary.
    rng = np.random.default_rng(seed)
    X, y = generators.make_gaussian_quantiles(n, 2, 2, seed)
    return X + rng.normal(0.0, noise * 0.5, size=X.shape), y


def _linear(n: int, noise: float, seed: int) -> XY:
    # One Gaussian cloud per class; noise pulls the clouds together until they overlap.
    return generators.make_classification(n, 2.5 * (1.0 - noise) + 0.5, seed)


# --- generated regression sets (as in TensorFlow Playground): real targets, noise on the target ----------

def _plane(n: int, noise: float, seed: int) -> XY:
    # A tilted plane t = x1 + x2: one linear unit suffices, so hidden units are a luxury here.
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return X, X.sum(axis=1) + rng.normal(0.0, noise, size=n)


_BUMPS = np.array([[-0.6, 0.4, 1.0], [0.0, 0.6, -1.0], [0.6, 0.4, 1.0],
                   [-0.6, -0.4, -1.0], [0.0, -0.6, 1.0], [0.6, -0.4, -1.0]])  # centre x1, x2 and sign


def _gaussians(n: int, noise: float, seed: int) -> XY:
    # Six bumps of alternating sign: each unit can only bend the surface in one direction, so they must
    # share the bumps out between them.
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    squared = ((X[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(axis=2)
    t = (_BUMPS[:, 2] * np.exp(-squared / (2 * 0.25**2))).sum(axis=1)
    return X, t + rng.normal(0.0, noise, size=n)


# --- the registry ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DatasetSpec:
    """What the dashboard knows about a dataset before loading it (sizes are static, for the budget)."""

    name: str
    title: str
    description: str
    n_features: int
    class_names: tuple[str, ...]  # empty for regression
    generate: Callable[[int, float, int], XY] | None = None  # generated sets: (n_samples, noise, seed)
    loader: str | None = None  # bundled sets: the sklearn.datasets.load_* function core.bundled redoes
    n_rows: int = 0  # bundled sets only; generated sets have n_samples rows

    @property
    def is_generated(self) -> bool:
        """Generated sets use n_samples and noise; bundled ones always use all their rows as they are."""
        return self.generate is not None

    @property
    def task(self) -> str:
        """"classification" (labels, log loss) or "regression" (real targets, squared error)."""
        return "classification" if self.class_names else "regression"

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_outputs(self) -> int:
        """Output units: one logistic unit for two classes, one softmax unit per class otherwise, one
        linear unit for regression."""
        return 1 if self.n_classes <= 2 else self.n_classes

    def n_total(self, n_samples: int) -> int:
        return n_samples if self.is_generated else self.n_rows


def _generated(name: str, title: str, description: str, generate: Callable[[int, float, int], XY],
               class_names: tuple[str, ...]) -> DatasetSpec:
    return DatasetSpec(name, title, description, 2, class_names, generate=generate)


def _bundled(name: str, title: str, description: str, loader: str, n_features: int,
             n_rows: int, class_names: tuple[str, ...]) -> DatasetSpec:
    return DatasetSpec(name, title, description, n_features, class_names, loader=loader, n_rows=n_rows)


_SPECS = (
    _generated("moons", "Two moons", "Two interleaving half circles: not linearly separable, "
               "so at least two units must bend the boundary.", _moons, ("upper moon", "lower moon")),
    _generated("circles", "Circles", "A ring around a disc: no single line works, the units must "
               "surround the centre from several directions.", _circles, ("outer ring", "inner disc")),
    _generated("blobs", "Three blobs", "Three round clouds: linearly separable, three classes, softmax "
               "output.", _blobs, ("blob A", "blob B", "blob C")),
    _generated("xor", "XOR", "Label = sign of x1·x2: the classic problem one unit cannot solve and two "
               "units can.", _xor, ("same sign", "opposite sign")),
    _generated("spiral", "Two spirals", "Two interleaved arms: hard, needs many units cooperating on "
               "different parts of the curve.", _spiral, ("arm A", "arm B")),
    _generated("gaussian_quantiles", "Gaussian quantiles", "Inside vs outside a circle of one Gaussian "
               "cloud: a round boundary built from straight unit lines.", _gaussian_quantiles,
               ("inner", "outer")),
    _generated("linear", "Linearly separable", "Two clouds one straight line separates: the convex "
               "baseline where hidden units are not needed.", _linear, ("class 0", "class 1")),
    _generated("plane", "Plane (regression)", "A tilted plane t = x1 + x2 plus noise: real targets, "
               "one linear output, squared error; a single unit could fit it.", _plane, ()),
    _generated("gaussians", "Gaussian bumps (regression)", "Six bumps up and down: the units must share "
               "out the bumps to fit the surface.", _gaussians, ()),
    _bundled("iris", "Iris flowers", "150 flowers, 4 measurements, 3 species: one species is easy, two "
             "overlap.", "load_iris", 4, 150, ("setosa", "versicolor", "virginica")),
    _bundled("wine", "Wine", "178 wines, 13 chemical measurements, 3 cultivars: nearly linearly separable "
             "in 13-D.", "load_wine", 13, 178, ("class_0", "class_1", "class_2")),
    _bundled("breast_cancer", "Breast cancer", "569 tumours, 30 cell-nucleus features, malignant vs "
             "benign: a real binary task.", "load_breast_cancer", 30, 569, ("malignant", "benign")),
    _bundled("digits", "Handwritten digits", "1797 images of 8×8 pixels, 10 digits: 64 inputs, so each "
             "unit's weights form a picture.", "load_digits", 64, 1797, tuple(str(d) for d in range(10))),
    _bundled("diabetes", "Diabetes (regression)", "442 patients, 10 measurements, disease progression a "
             "year later: real targets in 10-D.", "load_diabetes", 10, 442, ()),
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in _SPECS}


def get_spec(name: str) -> DatasetSpec:
    """The registry entry (or custom data's: an upload, added points; core.custom_data), or a ConfigError
    that lists the allowed names."""
    try:
        return DATASETS[name]
    except (KeyError, TypeError):
        spec = custom_data.known_spec(name) if custom_data.is_custom_name(name) else None
        if spec is None:
            raise ConfigError("dataset", name, "one of " + ", ".join(DATASETS)) from None
        return spec


def dataset_title(name: str) -> str:
    """Human title for menus and chart titles."""
    return get_spec(name).title


def dataset_dimensions(name: str, n_samples: int) -> tuple[int, int, int]:
    """(n_features, n_outputs, n_total_rows) from the registry alone: no data is generated or read."""
    spec = get_spec(name)
    return spec.n_features, spec.n_outputs, spec.n_total(n_samples)


# --- the loaded dataset ----------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value, compare by identity
class Dataset:
    """A standardized, stratified train/test split. All arrays are read-only (they are shared by a cache)."""

    name: str
    X_train: Array
    y_train: Array
    X_test: Array
    y_test: Array
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]  # empty for regression

    @property
    def task(self) -> str:
        """"classification" or "regression" (core.tasks)."""
        return "classification" if self.class_names else "regression"

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_outputs(self) -> int:
        return 1 if self.n_classes <= 2 else self.n_classes

    @property
    def is_2d(self) -> bool:
        """Only 2-D sets get input-space pictures (boundaries, unit lines)."""
        return self.n_features == 2

    @functools.cached_property
    def X_all(self) -> Array:  # noqa: N802 - named like X_train
        """Train rows, then test rows."""
        return _read_only(np.concatenate([self.X_train, self.X_test]))

    @functools.cached_property
    def y_all(self) -> Array:
        return _read_only(np.concatenate([self.y_train, self.y_test]))


def _read_only(array: Array) -> Array:
    array.setflags(write=False)
    return array


@functools.cache
def _load_bundled(name: str) -> tuple[Array, Array, tuple[str, ...]]:
    """Rows, labels and feature names of a bundled set, parsed from scikit-learn's file once per process
    (core.bundled: what its load_* function returns, without importing scikit-learn)."""
    data, target, feature_names = bundled.LOADERS[DATASETS[name].loader]()
    X = _read_only(np.ascontiguousarray(data, dtype=np.float64))
    y = _read_only(np.asarray(target, dtype=_target_type(DATASETS[name])))
    return X, y, tuple(str(feature) for feature in feature_names)


def _raw(spec: DatasetSpec, n_samples: int, noise: float, seed: int) -> tuple[Array, Array, tuple[str, ...]]:
    if spec.is_generated:
        X, y = spec.generate(n_samples, noise, seed)
        return X, y, PLANE_FEATURES
    return _load_bundled(spec.name)


def _target_type(spec: DatasetSpec) -> type:
    return np.int64 if spec.task == "classification" else np.float64


def _standardize(X_train: Array, X_test: Array) -> tuple[Array, Array]:
    """Scale with the train split's statistics; constant columns (digits' blank border) are only centred."""
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 1e-12, std, 1.0)
    return (X_train - mean) / std, (X_test - mean) / std


def split_standardized(name: str, X: Array, y: Array, data_seed: int, feature_names: tuple[str, ...],
                       class_names: tuple[str, ...]) -> Dataset:
    """Rows and targets (class indices 0..K-1 when `class_names` is not empty, else real targets) as every
    dataset is served: a quarter held out for testing (stratified by class), chosen by `data_seed`; the
    features — and regression targets — standardized with the train split's mean and std. Built-in sets
    and uploaded files both come through here, so an upload is split and scaled exactly like them."""
    classification = bool(class_names)
    X_train, X_test, y_train, y_test = generators.train_test_split(  # scikit-learn's split, bit for bit
        X, y, test_size=TEST_FRACTION, stratify=y if classification else None, random_state=data_seed,
    )
    X_train, X_test = _standardize(np.asarray(X_train, np.float64), np.asarray(X_test, np.float64))
    y_type = np.int64 if classification else np.float64
    y_train, y_test = np.asarray(y_train, y_type), np.asarray(y_test, y_type)
    if not classification:  # targets in units of the train split's spread: losses start near 1
        y_train, y_test = (t[:, 0] for t in _standardize(y_train[:, None], y_test[:, None]))
    arrays = [np.ascontiguousarray(X_train), y_train, np.ascontiguousarray(X_test), y_test]
    arrays = [_read_only(array.copy()) for array in arrays]  # own the memory: no view into cached raw rows
    return Dataset(name, *arrays, feature_names=tuple(feature_names), class_names=tuple(class_names))


@functools.lru_cache(maxsize=16)  # ≤ ~30 MB even if every entry were digits
def _load_cached(name: str, n_samples: int, noise: float, data_seed: int) -> Dataset:
    spec = get_spec(name)
    X, y, feature_names = _raw(spec, n_samples, noise, data_seed)
    return split_standardized(name, X, np.asarray(y, _target_type(spec)), data_seed, feature_names,
                              spec.class_names)


def load_dataset(config: RunConfig) -> Dataset:
    """The dataset a RunConfig asks for (any object with dataset, n_samples, noise and data_seed works).

    Bundled sets ignore n_samples and noise, so those are dropped from the cache key for them; custom
    data (an upload, added points) is served by core.custom_data, split by `data_seed` like the others.
    """
    if custom_data.is_custom_name(config.dataset):
        return custom_data.load(config.dataset, int(config.data_seed))
    spec = get_spec(config.dataset)
    if spec.is_generated:
        return _load_cached(spec.name, int(config.n_samples), float(config.noise), int(config.data_seed))
    return _load_cached(spec.name, 0, 0.0, int(config.data_seed))
