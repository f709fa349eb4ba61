"""Hostile URLs and degenerate settings on every page (Streamlit's AppTest, the real dashboard.py).

Whatever a student types after the '?' — huge, negative or non-finite numbers, unicode, 10 000-character
strings, empty values, unknown keys, repeated keys, nonsense for the lessons' own controls — every page of
`app.pages.PAGES` must still run: no exception element, a warning naming each sidebar setting that was
refused, and the charts the page draws with the default settings. The page must also run exactly the
configuration `RunConfig.from_query_params` reads from the URL (what the warnings promise). Two kinds of
URL used to defeat the sidebar's widgets when they were bound to the URL (`widget_may_differ`,
`crashes_streamlit`); now no widget reads the URL (app/state.py hands each one a checked value), the page
must run exactly what the URL reader says for those too, and each kind keeps its own test below.

Degenerate settings (divergence, one unit per layer, zero epochs, the fewest points, noise at its ends,
a dead start) must give a working page with a clear message. Core-level twins of these are in
tests/test_degenerate.py.

Repeated keys: a list value in `AppTest.query_params` is sent as the key repeated (?seed=1&seed=2), as a
browser sends it; Streamlit and `RunConfig.from_query_params` both take the last one.

One clean st.cache_data per module (this module overrides the per-test clear of tests/app/conftest.py):
almost every hostile URL falls back to the same default run, and training it once per test instead of
once per module would make this file several times slower. A warm shared cache is what a class sees.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import streamlit as st
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from app.pages import HOME, PAGES, PAGES_BY_URL, TOOLS, PageSpec
from app.state import CONTROLS_BY_FIELD, PROJECTOR_KEY, SCENARIO_KEY, config_from_state
from core.budget import estimated_seconds
from core.config import FIELDS, RunConfig
from tests.app.conftest import DASHBOARD, ROOT, drawings

LESSON_PREFIXES = ("updates_", "seeds_", "compare_", "units_", "trajectories_")
NUMBERS = [name for name, spec in FIELDS.items() if spec.kind in (int, float)]
NAMES = [name for name, spec in FIELDS.items() if spec.kind is str]
DEFAULT = RunConfig()


@pytest.fixture(autouse=True, scope="module")
def clean_cache() -> Iterator[None]:
    """Overrides the conftest's per-test clear: one clean cache for this whole module (see above)."""
    st.cache_data.clear()
    yield
    st.cache_data.clear()


# --- visiting every page ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageRun:
    """What one page showed after its run."""

    page: PageSpec
    exceptions: tuple[str, ...]
    warnings: tuple[str, ...]
    messages: tuple[str, ...]  # the main area's error, warning and info boxes: what the page tells
    charts: int
    config: RunConfig  # the configuration the page ran: derived from the widgets, as the pages do
    keys: frozenset[str]  # session-state keys, which include every keyed widget drawn so far

    @property
    def name(self) -> str:
        return self.page.url_path or "home"


def _snapshot(at: AppTest, spec: PageSpec) -> PageRun:
    state = {name: at.session_state[name] for name in FIELDS if name in at.session_state}
    warnings = tuple(w.value for w in at.warning)
    told = tuple(box.value for kind in ("error", "warning", "info") for box in at.main.get(kind))
    return PageRun(
        page=spec, exceptions=tuple(f"{e.value}\n{''.join(e.stack_trace)}"[:3000] for e in at.exception),
        warnings=warnings, messages=told, charts=len(drawings(at)),
        config=config_from_state(state)[0], keys=frozenset(at.session_state.keys()),
    )


