"""How the starting weights are drawn, with the formulas of the libraries people actually use, and the
symmetric starts the lessons need.

Every initializer is one small function with the same signature,
`(fan_in, fan_out, rng, *, gain, scale, activation) -> (W, b)`, in the registry `INITIALIZERS`; each uses
only the arguments its library uses. `W` is shaped `(fan_in, fan_out)` like scikit-learn's `coefs_` (the
transpose of PyTorch's `weight`), so "unit j of this layer" is column j of W, entry j of b, and row j of the
next layer's W.

Why symmetric starts matter: if two hidden units have equal incoming column, bias *and* outgoing row, the
loss is symmetric under swapping them, so their gradients are equal and they stay equal forever. Random
initialization exists to break that tie. `apply_symmetry` builds the tied (or half-tied) starts on purpose.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

import numpy as np

from core.config import RunConfig

Array = np.ndarray
Params = list[tuple[Array, Array]]
Initializer = Callable[..., tuple[Array, Array]]

# PyTorch's torch.nn.init.calculate_gain: the factor that keeps the forward signal's variance roughly
# constant through a layer with that nonlinearity.
GAINS: dict[str, float] = {
    "relu": math.sqrt(2.0),
    "tanh": 5.0 / 3.0,
    "sigmoid": 1.0,
    "linear": 1.0,
}

# Initializers whose library takes the nonlinearity (PyTorch kaiming_*_(nonlinearity=...)); xavier_*_ and
# orthogonal_ default to gain 1 and the Keras classes have no gain at all, so those get gain 1 here.
ACTIVATION_GAIN_INITIALIZERS = frozenset({"he_uniform", "he_normal"})


def _zero_bias(fan_out: int) -> Array:
    return np.zeros(fan_out)


# --- the initializers ----------------------------------------------------------------------------------

def zeros(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
          activation: str = "tanh") -> tuple[Array, Array]:
    """All weights and biases 0 (torch.nn.init.zeros_, keras Zeros): the perfectly symmetric start."""
    return np.zeros((fan_in, fan_out)), _zero_bias(fan_out)


def constant(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
             activation: str = "tanh") -> tuple[Array, Array]:
    """Every weight = scale, biases 0 (torch.nn.init.constant_(w, scale), keras Constant(scale))."""
    return np.full((fan_in, fan_out), float(scale)), _zero_bias(fan_out)


def uniform(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
            activation: str = "tanh") -> tuple[Array, Array]:
    """W ~ U(−scale, scale), biases 0 (torch.nn.init.uniform_(w, -scale, scale))."""
    return rng.uniform(-scale, scale, size=(fan_in, fan_out)), _zero_bias(fan_out)


def normal(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
           activation: str = "tanh") -> tuple[Array, Array]:
    """W ~ N(0, scale²), biases 0 (torch.nn.init.normal_(w, 0, scale))."""
    return rng.normal(0.0, scale, size=(fan_in, fan_out)), _zero_bias(fan_out)


def glorot_uniform(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0,
                   scale: float = 1.0, activation: str = "tanh") -> tuple[Array, Array]:
    """Glorot & Bengio 2010: W ~ U(±a), a = √3·std, std = gain·√(2/(fan_in+fan_out)); biases 0.

    Same as torch.nn.init.xavier_uniform_ (gain default 1) and keras GlorotUniform (a = √(6/(in+out))).
    """
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_in, fan_out)), _zero_bias(fan_out)


def glorot_normal(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0,
                  scale: float = 1.0, activation: str = "tanh") -> tuple[Array, Array]:
    """W ~ N(0, std²), std = gain·√(2/(fan_in+fan_out)); biases 0 (torch.nn.init.xavier_normal_).

    A plain normal, as in PyTorch. keras GlorotNormal draws from a normal truncated at 2 std (rescaled to
    keep this std), so its extreme weights differ slightly; the variance, which is what matters, is equal.
    """
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_in, fan_out)), _zero_bias(fan_out)


def he_uniform(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
               activation: str = "tanh") -> tuple[Array, Array]:
    """He et al. 2015: W ~ U(±√3·std), std = gain/√fan_in; biases 0.

    torch.nn.init.kaiming_uniform_(w, mode="fan_in", nonlinearity=activation); with relu's gain √2 the bound
    is √(6/fan_in), keras HeUniform.
    """
    bound = math.sqrt(3.0) * gain / math.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=(fan_in, fan_out)), _zero_bias(fan_out)


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
              activation: str = "tanh") -> tuple[Array, Array]:
    """W ~ N(0, std²), std = gain/√fan_in; biases 0 (torch.nn.init.kaiming_normal_, mode="fan_in").

    A plain normal as in PyTorch (keras HeNormal truncates at 2 std).
    """
    std = gain / math.sqrt(fan_in)
    return rng.normal(0.0, std, size=(fan_in, fan_out)), _zero_bias(fan_out)


def lecun_normal(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0,
                 scale: float = 1.0, activation: str = "tanh") -> tuple[Array, Array]:
    """LeCun et al. 1998: W ~ N(0, 1/fan_in); biases 0.

    A plain normal. keras LecunNormal uses a normal truncated at 2 std, rescaled to the same variance.
    """
    return rng.normal(0.0, 1.0 / math.sqrt(fan_in), size=(fan_in, fan_out)), _zero_bias(fan_out)


def orthogonal(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0, scale: float = 1.0,
               activation: str = "tanh") -> tuple[Array, Array]:
    """Saxe et al. 2014: a (semi-)orthogonal W times gain; biases 0.

    As torch.nn.init.orthogonal_ and keras Orthogonal: QR of a Gaussian matrix with the taller side first,
    Q's columns multiplied by sign(diag(R)) so that Q is uniformly distributed (Haar) rather than biased by
    the QR routine's sign convention, transposed back when fan_in < fan_out. Result: WᵀW = gain²·I when
    fan_in ≥ fan_out, WWᵀ = gain²·I otherwise.
    """
    tall, short = max(fan_in, fan_out), min(fan_in, fan_out)
    q, r = np.linalg.qr(rng.normal(size=(tall, short)))
    q = q * np.where(np.diag(r) < 0.0, -1.0, 1.0)  # sign(diag R), with a (measure-zero) 0 counted as +
    W = q if fan_in >= fan_out else q.T
    return gain * np.ascontiguousarray(W), _zero_bias(fan_out)


def torch_default(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0,
                  scale: float = 1.0, activation: str = "tanh") -> tuple[Array, Array]:
    """PyTorch nn.Linear.reset_parameters: W and b ~ U(±1/√fan_in).

    PyTorch writes it as kaiming_uniform_(weight, a=√5), i.e. gain √(2/(1+5)), bound √3·gain/√fan_in =
    1/√fan_in, and draws the bias from U(±1/√fan_in). Unlike the others, the bias is random too.
    """
    bound = 1.0 / math.sqrt(fan_in)
    W = rng.uniform(-bound, bound, size=(fan_in, fan_out))
    return W, rng.uniform(-bound, bound, size=fan_out)


def sklearn_default(fan_in: int, fan_out: int, rng: np.random.Generator, *, gain: float = 1.0,
                    scale: float = 1.0, activation: str = "tanh") -> tuple[Array, Array]:
    """scikit-learn MLP `_init_coef`: W and b ~ U(±√(factor/(fan_in+fan_out))), factor 6, or 2 for sigmoid.

    scikit-learn tests its *hidden* activation (`self.activation == "logistic"`) for every layer,
    the output layer included, so this does the same: pass the hidden activation for every layer.
    """
    factor = 2.0 if activation == "sigmoid" else 6.0
    bound = math.sqrt(factor / (fan_in + fan_out))
    W = rng.uniform(-bound, bound, size=(fan_in, fan_out))
    return W, rng.uniform(-bound, bound, size=fan_out)


INITIALIZERS: dict[str, Initializer] = {
    function.__name__: function
    for function in (zeros, constant, uniform, normal, glorot_uniform, glorot_normal, he_uniform, he_normal,
                     lecun_normal, orthogonal, torch_default, sklearn_default)
}


# Names as the sidebar shows them, with the library each formula comes from.
INITIALIZER_TITLES: dict[str, str] = {
    "zeros": "Zeros (every weight 0)",
    "constant": "Constant (every weight = scale)",
    "uniform": "Uniform ±scale",
    "normal": "Normal, std = scale",
    "glorot_uniform": "Glorot/Xavier uniform (Keras default)",
    "glorot_normal": "Glorot/Xavier normal",
    "he_uniform": "He/Kaiming uniform",
    "he_normal": "He/Kaiming normal",
    "lecun_normal": "LeCun normal",
    "orthogonal": "Orthogonal",
    "torch_default": "PyTorch nn.Linear default",
    "sklearn_default": "scikit-learn MLP default",
}


def layer_gain(initializer: str, activation: str, is_output: bool) -> float:
    """A layer's gain: the hidden nonlinearity's for He/Kaiming, else 1; the output (logits) always 1."""
    if is_output or initializer not in ACTIVATION_GAIN_INITIALIZERS:
        return 1.0
    return GAINS[activation]


# --- symmetric starts ----------------------------------------------------------------------------------

# mode -> (copy unit 0's incoming column and bias, copy unit 0's outgoing row)
SYMMETRY_MODES: dict[str, tuple[bool, bool]] = {
    "none": (False, False),
    "identical": (True, True),
    "same_fan_in": (True, False),
    "same_fan_out": (False, True),
}
START_LABELS = {
    "none": "random (no tie)",
    "identical": "identical copies",
    "same_fan_in": "same input weights",
    "same_fan_out": "same output weights",
}
"""How each start is named on screen (lessons compare runs that differ only in it)."""


def contrast_start(symmetry: str) -> str:
    """The start a lesson compares a run with: identical copies, unless the run already starts identical."""
    return "none" if symmetry == "identical" else "identical"


def apply_symmetry(params: Sequence[tuple[Array, Array]], mode: str) -> Params:
    """A copy of `params` in which every hidden unit starts as a copy of unit 0 (in part or in full).

    Hidden layer l is params[l]: its units' incoming weights are the columns of W_l, their biases b_l, their
    outgoing weights the rows of W_{l+1}. "identical" copies all three (a tie no deterministic training can
    break), "same_fan_in" only column and bias, "same_fan_out" only the row. Leading seed axes are allowed.
    """
    copy_fan_in, copy_fan_out = SYMMETRY_MODES[mode]
    weights = [np.array(W, dtype=np.float64) for W, _ in params]
    biases = [np.array(b, dtype=np.float64) for _, b in params]
    for layer in range(len(params) - 1):
        if copy_fan_in:
            weights[layer][...] = weights[layer][..., :, :1]
            biases[layer][...] = biases[layer][..., :1]
        if copy_fan_out:
            weights[layer + 1][...] = weights[layer + 1][..., :1, :]
    return list(zip(weights, biases, strict=True))


# --- the whole network -------------------------------------------------------------------------------------

def default_layer_sizes(config: RunConfig) -> list[int]:
    """[n_features, *hidden, n_outputs] for the config's dataset, without loading the data."""
    from core.datasets import dataset_dimensions

    n_features, n_outputs, _ = dataset_dimensions(config.dataset, config.n_samples)
    return [n_features, *config.hidden, n_outputs]


