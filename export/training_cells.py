"""The notebook's training cells: the network, its loss, the gradient factor by factor, the update rule,
the exact ties, the symmetry gap and the loop — the run's own choices only (one activation, one task,
one optimizer).

The arithmetic repeats core's (core/network.py, core/tasks.py, core/optimizers.py, core/train.py) in the
same order, so the notebook's numbers are the app's to ~1e-15, not merely close. That includes core's
exact ties (core/ties.py): BLAS may round one column of a product differently from another (another
micro-kernel for leftover columns), so units that start as exact copies could drift 1e-16 apart and, at
an unstable tie, split. Like the app, the notebook groups exact copies once and gives each group one
gradient. (An elementwise product summed in a fixed order keeps ties too, without groups, but costs 50×
a BLAS product on a 64-wide layer of digits: minutes instead of seconds for the largest runs.)
"""

from __future__ import annotations

ACTIVATIONS: dict[str, str] = {
    "tanh": """\
def sigma(z):
    \"\"\"tanh(z), written as 2/(1 + e^(−2z)) − 1 (the app's formula: the same bits as its numbers).\"\"\"
    return 2.0 / (1.0 + np.exp(-2.0 * z)) - 1.0


def sigma_prime(h):
    \"\"\"σ'(z) from the unit's output h = tanh(z): 1 − h².\"\"\"
    return 1.0 - h * h""",
    "relu": """\
def sigma(z):
    \"\"\"ReLU: max(z, 0).\"\"\"
    return np.maximum(z, 0.0)


def sigma_prime(h):
    \"\"\"σ'(z) from the unit's output h: 1 where the unit is on, 0 where it is off.\"\"\"
    return (h > 0).astype(float)""",
    "sigmoid": """\
from scipy.special import expit  # the logistic function (scipy comes with scikit-learn)


def sigma(z):
    \"\"\"The logistic function 1/(1 + e^(−z)).\"\"\"
    return expit(z)


def sigma_prime(h):
    \"\"\"σ'(z) from the unit's output h = σ(z): h·(1 − h).\"\"\"
    return h * (1.0 - h)""",
    "linear": """\
def sigma(z):
    \"\"\"The identity: a linear unit passes z on unchanged.\"\"\"
    return z


def sigma_prime(h):
    \"\"\"σ'(z) = 1 everywhere.\"\"\"
    return np.ones_like(h)""",
}

FORWARD = """\
def forward(params, X, masks=None):
    \"\"\"Every hidden layer's output h = σ(a·W + b), and the output layer's logits a·W + b.

    `masks` (one per hidden layer, 0 or 1/(1 − p)) is dropout: the next layer sees h·mask, while h
    itself is kept for σ'.\"\"\"
    hidden, a = [], X
    for layer, (W, b) in enumerate(params[:-1]):
        h = sigma(a @ W + b)
        hidden.append(h)
        a = h if masks is None else h * masks[layer]
    W, b = params[-1]
    return hidden, a @ W + b"""

# task -> the output layer: N_OUTPUTS, output(), targets(), mean_loss(), DELTA_SCALE
OUTPUTS: dict[str, str] = {
    "binary": """\
from scipy.special import expit  # the logistic function (scipy comes with scikit-learn)

N_OUTPUTS = 1  # two classes: one logistic output unit, p = P(class 1)
DELTA_SCALE = 1.0  # ∂(log loss)/∂logit = p − t


def output(logits):
    return expit(logits)  # p = σ(logit) = 1/(1 + e^(−logit))


def targets(y):
    return y.astype(np.float64)[:, None]  # a column of 0s and 1s


def mean_loss(logits, t):
    \"\"\"Mean log loss −[t·log p + (1 − t)·log(1 − p)], written from the logit so it never takes log 0.\"\"\"
    return np.mean(np.logaddexp(0.0, logits) - t * logits)""",
    "multiclass": """\
N_OUTPUTS = {n_classes}  # one softmax output unit per class
DELTA_SCALE = 1.0  # ∂(log loss)/∂logits = p − t


def output(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))  # shifted, so e^z cannot overflow
    return e / e.sum(axis=1, keepdims=True)  # softmax: the class probabilities p


def targets(y):
    return np.eye(N_OUTPUTS)[y]  # one-hot rows


def mean_loss(logits, t):
    \"\"\"Mean log loss −Σ t·log p, with log p computed from the shifted logits (never log 0).\"\"\"
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return np.mean(-(t * log_p).sum(axis=1))""",
    "regression": """\
N_OUTPUTS = 1  # regression: one linear output unit o
DELTA_SCALE = 2.0  # ∂(t − o)²/∂o = 2(o − t)


def output(logits):
    return logits  # o: the linear unit passes its sum on


def targets(y):
    return y[:, None]


def mean_loss(o, t):
    \"\"\"Mean squared error (t − o)², the textbook loss (scikit-learn's is half of it).\"\"\"
    return np.mean((t - o) ** 2)""",
}

TARGETS = """\
T_train, T_test = targets(y_train), targets(y_test)"""

