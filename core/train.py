"""The trainer: run a RunConfig and record every hidden unit along the way.

`train_seeds` is the engine. It stacks the networks of several seeds along a leading axis and trains
them in one batched computation (core.network broadcasts over that axis), so sixteen seeds cost little
more than one. `train(config)` is simply the one-seed case, so the two can never disagree.

Randomness comes from three generators spawned from the seed — the start, the minibatch order and the
dropout masks — so changing, say, dropout never changes the start, and the same config gives a
bit-identical History in any process. What is kept of each run (snapshots, metrics, gaps, divergence)
is core.recorder's job; keeping exact ties exact is core.ties'.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from core.config import RunConfig
from core.datasets import Dataset, load_dataset
from core.initializers import init_params
from core.network import backward, forward_logits
from core.optimizers import OPTIMIZERS, make_optimizer
from core.recorder import History, Progress, Recorder, history_of
from core.ties import TieSharing

Array = np.ndarray

__all__ = ["START_FIELDS", "History", "train", "train_seeds", "train_starts"]


def _random_streams(seed: int) -> tuple[np.random.Generator, ...]:
    """Independent generators for the start, the minibatch order and the dropout masks."""
    return tuple(np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(3))


START_FIELDS = ("initializer", "init_scale", "symmetry", "perturbation", "seed")
"""The fields that only shape a network's start (and its random streams): runs differing only in these
can share one batched training."""


def train_starts(configs: Sequence[RunConfig], progress: Progress | None = None, *,
                 exact_ties: bool = True, data: Dataset | None = None) -> list[History]:
    """Train one network per config, all at once; the configs may differ only in their `START_FIELDS`.

    This is how a lesson compares starts fairly and cheaply: "random vs identical" (or four kinds of
    symmetric start) on the same data with the same training settings costs about one run, not four.

    `exact_ties` (the default) keeps units that start as exact copies exact copies (core.ties explains
    how and why that is exact); False trains with the plain matrix kernels only, as NumPy and PyTorch do,
    which is the "rounding as a nudge" experiment.

    `data` is the configs' dataset when the caller already has it (a training worker is handed it, so it
    never loads scikit-learn); by default it is loaded from the config.
    """
    configs = list(configs)
    if not configs:
        return []
    base = configs[0]
    for config in configs:
        if config.replace(**{name: getattr(base, name) for name in START_FIELDS}) != base:
            raise ValueError(f"train_starts: configs may differ only in {', '.join(START_FIELDS)}")
    data = load_dataset(base) if data is None else data
    streams = [_random_streams(config.seed) for config in configs]
    sizes = [data.n_features, *base.hidden, data.n_outputs]
    starts = [init_params(cfg, stream[0], sizes) for cfg, stream in zip(configs, streams, strict=True)]
    params = [
        (np.stack([start[layer][0] for start in starts]), np.stack([start[layer][1] for start in starts]))
        for layer in range(len(sizes) - 1)
    ]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        recorder = _run(base, data, params, streams, progress, exact_ties)
    return [history_of(configs[s], recorder, s) for s in range(len(configs))]


def train_seeds(
    config: RunConfig, seeds: Iterable[int], progress: Progress | None = None, *, exact_ties: bool = True
) -> list[History]:
    """Train one network per seed, all at once; same data, each seed its own start and randomness."""
    return train_starts([config.replace(seed=int(seed)) for seed in seeds], progress, exact_ties=exact_ties)


def train(config: RunConfig, progress: Progress | None = None, *, exact_ties: bool = True) -> History:
    """Train one network and record every hidden unit; the one-seed case of `train_seeds`."""
    return train_seeds(config, [config.seed], progress, exact_ties=exact_ties)[0]


def _run(config: RunConfig, data: Dataset, params, streams, progress: Progress | None,
         exact_ties: bool = True) -> Recorder:
    recorder = Recorder(config, params, data, progress)
    ties = TieSharing.find(params, per_unit_noise=config.dropout > 0) if exact_ties else None
    n_train = len(data.y_train)
    X_train = data.X_train
    targets_train = recorder.targets[:n_train]
    flat = [array for layer in params for array in layer]
    optimizer = make_optimizer(config.optimizer, config.learning_rate, config.momentum)
    full_batch = OPTIMIZERS[config.optimizer].full_batch
    batch_size = n_train if full_batch else min(config.batch_size, n_train)
    keep = 1.0 - config.dropout
    activation, l2, l1 = config.activation, config.l2, config.l1
    # Full-batch training without dropout evaluates the training rows anyway: that pass is recorded.
    reuse_forward = full_batch and config.dropout == 0

    def masks_for(batch: int) -> list[Array] | None:
        """Inverted dropout: one mask per unit per sample, each seed from its own generator."""
        if config.dropout == 0:
            return None
        return [
            np.stack([(stream[2].random((batch, width)) < keep) / keep for stream in streams])
            for width in config.hidden
        ]

    def step(X: Array, targets: Array, hidden=None, logits=None) -> None:
        masks = None
        if hidden is None:
            masks = masks_for(X.shape[-2])
            hidden, logits = forward_logits(params, X, activation, masks)
        delta = recorder.task.output_delta(logits, targets)
        grads = backward(params, X, hidden, delta, activation, l2, l1, masks)
        if ties is not None:
            ties.share(grads)
        optimizer.update(flat, [array for layer in grads for array in layer])

    hidden = logits = None
    for epoch in range(config.epochs + 1):
        if reuse_forward:
            hidden, logits = forward_logits(params, X_train, activation)
        recorder.add(epoch, params, logits)
        if epoch == config.epochs or recorder.all_diverged:
            break
        if reuse_forward:
            step(X_train, targets_train, hidden, logits)
        elif full_batch:
            step(X_train, targets_train)
        else:
            order = np.stack([stream[1].permutation(n_train) for stream in streams])
            for start in range(0, n_train, batch_size):
                rows = order[:, start:start + batch_size]
                step(X_train[rows], targets_train[rows])
    return recorder
