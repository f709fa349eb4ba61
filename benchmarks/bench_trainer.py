"""How fast is the trainer? Ratios against scikit-learn's MLPClassifier, measured in the same process.

    python benchmarks/bench_trainer.py [--quick]

1. `train` (recording every unit, every epoch) vs `MLPClassifier.fit` with the same data, architecture,
   activation and number of full-batch epochs. Target: median ratio ≤ 0.8 (aim 0.6).
2. `train_seeds` with 16 seeds vs 16 separate `train` calls at the default width. Target: ≥ 2× faster.
3. What exact ties cost (core.ties): an identical start trained with tie sharing vs with plain kernels only,
   at widths that are and are not multiples of 8, minibatch momentum. Reported, no target (a random start
   has no ties and pays nothing).

Timings are the best of a few repeats, so one noisy neighbour does not decide a ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train, train_seeds

SKLEARN_ACTIVATION = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic", "linear": "identity"}


def best_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def sklearn_fit(config: RunConfig) -> None:
    data = load_dataset(config)
    model = MLPClassifier(
        hidden_layer_sizes=config.hidden, activation=SKLEARN_ACTIVATION[config.activation], solver="sgd",
        alpha=config.l2, batch_size=len(data.y_train), learning_rate_init=config.learning_rate, momentum=0.0,
        nesterovs_momentum=False, shuffle=False, max_iter=config.epochs, tol=0.0,
        n_iter_no_change=config.epochs + 1, random_state=config.seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data.X_train, data.y_train)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs and repeats (smoke run)")
    args = parser.parse_args()
    epochs, repeats = (200, 1) if args.quick else (1000, 3)

    print(f"train (recording every unit) vs scikit-learn MLPClassifier.fit, {epochs} full-batch epochs")
    print(f"{'samples':>8} {'width':>6} {'ours s':>8} {'sklearn s':>10} {'ratio':>7}")
    ratios = []
    for n_samples in (200, 1000):
        for width in (8, 64):
            config = RunConfig(n_samples=n_samples, hidden=(width,), epochs=epochs, learning_rate=0.1)
            train(config.replace(epochs=5))  # warm caches and imports
            ours = best_time(lambda config=config: train(config), repeats)
            theirs = best_time(lambda config=config: sklearn_fit(config), repeats)
            ratios.append(ours / theirs)
            print(f"{n_samples:>8} {width:>6} {ours:>8.3f} {theirs:>10.3f} {ours / theirs:>7.2f}")
    print(f"median ratio ours/sklearn: {statistics.median(ratios):.2f}  (target ≤ 0.8, aim 0.6)")

    config = RunConfig(epochs=epochs // 2)
    seeds = list(range(16))
    separate = best_time(lambda: [train(config.replace(seed=seed)) for seed in seeds], repeats)
    batched = best_time(lambda: train_seeds(config, seeds), repeats)
    print(f"\n16 seeds, default config ({config.epochs} epochs): 16 × train {separate:.3f} s, "
          f"train_seeds {batched:.3f} s")
    print(f"speed-up of batching: {separate / batched:.2f}×  (target ≥ 2×)")

    print(f"\nidentical start, exact ties vs plain kernels (momentum, batch 32, {epochs // 4} epochs)")
    print(f"{'width':>6} {'exact s':>8} {'plain s':>8} {'ratio':>7}")
    for width in (6, 8, 64):
        tied = RunConfig(hidden=(width,), symmetry="identical", optimizer="momentum", learning_rate=0.1,
                         epochs=epochs // 4)
        exact = best_time(lambda tied=tied: train(tied), repeats)
        plain = best_time(lambda tied=tied: train(tied, exact_ties=False), repeats)
        print(f"{width:>6} {exact:>8.3f} {plain:>8.3f} {exact / plain:>7.2f}")


if __name__ == "__main__":
    main()
