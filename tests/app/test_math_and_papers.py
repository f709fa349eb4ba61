""""The math and the papers" headless (Streamlit's AppTest): the page renders, shows the live swap, every
formula and every reference's title, and each link goes to a page that exists."""

from __future__ import annotations

import json

from app.pages import PAGES_BY_URL
from lessons.math_and_papers.references import REFERENCES
from tests.app.conftest import chart_specs, errors

PAGE = "lessons/math_and_papers/page.py"


def _markdown(at) -> str:
    return "\n".join(element.value for element in [*at.markdown, *at.caption, *at.info])


def _link_targets(at) -> list[str]:
    return [link.proto.page for link in at.main.get("page_link")]


def test_defaults_render_the_swap_the_math_and_every_reference(open_app):
    at = open_app(PAGE)
    assert errors(at) == []
    assert [title.value for title in at.title] == ["The math and the papers"]
    assert _markdown(at).startswith("*“I would really like to see the research papers")
    specs = [json.loads(spec) for spec in chart_specs(at)]
    assert len(specs) == 1 and "same loss at both ends" in specs[0]["layout"]["title"]["text"]
    seeing = [m.value for m in at.markdown if m.value.startswith("**What you are seeing.**")]
    assert len(seeing) == 1 and "changes the training loss by" in seeing[0]
    assert len(at.latex) >= 8
    text = _markdown(at)
    for entry in REFERENCES:
        assert entry.title in text, entry.title


def test_every_link_goes_to_a_page_that_exists(open_app):
    at = open_app(PAGE)
    targets = _link_targets(at)  # each link's url_path
    assert len(targets) == len(REFERENCES) + 3  # one per paper, one per section
    assert set(targets) <= set(PAGES_BY_URL) - {"math-and-papers"}
    assert {entry.lesson for entry in REFERENCES} <= set(targets)


def test_no_hidden_layer_swaps_in_a_layer_of_eight_units(open_app):
    at = open_app(PAGE, hidden="none")
    assert errors(at) == []
    assert "one hidden layer of 8 units" in _markdown(at)
    assert "no units to reorder" in _markdown(at)
    assert len(chart_specs(at)) == 1


def test_a_deeper_network_and_an_identical_start_still_render(open_app):
    at = open_app(PAGE, hidden="1-6", symmetry="identical")
    assert errors(at) == []
    assert "hidden layer 2" in json.loads(chart_specs(at)[0])["layout"]["title"]["text"]
    assert "identical in every weight" in _markdown(at)
