"""All UI state and its URL form, in one place (like TensorFlow Playground's state.ts): the one reader and
writer of the address bar.

The rule: **the address decides a run when it is news, and the widgets decide it otherwise** — and every
widget is handed its value through st.session_state before it is drawn, on every run.

- The address is news on a session's first run (a first visit, a reload, a shared link: a reload is a new
  session) and on Back/Forward (Streamlit marks that rerun as history navigation). Then the URL is read
  once, whole: each setting is parsed and checked (`core.config.url_values`; a refused one falls back to
  its default with a warning), and every sidebar control — and, as the page draws them, every lesson
  control — is set from it. A key the URL lacks means "the default", not "keep what the widget had".
- On every other run (a click on a widget, a page link) the widgets hold the truth: a value typed a moment
  ago must not be overwritten by the address the browser sent with that click.
- After the sidebar is drawn, and again whenever a lesson control changes it, the URL is written from the
  settled values: every non-default setting, in exactly the text `url_values` reads back (ε = 1e-4 as
  "perturbation=0.0001"); a refused value is left out, which is what the warning says.

Why this is robust, where binding widgets to the URL (`bind="query-params"`) was not: a bound widget takes
its value from the URL only on its first run, and on Back fills every key the URL lacks with the widget's
*bare* default (an empty box, the slider's minimum), not the app's; it also forwards a URL value straight
into the widget, so "?seed=inf" crashed the number box, and it drops values it cannot match as a label
("perturbation=0.0001"). Here no widget ever reads the URL: values arrive already checked, in the widget's
own type, so no URL can crash or silently change one; the decision "URL or widgets" is one boolean per
run, taken before anything is drawn, so a run can never mix the two; and the page links
(app/navigation.py) carry the settings in their own URL, so switching pages — however fast the clicks come —
never goes through an address without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import data_choice
from app.controls import CONTROLS, CONTROLS_BY_FIELD, GROUPS, config_value, draw_control, widget_value
from app.navigation import draw_navigation
from app.pages import PAGES_BY_URL, PageSpec
from app.scenarios import SCENARIOS, SCENARIOS_BY_NAME
from core.config import (
    FIELDS,
    RunConfig,
    default_values,
    settle_config,
    settle_values,
    url_form,
    url_refusal,
    url_values,
)
from core.plain_text import plain_text

__all__ = ["CONTROLS_BY_FIELD", "PROJECTOR_KEY", "SCENARIO_KEY", "config_from_state", "current_config",
           "draw_sidebar", "finish_run", "lesson_choice", "page_link", "projector_mode", "widget_value"]

DEFAULT = RunConfig()
DEFAULT_VALUES = default_values()
FREE = "Free exploration"
SCENARIO_NAMES = (FREE, *(scenario.name for scenario in SCENARIOS))  # the Scenario menu, in its order
SCENARIO_KEY = "scenario"
PROJECTOR_KEY = "projector"
SIDEBAR_KEYS = (*FIELDS, SCENARIO_KEY, PROJECTOR_KEY)
BOOLEAN_TEXTS = ("true", "false")  # a toggle in the URL (read in any case)

_ADDRESS = "_address"  # this run's Address
_STARTED = "_address_read_once"  # set once the session has read its first address
_READ = "_address_read"  # the last address read: the sidebar values it set, and its warnings
_LESSON_NOTES = "_address_lesson_notes"  # lesson key -> (warning, the value used instead)
_LESSON_PARTS = "_address_lesson_parts"  # page url_path -> its controls' URL part, for its page link


@dataclass
class Address:
    """One run's address: what the browser sent, whether it decides the run, and what is written back."""

    params: dict[str, str]  # the query string the browser sent (a repeated key: its last value)
    decides: bool  # a first run or Back/Forward: the URL sets every control
    page: str  # url_path of the page being run
    given: dict[str, Any] = field(default_factory=dict)  # lesson values set by a short scenario link
    sidebar: dict[str, str] = field(default_factory=dict)  # the sidebar's non-default settings, URL form
    lesson: dict[str, str] = field(default_factory=dict)  # the page's controls (and, until they are
    # drawn, anything else the URL carried), URL form
    drawn: set[str] = field(default_factory=set)  # lesson keys drawn in this run


# --- reading the address -----------------------------------------------------------------------------

def _query_params() -> dict[str, str]:
    """The query string this run was asked for; a repeated key gives its last value, as in a browser."""
    return {key: (st.query_params.get_all(key) or [""])[-1] for key in st.query_params}


