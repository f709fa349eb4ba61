"""The whole app headless (Streamlit's AppTest): every page, many configurations, URL handling."""

from __future__ import annotations

import json

import pytest

from app.pages import LESSONS, PAGES, PAGES_BY_URL
from app.scenarios import SCENARIOS, SCENARIOS_BY_NAME
from app.state import config_from_state, current_config
from core.config import FIELDS, RunConfig
from tests.app.conftest import chart_specs, drawings, errors, svg_pictures

TRAJECTORIES = "lessons/weight_trajectories/page.py"


def test_home_page_runs_with_defaults(open_app):
    at = open_app()
    assert errors(at) == []
    assert [title.value for title in at.title] == ["Symmetry Lab"]
    assert chart_specs(at) == []  # no Plotly: the first page loads without plotly.js
    (diagram,) = svg_pictures(at)
    assert 'aria-label="Every hidden unit gets the same inputs' in diagram and diagram.count("<circle") == 11
    labels = [metric.label for metric in at.metric]
    assert "Largest unit difference" in labels and "Test accuracy" in labels


def test_every_sidebar_group_is_drawn_with_every_control(open_app):
    at = open_app()
    keys = {widget.key for widget in at.get("selectbox")} | {w.key for w in at.number_input}
    expected = {"scenario", "dataset", "activation", "initializer", "symmetry", "optimizer", "epochs", "seed"}
    assert expected <= keys
    assert [widget.key for widget in at.text_input] == ["hidden"]


@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_every_page_runs_with_defaults(open_app, page):
    at = open_app(page)
    assert errors(at) == []
    assert drawings(at)


def test_trajectory_page_shows_the_animation_and_unit_charts(open_app):
    at = open_app(TRAJECTORIES)
    specs = [json.loads(spec) for spec in chart_specs(at)]
    animations = [spec for spec in specs if spec.get("frames")]
    assert len(animations) == 1 and len(animations[0]["frames"]) >= 2
    assert len(specs) >= 5  # animation, incoming weights, outgoing weights, loss, accuracy
    seeing = [m.value for m in at.markdown if m.value.startswith("**What you are seeing.**")]
    assert len(seeing) == 1 and "largest difference between any two units" in seeing[0]


@pytest.mark.parametrize(
    "params",
    [
        {"dataset": "circles", "hidden": "4"},
        {"dataset": "blobs", "hidden": "8-8"},
        {"dataset": "iris", "hidden": "6-6-6", "activation": "relu"},
        {"dataset": "digits", "hidden": "16", "epochs": "100"},
        {"dataset": "breast_cancer", "optimizer": "adam", "learning_rate": "0.01", "epochs": "50"},
        {"dataset": "spiral", "hidden": "none"},
        {"dataset": "moons", "optimizer": "sgd", "dropout": "0.3", "epochs": "50"},
    ],
    ids=["circles", "blobs-2-layers", "iris-3-layers", "digits", "breast-cancer-adam", "no-hidden",
         "dropout"],
)
@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_pages_run_for_many_configurations(open_app, params, page):
    at = open_app(page, **params)
    assert errors(at) == []
    assert drawings(at)
    assert current_config_from(at).dataset == params["dataset"]


def current_config_from(at) -> RunConfig:
    """What the pages see: the config derived from the widgets' session state."""
    state = {name: at.session_state[name] for name in FIELDS if name in at.session_state}
    return config_from_state(state)[0]


@pytest.mark.parametrize("scenario", [s.name for s in SCENARIOS])
def test_every_scenario_sets_its_whole_configuration(open_app, scenario):
    at = open_app()
    at.selectbox(key="scenario").select(scenario).run()
    expected = next(s.config for s in SCENARIOS if s.name == scenario)
    assert errors(at) == []
    assert current_config_from(at) == expected
    scenario_spec = SCENARIOS_BY_NAME[scenario]
    at.switch_page(PAGES_BY_URL[scenario_spec.page].path).run()  # the page the scenario links to
    assert errors(at) == []
    assert current_config_from(at) == expected
    for key, value in scenario_spec.settings:  # the lesson's own controls, set by the scenario
        assert at.session_state[key] == value


