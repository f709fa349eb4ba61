"""Ready-made lessons: a whole configuration per scenario, chosen in one click from the sidebar.

Scenarios are data, not code paths: each is a RunConfig, the thing to point at, the lesson page where
it is best seen (its URL path) and any of that page's own controls it sets (URL key → value, as the page's
control shows it). Adding a lesson means adding a row here. The rows are in teaching order: walked top
to bottom they make the ten-minute lesson plan in the README.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import RunConfig


@dataclass(frozen=True)
class Scenario:
    name: str
    config: RunConfig
    point_at: str  # one line: what to show the class on screen
    page: str = "weight-trajectories"  # url_path of the lesson page that shows it best
    settings: tuple[tuple[str, object], ...] = ()  # that page's own controls: (URL key, value)


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "Random start: units spread out",
        RunConfig(),
        "Eight units, eight different paths: each starts somewhere else, so each gets a different gradient "
        "and ends up drawing a different line through the data.",
    ),
    Scenario(
        "Regression: units share out the bumps",
        RunConfig(dataset="gaussians", hidden=(8,), epochs=800),
        "Real targets, one linear output, squared error: the shading is the prediction, the dots the targets "
        "on the same scale. Each unit's line bends the surface somewhere else, and R² climbs.",
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
        "Run A's units are copies of the first one: its gap stays exactly 0.0 and it has one distinct "
        "unit for the whole run, while run B's random start keeps eight.",
        page="identical-vs-random",
    ),
    Scenario(
        "Same input weights, different output weights",
        RunConfig(symmetry="same_fan_in"),
        "The units start with the same incoming weights, but their outgoing weights differ, so their "
        "gradients differ: in the table, the input weights that started equal end far apart.",
        page="identical-vs-random", settings=(("compare_experiment", "Four starts"),),
    ),
    Scenario(
        "What each unit computes",
        RunConfig(hidden=(8, 8)),
        "Each square is one unit's output over the plane: layer 1 changes across straight lines, layer 2 "
        "bends (R² below 1). Their outputs grow more correlated, yet the effective number stays above 1.",
        page="what-units-compute",
    ),
    Scenario(
        "Identical start: identical maps",
        RunConfig(hidden=(8, 8), symmetry="identical"),
        "The same two layers started as copies: eight identical maps per layer, mean |corr| 1.00 and an "
        "effective number of 1.00. Pick 'What each unit computes' again to flip back to the random start.",
        page="what-units-compute",
    ),
    Scenario(
        "Identical copies are one unit (digits)",
        RunConfig(dataset="digits", hidden=(16,), epochs=300, symmetry="identical"),
        "Sixteen identical 8×8 pictures, mean |corr| 1.00, effective number 1.00: one unit in disguise. At "
        "the bottom, its test accuracy beside the random start's.",
        page="what-units-compute",
    ),
    Scenario(
        "Why two units get different updates",
        RunConfig(),
        "Unit 1 and unit 2 share the input but not their outgoing weight v or their slope σ'(z): the shaded "
        "factor makes most of the difference. Click Start → Identical and every difference becomes 0.0.",
        page="why-updates-differ", settings=(("updates_start", "sidebar"),),
    ),
    Scenario(
        "The worked example: tanh units, squared loss",
        RunConfig(dataset="plane", hidden=(2,), activation="tanh", optimizer="sgd", batch_size=1,
                  learning_rate=0.05, epochs=100),
        "The question's own network: 2 inputs, 2 tanh units, one linear output, (t − o)², SGD. Under "
        "'The worked example' the two formulas get one point's numbers: same t, o, x₁; different V and h.",
        page="why-updates-differ", settings=(("updates_start", "sidebar"), ("updates_epoch", 0)),
    ),
    Scenario(
        "Is it backprop's fault?",
        RunConfig(),
        "Identical copies: finite differences, one weight at a time, give the same equal entries as "
        "backprop; only applying the updates one unit at a time separates the copies.",
        page="why-updates-differ", settings=(("updates_start", "identical"),),
    ),
    Scenario(
        "A tiny nudge from identical",
        RunConfig(dataset="xor", symmetry="identical", perturbation=1e-6, epochs=800),
        "Copies nudged by about one part in a million: on XOR the gap grows exponentially until the units "
        "visibly part ways — the fitted λ is positive: the identical start is an unstable balance point.",
        page="identical-vs-random",
        settings=(("compare_experiment", "Tiny nudge"), ("compare_epsilon", 1e-6)),
    ),
    Scenario(
        "A penalty turns the tie into a valley",
        RunConfig(l2=100.0, epochs=200),
        "With a strong L2 penalty the loss curves up in every direction around the tie: the landscape "
        "below is a valley (κ > 0) and the nudged copies fall back together (λ < 0).",
        page="identical-vs-random",
        settings=(("compare_experiment", "Tiny nudge"), ("compare_epsilon", 1e-6)),
    ),
    Scenario(
        "Rounding as a nudge",
        RunConfig(dataset="circles", n_samples=300, noise=0.1, hidden=(6,), initializer="he_normal",
                  symmetry="identical", optimizer="momentum", batch_size=32, learning_rate=0.3, epochs=300,
                  seed=11),
        "Run A's six copies keep gap 0.0 in exact arithmetic; below, the same start with plain matrix "
        "kernels: a 1e-16 rounding difference appears within a few epochs and grows until the copies split.",
        page="identical-vs-random", settings=(("compare_experiment", "Rounding as a nudge"),),
    ),
    Scenario(
        "Dropout breaks a tie",
        RunConfig(dataset="xor", symmetry="identical", dropout=0.1, epochs=800),
        "Identical copies, but dropout silences a random subset of units on every step, so the copies "
        "receive different updates and drift apart; the minibatch run beside it stays at exactly 0.",
        page="identical-vs-random",
        settings=(("compare_experiment", "Per-unit noise"), ("compare_dropout", True)),
    ),
    Scenario(
        "Minibatches do not break a tie",
        RunConfig(symmetry="identical", optimizer="sgd", batch_size=16, learning_rate=0.1, epochs=200),
        "Random minibatches add noise, but every unit sees the same batch, so identical copies stay "
        "identical: randomness must differ per unit to break symmetry (compare the dropout run).",
        page="identical-vs-random",
        settings=(("compare_experiment", "Per-unit noise"), ("compare_dropout", True)),
    ),
    Scenario(
        "Many seeds: same loss, different weights",
        RunConfig(),
        "Eight seeds end at nearly the same test loss with weights far apart; reorder each seed's units to "
        "line up with seed A's and the distance shrinks: much of the difference is only the units' order.",
        page="many-seeds", settings=(("seeds_count", 8), ("seeds_model", "network")),
    ),
    Scenario(
        "No hidden layer: every seed agrees",
        RunConfig(),
        "Logistic regression has a convex loss: every seed reaches the same weights, like two linear "
        "regressions on the same data. Switch Model back to the network and the weight spread jumps.",
        page="many-seeds", settings=(("seeds_count", 8), ("seeds_model", "logistic")),
    ),
    Scenario(
        "Deeper network: three hidden layers",
        RunConfig(dataset="spiral", hidden=(16, 16, 16), learning_rate=0.3, epochs=800, noise=0.1),
        "The per-layer table at the bottom: every layer's units get their own gradients, and each layer "
        "further from the output has one more σ' factor in its δ.",
        page="why-updates-differ", settings=(("updates_start", "sidebar"),),
    ),
)

SCENARIOS_BY_NAME: dict[str, Scenario] = {scenario.name: scenario for scenario in SCENARIOS}
