"""The notebook builder: a valid notebook of short cells that import nothing of the app, whose data and
start are the app's bit for bit, and whose training (run here cell by cell, without a kernel) ends where
the app's does — for every optimizer, task, depth, penalty, dropout and start. scikit-learn's MLP, where
it can run, reaches the app's weights too; where it cannot, its cells say why.

Agreement: |notebook − app| ≤ 1e-9·max(1, |app|) (tests/export/runs.py); the weights, absolute 1e-9.
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest

from core.config import ACTIVATION_NAMES, INITIALIZER_NAMES, SYMMETRY_NAMES, RunConfig
from core.datasets import DATASETS, Dataset, load_dataset
from core.train import train
from export.notebook import build_notebook, caveats, notebook_text
from export.prelude import data_source, file_stem, settings_cell
from tests.export.runs import (
    TOLERANCE,
    exec_notebook,
    largest_disagreement,
    printed_finals,
    sklearn_difference,
    weight_difference,
)

MAX_CELL_LINES = 25
APP_IMPORT = re.compile(r"^\s*(from|import)\s+(core|app|export|figures|lessons|streamlit)\b", re.MULTILINE)


def code_of(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


# --- the notebook as a file ------------------------------------------------------------------------------

SHAPES = [
    RunConfig(),
    *(RunConfig(initializer=name, activation="sigmoid" if name == "sklearn_default" else "relu", epochs=5)
      for name in INITIALIZER_NAMES),
    RunConfig(dataset="digits", hidden=(16, 8, 4), optimizer="momentum", batch_size=64, epochs=5,
              init_scale=0.5, initializer="uniform", l2=0.1, l1=0.1, dropout=0.2, perturbation=0.01),
    RunConfig(dataset="diabetes", hidden=(), optimizer="adam", learning_rate=0.01, epochs=5),
    RunConfig(dataset="blobs", optimizer="sgd", symmetry="same_fan_in", activation="linear", epochs=5),
]


@pytest.mark.parametrize("config", SHAPES, ids=lambda config: f"{config.dataset}-{config.initializer}")
def test_notebooks_are_valid_with_short_cells_and_nothing_of_the_app(config):
    notebook = build_notebook(config)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        assert len(cell.source.splitlines()) <= MAX_CELL_LINES, cell.source
        assert not APP_IMPORT.search(cell.source), cell.source
    assert nbformat.reads(notebook_text(config), as_version=4).cells[1].source == notebook.cells[1].source


def test_the_settings_cell_holds_exact_values_and_only_what_the_code_reads():
    config = RunConfig(learning_rate=0.1 + 0.2, optimizer="gd", initializer="he_normal")
    text = settings_cell(config, data_source(config))
    assert "LEARNING_RATE = 0.30000000000000004" in text  # repr: the float the app used, to the bit
    assert "BATCH_SIZE" not in text and "MOMENTUM" not in text and "INIT_SCALE" not in text
    bundled = RunConfig(dataset="iris")
    assert "N_SAMPLES" not in settings_cell(bundled, data_source(bundled))


def test_file_names_come_from_the_dataset_and_seed():
    assert file_stem(RunConfig(dataset="breast_cancer", seed=12)) == "symmetry-lab-breast-cancer-seed12"


# --- the data and the start, bit for bit --------------------------------------------------------------------

def data_cells_run(config: RunConfig, data: Dataset | None = None) -> dict:
    source = data_source(config, data)
    namespace: dict = {}
    for text in (settings_cell(config, source), *source.cells):
        exec(text, namespace)
    return namespace


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_dataset_is_regenerated_bit_for_bit(name):
    config = RunConfig(dataset=name, n_samples=120, noise=0.3, data_seed=7, hidden=(2,))
    made, app = data_cells_run(config), load_dataset(config)
    for part in ("X_train", "y_train", "X_test", "y_test"):
        assert made[part].dtype == getattr(app, part).dtype, part
        np.testing.assert_array_equal(made[part], getattr(app, part), err_msg=part)


@pytest.mark.parametrize("name", ["moons", "plane"])
def test_embedded_rows_read_back_exactly(name):
    app = load_dataset(RunConfig(dataset=name, n_samples=60))
    # An upload's names come from outside: quotes, backslashes and line breaks must not break the code.
    tricky = Dataset(f'my "{name}"""\\', app.X_train, app.y_train, app.X_test, app.y_test,
                     feature_names=('x1 "a", b', 'x2 """\n\\'), class_names=app.class_names)
    made = data_cells_run(RunConfig(), tricky)
    for part in ("X_train", "y_train", "X_test", "y_test"):
        assert made[part].dtype == getattr(app, part).dtype, part
        np.testing.assert_array_equal(made[part], getattr(app, part), err_msg=part)
    nbformat.validate(build_notebook(RunConfig(), tricky))
    assert file_stem(RunConfig(), tricky) == f"symmetry-lab-my--{name}-seed0"