def _is_history_navigation() -> bool:
    """Whether this run is the browser's Back or Forward (Streamlit tells the script run, not the API)."""
    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def _url_choice(params: Mapping[str, str], key: str, accepted: Sequence[str], allowed: str,
                default: str) -> tuple[str | None, str | None]:
    """The URL's text for `key` if it is one of `accepted` (None if absent), and a warning if it is not.
    true/false are read in any case, as Streamlit reads a toggle."""
    if key not in params:
        return None, None
    raw = params[key]
    if raw in accepted or (tuple(accepted) == BOOLEAN_TEXTS and raw.lower() in accepted):
        return raw.lower() if tuple(accepted) == BOOLEAN_TEXTS else raw, None
    return None, url_refusal(key, raw, allowed, default)


def _option_notes(values: dict[str, Any]) -> list[str]:
    """A valid value that its control does not offer (ε = 0.5, where the slider has 0, 1e-12 … 1e-01) is
    refused like any other: the default is used, and the warning lists what the control offers."""
    notes = []
    for control in CONTROLS:
        value = values[control.field]
        if control.widget == "select_slider" and value not in control.options:
            labels = ", ".join(control.format_func(option) for option in control.options)
            default = DEFAULT_VALUES[control.field]
            notes.append(url_refusal(control.field, url_form(value), f"one of the slider's values: {labels}",
                                     control.format_func(default)))
            values[control.field] = default
    return notes


def _read_address(params: Mapping[str, str]) -> dict[str, Any]:
    """Set every sidebar control from the URL and remember what was refused; returns the lesson values a
    short scenario link sets. A URL naming a scenario and no settings (a short link from a lesson plan,
    `/identical-vs-random?scenario=Dropout+breaks+a+tie`) opens that scenario; a URL that also carries
    settings is a copied demo, and its settings win, exactly as shared."""
    own = data_choice.url_choice(params.get("dataset"), st.session_state)  # this session's upload (Back)
    values, notes = url_values({k: v for k, v in params.items() if own is None or k != "dataset"})
    notes += _option_notes(values)
    scenario, note = _url_choice(params, SCENARIO_KEY, SCENARIO_NAMES, "not the name of a scenario", FREE)
    notes += [note] if note else []
    projector, note = _url_choice(params, PROJECTOR_KEY, BOOLEAN_TEXTS, "true or false", "off")
    notes += [note] if note else []
    given: dict[str, Any] = {}
    chosen = SCENARIOS_BY_NAME.get(scenario or FREE)
    if chosen is not None and not set(params) & set(FIELDS):
        values = {name: getattr(chosen.config, name) for name in FIELDS}
        given = dict(chosen.settings)
        for key, value in chosen.settings:  # kept until its page draws them, as the menu does
            st.session_state[key] = value
    state = {name: widget_value(name, values[name]) for name in FIELDS} | ({"dataset": own} if own else {})
    state |= {SCENARIO_KEY: scenario or FREE, PROJECTOR_KEY: projector == "true"}
    for key, value in state.items():
        st.session_state[key] = value
    st.session_state[_READ] = {"values": state, "notes": notes}
    st.session_state[_LESSON_NOTES] = {}
    return given


def _adopt_missing(params: Mapping[str, str]) -> None:
    """A sidebar key missing from the session (its first run was cut short, or a client switched pages
    without sending its widgets' state, which makes Streamlit drop it) takes the URL's value."""
    missing = [key for key in SIDEBAR_KEYS if key not in st.session_state]
    if missing:
        given = {key: st.session_state[key] for key in SIDEBAR_KEYS if key in st.session_state}
        _read_address(params)
        for key, value in given.items():
            st.session_state[key] = value


def _address_decides() -> bool:
    """Whether this run's address is news (see the module docstring): a session's first run, or Back or
    Forward. A click on a widget or a page link never decides, whatever address the browser sent along
    with it: the page links carry the sidebar's own settings, and a widget changed a moment before a
    click, while that link still showed the old address, must not be undone by it."""
    return _STARTED not in st.session_state or _is_history_navigation()


def _begin_run(page: str) -> Address:
    params = _query_params()
    address = Address(params=params, page=page, decides=_address_decides())
    if address.decides:
        address.given = _read_address(params)
        st.session_state[_STARTED] = True
    else:
        _adopt_missing(params)
    address.sidebar = sidebar_url_part(st.session_state)
    address.lesson = {key: value for key, value in params.items() if key not in SIDEBAR_KEYS}
    st.session_state[_ADDRESS] = address
    return address


# --- writing the address -----------------------------------------------------------------------------

def sidebar_url_part(state: Mapping[str, Any]) -> dict[str, str]:
    """The sidebar's settings as the URL writes them: each non-default one, in the text the URL reader
    takes back (a value the sidebar refuses, such as typed nonsense, is its default: left out)."""
    settled, _ = settle_values(widget_values(state), parse=config_value, complain=lambda *_: "")
    part = {name: url_form(settled[name]) for name in FIELDS if settled[name] != DEFAULT_VALUES[name]}
    if state.get(SCENARIO_KEY, FREE) != FREE:
        part[SCENARIO_KEY] = state[SCENARIO_KEY]
    if state.get(PROJECTOR_KEY, False):
        part[PROJECTOR_KEY] = "true"
    return part


