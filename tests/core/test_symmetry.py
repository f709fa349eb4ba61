"""Unit distances, the symmetry gap and its growth rate, weight matching, and the loss barrier."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.network import ACTIVATIONS, forward, forward_logits, loss_and_gradients
from core.symmetry import (
    barrier,
    cosine_similarities,
    distinct_units,
    distinct_units_from_distances,
    fit_growth,
    interpolate,
    interpolation_losses,
    match_units,
    pairwise_distances,
    permute,
    symmetry_gap,
    symmetry_gaps,
    unit_vectors,
)


def random_params(sizes, seed=0, leading=()):
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(size=(*leading, a, b)), rng.normal(size=(*leading, b)))
        for a, b in itertools.pairwise(sizes)
    ]


def copy_unit(params, layer, source, target):
    """Make unit `target` of hidden layer `layer` an exact copy of unit `source` (fan-in, bias, fan-out)."""
    W_in, b = params[layer]
    W_out, _ = params[layer + 1]
    W_in[..., target] = W_in[..., source]
    b[..., target] = b[..., source]
    W_out[..., target, :] = W_out[..., source, :]


def naive_gap(units):
    """The definition, spelled out: largest ‖u_i − u_j‖ over all pairs."""
    return max(np.linalg.norm(u - v) for u, v in itertools.product(units, repeat=2))


# --- unit vectors, distances, cosines ---------------------------------------------------------------

# Hidden layer of width 3 with one input and one output: unit vectors [w_in, b, w_out] are
# u0 = (0, 0, 0), u1 = (3, 0, 0), u2 = (0, 0, 4).
HAND = [(np.array([[0.0, 3.0, 0.0]]), np.zeros(3)), (np.array([[0.0], [0.0], [4.0]]), np.array([0.5]))]


def test_unit_vectors_are_fan_in_then_bias_then_fan_out():
    params = [(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([5.0, 6.0])),
              (np.array([[7.0, 8.0, 9.0], [10.0, 11.0, 12.0]]), np.zeros(3))]
    np.testing.assert_array_equal(unit_vectors(params, 0), [[1, 3, 5, 7, 8, 9], [2, 4, 6, 10, 11, 12]])


def test_the_output_layer_is_not_a_hidden_layer():
    with pytest.raises(IndexError):
        unit_vectors(HAND, 1)
    with pytest.raises(IndexError):
        symmetry_gap(HAND, -1)


def test_distances_on_a_hand_computed_case():
    np.testing.assert_array_equal(pairwise_distances(HAND, 0), [[0, 3, 4], [3, 0, 5], [4, 5, 0]])
    assert symmetry_gap(HAND, 0) == 5.0


def test_cosines_on_hand_computed_cases():
    # u0 is the zero vector: cosine 1 with itself, 0 with anything else.
    np.testing.assert_array_equal(cosine_similarities(HAND, 0), [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    # u0 = (1, 1, 0), u1 = (1, 0, 0), u2 = (-2, -2, 0), u3 = (0, 0, 0)
    params = [(np.array([[1.0, 1.0, -2.0, 0.0]]), np.array([1.0, 0.0, -2.0, 0.0])),
              (np.zeros((4, 1)), np.zeros(1))]
    r = 1 / math.sqrt(2)
    expected = [[1, r, -1, 0], [r, 1, -r, 0], [-1, -r, 1, 0], [0, 0, 0, 1]]
    np.testing.assert_allclose(cosine_similarities(params, 0), expected, rtol=0, atol=1e-15)


def test_two_zero_units_are_alike():
    params = [(np.zeros((2, 3)), np.zeros(3)), (np.zeros((3, 1)), np.zeros(1))]
    np.testing.assert_array_equal(cosine_similarities(params, 0), np.ones((3, 3)))
    assert symmetry_gap(params, 0) == 0.0
    assert distinct_units(params, 0) == 1


@pytest.mark.parametrize("hidden", [(6,), (5, 7), (4, 40, 3)])
def test_copied_units_are_exactly_zero_apart(hidden):
    # Awkward values (thirds, large and tiny magnitudes): the |a|² + |b|² − 2ab shortcut would leave
    # ~1e-8 of rounding noise here; differences give exactly zero.
    params = random_params([3, *hidden, 2], seed=1)
    for W, b in params:
        W *= 1e3 / 3
        b += 1 / 3
    for layer in range(len(hidden)):
        copy_unit(params, layer, 0, 2)
        distances = pairwise_distances(params, layer)
        assert distances[0, 2] == 0.0 and distances[2, 0] == 0.0
        assert np.all(np.diag(distances) == 0.0)
        np.testing.assert_array_equal(distances, distances.T)
        assert cosine_similarities(params, layer)[0, 2] == 1.0
        assert distances[0, 1] > 0


@pytest.mark.parametrize("width", [1, 5, 40, 64])
def test_a_layer_of_copies_has_a_gap_of_exactly_zero(width):
    # Width 64 with 64-wide neighbours and 3 seeds exercises symmetry_gaps' loop over pair offsets.
    params = random_params([64, width, 64], seed=2, leading=(3,))
    for W, _ in params:
        W *= 1 / 3
    for unit in range(1, width):
        copy_unit(params, 0, 0, unit)
    (W_in, b), (W_out, _) = params
    np.testing.assert_array_equal(symmetry_gaps(W_in, b, W_out), np.zeros(3))
    assert symmetry_gap([(W_in[1], b[1]), (W_out[1], params[1][1][1])], 0) == 0.0


@pytest.mark.parametrize(
    ("leading", "fan_in", "width", "fan_out"),
    [((), 2, 1, 1), ((), 2, 8, 1), ((4,), 2, 8, 1), ((2, 3), 3, 5, 3), ((3,), 64, 64, 64), ((2,), 5, 40, 2)],
)
def test_vectorized_gaps_equal_the_per_network_definition(leading, fan_in, width, fan_out):
    rng = np.random.default_rng(width)
    W_in = rng.normal(size=(*leading, fan_in, width))
    b = rng.normal(size=(*leading, width))
    W_out = rng.normal(size=(*leading, width, fan_out))
    gaps = symmetry_gaps(W_in, b, W_out)
    assert gaps.shape == leading
    for index in np.ndindex(leading):
        params = [(W_in[index], b[index]), (W_out[index], np.zeros(fan_out))]
        assert gaps[index] == pytest.approx(symmetry_gap(params, 0), rel=1e-13)
        assert gaps[index] == pytest.approx(pairwise_distances(params, 0).max(), rel=1e-13)
        assert gaps[index] == pytest.approx(naive_gap(unit_vectors(params, 0)), rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    n_seeds=st.integers(1, 4), fan_in=st.integers(1, 4), width=st.integers(1, 9), fan_out=st.integers(1, 3),
    seed=st.integers(0, 2**16), n_copies=st.integers(0, 3),
)
def test_gap_is_the_largest_pairwise_distance(n_seeds, fan_in, width, fan_out, seed, n_copies):
    params = random_params([fan_in, width, fan_out], seed=seed, leading=(n_seeds,))
    for target in range(1, min(n_copies + 1, width)):
        copy_unit(params, 0, 0, target)
    (W_in, b), (W_out, _) = params
    gaps = symmetry_gaps(W_in, b, W_out)
    for s in range(n_seeds):
        units = unit_vectors([(W_in[s], b[s]), (W_out[s], np.zeros(fan_out))], 0)
        assert gaps[s] == pytest.approx(naive_gap(units), rel=1e-12)
    if n_copies >= width - 1:
        assert np.all(gaps == 0.0)


def test_gaps_of_diverged_weights_are_not_finite_and_silent():
    W_in, b, W_out = np.array([[[np.inf, 1.0]], [[0.0, 1.0]]]), np.zeros((2, 2)), np.zeros((2, 2, 1))
    gaps = symmetry_gaps(W_in, b, W_out)  # pytest turns a RuntimeWarning from core into an error
    assert not np.isfinite(gaps[0]) and gaps[1] == 1.0


# --- distinct units ------------------------------------------------------------------------------------

def test_distinct_units_counts_hand_made_clusters():
    # Units 0-2 exact copies, 3-4 differ by 1e-9, 5 stands alone: three groups at tol 1e-6.
    params = random_params([2, 6, 1], seed=3)
    copy_unit(params, 0, 0, 1)
    copy_unit(params, 0, 0, 2)
    copy_unit(params, 0, 3, 4)
    params[0][1][4] += 1e-9
    assert distinct_units(params, 0) == 3
    assert distinct_units(params, 0, tol=0.0) == 4  # only exact copies merge
    assert distinct_units(params, 0, tol=1e3) == 1
    assert distinct_units(random_params([2, 6, 1], seed=4), 0) == 6


def test_distinct_units_uses_single_linkage():
    # A chain 0 — 1 — 2 of steps below tol is one group even though 0 and 2 are further apart than tol.
    positions = np.array([0.0, 0.6e-6, 1.2e-6, 5.0])
    distances = np.abs(positions[:, None] - positions[None, :])
    assert distinct_units_from_distances(distances, tol=1e-6) == 2
    assert distinct_units_from_distances(distances, tol=0.5e-6) == 4
    assert distinct_units_from_distances(np.zeros((0, 0))) == 0


@pytest.mark.parametrize("width", [1, 2, 5, 16])
def test_distinct_units_shortcuts_agree_with_the_graph_count(width):
    """The all-apart and all-alike shortcuts give what connected components give, at every tolerance."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(width)
    points = rng.normal(size=(width, 3)) * rng.choice([0.0, 1e-7, 1.0], size=(width, 1))
    distances = np.linalg.norm(points[:, None] - points[None, :], axis=-1)
    for tol in (0.0, 1e-9, 1e-6, 0.5, 10.0):
        expected = connected_components(csr_matrix(distances <= tol), directed=False)[0]
        assert distinct_units_from_distances(distances, tol) == expected