START_CASES = [(name, symmetry) for name in INITIALIZER_NAMES for symmetry in SYMMETRY_NAMES]


@pytest.mark.parametrize(("initializer", "symmetry"), START_CASES)
def test_every_initializer_and_symmetric_start_is_the_apps(initializer, symmetry):
    # Every initializer meets every activation across the four starts (He's gain, scikit-learn's factor).
    activation = ACTIVATION_NAMES[(INITIALIZER_NAMES.index(initializer) + SYMMETRY_NAMES.index(symmetry)) % 4]
    config = RunConfig(dataset="blobs", n_samples=40, hidden=(3, 4), initializer=initializer, init_scale=0.7,
                       activation=activation, symmetry=symmetry, perturbation=0.01 * (symmetry != "none"),
                       epochs=0, seed=5)
    namespace, _ = exec_notebook(build_notebook(config))
    app_start = train(config).params_at(0)
    for (W, b), (W_app, b_app) in zip(namespace["start"], app_start, strict=True):
        np.testing.assert_array_equal(W, W_app)
        np.testing.assert_array_equal(b, b_app)


# --- training: the notebook, scikit-learn and the app ----------------------------------------------------

TRAINING = {
    "binary-gd": RunConfig(epochs=60),
    "3-classes-adam": RunConfig(dataset="blobs", optimizer="adam", learning_rate=0.02, epochs=12),
    "2-layers-momentum-l2": RunConfig(hidden=(6, 5), optimizer="momentum", learning_rate=0.05, l2=0.4,
                                      epochs=10),
    "3-layers-sgd-relu": RunConfig(dataset="xor", hidden=(5, 4, 3), activation="relu", optimizer="sgd",
                                   batch_size=50, epochs=10),
    "plane-gd-sigmoid": RunConfig(dataset="plane", activation="sigmoid", epochs=60, l2=0.2),
    "diabetes-adam": RunConfig(dataset="diabetes", optimizer="adam", learning_rate=0.01, batch_size=64,
                               epochs=8, l2=0.3),
    "gaussians-momentum": RunConfig(dataset="gaussians", hidden=(7,), optimizer="momentum",
                                    learning_rate=0.02, batch_size=40, epochs=8),
    "iris-linear-units": RunConfig(dataset="iris", hidden=(4, 4), activation="linear", epochs=40),
    "no-hidden-layer": RunConfig(hidden=(), epochs=40),
    "dropout": RunConfig(hidden=(6, 6), optimizer="sgd", dropout=0.3, epochs=10),
    "l1": RunConfig(dataset="wine", l1=0.3, l2=0.1, epochs=30),
    "same-fan-out": RunConfig(symmetry="same_fan_out", epochs=60),
}


