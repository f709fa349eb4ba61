"""The edges of what the sidebar and the URL allow: the engine must give a clear answer, never a crash.

A class will find every edge within minutes: the largest learning rate (divergence), the fewest points
(could a split lose a class?), layers one unit wide, zero epochs, noise at 0 and at 1, and every number
at the end of its range. For each, core must either train to finite numbers or stop with a message that
says what happened and what to change — and the figures must still build, as strict JSON a browser can
parse (a NaN token would leave a blank chart). The app-level versions of these cases are in
tests/app/test_url_fuzz.py.
"""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from core.config import FIELDS, RunConfig, settle_config
from core.datasets import DATASETS, Dataset, load_dataset
from core.optimizers import OPTIMIZERS
from core.train import History, train, train_seeds
from figures import animation, charts

GENERATED = [name for name, spec in DATASETS.items() if spec.is_generated]
BUNDLED = [name for name, spec in DATASETS.items() if not spec.is_generated]
BUNDLED_CLASSES = [name for name in BUNDLED if DATASETS[name].task == "classification"]
FEWEST_POINTS = int(FIELDS["n_samples"].low)
DIVERGING = RunConfig(activation="linear", initializer="he_normal", learning_rate=2.0, hidden=(32, 32),
                      epochs=400)


def figures(history: History, data: Dataset) -> list[go.Figure]:
    """Every figure the Home and Weight-trajectories pages build from one run."""
    built = [charts.loss_figure(history), charts.accuracy_figure(history),
             charts.symmetry_gap_figure(history), animation.training_animation(history, data, 0)]
    for layer in range(len(history.config.hidden)):
        built += [charts.unit_weights_figure(history, layer), charts.output_weights_figure(history, layer)]
    return built


def _refuse(constant: str) -> float:
    raise ValueError(f"{constant} in a figure's JSON: browsers cannot parse it, the chart stays blank")


def assert_strict_json(figure: go.Figure) -> None:
    json.loads(figure.to_json(), parse_constant=_refuse)


def assert_consistent(history: History) -> None:
    """Either every recorded number is finite, or the run says it diverged and why."""
    per_epoch = (history.train_loss, history.test_loss, history.train_score, history.test_score)
    assert all(len(values) == history.epochs_completed + 1 for values in per_epoch)
    assert all(np.isfinite(values).all() for values in per_epoch)
    assert all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in history.final_params())
    assert history.steps[0] == 0 and history.steps[-1] == history.epochs_completed
    if history.diverged:
        assert "diverged" in history.message
        assert "learning rate" in history.message
    else:
        assert history.message == "" and history.epochs_completed == history.config.epochs


# --- divergence ------------------------------------------------------------------------------------------

def test_a_huge_learning_rate_stops_with_a_clear_message_and_finite_numbers():
    history = train(DIVERGING)
    assert history.diverged and 0 < history.epochs_completed < DIVERGING.epochs
    assert f"learning rate {DIVERGING.learning_rate:g} is too large" in history.message
    assert f"epoch {history.epochs_completed + 1}" in history.message
    assert_consistent(history)
    for figure in figures(history, load_dataset(DIVERGING)):
        assert_strict_json(figure)


def test_divergence_at_the_very_first_step_still_leaves_the_start_to_show():
    config = RunConfig(activation="linear", learning_rate=100.0, optimizer="momentum", momentum=0.999,
                       hidden=(8, 8), epochs=100)
    history = train(config)
    assert history.diverged and history.epochs_completed == 0
    assert_consistent(history)
    for figure in figures(history, load_dataset(config)):
        assert_strict_json(figure)


def test_seeds_trained_together_diverge_each_on_their_own():
    """The many-seeds page trains seeds in one batch: one seed's divergence must not cut the others."""
    histories = train_seeds(DIVERGING.replace(epochs=60, learning_rate=2.0), range(6))
    for history in histories:
        assert_consistent(history)
    assert len({history.epochs_completed for history in histories}) > 1


# --- the smallest data -----------------------------------------------------------------------------------

