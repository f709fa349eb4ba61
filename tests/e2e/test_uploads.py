"""Your own data in real Chromium: a CSV put into the sidebar's file input reaches the lesson (new numbers,
its name in the sidebar, its content name in the URL), and a click on the Your data plane adds a point.

Screenshots (1280×720, normal and projector): upload-controls, download-controls and your-data-points, each
also as -projector; the normal ones are the README's (docs/screenshots/ with SYMMETRY_LAB_UPDATE_DOCS=1).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from app.data_choice import UPLOAD_CHOICE
from app.pages import PAGES_BY_URL
from tests.core.test_uploads import blobs, numbers_file
from tests.e2e.conftest import (
    APP_TIMEOUT_MS,
    SVG_PICTURES,
    assert_healthy,
    screenshot,
    small_chart_text,
    wait_for_app,
    wait_until,
)

pytestmark = pytest.mark.e2e

YOUR_DATA = PAGES_BY_URL["your-data"]
X, LABELS = blobs(150, 3, 3, seed=4)
TREES = numbers_file(X, np.array(["oak", "ash", "elm"])[LABELS], header=["height", "girth", "bark", "tree"],
                     digits=".5g")


def _open(page: Any, url: str) -> None:
    page.goto(url, timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def _metrics(page: Any) -> dict[str, str]:
    labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values)}


def _projector_on(page: Any) -> None:
    """Projector mode from the sidebar's switch: the same session, so the upload and the points stay."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    toggle = sidebar.locator('[data-testid="stCheckbox"]').filter(has_text="Projector mode")
    toggle.scroll_into_view_if_needed()
    toggle.locator("label").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('projector') === 'true'")
    wait_for_app(page)


def _sidebar_shot(page: Any, selector: str, name: str) -> None:
    """A screenshot with the sidebar scrolled so that `selector` sits in its middle."""
    page.locator(f'[data-testid="stSidebar"] {selector}').first.evaluate(
        "element => element.scrollIntoView({block: 'center'})")
    screenshot(page, name, docs="projector" not in name)


def test_an_uploaded_csv_reaches_the_lesson(page, app_server):
    _open(page, app_server)
    before = _metrics(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"] summary').filter(has_text="Data").click()
    menu = sidebar.locator('[data-testid="stSelectbox"]').filter(has_text="Dataset").first
    menu.scroll_into_view_if_needed()
    menu.click()
    page.keyboard.type("Your CSV")  # the menu's list is virtual: its last option is not drawn until typed
    page.get_by_role("option", name=UPLOAD_CHOICE).click()
    wait_for_app(page)
    assert "has no usable file yet" in page.locator('[data-testid="stAlertContentInfo"]').first.inner_text()

    sidebar.locator('input[type="file"]').set_input_files(
        files=[{"name": "trees.csv", "mimeType": "text/csv", "buffer": TREES}])
    page.wait_for_function("() => (new URLSearchParams(location.search).get('dataset') || '')"
                           ".startsWith('upload-')")
    wait_for_app(page)
    wait_until(lambda: _metrics(page) != before, f"the metrics {before} change with the upload")
    assert_healthy(page)
    told = sidebar.inner_text()
    assert "trees.csv" in told and re.search(r"to predict:\s*tree\s*,\s*3 classes", told), told
    diagram = page.locator(SVG_PICTURES).first.text_content()
    assert "inputs" in diagram and "(3)" in diagram and "(3 units)" in diagram, diagram  # 3 in, 3 classes out
    _sidebar_shot(page, '[data-testid="stMultiSelect"]', "upload-controls")
    _sidebar_shot(page, '[data-testid="stDownloadButton"]', "download-controls")
    _projector_on(page)
    _sidebar_shot(page, '[data-testid="stMultiSelect"]', "upload-controls-projector")
    _sidebar_shot(page, '[data-testid="stDownloadButton"]', "download-controls-projector")
    assert "dataset=upload-" in page.url and "projector=true" in page.url  # (every page: tests/app)


def _click_plane(page: Any, fx: float, fy: float) -> None:
    """Click the plane at a fraction (fx, fy) of its plot area, from the top left."""
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.locator(".nsewdrag").first.bounding_box()
    page.mouse.click(box["x"] + fx * box["width"], box["y"] + fy * box["height"])


def test_a_click_on_the_plane_adds_a_point(page, app_server):
    _open(page, f"{app_server}/{YOUR_DATA.url_path}")
    assert_healthy(page)
    assert _metrics(page)["Points added"] == "0"
    page.get_by_role("radio", name="lower moon").click()  # the class of the next point
    wait_for_app(page)
    for count, (fx, fy) in enumerate([(0.3, 0.2), (0.35, 0.25)], start=1):
        _click_plane(page, fx, fy)
        wait_until(lambda count=count: _metrics(page).get("Points added") == str(count),
               f"'Points added' shows {count}")
        wait_for_app(page)
    assert_healthy(page)
    assert _metrics(page)["Training rows"] == "302"
    legend = page.locator('[data-testid="stPlotlyChart"] .legend').first.text_content()
    assert "lower moon, added" in legend, legend
    page.locator('[data-testid="stMain"]').evaluate("main => main.scrollTo(0, 0)")
    screenshot(page, "your-data-points", docs=True)
    _projector_on(page)
    assert _metrics(page)["Points added"] == "2"
    assert not small_chart_text(page), small_chart_text(page)
    page.locator('[data-testid="stMain"]').evaluate("main => main.scrollTo(0, 0)")
    screenshot(page, "your-data-points-projector")
    page.get_by_role("button", name="Undo").click()
    wait_until(lambda: _metrics(page).get("Points added") == "1", "'Points added' shows 1 after Undo")