def _publish(address: Address) -> None:
    """Write the address, once, if it differs from what the browser holds (an unchanged address sends
    nothing, so the browser's history gains an entry only when a setting changed)."""
    wanted = {**address.sidebar, **address.lesson}
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in wanted.items()}:
        st.query_params.from_dict(wanted)


def _page_query(spec: PageSpec) -> dict[str, str]:
    """The address a link to `spec` opens: the sidebar's settings and that page's controls as last left."""
    address: Address = st.session_state[_ADDRESS]
    return {**address.sidebar, **st.session_state.get(_LESSON_PARTS, {}).get(spec.url_path, {})}


def page_link(spec: PageSpec, label: str, icon: str | None = None) -> None:
    """A link to another page that carries the settings (use it rather than a bare st.page_link: a bare
    link puts an address without them into the browser's history, where Back then leads)."""
    query = _page_query(spec) if _ADDRESS in st.session_state else None
    st.page_link(spec.path, label=label, icon=icon or spec.icon, query_params=query)


def finish_run() -> None:
    """After the page has run to its end: drop URL keys no control of this page drew (a lesson control
    of another page, a typo), so the address holds exactly what the page shows."""
    address: Address | None = st.session_state.get(_ADDRESS)
    if address is None:
        return
    address.lesson = {key: value for key, value in address.lesson.items() if key in address.drawn}
    st.session_state.setdefault(_LESSON_PARTS, {})[address.page] = dict(address.lesson)
    _publish(address)


# --- the configuration the pages read ----------------------------------------------------------------

def config_from_widgets(values: dict[str, Any]) -> tuple[RunConfig, list[str]]:
    """The RunConfig the widgets describe, and notes on anything that had to change to make it valid."""
    return settle_config(
        values,
        parse=config_value,
        complain=lambda name, value, reason, default: (
            f"{CONTROLS_BY_FIELD[name].label}: {plain_text(value)} is not allowed ({reason}); "
            f"using {plain_text(widget_value(name, default))}."
        ),
    )


def widget_values(state: Mapping[str, Any]) -> dict[str, Any]:
    """Every control's current value in `state`, or its default where the widget does not exist yet; the
    dataset as the RunConfig names it (app/data_choice.py: "Your CSV…" is the upload's name)."""
    values = {name: state[name] if name in state else widget_value(name, DEFAULT_VALUES[name])
              for name in FIELDS}
    return values | {"dataset": data_choice.config_dataset(state, values)}


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

def apply_scenario() -> None:
    """on_change of the Scenario menu: set every control to the scenario's configuration."""
    scenario = SCENARIOS_BY_NAME.get(st.session_state.get(SCENARIO_KEY, FREE))
    if scenario is None:
        return
    for name in FIELDS:
        st.session_state[name] = widget_value(name, getattr(scenario.config, name))
    for key, value in scenario.settings:  # the lesson page's own controls, set before it draws them
        st.session_state[key] = value
    data_choice.reset_points()  # a scenario is its data set as it comes


def _url_warnings() -> list[str]:
    """The last address's warnings, while the sidebar still shows what that address set."""
    read = st.session_state.get(_READ) or {"values": {}, "notes": []}
    shown = {key: st.session_state.get(key) for key in read["values"]}
    return read["notes"] if shown == read["values"] else []


def draw_sidebar(current_page: str = "") -> RunConfig:
    """Settle this run's values (from the URL if it is news, else from the widgets), draw the page menu
    and every control in the sidebar, grouped, write the URL, and return the configuration.

    `current_page` is the url_path of the page being shown: a chosen scenario best seen on another
    lesson page gets a link there.
    """
    address = _begin_run(current_page)
    draw_navigation(_page_query)
    values = widget_values(st.session_state)  # controls drawn so far decide which later ones apply
    with st.sidebar:
        st.selectbox("Scenario", SCENARIO_NAMES, key=SCENARIO_KEY, on_change=apply_scenario,
                     help="A ready-made lesson: sets every control below in one click.")
        scenario = SCENARIOS_BY_NAME.get(st.session_state.get(SCENARIO_KEY, FREE))
        if scenario is not None:
            st.caption(f"**Point at:** {scenario.point_at}")
            lesson = PAGES_BY_URL.get(scenario.page)
            if lesson is not None and scenario.page != current_page:
                page_link(lesson, f"Open **{lesson.title}** to see it")
        for group in GROUPS:
            with st.expander(group, expanded=group in ("Network", "Start")):
                for control in CONTROLS:
                    if control.group == group:
                        values[control.field] = draw_control(control, values)
        st.toggle("Projector mode", key=PROJECTOR_KEY,
                  help="Larger chart text and thicker lines for a classroom screen.")
    values["dataset"] = data_choice.config_dataset(st.session_state, values)  # "Your CSV…": the upload's name
    config, notes = config_from_widgets(values)
    if scenario is not None and config != scenario.config:
        st.sidebar.caption("Settings changed since the scenario was chosen.")
    for message in _url_warnings():
        st.warning(message, icon=":material/link_off:")
    if note := data_choice.fallback_note(st.session_state):
        st.info(note, icon=":material/upload_file:")
    for message in notes:
        st.sidebar.warning(message)
    _publish(address)
    return config


