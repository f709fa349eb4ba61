"""Tables as plain HTML, for the numbers a page prints rather than draws.

Why HTML and not `st.table`/`st.dataframe`: those send a pandas DataFrame as Arrow, so the server has to
import pandas and pyarrow (~80 MB of a 1 GB container shared by a class) for a few rows of text; and a
canvas data frame ignores the projector's large table font. An HTML table is read by the page's own CSS
(projector mode enlarges its text), wraps its headers instead of cutting them, and can colour a column —
a unit's numbers in the unit's colour, as in every chart. Every cell is escaped: a table shows text, never
markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

CELL_STYLE = "padding:0.25em 0.6em;text-align:left;vertical-align:top"


def html_table(columns: Mapping[str, Sequence[object]], styles: Mapping[str, str] | None = None,
               rows: int | None = None, scroll_px: int | None = None) -> str:
    """`columns` (header → cells, all of one length) as an HTML table.

    `styles` adds CSS to a column's cells (e.g. "color:#0072B2"); `rows` shows only the first rows;
    `scroll_px` puts the table in a box that scrolls past that height, for long tables beside the text.
    """
    headers = list(columns)
    lengths = {len(cells) for cells in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"the columns of a table must have one length, got {sorted(lengths)}")
    n_rows = lengths.pop() if lengths else 0
    shown = n_rows if rows is None else min(rows, n_rows)
    styles = styles or {}
    head = "".join(f'<th style="{CELL_STYLE}">{escape(str(name))}</th>' for name in headers)
    body = []
    for row in range(shown):
        cells = "".join(f'<td style="{CELL_STYLE};{styles.get(name, "")}">'
                        f"{escape(str(columns[name][row]))}</td>" for name in headers)
        body.append(f"<tr>{cells}</tr>")
    table = (f'<table style="border-collapse:collapse;width:100%"><thead><tr>{head}</tr></thead>'
             f'<tbody>{"".join(body)}</tbody></table>')
    if scroll_px is None:
        return table
    return f'<div style="max-height:{int(scroll_px)}px;overflow-y:auto">{table}</div>'
