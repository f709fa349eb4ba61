"""The notebook's data cells: the rows the app trains on, made again with scikit-learn and numpy.

A dataset reaches the notebook in one of two ways, and `data_cells` picks the cells for it:

- **by name** (every set in core.datasets' registry): the notebook regenerates it with the same maker,
  the same `data_seed`, the same stratified split and the same standardization (the train split's mean
  and std), so the reader sees where every number comes from. The makers below are written out from
  core/datasets.py; tests/export checks that each one gives `load_dataset`'s arrays bit for bit.
- **as rows** (a `core.datasets.Dataset` handed over, e.g. one made from an uploaded file): the split and
  standardized rows the app trained on are embedded as CSV text, written with `repr` so every float
  reads back to the same bits.

Each cell is source text that a reader reads top to bottom; nothing of the app is imported in it.
"""

from __future__ import annotations

import io
import re

import numpy as np

from core.datasets import TEST_FRACTION, Dataset, DatasetSpec

Array = np.ndarray

# --- the makers of the generated sets (core/datasets.py, written for a reader) ----------------------------

GENERATED: dict[str, str] = {
    "moons": """\
from sklearn.datasets import make_moons

# Two interleaving half circles, with Gaussian noise on every point.
X, y = make_moons(n_samples=N_SAMPLES, noise=NOISE, random_state=DATA_SEED)""",
    "circles": """\
from sklearn.datasets import make_circles

# A ring around a disc (the inner circle has half the radius).
X, y = make_circles(n_samples=N_SAMPLES, noise=NOISE, factor=0.5, random_state=DATA_SEED)""",
    "blobs": """\
from sklearn.datasets import make_blobs

# Three round clouds on fixed centres (a triangle); the noise widens the clouds until they overlap.
centers = 2.5 * np.array([[0.0, 1.0], [-np.sqrt(3) / 2, -0.5], [np.sqrt(3) / 2, -0.5]])
X, y = make_blobs(n_samples=N_SAMPLES, centers=centers, cluster_std=0.4 + 2.0 * NOISE,
                  random_state=DATA_SEED)""",
    "xor": """\
# Point i goes to quadrant i % 4, so the label (x1·x2 < 0) alternates and the classes stay balanced.
rng = np.random.default_rng(DATA_SEED)
quadrant_signs = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])
signs = quadrant_signs[np.arange(N_SAMPLES) % 4]
X = signs * rng.uniform(0.05, 1.0, size=(N_SAMPLES, 2)) + rng.normal(0.0, NOISE * 0.5, size=(N_SAMPLES, 2))
y = (np.arange(N_SAMPLES) % 2).astype(np.int64)""",
    "spiral": """\
# Two arms of one and a half turns each; the second arm is the first turned by π.
rng = np.random.default_rng(DATA_SEED)
y = (np.arange(N_SAMPLES) % 2).astype(np.int64)
t = rng.uniform(0.05, 1.0, size=N_SAMPLES)
angle = 3.0 * np.pi * t + np.pi * y
X = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
X = X + rng.normal(0.0, NOISE * 0.25, size=(N_SAMPLES, 2))""",
    "gaussian_quantiles": """\
from sklearn.datasets import make_gaussian_quantiles

# Inside or outside a circle of one Gaussian cloud; jitter added afterwards blurs the boundary.
rng = np.random.default_rng(DATA_SEED)
X, y = make_gaussian_quantiles(n_samples=N_SAMPLES, n_features=2, n_classes=2, random_state=DATA_SEED)
X = X + rng.normal(0.0, NOISE * 0.5, size=X.shape)""",
    "linear": """\
from sklearn.datasets import make_classification

# One Gaussian cloud per class; more noise pulls the clouds together.
X, y = make_classification(
    n_samples=N_SAMPLES, n_features=2, n_informative=2, n_redundant=0, n_repeated=0, n_classes=2,
    n_clusters_per_class=1, class_sep=2.5 * (1.0 - NOISE) + 0.5, flip_y=0.0, random_state=DATA_SEED,
)""",
    "plane": """\
# A tilted plane t = x1 + x2 plus noise: real targets, so this is regression.
rng = np.random.default_rng(DATA_SEED)
X = rng.uniform(-1.0, 1.0, size=(N_SAMPLES, 2))
y = X.sum(axis=1) + rng.normal(0.0, NOISE, size=N_SAMPLES)""",
    "gaussians": """\
# Six Gaussian bumps of alternating sign (centre x1, centre x2, sign): real targets, regression.
rng = np.random.default_rng(DATA_SEED)
bumps = np.array([[-0.6, 0.4, 1.0], [0.0, 0.6, -1.0], [0.6, 0.4, 1.0],
                  [-0.6, -0.4, -1.0], [0.0, -0.6, 1.0], [0.6, -0.4, -1.0]])
X = rng.uniform(-1.0, 1.0, size=(N_SAMPLES, 2))
squared = ((X[:, None, :] - bumps[None, :, :2]) ** 2).sum(axis=2)
y = (bumps[:, 2] * np.exp(-squared / (2 * 0.25**2))).sum(axis=1) + rng.normal(0.0, NOISE, size=N_SAMPLES)""",
}

