"""scikit-learn's 2-D makers and its train/test split, in numpy only, bit-identical, so the first page never
imports scikit-learn.

Importing `sklearn.datasets` or `sklearn.model_selection` costs ~1 s of CPU and ~100 MB (they pull in
scipy.stats and pandas), yet the default dataset (moons) and every split only need a few lines of numpy
from them. Each function here reproduces one scikit-learn function for the arguments core.datasets passes:
the same `np.random.RandomState(seed)` (what scikit-learn's `check_random_state(seed)` returns for an int)
asked for the same draws in the same order, and the same array arithmetic, so the arrays are equal bit for
bit, dtypes included — the exported notebooks, which regenerate the data with scikit-learn itself, still
match the app exactly (tests/core/test_generators.py compares the two over a grid of sizes and seeds).

Matched against scikit-learn 1.9: `datasets.make_moons`, `make_circles`, `make_blobs` (fixed centers, one
std), `make_gaussian_quantiles`, `make_classification` (only the 2-D, two-class, one-cluster-per-class case
"linear" asks for) and `model_selection.train_test_split` with a float `test_size`, shuffled, stratified or
not. `noise=0.0` still draws the noise, as scikit-learn does (only `None` skips it); adding those zeros
changes no number, but the draws stay scikit-learn's, call for call. Should a later scikit-learn change
one of these functions, tests/core/test_generators.py fails on that one.
"""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray
XY = tuple[Array, Array]


def _shuffled(X: Array, y: Array, rng: np.random.RandomState) -> XY:
    """Rows of X and y in one random order, as `sklearn.utils.shuffle(X, y, random_state=rng)`."""
    indices = np.arange(y.shape[0])
    rng.shuffle(indices)
    return X[indices], y[indices]


def _added_noise(X: Array, noise: float | None, rng: np.random.RandomState) -> Array:
    """Gaussian noise of std `noise` added to every coordinate; drawn even for 0.0, skipped for None."""
    if noise is not None:
        X += rng.normal(scale=noise, size=X.shape)
    return X


# --- the makers -----------------------------------------------------------------------------------------

def make_moons(n_samples: int, noise: float | None, random_state: int) -> XY:
    """`sklearn.datasets.make_moons(n_samples, noise=noise, random_state=random_state)`: two interleaving
    half circles, n // 2 points on the upper one (label 0) and the rest on the lower one (label 1)."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    rng = np.random.RandomState(random_state)
    outer_x = np.cos(np.linspace(0, np.pi, n_out))
    outer_y = np.sin(np.linspace(0, np.pi, n_out))
    inner_x = 1 - np.cos(np.linspace(0, np.pi, n_in))
    inner_y = 1 - np.sin(np.linspace(0, np.pi, n_in)) - 0.5
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    X, y = _shuffled(X, y, rng)
    return _added_noise(X, noise, rng), y


def make_circles(n_samples: int, noise: float | None, random_state: int, factor: float = 0.8) -> XY:
    """`sklearn.datasets.make_circles(n_samples, noise=noise, random_state=random_state, factor=factor)`:
    n // 2 points on the unit circle (label 0), the rest on a circle of radius `factor` (label 1)."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    rng = np.random.RandomState(random_state)
    angles_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)  # endpoint=False: no point twice
    angles_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    outer_x, outer_y = np.cos(angles_out), np.sin(angles_out)
    inner_x, inner_y = np.cos(angles_in) * factor, np.sin(angles_in) * factor
    X = np.vstack([np.append(outer_x, inner_x), np.append(outer_y, inner_y)]).T
    y = np.hstack([np.zeros(n_out, dtype=np.intp), np.ones(n_in, dtype=np.intp)])
    X, y = _shuffled(X, y, rng)
    return _added_noise(X, noise, rng), y


