"""Ready-made lessons: a whole configuration per scenario, chosen in one click from the sidebar.

Scenarios are data, not code paths: each is a RunConfig plus the sentence a teacher says and the thing
to point at. Adding a lesson means adding a row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import RunConfig


@dataclass(frozen=True)
class Scenario:
    name: str
    config: RunConfig
    point_at: str  # one line: what to show the class on screen


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "Random start: units spread out",
        RunConfig(),
        "Eight units, eight different paths: each starts somewhere else, so each gets a different gradient "
        "and ends up drawing a different line through the data.",
    ),
    Scenario(
        "Zero start: all units stuck together",
        RunConfig(initializer="zeros"),
        "Every weight starts at 0 and stays at exactly 0: with tanh the hidden units output 0 and receive "
        "no gradient, so the loss stays where it started.",
    ),
    Scenario(
        "Identical start: one unit in disguise",
        RunConfig(symmetry="identical"),
        "All units are copies of the first one, so their lines coincide for the whole run: eight units "
        "that act as one. The gap to watch stays exactly 0.",
    ),
    Scenario(
        "Same input weights, different output weights",
        RunConfig(symmetry="same_fan_in"),
        "The units start with the same incoming weights, but their outgoing weights differ, so their "
        "gradients differ and they separate from the first epochs on.",
    ),
    Scenario(
        "A tiny nudge from identical",
        RunConfig(dataset="xor", symmetry="identical", perturbation=1e-6, epochs=800),
        "Copies nudged by about one part in a million: on XOR the gap grows exponentially until the units "
        "visibly part ways — here the identical start is an unstable balance point.",
    ),
    Scenario(
        "Dropout breaks a tie",
        RunConfig(dataset="xor", symmetry="identical", dropout=0.1, epochs=800),
        "Identical copies, but dropout silences a random subset of units on every step, so the copies "
        "receive different updates and drift apart.",
    ),
    Scenario(
        "Minibatches do not break a tie",
        RunConfig(symmetry="identical", optimizer="sgd", batch_size=16, learning_rate=0.1, epochs=200),
        "Random minibatches add noise, but every unit sees the same batch, so identical copies stay "
        "identical: randomness must differ per unit to break symmetry.",
    ),
    Scenario(
        "Deeper network: three hidden layers",
        RunConfig(dataset="spiral", hidden=(16, 16, 16), learning_rate=0.3, epochs=800, noise=0.1),
        "Each layer's units spread out for the same reason: a different start means a different gradient, "
        "layer after layer.",
    ),
)

SCENARIOS_BY_NAME: dict[str, Scenario] = {scenario.name: scenario for scenario in SCENARIOS}
