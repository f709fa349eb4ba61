"""Odd addresses land on a working page, not a blank white one (issue 12), in real Chromium against
`streamlit run dashboard.py` (app/paths.py explains why they were blank and what redirects them).

Screenshots: test-artifacts/screenshots/odd-path-*.png.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from app.pages import PAGES_BY_URL
from tests.e2e.conftest import APP_TIMEOUT_MS, assert_healthy, screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def _sidebar_box(page: Any, label: str) -> str:
    return page.locator(f'[data-testid="stSidebar"] input[aria-label="{label}"]').input_value()


@pytest.mark.parametrize(("odd", "lands_on"), [
    ("weight-trajectories/extra/segments", "weight-trajectories"),
    ("lessons/home.py", ""),
    ("many-seeds/..%2F", "many-seeds"),
    ("no-such-lesson", ""),
])
def test_an_odd_path_lands_on_a_working_page(page, app_server, odd, lands_on):
    page.goto(f"{app_server}/{odd}?seed=3", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    address = urlsplit(page.url)
    assert address.path.strip("/") == lands_on and parse_qs(address.query) == {"seed": ["3"]}, page.url
    assert page.locator("h1").first.inner_text().strip() == (
        PAGES_BY_URL[lands_on].title if lands_on else "Symmetry Lab")
    assert _sidebar_box(page, "Seed") == "3"
    assert_healthy(page)
    screenshot(page, "odd-path-" + "".join(c if c.isalnum() else "-" for c in odd))
