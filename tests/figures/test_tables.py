"""HTML tables (figures/tables.py): every cell escaped, columns of one length, rows cut when asked."""

from __future__ import annotations

import pytest

from figures.tables import html_table
from tests.app.conftest import _TableReader


def _read(markup: str) -> list[list[str]]:
    reader = _TableReader()
    reader.feed(markup)
    (table,) = reader.tables
    return table


def test_cells_come_back_as_written_and_markup_stays_text():
    columns = {"start": ["random", "<b>bold?</b>"], "gap & more": [0.0, 1e-16]}
    markup = html_table(columns)
    assert "<b>" not in markup and "&lt;b&gt;" in markup and "&amp; more" in markup
    assert _read(markup) == [["start", "gap & more"], ["random", "0.0"], ["<b>bold?</b>", "1e-16"]]


def test_styles_rows_and_scrolling():
    columns = {"a": list(range(30)), "b": list(range(30))}
    markup = html_table(columns, {"b": "color:#0072B2"}, rows=12, scroll_px=320)
    assert len(_read(markup)) == 1 + 12
    assert markup.count("color:#0072B2") == 12
    assert markup.startswith('<div style="max-height:320px;overflow-y:auto">')
    assert len(_read(html_table(columns, rows=99))) == 1 + 30


def test_columns_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="one length"):
        html_table({"a": [1, 2], "b": [1]})
