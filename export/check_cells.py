"""The notebook's cross-check and its "try this next" cells.

The cross-check trains the very same start with scikit-learn's own MLP (`partial_fit`, one call per
minibatch, in our order), so the reader sees an independent library reach the same weights: ~1e-15
apart, unless the training amplifies rounding (near an unstable tie, or where large steps make the loss
oscillate: measured 5e-4 after 500 epochs of an 8-8 tanh net on moons at rate 0.5, from 1e-16 after the
first), which the cells then show with the difference after one epoch beside the final one. The mapping
between the two is the one tests/core/test_network.py and test_tasks.py check step by step:

- classification: the same learning rate, `alpha` = our L2 (both add alpha/(2n)·ΣW² to the loss);
- regression: scikit-learn's squared error is ½(t − o)², half ours, so its gradient is half ours. Plain
  steps and momentum get twice our learning rate and alpha = L2/2; Adam divides the gradient's scale out
  (m/√v), all but its ε, so it gets our rate, alpha = L2/2 and ε/2.

What scikit-learn cannot do (dropout, L1) is decided when the notebook is built: those cells then only
print why. Every function here returns source text; nothing runs.
"""

from __future__ import annotations

from core.config import RunConfig

SKLEARN_ACTIVATIONS = {"relu": "relu", "tanh": "tanh", "sigmoid": "logistic", "linear": "identity"}

MISSING_IN_SKLEARN = (
    ("dropout", "scikit-learn's MLP has no dropout"),
    ("l1", "scikit-learn's MLP has no L1 penalty (its alpha is an L2 penalty)"),
)

BUILD = """\
from sklearn.neural_network import {model}

# The same network in scikit-learn. Its coefs_ are W (fan_in × fan_out) and its intercepts_ are b,
# exactly our layout, so our start goes in as it is.
model = {model}(
    hidden_layer_sizes=HIDDEN, activation="{activation}", solver="{solver}", batch_size=len(X_train),
    shuffle=False, {settings})
# Its first partial_fit builds the layers (and takes a step, which we undo by putting our start in).
model.partial_fit(X_train, y_train{classes})
model.coefs_ = [W.copy() for W, _ in start]
model.intercepts_ = [b.copy() for _, b in start]
del model._optimizer  # so the next call starts a fresh optimizer, its state at zero like ours"""

TRAIN = """\
def largest_difference(params_a, params_b):
    \"\"\"The largest |difference| between any weight or bias of two networks.\"\"\"
    return max(float(np.abs(x - y).max())
               for layer_a, layer_b in zip(params_a, params_b) for x, y in zip(layer_a, layer_b))


# One partial_fit per minibatch, in our order: scikit-learn's own shuffling would draw another order.
_, rng_order, _ = random_streams(SEED)
ours_after_one_epoch, _ = train(start, epochs=1)
first_difference = 0.0
for epoch in range(epochs_trained):  # as many epochs as our run kept
    {order_line}
    for first in range(0, len(X_train), BATCH):
        rows = order[first:first + BATCH]
        model.set_params(batch_size=len(rows))  # one step on exactly these rows
        model.partial_fit(X_train[rows], y_train[rows])
    if epoch == 0:  # the same network after one epoch: only rounding can tell them apart
        theirs = zip(model.coefs_, model.intercepts_)
        first_difference = largest_difference(ours_after_one_epoch, theirs)"""

COMPARE = """\
theirs = list(zip(model.coefs_, model.intercepts_))
difference = largest_difference(final, theirs)
print(f"after one epoch, scikit-learn's weights differ from ours by at most {first_difference!r}")
print(f"largest difference between scikit-learn's weights and ours: {difference!r}")
for layer in range(len(HIDDEN)):
    print(f"scikit-learn's symmetry gap, hidden layer {layer + 1}: {symmetry_gap(theirs, layer)!r}")
if difference > 1e-9:
    print(f"More than 1e-9 apart, from {first_difference:.1g} after one epoch: scikit-learn adds up the"
          " same terms in another order, and this training amplified that rounding. Near an unstable tie,"
          " or where large steps make the loss oscillate, a tiny difference grows exponentially.")"""

