"""The entrypoint runs headless (Streamlit's AppTest) and shows the experiment with its measured numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.config import RunConfig

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"


@pytest.fixture
def app() -> AppTest:
    st.cache_data.clear()  # each test trains afresh: no result leaks in from another test
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    yield at
    st.cache_data.clear()


def _texts(at: AppTest) -> list[str]:
    return [element.value for element in at.markdown]


def test_dashboard_runs_without_exception(app):
    assert not app.exception, [e.value for e in app.exception]
    assert [title.value for title in app.title] == ["Symmetry Lab"]


def test_dashboard_shows_both_weight_charts_and_the_loss(app):
    charts = app.get("plotly_chart")
    assert len(charts) >= 3
    specs = [chart.proto.spec for chart in charts]
    assert sum("Each unit's incoming weights" in spec for spec in specs) == 2
    assert any("Log loss during training" in spec for spec in specs)


def test_live_numbers_show_the_identical_start_stays_identical(app):
    lines = [text for text in _texts(app) if text.startswith("Largest difference between any two units")]
    assert len(lines) == 2
    random_line, identical_line = lines
    assert identical_line.endswith("**0.0**")
    assert not random_line.endswith("**0.0**")
    assert f"after {RunConfig().epochs} epochs" in identical_line