BUNDLED = """\
from sklearn.datasets import {loader}

# A toy set that ships with scikit-learn (read from its own files, nothing is downloaded).
X, y = {loader}(return_X_y=True)"""

SPLIT = """\
from sklearn.model_selection import train_test_split

# A quarter of the rows is held out for testing{stratified}; DATA_SEED fixes which.
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size={test_fraction!r}, stratify={stratify}, random_state=DATA_SEED)
X_train, X_test = np.asarray(X_train, np.float64), np.asarray(X_test, np.float64)
y_train, y_test = np.asarray(y_train, np.{y_type}), np.asarray(y_test, np.{y_type})"""

STANDARDIZE = """\
def standardize(train, test):
    \"\"\"Scale every column by the *train* split's mean and spread, so the test rows never leak into
    training. A constant column (digits' blank border) is only centred.\"\"\"
    mean, std = train.mean(axis=0), train.std(axis=0)
    std = np.where(std > 1e-12, std, 1.0)
    return (train - mean) / std, (test - mean) / std


X_train, X_test = standardize(X_train, X_test)"""

STANDARDIZE_TARGETS = """
# Regression targets are standardized too, so the loss starts near 1 whatever the units of t.
y_train, y_test = (t[:, 0] for t in standardize(y_train[:, None], y_test[:, None]))"""

SUMMARY = """\
print(f"{len(X_train)} training rows, {len(X_test)} test rows, {X_train.shape[1]} inputs")"""

EMBEDDED = '''\
import io

# The rows the app trained on, already split and standardized: inputs, target, then 1 for a test row.
# Every number is written in full (repr), so it reads back to exactly the same float.
ROWS = """\\
{csv}"""
table = np.loadtxt(io.StringIO(ROWS), delimiter=",", skiprows=1, ndmin=2)
is_test = table[:, -1] == 1
X_train, X_test = table[~is_test, :-2], table[is_test, :-2]
y_train, y_test = table[~is_test, -2].astype(np.{y_type}), table[is_test, -2].astype(np.{y_type})'''


# --- the cells -------------------------------------------------------------------------------------------

def plain_name(name: object) -> str:
    """A name from outside (an uploaded file's, its columns') safe inside generated source and Markdown:
    anything that could end a string literal or split a CSV column (quotes, backslashes, commas, line
    breaks, Markdown marks) becomes a space."""
    return re.sub(r"[^\w .()+-]", " ", str(name)).strip() or "data"


def rows_csv(data: Dataset) -> str:
    """The split rows as CSV: inputs, target, a 0/1 test flag; floats in full, labels as integers."""
    buffer = io.StringIO()
    # Column names are only for the reader (the cell skips the header row).
    names = [plain_name(name) for name in data.feature_names]
    names = names if len(names) == data.n_features else [f"x{i + 1}" for i in range(data.n_features)]
    buffer.write(",".join([*names, "target", "test"]) + "\n")
    for X, y, flag in ((data.X_train, data.y_train, 0), (data.X_test, data.y_test, 1)):
        for row, target in zip(X, y):
            target_text = repr(float(target)) if data.task == "regression" else str(int(target))
            buffer.write(",".join([*(repr(float(value)) for value in row), target_text, str(flag)]) + "\n")
    return buffer.getvalue().rstrip("\n")


def named_cells(spec: DatasetSpec) -> list[str]:
    """Code cells that regenerate a registered dataset: make the rows, split them, standardize them."""
    make = GENERATED[spec.name] if spec.is_generated else BUNDLED.format(loader=spec.loader)
    classification = spec.task == "classification"
    split = SPLIT.format(
        stratified=", each class in the same share" if classification else "",
        test_fraction=TEST_FRACTION, stratify="y" if classification else "None",
        y_type="int64" if classification else "float64",
    )
    standardize = STANDARDIZE + (STANDARDIZE_TARGETS if not classification else "")
    return [make, split, standardize + "\n" + SUMMARY]


def embedded_cells(data: Dataset) -> list[str]:
    """One code cell holding the rows of `data` (as the app trained on them) and one printing their size."""
    y_type = "float64" if data.task == "regression" else "int64"
    return [EMBEDDED.format(csv=rows_csv(data), y_type=y_type), SUMMARY]

