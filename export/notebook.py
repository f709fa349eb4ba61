"""A Jupyter notebook that reproduces one run of the app with numpy (and checks it with scikit-learn).

`build_notebook(config)` returns an nbformat notebook that a student downloads from any lesson: the data,
the start, the forward pass, the gradient factor by factor, the update, the symmetry gap, then the same
start trained by scikit-learn's MLP, then three experiments to try. Running it prints the final losses
and gaps, which are the app's `History` to ~1e-15 (tests/export executes it and compares).

Why a generated notebook and not a copy of core: the reader should see *this* run's formulas — one
initializer, one activation, one output layer, one optimizer — in short cells that read top to bottom,
with nothing of the app imported. The cell texts live in data_cells, start_cells, training_cells and
check_cells; this module only orders them and adds the prose between them.
"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from core.config import RunConfig
from core.datasets import Dataset
from core.optimizers import OPTIMIZERS
from export import check_cells, start_cells, training_cells
from export.prelude import DataSource, data_source, describe, settings_cell

INTRO = """\
# Symmetry Lab: this run, written out

{description}

Every hidden unit computes σ(wᵀx + b) on the same inputs, so why do units learn different things? This
notebook retrains your run with plain numpy — the data, the start, the forward pass, the gradient factor
by factor, the update — and prints the final loss and symmetry gap, the same numbers as the app's. Then
scikit-learn's own MLP trains the same start, and three short experiments try an identical start, a nudge
and dropout.

It needs numpy and scikit-learn. Run the cells in order: most runs take seconds; the largest the app
allows take a minute or two, mostly in scikit-learn's check (one `partial_fit` per minibatch).{caveats}"""

DATA = """\
## 1. The data

The same rows as in the app: generated (or loaded) with the same seed, split the same way, and
standardized with the *training* rows' mean and spread."""

START = """\
## 2. The start

One seed gives three independent random streams. The first draws the layers in order; then the
symmetric start copies unit 0 into the others (if asked), and last comes the nudge. Each layer's `W`
is fan_in × fan_out, so unit j of a layer is column j of its `W`, entry j of its `b`, and row j of the
next layer's `W`."""

NETWORK = """\
## 3. The network and its loss

Each hidden unit computes h = σ(a·w + b) from the layer below; the output layer turns its logits into a
prediction, and the loss compares it with the targets."""

GRADIENT = """\
## 4. The gradient, factor by factor

The chain rule, from the output back. For a weight from input i to hidden unit j:

$$\\frac{\\partial L}{\\partial W_{ij}} = \\sum_{\\text{rows}} a_i\\,\\delta_j, \\qquad
\\delta_j = \\sigma'(z_j)\\,\\sum_k V_{jk}\\,\\delta^{\\text{out}}_k$$

where $V_{j\\cdot}$ are unit j's outgoing weights and δ<sup>out</sup> = (prediction − target)/n (times 2
for squared error). Two units see the same inputs $a_i$; their updates differ only through σ'(z_j) and
V<sub>j·</sub>. Equal in incoming weights, bias *and* outgoing weights, they get equal updates forever."""

TIES = """\
**Exact copies stay exact.** In exact arithmetic two units equal in all three parts get equal gradients
(swapping them changes nothing). In floating point, the matrix product `a @ W` may round one column
differently from another (BLAS uses other kernels for some columns), so copies could drift 1e-16 apart
and, at an unstable tie, split. So, like the app, the loop finds the exact copies once at the start and
gives each group one gradient. Only bit-for-bit copies are grouped (a nudged start is not), so this never
makes two different units equal."""

UPDATE = """\
## 5. The update

**{title}.** {description}"""

TRAINING = """\
## 6. Training

The symmetry gap is the largest distance between two units of a layer, each unit being its incoming
weights, bias and outgoing weights together. Like the app, the loop stops a run that blows up and keeps
the epochs before it."""

SKLEARN = """\
## 7. The same run in scikit-learn

scikit-learn's `MLPClassifier` / `MLPRegressor` starts from our weights and trains with its own code.
Where the two differ, and how this run bridges it:

- Its regression loss is ½(t − o)², half ours, so its gradient is half ours: plain steps and momentum get
  twice our learning rate; Adam (which divides the gradient's scale out) gets our rate and half our ε.
- Its L2 penalty adds alpha/(2n)·ΣW², ours L2/(2n)·ΣW²: alpha = L2 (halved with the loss for regression).
- Its momentum (v ← μv − ηg, θ ← θ + v) and its Adam are ours: the app follows scikit-learn there.
- It shuffles minibatches with its own generator, so we hand it our minibatches, one `partial_fit` each.
- It adds up the same terms in another order, so each step differs from ours by ~1e-16. That stays
  invisible unless training amplifies it (near an unstable tie, or where large steps make the loss
  oscillate), so the difference is printed after one epoch and at the end.
- It has no dropout and no L1 penalty: for such a run these cells only say so."""

