"""Cached training, keyed by the frozen RunConfig.

One cache shared by every session: on a small shared server, thirty students opening the same lesson
trigger one training run, not thirty. The cache is bounded (`max_entries`) because each History holds up
to ~8 MB of weight snapshots and the container has about 1 GB. Streamlit hashes a dataclass argument by
its fields, so equal configs hit the same entry and any changed setting trains anew.

Training itself runs in a pool of worker processes (app/pool.py), one per core.
"""

from __future__ import annotations

import time

import streamlit as st

from app.pool import train_in_pool
from app.presentation import drawn
from core.budget import batched_seconds, estimated_seconds, seeds_seconds
from core.config import RunConfig
from core.datasets import dataset_dimensions, load_dataset
from core.train import History
from figures import run_figures
from figures.style import NORMAL, PROJECTOR

MAX_CACHED_RUNS = 16
PROGRESS_AFTER_SECONDS = 0.3


def _train(configs: tuple[RunConfig, ...] | list[RunConfig], seconds: float, text: str, *,
           exact_ties: bool = True) -> list[History]:
    """Train in the worker pool (app/pool.py), with a progress bar for runs that take more than a moment.

    The run happens in another process, so the bar follows the budget's estimate of its duration (never
    past 95 % before it is done) and says when the run waits for a free core. The bar is created *inside*
    the cached function and emptied there, so a cache hit replays "create, then remove" and shows nothing.
    """
    if seconds < PROGRESS_AFTER_SECONDS:
        return train_in_pool(configs, exact_ties=exact_ties)
    bar = st.progress(0.0, text=text)
    started: list[float] = []

    def waiting(running: bool) -> None:
        if not running:
            bar.progress(0.0, text=f"{text} (waiting for a free core)")
            return
        if not started:
            started.append(time.monotonic())
        fraction = min((time.monotonic() - started[0]) / seconds, 0.95)
        bar.progress(fraction, text=text)

    histories = train_in_pool(configs, exact_ties=exact_ties, waiting=waiting)
    bar.empty()
    return histories


@st.cache_data(max_entries=MAX_CACHED_RUNS, show_spinner=False)
def train_run(config: RunConfig) -> History:
    """`core.train.train(config)`, computed once per distinct config and then served from the cache."""
    return _train([config], estimated_seconds(config), "Training the network…")[0]


@st.cache_data(max_entries=MAX_CACHED_RUNS // 2, show_spinner=False)
def train_many(config: RunConfig, seeds: tuple[int, ...]) -> list[History]:
    """`core.train.train_seeds(config, seeds)`: one vectorized training of several seeds, cached.

    The config's own `seed` is ignored (each History carries its seed in `history.config.seed`).
    """
    n_features = dataset_dimensions(config.dataset, config.n_samples)[0]
    seconds = seeds_seconds([config], max(len(seeds), 1), n_features)
    return _train([config.replace(seed=int(seed)) for seed in seeds], seconds,
                  f"Training {len(seeds)} networks at once…")


@st.cache_data(max_entries=MAX_CACHED_RUNS // 2, show_spinner=False)
def train_together(configs: tuple[RunConfig, ...]) -> list[History]:
    """`core.train.train_starts(configs)`: runs that differ only in their start, in one batched training."""
    return _train(configs, batched_seconds(configs), f"Training {len(configs)} networks at once…")


@st.cache_data(max_entries=MAX_CACHED_RUNS // 4, show_spinner=False)
def train_plain_kernels(config: RunConfig) -> History:
    """`core.train.train(config, exact_ties=False)`: the run with ordinary matrix kernels only, as NumPy and
    PyTorch compute it (the "rounding as a nudge" experiment; every other page uses the exact engine)."""
    return _train([config], estimated_seconds(config), "Training with plain matrix kernels…",
                  exact_ties=False)[0]


@st.cache_data(max_entries=8 * MAX_CACHED_RUNS, show_spinner=False)
def run_figure(kind: str, config: RunConfig, layer: int = 0, projector: bool = False) -> dict:
    """A figure of the run (`figures.run_figures.RUN_FIGURES[kind]`), built once per (kind, config, layer,
    style) in a worker process and kept as a finished dict (app/presentation.py `drawn` says why): a warm
    rerun then only sends it.

    Building the animation takes 0.3–1 s and each other figure ~80 ms, which is most of a cold page.
    """
    style = PROJECTOR if projector else NORMAL
    return drawn(run_figures.run_figure, kind, train_run(config), load_dataset(config), layer, style)
