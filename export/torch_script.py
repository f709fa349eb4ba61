"""A plain PyTorch script that reproduces one run of the app, downloadable beside the notebook.

Its data and start are the notebook's cells (numpy and scikit-learn, the app's own draws, bit for bit);
from there on it is PyTorch in float64: the layers as tensors, the loss from torch.nn.functional,
gradients from autograd, the update with torch.optim.SGD — except Adam, written out by hand, because
torch.optim.Adam adds ε after its bias correction (ε·√(1 − β₂ᵗ) in scikit-learn's terms), which moves
every step by ~1e-5 of itself early on. Dropout masks and minibatch orders come from the app's numpy
streams, since torch's own generator would draw others. Exact copies share one gradient, as in the app.

It prints the same "final …" lines as the notebook; tests/export runs it where PyTorch is installed.
"""

from __future__ import annotations

import textwrap

from core.config import RunConfig
from core.datasets import Dataset
from core.optimizers import OPTIMIZERS
from export import start_cells, training_cells
from export.prelude import data_source, describe, settings_cell

HEADER = (
    "{description}\n\n"
    "The data and the start are drawn with numpy exactly as the app draws them; the network, its loss, "
    "backpropagation (autograd) and the update run in PyTorch, in float64. It needs torch, numpy and "
    "scikit-learn, and prints the final losses and symmetry gaps, which match "
    "the app's to about 1e-12 (further apart only where a near-tie amplifies PyTorch's own rounding, as in "
    "the lesson \"Rounding as a nudge\"). Run it with:\n\n"
    "    python {file_name}"
)

TORCH_ACTIVATIONS = {"relu": "torch.relu", "tanh": "torch.tanh", "sigmoid": "torch.sigmoid",
                     "linear": "(lambda z: z)"}

# task kind -> (N_OUTPUTS and the targets as tensors, the loss of the logits)
TORCH_OUTPUTS = {
    "binary": ("N_OUTPUTS = 1  # one logistic output unit\n"
               "targets = {{name: torch.tensor(y, dtype=torch.float64) for name, y in splits}}",
               "F.binary_cross_entropy_with_logits(logits[:, 0], t)  # mean log loss"),
    "multiclass": ("N_OUTPUTS = {n_classes}  # one softmax output unit per class\n"
                   "targets = {{name: torch.tensor(y, dtype=torch.int64) for name, y in splits}}",
                   "F.cross_entropy(logits, t)  # mean log loss of the softmax"),
    "regression": ("N_OUTPUTS = 1  # one linear output unit\n"
                   "targets = {{name: torch.tensor(y, dtype=torch.float64) for name, y in splits}}",
                   "F.mse_loss(logits[:, 0], t)  # mean (t − o)², not scikit-learn's half of it"),
}

MODEL = """\
torch.set_default_dtype(torch.float64)
splits = (("train", y_train), ("test", y_test))
inputs = {{"train": torch.from_numpy(X_train), "test": torch.from_numpy(X_test)}}
{outputs}


def forward(params, X, masks=None):
    \"\"\"The output logits; `masks` (one per hidden layer) is inverted dropout.\"\"\"
    a = X
    for layer, (W, b) in enumerate(params[:-1]):
        h = {activation}(a @ W + b)
        a = h if masks is None else h * masks[layer]
    W, b = params[-1]
    return a @ W + b


def mean_loss(logits, t):
    return {loss}


def penalty(params, n):
    \"\"\"(L2/2·ΣW² + L1·Σ|W|) / n over the weights (not the biases), as scikit-learn's alpha.\"\"\"
    return sum(0.5 * L2 * (W * W).sum() / n + L1 * W.abs().sum() / n for W, _ in params)"""

OPTIMIZER_PLAIN = """\
def make_optimizer(params):
    \"\"\"torch.optim.SGD: plain steps, or momentum (buffer μ·v + g, step η·v: the app's v ← μ·v − η·g).\"\"\"
    return torch.optim.SGD(params, lr=LEARNING_RATE, momentum={momentum})"""

OPTIMIZER_ADAM = """\
class Adam:
    \"\"\"Adam as scikit-learn and the app write it: both bias corrections in the step size, ε added to
    √v. (torch.optim.Adam adds ε after the correction, which moves early steps by ~1e-5 of themselves.)\"\"\"

    def __init__(self, params):
        self.params, self.t = params, 0
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.t += 1
        step = LEARNING_RATE * math.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
        for p, m, v in zip(self.params, self.m, self.v):
            m.mul_(0.9).add_((1 - 0.9) * p.grad)
            v.mul_(0.999).add_((1 - 0.999) * p.grad * p.grad)
            p -= step * m / (v.sqrt() + 1e-8)


make_optimizer = Adam"""

