"""What the trainer keeps of a run: weight snapshots, per-epoch metrics, symmetry gaps and divergence.

`Recorder` watches a stack of runs being trained and `history_of` hands each run back as a frozen
`History`. Snapshots of the weights are kept at a bounded number of epochs (dense early, where symmetry is
decided), and all runs trained together share one memory budget, so a cached family of runs never holds
more than one large run would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from core.config import RunConfig
from core.datasets import Dataset, get_spec
from core.divergence import Blowup, first_blowups
from core.divergence import message as blowup_message
from core.network import forward_logits
from core.symmetry import symmetry_gaps
from core.tasks import Task, get_task

Array = np.ndarray
Progress = Callable[[float], None]

MAX_SNAPSHOTS = 201
MAX_RECORDED_VALUES = 1_000_000  # per training call: snapshots × parameters × runs, 8 MB of float64


@dataclass(frozen=True)
class History:
    """Everything recorded while training one network.

    Per-epoch arrays have one entry per epoch *reached*, index 0 being the start, so their length is
    `epochs + 1` unless training diverged. Snapshots of all weights are kept at `steps` (epochs, always
    including the start and the last epoch reached), dense early where symmetry is decided.
    """

    config: RunConfig
    steps: Array
    weights: tuple[Array, ...]  # per layer: (len(steps), fan_in, fan_out)
    biases: tuple[Array, ...]  # per layer: (len(steps), fan_out)
    train_loss: Array  # the task's mean loss on the training split (without the L1/L2 penalty)
    test_loss: Array
    train_score: Array  # accuracy (classification) or R² (regression): core.tasks
    test_score: Array
    symmetry_gap: tuple[Array, ...]  # per hidden layer: largest distance between two units
    diverged: bool
    message: str

    def params_at(self, snapshot: int) -> list[tuple[Array, Array]]:
        """The network at snapshot index `snapshot` (an index into `steps`, not an epoch)."""
        return [(W[snapshot], b[snapshot]) for W, b in zip(self.weights, self.biases)]

    def final_params(self) -> list[tuple[Array, Array]]:
        """The network as it was at the end of training (or just before it diverged)."""
        return self.params_at(len(self.steps) - 1)

    @property
    def epochs_completed(self) -> int:
        return len(self.train_loss) - 1

    @property
    def task(self) -> Task:
        """The output layer's task (the dataset decides it): its loss and score names, its functions."""
        return get_task(get_spec(self.config.dataset).task)

    @property
    def train_accuracy(self) -> Array:
        """Accuracy per epoch on the training split; all nan for regression, which has no classes."""
        return self._accuracy(self.train_score)

    @property
    def test_accuracy(self) -> Array:
        return self._accuracy(self.test_score)

    def _accuracy(self, score: Array) -> Array:
        return np.full_like(score, np.nan) if self.task.is_regression else score


