"""The "Identical vs random start" lesson in Chromium: each experiment is one click, reaches the URL,
and draws; screenshots of every experiment (1280×720) for a look at what a class would see."""

from __future__ import annotations

import pytest

from app.pages import PAGES
from tests.e2e.conftest import assert_healthy, screenshot, small_chart_text, wait_for_app
from tests.e2e.test_pages import _metrics, _open, _wait_until

pytestmark = pytest.mark.e2e

LESSON = next(spec for spec in PAGES if spec.url_path == "identical-vs-random")
EXPERIMENTS = {"Tiny nudge": "growth rate λ per epoch", "Rounding as a nudge": "kernels first differ",
               "Per-unit noise": "", "Regularization": ""}


def test_the_comparison_names_the_exact_tie(page, app_server):
    _open(page, app_server, LESSON.url_path)
    assert_healthy(page)
    text = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="What you are seeing").first
    assert "B: identical copies — all 8 units are exact copies" in text.inner_text()
    heatmaps = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator("g.slider-container"))
    assert heatmaps.count() == 1, "the heat maps should have one slider over training"


@pytest.mark.parametrize("experiment", list(EXPERIMENTS))
def test_each_experiment_is_one_click_and_reaches_the_url(page, app_server, experiment):
    _open(page, app_server, LESSON.url_path, "?dataset=xor")
    page.get_by_role("radiogroup", name="Experiment").get_by_role("radio", name=experiment).click()
    page.wait_for_function(
        "(name) => new URLSearchParams(location.search).get('compare_experiment') === name", arg=experiment)
    wait_for_app(page)
    assert_healthy(page)
    metric = EXPERIMENTS[experiment]
    if metric:
        _wait_until(lambda: metric in _metrics(page), f"the metric {metric!r} appears")
    page.locator('[data-testid="stPlotlyChart"]').last.scroll_into_view_if_needed()
    screenshot(page, f"identical-vs-random-{experiment.lower().replace(' ', '-')}")


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_the_rounding_scenario_shows_exact_copies_beside_the_kernels_split(page, app_server, projector):
    _open(page, app_server, LESSON.url_path,
          "?scenario=Rounding+as+a+nudge" + ("&projector=true" if projector else ""))
    assert_healthy(page)
    _wait_until(lambda: "kernels first differ" in _metrics(page), "the rounding metrics appear")
    metrics = _metrics(page)
    assert metrics["gap at the end: exact / plain"].startswith("0.0 / ")
    seeing = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="What you are seeing")
    assert "all 6 units are exact copies" in seeing.first.inner_text()
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Rounding as a nudge")
    chart.scroll_into_view_if_needed()
    if projector:
        assert small_chart_text(page) == []
    screenshot(page, "identical-vs-random-rounding" + ("-projector" if projector else ""))