TRAIN = """\
{batch_line}


def train(start, epochs=EPOCHS, dropout=DROPOUT, seed=SEED):
    \"\"\"Train a copy of `start` in PyTorch; the record per epoch as in the notebook.\"\"\"
    params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in start]
    flat = [p for layer in params for p in layer]
    optimizer = make_optimizer(flat)
    _, rng_order, rng_dropout = random_streams(seed)
    groups = copy_groups(start) if SHARE_TIES and dropout == 0 else None
    record = {{"train loss": [], "test loss": [], "gaps": [], "stopped": ""}}
    n = len(X_train)
    for epoch in range(epochs + 1):
        now = [(W.detach().numpy().copy(), b.detach().numpy().copy()) for W, b in params]
        with torch.no_grad():
            losses = [float(mean_loss(forward(params, inputs[name]), targets[name]))
                      for name in ("train", "test")]
        start_loss = record["train loss"][0] if record["train loss"] else losses[0]
        why = blew_up(*losses, now, start_loss)
        if why:
            record["stopped"] = f"diverged at epoch {{epoch}}: {{why}}"
            return record
        record["train loss"].append(losses[0])
        record["test loss"].append(losses[1])
        record["gaps"].append([symmetry_gap(now, layer) for layer in range(len(HIDDEN))])
        if epoch == epochs:
            return record
        {order_line}
        for first in range(0, n, BATCH):
            rows = torch.from_numpy(order[first:first + BATCH])
            masks = dropout_masks(len(rows), dropout, rng_dropout)
            masks = None if masks is None else [torch.from_numpy(mask) for mask in masks]
            optimizer.zero_grad()
            loss = mean_loss(forward(params, inputs["train"][rows], masks), targets["train"][rows])
            (loss + penalty(params, len(rows))).backward()
            if groups is not None:  # the grads' numpy views: shared in place, as in the notebook
                share([(W.grad.numpy(), b.grad.numpy()) for W, b in params], groups)
            optimizer.step()"""

RESULTS = """\
record = train(start)
epochs_trained = len(record["train loss"]) - 1
print(record["stopped"] or f"trained {epochs_trained} epochs in PyTorch {torch.__version__}")
print(f"final train loss: {record['train loss'][-1]!r}")
print(f"final test loss: {record['test loss'][-1]!r}")
for layer, gap in enumerate(record["gaps"][-1]):
    print(f"final symmetry gap, hidden layer {layer + 1}: {gap!r}")"""


def _masks_function() -> str:
    """The notebook's `dropout_masks` (numpy), without its epoch loop."""
    text = training_cells.EPOCH
    start = text.index("def dropout_masks")
    return text[start:text.index("def one_epoch")].rstrip()


def torch_script(config: RunConfig, data: Dataset | None = None, file_name: str = "run.py") -> str:
    """The script's source text for `config` (`data` embeds those rows instead of the named set)."""
    source = data_source(config, data)
    kind = training_cells.output_kind(source.task, source.n_outputs)
    outputs, loss = TORCH_OUTPUTS[kind]
    full_batch = OPTIMIZERS[config.optimizer].full_batch
    batch_line, order_line = training_cells.BATCH_LINES[full_batch]
    if config.optimizer == "adam":
        optimizer = OPTIMIZER_ADAM
    else:
        optimizer = OPTIMIZER_PLAIN.format(momentum="MOMENTUM" if config.optimizer == "momentum" else "0.0")
    header = HEADER.format(description=describe(config, source).replace("**", ""), file_name=file_name)
    paragraphs = [paragraph if paragraph.startswith("    ") else  # the command stays on one line
                  textwrap.fill(paragraph, width=100, break_on_hyphens=False, break_long_words=False)
                  for paragraph in header.split("\n\n")]
    settings = settings_cell(config, source).replace(
        "import numpy as np", "import numpy as np\nimport torch\nimport torch.nn.functional as F", 1)
    parts = [
        '"""Symmetry Lab: this run in PyTorch.\n\n' + "\n\n".join(paragraphs) + '\n"""',
        settings,
        *source.cells,
        start_cells.STREAMS,
        start_cells.initializer_cell(config),
        start_cells.SYMMETRIC_START,
        MODEL.format(outputs=outputs.format(n_classes=source.n_outputs),
                     activation=TORCH_ACTIVATIONS[config.activation], loss=loss),
        start_cells.draw_start_cell(config),
        training_cells.TIES,
        training_cells.GAP,
        training_cells.EVALUATE[training_cells.EVALUATE.index("def blew_up"):],
        _masks_function(),
        optimizer,
        TRAIN.format(batch_line=batch_line, order_line=order_line.replace("\n", " ")),
        RESULTS,
    ]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"
