"""Exact ties (core.ties): copies stay copies bit for bit in every trainer, and nothing else is touched.

The grid is wide on purpose: the rounding that used to split copies depended on the width (not a
multiple of the SIMD width), the batch size and the optimizer, so the defaults alone would hide it.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import RunConfig
from core.symmetry import unit_vectors
from core.ties import TieSharing, representatives
from core.train import History, train, train_seeds, train_starts

DATASETS = ("moons", "circles", "xor", "spiral", "iris", "digits", "gaussians", "diabetes")


def all_equal(history: History) -> bool:
    """Every hidden layer's units bitwise equal at every snapshot, and the recorded gap exactly 0.0."""
    for layer, gaps in enumerate(history.symmetry_gap):
        if not np.all(gaps == 0.0):
            return False
        for snapshot in range(len(history.steps)):
            rows = unit_vectors(history.params_at(snapshot), layer)
            if not np.array_equal(rows, np.broadcast_to(rows[:1], rows.shape)):
                return False
    return True


def same_history(a: History, b: History) -> bool:
    arrays = lambda h: (*h.weights, *h.biases, h.train_loss, h.test_loss, *h.symmetry_gap)  # noqa: E731
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(arrays(a), arrays(b), strict=True))


configs = st.builds(
    lambda dataset, hidden, activation, optimizer, batch, l2, l1, initializer, seed: RunConfig(
        dataset=dataset, n_samples=120, noise=0.15, hidden=hidden, activation=activation,
        initializer=initializer, symmetry="identical", optimizer=optimizer, batch_size=batch,
        learning_rate={"gd": 0.5, "sgd": 0.2, "momentum": 0.1, "adam": 0.02}[optimizer],
        l2=l2, l1=l1, epochs=8 if dataset == "digits" else 25, seed=seed,
    ),
    dataset=st.sampled_from(DATASETS),
    hidden=st.lists(st.integers(1, 64), min_size=1, max_size=3).map(tuple),
    activation=st.sampled_from(["relu", "tanh", "sigmoid", "linear"]),
    optimizer=st.sampled_from(["gd", "sgd", "momentum", "adam"]),
    batch=st.sampled_from([1, 7, 32, 100]),
    l2=st.sampled_from([0.0, 0.5]),
    l1=st.sampled_from([0.0, 0.3]),
    initializer=st.sampled_from(["he_normal", "glorot_uniform", "orthogonal", "torch_default"]),
    seed=st.integers(0, 10_000),
)


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(config=configs)
def test_an_identical_start_stays_exactly_identical_in_every_trainer(config):
    assert all_equal(train(config)), "train"
    assert all(all_equal(history) for history in train_seeds(config, [config.seed, config.seed + 1])), \
        "train_seeds"
    batched = train_starts([config.replace(symmetry="none"), config, config.replace(perturbation=1e-6)])
    assert all_equal(batched[1]), "train_starts"
    if config.hidden[0] > 1:  # the nudged copy trained beside it is not snapped
        assert batched[2].symmetry_gap[0][0] > 0.0


@pytest.mark.parametrize("width", [3, 5, 6, 7, 9, 13, 17, 33, 64])
@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_widths_that_are_not_multiples_of_eight_keep_the_tie(width, optimizer):
    config = RunConfig(dataset="circles", n_samples=300, noise=0.1, hidden=(width,), initializer="he_normal",
                       symmetry="identical", optimizer=optimizer, batch_size=32,
                       learning_rate=0.3 if optimizer != "adam" else 0.03, epochs=60, seed=11)
    history = train(config)
    assert np.all(history.symmetry_gap[0] == 0.0)


def test_the_circles_case_of_issue_11_stays_exact():
    """The URL that showed 'Largest unit difference 17.3' under 'they stay identical forever'."""
    config = RunConfig(dataset="circles", n_samples=300, noise=0.1, hidden=(6,), activation="tanh",
                       initializer="he_normal", symmetry="identical", optimizer="momentum", batch_size=32,
                       learning_rate=0.3, epochs=300, seed=11)
    assert np.all(train(config).symmetry_gap[0] == 0.0)
    assert train(config, exact_ties=False).symmetry_gap[0][-1] > 1.0  # the plain kernels split it


