"""The "Identical vs random start" lesson in Chromium: each experiment is one click, reaches the URL,
and draws; screenshots of every experiment (1280×720) for a look at what a class would see."""

from __future__ import annotations

import pytest

from app.pages import PAGES
from tests.e2e.conftest import assert_healthy, screenshot, small_chart_text, wait_for_app, wait_until
from tests.e2e.test_pages import _metrics, _open

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
        wait_until(lambda: metric in _metrics(page), f"the metric {metric!r} appears")
    page.locator('[data-testid="stPlotlyChart"]').last.scroll_into_view_if_needed()
    screenshot(page, f"identical-vs-random-{experiment.lower().replace(' ', '-')}")


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_the_rounding_scenario_shows_exact_copies_beside_the_kernels_split(page, app_server, projector):
    _open(page, app_server, LESSON.url_path,
          "?scenario=Rounding+as+a+nudge" + ("&projector=true" if projector else ""))
    assert_healthy(page)
    wait_until(lambda: "kernels first differ" in _metrics(page), "the rounding metrics appear")
    metrics = _metrics(page)
    assert metrics["gap at the end: exact / plain"].startswith("0.0 / ")
    seeing = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="What you are seeing")
    assert "all 6 units are exact copies" in seeing.first.inner_text()
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Rounding as a nudge")
    chart.scroll_into_view_if_needed()
    if projector:
        assert small_chart_text(page) == []
    screenshot(page, "identical-vs-random-rounding" + ("-projector" if projector else ""))


# --- the landscape around a tie, at the bottom of "Tiny nudge" (issue 15) ----------------------------------

KAPPA = "curvature along apart κ"
LANDSCAPES = {  # scenario → (the contour's title, the sign of κ, the sentence's shape word)
    "A tiny nudge from identical": ("a ridge", -1, "**ridge**"),
    "A penalty turns the tie into a valley": ("a valley", 1, "**valley**"),
}


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize("scenario", list(LANDSCAPES))
def test_the_landscape_around_the_tie_shows_kappa_and_its_sentence(page, app_server, scenario, projector):
    query = "?scenario=" + scenario.replace(" ", "+") + ("&projector=true" if projector else "")
    _open(page, app_server, LESSON.url_path, query)
    assert_healthy(page, min_charts=3)
    wait_until(lambda: KAPPA in _metrics(page), "the curvature metric appears")
    title, sign, shape = LANDSCAPES[scenario]
    contour = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Around the tie")
    line = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Along apart only")
    assert contour.count() == 1 and line.count() == 1, "the contour and the apart-line charts"
    assert title in contour.inner_text(), contour.inner_text()
    assert contour.locator("g.contour").count() >= 1, "the contour trace is not drawn"
    assert line.locator(".scatterlayer .trace").count() >= 2, "the loss line and the parabola"
    kappa = float(_metrics(page)[KAPPA].replace("−", "-"))
    assert kappa * sign > 0, f"κ = {kappa} for {scenario!r}"
    sentence = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="along apart: a").last
    assert shape.strip("*") in sentence.inner_text() and "κ = " in sentence.inner_text()
    # The landscape in view: the charts at the top, the metric and the sentence below them.
    contour.evaluate("e => { e.style.scrollMarginTop = '70px'; e.scrollIntoView({block: 'start'}); }")
    wait_for_app(page)
    if projector:
        assert small_chart_text(page) == []
    name = "tiny-nudge" if scenario.startswith("A tiny") else "penalty-valley"
    screenshot(page, f"identical-vs-random-landscape-{name}" + ("-projector" if projector else ""), docs=True)
    if projector:  # the charts stack at full width: the line along apart, κ and the sentence come next
        line.evaluate("e => { e.style.scrollMarginTop = '70px'; e.scrollIntoView({block: 'start'}); }")
        wait_for_app(page)
        screenshot(page, f"identical-vs-random-landscape-{name}-projector-line")