TRY = """\
## 8. Try this next

Three short runs of the same network (at most 200 epochs each): an identical start, the same start
nudged by 1e-6, and dropout on the identical start. Change the numbers and run them again."""


def caveats(config: RunConfig) -> list[str]:
    """Sentences for the first cell about what is not reproduced to 1e-9 here, and why.

    The numpy run repeats the app's arithmetic operation for operation (measured: bit-identical weights,
    even from a start nudged 1e-10 off a tie). scikit-learn's MLP does the same math in another order,
    so it differs by ~1e-16 per step; from a start at or near a tie, where an unstable tie makes any
    difference grow like the gap itself (e^(λt)), its weights can end far more than 1e-9 from ours
    (measured: 1e-6 on circles nudged by 1e-10). The cross-check prints the difference either way.
    """
    tied_start = config.symmetry != "none" or config.initializer in ("zeros", "constant")
    if not config.hidden or config.dropout > 0 or config.l1 > 0 or not tied_start:
        return []  # no hidden units, no tie, or no scikit-learn cross-check at all
    if config.symmetry in ("same_fan_in", "same_fan_out") and config.perturbation == 0:
        return []  # half a copy: the units separate at once, nothing tiny is amplified
    return ["This run starts at or near a tie: scikit-learn rounds its sums in another order than the "
            "app (by about 1e-16), and near an unstable tie such a difference grows like the gap does, "
            "so its weights may end further than 1e-9 from ours; section 7 prints by how much."]


def code_cells(config: RunConfig, source: DataSource) -> list[tuple[str, str]]:
    """Every cell in order, as (kind, text) with kind "markdown" or "code"."""
    full_batch = OPTIMIZERS[config.optimizer].full_batch
    notes = caveats(config)
    caveat_text = "".join(f"\n\n**Not reproduced to 1e-9:** {note}" for note in notes)
    spec = OPTIMIZERS[config.optimizer]
    cells: list[tuple[str, str]] = [
        ("markdown", INTRO.format(description=describe(config, source), caveats=caveat_text)),
        ("code", settings_cell(config, source)),
        ("markdown", DATA),
        *(("code", text) for text in source.cells),
        ("markdown", START),
        ("code", start_cells.STREAMS),
        ("code", start_cells.initializer_cell(config)),
        ("code", start_cells.SYMMETRIC_START),
        ("markdown", NETWORK),
        ("code", training_cells.ACTIVATIONS[config.activation]),
        ("code", training_cells.output_cell(source.task, source.n_outputs)
         + "\n\n\n" + training_cells.TARGETS),
        ("code", start_cells.draw_start_cell(config)),
        ("code", training_cells.FORWARD),
        ("markdown", GRADIENT),
        ("code", training_cells.GRADIENTS),
        ("markdown", TIES),
        ("code", training_cells.TIES),
        ("markdown", UPDATE.format(title=spec.title, description=spec.description)),
        ("code", training_cells.optimizer_cell(config.optimizer)),
        ("markdown", TRAINING),
        ("code", training_cells.GAP),
        ("code", training_cells.EVALUATE),
        ("code", training_cells.epoch_cell(full_batch)),
        ("code", training_cells.TRAIN),
        ("code", training_cells.RESULTS),
        ("markdown", SKLEARN),
        *(("code", text) for text in check_cells.sklearn_cells(config, source.task, source.n_classes,
                                                                 full_batch)),
        ("markdown", TRY),
        *(("code", text) for text in check_cells.try_cells(config)),
    ]
    return cells


def build_notebook(config: RunConfig, data: Dataset | None = None) -> NotebookNode:
    """The notebook for `config`; `data` embeds those rows instead of regenerating the named dataset."""
    source = data_source(config, data)
    make = {"markdown": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    notebook = nbformat.v4.new_notebook(cells=[make[kind](text) for kind, text in code_cells(config, source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def notebook_text(config: RunConfig, data: Dataset | None = None) -> str:
    """The notebook as the .ipynb file's text (JSON)."""
    return nbformat.writes(build_notebook(config, data))