# --- growth rate --------------------------------------------------------------------------------------

def test_growth_rate_recovers_an_exponential_and_stops_at_the_ceiling():
    epochs = np.arange(500)
    gaps = 1e-10 * np.exp(0.05 * epochs)
    fit = fit_growth(gaps)
    assert fit.rate == pytest.approx(0.05, rel=1e-9)
    assert fit.intercept == pytest.approx(math.log(1e-10), rel=1e-9)
    first_above = int(np.argmax(gaps >= 1e-3))  # ln(1e7)/0.05 ≈ 322.4 → epoch 323
    assert first_above == 323
    assert (fit.first_epoch, fit.last_epoch, fit.ceiling_epoch) == (0, 322, 323)
    assert fit_growth(gaps).rate == fit.rate
    # Beyond the ceiling the curve saturates; that must not bend the fitted slope.
    saturated = np.minimum(gaps, 2e-3)
    assert fit_growth(saturated).rate == pytest.approx(0.05, rel=1e-9)


def test_growth_rate_is_negative_when_the_gap_decays():
    gaps = 1e-4 * np.exp(-0.02 * np.arange(300))
    assert fit_growth(gaps).rate == pytest.approx(-0.02, rel=1e-9)
    assert fit_growth(gaps).ceiling_epoch is None


