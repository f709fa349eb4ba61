"""The tables of "Is it backprop's fault?", styled so that each unit keeps its colour.

Why tables and not charts: the point of the first table is that finite differences and backprop share
~10 digits and that two copies share *every* digit, which only printed numbers show; the point of the
second is a gap of exactly 0.0, which a log axis cannot draw. Each unit's columns are written in the unit's
colour (figures.style.unit_color), as in every chart of the app. No streamlit: the page only displays them.
"""

from __future__ import annotations

from figures.labels import unit_label
from figures.style import unit_color
from figures.tables import html_table

DIFFERENCE_STYLE = "color:#222222;font-weight:bold"


def unit_columns(table: dict[str, list[str]], unit: int) -> list[str]:
    """The columns that belong to one unit (their name starts with the unit's label and a colon)."""
    return [name for name in table if name.startswith(f"{unit_label(unit)}:")]


def gradient_table_html(table: dict[str, list[str]], units: tuple[int, ...], width: int,
                        rows: int | None = None, scroll_px: int | None = None) -> str:
    """The gradient table, each unit's columns in its colour, the difference column bold."""
    styles = {name: f"color:{unit_color(unit, width)}"
              for unit in units for name in unit_columns(table, unit)}
    styles |= {name: DIFFERENCE_STYLE for name in table if name != "parameter" and name not in styles}
    return html_table(table, styles, rows=rows, scroll_px=scroll_px)


def gap_table_html(table: dict[str, list[str]], rows: int | None = None, scroll_px: int | None = None) -> str:
    """The gap-per-step table (plain: it is about the whole layer, not one unit)."""
    return html_table(table, rows=rows, scroll_px=scroll_px)
