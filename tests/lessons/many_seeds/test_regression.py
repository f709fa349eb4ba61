"""Many seeds on regression sets (plane, gaussians, diabetes): squared-error barriers checked by hand, the
linear-regression verdict (never "separable"), the seeds' function agreement as an RMS difference of
predictions, and figures that name squared error and R² — never log loss or accuracy."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.symmetry import barrier
from core.train import train_seeds
from lessons.many_seeds.agreement import (
    PredictionSpread,
    decision_grids,
    function_agreement,
    prediction_spread,
    predictions,
)
from lessons.many_seeds.agreement_figures import (
    agreement_figure,
    prediction_contours_figure,
    prediction_levels,
)
from lessons.many_seeds.analysis import straight_line, study_seeds
from lessons.many_seeds.convex import CONVEX_KINDS, convex_verdict, flat_directions
from lessons.many_seeds.figures import seed_losses_figure, straight_line_figure

REGRESSION_SETS = ("plane", "gaussians", "diabetes")


@functools.cache
def runs(config: RunConfig, count: int = 4):
    return tuple(train_seeds(config, range(count)))


@functools.cache
def study(config: RunConfig, count: int = 4):
    return study_seeds(runs(config, count), load_dataset(config))


# --- the straight line with squared error, by hand ------------------------------------------------------

def _mirror_pair():
    """Two linear-activation networks computing o = x: A = (1, 1), B = (−1, −1) (a sign flip of the unit).

    On the line θ(λ) both weights are 1 − 2λ, so o = (1 − 2λ)²·x, and on X = (1, −1), t = x the mean
    squared error is (1 − (1 − 2λ)²)²: 0 at both ends, 1 at λ = ½ — a barrier of exactly 1.
    """
    a = [(np.array([[1.0]]), np.zeros(1)), (np.array([[1.0]]), np.zeros(1))]
    b = [(np.array([[-1.0]]), np.zeros(1)), (np.array([[-1.0]]), np.zeros(1))]
    return a, b, np.array([[1.0], [-1.0]]), np.array([1.0, -1.0])


def test_squared_error_barrier_equals_the_hand_computation():
    a, b, X, y = _mirror_pair()
    line = straight_line(a, b, a, X, y, "linear", n=25, task="regression")
    lam = np.linspace(0.0, 1.0, 25)
    assert np.allclose(line.before, (1.0 - (1.0 - 2.0 * lam) ** 2) ** 2)
    assert line.barrier_before == pytest.approx(1.0)
    assert line.barrier_after == pytest.approx(0.0)  # "aligned" = A itself: a flat line
    assert barrier(a, b, X, y, "linear", 25, task="regression") == pytest.approx(1.0)


@pytest.mark.parametrize("name", REGRESSION_SETS)
def test_the_page_line_uses_squared_error_and_ends_at_the_seeds_training_losses(name):
    config = RunConfig(dataset=name, learning_rate=0.1)
    result, data = study(config), load_dataset(config)
    a, b = result.params[0], result.params[1]
    line = straight_line(a, b, result.alignment.aligned[1], data.X_train, data.y_train, "tanh",
                         task="regression")
    history_a, history_b = runs(config)[result.used[0]], runs(config)[result.used[1]]
    assert line.before[0] == pytest.approx(history_a.train_loss[-1])
    assert line.before[-1] == pytest.approx(history_b.train_loss[-1])
    assert line.barrier_before >= 0 and line.barrier_after >= 0


# --- the study: scores are R², agreement is a prediction spread -----------------------------------------

@pytest.mark.parametrize("name", REGRESSION_SETS)
def test_study_of_a_regression_set_reports_r2_and_a_prediction_spread(name):
    config = RunConfig(dataset=name, learning_rate=0.1)
    result = study(config)
    assert result.is_regression and result.usable
    histories = runs(config)
    assert np.allclose(result.test_score, [h.test_score[-1] for h in histories])
    assert np.isnan(result.test_accuracy).all()
    assert isinstance(result.agreement, PredictionSpread)
    assert 0 < result.agreement.between < 10 and result.agreement.target_spread > 0


def test_prediction_spread_by_hand():
    predicted = np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 2.0, 2.0]])
    targets = np.array([-1.0, 1.0, -1.0, 1.0])  # std 1
    spread = prediction_spread(predicted, targets)
    # pairs: (0,1) mean sq 1, (0,2) mean sq 2, (1,2) mean sq 1 → RMS over pairs √(4/3)
    assert spread.between == pytest.approx(np.sqrt(4 / 3))
    assert np.allclose(spread.from_reference, [0.0, 1.0, np.sqrt(2)])
    assert spread.target_spread == pytest.approx(1.0) and spread.relative == pytest.approx(np.sqrt(4 / 3))
    same = prediction_spread(np.ones((3, 5)), np.zeros(5))
    assert same.between == 0 and same.relative == 0  # no spread anywhere: not "infinitely" apart


def test_regression_predictions_are_the_output_values():
    a, _, X, _ = _mirror_pair()
    assert np.allclose(predictions([a, a], X, "linear", "regression"), [[1.0, -1.0], [1.0, -1.0]])
    assert isinstance(function_agreement([a, a], X, X[:, 0], "linear", "regression"), PredictionSpread)


# --- the convex contrast: linear regression -------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{"dataset": "plane"}, {"dataset": "gaussians"},
                                    {"dataset": "diabetes", "learning_rate": 0.1},
                                    {"dataset": "plane", "epochs": 3},
                                    {"dataset": "plane", "optimizer": "sgd"}])
def test_linear_regression_is_never_called_separable(kwargs):
    config = RunConfig(hidden=(), **kwargs)
    verdict = convex_verdict(runs(config, 4), load_dataset(config))
    assert verdict.kind in CONVEX_KINDS and verdict.kind != "separable"
    assert verdict.is_regression and np.isnan(verdict.train_accuracy)


@pytest.mark.parametrize("name", ["plane", "gaussians"])
def test_linear_regression_seeds_reach_the_same_weights(name):
    config = RunConfig(dataset=name, hidden=())
    verdict = convex_verdict(runs(config, 4), load_dataset(config))
    assert verdict.kind in ("same", "converging")
    assert verdict.flat_directions == 0  # full-rank inputs: strictly convex, one lowest point


def test_flat_directions_count_inputs_the_data_never_vary_along():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    assert flat_directions(X) == 0
    assert flat_directions(np.column_stack([X, X[:, 0] + X[:, 1]])) == 1
    assert flat_directions(np.column_stack([X, np.full(50, 2.0)])) == 1


# --- figures --------------------------------------------------------------------------------------------

def _texts(fig) -> str:
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False)


@pytest.mark.parametrize("name", REGRESSION_SETS)
def test_regression_figures_name_squared_error_and_r2(name):
    config = RunConfig(dataset=name, learning_rate=0.1)
    result, data = study(config), load_dataset(config)
    losses = seed_losses_figure(result, 1)
    assert losses.layout.yaxis.title.text == "test squared error"
    assert "R²" in losses.data[0].hovertemplate and "R²" in losses.layout.title.subtitle.text
    a, b = result.params[0], result.params[1]
    line = straight_line(a, b, result.alignment.aligned[1], data.X_train, data.y_train, "tanh",
                         task="regression")
    line_fig = straight_line_figure(line, 0, 1, task="regression")
    assert line_fig.layout.yaxis.title.text == "training squared error"
    if data.is_2d:
        grids = decision_grids(result.params, data.X_train, "tanh", size=15, task="regression")
        assert grids.regression and not grids.binary
        plane = prediction_contours_figure(grids, data, [0, 1, 2, 3], 1, result.agreement)
        assert "Prediction contours of all 4 seeds" in plane.layout.title.text
        contours = [t for t in plane.data if t.type == "contour"]
        assert len(contours) == 4 and contours[0].contours.start == pytest.approx(prediction_levels(data)[0])
        figures = [losses, line_fig, plane]
    else:
        bars = agreement_figure(result, 1)
        assert "Test predictions compared with seed 0's" in bars.layout.title.text
        assert "targets' spread" in bars.layout.title.subtitle.text
        figures = [losses, line_fig, bars]
    for fig in figures:
        text = _texts(fig)
        assert "accuracy" not in text and "log loss" not in text
