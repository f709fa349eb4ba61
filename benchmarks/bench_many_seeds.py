"""How fast is the "Many seeds, one solution" page's work? Measured in one process, no Streamlit.

    python benchmarks/bench_many_seeds.py [--seeds 8] [--repeats 3] [--factors]

1. cold: everything the page computes for K seeds of the default config with empty caches — the batched
   training of the network *and* of logistic regression (`train_seeds`), the study (alignment of every
   seed to seed 0), the straight line with and without reordering and sign flips, the decision grids,
   and all six figures. Target: ≤ 2 s for 8 seeds (the page must stay interactive).
2. the same K networks trained by K sequential `train` calls, and the ratios: batched training alone
   against sequential training, and the whole page's work against sequential training alone.
3. --factors: time(K seeds batched) / estimated_seconds(config) for a few configs, the numbers behind
   `core.budget.seed_cost_factor` (the page's compute budget).

Timings are the median of `--repeats` runs; the first figure in a process pays for Plotly's imports, so a
warm-up figure is built before timing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.budget import estimated_seconds
from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train, train_seeds
from figures.style import NORMAL, style_figure
from lessons.many_seeds.agreement import decision_grids
from lessons.many_seeds.agreement_figures import boundaries_figure
from lessons.many_seeds.analysis import (
    flip_and_permute,
    match_units_and_signs,
    straight_line,
    study_seeds,
    unit_pairing,
)
from lessons.many_seeds.convex import convex_verdict
from lessons.many_seeds.figures import (
    pairing_figure,
    seed_losses_figure,
    straight_line_figure,
    weight_distance_figure,
    weights_heatmap_figure,
)

TARGET_SECONDS = 2.0


def page_work(config: RunConfig, count: int) -> dict[str, float]:
    """What lessons/many_seeds/page.py computes on a cold cache; returns the numbers it shows."""
    data = load_dataset(config)
    seeds = range(count)
    histories = train_seeds(config, seeds)
    logistic = train_seeds(config.replace(hidden=()), seeds)
    study = study_seeds(histories, data)
    logistic_study = study_seeds(logistic, data)
    verdict = convex_verdict(logistic, data)
    a, b, aligned = study.params[0], study.params[1], study.alignment.aligned[1]
    flipped = flip_and_permute(b, *match_units_and_signs(a, b))
    line = straight_line(a, b, aligned, data.X_train, data.y_train, config.activation, flipped_b=flipped,
                         task=data.task)
    grids = decision_grids(study.params, data.X_train, config.activation, task=data.task)
    pairing = unit_pairing(a, b, study.alignment.perms[1], 0)
    figures = [
        seed_losses_figure(study, 1), weight_distance_figure(study, 1), weights_heatmap_figure(study, 0, 1),
        pairing_figure(pairing, 0, 1), straight_line_figure(line, 0, 1),
        boundaries_figure(grids, data, list(seeds), 1, study.agreement.unanimous),
    ]
    for figure in figures:
        figure.to_json()  # what Streamlit sends
    return {
        "test-loss spread": study.loss_spread, "weight spread (network)": study.weight_spread,
        "  relative to ‖θ_A‖": study.relative_spread, "weight spread after reordering": study.aligned_spread,
        "weight spread (no hidden layer)": logistic_study.weight_spread,
        "  relative to ‖θ_A‖ ": logistic_study.relative_spread, "logistic verdict": verdict.kind,
        "seed 0 ↔ 1 distance as trained": float(study.alignment.before[1]),
        "seed 0 ↔ 1 distance reordered": float(study.alignment.after[1]),
        "seed 0 ↔ 1 barrier as trained": line.barrier_before,
        "seed 0 ↔ 1 barrier reordered": line.barrier_after,
        "seed 0 ↔ 1 barrier reordered + flipped": line.barrier_flipped,
        "all seeds agree on (test points)": study.agreement.unanimous,
    }


def median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def factors(repeats: int) -> None:
    configs = [RunConfig(), RunConfig(hidden=()), RunConfig(hidden=(64,)), RunConfig(hidden=(16, 16, 16)),
               RunConfig(dataset="breast_cancer", epochs=200), RunConfig(dataset="digits", epochs=50),
               RunConfig(dataset="digits", hidden=(), epochs=50)]
    print("\ntime(K seeds batched) / estimated_seconds(config):")
    for config in configs:
        load_dataset(config)
        estimate = estimated_seconds(config)
        ratios = [median_time(lambda k=k, config=config: train_seeds(config, range(k)), repeats) / estimate
                  for k in (1, 2, 4, 8, 16)]
        print(f"  {config.dataset:14s} hidden={config.hidden!s:12s} epochs={config.epochs:4d}  "
              + "  ".join(f"K={k}: {r:5.2f}" for k, r in zip((1, 2, 4, 8, 16), ratios)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--factors", action="store_true", help="also measure the batching cost factors")
    args = parser.parse_args()
    config = RunConfig()
    load_dataset(config)
    style_figure(__import__("plotly.graph_objects").graph_objects.Figure(), NORMAL, "warm-up").to_json()

    cold = median_time(lambda: page_work(config, args.seeds), args.repeats)
    batched = median_time(lambda: train_seeds(config, range(args.seeds)), args.repeats)
    sequential = median_time(lambda: [train(config.replace(seed=s)) for s in range(args.seeds)], args.repeats)
    numbers = page_work(config, args.seeds)

    print(f"default config, {args.seeds} seeds (median of {args.repeats}):")
    print(f"  page work, cold (2 batched trainings + alignment + figures): {cold:6.2f} s   "
          f"target ≤ {TARGET_SECONDS:g} s  {'ok' if cold <= TARGET_SECONDS else 'SLOW'}")
    print(f"  train_seeds, network only:                                  {batched:6.2f} s")
    print(f"  {args.seeds} sequential train calls, network only:                   {sequential:6.2f} s")
    print(f"  ratio batched / sequential training:                        {batched / sequential:6.2f}")
    print(f"  ratio whole page work / sequential training:                {cold / sequential:6.2f}")
    print("\nwhat the page shows:")
    for name, value in numbers.items():
        print(f"  {name:40s} {value if isinstance(value, str) else f'{value:.3g}'}")
    if args.factors:
        factors(args.repeats)


if __name__ == "__main__":
    main()
