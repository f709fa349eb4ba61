"""The live check of the swap theorem: a swap leaves the loss unchanged, the line between the two
orderings passes through a tie, and the curve is its own mirror image — on every kind of network."""

from __future__ import annotations

import numpy as np
import pytest

from core.config import RunConfig
from core.datasets import load_dataset
from core.initializers import init_params
from lessons.math_and_papers.analysis import most_different_pair, orderings, swap_line, swap_units
from lessons.math_and_papers.text import orderings_sentence, put_back_note, swap_sentence


def _network(**fields):
    config = RunConfig(**{"epochs": 5, **fields})
    data = load_dataset(config)
    return config, data, init_params(config, np.random.default_rng(config.seed))


def test_swapping_two_units_moves_all_three_parts_and_keeps_the_rest():
    _, _, params = _network(hidden=(4, 3))
    swapped = swap_units(params, 0, 1, 3)
    (W, b), (V, _) = params[0], params[1]
    (W2, b2), (V2, _) = swapped[0], swapped[1]
    np.testing.assert_array_equal(W2[:, [1, 3]], W[:, [3, 1]])
    np.testing.assert_array_equal(b2[[1, 3]], b[[3, 1]])
    np.testing.assert_array_equal(V2[[1, 3], :], V[[3, 1], :])
    np.testing.assert_array_equal(W2[:, [0, 2]], W[:, [0, 2]])
    np.testing.assert_array_equal(swapped[2][0], params[2][0])  # the next layer's matrix is untouched


@pytest.mark.parametrize("fields", [{}, {"hidden": (6, 6), "activation": "relu"},
                                    {"dataset": "iris", "hidden": (5,)}])
def test_the_ends_agree_the_middle_is_a_tie_and_the_curve_is_symmetric(fields):
    config, data, params = _network(**fields)
    line = swap_line(params, data.X_train, data.y_train, config.activation)
    assert line is not None and line.finite
    assert line.end_difference < 1e-12
    assert line.asymmetry < 1e-12
    assert line.lams[len(line.lams) // 2] == 0.5
    assert line.units == most_different_pair(params, 0)
    assert line.distance > 0


def test_nothing_to_swap_without_two_units():
    for hidden in ((), (1,)):
        config, data, params = _network(hidden=hidden)
        assert swap_line(params, data.X_train, data.y_train, config.activation) is None


def test_the_put_back_note_names_the_width():
    assert "one hidden layer of 8 units" in put_back_note(8)


def test_a_tie_makes_the_line_one_point_and_the_sentence_says_so():
    config, data, params = _network(symmetry="identical")
    line = swap_line(params, data.X_train, data.y_train, config.activation)
    assert line.distance == 0.0
    assert np.all(line.losses == line.losses[0])
    assert "identical in every weight" in swap_sentence(line)


def test_the_sentence_quotes_the_numbers_of_the_chart():
    config, data, params = _network()
    line = swap_line(params, data.X_train, data.y_train, config.activation)
    sentence = swap_sentence(line)
    assert sentence.startswith("**What you are seeing.**")
    assert f"{line.tie_loss:.4g}" in sentence and f"{line.end_loss:.4g}" in sentence


def test_orderings_count_every_layer():
    assert orderings((8,)) == 40_320
    assert orderings((3, 4)) == 6 * 24
    assert orderings(()) == 1
    assert "40,320" in orderings_sentence((8,))
    assert "no units to reorder" in orderings_sentence(())
    assert "e+" in orderings_sentence((32, 32))