def visit(params: Mapping[str, Any], pages: Sequence[PageSpec] = PAGES) -> list[PageRun]:
    """Open the app with these URL query params and switch through `pages`, as one student would."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()  # lands on the home page (AppTest can switch pages only after a first run)
    runs = []
    for index, spec in enumerate(pages):
        if index or spec is not HOME:
            at.switch_page(spec.path).run()
        runs.append(_snapshot(at, spec))
    return runs


@functools.cache
def defaults() -> tuple[dict[str, int], tuple[str, ...]]:
    """Charts per page with the default settings, and every lesson control's URL key (found, not listed,
    so lessons added later are fuzzed too; one synthetic key per prefix in case a lesson has none yet)."""
    runs = visit({})
    assert not [run.exceptions for run in runs if run.exceptions], "a page fails with the defaults"
    sidebar = {*FIELDS, SCENARIO_KEY, PROJECTOR_KEY}
    found = {key for run in runs for key in run.keys if key not in sidebar and not key.startswith("_")}
    synthetic = {f"{prefix}x" for prefix in LESSON_PREFIXES if not any(k.startswith(prefix) for k in found)}
    return {run.page.path: run.charts for run in runs}, tuple(sorted(found | synthetic))


# --- what "still works" means ----------------------------------------------------------------------------

def _last(raw: Any) -> str:
    return str(raw[-1] if raw else "") if isinstance(raw, (list, tuple)) else str(raw)


def _url_accepts(name: str, raw: Any) -> bool:
    return not RunConfig.from_query_params({name: raw})[1]


def widget_may_differ(params: Mapping[str, Any]) -> str:
    """Why the sidebar's widgets may read these params differently from `RunConfig.from_query_params`
    ("" if they cannot) when widgets were bound to the URL. Two known cases, each with its own test
    below; no widget reads the URL any more, so `problems` no longer excuses them:

    - perturbation: the select-slider binds its *label* ("1e-04"), so a value RunConfig accepts but
      writes differently ("0.0001", which is also what `RunConfig.to_query_params` writes) is dropped
      silently — no warning, and the page runs ε = 0;
    - a whole-number field given a fraction ("seed=7.5"): RunConfig refuses it and warns "using 0",
      but the number box keeps 7, so the warning describes a run that is not the one shown.
    """
    for name, raw in params.items():
        if name not in FIELDS:
            continue
        text = _last(raw).strip()
        if name == "perturbation":
            control = CONTROLS_BY_FIELD[name]
            labels = {control.format_func(option) for option in control.options}
            if _url_accepts(name, raw) and text not in labels and float(text) != DEFAULT.perturbation:
                return f"perturbation={text!r} is not one of the slider's labels {sorted(labels)}"
        elif FIELDS[name].kind is int:
            try:
                number = float(text)
            except (ValueError, OverflowError):
                continue
            if math.isfinite(number) and number != int(number) and FIELDS[name].low <= number:
                return f"{name}={text!r} is a fraction; the number box rounds it, the URL check refuses it"
    return ""


def _is_infinite(text: str) -> bool:
    try:
        return math.isinf(float(text.strip()))
    except (ValueError, OverflowError):
        return False


def crashes_streamlit(params: Mapping[str, Any]) -> str:
    """Why these params would crash the whole app if they reached a widget ("" if they would not): an
    infinite number ("inf", "-inf", "1e400") for a whole-number box (seed, data_seed, epochs,
    batch_size). Streamlit's number_input calls int() on the URL value and its OverflowError escapes;
    no widget reads the URL any more (app/state.py hands each a checked value). Tested on its own, below."""
    for name, raw in params.items():
        if name in FIELDS and FIELDS[name].kind is int and CONTROLS_BY_FIELD[name].widget == "number_input":
            values = raw if isinstance(raw, (list, tuple)) else [raw]
            if any(_is_infinite(str(value)) for value in values):
                return f"{name}={raw!r} is infinite"
    return ""


def problems(runs: Sequence[PageRun], params: Mapping[str, Any]) -> list[str]:
    """Everything wrong with these page runs for these URL params (empty when every page works)."""
    expected, url_warnings = RunConfig.from_query_params(params)
    charts, _ = defaults()
    found = []
    for run in runs:
        found += [f"{run.name}: exception {text!r}" for text in run.exceptions]
        missing = [warning for warning in url_warnings if warning not in run.warnings]
        if missing:
            found.append(f"{run.name}: refused URL settings without the warning {missing}")
        explained = [text for text in run.messages if text not in url_warnings]
        if charts[run.page.path] and not run.charts and not explained:
            found.append(f"{run.name}: no chart and no message (it draws {charts[run.page.path]} charts "
                         "with the defaults)")
        if run.config != expected:
            differ = {name: (getattr(run.config, name), getattr(expected, name)) for name in FIELDS
                      if getattr(run.config, name) != getattr(expected, name)}
            found.append(f"{run.name}: the page runs other settings than the URL says (page, URL): {differ}")
    return found


def _short(params: Mapping[str, Any]) -> dict[str, Any]:
    """Params for a failure message: long values cut, so the message stays readable."""
    def cut(value: Any) -> Any:
        return [cut(v) for v in value] if isinstance(value, list) else (
            value if len(value) <= 40 else f"{value[:20]}…({len(value)} chars)")
    return {(k if len(k) <= 40 else f"{k[:20]}…"): cut(v) for k, v in params.items()}


# --- hostile URLs ----------------------------------------------------------------------------------------

LONG = "x" * 10_000
HOSTILE_CASES: dict[str, dict[str, Any]] = {
    "huge": {**{name: "1e308" for name in NUMBERS}, "hidden": str(10**40), "dataset": "9" * 400},
    "ten-to-the-forty": {**{name: str((-1) ** i * 10**40) for i, name in enumerate(NUMBERS)},
                         "hidden": f"{10**40}-{10**40}"},
    "negative": {**{name: "-1" for name in NUMBERS}, "hidden": "-8", "seed": "-2147483648"},
    # Infinite whole numbers: see crashes_streamlit and its own test.
    "nan-inf": {**{name: ("nan", "inf", "-inf", "NaN", "Infinity")[i % 5] if FIELDS[name].kind is float
                   else ("nan", "NaN", "-nan")[i % 3] for i, name in enumerate(NUMBERS)},
                "hidden": "nan-inf"},
    "unicode": {**{name: "ünïcödé 🦋 \u202eevil" for name in (*NAMES, "hidden")},
                **{name: ("١٢", "１２", "½", "Ⅻ", "\u0000")[i % 5] for i, name in enumerate(NUMBERS)}},
    # 10 000 nines read as an infinite float, which would crash a whole-number box (see crashes_streamlit).
    "10000-chars": {**{name: LONG for name in (*NAMES, "hidden")},
                    **{name: "9" * 10_000 if FIELDS[name].kind is float else "1-" * 5_000
                       for name in NUMBERS},
                    "hidden": "8-" * 5_000, "scenario": LONG, "projector": LONG},
    "empty": {name: "" for name in (*FIELDS, SCENARIO_KEY, PROJECTOR_KEY)},
    "unknown-keys": {"foo": "bar", "🦋": "🦋", "x" * 1_000: "y", "": "no key", "seed ": "3", "SEED": "4",
                     SCENARIO_KEY: "no such lesson", PROJECTOR_KEY: "maybe", "layer": "-99"},
    "repeated-keys": {"seed": ["1", "2", "nan"], "hidden": ["4", "x"], "dataset": ["xor", "mnist"],
                      "epochs": ["10", "40"], "learning_rate": ["nan", "0.2"]},
    "valid-and-hostile": {"dataset": "xor", "hidden": "2-2", "epochs": "40", "seed": "nan",
                          "learning_rate": "1e308", "activation": "ReLU", "noise": "0.5"},
}


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_hostile_urls_leave_every_page_working(case):
    params = HOSTILE_CASES[case]
    assert not crashes_streamlit(params)  # that one is tested on its own, below
    runs = visit(params)
    assert RunConfig.from_query_params(params)[1] or case == "unknown-keys"  # the case does hit a field
    assert not problems(runs, params), f"{case} {_short(params)}:\n" + "\n".join(problems(runs, params))


@pytest.mark.parametrize("value", ["-1", "1e308", "nan", "ünïcödé🦋", LONG, "", ["0", "1", "oops"]],
                         ids=["negative", "huge", "nan", "unicode", "10000-chars", "empty", "repeated"])
def test_hostile_lesson_controls_leave_every_page_working(value):
    """Every page-level control (keys starting with a lesson prefix, found on the pages) at once."""
    _, lesson_keys = defaults()
    assert any(key.startswith(LESSON_PREFIXES) for key in lesson_keys)
    params = {key: value for key in lesson_keys}
    runs = visit(params)
    assert not problems(runs, params), f"{_short(params)}:\n" + "\n".join(problems(runs, params))
    assert all(run.config == DEFAULT for run in runs)


# Randomized: a few examples per run, the same ones every run (derandomize), so CI stays stable.
HOSTILE_TEXT = ["1e308", "-1e308", str(10**40), "-1", "-0", "0.5", "7.0", "1e-320", "nan", "-inf", "0x10",
                "1_000", "٣", "½", "", " ", "none", "true", "[]", "%00", "\x00", "ünïcödé🦋", "\u202e",
                "<script>alert(1)</script>", "9" * 10_000, "x" * 10_000, "8-" * 2_000, "64-64-64-64"]
_text = hs.one_of(
    hs.sampled_from(HOSTILE_TEXT),
    hs.text(hs.characters(exclude_categories=("Cs",)), max_size=12),
    hs.integers(-(10**45), 10**45).map(str),
    hs.floats().map(repr),
)
_value = hs.one_of(_text, hs.lists(_text, min_size=2, max_size=3))


@functools.cache
def _keys() -> list[str]:
    return [*FIELDS, SCENARIO_KEY, PROJECTOR_KEY, *defaults()[1]]


@settings(max_examples=10, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=hs.data())
def test_random_hostile_urls_leave_a_page_working(data):
    keys = hs.one_of(hs.sampled_from(_keys()), hs.text(max_size=8))
    params = data.draw(hs.dictionaries(keys, _value, min_size=1, max_size=6), label="params")
    expected, _ = RunConfig.from_query_params(params)
    if estimated_seconds(expected) > 1.0:  # a rare valid, slow draw: not what this test is about
        params = {**params, "epochs": "50"}
    assume(not crashes_streamlit(params))  # see test_an_infinite_whole_number_does_not_crash_the_app
    page = data.draw(hs.sampled_from(PAGES), label="page")
    runs = visit(params, [page])
    assert not problems(runs, params), f"{_short(params)}:\n" + "\n".join(problems(runs, params))


# --- the known disagreements between the URL check and the sidebar's widgets ----------------------------

@pytest.mark.parametrize("perturbation", [1e-4, 1e-3, 1e-2, 0.1])
def test_a_url_from_to_query_params_reopens_the_same_run(perturbation):
    config = RunConfig(dataset="xor", symmetry="identical", perturbation=perturbation, epochs=50)
    runs = visit(config.to_query_params(), [HOME])
    assert runs[0].config == config
    assert not runs[0].warnings


def test_a_fraction_for_a_whole_number_runs_what_the_warning_says():
    runs = visit({"seed": "7.5"}, [HOME])
    assert any("seed" in warning for warning in runs[0].warnings)
    assert runs[0].config.seed == DEFAULT.seed


@pytest.mark.parametrize("name", ["seed", "data_seed", "epochs", "batch_size"])
def test_an_infinite_whole_number_does_not_crash_the_app(name):
    params = {name: "inf"}
    assert crashes_streamlit(params)
    runs = visit(params, [HOME])
    assert not problems(runs, params), "\n".join(problems(runs, params))


def test_a_known_disagreement_is_recognised():
    assert widget_may_differ({"perturbation": "0.0001"}) and widget_may_differ({"seed": "7.5"})
    assert not widget_may_differ({"perturbation": "1e-06"}) and not widget_may_differ({"seed": "7.0"})
    assert not widget_may_differ({"perturbation": "lots"}) and not widget_may_differ({"seed": "nan"})
    assert crashes_streamlit({"epochs": "-inf"}) and crashes_streamlit({"seed": ["1", "1e400"]})
    assert not crashes_streamlit({"seed": "nan"}) and not crashes_streamlit({"noise": "inf"})


# --- degenerate settings ---------------------------------------------------------------------------------

DIVERGING = {"activation": "linear", "initializer": "he_normal", "learning_rate": "10", "hidden": "32-32",
             "epochs": "200"}
DEGENERATE_CASES: dict[str, dict[str, str]] = {
    "one-unit": {"hidden": "1", "epochs": "100"},
    "one-unit-per-layer": {"hidden": "1-1-1", "epochs": "100"},
    "zero-epochs": {"epochs": "0"},
    "fewest-points-three-classes": {"dataset": "blobs", "n_samples": "20", "noise": "1", "epochs": "100"},
    "no-noise": {"dataset": "circles", "noise": "0", "n_samples": "20", "epochs": "100"},
    "dead-start": {"initializer": "zeros", "activation": "relu", "epochs": "100"},
}


@pytest.mark.parametrize("case", DEGENERATE_CASES)
def test_degenerate_settings_give_a_working_page(case):
    """A working page: no exception, and its charts — or, where a chart makes no sense (a comparison of
    units when there is only one), a message saying why."""
    params = DEGENERATE_CASES[case]
    runs = visit(params)
    assert all(run.config == RunConfig.from_query_params(params)[0] for run in runs)
    broken = [f"{run.name}: exception {text!r}" for run in runs for text in run.exceptions]
    broken += [f"{run.name}: neither a chart nor a message" for run in runs
               if not run.charts and not run.messages]
    assert not broken, "\n".join(broken)


def test_divergence_is_explained_on_every_page_that_trains():
    runs = visit(DIVERGING)
    charts, _ = defaults()
    assert not [run.exceptions for run in runs if run.exceptions]
    silent = [run.name for run in runs if run.page not in TOOLS  # a tool page (Your data) trains nothing
              and charts[run.page.path] and not any("diverg" in text.lower() for text in run.messages)]
    assert not silent, f"pages that train but do not say the run diverged: {silent}"


# --- RunConfig.from_query_params on its own (fast, many examples) ----------------------------------------

@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(params=hs.dictionaries(hs.one_of(hs.sampled_from(list(FIELDS)), hs.text(max_size=8)), _value,
                              max_size=8))
def test_from_query_params_never_raises_and_warns_for_every_refused_field(params):
    config, warnings = RunConfig.from_query_params(params)
    assert isinstance(config, RunConfig)  # valid by construction: RunConfig validates itself
    for name, raw in params.items():
        if name in FIELDS and not _url_accepts(name, raw):
            assert any(warning.startswith(f"URL setting {name}=") for warning in warnings)
    assert len(warnings) <= len(params) + 1  # one per refused field, plus at most the epochs cap


def test_repeated_keys_take_the_last_value_as_a_browser_does():
    config, warnings = RunConfig.from_query_params({"seed": ["1", "2", "3"], "hidden": ["x", "4-4"]})
    assert (config.seed, config.hidden, warnings) == (3, (4, 4), [])
    config, warnings = RunConfig.from_query_params({"seed": ["3", "nan"], "hidden": []})
    assert config.seed == DEFAULT.seed and config.hidden == () and len(warnings) == 1


def test_long_values_are_read_whole_as_the_sidebar_reads_them():
    """Cutting a long value short could make nonsense valid: "7", 250 spaces, "x" once read as seed 7."""
    config, warnings = RunConfig.from_query_params({"seed": "7" + " " * 250 + "x",
                                                    "hidden": "4-4" + " " * 250 + "!"})
    assert (config.seed, config.hidden) == (DEFAULT.seed, DEFAULT.hidden) and len(warnings) == 2
    assert all(len(warning) < 200 for warning in warnings)  # the warning quotes the value cut short


# --- the URL-bound controls that are not RunConfig fields ------------------------------------------------

def test_a_hostile_scenario_or_projector_value_is_named_and_removed():
    """Streamlit drops a value its menu or toggle cannot match without a word; the sidebar says so."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params.update({SCENARIO_KEY: "x" * 10_000, PROJECTOR_KEY: "maybe"})
    at.run()
    warnings = [w.value for w in at.warning]
    assert any(w.startswith(f"URL setting {SCENARIO_KEY}=`xxxx") and len(w) < 200 for w in warnings), warnings
    assert any(w.startswith(f"URL setting {PROJECTOR_KEY}=`maybe`") for w in warnings), warnings
    assert SCENARIO_KEY not in at.query_params and PROJECTOR_KEY not in at.query_params
    assert not at.exception and at.session_state[PROJECTOR_KEY] is False