@pytest.mark.parametrize(
    "changes",
    [
        {"symmetry": "none"},
        {"symmetry": "identical", "perturbation": 1e-15},
        {"symmetry": "identical", "perturbation": 1e-6},
        {"symmetry": "identical", "dropout": 0.2},
        {"symmetry": "same_fan_in"},
        {"symmetry": "same_fan_out"},
    ],
    ids=["random", "nudge-1e-15", "nudge-1e-6", "dropout", "same-fan-in", "same-fan-out"],
)
@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_units_that_differ_train_bit_for_bit_as_without_sharing(changes, optimizer):
    """Nothing is snapped: a run with no exact tie is untouched, alone or batched beside a tied run."""
    config = RunConfig(dataset="xor", n_samples=160, hidden=(7, 5), optimizer=optimizer, batch_size=16,
                       learning_rate=0.05 if optimizer == "adam" else 0.3, epochs=40, **changes)
    assert same_history(train(config), train(config, exact_ties=False))
    tied = config.replace(symmetry="identical", perturbation=0.0, dropout=config.dropout)
    if tied.dropout == 0:
        shared, plain = train_starts([tied, config]), train_starts([tied, config], exact_ties=False)
        assert same_history(shared[1], plain[1])


@pytest.mark.parametrize("epsilon", [1e-15, 1e-12])
def test_a_nudge_at_round_off_scale_still_separates_and_grows_on_xor(epsilon):
    config = RunConfig(dataset="xor", symmetry="identical", perturbation=epsilon, epochs=800)
    gaps = train(config).symmetry_gap[0]
    assert 0.0 < gaps[0] < 1e3 * epsilon
    assert gaps[-1] > 1e6 * gaps[0]


def test_dropout_separates_an_identical_start():
    history = train(RunConfig(dataset="xor", symmetry="identical", dropout=0.1, epochs=200))
    assert history.symmetry_gap[0][0] == 0.0 and history.symmetry_gap[0][-1] > 1e-3


def test_representatives_group_by_exact_equality_only():
    rows = np.array([[[1.0, 2.0], [0.0, 1.0], [1.0, 2.0], [1.0, 2.0 + 2**-51], [0.0, 1.0]]])
    assert representatives(rows).tolist() == [[0, 1, 0, 3, 1]]


def test_sharing_is_off_when_there_is_nothing_to_share_or_noise_is_per_unit():
    rng = np.random.default_rng(0)
    random = [(rng.normal(size=(1, 2, 4)), rng.normal(size=(1, 4))),
              (rng.normal(size=(1, 4, 1)), np.zeros((1, 1)))]
    assert TieSharing.find(random, per_unit_noise=False) is None
    tied = [(np.ones((1, 2, 4)), np.zeros((1, 4))), (np.ones((1, 4, 1)), np.zeros((1, 1)))]
    assert TieSharing.find(tied, per_unit_noise=True) is None
    assert TieSharing.find(tied, per_unit_noise=False).groups[0].tolist() == [[0, 0, 0, 0]]


def test_sharing_copies_incoming_column_bias_and_outgoing_row_of_the_representative():
    # Layer 1: units 0 and 2 tied; layer 2: units 1 and 2 tied.
    sharing = TieSharing([np.array([[0, 1, 0]]), np.array([[0, 1, 1]])])
    rng = np.random.default_rng(1)
    grads = [(rng.normal(size=(1, 2, 3)), rng.normal(size=(1, 3))),
             (rng.normal(size=(1, 3, 3)), rng.normal(size=(1, 3))),
             (rng.normal(size=(1, 3, 1)), rng.normal(size=(1, 1)))]
    before = [(W.copy(), b.copy()) for W, b in grads]
    sharing.share(grads)
    assert np.array_equal(grads[0][0][0, :, 2], before[0][0][0, :, 0])
    assert grads[0][1][0, 2] == before[0][1][0, 0]
    W2, W2_before = grads[1][0][0], before[1][0][0]
    for i, k in np.ndindex(3, 3):
        assert W2[i, k] == W2_before[[0, 1, 0][i], [0, 1, 1][k]]
    assert np.array_equal(grads[2][0][0, 2], before[2][0][0, 1])
    assert np.array_equal(grads[0][0][0, :, :2], before[0][0][0, :, :2])  # representatives unchanged


def test_sharing_handles_interleaved_groups_and_several_runs():
    # Run 0: units 0, 2, 4 alike and 1, 3 alike (not contiguous); run 1: no ties.
    sharing = TieSharing([np.array([[0, 1, 0, 1, 0], [0, 1, 2, 3, 4]])])
    rng = np.random.default_rng(2)
    grads = [(rng.normal(size=(2, 3, 5)), rng.normal(size=(2, 5))),
             (rng.normal(size=(2, 5, 2)), rng.normal(size=(2, 2)))]
    before = [(W.copy(), b.copy()) for W, b in grads]
    sharing.share(grads)
    source = [0, 1, 0, 1, 0]
    assert np.array_equal(grads[0][0][0], before[0][0][0][:, source])
    assert np.array_equal(grads[0][1][0], before[0][1][0][source])
    assert np.array_equal(grads[1][0][0], before[1][0][0][source, :])
    for (W, b), (W0, b0) in zip(grads, before):  # the untied run is untouched
        assert np.array_equal(W[1], W0[1]) and np.array_equal(b[1], b0[1])
