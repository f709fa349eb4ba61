"""Regression on "Weight trajectories" in Chromium: the animation's input plane shades the prediction and
colours the dots by their target, on one scale (issue 15); screenshots normal and projector (1280×720)."""

from __future__ import annotations

import pytest

from app.pages import PAGES
from tests.e2e.conftest import assert_healthy, screenshot, small_chart_text, wait_for_app
from tests.e2e.test_pages import _open

pytestmark = pytest.mark.e2e

TRAJECTORIES = next(spec for spec in PAGES if spec.url_path == "weight-trajectories")
SCENARIO = "?scenario=Regression%3A+units+share+out+the+bumps"


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_the_input_plane_shows_the_prediction_surface_and_target_dots(page, app_server, projector):
    _open(page, app_server, TRAJECTORIES.url_path, SCENARIO + ("&projector=true" if projector else ""))
    assert_healthy(page)
    animation = page.locator('[data-testid="stPlotlyChart"]').filter(has=page.locator("g.slider-container"))
    assert animation.count() >= 1, "the animation (a chart with a slider) is missing"
    animation = animation.first
    assert animation.locator("g.hm, g.contour").count() >= 1, "no prediction surface (heat map) drawn"
    dots = animation.locator(".scatterlayer .trace .points path.point")
    assert dots.count() >= 50, f"only {dots.count()} data points drawn"
    fills = {dot.evaluate("e => getComputedStyle(e).fill") for dot in dots.all()[:200]}
    assert len(fills) >= 10, f"the dots should be coloured by their targets (a scale), got {sorted(fills)}"
    text = animation.inner_text().lower()
    assert "decision boundary" not in text and "accuracy" not in text, text
    animation.evaluate("e => { e.style.scrollMarginTop = '70px'; e.scrollIntoView({block: 'start'}); }")
    wait_for_app(page)
    # The last frame: by then the units have bent the surface, which at epoch 0 is nearly flat (o ≈ 0).
    rail = animation.locator("g.slider-container rect.slider-rail-rect").first.bounding_box()
    page.mouse.click(rail["x"] + rail["width"] - 1, rail["y"] + rail["height"] / 2)
    page.wait_for_function(
        """(chart) => [...chart.querySelectorAll('g.slider-container text')]
                      .some(t => /^epoch [1-9][0-9]*$/.test(t.textContent.trim()))""",
        arg=animation.element_handle(), timeout=15_000)
    page.wait_for_timeout(500)  # the frame's transition
    if projector:
        assert small_chart_text(page) == []
    screenshot(page, "regression-trajectories" + ("-projector" if projector else ""), docs=True)
