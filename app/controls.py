"""The sidebar's controls as a table: one row per RunConfig field, and how each row is drawn.

Every control is a row of `CONTROLS`: the RunConfig field it edits (which is also its widget key and its
URL query parameter), its label, group, widget and help text. Ranges come from `core.config.FIELDS`, so
the sidebar can never offer a value that RunConfig would refuse. The widgets here know nothing of the
URL: app/state.py gives each one its value through st.session_state before it is drawn, and writes the URL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from app.data_choice import UPLOAD_CHOICE, draw_upload_controls
from core.config import FIELDS, format_hidden, parse_hidden
from core.datasets import DATASETS
from core.initializers import INITIALIZER_TITLES
from core.optimizers import OPTIMIZERS

SYMMETRY_TITLES = {
    "none": "None: every unit drawn at random",
    "identical": "Identical: copies of the first unit",
    "same_fan_in": "Same input weights and bias only",
    "same_fan_out": "Same output weights only",
}
ACTIVATION_TITLES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid (logistic)", "linear": "linear"}
PERTURBATIONS = (0.0, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)
BLANK_HIDDEN_NOTE = "Blank means no hidden layer (logistic regression), as none does."
FIXED_ROWS = "fixed for scikit-learn's bundled datasets and for your own CSV"


def _generated(values: dict[str, Any]) -> bool:
    spec = DATASETS.get(values["dataset"])  # None for "Your CSV…"
    return spec is not None and spec.is_generated


def _describe_dataset(name: str) -> str:
    spec = DATASETS.get(name)
    return spec.description if spec is not None else "Your own data: a CSV file uploaded below."


@dataclass(frozen=True)
class Control:
    """One sidebar widget editing one RunConfig field."""

    field: str
    label: str
    group: str
    widget: str  # selectbox | slider | number_input | select_slider | text_input
    help: str
    options: tuple[Any, ...] = ()  # a value outside these is refused, from the URL too
    format_func: Callable[[Any], str] = str
    describe: Callable[[Any], str] | None = None  # a caption in words under a selectbox
    extra: Callable[[Any], None] | None = None  # more controls under a selectbox, given its value
    step: float | None = None
    number_format: str | None = None
    applies: Callable[[dict[str, Any]], bool] = field(default=lambda values: True)
    why_not: str = ""  # shown when the control does not apply


CONTROLS: tuple[Control, ...] = (
    Control("dataset", "Dataset", "Data", "selectbox",
            f"The toy problem to learn, or your own data ({UPLOAD_CHOICE}). The 2-D ones get pictures of "
            "the input plane.",
            options=(*DATASETS, UPLOAD_CHOICE), describe=_describe_dataset, extra=draw_upload_controls),
    Control("n_samples", "Points", "Data", "slider", "How many points to generate (75% train, 25% test).",
            step=20, applies=_generated, why_not=FIXED_ROWS),
    Control("noise", "Noise", "Data", "slider", "How much the classes overlap.", step=0.05,
            applies=_generated, why_not=FIXED_ROWS),
    Control("hidden", "Hidden layers", "Network", "text_input",
            "Units per hidden layer, separated by '-': 8 is one layer of 8 units, 16-16 two layers (up to "
            "3 layers of 1 to 64 units). 'none' (or a blank box) means no hidden layer at all: logistic "
            "regression."),
    Control("activation", "Activation σ", "Network", "selectbox",
            "The nonlinearity every hidden unit applies to wᵀx + b.",
            options=tuple(ACTIVATION_TITLES)),
    Control("initializer", "Initializer", "Start", "selectbox",
            "How the starting weights are drawn. Random draws give every unit a different start.",
            options=tuple(INITIALIZER_TITLES), describe=INITIALIZER_TITLES.__getitem__),
    Control("init_scale", "Scale", "Start", "number_input",
            "Bound of the uniform start, std of the normal start, or the value of the constant start.",
            step=0.1, number_format="%g",
            applies=lambda v: v["initializer"] in ("uniform", "normal", "constant"),
            why_not="only for the uniform, normal and constant starts"),
    Control("symmetry", "Symmetric start", "Start", "selectbox",
            "Overwrite the random start so the hidden units begin as copies of the first unit — fully, or "
            "only their input or output weights — to see which ties training can break.",
            options=tuple(SYMMETRY_TITLES), describe=SYMMETRY_TITLES.__getitem__),
    Control("perturbation", "Nudge ε", "Start", "select_slider",
            "Add Gaussian noise of this size to every weight after the start: a tiny nudge away from an "
            "exact tie shows whether training amplifies or damps the difference.",
            options=PERTURBATIONS, format_func=lambda v: "0" if v == 0 else f"{v:.0e}"),
    Control("optimizer", "Optimizer", "Training", "selectbox",
            "Gradient descent uses every point each step; the others use random minibatches.",
            options=tuple(OPTIMIZERS), describe=lambda name: OPTIMIZERS[name].title),
    Control("learning_rate", "Learning rate η", "Training", "number_input",
            "Step size. Too large and the loss explodes; the run then stops and says so.",
            step=0.05, number_format="%g"),
    Control("momentum", "Momentum μ", "Training", "slider", "How much of the last step carries over.",
            step=0.05, applies=lambda v: v["optimizer"] == "momentum", why_not="only for SGD with momentum"),
    Control("epochs", "Epochs", "Training", "number_input", "Passes over the training points.", step=50),
    Control("batch_size", "Batch size", "Training", "number_input",
            "Points per minibatch. Every unit sees the same minibatch.", step=8,
            applies=lambda v: v["optimizer"] != "gd", why_not="gradient descent always uses every point"),
    Control("l2", "L2 penalty α", "Training", "number_input",
            "Pulls every weight towards 0 (scikit-learn's alpha: 0.5·α·Σw²/n).", step=0.001,
            number_format="%g"),
    Control("l1", "L1 penalty", "Training", "number_input",
            "Pushes weights to exactly 0 (adds l1·Σ|w|/n).", step=0.001, number_format="%g"),
    Control("dropout", "Dropout", "Training", "slider",
            "Silence each hidden unit with this probability, independently per unit and per point: "
            "randomness that differs between units.", step=0.05),
    Control("seed", "Seed", "Training", "number_input",
            "Seed of the random start, the minibatch order and dropout.", step=1),
    Control("data_seed", "Data seed", "Data", "number_input", "Seed of the generated points and the split.",
            step=1),
)
CONTROLS_BY_FIELD = {control.field: control for control in CONTROLS}
GROUPS = ("Data", "Network", "Start", "Training")


def widget_value(name: str, value: Any) -> Any:
    """A RunConfig value as its widget holds it (the hidden layers as text)."""
    return format_hidden(value) if name == "hidden" else value


def config_value(name: str, value: Any) -> Any:
    """A widget value as the RunConfig field takes it."""
    return parse_hidden(value) if name == "hidden" else value


def draw_control(control: Control, values: dict[str, Any]) -> Any:
    """Draw one control and return its value. Its value is already in st.session_state (app/state.py
    puts it there before every run), so no default is passed: the widget shows what the state holds."""
    spec = FIELDS[control.field]
    applies = control.applies(values)
    common: dict[str, Any] = {
        "label": control.label,
        "key": control.field,
        "help": control.help if applies else f"{control.help} (Not used now: {control.why_not}.)",
        "disabled": not applies,
    }
    if control.widget == "selectbox":
        value = st.selectbox(options=control.options, **common)
        if control.describe is not None:
            st.caption(control.describe(value))
        if control.extra is not None:
            control.extra(value)
        return value
    if control.widget == "select_slider":
        return st.select_slider(options=control.options, format_func=control.format_func, **common)
    if control.widget == "text_input":
        text = st.text_input(**common)
        if not str(text).strip():
            st.caption(BLANK_HIDDEN_NOTE)
        return text
    number = {"min_value": spec.kind(spec.low), "max_value": spec.kind(spec.high)}
    if control.step is not None:
        number["step"] = spec.kind(control.step)
    if control.widget == "slider":
        return st.slider(**number, **common)
    return st.number_input(**number, format=control.number_format, **common)