def test_valid_scenario_and_projector_values_pass_without_a_warning():
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params.update({SCENARIO_KEY: "Free exploration", PROJECTOR_KEY: "True"})
    at.run()
    assert not at.warning and not at.exception
    assert at.session_state[PROJECTOR_KEY] is True


def _lesson_widgets(at: AppTest) -> dict[str, list[str]]:
    """Every lesson control on the page: its URL key and the labels it offers (what the URL must hold)."""
    found = {}
    for kind in ("segmented_control", "select_slider", "selectbox", "toggle"):
        for widget in at.main.get(kind):
            if widget.key and widget.key.startswith(LESSON_PREFIXES):
                labels = ["true", "false"] if kind == "toggle" else [str(o) for o in widget.options]
                found[widget.key] = labels
    return found


LESSON_BASE = {"weight-trajectories": {"hidden": "8-8"}}
"""A lesson whose controls appear only under some settings (a layer switch needs two layers) is opened so."""
LESSONS_WITH_URL_CONTROLS = [spec for spec in PAGES if "lesson_choice(" in (ROOT / spec.path).read_text()]


def open_lesson(spec: PageSpec, params: Mapping[str, str],
                sidebar: Mapping[str, str] | None = None) -> AppTest:
    """A lesson opened with these URL params on its first visit, as a shared link opens it (AppTest can
    only switch pages after a first run, so the session starts on home without them — with the `sidebar`
    settings, if any, which that first run settles)."""
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params.update(sidebar or {})
    at.run()
    at.query_params.update(params)
    at.switch_page(spec.path).run()
    assert [title.value for title in at.title] == [spec.title], "the lesson did not open"
    return at