def test_growth_rate_skips_leading_zeros_and_uses_given_epochs():
    epochs = np.arange(0, 200, 5)
    gaps = 1e-14 * np.exp(0.1 * epochs)
    gaps[:3] = 0.0  # exactly symmetric at the start: no logarithm, so the fit starts at epoch 15
    fit = fit_growth(gaps, epochs)
    assert fit.rate == pytest.approx(0.1, rel=1e-9)
    assert fit.first_epoch == 15
    assert fit.ceiling_epoch is None  # 1e-3 would be reached only at epoch ≈ 253, after the last one


@pytest.mark.parametrize(
    "gaps",
    [np.zeros(50), [0.0, 0.0, 1e-12, 1e-11], [1e-12, 1e-11], 1e-2 * np.exp(0.1 * np.arange(20)),
     [1e-12, 1e-11, np.nan, 1e-9, 1e-8], []],
    ids=["all zero", "two points", "too short", "starts above ceiling", "diverges after two", "empty"],
)
def test_growth_rate_is_nan_with_fewer_than_three_usable_points(gaps):
    assert math.isnan(fit_growth(np.asarray(gaps, dtype=float)).rate)


# --- permutations --------------------------------------------------------------------------------------

def random_perms(hidden, seed):
    rng = np.random.default_rng(seed)
    return [rng.permutation(width) for width in hidden]


