"""In Chromium: a tab on Home loads plotly.js while nothing asks for it (app/chart_library.py), and the
first lesson it opens then draws its charts from that same copy — the chunk is fetched once, by Home."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import APP_TIMEOUT_MS, assert_healthy, wait_for_app, wait_until

pytestmark = pytest.mark.e2e

FETCHED_CHUNKS_JS = """() => performance.getEntriesByType('resource')
    .map(entry => new URL(entry.name).pathname).filter(path => /\\/PlotlyChart\\.[^/]*\\.js$/.test(path))"""


def _fetched(page: Any) -> list[str]:
    return page.evaluate(FETCHED_CHUNKS_JS)


def test_home_loads_plotly_js_before_any_chart_and_the_lesson_reuses_it(page, app_server):
    page.goto(app_server, timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0  # Home draws no Plotly chart
    wait_until(lambda: len(_fetched(page)) == 1, "Home fetching Streamlit's Plotly chunk", 20)
    # Evaluated, not just fetched: importing it again resolves from the browser's module map at once.
    assert page.evaluate("""async () => {
        const entry = document.querySelector('script[type="module"][src*="static/js/"]');
        const [chunk] = performance.getEntriesByType('resource').map(e => e.name)
            .filter(name => /PlotlyChart\\.[^/]*\\.js$/.test(name));
        const module = await import(chunk);
        return entry !== null && Object.keys(module).length > 0;
    }""")

    page.locator(".st-key-page_menu a").filter(has_text="Weight trajectories").first.click()
    wait_until(lambda: page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
               == "Weight trajectories", "the lesson opening", 30)
    wait_for_app(page)
    assert_healthy(page)
    assert len(_fetched(page)) == 1, f"the Plotly chunk was fetched again: {_fetched(page)}"
