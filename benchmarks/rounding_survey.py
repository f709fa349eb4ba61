"""How often do plain matrix kernels split identical copies, and does the engine ever? A survey.

    python benchmarks/rounding_survey.py [--epochs 150]

Trains the identical start on a grid a new user would try (four datasets, widths that are and are not
multiples of 8, one to three layers, gd / sgd / momentum / adam, minibatches of 7 and 32), once with the
engine's exact ties and once with plain kernels (`exact_ties=False`), and prints how many runs ended with
a nonzero gap in each, the worst gap, and the time each took. The engine's count must be 0.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from core.config import RunConfig
from core.train import train

RATES = {"gd": 0.5, "sgd": 0.3, "momentum": 0.3, "adam": 0.03}
WIDTHS = ((3,), (5,), (6,), (7,), (9,), (13,), (17,), (6, 5), (9, 9, 9))


def grid(epochs: int) -> list[RunConfig]:
    configs = []
    for dataset, hidden, optimizer, batch in itertools.product(
            ("circles", "xor", "iris", "spiral"), WIDTHS,
            ("gd", "sgd", "momentum", "adam"), (7, 32)):
        if optimizer == "gd" and batch == 32:
            continue  # full batch: the batch size plays no part
        configs.append(RunConfig(dataset=dataset, n_samples=300, noise=0.1, hidden=hidden,
                                 initializer="he_normal", symmetry="identical", optimizer=optimizer,
                                 batch_size=batch, learning_rate=RATES[optimizer], epochs=epochs, seed=11))
    return configs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=150)
    args = parser.parse_args()
    configs = grid(args.epochs)
    for exact, name in ((True, "exact ties (the engine)"), (False, "plain kernels")):
        drifted, worst, start = 0, 0.0, time.perf_counter()
        for config in configs:
            history = train(config, exact_ties=exact)
            gap = max(float(np.nanmax(gaps)) for gaps in history.symmetry_gap)
            drifted += gap > 0
            worst = max(worst, gap)
        print(f"{name:>24}: {drifted} of {len(configs)} identical starts drifted apart, worst gap "
              f"{worst:.3g}, {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