@pytest.mark.parametrize("n_outputs", [1, 2, 3])
@pytest.mark.parametrize("hidden", [(5,), (4, 6), (3, 5, 4)])
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_permuting_units_preserves_the_function(hidden, n_outputs, activation):
    params = random_params([3, *hidden, n_outputs], seed=len(hidden) + n_outputs)
    X = np.random.default_rng(9).normal(size=(20, 3))
    perms = random_perms(hidden, seed=7)
    assert all(np.any(perm != np.arange(len(perm))) for perm in perms)  # a real reordering, not identity
    permuted = permute(params, perms)
    before, after = forward(params, X, activation), forward(permuted, X, activation)
    np.testing.assert_allclose(after[-1], before[-1], rtol=0, atol=1e-12)
    for layer, perm in enumerate(perms):  # hidden outputs are the same columns, reordered
        np.testing.assert_allclose(after[layer + 1], before[layer + 1][:, perm], rtol=0, atol=1e-12)


def test_permute_moves_fan_in_bias_and_fan_out_together_and_copies():
    params = random_params([2, 4, 3, 1], seed=5)
    original = [(W.copy(), b.copy()) for W, b in params]
    perms = random_perms((4, 3), seed=6)
    permuted = permute(params, perms)
    for layer, perm in enumerate(perms):
        np.testing.assert_array_equal(unit_vectors(permuted, layer), _units_reordered(params, perms, layer))
        np.testing.assert_array_equal(permuted[layer][1], params[layer][1][perm])
    for (W, b), (W0, b0) in zip(params, original, strict=True):  # the input is untouched
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    permuted[0][0][:] = 0.0
    assert np.any(params[0][0] != 0.0)


def _units_reordered(params, perms, layer):
    """What unit j of the permuted layer must be: unit perms[layer][j], with its neighbours' order applied."""
    W_in, b = params[layer]
    W_out, _ = params[layer + 1]
    if layer > 0:
        W_in = W_in[perms[layer - 1], :]
    if layer + 1 < len(perms):
        W_out = W_out[:, perms[layer + 1]]
    perm = perms[layer]
    return np.concatenate([W_in[:, perm].T, b[perm, None], W_out[perm]], axis=1)


def test_permute_works_on_stacked_networks():
    stacked = random_params([2, 4, 3, 2], seed=8, leading=(3,))
    perms = random_perms((4, 3), seed=9)
    together = permute(stacked, perms)
    for s in range(3):
        alone = permute([(W[s], b[s]) for W, b in stacked], perms)
        for (W, b), (W1, b1) in zip(together, alone, strict=True):
            np.testing.assert_array_equal(W[s], W1)
            np.testing.assert_array_equal(b[s], b1)


def test_permute_rejects_wrong_permutations():
    params = random_params([2, 3, 1], seed=0)
    with pytest.raises(ValueError, match="one permutation per hidden layer"):
        permute(params, [])
    with pytest.raises(ValueError, match="not a permutation"):
        permute(params, [np.array([0, 0, 1])])
    with pytest.raises(ValueError, match="not a permutation"):
        permute(params, [np.array([0, 1])])


# --- weight matching -----------------------------------------------------------------------------------

