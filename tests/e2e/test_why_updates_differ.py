"""The "Why the updates differ" lesson in headless Chromium: it renders, points at a factor with numbers,
flips to the identical start in one click, and stays readable on a projector (1280×720 screenshots)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import (
    APP_TIMEOUT_MS,
    assert_healthy,
    screenshot,
    small_chart_text,
    wait_for_app,
)

pytestmark = pytest.mark.e2e

URL_PATH = "why-updates-differ"
SEEING = "What you are seeing."


def _open(page: Any, base_url: str, query: str = "") -> None:
    page.goto(f"{base_url}/{URL_PATH}{query}", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)


def _assert_healthy(page: Any, min_charts: int = 2) -> None:
    assert_healthy(page, min_charts)


def _seeing(page: Any) -> str:
    paragraph = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=SEEING).last
    return paragraph.inner_text()


def test_page_points_at_the_factor_that_differs(page, app_server):
    _open(page, app_server)
    _assert_healthy(page)
    text = _seeing(page)
    assert "different gradients" in text and re.search(r"(signal|slope)[^.]*\d+%", text), text
    screenshot(page, "why-updates-differ")
    page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=SEEING).last.evaluate(
        "e => e.scrollIntoView({block: 'start'})")
    wait_for_app(page)
    screenshot(page, "why-updates-differ-tables")  # the factor table and the arrows


def test_one_click_flips_to_the_identical_start(page, app_server):
    _open(page, app_server)
    _assert_healthy(page)
    before = _seeing(page)
    page.get_by_role("radio", name="Identical", exact=True).click()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('updates_start') === 'Identical'",
        timeout=APP_TIMEOUT_MS,
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                 .some(e => e.innerText.includes('exactly the same gradient'))""",
        timeout=APP_TIMEOUT_MS,
    )
    wait_for_app(page)
    _assert_healthy(page)
    after = _seeing(page)
    assert after != before and "largest difference 0.0" in after, after
    screenshot(page, "why-updates-differ-identical")


def test_projector_mode_is_readable(page, app_server):
    _open(page, app_server, "?projector=true")
    _assert_healthy(page)
    small = small_chart_text(page)
    assert not small, f"chart text under 18 px in projector mode: {small[:10]}"
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.stMainBlockContainer td')]
                 .map(td => parseFloat(getComputedStyle(td).fontSize))"""
    )
    assert cells and min(cells) >= 18, f"table text in projector mode: {sorted(set(cells))}"
    screenshot(page, "why-updates-differ-projector")
    page.get_by_text("One training point, factor by factor").scroll_into_view_if_needed()
    wait_for_app(page)
    screenshot(page, "why-updates-differ-projector-tables")
