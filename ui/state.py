"""All UI state and its URL form, in one place (like TensorFlow Playground's state.ts).

Every sidebar control is a row of `CONTROLS`: the RunConfig field it edits (which is also its widget key
and its URL query parameter), its label, group, widget and help text. Streamlit keeps each widget bound
to the URL (`bind="query-params"`), so a copied URL reopens the same demo on any page. Ranges come from
`core.config.FIELDS`, so the sidebar can never offer a value that RunConfig would refuse.

Streamlit silently drops a URL value a widget cannot take; before the widgets are drawn we parse the
URL ourselves with `RunConfig.from_query_params`, so the user is told what was ignored and why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from core.config import (
    FIELDS,
    ConfigError,
    RunConfig,
    format_hidden,
    parse_hidden,
    settle_config,
    url_field_value,
    url_refusal,
)
from core.datasets import DATASETS
from core.initializers import INITIALIZER_TITLES
from core.optimizers import OPTIMIZERS
from core.plain_text import plain_text
from core.scenarios import SCENARIOS, SCENARIOS_BY_NAME
from ui.pages import PAGES_BY_URL

DEFAULT = RunConfig()
FREE = "Free exploration"
SCENARIO_NAMES = (FREE, *(scenario.name for scenario in SCENARIOS))  # the Scenario menu, in its order
SCENARIO_KEY = "scenario"
PROJECTOR_KEY = "projector"
_WARNINGS_KEY = "_url_warnings"
_LESSON_WARNINGS_KEY = "_lesson_url_warnings"  # lesson control key -> what was wrong with its URL value
_SCENARIO_CHECKED = "_url_scenario_checked"
BOOLEAN_TEXTS = ("true", "false")  # what Streamlit writes for a toggle in the URL (and reads in any case)

SYMMETRY_TITLES = {
    "none": "None: every unit drawn at random",
    "identical": "Identical: copies of the first unit",
    "same_fan_in": "Same input weights and bias only",
    "same_fan_out": "Same output weights only",
}
ACTIVATION_TITLES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid (logistic)", "linear": "linear"}
PERTURBATIONS = (0.0, 1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1)


def _generated(values: dict[str, Any]) -> bool:
    return DATASETS[values["dataset"]].is_generated


@dataclass(frozen=True)
class Control:
    """One sidebar widget editing one RunConfig field."""

    field: str
    label: str
    group: str
    widget: str  # selectbox | slider | number_input | select_slider | text_input
    help: str
    options: tuple[Any, ...] = ()
    # Option labels double as URL values (Streamlit binds the *displayed* string), so selectboxes show
    # the plain names RunConfig uses and `describe` adds a caption in words under the control.
    format_func: Callable[[Any], str] = str
    describe: Callable[[Any], str] | None = None
    step: float | None = None
    number_format: str | None = None
    applies: Callable[[dict[str, Any]], bool] = field(default=lambda values: True)
    why_not: str = ""  # shown when the control does not apply


CONTROLS: tuple[Control, ...] = (
    Control("dataset", "Dataset", "Data", "selectbox",
            "The toy problem to learn. The 2-D ones get pictures of the input plane.",
            options=tuple(DATASETS), describe=lambda name: DATASETS[name].description),
    Control("n_samples", "Points", "Data", "slider", "How many points to generate (75% train, 25% test).",
            step=20, applies=_generated, why_not="fixed for scikit-learn's bundled datasets"),
    Control("noise", "Noise", "Data", "slider", "How much the classes overlap.", step=0.05,
            applies=_generated, why_not="fixed for scikit-learn's bundled datasets"),
    Control("hidden", "Hidden layers", "Network", "text_input",
            "Units per hidden layer, separated by '-': 8 is one layer of 8 units, 16-16 two layers. "
            "'none' means no hidden layer at all (logistic regression)."),
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


# --- scenarios ---------------------------------------------------------------------------------------

def apply_scenario() -> None:
    """on_change of the Scenario menu: set every control to the scenario's configuration."""
    scenario = SCENARIOS_BY_NAME.get(st.session_state.get(SCENARIO_KEY, FREE))
    if scenario is None:
        return
    for name in FIELDS:
        st.session_state[name] = widget_value(name, getattr(scenario.config, name))
    for key, value in scenario.settings:  # the lesson page's own controls, set before it draws them
        st.session_state[key] = value
    st.session_state.pop(_WARNINGS_KEY, None)


