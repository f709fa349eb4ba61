"""The tables of "Is it backprop's fault?", styled so that each unit keeps its colour.

Why tables and not charts: the point of the first table is that finite differences and backprop share
~10 digits and that two copies share *every* digit, which only printed numbers show; the point of the
second is a gap of exactly 0.0, which a log axis cannot draw. Each unit's columns are written in the unit's
colour (figures.style.unit_color), as in every chart of the app. No streamlit: the page only displays them.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from figures.labels import unit_label
from figures.style import unit_color

DIFFERENCE_COLOR = "#222222"


def unit_columns(table: dict[str, list[str]], unit: int) -> list[str]:
    """The columns that belong to one unit (their name starts with the unit's label and a colon)."""
    return [name for name in table if name.startswith(f"{unit_label(unit)}:")]


def gradient_styler(table: dict[str, list[str]], units: tuple[int, ...], width: int) -> Styler:
    """The gradient table as a DataFrame, each unit's columns in its colour, the difference column bold."""
    frame = pd.DataFrame(table)
    styler = frame.style
    for unit in units:
        styler = styler.set_properties(subset=unit_columns(table, unit),
                                       **{"color": unit_color(unit, width)})
    rest = [name for name in table if name != "parameter"
            and not any(name in unit_columns(table, u) for u in units)]
    if rest:
        styler = styler.set_properties(subset=rest, **{"color": DIFFERENCE_COLOR, "font-weight": "bold"})
    return styler


def gap_frame(table: dict[str, list[str]]) -> pd.DataFrame:
    """The gap-per-step table as a DataFrame (plain: it is about the whole layer, not one unit)."""
    return pd.DataFrame(table)