TRY_IDENTICAL = """\
# 1. An identical start: every hidden unit a copy of unit 0 (incoming weights, bias and outgoing
#    weights). The copies get equal gradients at every step, so the gap stays exactly 0.0.
TRY_EPOCHS = min(EPOCHS, 200)
copies = symmetric_start(start, "identical")
_, run = train(copies, epochs=TRY_EPOCHS, dropout=0.0)
print(f"identical start, gaps after {len(run['gaps']) - 1} epochs: {run['gaps'][-1]}")"""

TRY_NUDGE = """\
# 2. A nudge: the same copies plus noise of std 1e-6. Near a tie a small gap grows like e^(λt) (the tie
#    is a saddle) or shrinks (it is stable): which one happens here?
nudged = nudge(copies, 1e-6, np.random.default_rng(1))
_, run = train(nudged, epochs=TRY_EPOCHS, dropout=0.0)
print(f"nudged start, gaps at the start: {run['gaps'][0]}")
print(f"nudged start, gaps after {len(run['gaps']) - 1} epochs: {run['gaps'][-1]}")"""

TRY_DROPOUT = """\
# 3. Dropout on the identical start: every unit draws its own random mask, so the copies see different
#    updates and separate, although they started (and are treated) exactly alike.
_, run = train(copies, epochs=TRY_EPOCHS, dropout=DROPOUT or 0.2)
print(f"identical start with dropout, gaps after {len(run['gaps']) - 1} epochs: {run['gaps'][-1]}")"""

NO_HIDDEN = ('print("This network has no hidden layer, so it has no units to compare: export a run with '
             'one to try this.")')


def sklearn_skip_reason(config: RunConfig) -> str:
    """The sentence the scikit-learn cells print instead of running, or "" when they can run."""
    missing = [reason for field, reason in MISSING_IN_SKLEARN if getattr(config, field) > 0]
    if not missing:
        return ""
    return f"The scikit-learn cross-check is skipped because {' and '.join(missing)}."


def _settings(config: RunConfig, regression: bool) -> str:
    """The constructor's optimizer settings, mapped from ours (see the module doc)."""
    if config.optimizer == "adam":
        if regression:  # half the gradient: Adam's m/√v is unchanged, but ε must be halved with it
            return "learning_rate_init=LEARNING_RATE, alpha=L2 / 2, epsilon=1e-8 / 2"
        return "learning_rate_init=LEARNING_RATE, alpha=L2"
    momentum = "MOMENTUM" if config.optimizer == "momentum" else "0.0"
    rate, alpha = ("2 * LEARNING_RATE", "L2 / 2") if regression else ("LEARNING_RATE", "L2")
    return f"learning_rate_init={rate}, alpha={alpha},\n    momentum={momentum}, nesterovs_momentum=False"


def sklearn_cells(config: RunConfig, task: str, n_classes: int, full_batch: bool) -> list[str]:
    """The cross-check's code cells: build the model with our start, train it, compare the weights.

    When scikit-learn cannot reproduce the run, a single cell that prints why.
    """
    reason = sklearn_skip_reason(config)
    if reason:
        return [f"print({reason!r})"]
    regression = task == "regression"
    build = BUILD.format(
        model="MLPRegressor" if regression else "MLPClassifier",
        activation=SKLEARN_ACTIVATIONS[config.activation],
        solver="adam" if config.optimizer == "adam" else "sgd",
        settings=_settings(config, regression),
        classes="" if regression else f", classes=np.arange({max(n_classes, 2)})",
    )
    order_line = ("order = np.arange(len(X_train))" if full_batch
                  else "order = rng_order.permutation(len(X_train))  # the permutation we drew")
    return [build, TRAIN.format(order_line=order_line), COMPARE]


def try_cells(config: RunConfig) -> list[str]:
    """Three short experiments on this run's network, or one sentence if it has no hidden layer."""
    if not config.hidden:
        return [NO_HIDDEN]
    return [TRY_IDENTICAL, TRY_NUDGE, TRY_DROPOUT]