def apply_url_scenario() -> None:
    """Once per session: a URL naming a scenario and no settings (a short link from a lesson plan, e.g.
    `/identical-vs-random?scenario=Dropout+breaks+a+tie`) opens with that scenario applied.

    A URL that also carries settings is a copied demo: its settings win, exactly as shared.
    """
    if _SCENARIO_CHECKED in st.session_state:
        return
    st.session_state[_SCENARIO_CHECKED] = True
    params = st.query_params.to_dict()
    if params.get(SCENARIO_KEY) in SCENARIOS_BY_NAME and not set(params) & set(FIELDS):
        st.session_state[SCENARIO_KEY] = params[SCENARIO_KEY]
        apply_scenario()


# --- reading the state -------------------------------------------------------------------------------

def read_url_warnings() -> list[str]:
    """Check the URL once per session, before the widgets consume it; remember what was wrong.

    Refused values are removed from the URL and the script reruns before any widget reads it: a bound
    widget handed a value it cannot hold can fail inside Streamlit ("?seed=inf" raises OverflowError in
    its number box), or show a value other than the one the warning promises ("?seed=7.5" as 7).
    """
    if _WARNINGS_KEY not in st.session_state:
        params = st.query_params.to_dict()
        _, warnings = RunConfig.from_query_params(params)
        warnings += _match_slider_labels(params)
        warnings += [note for note in (
            refuse_url_choice(SCENARIO_KEY, SCENARIO_NAMES, "not the name of a scenario", FREE),
            refuse_url_choice(PROJECTOR_KEY, BOOLEAN_TEXTS, "true or false", "off"),
        ) if note]
        st.session_state[_WARNINGS_KEY] = warnings
        refused = [name for name in params if name in FIELDS and not _url_accepts(name, params[name])]
        for name in refused:
            del st.query_params[name]
        if refused or warnings:
            st.rerun()
    return st.session_state[_WARNINGS_KEY]


def refuse_url_choice(key: str, accepted: Sequence[str], allowed: str, default: str) -> str | None:
    """Remove `key` from the URL if it is none of the `accepted` texts, and say so; None if it is fine.

    For the URL-bound controls that are not RunConfig fields (scenario, projector, a lesson's own
    choices): Streamlit would drop a value its widget cannot match without a word. It matches a label
    exactly, but reads true/false in any case, and so does this.
    """
    if key not in st.query_params:
        return None
    raw = st.query_params.get_all(key)[-1]  # a repeated key: the last one wins, as in a browser
    if raw in accepted or (tuple(accepted) == BOOLEAN_TEXTS and raw.lower() in accepted):
        return None
    del st.query_params[key]
    return url_refusal(key, raw, allowed, default)


def _list_briefly(labels: Sequence[str], most: int = 6) -> str:
    """"a, b, c" for a few labels, "0, 1, 2, …, 500" for a long range (an epoch slider has hundreds)."""
    return ", ".join(labels if len(labels) <= most else [*labels[:3], "…", labels[-1]])


def _url_accepts(name: str, raw: Any) -> bool:
    try:
        url_field_value(name, raw)
    except (ConfigError, ValueError, TypeError, OverflowError):
        return False
    return True