# --- lesson controls ---------------------------------------------------------------------------------

_LESSON_KEYS: dict[str, str] = {}  # URL key -> label, so two lessons can never claim the same key
_WIDGETS: dict[str, Callable[..., Any]] = {"segmented_control": st.segmented_control,
                                           "select_slider": st.select_slider, "selectbox": st.selectbox}


def _list_briefly(labels: Sequence[str], most: int = 6) -> str:
    """"a, b, c" for a few labels, "0, 1, 2, …, 500" for a long range (an epoch slider has hundreds)."""
    return ", ".join(labels if len(labels) <= most else [*labels[:3], "…", labels[-1]])


def _lesson_value(key: str, by_label: Mapping[str, Any], default: Any, shown_default: str,
                  allowed: str, address: Address | None) -> Any:
    """A lesson control's value for this run: the URL's when the address decides; else the widget's;
    else (the control's first appearance) the URL's; else a scenario's; else `default`."""
    options = list(by_label.values())
    if address is not None and not address.decides and key in st.session_state:
        held = st.session_state[key]
        return held if held in options else default  # a segmented control clicked off reads as default
    if address is not None and key in address.params:
        raw = address.params[key]
        label = raw.lower() if tuple(by_label) == BOOLEAN_TEXTS else raw
        if label in by_label:
            return by_label[label]
        note = url_refusal(key, raw, allowed, shown_default)
        st.session_state.setdefault(_LESSON_NOTES, {})[key] = (note, default)
        return default
    if address is not None and address.given.get(key) in options:
        return address.given[key]
    return default


def lesson_choice(key: str, label: str, options: Sequence[Any], default: Any, *, help: str,
                  format_func: Callable[[Any], str] = str, widget: str = "segmented_control") -> Any:
    """A control drawn on a lesson page (not in the sidebar), kept in the URL like the sidebar's.

    `widget` is "segmented_control" (a few options, all visible), "select_slider" (an ordered range),
    "selectbox" or "toggle" (options ignored; returns a bool). The URL holds the *label* the control
    shows; a URL value that is none of them is refused with a warning and `default` is used. A segmented
    control can be clicked off; that also reads as `default`, so callers always get a valid option.
    """
    if key in SIDEBAR_KEYS or _LESSON_KEYS.get(key, label) != label:
        raise ValueError(f"lesson control key {key!r} is already used")
    if widget != "toggle" and widget not in _WIDGETS:
        raise ValueError(f"unknown lesson widget {widget!r}")
    _LESSON_KEYS[key] = label
    toggle = widget == "toggle"
    by_label = dict(zip(BOOLEAN_TEXTS, (True, False))) if toggle else {format_func(o): o for o in options}
    shown_default = ("on" if default else "off") if toggle else format_func(default)
    allowed = "true or false" if toggle else f"one of {_list_briefly(list(by_label))}"
    address: Address | None = st.session_state.get(_ADDRESS)
    value = _lesson_value(key, by_label, bool(default) if toggle else default, shown_default, allowed,
                          address)
    st.session_state[key] = value
    note, fallback = st.session_state.get(_LESSON_NOTES, {}).get(key, (None, None))
    if note and value == fallback:
        st.warning(note, icon=":material/link_off:")
    common: dict[str, Any] = {"label": label, "key": key, "help": help}
    if toggle:
        chosen = bool(st.toggle(**common))
    else:
        chosen = _WIDGETS[widget](options=list(by_label.values()), format_func=format_func, **common)
        chosen = default if chosen is None or chosen not in by_label.values() else chosen
    if address is not None:
        _record_lesson(address, key, chosen != default, ("true" if chosen else "false") if toggle
                       else format_func(chosen))
    return chosen


def _record_lesson(address: Address, key: str, differs: bool, text: str) -> None:
    """Put one lesson control's setting into the URL (only a non-default one), writing it if it changed."""
    address.drawn.add(key)
    before = address.lesson.get(key)
    if differs:
        address.lesson[key] = text
    else:
        address.lesson.pop(key, None)
    parts = st.session_state.setdefault(_LESSON_PARTS, {})
    parts[address.page] = {k: v for k, v in address.lesson.items() if k in address.drawn}
    if address.lesson.get(key) != before:
        _publish(address)
