""""Many seeds, one solution" in headless Chromium: it renders, its page controls rerun it and reach the
URL, the logistic-regression contrast is one click, and projector mode keeps chart text ≥ 18 px.

Screenshots (1280×720) in test-artifacts/screenshots/many-seeds-*.png: the top of the page, the
alignment and straight-line sections, projector mode, and the no-hidden-layer contrast.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.pages import LESSONS
from tests.e2e.conftest import (
    APP_TIMEOUT_MS,
    assert_healthy,
    screenshot,
    small_chart_text,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

PATH = "lessons/many_seeds/page.py"
SPEC = next((spec for spec in LESSONS if spec.path == PATH), None)


@pytest.fixture(autouse=True)
def _registered() -> None:
    if SPEC is None:
        pytest.fail(f"{PATH} is not registered in app.pages.LESSONS", pytrace=False)


def _open(page: Any, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/{SPEC.url_path}{query}", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def _assert_healthy(page: Any, min_charts: int = 5) -> None:
    assert_healthy(page, min_charts)


def _metrics(page: Any) -> dict[str, str]:
    result = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        result[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return result


def _scroll_to(page: Any, text: str) -> None:
    """Bring the section headed `text` to the top of the viewport (Streamlit scrolls its main block)."""
    heading = page.get_by_role("heading", name=text).first
    heading.scroll_into_view_if_needed()
    heading.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(400)


def _scroll_to_chart(page: Any, title: str) -> None:
    """Bring the Plotly chart whose title starts with `title` to the top of the viewport."""
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator(
        "text.gtitle", has_text=title)).first
    chart.evaluate("element => element.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(400)


def _click_segment(page: Any, label: str) -> None:
    page.locator('[data-testid="stButtonGroup"] button').filter(has_text=label).first.click()


def test_page_renders_with_numbers_and_sections(page, app_server):
    _open(page, app_server)
    _assert_healthy(page)
    metrics = _metrics(page)
    for label in ("Test-loss spread", "Weight spread", "… reordered", "Barrier, reordered"):
        assert label in metrics, f"metrics: {metrics}"
    assert page.get_by_text("What you are seeing.").count() == 1
    screenshot(page, "many-seeds-top")
    _scroll_to(page, "Where the weights differ")
    screenshot(page, "many-seeds-weights")
    _scroll_to_chart(page, "Which unit of")
    screenshot(page, "many-seeds-pairing")
    _scroll_to(page, "Same valley? Same function?")
    screenshot(page, "many-seeds-line")


def test_projector_mode_is_readable(page, app_server):
    _open(page, app_server, "?projector=true")
    _assert_healthy(page)
    small = small_chart_text(page)
    assert not small, f"chart text under 18 px in projector mode: {small[:10]}"
    screenshot(page, "many-seeds-projector")
    _scroll_to(page, "Same valley? Same function?")
    screenshot(page, "many-seeds-projector-line")


def test_no_hidden_layer_is_one_click(page, app_server):
    _open(page, app_server)
    _assert_healthy(page)
    _click_segment(page, "No hidden layer")
    page.wait_for_function("() => new URLSearchParams(location.search).get('seeds_model') !== null")
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMetricDelta"]')]
                 .some(v => v.innerText.includes('no units to reorder'))""", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    _assert_healthy(page, min_charts=4)
    spread = _metrics(page)["Weight spread"]
    assert "e-" in spread, f"logistic regression's weight spread should be tiny, got {spread}"
    screenshot(page, "many-seeds-logistic")
    _scroll_to(page, "Two regressions agree, two networks do not")
    screenshot(page, "many-seeds-logistic-contrast")


def test_seed_count_reaches_the_url_and_reruns(page, app_server):
    _open(page, app_server)
    _click_segment(page, "4")
    page.wait_for_function("() => new URLSearchParams(location.search).get('seeds_count') === '4'")
    page.wait_for_function("() => document.body.innerText.includes('The 4 seeds end')",
                           timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    _assert_healthy(page)


@pytest.mark.parametrize(("name", "query"), [
    ("deep", "?hidden=6-6-6&seeds_layer=layer+2&seeds_count=4"),
    ("digits", "?dataset=digits&hidden=16&epochs=100"),
])
def test_deep_network_and_high_dimensional_data(page, app_server, name, query):
    _open(page, app_server, query)
    _assert_healthy(page)
    _scroll_to(page, "Where the weights differ")
    screenshot(page, f"many-seeds-{name}-weights")
    _scroll_to(page, "Same valley? Same function?")
    screenshot(page, f"many-seeds-{name}-line")