def _shown_label(at: AppTest, key: str) -> str:
    """The label a lesson control shows now (a toggle: "true" or "false")."""
    for kind in ("segmented_control", "select_slider", "selectbox", "toggle"):
        for widget in at.main.get(kind):
            if widget.key == key and kind == "toggle":
                return str(widget.value).lower()
            if widget.key == key:
                return str(widget.format_func(widget.value))
    raise KeyError(key)


@pytest.mark.parametrize("spec", LESSONS_WITH_URL_CONTROLS, ids=lambda spec: spec.url_path)
def test_a_lesson_control_names_a_hostile_url_value_and_accepts_its_own_labels(spec):
    """Nonsense for each of a lesson's controls gets a warning naming the key; each control's own labels
    — what Streamlit writes to the URL — get none and are applied."""
    base = LESSON_BASE.get(spec.url_path, {})  # settings under which every control of the page is drawn
    controls = _lesson_widgets(open_lesson(spec, {}, base))
    assert controls, f"{spec.url_path} draws no lesson control"

    hostile = open_lesson(spec, {key: "ünïcödé🦋" for key in controls}, base)
    warnings = [w.value for w in hostile.warning]
    assert not hostile.exception
    assert set(_lesson_widgets(hostile)) == set(controls)
    unnamed = [key for key in controls if not any(f"URL setting {key}=" in warning for warning in warnings)]
    assert not unnamed, f"hostile values without a warning: {unnamed}; warnings {warnings}"
    assert all(len(w) < 250 for w in warnings), "a warning lists a slider's hundreds of values"

    chosen = {key: labels[1] for key, labels in controls.items()}  # not the default, mostly
    valid = open_lesson(spec, chosen, base)
    assert not valid.exception and not valid.warning, [w.value for w in valid.warning]
    assert {key: _shown_label(valid, key) for key in chosen} == chosen


def test_a_lesson_label_in_other_case_is_named_as_streamlit_would_drop_it():
    """Streamlit matches a menu's label exactly ("Cosine"); only true/false are read in any case."""
    at = open_lesson(PAGES_BY_URL["identical-vs-random"], {"compare_metric": "cosine",
                                                            "compare_start": "identical copies"})
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("URL setting compare_metric=`cosine`") for w in warnings), warnings
    assert not any("compare_start" in w for w in warnings) and not at.exception
