"""The update rules match scikit-learn's, and none of them can tell two units apart."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

from core.optimizers import OPTIMIZERS, make_optimizer


def random_arrays(seed: int):
    rng = np.random.default_rng(seed)
    return [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 1))]


def run_ours(name: str, steps: int, lr: float = 0.05, momentum: float = 0.8):
    params = random_arrays(0)
    optimizer = make_optimizer(name, lr, momentum)
    for step in range(steps):
        optimizer.update(params, random_arrays(100 + step))
    return params


def test_plain_step_is_theta_minus_lr_times_gradient():
    params = random_arrays(0)
    grads = random_arrays(1)
    make_optimizer("gd", 0.1).update(params, grads)
    for updated, start, grad in zip(params, random_arrays(0), grads):
        np.testing.assert_array_equal(updated, start - 0.1 * grad)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_stateful_rules_match_scikit_learn_over_several_steps(name):
    params = random_arrays(0)
    if name == "momentum":
        reference = SGDOptimizer(params, learning_rate_init=0.05, momentum=0.8, nesterov=False)
    else:
        reference = AdamOptimizer(params, learning_rate_init=0.05)
    for step in range(5):
        reference.update_params(params, random_arrays(100 + step))
    for ours, theirs in zip(run_ours(name, 5), params):
        np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_rule_commutes_with_swapping_two_units(name):
    """Swapping units before the steps gives the swapped result: no rule looks at a unit's index."""
    swap = [1, 0, 2, 3]
    plain, swapped = random_arrays(0), [a[..., swap] if a.ndim == 2 and a.shape[1] == 4 else a
                                         for a in random_arrays(0)]
    swapped[1] = swapped[1][swap]
    swapped[2] = swapped[2][swap]
    opt_plain, opt_swapped = make_optimizer(name, 0.05, 0.8), make_optimizer(name, 0.05, 0.8)
    for step in range(4):
        grads = random_arrays(100 + step)
        grads_swapped = [grads[0][:, swap], grads[1][swap], grads[2][swap]]
        opt_plain.update(plain, grads)
        opt_swapped.update(swapped, grads_swapped)
    np.testing.assert_array_equal(swapped[0], plain[0][:, swap])
    np.testing.assert_array_equal(swapped[1], plain[1][swap])
    np.testing.assert_array_equal(swapped[2], plain[2][swap])


def test_only_gradient_descent_is_full_batch():
    assert {name for name, spec in OPTIMIZERS.items() if spec.full_batch} == {"gd"}