@pytest.mark.parametrize("hidden", [(6,), (16,), (5, 7), (8, 8), (4, 6, 5)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matching_recovers_a_known_permutation_exactly(hidden, seed):
    A = random_params([3, *hidden, 2], seed=seed)
    shuffle = random_perms(hidden, seed=seed + 100)
    B = permute(A, shuffle)
    perms = match_units(A, B)
    assert len(perms) == len(hidden)
    for perm, applied in zip(perms, shuffle, strict=True):
        np.testing.assert_array_equal(perm, np.argsort(applied))  # the inverse of the shuffle
    for (W, b), (WA, bA) in zip(permute(B, perms), A, strict=True):
        np.testing.assert_array_equal(W, WA)
        np.testing.assert_array_equal(b, bA)


@pytest.mark.parametrize("hidden", [(10,), (6, 9), (5, 4, 6)])
def test_matching_recovers_the_permutation_of_a_noisy_copy(hidden):
    A = random_params([4, *hidden, 3], seed=11)
    noise = random_params([4, *hidden, 3], seed=12)
    shuffle = random_perms(hidden, seed=13)
    B = permute([(W + 0.05 * nW, b + 0.05 * nb) for (W, b), (nW, nb) in zip(A, noise, strict=True)], shuffle)
    for perm, applied in zip(match_units(A, B), shuffle, strict=True):
        np.testing.assert_array_equal(perm, np.argsort(applied))


def test_one_hidden_layer_matching_is_the_linear_assignment_of_the_paper():
    from scipy.optimize import linear_sum_assignment

    (WA, bA), (VA, _) = A = random_params([3, 9, 2], seed=40)
    (WB, bB), (VB, _) = B = random_params([3, 9, 2], seed=41)
    C = WA.T @ WB + np.outer(bA, bB) + VA @ VB.T
    np.testing.assert_array_equal(match_units(A, B)[0], linear_sum_assignment(C, maximize=True)[1])


def test_matching_is_deterministic_and_identity_on_itself():
    A, B = random_params([2, 6, 5, 1], seed=20), random_params([2, 6, 5, 1], seed=21)
    first, second = match_units(A, B), match_units(A, B)
    for p, q in zip(first, second, strict=True):
        np.testing.assert_array_equal(p, q)
        assert sorted(p) == list(range(len(p)))
    for perm in match_units(A, A):
        np.testing.assert_array_equal(perm, np.arange(len(perm)))
    assert match_units(random_params([3, 2], seed=0), random_params([3, 2], seed=1)) == []


def test_matching_increases_the_alignment_of_two_unrelated_networks():
    A, B = random_params([3, 12, 10, 2], seed=30), random_params([3, 12, 10, 2], seed=31)

    def alignment(P, Q):
        return sum(float(np.vdot(Wp, Wq) + np.vdot(bp, bq)) for (Wp, bp), (Wq, bq) in zip(P, Q, strict=True))

    assert alignment(A, permute(B, match_units(A, B))) > alignment(A, B)


# --- interpolation and barrier ------------------------------------------------------------------------

def moons_like(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def test_interpolation_ends_are_exactly_the_two_networks():
    A, B = random_params([2, 4, 1], seed=1), random_params([2, 4, 1], seed=2)
    for lam, expected in ((0.0, A), (1.0, B)):
        for (W, b), (We, be) in zip(interpolate(A, B, lam), expected, strict=True):
            np.testing.assert_array_equal(W, We)
            np.testing.assert_array_equal(b, be)
    middle = interpolate(A, B, 0.25)
    np.testing.assert_allclose(middle[0][0], 0.75 * A[0][0] + 0.25 * B[0][0], rtol=1e-15)
    stacked = interpolate(A, B, np.array([0.0, 0.25, 1.0]))
    assert stacked[0][0].shape == (3, 2, 4) and stacked[1][1].shape == (3, 1)
    np.testing.assert_array_equal(stacked[0][0][1], middle[0][0])


@pytest.mark.parametrize(("hidden", "n_classes"), [((5,), 2), ((4, 3), 3)])
def test_interpolation_losses_are_the_log_loss_of_each_network_on_the_line(hidden, n_classes):
    X, y = moons_like()
    y = y + (n_classes == 3) * (X[:, 0] > 1)
    A = random_params([2, *hidden, 1 if n_classes == 2 else 3], seed=3)
    B = random_params([2, *hidden, 1 if n_classes == 2 else 3], seed=4)
    losses = interpolation_losses(A, B, X, y, "tanh", n=7)
    assert losses.shape == (7,)
    for lam, loss in zip(np.linspace(0, 1, 7), losses, strict=True):
        expected, _ = loss_and_gradients(interpolate(A, B, lam), X, y, "tanh", l2=5.0)  # penalty ignored
        unpenalized, _ = loss_and_gradients(interpolate(A, B, lam), X, y, "tanh")
        assert loss == pytest.approx(unpenalized, rel=1e-12)
        assert loss < expected


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_barrier_of_a_network_with_itself_is_zero(activation):
    X, y = moons_like()
    A = random_params([2, 8, 1], seed=5)
    losses = interpolation_losses(A, A, X, y, activation)
    np.testing.assert_allclose(losses, losses[0], rtol=1e-12)
    assert barrier(A, A, X, y, activation) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_barrier_is_never_negative(seed):
    X, y = moons_like(seed=seed)
    A, B = random_params([2, 6, 4, 1], seed=seed), random_params([2, 6, 4, 1], seed=seed + 50)
    losses = interpolation_losses(A, B, X, y, "relu", n=11)
    value = barrier(A, B, X, y, "relu", n=11)
    assert value >= 0.0
    assert value == pytest.approx(losses.max() - 0.5 * (losses[0] + losses[-1]))


def test_a_shuffled_copy_has_a_barrier_until_it_is_matched():
    X, y = moons_like()
    A = random_params([2, 12, 1], seed=6)
    shuffled = permute(A, random_perms((12,), seed=7))
    assert barrier(A, shuffled, X, y, "tanh") > 0.01  # same function, yet the straight path climbs
    matched = permute(shuffled, match_units(A, shuffled))
    assert barrier(A, matched, X, y, "tanh") == pytest.approx(0.0, abs=1e-12)


def test_the_stacked_evaluation_matches_one_network_at_a_time():
    X, y = moons_like()
    A, B = random_params([2, 5, 3], seed=8), random_params([2, 5, 3], seed=9)
    y = y + (X[:, 1] > 1)
    losses = interpolation_losses(A, B, X, y, "sigmoid", n=5)
    for lam, loss in zip(np.linspace(0, 1, 5), losses, strict=True):
        _, logits = forward_logits(interpolate(A, B, lam), X, "sigmoid")
        one, _ = loss_and_gradients(interpolate(A, B, lam), X, y, "sigmoid")
        assert loss == pytest.approx(one, rel=1e-12)
        assert logits.shape == (len(X), 3)


# --- trained networks: the permutation symmetry in practice ----------------------------------------------

def test_matching_collapses_the_barrier_between_two_trained_networks():
    """Two seeds trained on moons land in different-looking minima; after aligning B's units with A's,
    the straight path between them barely climbs — the minima were mostly permuted copies."""
    from core.config import RunConfig
    from core.datasets import load_dataset
    from core.train import train

    config = RunConfig(dataset="moons", hidden=(32,), activation="tanh", epochs=500, learning_rate=0.5)
    A = train(config.replace(seed=0)).final_params()
    B = train(config.replace(seed=1)).final_params()
    data = load_dataset(config)
    naive = barrier(A, B, data.X_train, data.y_train, "tanh")
    aligned = permute(B, match_units(A, B))
    after = barrier(A, aligned, data.X_train, data.y_train, "tanh")
    # Across 10 seed pairs these settings gave naive 0.13–0.91 and after/naive 0.02–0.22.
    assert naive > 0.1
    assert after < 0.5 * naive
    np.testing.assert_allclose(forward(aligned, data.X_test, "tanh")[-1], forward(B, data.X_test, "tanh")[-1],
                               rtol=0, atol=1e-12)