GRADIENTS = """\
def gradients(params, X, t, masks=None):
    \"\"\"∂L/∂W and ∂L/∂b of every layer for the mean loss on rows X (plus the L1/L2 penalties).\"\"\"
    hidden, logits = forward(params, X, masks)
    n = len(X)
    delta = (output(logits) - t) * (DELTA_SCALE / n)  # ∂L/∂logits, with the mean's 1/n
    grads = []
    for layer in reversed(range(len(params))):
        W, b = params[layer]
        if layer == 0:
            a = X  # what this layer sees
        else:
            a = hidden[layer - 1] if masks is None else hidden[layer - 1] * masks[layer - 1]
        penalty = (L2 / n) * W + (L1 / n) * np.sign(W)  # ∂/∂W of (L2/2·ΣW² + L1·Σ|W|) / n
        grads.append((a.T @ delta + penalty, delta.sum(axis=0)))  # ∂L/∂W = aᵀ·δ, ∂L/∂b = Σ δ
        if layer > 0:  # δ of the layer below: what each unit sends on (δ·Wᵀ), times σ'(z)
            delta = (delta @ W.T) * sigma_prime(hidden[layer - 1])
            if masks is not None:
                delta = delta * masks[layer - 1]  # a dropped unit passed nothing on, so learns nothing
    return grads[::-1]"""

TIES = """\
SHARE_TIES = True  # False: let rounding act as a nudge (the app's lesson "Rounding as a nudge")


def copy_groups(params):
    \"\"\"For every hidden layer, the index of the first unit each unit is an exact copy of (itself if
    none): a unit is its incoming weights, bias and outgoing weights, compared bit for bit.\"\"\"
    groups = []
    for layer in range(len(params) - 1):
        units = np.column_stack([params[layer][0].T, params[layer][1], params[layer + 1][0]])
        equal = (units[:, None, :] == units[None, :, :]).all(axis=2)
        groups.append(equal.argmax(axis=1))  # the first True of each row
    return groups


def share(grads, groups):
    \"\"\"Give every copy the gradient of its group's first unit: its column of ∂W, its entry of ∂b and
    its row of the next layer's ∂W. Units that differ in any bit have groups of their own.\"\"\"
    for layer, first in enumerate(groups):
        grad_W, grad_b = grads[layer]
        grad_W[:] = grad_W[:, first]
        grad_b[:] = grad_b[first]
        grads[layer + 1][0][:] = grads[layer + 1][0][first, :]"""

OPTIMIZERS: dict[str, str] = {
    "plain": """\
class Optimizer:
    \"\"\"Plain steps θ ← θ − η·g ({what}).\"\"\"

    def __init__(self, params):
        self.params = params  # every W and b, updated in place

    def step(self, grads):
        for param, grad in zip(self.params, grads):
            param -= LEARNING_RATE * grad""",
    "momentum": """\
class Optimizer:
    \"\"\"Momentum as scikit-learn writes it: v ← μ·v − η·g, then θ ← θ + v (not Nesterov's).\"\"\"

    def __init__(self, params):
        self.params = params  # every W and b, updated in place
        self.velocities = [np.zeros_like(param) for param in params]

    def step(self, grads):
        for param, grad, velocity in zip(self.params, grads, self.velocities):
            velocity *= MOMENTUM
            velocity -= LEARNING_RATE * grad
            param += velocity""",
    "adam": """\
class Optimizer:
    \"\"\"Adam as scikit-learn writes it (β₁ 0.9, β₂ 0.999, ε 1e-8): both bias corrections go into
    the step size, so ε is added to √v itself.\"\"\"

    def __init__(self, params):
        self.params, self.t = params, 0  # every W and b, updated in place; the step count
        self.m = [np.zeros_like(param) for param in params]  # running mean of g
        self.v = [np.zeros_like(param) for param in params]  # running mean of g²

    def step(self, grads):
        self.t += 1
        step = LEARNING_RATE * np.sqrt(1 - 0.999**self.t) / (1 - 0.9**self.t)
        for param, grad, m, v in zip(self.params, grads, self.m, self.v):
            m *= 0.9
            m += (1 - 0.9) * grad
            v *= 0.999
            v += (1 - 0.999) * grad * grad
            param -= step * m / (np.sqrt(v) + 1e-8)""",
}

GAP = """\
def symmetry_gap(params, layer):
    \"\"\"The largest distance between two units of hidden layer `layer`, each unit being its incoming
    weights, its bias and its outgoing weights together: exactly 0.0 while all units are copies.\"\"\"
    W_in, b = params[layer]
    W_out, _ = params[layer + 1]
    units = np.column_stack([W_in.T, b, W_out])  # one row per unit
    differences = units[:, None, :] - units[None, :, :]
    return float(np.sqrt((differences**2).sum(axis=2).max()))"""