@pytest.mark.parametrize("noise", [FIELDS["noise"].low, FIELDS["noise"].high])
@pytest.mark.parametrize("name", GENERATED)
def test_the_fewest_points_keep_every_class_in_both_splits(name, noise):
    """One class in a split would make accuracy meaningless and the loss degenerate. The split is
    stratified and every generator balances its classes, so with the fewest points allowed each split
    still holds every class — for any data seed."""
    for data_seed in range(3):
        config = RunConfig(dataset=name, n_samples=FEWEST_POINTS, noise=noise, data_seed=data_seed)
        data = load_dataset(config)
        if data.task == "regression":  # no classes; the targets must still have a spread to explain
            assert data.y_train.std() > 0 and data.y_test.std() > 0
        else:
            classes = set(range(data.n_classes))
            assert set(data.y_train.tolist()) == classes and set(data.y_test.tolist()) == classes
        assert len(data.y_train) + len(data.y_test) == FEWEST_POINTS
        assert np.isfinite(data.X_train).all() and np.isfinite(data.X_test).all()


@pytest.mark.parametrize("name", BUNDLED_CLASSES)
def test_bundled_sets_keep_every_class_in_both_splits(name):
    data = load_dataset(RunConfig(dataset=name))
    classes = set(range(data.n_classes))
    assert set(data.y_train.tolist()) == classes and set(data.y_test.tolist()) == classes


@pytest.mark.parametrize("name", GENERATED)
def test_the_fewest_points_train(name):
    config = RunConfig(dataset=name, n_samples=FEWEST_POINTS, noise=FIELDS["noise"].high, epochs=20,
                       optimizer="sgd", batch_size=FIELDS["batch_size"].high)  # one batch: the whole split
    assert_consistent(train(config))


@pytest.mark.parametrize("name", ["moons", "blobs"])  # two and three classes (one output, softmax)
def test_the_fewest_points_draw(name):
    config = RunConfig(dataset=name, n_samples=FEWEST_POINTS, epochs=20)
    for figure in figures(train(config), load_dataset(config)):
        assert_strict_json(figure)


# --- the narrowest networks, the shortest runs ----------------------------------------------------------

@pytest.mark.parametrize("hidden", [(1,), (1, 1, 1), (16, 1), (1, 16)], ids=lambda h: "-".join(map(str, h)))
def test_layers_one_unit_wide_train_and_report_a_zero_gap(hidden):
    """A single unit has no other unit to differ from: its layer's symmetry gap is exactly 0, not NaN."""
    config = RunConfig(hidden=hidden, epochs=30)
    history = train(config)
    assert_consistent(history)
    for layer, width in enumerate(hidden):
        gaps = history.symmetry_gap[layer]
        assert np.isfinite(gaps).all()
        if width == 1:
            assert (gaps == 0).all()


def test_layers_one_unit_wide_draw():
    config = RunConfig(hidden=(1, 1, 1), epochs=30)
    for figure in figures(train(config), load_dataset(config)):
        assert_strict_json(figure)


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_zero_epochs_records_the_start_only(optimizer):
    assert FIELDS["epochs"].low == 0  # the smallest number of epochs the URL allows
    history = train(RunConfig(optimizer=optimizer, dropout=0.5, epochs=0))
    assert_consistent(history)
    assert history.steps.tolist() == [0] and history.epochs_completed == 0


@pytest.mark.parametrize("hidden", [(), (4, 4, 4)], ids=["none", "4-4-4"])
def test_zero_epochs_draws(hidden):
    config = RunConfig(hidden=hidden, epochs=0)
    for figure in figures(train(config), load_dataset(config)):
        assert_strict_json(figure)


# --- every number at both ends of its range ------------------------------------------------------------

NUMERIC = [name for name, spec in FIELDS.items() if spec.kind in (int, float) and name != "epochs"]


@pytest.mark.parametrize("end", ["low", "high"])
@pytest.mark.parametrize("name", NUMERIC)
def test_every_number_at_the_end_of_its_range_trains_or_explains(name, end):
    """Each setting at its extreme, the others at their defaults (a few epochs, and minibatch training
    with dropout so that batch size, momentum and dropout matter): finite numbers or a clear message."""
    value = getattr(FIELDS[name], end)
    base = {"epochs": 5, "optimizer": "momentum", "dropout": 0.2, "hidden": (4, 4)}
    config, notes = settle_config({**base, name: value}, parse=lambda _name, v: v,
                                  complain=lambda *args: f"refused {args}")
    assert not [note for note in notes if note.startswith("refused")], notes
    assert getattr(config, name) == FIELDS[name].kind(value)
    history = train(config)
    assert_consistent(history)