def make_blobs(n_samples: int, centers: Array, cluster_std: float, random_state: int) -> XY:
    """`sklearn.datasets.make_blobs(n_samples, centers=centers, cluster_std=cluster_std,
    random_state=random_state)` with fixed centers and one std: n // k points around each center, the
    first n % k centers one more, label = index of the center."""
    rng = np.random.RandomState(random_state)
    centers = np.asarray(centers, dtype=np.float64)
    n_centers, n_features = centers.shape
    stds = np.full(n_centers, cluster_std)
    per_center = [n_samples // n_centers + (1 if i < n_samples % n_centers else 0) for i in range(n_centers)]
    ends = np.cumsum(per_center)
    X = np.empty((n_samples, n_features), dtype=np.float64)
    y = np.empty((n_samples,), dtype=int)
    for i, (n, std) in enumerate(zip(per_center, stds)):
        start = ends[i - 1] if i > 0 else 0
        X[start:ends[i]] = rng.normal(loc=centers[i], scale=std, size=(n, n_features))
        y[start:ends[i]] = i
    return _shuffled(X, y, rng)


def make_gaussian_quantiles(n_samples: int, n_features: int, n_classes: int, random_state: int) -> XY:
    """`sklearn.datasets.make_gaussian_quantiles(n_samples=n_samples, n_features=n_features,
    n_classes=n_classes, random_state=random_state)`: a standard normal cloud, labelled by distance from
    the origin in classes of n // k points (the farthest class takes the remainder)."""
    if n_samples < n_classes:
        raise ValueError("n_samples must be at least n_classes")
    rng = np.random.RandomState(random_state)
    mean = np.zeros(n_features)
    X = rng.multivariate_normal(mean, 1.0 * np.identity(n_features), (n_samples,))
    X = X[np.argsort(np.sum((X - mean[np.newaxis, :]) ** 2, axis=1)), :]
    step = n_samples // n_classes
    y = np.hstack([np.repeat(np.arange(n_classes), step),
                   np.repeat(n_classes - 1, n_samples - step * n_classes)])
    return _shuffled(X, y, rng)


def make_classification(n_samples: int, class_sep: float, random_state: int) -> XY:
    """`sklearn.datasets.make_classification(n_samples, n_features=2, n_informative=2, n_redundant=0,
    n_repeated=0, n_classes=2, n_clusters_per_class=1, class_sep=class_sep, flip_y=0.0,
    random_state=random_state)`: one Gaussian cluster per class, each standard normal points stretched by
    its own random 2×2 matrix and moved to a corner of the square [-class_sep, class_sep]² (two distinct
    corners, drawn at random); class 0 gets n // 2 points plus the odd one."""
    if not class_sep > 0:
        raise ValueError(f"class_sep must be positive, got {class_sep}")
    rng = np.random.RandomState(random_state)
    n_informative = n_features = n_clusters = n_classes = 2
    weight = 1.0 / n_classes  # no weights: classes equally likely, one cluster each
    per_cluster = [int(n_samples * weight) for _ in range(n_clusters)]
    for i in range(n_samples - sum(per_cluster)):
        per_cluster[i % n_clusters] += 1
    X = np.zeros((n_samples, n_features))
    y = np.zeros(n_samples, dtype=int)
    centroids = _hypercube_corners(n_clusters, n_informative, rng).astype(float, copy=False)
    centroids *= 2 * class_sep
    centroids -= class_sep
    X[:, :n_informative] = rng.standard_normal(size=(n_samples, n_informative))
    stop = 0
    for k, centroid in enumerate(centroids):
        start, stop = stop, stop + per_cluster[k]
        y[start:stop] = k % n_classes
        X_k = X[start:stop, :n_informative]  # a view: the cluster is written in place, as scikit-learn does
        A = 2 * rng.uniform(size=(n_informative, n_informative)) - 1  # a random covariance
        X_k[...] = np.dot(X_k, A)
        X_k += centroid
    flip = rng.uniform(size=n_samples) < 0.0  # flip_y=0.0: drawn, flips nothing
    y[flip] = rng.randint(n_classes, size=flip.sum())
    X += 0.0  # shift=0.0, scale=1.0 as scikit-learn applies them: -0.0 becomes 0.0
    X *= 1.0
    X, y = _shuffled(X, y, rng)
    columns = np.arange(n_features)
    rng.shuffle(columns)
    X[:, :] = X[:, columns]
    return X, y


def _hypercube_corners(samples: int, dimensions: int, rng: np.random.RandomState) -> Array:
    """`samples` distinct corners of the unit cube in `dimensions` ≤ 30 dimensions, as rows of 0/1 (uint8),
    as scikit-learn's `_generate_hypercube`: distinct integers below 2**dimensions, as their bits. It draws
    them with `sample_without_replacement(2**dimensions, samples)`, which for a ratio samples / 2**dimensions
    strictly between 0.01 and 0.99 (make_classification's 2 of 4 corners) is `rng.permutation`'s first
    `samples`; its other methods, for other ratios, are not reproduced."""
    population = 2**dimensions
    if not (dimensions <= 30 and 0.01 < samples / population < 0.99):
        raise ValueError(f"{samples} corners of a {dimensions}-D cube are drawn another way by scikit-learn")
    out = rng.permutation(population)[:samples].astype(dtype=">u4", copy=False)
    return np.unpackbits(out.view(">u1")).reshape((-1, 32))[:, -dimensions:]


# --- the split ------------------------------------------------------------------------------------------

def split_sizes(n_samples: int, test_size: float) -> tuple[int, int]:
    """(n_train, n_test) for a float `test_size`, as scikit-learn's `_validate_shuffle_split`: the test
    part is rounded up, ceil(test_size · n), the train part is the rest."""
    if not 0 < test_size < 1:
        raise ValueError(f"test_size={test_size} should be a float in the (0, 1) range")
    n_test = math.ceil(test_size * n_samples)
    n_train = n_samples - n_test
    if n_train <= 0:
        raise ValueError(f"With n_samples={n_samples} and test_size={test_size}, the resulting train set "
                         "would be empty.")
    return n_train, n_test


def train_test_split(X: Array, y: Array, *, test_size: float, random_state: int,
                     stratify: Array | None = None) -> tuple[Array, Array, Array, Array]:
    """`sklearn.model_selection.train_test_split(X, y, test_size=test_size, random_state=random_state,
    stratify=stratify)` for arrays and a float `test_size`: (X_train, X_test, y_train, y_test). Without
    `stratify` it draws as `ShuffleSplit`, with it as `StratifiedShuffleSplit` (every class split in
    proportion, each at least one row in each part)."""
    X, y = np.asarray(X), np.asarray(y)
    if X.shape[0] != y.shape[0]:
        raise ValueError("Found input variables with inconsistent numbers of samples: "
                         f"{[X.shape[0], y.shape[0]]}")
    n_train, n_test = split_sizes(X.shape[0], test_size)
    if stratify is None:
        rng = np.random.RandomState(random_state)
        permutation = rng.permutation(X.shape[0])
        test, train = permutation[:n_test], permutation[n_test:n_test + n_train]
    else:
        train, test = _stratified_indices(np.asarray(stratify), n_train, n_test, random_state)
    return X[train], X[test], y[train], y[test]


def _stratified_indices(labels: Array, n_train: int, n_test: int, random_state: int) -> tuple[Array, Array]:
    """Train and test row indices as the first split of `StratifiedShuffleSplit(test_size=n_test,
    train_size=n_train, random_state=random_state)`."""
    if labels.ndim != 1:
        raise ValueError("stratify must be one label per row")
    classes, label_indices, class_counts = np.unique(labels, return_inverse=True, return_counts=True)
    if np.min(class_counts) < 2:
        raise ValueError("The least populated classes in y have only 1 member, which is too few. The "
                         "minimum number of groups for any class cannot be less than 2. Classes with too "
                         f"few members are: {classes[class_counts < 2].tolist()}")
    if n_train < len(classes):
        raise ValueError(f"The train_size = {n_train} should be greater or equal to the number of classes "
                         f"= {len(classes)}")
    if n_test < len(classes):
        raise ValueError(f"The test_size = {n_test} should be greater or equal to the number of classes "
                         f"= {len(classes)}")
    rows_of_class = np.split(np.argsort(label_indices, kind="stable"), np.cumsum(class_counts)[:-1])
    rng = np.random.RandomState(random_state)
    n_i = _approximate_mode(class_counts, n_train, rng)
    t_i = _approximate_mode(class_counts - n_i, n_test, rng)
    train: list[Array] = []
    test: list[Array] = []
    for i, rows in enumerate(rows_of_class):
        shuffled = rows.take(rng.permutation(class_counts[i]), mode="clip")
        train.append(shuffled[:n_i[i]])
        test.append(shuffled[n_i[i]:n_i[i] + t_i[i]])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _approximate_mode(class_counts: Array, n_draws: int, rng: np.random.RandomState) -> Array:
    """How many of `n_draws` rows each class gets, as `sklearn.utils.extmath._approximate_mode`: its share
    rounded down, then one more for the classes with the largest remainders (ties broken by `rng`)."""
    continuous = class_counts / class_counts.sum() * n_draws
    floored = np.floor(continuous)
    need_to_add = int(n_draws - floored.sum())
    if need_to_add > 0:
        remainder = continuous - floored
        for value in np.sort(np.unique(remainder))[::-1]:
            (inds,) = np.where(remainder == value)
            add_now = min(len(inds), need_to_add)
            floored[rng.choice(inds, size=add_now, replace=False)] += 1
            need_to_add -= add_now
            if need_to_add == 0:
                break
    return floored.astype(int)