def _match_slider_labels(params: Mapping[str, Any]) -> list[str]:
    """Rewrite accepted URL values of select-sliders as the slider's own label ("0.0001" → "1e-04").

    Streamlit binds a select-slider to the *label* it shows and silently drops any other text, so a valid
    ε written another way would be lost without a word. A valid value the slider does not offer is
    removed with a warning instead.
    """
    notes = []
    for control in CONTROLS:
        if control.widget != "select_slider" or control.field not in st.query_params:
            continue
        try:
            value = url_field_value(control.field, params[control.field])
        except (ConfigError, ValueError, TypeError, OverflowError):
            continue  # refused: already removed, and warned about
        labels = {option: control.format_func(option) for option in control.options}
        if value in labels:
            st.query_params[control.field] = labels[value]
            st.session_state[control.field] = value
        else:
            del st.query_params[control.field]
            st.session_state[control.field] = getattr(DEFAULT, control.field)
            default = control.format_func(getattr(DEFAULT, control.field))
            notes.append(f"URL setting {control.field}={value:g} is not one of the slider's values "
                         f"({', '.join(labels.values())}); using {default}.")
    return notes


def config_from_widgets(values: dict[str, Any]) -> tuple[RunConfig, list[str]]:
    """The RunConfig the widgets describe, and notes on anything that had to change to make it valid."""
    return settle_config(
        values,
        parse=config_value,
        complain=lambda name, value, reason, default: (
            f"{CONTROLS_BY_FIELD[name].label}: "
            f"{plain_text(value)} is not allowed ({reason}); using {plain_text(widget_value(name, default))}."
        ),
    )


def widget_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """Every control's current value in `state`, or its default where the widget does not exist yet."""
    return {name: state[name] if name in state else widget_value(name, getattr(DEFAULT, name))
            for name in FIELDS}


def config_from_state(state: Mapping[str, Any]) -> tuple[RunConfig, list[str]]:
    """The RunConfig that the widget values in `state` (Streamlit's session state) describe, with notes.

    Derived afresh wherever it is needed rather than stored, so a page can never see a stale config.
    """
    return config_from_widgets(widget_values(state))


def current_config() -> RunConfig:
    """The configuration the sidebar's widgets describe right now (the default before they exist)."""
    return config_from_state(st.session_state)[0]


def projector_mode() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY, False))


# --- drawing the sidebar -----------------------------------------------------------------------------

def _draw_control(control: Control, values: dict[str, Any]) -> Any:
    spec = FIELDS[control.field]
    applies = control.applies(values)
    common: dict[str, Any] = {
        "label": control.label,
        "key": control.field,
        "bind": "query-params",
        "help": control.help if applies else f"{control.help} (Not used now: {control.why_not}.)",
        "disabled": not applies,
    }
    default = widget_value(control.field, getattr(DEFAULT, control.field))
    if control.field not in st.session_state:
        common["value" if control.widget != "selectbox" else "index"] = (
            control.options.index(default) if control.widget == "selectbox" else default
        )
    if control.widget == "selectbox":
        value = st.selectbox(options=control.options, **common)
        if control.describe is not None:
            st.caption(control.describe(value))
        return value
    if control.widget == "select_slider":
        return st.select_slider(options=control.options, format_func=control.format_func, **common)
    if control.widget == "text_input":
        return st.text_input(**common)
    number = {"min_value": spec.kind(spec.low), "max_value": spec.kind(spec.high)}
    if control.step is not None:
        number["step"] = spec.kind(control.step)
    if control.widget == "slider":
        return st.slider(**number, **common)
    return st.number_input(**number, format=control.number_format, **common)


