"""The real app in headless Chromium: every page renders without an error, charts draw, the animation
plays, sidebar controls rerun the page and reach the URL, a broken URL is explained, not fatal.

Screenshots of every page (normal and projector mode, 1280×720) land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from app.pages import PAGES
from tests.e2e.conftest import (
    APP_TIMEOUT_MS,
    assert_healthy,
    screenshot,
    small_chart_text,
    wait_for_app,
    wait_until,
)

pytestmark = pytest.mark.e2e

TRAJECTORIES = next(spec for spec in PAGES if spec.url_path == "weight-trajectories")
IDENTICAL = "Identical start: one unit in disguise"
GAP_METRIC = "Largest unit difference"


def _name(spec: Any) -> str:
    return spec.url_path or "home"


_visited: set[str] = set()  # servers (base URLs) that have served a page in this session


def _open(page: Any, base_url: str, url_path: str = "", query: str = "") -> None:
    _visited.add(base_url)
    page.goto(f"{base_url}/{url_path}{query}", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def _page_not_found(page: Any) -> Any:
    return page.get_by_role("dialog").filter(has_text="Page not found")


_assert_healthy = assert_healthy


def _metrics(page: Any) -> dict[str, str]:
    """Every st.metric on the page: label → value (and delta, if any)."""
    result = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        value = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
        delta = metric.locator('[data-testid="stMetricDelta"]')
        result[label] = value + (f" ({delta.inner_text().strip()})" if delta.count() else "")
    return result


# First in the module on purpose: a teacher deploys, then shares a lesson's link; the server's very first
# request is that deep link. (A folder named pages/ beside the entrypoint once broke exactly this: the
# first run then used Streamlit's legacy pages-folder mode and answered 'Page not found'. Hence lessons/.)
def test_a_lesson_link_is_the_first_visit_to_a_fresh_server(page, app_server):
    if app_server in _visited:
        pytest.skip("the server has already served a page in this session; run this test first")
    _open(page, app_server, TRAJECTORIES.url_path)
    assert _page_not_found(page).count() == 0, "'Page not found' on the first visit to a fresh server"


@pytest.mark.parametrize("spec", PAGES, ids=_name)
def test_page_renders_without_errors(page, app_server, spec):
    _open(page, app_server, spec.url_path)
    _assert_healthy(page)
    screenshot(page, _name(spec), docs=True)


@pytest.mark.parametrize("spec", PAGES, ids=_name)
def test_page_in_projector_mode(page, app_server, spec):
    _open(page, app_server, spec.url_path, "?projector=true")
    assert page.get_by_role("switch", name="Projector mode").is_checked(), "?projector=true did not apply"
    _assert_healthy(page)
    # DESIGN §5: chart text ≥ 18 px on a projector (the slider's 1-px tick labels are hidden on purpose).
    small = small_chart_text(page)
    assert not small, f"chart text under 18 px in projector mode: {small[:10]}"
    screenshot(page, f"{_name(spec)}-projector")


def test_play_button_advances_the_animation(page, app_server):
    _open(page, app_server, TRAJECTORIES.url_path)
    _assert_healthy(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator("g.slider-container")).first
    # The slider's "current value" text: plotly.js 3 draws it as the slider group's own text.slider-label
    # (older versions: .slider-current-value); the tick labels sit deeper, in g.slider-labels.
    label = chart.locator("g.slider-group > text.slider-label, .slider-current-value").first
    before = label.text_content()
    assert before and "epoch" in before.lower(), f"unexpected slider label {before!r}"

    chart.locator("g.updatemenu-button").filter(has_text=re.compile("Play")).first.click()
    wait_until(lambda: label.text_content() != before, f"the slider label moves on from {before!r}", 3)

    chart.locator("g.updatemenu-button").filter(has_text=re.compile("Pause")).first.click()
    time.sleep(0.3)  # let the current frame finish
    paused = label.text_content()
    time.sleep(0.7)
    assert label.text_content() == paused, "the animation kept running after Pause"


def test_changing_the_seed_reruns_and_updates_the_url(page, app_server):
    _open(page, app_server)
    _assert_healthy(page)
    before = _metrics(page)
    assert GAP_METRIC in before, f"metrics on the home page: {before}"

    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"] summary').filter(has_text="Training").click()
    seed = sidebar.get_by_label("Seed", exact=True)
    seed.fill("3")
    seed.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('seed') === '3'")
    wait_until(lambda: _metrics(page) != before, f"the metrics {before} change with the seed")
    wait_for_app(page)
    _assert_healthy(page)


def test_identical_scenario_shows_a_zero_gap(page, app_server):
    _open(page, app_server)
    _assert_healthy(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Scenario").first.click()
    page.get_by_role("option", name=IDENTICAL).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('symmetry') === 'identical'")
    wait_until(lambda: _metrics(page).get(GAP_METRIC, "").startswith("0.0"),
                f"'{GAP_METRIC}' shows 0.0 for identical units")
    wait_for_app(page)
    _assert_healthy(page)
    assert _metrics(page)[GAP_METRIC].startswith("0.0")


def test_bad_url_values_are_explained_not_fatal(page, app_server):
    _open(page, app_server, query="?dataset=mnist&epochs=lots")
    warnings = page.locator('[data-testid="stAlertContentWarning"]')
    assert warnings.count() >= 1, "no warning for ?dataset=mnist&epochs=lots"
    text = " ".join(warnings.all_inner_texts())
    assert "mnist" in text and "lots" in text, f"the warnings do not name the bad values: {text}"
    _assert_healthy(page)
