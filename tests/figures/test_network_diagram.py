"""The network diagram (SVG): one colour per hidden unit, true counts in the labels, text that fits."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from figures.network_diagram import LABEL_CHAR_EM as CHAR_EM  # generous: wider than any glyph
from figures.network_diagram import TITLE, network_diagram
from figures.style import NORMAL, PROJECTOR, TITLE_SCALE, unit_color

SVG = "{http://www.w3.org/2000/svg}"


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}text"))


def _circles(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}circle"))


def _labels(root: ET.Element) -> list[str]:
    """Column labels, two lines each, as 'first second'."""
    lines = [t.text for t in _texts(root) if t.get("text-anchor") == "middle" and t.text != "⋮"]
    return [f"{a} {b}" for a, b in zip(lines[::2], lines[1::2], strict=True)]


def test_diagram_colours_hidden_units_and_labels_columns():
    root = _tree(network_diagram([2, 8, 1]))
    assert _labels(root) == ["inputs (2)", "hidden layer 1 (8 units)", "output (1 unit)"]
    circles = _circles(root)
    assert len(circles) == 2 + 8 + 1
    hidden = [c for c in circles if "hidden layer" in c.find(f"{SVG}title").text]
    assert [c.get("fill") for c in hidden] == [unit_color(j, 8) for j in range(8)]
    assert [c.find(f"{SVG}title").text for c in hidden] == [f"hidden layer 1, unit {j + 1}" for j in range(8)]
    gray = {c.get("fill") for c in circles if c not in hidden}
    assert gray == {"#9A9A9A"}
    assert root.get("aria-label") == TITLE
    assert 200 <= float(root.get("viewBox").split()[3]) <= 320


def test_diagram_elides_wide_layers_but_keeps_the_last_unit():
    root = _tree(network_diagram([64, 64, 10], max_drawn=16))
    hidden = [c for c in _circles(root) if "hidden layer" in c.find(f"{SVG}title").text]
    assert len(hidden) == 16
    assert hidden[-1].find(f"{SVG}title").text == "hidden layer 1, unit 64"
    assert hidden[-1].get("fill") == unit_color(63, 64)
    assert sum(t.text == "⋮" for t in _texts(root)) == 2  # inputs and hidden
    assert _labels(root)[1] == "hidden layer 1 (64 units)"


def test_narrow_columns_shorten_the_hidden_labels():
    """Five columns on a projector leave no room for "hidden layer 3": it reads "hidden 3"."""
    assert _labels(_tree(network_diagram([64, 64, 64, 64, 10], PROJECTOR)))[1:4] == [
        f"hidden {k} (64 units)" for k in (1, 2, 3)]
    assert _labels(_tree(network_diagram([64, 64, 64, 64, 10])))[3] == "hidden layer 3 (64 units)"


def test_diagram_without_hidden_layers_and_in_projector_style():
    root = _tree(network_diagram([4, 3], style=PROJECTOR))
    assert _labels(root) == ["inputs (4)", "output (3 units)"]
    assert all(c.get("fill") == "#9A9A9A" for c in _circles(root))
    assert float(_texts(root)[0].get("font-size")) == round(PROJECTOR.font_size * TITLE_SCALE)
    height = float(root.get("viewBox").split()[3])
    assert height > float(_tree(network_diagram([4, 3])).get("viewBox").split()[3])
    with pytest.raises(ValueError):
        network_diagram([4])


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR], ids=["normal", "projector"])
@pytest.mark.parametrize("sizes", [[2, 1], [2, 8, 1], [64, 64, 64, 64, 10], [13, 1, 7, 3], [2, 64, 2]])
def test_every_text_and_node_lies_inside_the_drawing(sizes, style):
    """Nothing clipped on a projector: every node, and every text at a generous glyph width, is inside
    the view box; the label lines of neighbouring columns never reach each other."""
    root = _tree(network_diagram(sizes, style))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    for circle in _circles(root):
        x, y, r = (float(circle.get(k)) for k in ("cx", "cy", "r"))
        assert r <= x <= width - r and r <= y <= height - r
    spans = []
    for text in _texts(root):
        x, y, size = (float(text.get(k)) for k in ("x", "y", "font-size"))
        half = len(text.text) * CHAR_EM * size / 2
        left, right = (x - half, x + half) if text.get("text-anchor") == "middle" else (x, x + 2 * half)
        assert left >= 0 and right <= width, text.text
        assert size <= y <= height, text.text
        if text.get("text-anchor") == "middle" and text.text != "⋮":
            spans.append((y, left, right))
    for y in {y for y, _, _ in spans}:  # each label line: its columns' texts side by side
        row = sorted((left, right) for line_y, left, right in spans if line_y == y)
        assert all(a[1] < b[0] for a, b in itertools.pairwise(row))


def test_the_markup_is_inert_text():
    """Everything in it comes from our own code, and it carries no script or event handler."""
    svg = network_diagram([2, 8, 1])
    assert "<script" not in svg and " on" not in svg.replace(" one ", " ")
