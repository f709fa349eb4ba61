"""Update rules behind one interface: `optimizer.update(params, grads)` changes params in place.

The rules follow scikit-learn's `neural_network/_stochastic_optimizers.py` (same momentum form, same
bias-corrected Adam step), so a step here can be checked against scikit-learn's own MLP. Every rule is
elementwise, so parameters may carry a leading seed axis. Every rule also treats units alike: it never
looks at a unit's index, which is why an exact tie between units can never be broken by the optimizer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

Array = np.ndarray


class Optimizer(Protocol):
    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        """Take one step: change every array in `params` in place."""


@dataclass
class Plain:
    """θ ← θ − η·g. Full batch, this is gradient descent; on minibatches, SGD."""

    learning_rate: float

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        for param, grad in zip(params, grads):
            param -= self.learning_rate * grad


@dataclass
class Momentum:
    """v ← μ·v − η·g;  θ ← θ + v (scikit-learn's non-Nesterov momentum)."""

    learning_rate: float
    momentum: float
    velocities: list[Array] = field(default_factory=list)

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if not self.velocities:
            self.velocities = [np.zeros_like(param) for param in params]
        for param, grad, velocity in zip(params, grads, self.velocities):
            velocity *= self.momentum
            velocity -= self.learning_rate * grad
            param += velocity


@dataclass
class Adam:
    """Adam with scikit-learn's defaults (β₁ 0.9, β₂ 0.999, ε 1e-8) and bias-corrected step size."""

    learning_rate: float
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    t: int = 0
    first_moments: list[Array] = field(default_factory=list)
    second_moments: list[Array] = field(default_factory=list)

    def update(self, params: Sequence[Array], grads: Sequence[Array]) -> None:
        if not self.first_moments:
            self.first_moments = [np.zeros_like(param) for param in params]
            self.second_moments = [np.zeros_like(param) for param in params]
        self.t += 1
        step = self.learning_rate * np.sqrt(1 - self.beta_2**self.t) / (1 - self.beta_1**self.t)
        for param, grad, m, v in zip(params, grads, self.first_moments, self.second_moments):
            m *= self.beta_1
            m += (1 - self.beta_1) * grad
            v *= self.beta_2
            v += (1 - self.beta_2) * grad * grad
            param -= step * m / (np.sqrt(v) + self.epsilon)


@dataclass(frozen=True)
class OptimizerSpec:
    """How a named optimizer batches the data and which update rule it uses."""

    title: str
    full_batch: bool
    make: Callable[[float, float], Optimizer]  # (learning_rate, momentum) -> optimizer
    description: str


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "gd": OptimizerSpec("Gradient descent (full batch)", True, lambda lr, mu: Plain(lr),
                        "Every step uses all training points: no randomness at all during training."),
    "sgd": OptimizerSpec("SGD (minibatches)", False, lambda lr, mu: Plain(lr),
                         "Each step uses a random minibatch; all units see the same minibatch."),
    "momentum": OptimizerSpec("SGD with momentum", False, lambda lr, mu: Momentum(lr, mu),
                              "Minibatch steps that keep a running velocity."),
    "adam": OptimizerSpec("Adam", False, lambda lr, mu: Adam(lr),
                          "Minibatch steps scaled per weight by running gradient statistics."),
}


def make_optimizer(name: str, learning_rate: float, momentum: float = 0.9) -> Optimizer:
    """A fresh optimizer (its state starts empty and is created on the first update)."""
    return OPTIMIZERS[name].make(learning_rate, momentum)
