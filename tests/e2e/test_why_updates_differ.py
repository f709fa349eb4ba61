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


# --- the worked example and "Is it backprop's fault?" (issue 15) ------------------------------------------

WORKED = "?scenario=The+worked+example%3A+tanh+units%2C+squared+loss"
BACKPROP = "?scenario=Is+it+backprop%27s+fault%3F"
WORKED_HEADING = "The worked example."


def _scroll_to(locator: Any, page: Any) -> None:
    """Scroll `locator` to the top of the view, clear of Streamlit's header bar."""
    locator.evaluate("e => { e.style.scrollMarginTop = '70px'; e.scrollIntoView({block: 'start'}); }")
    wait_for_app(page)


def _formulas(page: Any) -> list[str]:
    """The TeX source of the worked example's KaTeX display formulas (st.latex), in page order: the
    symbolic lines (V, or ESL's α and β), the substituted numbers (products with a dot) and the mapping."""
    sources = page.locator('.katex-display annotation[encoding="application/x-tex"]').all_text_contents()
    return [tex for tex in sources if re.search(r"V_|\\beta|\\alpha|\\cdot", tex)]


def _projector(projector: bool) -> str:
    return "&projector=true" if projector else ""


def _readable_on_a_projector(page: Any) -> None:
    small = small_chart_text(page)
    assert not small, f"chart text under 18 px in projector mode: {small[:10]}"


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_the_worked_example_renders_its_formulas_and_switches_notation(page, app_server, projector):
    _open(page, app_server, WORKED + _projector(projector))
    _assert_healthy(page)
    heading = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=WORKED_HEADING).first
    _scroll_to(heading, page)
    formulas = _formulas(page)
    assert len(formulas) >= 2, f"the worked example's formulas did not render as KaTeX: {formulas}"
    assert page.locator(".katex-display .katex-html").count() >= 2, "KaTeX drew no visible formula"
    seeing = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="they differ only in V")
    assert seeing.count() == 1, "the worked example's sentence is missing"
    assert len(formulas) == 2 and "V_" in formulas[0] and "\\alpha" not in formulas[0], formulas
    if projector:
        _readable_on_a_projector(page)
    suffix = "-projector" if projector else ""
    screenshot(page, f"why-updates-differ-worked{suffix}", docs=True)

    page.get_by_role("radiogroup", name="Notation").get_by_role("radio", name="ESL (α, β, Z)").click()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('updates_notation') !== null", timeout=APP_TIMEOUT_MS)
    page.wait_for_function(
        """() => [...document.querySelectorAll('.katex-display annotation')]
                 .some(e => e.textContent.includes('\\\\alpha'))""", timeout=APP_TIMEOUT_MS)
    wait_for_app(page)
    _assert_healthy(page)
    esl = _formulas(page)
    assert esl[0] != formulas[0] and "V_" not in esl[0] and "\\beta" in esl[0], esl
    assert len(esl) == len(formulas) + 1 and "\\alpha" in esl[-1], "ESL notation adds the one-line mapping"
    heading = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text=WORKED_HEADING).first
    _scroll_to(heading, page)
    if projector:
        _readable_on_a_projector(page)
    screenshot(page, f"why-updates-differ-worked-esl{suffix}")


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_is_it_backprops_fault_shows_its_sentences_and_tables(page, app_server, projector):
    _open(page, app_server, BACKPROP + _projector(projector))
    _assert_healthy(page)
    heading = page.get_by_role("heading", name="Is it backprop's fault?")
    assert heading.count() == 1
    _scroll_to(heading, page)
    text = page.locator(".stMainBlockContainer").inner_text()
    for sentence in ("One weight at a time.", "One unit at a time.", "computing each ∂C/∂Wᵢ on its own"):
        assert sentence in text, f"missing: {sentence!r}"
    # HTML tables (figures/tables.py): the projector's larger table font applies to them.
    tables = page.locator('[data-testid="stMarkdownContainer"] table')
    assert tables.count() >= 2, f"expected the gradient and the gap tables, found {tables.count()}"
    for table in tables.all():
        box = table.bounding_box()
        assert box and box["height"] > 60 and box["width"] > 300, f"a table is not drawn: {box}"
    if projector:
        _readable_on_a_projector(page)
        sizes = tables.first.locator("td").evaluate_all(
            "cells => cells.map(c => parseFloat(getComputedStyle(c).fontSize))")
        assert sizes and min(sizes) >= 18, f"table text under 18 px on a projector: {min(sizes)}"
    screenshot(page, "why-updates-differ-backprop" + ("-projector" if projector else ""), docs=True)
    tables.last.scroll_into_view_if_needed()
    wait_for_app(page)
    screenshot(page, "why-updates-differ-backprop-orders" + ("-projector" if projector else ""))