def init_params(config: RunConfig, rng: np.random.Generator | int,
                layer_sizes: Sequence[int] | None = None) -> Params:
    """Starting parameters: each layer drawn in order from `rng`, then the symmetry mode, then the noise.

    `rng` is a numpy Generator (an int seed is accepted too). The noise of std `config.perturbation` is drawn
    after all layers, for every weight and bias, so ε = 0 and ε > 0 start from the same underlying draw and
    a lesson can nudge a symmetric start by exactly ε.
    """
    rng = np.random.default_rng(rng)
    sizes = list(layer_sizes) if layer_sizes is not None else default_layer_sizes(config)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs an input and an output size, got {sizes}")
    initializer = INITIALIZERS[config.initializer]
    n_layers = len(sizes) - 1
    params: Params = []
    for index, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        gain = layer_gain(config.initializer, config.activation, is_output=index == n_layers - 1)
        W, b = initializer(int(fan_in), int(fan_out), rng, gain=gain, scale=config.init_scale,
                           activation=config.activation)
        params.append((np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)))
    params = apply_symmetry(params, config.symmetry)
    if config.perturbation > 0:
        params = [(W + rng.normal(0.0, config.perturbation, size=W.shape),
                   b + rng.normal(0.0, config.perturbation, size=b.shape)) for W, b in params]
    return params
