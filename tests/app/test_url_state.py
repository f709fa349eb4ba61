"""app/state.py's rule, headless: the address decides a run when it is news (first run, Back/Forward, a link
to another page with other settings), the widgets decide it otherwise, and the URL written back holds every
non-default setting in the form it is read. Also: warnings quote URL values as plain text.

AppTest cannot press Back; `back` below runs the app with an earlier address and the run flagged as
history navigation, exactly what Streamlit tells the script on Back (the browser half is tested in
tests/e2e/test_url_truth.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from streamlit.testing.v1 import AppTest

import app.state
from app.pages import HOME, PAGES_BY_URL
from app.state import config_from_state
from core.config import FIELDS, RunConfig
from tests.app.conftest import DASHBOARD, errors
from tests.markdown_spans import split_code_spans

TRAJECTORIES = PAGES_BY_URL["weight-trajectories"].path
MANY_SEEDS = PAGES_BY_URL["many-seeds"].path
DEMO = {"hidden": "4-4", "seed": "3", "dataset": "xor"}


def config(at: AppTest) -> RunConfig:
    return config_from_state({name: at.session_state[name] for name in FIELDS if name in at.session_state})[0]


def opened(params: Mapping[str, str]) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params.update(params)
    at.run()
    assert errors(at) == []
    return at


def back(at: AppTest, monkeypatch: pytest.MonkeyPatch, page: str, params: Mapping[str, str]) -> AppTest:
    """Press Back to `page` with the address `params` (see the module docstring)."""
    at.query_params.clear()
    at.query_params.update(params)
    with monkeypatch.context() as patch:
        patch.setattr(app.state, "_is_history_navigation", lambda: True)
        at.switch_page(page).run()
    assert errors(at) == []
    return at


def test_back_restores_the_address_run_and_defaults_for_what_it_lacks(monkeypatch):
    at = opened(DEMO)
    at.switch_page(TRAJECTORIES).run()
    at.number_input(key="epochs").set_value(120).run()  # a change the earlier address does not have
    assert config(at).epochs == 120 and at.query_params["epochs"] == "120"
    back(at, monkeypatch, HOME.path, DEMO)
    assert config(at) == RunConfig.from_query_params(DEMO)[0]  # epochs back to 500, not the box's minimum
    assert at.number_input(key="epochs").value == 500 and at.text_input(key="hidden").value == "4-4"
    assert dict(at.query_params) == DEMO


def test_back_into_a_refused_value_warns_again_and_never_reaches_a_widget(monkeypatch):
    at = opened({"seed": "inf"})
    assert any("seed=`inf`" in w.value for w in at.warning) and "seed" not in at.query_params
    at.switch_page(MANY_SEEDS).run()
    back(at, monkeypatch, HOME.path, {"seed": "inf"})
    assert any("seed=`inf`" in w.value for w in at.warning) and config(at).seed == 0


def test_a_widget_click_wins_over_the_address_sent_with_it():
    at = opened(DEMO)
    at.query_params["seed"] = "3"  # the browser still shows the old address
    at.number_input(key="seed").set_value(11).run()
    assert config(at).seed == 11 and at.query_params["seed"] == "11"


def test_a_page_link_without_settings_keeps_them():
    """home's lesson guide links carry no query: "that page, same settings"."""
    at = opened(DEMO)
    at.query_params.clear()
    at.switch_page(TRAJECTORIES).run()
    assert config(at) == RunConfig.from_query_params(DEMO)[0] and dict(at.query_params) == DEMO


@pytest.mark.parametrize("value", ["0.0001", "1e-04", "1e-4"])
def test_a_nudge_stays_in_the_url_in_the_form_it_is_read(value):
    at = opened({"initializer": "constant", "perturbation": value})
    assert config(at).perturbation == 1e-4 and not at.warning
    assert at.query_params["perturbation"] == "0.0001"
    assert at.select_slider(key="perturbation").value == 1e-4


def test_a_nudge_the_slider_does_not_offer_is_refused_with_its_values():
    at = opened({"perturbation": "0.5"})
    warning = next(w.value for w in at.warning if "perturbation" in w.value)
    assert "1e-04" in warning and config(at).perturbation == 0.0 and "perturbation" not in at.query_params


