"""The "What each unit computes" lesson in Chromium: maps and pictures drawn, readable on a projector,
screenshotted at 1280×720 (moons and digits, normal and projector)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_healthy, screenshot, small_chart_text, wait_until
from tests.e2e.test_pages import _open

pytestmark = pytest.mark.e2e

CASES = {
    "moons": "?scenario=What+each+unit+computes",
    "digits": "?scenario=Identical+copies+are+one+unit+%28digits%29",
}


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize("case", list(CASES))
def test_every_unit_is_drawn_and_readable(page, app_server, case, projector):
    _open(page, app_server, "what-units-compute", CASES[case] + ("&projector=true" if projector else ""))
    assert_healthy(page, min_charts=3)
    first = page.locator('[data-testid="stPlotlyChart"]').first
    # Words of the title that stay on one line however it wraps (figures/style.py `wrap_text`)
    title = ("output σ(z)", "input plane") if case == "moons" else ("8×8 picture",)
    wait_until(lambda: all(part in first.inner_text() for part in title), f"the {case} chart is drawn")
    panels = first.locator("g.hm")  # one heat map layer per unit panel
    assert panels.count() == 16  # moons: two layers of 8; digits: 16 units
    if projector:
        assert small_chart_text(page) == []
    screenshot(page, f"what-units-compute-{case}" + ("-projector" if projector else ""))
    page.locator('[data-testid="stPlotlyChart"]').nth(2).scroll_into_view_if_needed()
    screenshot(page, f"what-units-compute-{case}-alikeness" + ("-projector" if projector else ""))