def test_url_params_set_the_widgets(open_app):
    at = open_app(dataset="xor", hidden="16-4", learning_rate="0.2", symmetry="identical")
    assert errors(at) == []
    assert at.selectbox(key="dataset").value == "xor"
    assert at.text_input(key="hidden").value == "16-4"
    config = current_config_from(at)
    assert (config.hidden, config.learning_rate, config.symmetry) == ((16, 4), 0.2, "identical")
    assert [w.value for w in at.warning] == []


def test_bad_url_params_warn_and_fall_back_to_defaults(open_app):
    at = open_app(dataset="mnist", epochs="lots", learning_rate="-3", hidden="8-x")
    assert errors(at) == []
    warnings = " ".join(w.value for w in at.warning)
    for name in ("dataset", "epochs", "learning_rate", "hidden"):
        assert name in warnings
    config = current_config_from(at)
    assert (config.dataset, config.epochs, config.hidden) == ("moons", 500, (8,))


def test_over_budget_settings_cap_epochs_with_a_visible_message(open_app):
    at = open_app(dataset="digits", hidden="64-64-64", epochs="2000")
    assert errors(at) == []
    assert any("compute budget" in w.value for w in at.warning)
    assert current_config_from(at).epochs < 2000


def test_diverging_training_shows_a_clear_message(open_app):
    at = open_app(TRAJECTORIES, activation="linear", initializer="he_normal", learning_rate="10",
                  hidden="32-32", epochs="400")
    assert errors(at) == []
    assert any("diverged" in e.value for e in at.error)


def test_typing_nonsense_into_a_control_keeps_the_page_working(open_app):
    at = open_app()
    at.text_input(key="hidden").input("lots of units").run()
    assert errors(at) == []
    assert current_config_from(at).hidden == (8,)
    assert config_from_state({"hidden": "lots of units"})[1][0].startswith("Hidden layers:")


def test_settings_survive_a_page_switch(open_app):
    at = open_app()
    at.selectbox(key="dataset").select("circles").run()
    at.switch_page(TRAJECTORIES).run()
    assert current_config_from(at).dataset == "circles"  # (the browser test checks the widget itself)


def test_projector_mode_enlarges_chart_fonts(open_app):
    normal = json.loads(chart_specs(open_app(TRAJECTORIES))[1])
    big = json.loads(chart_specs(open_app(TRAJECTORIES, projector="true"))[1])
    assert big["layout"]["font"]["size"] >= 18 > normal["layout"]["font"]["size"]


def test_lesson_guide_links_every_lesson(open_app):
    at = open_app()
    links = [link.proto.page for link in at.main.get("page_link")]
    assert len(links) == len(LESSONS)


def test_the_sidebar_menu_links_every_page_with_the_settings_in_its_url(open_app):
    """Streamlit's own menu would switch pages without the settings; ours carries them in each link."""
    at = open_app(dataset="xor", hidden="4-4", seed="3")
    links = {link.proto.page: link.proto.query_string for link in at.sidebar.get("page_link")}
    assert set(links) == {spec.url_path for spec in PAGES}
    assert all(query == "dataset=xor&hidden=4-4&seed=3" for query in links.values()), links


def test_current_config_defaults_outside_a_session():
    assert current_config() == RunConfig()


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.settings], ids=lambda s: s.page)
def test_a_short_scenario_link_opens_the_scenario_on_its_page(open_app, scenario):
    at = open_app(PAGES_BY_URL[scenario.page].path, scenario=scenario.name)
    assert errors(at) == []
    assert current_config_from(at) == scenario.config
    for key, value in scenario.settings:
        assert at.session_state[key] == value


def test_a_copied_demo_keeps_its_settings_over_its_scenario(open_app):
    at = open_app(scenario=SCENARIOS[2].name, dataset="circles")
    assert current_config_from(at).dataset == "circles"