def test_every_setting_round_trips_through_the_written_url():
    wanted = RunConfig(dataset="circles", hidden=(6, 3), activation="relu", initializer="uniform",
                       init_scale=0.5, symmetry="same_fan_in", perturbation=1e-6, optimizer="momentum",
                       learning_rate=0.05, momentum=0.5, epochs=80, batch_size=16, l2=0.001, l1=0.002,
                       dropout=0.1, seed=7, data_seed=2, noise=0.3, n_samples=200)
    at = opened(wanted.to_query_params())
    assert config(at) == wanted and not at.warning
    again = opened(dict(at.query_params))  # the address the app wrote, opened in a new session
    assert config(again) == wanted


def test_lesson_controls_follow_the_address_on_back(monkeypatch):
    at = opened({})
    at.query_params.update({"seeds_count": "4", "seeds_model": "No hidden layer"})
    at.switch_page(MANY_SEEDS).run()
    shown = {key: at.session_state[key] for key in ("seeds_count", "seeds_model")}
    assert shown == {"seeds_count": 4, "seeds_model": "logistic"}, shown
    back(at, monkeypatch, MANY_SEEDS, {})  # an earlier address of the same page: every default
    assert at.session_state["seeds_count"] != 4 and at.session_state["seeds_model"] == "network"
    assert "seeds_count" not in at.query_params


# --- plain text ------------------------------------------------------------------------------------------

HOSTILE = {
    "dataset": "[Log in here](https://evil.example)",
    "hidden": "![x](http://host.example/img.png)",
    "activation": "<img src=x onerror=alert(1)>",
    "initializer": "**bold** :red[alarm] :material/lock:",
    "seed": "https://evil.example/login",
    "optimizer": "\u202e[Log in here](https://evil.example)",
    "symmetry": "a%0A\n\n[Log in here](https://evil.example)",
    "scenario": "x" * 30 + "[Log in here](https://evil.example)",
    "projector": "$x$ ~~y~~ `z`",
}


def _outside_code(markdown: str) -> str:
    return split_code_spans(markdown)[0]


def test_no_warning_builds_a_link_or_image_from_a_url_value():
    """Every warning on the page quotes its URL value inside a code span, where nothing is parsed: the
    rest of the text — ours — holds no link, image, HTML or formatting syntax at all."""
    at = opened(HOSTILE)
    lesson = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    lesson.run()
    lesson.query_params.update({"seeds_count": HOSTILE["dataset"], "seeds_model": HOSTILE["hidden"]})
    lesson.switch_page(MANY_SEEDS).run()
    warnings = [w.value for w in at.warning] + [w.value for w in lesson.warning]
    assert len(warnings) >= len(HOSTILE) + 2, warnings
    for warning in warnings:
        outside = _outside_code(warning)
        for syntax in ("<a", "<img", "<", "](", "![", "http", "**", "~~", ":red[", ":material/", "$", "\n",
                       "\u202e"):
            assert syntax not in outside, f"{syntax!r} outside a code span in {warning!r}"


def test_text_typed_into_the_sidebar_is_quoted_as_plain_text():
    at = opened({})
    at.text_input(key="hidden").input("[Log in here](https://evil.example)").run()
    warning = next(w.value for w in at.sidebar.warning if w.value.startswith("Hidden layers:"))
    assert "](" not in _outside_code(warning) and "like 8-8" in warning
    assert config(at).hidden == (8,) and "hidden" not in at.query_params


def test_a_blank_hidden_box_says_it_means_no_hidden_layer():
    at = opened({})
    at.text_input(key="hidden").input("").run()
    assert config(at).hidden == () and at.query_params["hidden"] == "none"
    assert any("no hidden layer" in caption.value for caption in at.sidebar.caption)


def test_page_link_carries_the_settings():
    """app.state.page_link, for links inside pages (the scenario's "Open … to see it" uses it)."""
    at = opened({**DEMO, "scenario": "Dropout breaks a tie"})
    link = next(link.proto for link in at.sidebar.get("page_link") if link.proto.label.startswith("Open"))
    assert link.page == "identical-vs-random"
    assert {"dataset": "xor", "hidden": "4-4", "seed": "3"}.items() <= dict(
        pair.split("=") for pair in link.query_string.split("&")).items()