EVALUATE = """\
def evaluate(params):
    \"\"\"Train and test loss (without the penalties) and every hidden layer's symmetry gap.\"\"\"
    return (float(mean_loss(forward(params, X_train)[1], T_train)),
            float(mean_loss(forward(params, X_test)[1], T_test)),
            [symmetry_gap(params, layer) for layer in range(len(params) - 1)])


def blew_up(train_loss, test_loss, params, start_loss):
    \"\"\"Why the run has exploded, or "". Like the app: not finite, a weight beyond 1e6, or a train
    loss 50× its start (at least 0.1); the app then keeps the epochs before this one.\"\"\"
    largest = np.max([np.abs(array).max() for layer in params for array in layer])
    if not np.isfinite([train_loss, test_loss, largest]).all():
        return "the loss or the weights stopped being finite numbers"
    if largest > 1e6:
        return f"a weight exploded to {largest:.3g}"
    if train_loss > 50.0 * max(start_loss, 0.1):
        return f"the training loss exploded to {train_loss:.3g}"
    return \"\""""

EPOCH = """\
{batch_line}


def dropout_masks(rows, dropout, rng):
    \"\"\"Inverted dropout: each unit of each row kept with probability 1 − p and scaled by 1/(1 − p).\"\"\"
    if dropout == 0:
        return None
    keep = 1.0 - dropout
    return [(rng.random((rows, width)) < keep) / keep for width in HIDDEN]


def one_epoch(params, optimizer, rng_order, rng_dropout, dropout, groups):
    \"\"\"One pass over the training rows: a step per minibatch (copies share one gradient).\"\"\"
    n = len(X_train)
    {order_line}
    for first in range(0, n, BATCH):
        rows = order[first:first + BATCH]
        masks = dropout_masks(len(rows), dropout, rng_dropout)
        grads = gradients(params, X_train[rows], T_train[rows], masks)
        if groups is not None:
            share(grads, groups)
        optimizer.step([grad for layer in grads for grad in layer])"""

BATCH_LINES = {
    True: ("BATCH = len(X_train)  # gradient descent: every step sees every training row",
           "order = np.arange(n)  # all rows, in order: no randomness at all"),
    False: ("BATCH = min(BATCH_SIZE, len(X_train))  # minibatches; the last one may be smaller",
            "order = rng_order.permutation(n)  # a new random order every epoch"),
}

TRAIN = """\
def train(start, epochs=EPOCHS, dropout=DROPOUT, seed=SEED):
    \"\"\"Train a copy of `start`. Returns the last good parameters and, per epoch, the record.\"\"\"
    params = [(W.copy(), b.copy()) for W, b in start]
    _, rng_order, rng_dropout = random_streams(seed)
    optimizer = Optimizer([array for layer in params for array in layer])
    # Dropout draws a mask per unit, so its copies really do separate: they are never grouped.
    groups = copy_groups(params) if SHARE_TIES and dropout == 0 else None
    record = {"train loss": [], "test loss": [], "gaps": [], "stopped": ""}
    last_good = [(W.copy(), b.copy()) for W, b in params]
    for epoch in range(epochs + 1):
        train_loss, test_loss, gaps = evaluate(params)
        start_loss = record["train loss"][0] if record["train loss"] else train_loss
        why = blew_up(train_loss, test_loss, params, start_loss)
        if why:
            record["stopped"] = f"diverged at epoch {epoch}: {why}"
            return last_good, record
        for name, value in (("train loss", train_loss), ("test loss", test_loss), ("gaps", gaps)):
            record[name].append(value)
        last_good = [(W.copy(), b.copy()) for W, b in params]
        if epoch < epochs:
            one_epoch(params, optimizer, rng_order, rng_dropout, dropout, groups)
    return params, record"""

RESULTS = """\
final, record = train(start)
epochs_trained = len(record["train loss"]) - 1
print(record["stopped"] or f"trained {epochs_trained} epochs")
for epoch in sorted({0, epochs_trained // 4, epochs_trained // 2, epochs_trained}):
    gaps = ", ".join(f"{gap:.4g}" for gap in record["gaps"][epoch])
    print(f"epoch {epoch:>5}: train loss {record['train loss'][epoch]:.6f}, gaps [{gaps}]")
print()
print(f"final train loss: {record['train loss'][-1]!r}")
print(f"final test loss: {record['test loss'][-1]!r}")
for layer, gap in enumerate(record["gaps"][-1]):
    print(f"final symmetry gap, hidden layer {layer + 1}: {gap!r}")"""


def output_kind(task: str, n_outputs: int) -> str:
    """Which output layer the run has: "binary", "multiclass" or "regression"."""
    if task == "regression":
        return "regression"
    return "binary" if n_outputs == 1 else "multiclass"


def output_cell(task: str, n_outputs: int) -> str:
    """The output layer, its targets and its loss, for the run's task."""
    return OUTPUTS[output_kind(task, n_outputs)].format(n_classes=n_outputs)


def optimizer_cell(optimizer: str) -> str:
    """The update rule of the run's optimizer (gd and sgd share the plain step)."""
    if optimizer in ("gd", "sgd"):
        what = "full batch: gradient descent" if optimizer == "gd" else "on minibatches: SGD"
        return OPTIMIZERS["plain"].format(what=what)
    return OPTIMIZERS[optimizer]


def epoch_cell(full_batch: bool) -> str:
    """The minibatches (or the one full batch), dropout masks and one epoch of steps."""
    batch_line, order_line = BATCH_LINES[full_batch]
    return EPOCH.format(batch_line=batch_line, order_line=order_line)
