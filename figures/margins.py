"""Margins sized before the browser draws, so Plotly draws a chart once instead of twice.

Plotly's automargin finds the room that tick labels, axis titles and the legend need only after a first
full drawing, and then draws the whole chart again inside the margins it found. Every chart of the app did
so (probed in Chromium: each chart's final margins against the ones it was sent). Sent margins at least as
large as what automargin will find, it draws once: Weight trajectories' five charts took 1018 → 628 ms in
Chromium (plotly.js 4.1, figures drawn one by one).

The room is estimated here from what the figure says — axis titles, tick labels worked out from the data
the way Plotly picks "nice" ticks, legend entries — with font-relative constants measured in Chromium.
Automargin stays on: an estimate that falls short costs the second drawing, as before, and never clips; an
estimate that is too generous leaves a little white space. Figures with a horizontal legend, a slider or a
colour bar size their own margins; this module then raises only what it can tell.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Iterable

import numpy as np

from figures.style import visible_length

CHAR_EMS = {".": 0.27, ",": 0.27, "%": 0.85}  # widths of a tick label's characters in Plotly's font
DIGIT_EM = 0.57  # digits, "−" and anything else
TEXT_EM = 0.5  # width of a character of a legend entry or a category label
TITLE_LINE_EM = 1.25  # an axis title's line, rotated on the y axis
LABEL_PAD_PX = 7  # between tick labels and the plot area
LEGEND_FIXED_EM = 1.0  # the legend's padding and border, beyond its symbol
LEGEND_SYMBOL_PX = 40  # the line sample in front of each entry
TICK_LINE_EM = 1.15  # a horizontal tick label's height
BOTTOM_PAD_PX = 8
SAFETY_PX = 2  # Plotly draws again if its margin is a pixel larger than the one it was sent
MIN_TICK_PX = 40  # Plotly gives a y axis one tick per this many pixels, then 4 to 9, plus one
STEP_FACTORS = (2, 5, 10)  # and rounds the rough step up to one of these times a power of ten


def _is_text(values: object) -> bool:
    """Whether a trace's coordinate is words (a category axis), not numbers."""
    return isinstance(values, (list, tuple)) and any(isinstance(value, str) for value in _flat(values))


def _numbers(values: object) -> np.ndarray | None:
    """The numbers of a trace's coordinate: a list of numbers, or Plotly's base64 form {"dtype", "bdata"};
    None for anything else."""
    if isinstance(values, dict) and "bdata" in values and "dtype" in values:
        try:
            return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float)
        except (TypeError, ValueError):
            return None
    if isinstance(values, (list, tuple)) and not _is_text(values):
        return np.array([np.nan if value is None else value for value in _flat(values)], dtype=float)
    return None


def _flat(values: Iterable) -> Iterable:
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _flat(value)
        else:
            yield value


def _nice_step(rough: float) -> float:
    """Plotly's tick step (axes.js `autoTicks`): `rough` rounded up to 2, 5 or 10 times a power of ten."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(power * factor for factor in STEP_FACTORS if power * factor >= rough * (1 - 1e-9))


def label_ems(text: str) -> float:
    """Width of a tick label in ems."""
    return sum(CHAR_EMS.get(char, DIGIT_EM) for char in text)


def numeric_tick_labels(low: float, high: float, length_px: float, percent: bool = False) -> list[str]:
    """The tick labels Plotly would write on a linear y axis from `low` to `high` that is `length_px`
    long."""
    if percent:
        low, high = 100 * low, 100 * high
    span = high - low if high > low else max(abs(high), 1.0)
    ticks = min(max(length_px / MIN_TICK_PX, 4), 9) + 1
    step = _nice_step(span / ticks)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    values = [k * step for k in range(first, last + 1)] if last - first <= 20 else [low, high]
    # Plotly writes 0.5, 1, 1.5 — the step's decimals, trailing zeros dropped
    return [_strip(f"{value:.{decimals}f}") + ("%" if percent else "") for value in values or [low, high]]


def _strip(text: str) -> str:
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _axis_key(layout_name: str) -> str:
    """"yaxis2" → "y2", the name traces use."""
    return layout_name[0] + layout_name[5:]


def _layout_name(axis_key: str) -> str:
    """"y2" → "yaxis2", the layout's name (the inverse of `_axis_key`)."""
    return f"{axis_key[0]}axis{axis_key[1:]}"


