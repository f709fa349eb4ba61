"""Every page with each regression set: no exception, and the words match the task — squared error and R²,
never accuracy or classes (a regression run has neither)."""

from __future__ import annotations

import pytest

from app.pages import PAGES
from tests.app.conftest import chart_specs, drawings, errors

REGRESSION_SETTINGS = {
    "plane": {"dataset": "plane"},
    "gaussians-8-8": {"dataset": "gaussians", "hidden": "8-8", "epochs": "150"},
    "diabetes": {"dataset": "diabetes", "hidden": "6", "epochs": "150"},
}
CLASSIFICATION_WORDS = ("accuracy", "decision boundary", "log loss")


def page_text(at) -> str:
    """Every sentence, caption, metric and chart spec on the page, lower-cased."""
    parts = [element.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
             for element in at.get(kind)]
    parts += [f"{metric.label} {metric.value}" for metric in at.metric]
    parts += chart_specs(at)
    return "\n".join(str(part) for part in parts).lower()


@pytest.mark.parametrize("settings", list(REGRESSION_SETTINGS.values()), ids=list(REGRESSION_SETTINGS))
@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_every_page_runs_for_regression_and_speaks_its_language(open_app, page, settings):
    at = open_app(page, **settings)
    assert errors(at) == []
    assert drawings(at)
    text = page_text(at)
    for word in CLASSIFICATION_WORDS:
        assert word not in text, f"{word!r} on {page} for {settings['dataset']}"


def test_home_shows_r_squared_for_regression(open_app):
    at = open_app(dataset="plane")
    assert "Test R²" in [metric.label for metric in at.metric]
    value = next(metric.value for metric in at.metric if metric.label == "Test R²")
    assert -10 < float(value) <= 1.0