def draw_sidebar(current_page: str = "") -> RunConfig:
    """Draw every control in the sidebar, grouped, and return the configuration they describe.

    `current_page` is the url_path of the page being shown: a chosen scenario best seen on another
    lesson page gets a link there.
    """
    apply_url_scenario()
    warnings = read_url_warnings()
    values = widget_values(st.session_state)  # controls drawn so far decide which later ones apply
    with st.sidebar:
        st.selectbox(
            "Scenario", SCENARIO_NAMES, key=SCENARIO_KEY,
            bind="query-params", on_change=apply_scenario,
            help="A ready-made lesson: sets every control below in one click.",
        )
        scenario = SCENARIOS_BY_NAME.get(st.session_state.get(SCENARIO_KEY, FREE))
        if scenario is not None:
            st.caption(f"**Point at:** {scenario.point_at}")
            lesson = PAGES_BY_URL.get(scenario.page)
            if lesson is not None and scenario.page != current_page:
                st.page_link(lesson.path, label=f"Open **{lesson.title}** to see it", icon=lesson.icon)
        for group in GROUPS:
            with st.expander(group, expanded=group in ("Network", "Start")):
                for control in CONTROLS:
                    if control.group == group:
                        values[control.field] = _draw_control(control, values)
        st.toggle("Projector mode", key=PROJECTOR_KEY, bind="query-params",
                  help="Larger chart text and thicker lines for a classroom screen.")
    config, notes = config_from_widgets(values)
    if scenario is not None and config != scenario.config:
        st.sidebar.caption("Settings changed since the scenario was chosen.")
    for message in warnings:
        st.warning(message, icon=":material/link_off:")
    for message in notes:
        st.sidebar.warning(message)
    return config


# --- lesson controls ---------------------------------------------------------------------------------

_LESSON_KEYS: dict[str, str] = {}  # URL key -> label, so two lessons can never claim the same key


def lesson_choice(key: str, label: str, options: Sequence[Any], default: Any, *, help: str,
                  format_func: Callable[[Any], str] = str, widget: str = "segmented_control") -> Any:
    """A control drawn on a lesson page (not in the sidebar), bound to the URL like the sidebar's.

    `widget` is "segmented_control" (a few options, all visible), "select_slider" (an ordered range),
    "selectbox" or "toggle" (options ignored; returns a bool). Streamlit binds the *displayed* label to
    the URL, so a hand-edited value it cannot match is dropped and `default` is used. A segmented
    control can be clicked off; that also reads as `default`, so callers always get a valid option.
    """
    if key in FIELDS or key in (SCENARIO_KEY, PROJECTOR_KEY) or _LESSON_KEYS.get(key, label) != label:
        raise ValueError(f"lesson control key {key!r} is already used")
    _LESSON_KEYS[key] = label
    common: dict[str, Any] = {"label": label, "key": key, "bind": "query-params", "help": help}
    fresh = key not in st.session_state  # pass a default only once, as the sidebar does
    options = list(options)
    if fresh:  # the URL is read once, when the widget first appears: check it then, keep what was wrong
        labels = BOOLEAN_TEXTS if widget == "toggle" else tuple(format_func(o) for o in options)
        shown_default = ("on" if default else "off") if widget == "toggle" else format_func(default)
        note = refuse_url_choice(key, labels, "true or false" if widget == "toggle" else
                                 f"one of {_list_briefly(labels)}", shown_default)
        if note:
            st.session_state.setdefault(_LESSON_WARNINGS_KEY, {})[key] = note
    if key in st.session_state.get(_LESSON_WARNINGS_KEY, {}):
        st.warning(st.session_state[_LESSON_WARNINGS_KEY][key], icon=":material/link_off:")
    if widget == "toggle":
        return bool(st.toggle(**({"value": bool(default)} if fresh else {}), **common))
    if fresh:
        common["index" if widget == "selectbox" else "value" if widget == "select_slider" else "default"] = (
            options.index(default) if widget == "selectbox" else default
        )
    draw = {"segmented_control": st.segmented_control, "select_slider": st.select_slider,
            "selectbox": st.selectbox}.get(widget)
    if draw is None:
        raise ValueError(f"unknown lesson widget {widget!r}")
    value = draw(options=options, format_func=format_func, **common)
    return default if value is None or value not in options else value