@pytest.mark.parametrize("config", TRAINING.values(), ids=TRAINING.keys())
def test_the_notebook_trains_to_the_apps_numbers_and_scikit_learn_agrees(config):
    namespace, printed = exec_notebook(build_notebook(config))
    history = train(config)
    assert largest_disagreement(printed_finals(printed), history) <= TOLERANCE
    assert weight_difference(namespace["final"], history.final_params()) <= TOLERANCE
    if config.dropout > 0 or config.l1 > 0:
        assert "The scikit-learn cross-check is skipped because scikit-learn's MLP has no" in printed
        assert "model" not in namespace and sklearn_difference(printed) is None
        return
    model = namespace["model"]
    assert weight_difference(list(zip(model.coefs_, model.intercepts_)), history.final_params()) <= TOLERANCE
    assert sklearn_difference(printed) <= TOLERANCE


@pytest.mark.parametrize(("hidden", "optimizer"), [((5,), "gd"), ((7, 13), "adam"), ((16, 3, 6), "momentum")])
def test_an_identical_start_stays_exactly_tied(hidden, optimizer):
    config = RunConfig(symmetry="identical", hidden=hidden, optimizer=optimizer, learning_rate=0.05,
                       l2=0.1, epochs=15)
    namespace, printed = exec_notebook(build_notebook(config))
    assert all(gap == 0.0 for gaps in namespace["record"]["gaps"] for gap in gaps)
    assert all(value == 0.0 for name, value in printed_finals(printed).items() if "gap" in name)
    assert largest_disagreement(printed_finals(printed), train(config)) <= TOLERANCE


def test_the_try_this_next_cells_show_a_tie_a_nudge_and_dropout():
    _, printed = exec_notebook(build_notebook(RunConfig(epochs=40)))
    identical = re.search(r"identical start, gaps after 40 epochs: \[(.*)\]", printed).group(1)
    nudged = re.search(r"nudged start, gaps after 40 epochs: \[(.*)\]", printed).group(1)
    dropout = re.search(r"identical start with dropout, gaps after 40 epochs: \[(.*)\]", printed).group(1)
    assert float(identical) == 0.0 and float(nudged) > 0.0 and float(dropout) > 1e-3
    _, printed = exec_notebook(build_notebook(RunConfig(hidden=(), epochs=3)))
    assert "This network has no hidden layer" in printed


def test_a_diverging_run_stops_where_the_app_stops():
    config = RunConfig(learning_rate=100.0, activation="relu", epochs=50)
    history = train(config)
    _, printed = exec_notebook(build_notebook(config))
    assert history.diverged and f"diverged at epoch {history.epochs_completed + 1}" in printed
    assert largest_disagreement(printed_finals(printed), history) <= TOLERANCE
    assert sklearn_difference(printed) <= TOLERANCE


def test_embedded_rows_train_to_the_apps_numbers():
    config = RunConfig(dataset="circles", n_samples=100, epochs=40)
    _, printed = exec_notebook(build_notebook(config, data=load_dataset(config)))
    assert largest_disagreement(printed_finals(printed), train(config)) <= TOLERANCE


def test_a_near_tie_is_named_in_the_first_cell_and_measured_by_the_cross_check():
    """scikit-learn sums in another order; from a start 1e-12 off an unstable tie that rounding grows
    like the gap (measured 4.5e-5 here). The notebook says so up front and prints the difference, and
    its own numpy run still ends on the app's numbers."""
    config = RunConfig(dataset="blobs", n_samples=100, symmetry="identical", perturbation=1e-12,
                       learning_rate=1.0, epochs=200)
    notebook = build_notebook(config)
    assert caveats(config) and "**Not reproduced to 1e-9:**" in notebook.cells[0].source
    assert not caveats(RunConfig()) and "Not reproduced" not in build_notebook(RunConfig()).cells[0].source
    _, printed = exec_notebook(notebook)
    assert sklearn_difference(printed) > 1e-9 and "More than 1e-9 apart" in printed
    first = re.search(r"after one epoch, scikit-learn's weights differ from ours by at most (\S+)", printed)
    assert float(first.group(1)) < 1e-14  # the same mapping: only rounding, amplified later
    assert largest_disagreement(printed_finals(printed), train(config)) <= TOLERANCE
