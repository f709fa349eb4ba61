"""Every training setting in one frozen value, its validation, and its URL form.

`RunConfig` is the single source of truth for a run: the sidebar edits one, the cache keys on one, the
URL stores one. Because it is frozen and hashable, "same config" can mean "same History" everywhere.

The allowed values live in one table, `FIELDS`, so validation, the URL round trip and the sidebar's
controls (app/controls.py, which holds the words shown to the user) all read the same ranges instead of
repeating them.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core import custom_data
from core.errors import ConfigError
from core.optimizers import OPTIMIZERS
from core.plain_text import plain_text

DATASET_NAMES = (
    "moons", "circles", "blobs", "xor", "spiral", "gaussian_quantiles", "linear", "plane", "gaussians",
    "iris", "wine", "breast_cancer", "digits", "diabetes",
)
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")
INITIALIZER_NAMES = (
    "zeros", "constant", "uniform", "normal", "glorot_uniform", "glorot_normal", "he_uniform",
    "he_normal", "lecun_normal", "orthogonal", "torch_default", "sklearn_default",
)
SYMMETRY_NAMES = ("none", "identical", "same_fan_in", "same_fan_out")
OPTIMIZER_NAMES = tuple(OPTIMIZERS)  # from the registry (light: numpy only)

MAX_HIDDEN_LAYERS = 3
MAX_WIDTH = 64
# How hidden layers are written, in every message about them (the sidebar box, the URL, RunConfig).
HIDDEN_FORMAT = (f"up to {MAX_HIDDEN_LAYERS} widths from 1 to {MAX_WIDTH} separated by '-', like 8-8, "
                 "or none for no hidden layer")

@dataclass(frozen=True)
class FieldSpec:
    """What one RunConfig field accepts. `choices` for names; `low`/`high` for numbers."""

    kind: type
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    also: Callable[[Any], bool] | None = None  # names accepted beyond `choices` (data held by the server)

    def describe(self) -> str:
        """The allowed values in words, for messages: "a whole number from 0 to 2147483647"."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is tuple:
            return HIDDEN_FORMAT
        if self.kind is int:
            return f"a whole number from {int(self.low)} to {int(self.high)}"
        return f"a number from {self.low:g} to {self.high:g}"


FIELDS: dict[str, FieldSpec] = {
    "dataset": FieldSpec(str, DATASET_NAMES, also=custom_data.is_known),  # or an upload (core.custom_data)
    "n_samples": FieldSpec(int, low=20, high=2000),
    "noise": FieldSpec(float, low=0.0, high=1.0),
    "data_seed": FieldSpec(int, low=0, high=2**31 - 1),
    "hidden": FieldSpec(tuple, low=1, high=MAX_WIDTH),
    "activation": FieldSpec(str, ACTIVATION_NAMES),
    "initializer": FieldSpec(str, INITIALIZER_NAMES),
    "init_scale": FieldSpec(float, low=0.0, high=10.0),
    "symmetry": FieldSpec(str, SYMMETRY_NAMES),
    "perturbation": FieldSpec(float, low=0.0, high=1.0),
    "optimizer": FieldSpec(str, OPTIMIZER_NAMES),
    "learning_rate": FieldSpec(float, low=1e-6, high=100.0),
    "momentum": FieldSpec(float, low=0.0, high=0.999),
    "epochs": FieldSpec(int, low=0, high=5000),
    "batch_size": FieldSpec(int, low=1, high=2000),
    "l2": FieldSpec(float, low=0.0, high=100.0),
    "l1": FieldSpec(float, low=0.0, high=100.0),
    "dropout": FieldSpec(float, low=0.0, high=0.9),
    "seed": FieldSpec(int, low=0, high=2**31 - 1),
}


@dataclass(frozen=True)
class RunConfig:
    """One training run, fully determined: same RunConfig ⇒ bit-identical History."""

    dataset: str = "moons"
    n_samples: int = 400
    noise: float = 0.2
    data_seed: int = 0
    hidden: tuple[int, ...] = (8,)
    activation: str = "tanh"
    initializer: str = "glorot_uniform"
    init_scale: float = 1.0
    symmetry: str = "none"
    perturbation: float = 0.0
    optimizer: str = "gd"
    learning_rate: float = 0.5
    momentum: float = 0.9
    epochs: int = 500
    batch_size: int = 32
    l2: float = 0.0
    l1: float = 0.0
    dropout: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        # Normalise types first (a list for hidden, numpy scalars, ints given as floats) so that equal
        # settings hash equally, then check every value against FIELDS.
        for name in FIELDS:
            object.__setattr__(self, name, validate_field(name, getattr(self, name)))
        from core.budget import MAX_COST_SECONDS, estimated_seconds, max_epochs  # needs the dataset registry

        cost = estimated_seconds(self)
        if cost > MAX_COST_SECONDS:
            fits = min(max_epochs(self), int(FIELDS["epochs"].high))
            raise ConfigError(
                "epochs", self.epochs,
                f"this run would take about {cost:.0f} s, over the {MAX_COST_SECONDS:g} s compute budget; "
                f"use at most {fits} epochs, fewer samples, narrower layers or a larger batch",
            )

    def replace(self, **changes: Any) -> RunConfig:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with the spec of its custom data, if any (sizes and classes, never rows): a worker
        process that unpickles this config can then check, budget and name it (core.custom_data)."""
        values = tuple(getattr(self, spec.name) for spec in dataclasses.fields(self))
        custom = custom_data.known_spec(self.dataset) if custom_data.is_custom_name(self.dataset) else None
        return _unpickled_config, (values, custom)

    def to_query_params(self) -> dict[str, str]:
        """The URL form: every field as a short string, `hidden` as widths joined by '-'."""
        return {name: url_form(getattr(self, name)) for name in FIELDS}

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any]) -> tuple[RunConfig, list[str]]:
        """Parse a URL's query params. Never raises: bad values fall back to defaults with a warning."""
        return config_from_query_params(params)