def _tick_ems(spec: dict, name: str, axis: dict, length_px: float) -> float | None:
    """Width in ems of the widest tick label of layout axis `name`, or None when it cannot be told."""
    if axis.get("showticklabels") is False or axis.get("visible") is False:
        return 0.0
    if axis.get("ticktext"):
        return TEXT_EM * max(visible_length(str(text)) for text in axis["ticktext"])
    if axis.get("type") not in (None, "-", "linear", "category"):
        return None  # log and date axes label otherwise
    tickformat = axis.get("tickformat") or ""
    if tickformat and tickformat not in (".0%", ".0f", "d"):
        return None
    letter, key = name[0], _axis_key(name)
    given = axis.get("range")
    given = sorted(float(end) for end in given) if isinstance(given, (list, tuple)) and len(given) == 2 \
        and all(isinstance(end, (int, float)) for end in given) else None
    lows, highs, categories = [], [], []
    for trace in spec.get("data", []):
        if trace.get(f"{letter}axis", letter) != key or trace.get("visible") is False:
            continue
        values = trace.get(letter)
        if values is None:
            continue
        if _is_text(values):
            categories += [visible_length(str(value)) for value in _flat(values) if value is not None]
            continue
        numbers = None if given else _numbers(values)  # a range the figure gives needs no data
        if numbers is not None and np.isfinite(numbers).any():
            lows.append(np.nanmin(numbers[np.isfinite(numbers)]))
            highs.append(np.nanmax(numbers[np.isfinite(numbers)]))
    if categories or axis.get("type") == "category":
        return TEXT_EM * max(categories) if categories else None
    if given:
        low, high = given
    elif lows:
        low, high = min(lows), max(highs)
    else:
        return None
    labels = numeric_tick_labels(low, high, length_px, percent=tickformat == ".0%")
    return max(label_ems(label) for label in labels)


def _title_px(axis: dict, font: float) -> float:
    title = axis.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if not text:
        return 0.0
    size = ((title.get("font") or {}).get("size") if isinstance(title, dict) else None) or font
    standoff = title.get("standoff", 15) if isinstance(title, dict) else 15
    lines = str(text).count("<br>") + 1
    return lines * TITLE_LINE_EM * size + standoff


def _legend_px(spec: dict, font: float) -> float:
    """Width of a vertical legend at the right, or 0 if the figure shows none there."""
    layout = spec.get("layout", {})
    legend = layout.get("legend") or {}
    if layout.get("showlegend") is False or legend.get("orientation") == "h" or legend.get("x", 1.02) < 1:
        return 0.0
    shown = [trace for trace in spec.get("data", []) if trace.get("showlegend", True) is not False
             and trace.get("visible") in (None, True, "legendonly") and trace.get("name")]
    if not shown or (len(shown) == 1 and layout.get("showlegend") is not True):
        return 0.0  # Plotly shows a legend by itself only for two traces or more
    size = (legend.get("font") or {}).get("size") or font
    chars = max(visible_length(str(trace["name"])) for trace in shown)
    return LEGEND_SYMBOL_PX + (LEGEND_FIXED_EM + TEXT_EM * chars) * size


def _starts_at(axis: dict, other: dict) -> bool:
    """Whether an axis sits at the figure's edge: its counterpart's domain starts at 0."""
    return float((other.get("domain") or [0.0, 1.0])[0]) == 0.0 and axis.get("side") not in ("right", "top") \
        and axis.get("overlaying") is None


def presize_margins(spec: dict) -> dict:
    """Raise the left, bottom and right margins of a figure dict (in place) to the room automargin would
    find, where it can be told; return the dict."""
    layout = spec.setdefault("layout", {})
    if any(trace.get("type") not in (None, "scatter", "scattergl", "bar", "heatmap", "contour")
           for trace in spec.get("data", [])):
        return spec  # other trace types (polar, 3-D, tables …) are left to automargin
    font = float((layout.get("font") or {}).get("size") or 12)
    margin = dict(layout.get("margin") or {})
    axes = {name: value for name, value in layout.items() if name.startswith(("xaxis", "yaxis"))
            and isinstance(value, dict)}
    axes.setdefault("xaxis", {})
    axes.setdefault("yaxis", {})
    height = float(layout.get("height") or 450)
    plot_px = max(height - margin.get("t", 100) - margin.get("b", 80), 100)
    left, bottom = 0.0, 0.0
    for name, axis in axes.items():
        other = axes.get(_layout_name(axis.get("anchor") or ("x" if name[0] == "y" else "y")), {})
        if not _starts_at(axis, other):
            continue
        tick_font = (axis.get("tickfont") or {}).get("size") or font
        if name[0] == "y":
            domain = axis.get("domain") or [0.0, 1.0]
            ems = _tick_ems(spec, name, axis, plot_px * (domain[1] - domain[0]))
            if ems is None:
                continue
            left = max(left, _title_px(axis, font) + ems * tick_font + LABEL_PAD_PX)
        elif axis.get("showticklabels") is not False and axis.get("visible") is not False:
            bottom = max(bottom, _title_px(axis, font) + TICK_LINE_EM * tick_font + BOTTOM_PAD_PX)
    legend = _legend_px(spec, font)
    raised = {"l": left, "b": bottom, "r": legend}
    if (layout.get("legend") or {}).get("orientation") == "h" or layout.get("sliders"):
        raised.pop("b")  # the figure reserved its bottom for them
    for side, room in raised.items():
        if room > margin.get(side, 0):
            margin[side] = math.ceil(room) + SAFETY_PX
    layout["margin"] = margin
    return spec
