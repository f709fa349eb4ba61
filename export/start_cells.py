"""The notebook's start cells: the random streams, the initializer and the symmetric start.

The numbers must be the app's to the last bit, so each text below repeats core's arithmetic exactly
(core/train.py `_random_streams`, core/initializers.py): the same generator calls in the same order, the
same float expressions in the same order (`math.sqrt(3.0) * gain / math.sqrt(fan_in)` is not always
`math.sqrt(3.0 / fan_in) * gain` in floating point). Only the run's own initializer is written out, so
the reader meets one formula, not twelve; tests/export checks every one of them against `init_params`.
"""

from __future__ import annotations

import textwrap

from core.config import RunConfig
from core.initializers import ACTIVATION_GAIN_INITIALIZERS, INITIALIZER_TITLES

STREAMS = """\
def random_streams(seed):
    \"\"\"Three independent generators from one seed: the start, the order of the minibatches and the
    dropout masks. Changing one setting (say, dropout) never changes the draws of the others.\"\"\"
    return tuple(np.random.default_rng(child) for child in np.random.SeedSequence(seed).spawn(3))"""

# name -> (what the formula is, the body of draw_layer(fan_in, fan_out, rng[, gain]))
INITIALIZERS: dict[str, tuple[str, str]] = {
    "zeros": ("every weight and bias 0, the perfectly symmetric start",
              "return np.zeros((fan_in, fan_out)), np.zeros(fan_out)"),
    "constant": ("every weight = INIT_SCALE, biases 0",
                 "return np.full((fan_in, fan_out), float(INIT_SCALE)), np.zeros(fan_out)"),
    "uniform": ("W ~ U(−INIT_SCALE, INIT_SCALE), biases 0",
                "return rng.uniform(-INIT_SCALE, INIT_SCALE, size=(fan_in, fan_out)), np.zeros(fan_out)"),
    "normal": ("W ~ N(0, INIT_SCALE²), biases 0",
               "return rng.normal(0.0, INIT_SCALE, size=(fan_in, fan_out)), np.zeros(fan_out)"),
    "glorot_uniform": (
        "W ~ U(±√(6/(fan_in + fan_out))), biases 0 (Glorot & Bengio 2010)",
        "bound = math.sqrt(3.0) * math.sqrt(2.0 / (fan_in + fan_out))  # √3 · std\n"
        "return rng.uniform(-bound, bound, size=(fan_in, fan_out)), np.zeros(fan_out)"),
    "glorot_normal": (
        "W ~ N(0, 2/(fan_in + fan_out)), biases 0 (Glorot & Bengio 2010)",
        "std = math.sqrt(2.0 / (fan_in + fan_out))\n"
        "return rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)"),
    "he_uniform": (
        "W ~ U(±√3 · gain/√fan_in), biases 0 (He et al. 2015; torch's kaiming_uniform_)",
        "bound = math.sqrt(3.0) * gain / math.sqrt(fan_in)\n"
        "return rng.uniform(-bound, bound, size=(fan_in, fan_out)), np.zeros(fan_out)"),
    "he_normal": (
        "W ~ N(0, gain²/fan_in), biases 0 (He et al. 2015; torch's kaiming_normal_)",
        "std = gain / math.sqrt(fan_in)\n"
        "return rng.normal(0.0, std, size=(fan_in, fan_out)), np.zeros(fan_out)"),
    "lecun_normal": ("W ~ N(0, 1/fan_in), biases 0 (LeCun et al. 1998)",
                     "return rng.normal(0.0, 1.0 / math.sqrt(fan_in), size=(fan_in, fan_out)), "
                     "np.zeros(fan_out)"),
    "orthogonal": (
        "a (semi-)orthogonal W from the QR of a Gaussian matrix, biases 0 (Saxe et al. 2014)",
        "tall, short = max(fan_in, fan_out), min(fan_in, fan_out)\n"
        "q, r = np.linalg.qr(rng.normal(size=(tall, short)))\n"
        "q = q * np.where(np.diag(r) < 0.0, -1.0, 1.0)  # signs fixed, so Q is uniformly distributed\n"
        "W = q if fan_in >= fan_out else q.T\n"
        "return np.ascontiguousarray(W), np.zeros(fan_out)"),
    "torch_default": (
        "W and b ~ U(±1/√fan_in): the bias is random too",
        "bound = 1.0 / math.sqrt(fan_in)\n"
        "W = rng.uniform(-bound, bound, size=(fan_in, fan_out))\n"
        "return W, rng.uniform(-bound, bound, size=fan_out)"),
    "sklearn_default": (
        "W and b ~ U(±√(factor/(fan_in + fan_out))), factor {factor} ({why})",
        "bound = math.sqrt({factor} / (fan_in + fan_out))\n"
        "W = rng.uniform(-bound, bound, size=(fan_in, fan_out))\n"
        "return W, rng.uniform(-bound, bound, size=fan_out)"),
}