def _unpickled_config(values: tuple[Any, ...], custom: Any) -> RunConfig:
    """A pickled RunConfig again, as pickle restores any dataclass (no validation: it was valid when
    pickled), after remembering its custom data's spec (see `RunConfig.__reduce__`)."""
    if custom is not None:
        custom_data.remember(custom)
    config = object.__new__(RunConfig)
    for spec, value in zip(dataclasses.fields(RunConfig), values, strict=True):
        object.__setattr__(config, spec.name, value)
    return config


def _normalise_hidden(value: Any) -> tuple[int, ...]:
    spec = FIELDS["hidden"]
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ConfigError("hidden", value, "a tuple of layer widths, e.g. (8,) or (16, 16)")
    widths = tuple(value)
    if len(widths) > MAX_HIDDEN_LAYERS:
        raise ConfigError("hidden", value, HIDDEN_FORMAT)
    result = []
    for width in widths:
        if isinstance(width, bool) or not _is_whole(width) or not spec.low <= width <= spec.high:
            raise ConfigError("hidden", value, HIDDEN_FORMAT)
        result.append(int(width))
    return tuple(result)


def _is_whole(value: Any) -> bool:
    try:
        return math.isfinite(float(value)) and float(value) == int(value)
    except (TypeError, ValueError, OverflowError):
        return False


def _coerce(value: Any, spec: FieldSpec, name: str) -> Any:
    if spec.kind is str:
        if value not in spec.choices and not (spec.also is not None and spec.also(value)):
            raise ConfigError(name, value, spec.describe())
        return str(value)
    if isinstance(value, (bool, str)) or value is None:
        raise ConfigError(name, value, spec.describe())
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(name, value, spec.describe()) from None
    if not math.isfinite(number) or not spec.low <= number <= spec.high:
        raise ConfigError(name, value, spec.describe())
    if spec.kind is int:
        if not _is_whole(value):
            raise ConfigError(name, value, spec.describe())
        return int(number)
    return number


# --- URL form -------------------------------------------------------------------------------------

# Text the app reads as numbers and layer widths: ASCII digits only. Python's int() and float() also take
# "1_000", "+8", full-width "８" and Arabic-Indic "٨"; a teacher reading the URL or the box would not
# expect any of them to count, and the app never writes them, so they are refused with the format shown.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WIDTHS = re.compile(r"[0-9]+(?:\s*[-,]\s*[0-9]+)*")
NO_HIDDEN_WORDS = ("none", "0", "")  # what reads as "no hidden layer" (blank too: nothing listed)


def format_hidden(widths: tuple[int, ...]) -> str:
    """Hidden-layer widths as text: (16, 4) -> "16-4", () -> "none" (the URL and sidebar form)."""
    return "-".join(str(width) for width in widths) if widths else "none"


def parse_hidden(text: str) -> tuple[int, ...]:
    """The inverse of `format_hidden`: widths of ASCII digits separated by '-' (or ','), spaces allowed
    around them; "none", "0" or a blank box mean no hidden layer. Raises ValueError on anything else
    ("6_4", "+8", "８", "8,,8", "1e2", "-8"), so the message can show the expected format."""
    text = str(text).strip().lower()
    if text in NO_HIDDEN_WORDS:
        return ()
    if not _WIDTHS.fullmatch(text):
        raise ValueError(f"hidden layers {text!r} are not {HIDDEN_FORMAT}")
    return tuple(int(part) for part in re.split(r"\s*[-,]\s*", text))


def parse_number(text: str) -> float:
    """A number as the URL writes it: ASCII decimal or exponent notation. Raises ValueError otherwise
    (also for "inf" and "nan", which no setting accepts)."""
    text = str(text).strip()
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"{text!r} is not a number")
    return float(text)


def url_form(value: Any) -> str:
    """One setting as the URL writes it (and `from_query_params` reads it back to the same value):
    widths as "16-4", whole floats without ".0", other floats in full (1e-4 as "0.0001")."""
    if isinstance(value, tuple):
        return format_hidden(value)
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e16 else str(int(value))
    return str(value)