def snapshot_epochs(epochs: int, max_snapshots: int = MAX_SNAPSHOTS) -> Array:
    """Epochs at which to keep a copy of the weights: half log-spaced, half even, always 0 and the end."""
    if epochs <= max_snapshots - 1:
        return np.arange(epochs + 1)
    half = max(max_snapshots // 2, 1)
    even = np.linspace(0, epochs, half)
    early = np.geomspace(1, epochs, max_snapshots - half)
    chosen = np.unique(np.concatenate([[0, epochs], np.rint(even), np.rint(early)]).astype(np.int64))
    return chosen


def snapshot_budget(layer_sizes: Sequence[int], n_runs: int = 1) -> int:
    """How many snapshots per run fit in the recording budget for `n_runs` networks of these sizes.

    Runs trained together (seeds, starts) share one budget, so a cached family of sixteen runs holds no
    more than one large run would: the memory a shared server spends per cached entry stays bounded.
    """
    n_params = sum((a + 1) * b for a, b in pairwise(layer_sizes))
    return int(np.clip(MAX_RECORDED_VALUES // (n_params * max(n_runs, 1)), 2, MAX_SNAPSHOTS))


BLOCK_ELEMENTS = 3_000_000  # floats one block of epochs may hold while it is evaluated (24 MB)


def block_elements_per_epoch(layer_sizes: Sequence[int], n_runs: int, n_rows: int) -> int:
    """Floats one epoch of `n_runs` networks adds to a block's evaluation (see `Recorder`)."""
    outputs = n_rows * sum(layer_sizes[1:])
    unit_rows = sum(width * (fan_in + 1 + fan_out)
                    for fan_in, width, fan_out in zip(layer_sizes[:-2], layer_sizes[1:-1], layer_sizes[2:]))
    weights = sum((fan_in + 1) * fan_out for fan_in, fan_out in pairwise(layer_sizes))
    return max(n_runs * (outputs + unit_rows + weights), 1)


class Recorder:
    """Per-epoch metrics, symmetry gaps and weight snapshots for a stack of seeds.

    Recording every epoch one by one would cost more numpy calls than the training step itself, so the
    recorder buffers each epoch's weights (a cheap copy) and evaluates a whole block of epochs at once:
    the block's networks go through the test rows in one batched forward pass, and their gaps in one
    call. Divergence is found per run as the first epoch that is not finite or has exploded
    (core.divergence); its last good state goes to an extra snapshot slot, so a diverged run still ends on
    real weights.
    """

    def __init__(self, config: RunConfig, params, data: Dataset, progress: Progress | None):
        n_seeds, epochs = params[0][0].shape[0], config.epochs
        sizes = [data.n_features, *(b.shape[-1] for _, b in params)]
        self.epochs, self.progress, self.data = epochs, progress, data
        self.activation = config.activation
        self.task = get_task(data.task)
        self.snapshot_at = snapshot_epochs(epochs, snapshot_budget(sizes, n_seeds))
        slots = len(self.snapshot_at) + 1
        self.weights = [np.zeros((n_seeds, slots, *W.shape[1:])) for W, _ in params]
        self.biases = [np.zeros((n_seeds, slots, *b.shape[1:])) for _, b in params]
        per_epoch = lambda: np.full((n_seeds, epochs + 1), np.nan)  # noqa: E731
        self.train_loss, self.test_loss = per_epoch(), per_epoch()
        self.train_score, self.test_score = per_epoch(), per_epoch()
        self.gaps = [np.full((n_seeds, epochs + 1), np.nan) for _ in params[:-1]]
        self.last_good_epoch = np.full(n_seeds, -1)
        self.blowups: list[Blowup | None] = [None] * n_seeds
        self.alive = np.ones(n_seeds, dtype=bool)
        # A block holds up to `block` epochs, bounded so that what its evaluation holds at once stays near
        # BLOCK_ELEMENTS floats — every layer's outputs on every row (the batched forward pass), every
        # hidden unit's [in, bias, out] row (the gaps) and the weights themselves — and so that progress
        # is reported at least ten times. (Sized by the forward pass's widest layer alone, a block of five
        # 64-64-64 runs held ~90 MB at once.)
        self.block = int(np.clip(BLOCK_ELEMENTS // block_elements_per_epoch(sizes, n_seeds, len(data.y_all)),
                                 1, min(64, max(epochs // 10, 1))))
        self.block_start = 0
        # Slot 0 of the weight buffers keeps the epoch before the block: the last good state if the
        # block's first epoch diverges.
        self.buffer = [(np.zeros((self.block + 1, *W.shape)), np.zeros((self.block + 1, *b.shape)))
                       for W, b in params]
        n_train = len(data.y_train)
        self.train_logits = np.zeros((self.block, n_seeds, n_train, data.n_outputs))
        self.targets = self.task.targets(data.y_all, data.n_outputs)
        self.has_train_logits = True

    @property
    def all_diverged(self) -> bool:
        return not self.alive.any()

    def add(self, epoch: int, params, train_logits: Array | None = None) -> None:
        """Buffer the network after `epoch` epochs (and its logits on the training rows, if known)."""
        slot = epoch - self.block_start + 1
        for (W_buffer, b_buffer), (W, b) in zip(self.buffer, params, strict=True):
            W_buffer[slot] = W
            b_buffer[slot] = b
        if train_logits is not None:
            self.train_logits[slot - 1] = train_logits
        self.has_train_logits = train_logits is not None
        if slot == self.block or epoch == self.epochs:
            self._flush(epoch)

    def _flush(self, last_epoch: int) -> None:
        first, count = self.block_start, last_epoch - self.block_start + 1
        block = [(W[1:count + 1], b[1:count + 1]) for W, b in self.buffer]  # (count, seeds, …)
        data, n_train = self.data, len(self.data.y_train)
        if self.has_train_logits:
            _, test_logits = forward_logits(block, data.X_test, self.activation)
            train_logits = self.train_logits[:count]
        else:
            _, logits = forward_logits(block, data.X_all, self.activation)
            train_logits, test_logits = logits[..., :n_train, :], logits[..., n_train:, :]
        epochs = slice(first, last_epoch + 1)
        task = self.task
        for loss, score, logits, rows in ((self.train_loss, self.train_score, train_logits,
                                           slice(None, n_train)),
                                          (self.test_loss, self.test_score, test_logits,
                                           slice(n_train, None))):
            loss[:, epochs] = task.mean_loss(logits, self.targets[rows]).T
            score[:, epochs] = task.score(logits, data.y_all[rows]).T
        for layer, gaps in enumerate(self.gaps):
            gaps[:, epochs] = symmetry_gaps(*block[layer], block[layer + 1][0]).T
        self._find_divergence(first, count, _largest_magnitudes(block))
        for slot, epoch in enumerate(self.snapshot_at):
            if first <= epoch <= last_epoch:
                for layer, (W, b) in enumerate(block):
                    self.weights[layer][:, slot] = W[epoch - first]
                    self.biases[layer][:, slot] = b[epoch - first]
        for W, b in self.buffer:  # the block's last epoch becomes the next block's "epoch before"
            W[0] = W[count]
            b[0] = b[count]
        self.block_start = last_epoch + 1
        if self.progress is not None and self.epochs:
            self.progress(last_epoch / self.epochs)

    def _find_divergence(self, first: int, count: int, weight_sizes: Array) -> None:
        """Stop each run at its first epoch that is not finite or has exploded (core.divergence)."""
        epochs = slice(first, first + count)
        losses = np.stack([self.train_loss[:, epochs], self.test_loss[:, epochs]])
        blowups = first_blowups(losses, weight_sizes, self.train_loss[:, 0], first)
        for s in np.flatnonzero(self.alive):
            blowup = blowups[s]
            if blowup is None:
                self.last_good_epoch[s] = first + count - 1
                continue
            bad = blowup.epoch - first  # buffer slot `bad` is the epoch before
            self.alive[s] = False
            self.last_good_epoch[s] = blowup.epoch - 1
            self.blowups[s] = blowup
            for layer, (W, b) in enumerate(self.buffer):
                self.weights[layer][s, -1] = W[bad, s]
                self.biases[layer][s, -1] = b[bad, s]

    def slots_for(self, seed_index: int) -> tuple[Array, Array]:
        """The epochs recorded for one seed and the slots holding them, in order."""
        last = self.last_good_epoch[seed_index]
        scheduled = self.snapshot_at <= last
        epochs, slots = self.snapshot_at[scheduled], np.flatnonzero(scheduled)
        if len(epochs) == 0 or epochs[-1] != last:
            epochs, slots = np.append(epochs, last), np.append(slots, len(self.snapshot_at))
        return epochs, slots


def _largest_magnitudes(block) -> Array:
    """(runs, epochs): the largest |weight| or |bias| of each run at each epoch of a block (nan if any is)."""
    sizes = None
    for W, b in block:  # (count, runs, …): reduce the parameter axes, then the layers
        for array in (W, b):
            axes = tuple(range(2, array.ndim))
            layer = np.maximum(array.max(axis=axes), -array.min(axis=axes))
            sizes = layer if sizes is None else np.maximum(sizes, layer)  # nan wins, as it should
    return sizes.T


def history_of(config: RunConfig, recorder: Recorder, s: int) -> History:
    """Run `s` of a finished recording as its own read-only History."""
    reached = int(recorder.last_good_epoch[s]) + 1
    steps, slots = recorder.slots_for(s)
    blowup = recorder.blowups[s]  # a run stops short of its epochs only where it blew up
    diverged = blowup is not None
    message = blowup_message(blowup, config.learning_rate) if diverged else ""
    per_epoch = [metric[s, :reached] for metric in (recorder.train_loss, recorder.test_loss,
                                                    recorder.train_score, recorder.test_score)]
    history = History(
        config=config,
        steps=steps,
        weights=tuple(W[s, slots] for W in recorder.weights),
        biases=tuple(b[s, slots] for b in recorder.biases),
        train_loss=per_epoch[0],
        test_loss=per_epoch[1],
        train_score=per_epoch[2],
        test_score=per_epoch[3],
        symmetry_gap=tuple(gaps[s, :reached] for gaps in recorder.gaps),
        diverged=diverged,
        message=message,
    )
    for array in (history.steps, *history.weights, *history.biases, *per_epoch, *history.symmetry_gap):
        array.flags.writeable = False
    return history