# torch.nn.init.calculate_gain for each activation, as the He initializers use it.
GAIN_TEXT = {"relu": "math.sqrt(2.0)", "tanh": "5.0 / 3.0", "sigmoid": "1.0", "linear": "1.0"}

SYMMETRIC_START = """\
def symmetric_start(params, mode):
    \"\"\"A copy of `params` where every hidden unit copies unit 0: its incoming weights and bias
    ("same_fan_in"), its outgoing weights ("same_fan_out"), or all three ("identical").\"\"\"
    params = [(W.copy(), b.copy()) for W, b in params]
    for layer in range(len(params) - 1):  # hidden layer `layer`: fed by params[layer]
        W_in, b = params[layer]
        W_out, _ = params[layer + 1]
        if mode in ("identical", "same_fan_in"):
            W_in[:] = W_in[:, :1]  # every column = unit 0's incoming weights
            b[:] = b[0]
        if mode in ("identical", "same_fan_out"):
            W_out[:] = W_out[:1, :]  # every row = unit 0's outgoing weights
    return params


def nudge(params, epsilon, rng):
    \"\"\"Every weight and bias plus Gaussian noise of std epsilon.\"\"\"
    return [(W + rng.normal(0.0, epsilon, size=W.shape), b + rng.normal(0.0, epsilon, size=b.shape))
            for W, b in params]"""

DRAW_START = """\
def draw_start(rng):
    \"\"\"The run's start: each layer drawn in order, then the symmetric start, then the nudge.\"\"\"
    params = []
    for layer, (fan_in, fan_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        params.append(draw_layer(fan_in, fan_out, rng{gain_argument}))
    params = symmetric_start(params, SYMMETRY)
    if PERTURBATION > 0:  # drawn after every layer, so a nudge of 0 and of ε share the same draw
        params = nudge(params, PERTURBATION, rng)
    return params


SIZES = [X_train.shape[1], *HIDDEN, N_OUTPUTS]
start = draw_start(random_streams(SEED)[0])
print("layer sizes:", SIZES)"""


def initializer_cell(config: RunConfig) -> str:
    """`draw_layer`, written for the run's initializer (and its gain, for He)."""
    name = config.initializer
    what, body = INITIALIZERS[name]
    if name == "sklearn_default":  # scikit-learn tests its hidden activation, for the output layer too
        factor, why = ("2.0", "2 because the units are logistic") if config.activation == "sigmoid" else (
            "6.0", "6, or 2 for logistic units")
        what, body = what.format(factor=factor, why=why), body.format(factor=factor)
    gain = name in ACTIVATION_GAIN_INITIALIZERS
    signature = "fan_in, fan_out, rng, gain" if gain else "fan_in, fan_out, rng"
    lines = textwrap.wrap(f"{INITIALIZER_TITLES[name]}: {what}.", width=100, initial_indent="# ",
                          subsequent_indent="# ")
    if gain:
        lines += [f"GAIN = {GAIN_TEXT[config.activation]}  # {config.activation}'s gain "
                  "(torch.nn.init.calculate_gain); the output layer gets 1", ""]
    lines += ["", "", f"def draw_layer({signature}):", '    """One layer\'s W (fan_in × fan_out) and b."""']
    lines += ["    " + line for line in body.splitlines()]
    return "\n".join(lines).replace("\n\n\n\n", "\n\n\n")


def draw_start_cell(config: RunConfig) -> str:
    """`draw_start`: the layers in order (with He's gain on the hidden layers), symmetry, nudge."""
    gain = ", GAIN if layer < len(HIDDEN) else 1.0" if config.initializer in ACTIVATION_GAIN_INITIALIZERS \
        else ""
    return DRAW_START.format(gain_argument=gain)
