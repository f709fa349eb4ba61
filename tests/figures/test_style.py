"""style_figure wraps titles and subtitles to the chart's width (Plotly never wraps; the SVG cuts them)."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from figures.style import (
    COLUMN_WIDTH,
    NORMAL,
    PROJECTOR,
    added_height,
    line_budget,
    style_figure,
    visible_length,
    wrap_text,
)

LONG_TITLE = "Largest difference between two units of the hidden layer, over every epoch of training"
LONG_SUBTITLE = ("v<sub>j</sub> scales unit j's share of the error signal: a different share means a "
                 "different step for every one of the unit's incoming weights")


def test_wrap_keeps_short_text_and_breaks_long_text_at_spaces():
    assert wrap_text("Short title", 40) == "Short title"
    wrapped = wrap_text(LONG_TITLE, 30)
    lines = wrapped.split("<br>")
    assert len(lines) > 2 and all(visible_length(line) <= 30 for line in lines)
    assert " ".join(lines) == LONG_TITLE  # nothing lost, only spaces became breaks


def test_wrap_counts_visible_characters_keeps_tags_and_existing_breaks():
    assert visible_length("v<sub>j</sub> scales") == 9
    wrapped = wrap_text(LONG_SUBTITLE, 30)
    assert "<sub>j</sub>" in wrapped
    assert all(visible_length(line) <= 30 for line in wrapped.split("<br>"))
    assert wrap_text("first<br>second line", 40) == "first<br>second line"
    assert wrap_text("averyveryverylongword next", 5) == "averyveryverylongword<br>next"


def test_a_projector_and_a_half_column_fit_fewer_characters():
    full = line_budget(COLUMN_WIDTH, NORMAL.font_size)
    assert line_budget(COLUMN_WIDTH, PROJECTOR.font_size) < full
    assert line_budget(NORMAL.beside().width, NORMAL.font_size) < full
    assert PROJECTOR.beside() == PROJECTOR  # side_by_side stacks charts on a projector
    assert NORMAL.beside().width == COLUMN_WIDTH // 2


@pytest.mark.parametrize("style", [NORMAL, PROJECTOR, NORMAL.beside()], ids=["normal", "projector", "half"])
def test_wrapped_lines_fit_and_the_margin_grows_with_them(style):
    short = style_figure(go.Figure(), style, "Short", "A short subtitle")
    wrapped = style_figure(go.Figure(), style, LONG_TITLE, LONG_SUBTITLE)
    title_lines = wrapped.layout.title.text.split("<br>")
    subtitle_lines = wrapped.layout.title.subtitle.text.split("<br>")
    assert len(title_lines) > 1 and len(subtitle_lines) > 1
    assert all(visible_length(line) <= line_budget(style.width, round(style.font_size * 1.3))
               for line in title_lines)
    assert all(visible_length(line) <= line_budget(style.width, style.font_size) for line in subtitle_lines)
    assert wrapped.layout.margin.t > short.layout.margin.t
    assert added_height(short, style) == 0 and added_height(wrapped, style) > 0
    assert short.layout.height == style.height


def test_a_width_argument_overrides_the_style():
    title = "Largest difference between two units of the hidden layer"
    assert "<br>" not in style_figure(go.Figure(), NORMAL, title).layout.title.text
    assert "<br>" in style_figure(go.Figure(), NORMAL, title, width=300).layout.title.text
