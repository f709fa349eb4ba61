"""Nothing a learner must read is cut off: on every page, in normal and projector mode at 1280×720, each
Plotly chart's title, subtitle and legend text lies inside the chart and overlaps no other of these texts,
so does every text of our own SVG pictures (Home's network diagram), and no HTML table of the main column
is wider than its container.

Plotly never wraps a title, and the SVG cuts whatever runs past its right edge: "Largest difference betwee"
on a projector was such a title. The measure is the browser's own layout (`getBoundingClientRect`), after
each chart has been scrolled into view (Streamlit draws charts lazily).
"""

from __future__ import annotations

from typing import Any

import pytest

from app.pages import PAGES
from tests.e2e.conftest import SVG_PICTURES, assert_healthy
from tests.e2e.test_pages import _name, _open

pytestmark = pytest.mark.e2e

TOLERANCE_PX = 1.0  # sub-pixel rounding of text boxes
MODES = {"normal": "", "projector": "?projector=true"}

# Texts that run outside their box or overlap one another, each named after `where`; shared by the Plotly
# charts and our own SVG pictures below.
_TEXT_PROBLEMS = """
    const textProblems = (where, box, texts, tol) => {
        const problems = [];
        for (const {content, rect} of texts) {
            if (rect.left < box.left - tol || rect.right > box.right + tol
                    || rect.top < box.top - tol || rect.bottom > box.bottom + tol) {
                problems.push(`${where}: '${content.slice(0, 60)}' runs outside it ` +
                    `(text ${Math.round(rect.left - box.left)}..${Math.round(rect.right - box.left)} × ` +
                    `${Math.round(rect.top - box.top)}..${Math.round(rect.bottom - box.top)} px, box ` +
                    `${Math.round(box.width)} × ${Math.round(box.height)} px)`);
            }
        }
        for (let i = 0; i < texts.length; i++) {
            for (let j = i + 1; j < texts.length; j++) {
                const a = texts[i].rect, b = texts[j].rect;
                const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (dx > tol && dy > tol) {
                    problems.push(`${where}: '${texts[i].content.slice(0, 40)}' overlaps ` +
                                  `'${texts[j].content.slice(0, 40)}'`);
                }
            }
        }
        return problems;
    };
"""

# For one chart: the texts to check (title, subtitle — plotly.js 3 draws it as .gtitle-subtitle —, legend
# item texts, legend title) with their boxes, inside the chart's own box.
_CHART_PROBLEMS = """(chart, tol) => {""" + _TEXT_PROBLEMS + """
    const plot = chart.querySelector('.js-plotly-plot');
    if (plot === null) return [];
    const box = plot.querySelector('.main-svg').getBoundingClientRect();
    const title = (plot.querySelector('.gtitle')?.textContent || '(untitled)').trim().slice(0, 50);
    const selectors = ['g.infolayer .gtitle', 'g.infolayer .gtitle-subtitle', 'g.infolayer .legend text'];
    const texts = [];
    for (const selector of selectors) {
        for (const element of plot.querySelectorAll(selector)) {
            const content = element.textContent.trim();
            if (!content) continue;
            const rect = element.getBoundingClientRect();
            if (rect.width === 0 || rect.height === 0) continue;
            texts.push({content, rect});
        }
    }
    return textProblems(`chart '${title}'`, box, texts, tol);
}"""

# Our own SVG pictures (the network diagram): every text inside the picture, no two texts overlapping.
_PICTURE_PROBLEMS = """(svg, tol) => {""" + _TEXT_PROBLEMS + """
    const texts = [...svg.querySelectorAll('text')].map(t => ({content: t.textContent.trim(),
                                                              rect: t.getBoundingClientRect()}));
    const where = `picture '${svg.getAttribute('aria-label')}'`;
    return textProblems(where, svg.getBoundingClientRect(), texts, tol);
}"""

# HTML tables of the main column (st.table, Markdown tables) wider than the column: cut or scrolled.
_TABLE_PROBLEMS = """(tol) => {
    const main = document.querySelector('.stMainBlockContainer');
    const column = main.getBoundingClientRect();
    const problems = [];
    const tables = main.querySelectorAll(
        '[data-testid="stTable"] table, [data-testid="stMarkdownContainer"] table');
    for (const table of tables) {
        const rect = table.getBoundingClientRect();
        const parent = table.parentElement.getBoundingClientRect();
        const header = (table.querySelector('th')?.textContent || '').trim().slice(0, 30);
        if (rect.right > Math.min(column.right, parent.right) + tol || rect.left < column.left - tol) {
            problems.push(`table starting '${header}' is ${Math.round(rect.width)} px wide, its container ` +
                          `${Math.round(Math.min(column.right, parent.right) - parent.left)} px`);
        }
    }
    return problems;
}"""


def clipping_problems(page: Any) -> list[str]:
    """Every clipped or overlapping chart text and every table wider than the main column on the page."""
    problems: list[str] = []
    charts = page.locator('[data-testid="stPlotlyChart"]')
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator(".js-plotly-plot .main-svg").first.wait_for(state="attached")
        problems += chart.evaluate(_CHART_PROBLEMS, TOLERANCE_PX)
    pictures = page.locator(SVG_PICTURES)
    for index in range(pictures.count()):
        pictures.nth(index).scroll_into_view_if_needed()
        problems += pictures.nth(index).evaluate(_PICTURE_PROBLEMS, TOLERANCE_PX)
    problems += page.evaluate(_TABLE_PROBLEMS, TOLERANCE_PX)
    return problems


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("spec", PAGES, ids=_name)
def test_no_chart_text_or_table_is_clipped(page, app_server, spec, mode):
    _open(page, app_server, spec.url_path, MODES[mode])
    assert_healthy(page)
    problems = clipping_problems(page)
    assert not problems, f"{spec.title} ({mode}): " + "\n".join(problems)