def _parse_whole(text: str) -> float | int:
    number = parse_number(text)
    return int(number) if _is_whole(number) else number


_PARSERS: dict[type, Callable[[str], Any]] = {
    str: str,
    int: _parse_whole,
    float: parse_number,
    tuple: parse_hidden,
}


# (field name, value as given, why it was refused, default used instead) -> one line for the user
Complaint = Callable[[str, Any, str, Any], str]


def settle_values(
    values: Mapping[str, Any], parse: Callable[[str, Any], Any], complain: Complaint
) -> tuple[dict[str, Any], list[str]]:
    """Every field's value, each parsed and checked on its own (a bad one falls back to its default),
    and a line for each that had to change. The compute budget is not applied here (see settle_config)."""
    problems: list[str] = []
    settings = default_values()
    for name, value in values.items():
        if name not in FIELDS:
            continue
        try:
            settings[name] = validate_field(name, parse(name, value))
        except (ConfigError, ValueError, TypeError, OverflowError) as error:
            reason = error.allowed if isinstance(error, ConfigError) else FIELDS[name].describe()
            problems.append(complain(name, value, reason, settings[name]))
    return settings, problems


def with_hidden(config: RunConfig, hidden: tuple[int, ...]) -> RunConfig:
    """`config` with other hidden layers, its epochs capped as the sidebar would cap them if the new
    network would break the compute budget (a lesson's contrast network: no hidden layer, or one of 8)."""
    settings, _ = capped_to_budget({**vars(config), "hidden": tuple(hidden)})
    return RunConfig(**settings)


def capped_to_budget(settings: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The settings with their epochs capped to the compute budget, and a line saying so if they were."""
    from core.budget import MAX_COST_SECONDS, max_epochs  # needs the dataset registry

    allowed = int(min(FIELDS["epochs"].high, max_epochs(settings)))
    if settings["epochs"] <= allowed:
        return dict(settings), []
    note = (f"{settings['epochs']} epochs of this network on this data would take longer than the "
            f"{MAX_COST_SECONDS:g}-second compute budget, so training stops after {allowed} epochs. Use "
            "fewer points, narrower layers or a larger batch to train longer.")
    return {**settings, "epochs": allowed}, [note]


def settle_config(
    values: Mapping[str, Any], parse: Callable[[str, Any], Any], complain: Complaint
) -> tuple[RunConfig, list[str]]:
    """The RunConfig closest to `values` that is allowed, and a line for everything that had to change.

    Each value is parsed and checked on its own; a bad one falls back to its default. Then, if the
    combination is over the compute budget, the epochs are capped to what fits rather than dropping
    the other settings. Both the URL and the sidebar go through here, so they agree on every rule.
    """
    settings, problems = settle_values(values, parse, complain)
    settings, capped = capped_to_budget(settings)
    return RunConfig(**settings), problems + capped


def _url_text(raw: Any) -> str:
    """A URL value as text, whole. Never cut short: the sidebar parses the whole text, and a cut can
    change the meaning ("7", 250 spaces, "x" would read as 7 here but as nonsense in the sidebar)."""
    if isinstance(raw, (list, tuple)):  # repeated keys: the last one wins, as in a browser
        raw = raw[-1] if raw else ""
    return str(raw)


def _parse_url_value(name: str, text: str) -> Any:
    if name == "dataset" and custom_data.is_custom_name(text.strip()):  # names the rows, cannot carry them
        raise ConfigError(name, text, custom_data.NOT_IN_A_LINK)
    return _PARSERS[FIELDS[name].kind](text)


def url_refusal(name: str, raw: Any, reason: str, default: str) -> str:
    """The warning for a URL value the app does not take. `raw` comes from outside: it is quoted with
    `plain_text`, so the message is safe to show as Markdown."""
    return f"URL setting {name}={plain_text(raw)} ignored ({reason}); using {default}."


def _url_complaint(name: str, text: Any, reason: str, default: Any) -> str:
    return url_refusal(name, text, reason, url_form(default))


def url_values(params: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Every field's value as the URL gives it (its default where absent or refused) and a warning for
    each refused one; the compute budget is not applied (the sidebar holds what the URL asked for)."""
    return settle_values({name: _url_text(raw) for name, raw in params.items()},
                         parse=_parse_url_value, complain=_url_complaint)


def config_from_query_params(params: Mapping[str, Any]) -> tuple[RunConfig, list[str]]:
    """Build a RunConfig from URL params; unknown keys are ignored, bad values reset with a warning."""
    return settle_config({name: _url_text(raw) for name, raw in params.items()},
                         parse=_parse_url_value, complain=_url_complaint)


def validate_field(name: str, value: Any) -> Any:
    """One field's value, normalised, or ConfigError; the compute budget is not checked here."""
    if name == "hidden":
        return _normalise_hidden(value)
    return _coerce(value, FIELDS[name], name)


def default_values() -> dict[str, Any]:
    """Every field's default, read from the dataclass without building (and budget-checking) a config."""
    return {f.name: f.default for f in dataclasses.fields(RunConfig)}
