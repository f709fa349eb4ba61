"""Your own data, headless (AppTest drives the real st.file_uploader: `FileUploader.set_value`).

A good file: every page runs on it and shows its numbers. Each bad file: its own sentence under the
uploader, and a working page on the default data that says so. A link made while an upload is active
opens the default data with a note; Back within the session keeps the upload. Points added on the Your
data page: AppTest cannot click a Plotly chart, so the test puts the points where the page's click handler
puts them (`app.data_choice.add_point`'s session state) and presses the page's own Undo button.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import app.state
from app import data_choice
from app.pages import HOME, PAGES, PAGES_BY_URL
from app.scenarios import SCENARIOS
from app.state import config_from_state
from core.added_points import AddedPoint
from core.config import RunConfig
from core.custom_data import is_custom_name
from core.datasets import load_dataset
from tests.app.conftest import DASHBOARD, chart_specs, drawings, errors
from tests.app.test_regression import CLASSIFICATION_WORDS, page_text
from tests.core.test_uploads import BAD_FILES, blobs, numbers_file

YOUR_DATA = PAGES_BY_URL["your-data"].path
X, LABELS = blobs(80, 3, 3, seed=5)
GOOD = numbers_file(X, np.array(["oak", "ash", "elm"])[LABELS], header=["height", "girth", "bark", "tree"])
REGRESSION = numbers_file(X[:, :2], X[:, 2] * 10, header=["a", "b", "price"])
PLANE = numbers_file(X[:, :2], np.array(["north", "south", "east"])[LABELS], header=["lon", "lat", "side"])


def open_app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(DASHBOARD), default_timeout=120)
    at.query_params.update(params)
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert errors(at) == []
    return at


def upload(at: AppTest, content: bytes, name: str = "trees.csv") -> AppTest:
    if at.selectbox(key="dataset").value != data_choice.UPLOAD_CHOICE:
        at.selectbox(key="dataset").select(data_choice.UPLOAD_CHOICE).run()
    at.get("file_uploader")[0].set_value((name, content, "text/csv")).run()
    return at


def state_of(at: AppTest) -> dict[str, Any]:
    return {key: at.session_state[key] for key in at.session_state}


def config_of(at: AppTest) -> RunConfig:
    """The configuration the pages run: derived from the session state as app/state.py derives it."""
    return config_from_state(state_of(at))[0]


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def test_a_good_file_runs_on_every_page_with_its_numbers():
    at = upload(open_app(YOUR_DATA), GOOD)
    assert errors(at) == [] and not at.error
    config = config_of(at)
    assert is_custom_name(config.dataset) and at.query_params["dataset"] == config.dataset
    assert metrics(at) == {"Training rows": "60", "Test rows": "20", "Inputs": "3", "Points added": "0"}
    text = " ".join(m.value for m in at.markdown)
    assert "`trees.csv`" in text
    assert "**3 classes**, rows per class: `ash` (27), `elm` (26), `oak` (27)" in text
    assert any("to predict: `tree`, 3 classes" in caption.value for caption in at.sidebar.caption)
    data = load_dataset(config)
    for spec in PAGES:
        at.switch_page(spec.path).run()
        assert errors(at) == [], spec.path
        assert drawings(at), spec.path
        assert config_of(at) == config, spec.path
    at.switch_page(HOME.path).run()
    assert at.metric[0].label == "Test accuracy" and "on Your CSV." in at.metric[0].proto.help
    assert data.n_features == 3 and data.n_outputs == 3


@pytest.mark.parametrize("content", [PLANE, REGRESSION], ids=["2-d-classes", "regression"])
def test_a_2d_upload_and_a_regression_upload_run_on_every_page(content):
    """The input-plane pictures draw the upload's own classes; a regression target speaks of R² and
    squared error everywhere, never of accuracy or log loss."""
    at = upload(open_app(), content, "mine.csv")
    assert errors(at) == [] and not at.error
    data = load_dataset(config_of(at))
    assert "Test R²" in metrics(at) if data.task == "regression" else "Test accuracy" in metrics(at)
    for spec in PAGES:
        at.switch_page(spec.path).run()
        assert errors(at) == [] and drawings(at), spec.path
        if data.task == "regression":
            assert not [w for w in CLASSIFICATION_WORDS if w in page_text(at)], spec.path
        elif spec is PAGES_BY_URL["weight-trajectories"]:
            assert "north (training data)" in "".join(chart_specs(at))  # the plane's legend


def test_each_bad_file_says_why_and_the_pages_keep_working_on_the_default_data():
    at = open_app()
    for name, (content, message) in BAD_FILES.items():
        upload(at, content, f"{name}.csv")
        assert errors(at) == [], name
        shown = [box.value for box in at.sidebar.error]
        assert any(message in text for text in shown), (name, shown)
        assert config_of(at).dataset == "moons", name
        told = [box.value for box in at.info]
        assert any("has no usable file yet, so every page shows Two moons" in text for text in told), name
        assert "Test accuracy" in metrics(at), name


def test_a_file_over_the_size_limit_is_refused_with_its_size():
    at = upload(open_app(), b"x,y\n" + b"1,2\n" * 1_200_000, "big.csv")  # 4.8 MB
    assert any("The file is 4.6 MB; the limit is 4 MB" in box.value for box in at.sidebar.error)
    assert config_of(at).dataset == "moons" and errors(at) == []


def test_choosing_other_columns_makes_other_data():
    at = upload(open_app(YOUR_DATA), GOOD)
    classes = config_of(at).dataset
    at.toggle(key=data_choice.LABEL_KEY).set_value(False).run()
    assert any("holds words (row 2: `oak`)" in box.value for box in at.sidebar.error)
    assert config_of(at).dataset == "moons"
    at.selectbox(key=data_choice.TARGET_KEY).select("bark").run()  # numbers: features lose it, not gain tree
    assert at.multiselect(key=data_choice.FEATURES_KEY).value == ["height", "girth"]
    assert errors(at) == [] and not at.sidebar.error
    regression = config_of(at).dataset
    assert regression != classes and load_dataset(config_of(at)).task == "regression"


def test_a_link_made_during_an_upload_opens_the_default_data_with_a_note(monkeypatch):
    at = upload(open_app(), GOOD)
    link = dict(at.query_params)
    name = link["dataset"]
    other = open_app(**link)  # another session: the server holds the data, but the link is not the file
    assert config_of(other).dataset == "moons"
    notes = [w.value for w in other.warning]
    assert notes == [f"URL setting dataset=`{name}` ignored (a link cannot carry an uploaded file or points "
                     "added on Your data; upload the file again under Data → Dataset → Your CSV…); using "
                     "moons."]
    at.switch_page(YOUR_DATA).run()
    at.query_params.clear()
    at.query_params.update(link)
    with monkeypatch.context() as patch:  # Back within the session that uploaded it keeps the upload
        patch.setattr(app.state, "_is_history_navigation", lambda: True)
        at.switch_page(HOME.path).run()
    assert config_of(at).dataset == name and not at.warning


def test_added_points_reach_every_lesson_and_undo_removes_them():
    at = open_app(YOUR_DATA, n_samples="100")
    base = config_of(at)
    at.session_state[data_choice._POINTS] = data_choice.PointsState(
        "moons", (AddedPoint(0.0, 0.0, 1), AddedPoint(0.5, -0.5, 0)))  # what two clicks leave
    at.run()
    assert metrics(at)["Points added"] == "2" and metrics(at)["Training rows"] == "77"
    edited = config_of(at)
    assert edited.dataset != base.dataset and is_custom_name(edited.dataset)
    assert edited.replace(dataset="moons") == base
    at.switch_page(PAGES_BY_URL["weight-trajectories"].path).run()
    assert errors(at) == [] and config_of(at) == edited
    at.switch_page(YOUR_DATA).run()
    at.button[0].click().run()  # Undo last point
    assert metrics(at)["Points added"] == "1"
    at.selectbox(key="dataset").select("iris").run()  # 4-D data: nothing to click, the rows per class
    assert metrics(at)["Points added"] == "0" and config_of(at).dataset == "iris"
    assert any("this data has 4 inputs" in box.value for box in at.info) and chart_specs(at)


def test_a_scenario_replaces_the_upload_with_its_own_data():
    at = upload(open_app(), GOOD)
    scenario = next(s for s in SCENARIOS if s.name == "Random start: units spread out")
    at.selectbox(key="scenario").select(scenario.name).run()
    assert errors(at) == [] and config_of(at) == scenario.config
