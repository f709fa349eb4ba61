"""The look every chart shares: the palette (one colour per hidden unit, the same in every chart), the
white template, `ChartStyle` (projector mode is one argument), and small helpers the figures share.

Conventions: unit j of a layer is `unit_color(j, width)` everywhere, so a learner can follow one unit
around; train is a solid line and test a dashed one; runs and layers get neutral greys no unit ever has.
Plotly only; streamlit is never imported here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale

from core.train import History
from figures.plotly_paths import remember_parsed_paths

remember_parsed_paths()  # every figure is built through this module: Plotly parses each path once

# --- palette --------------------------------------------------------------------------------------------

# Okabe & Ito's colour-blind-safe qualitative palette, ordered so the first units get the strongest
# colours on white. Its black is replaced by a gray (black reads as an axis), and its yellow, the
# weakest on a white background, comes last.
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#7F7F7F", "#F0E442")
# Past eight units the palette continues along a perceptually ordered map; its pale yellow end is cut
# off because thin pale lines vanish on white.
EXTENDED_SCALE = "Viridis"
EXTENDED_RANGE = (0.0, 0.85)

TRAIN_DASH = "solid"
TEST_DASH = "dash"
# Runs and layers are not units, so they get neutral colours that no unit ever has.
RUN_COLORS = ("#222222", "#9A9A9A", "#5A5A5A", "#C4C4C4")
LAYER_DASHES = ("solid", "dashdot", "longdash")
RUN_DASHES = ("solid", "dash", "dot", "dashdot")
WEIGHT_DASHES = ("solid", "dash")  # w₁, w₂ of one unit

# Every figure uses the white template, cut down to the trace types we draw: the full one styles ~25
# types, and every figure carries, validates, pickles and sends its template (7 kB of JSON per chart).
# Set once as the default: applying it per figure cost 30–80 ms, more than building most figures.
TRACE_TYPES = ("bar", "contour", "heatmap", "scatter", "scattergl")
_white = pio.templates["plotly_white"]
pio.templates["symmetry_lab"] = go.layout.Template(
    layout=_white.layout, data={kind: _white.data[kind] for kind in TRACE_TYPES})
pio.templates.default = "symmetry_lab"

GAP_FLOOR = 1e-17  # where a gap of exactly 0 is drawn on a log axis (float64 round-off is ~1e-16)
WEBGL_POINTS = 5_000  # above this many points in one figure, draw with WebGL instead of SVG


def unit_color(index: int, n_units: int) -> str:
    """The colour of hidden unit `index` (0-based) in a layer of `n_units` units, the same in every chart."""
    if not 0 <= index < n_units:
        raise IndexError(f"unit {index} does not exist in a layer of {n_units} units")
    if index < len(OKABE_ITO):
        return OKABE_ITO[index]
    n_extra = n_units - len(OKABE_ITO)
    low, high = EXTENDED_RANGE
    position = low if n_extra == 1 else low + (high - low) * (index - len(OKABE_ITO)) / (n_extra - 1)
    return sample_colorscale(EXTENDED_SCALE, [position])[0]


@functools.cache
def _unit_colors(width: int) -> tuple[str, ...]:
    """unit_color for every unit of a layer, computed once per width (sampling the colour map is slow)."""
    return tuple(unit_color(j, width) for j in range(width))


# --- style ----------------------------------------------------------------------------------------------

COLUMN_WIDTH = 790  # px: the main column at 1280×720 in wide layout with the sidebar open


@dataclass(frozen=True)
class ChartStyle:
    """Sizes shared by every chart; PROJECTOR makes text and lines readable from the back of a room.

    `width` is the width the chart is drawn at (the full main column unless told otherwise): Plotly never
    wraps a title, so `style_figure` wraps titles and subtitles to fit it. `stacks_pairs`: in this mode
    `app.presentation.side_by_side` puts two charts one under the other (projector), so a chart drawn
    "beside" another still gets the full column (see `beside`).
    """

    font_size: int = 14
    line_width: float = 2.0
    marker_size: float = 6.0
    height: int = 400
    width: int = COLUMN_WIDTH
    stacks_pairs: bool = False

    def beside(self) -> ChartStyle:
        """This style for a chart drawn by `side_by_side` next to another: half the column, or the whole
        column where pairs are stacked (projector mode)."""
        return self if self.stacks_pairs else replace(self, width=self.width // 2)


NORMAL = ChartStyle()
PROJECTOR = ChartStyle(font_size=20, line_width=3.5, marker_size=10.0, height=540, stacks_pairs=True)

# Title wrapping. Plotly's text is Open Sans-like: measured in Chromium, a title of ordinary words takes
# ~0.44 em per character (capitals and digits more), so a budget of 0.52 em keeps every line inside. The
# title starts where the plot area starts (x = 0 on the paper), after the y axis' ticks and title: that
# room and the right margin are reserved. Line height is ~1.3 em.
CHAR_EM = 0.52
RESERVED_EM = 5.0  # y-axis tick labels and title left of the plot area, and the right margin
TITLE_SCALE = 1.3  # the title's font size relative to the style's
LINE_EM = 1.3
TITLE_PAD_EM = 0.6  # from the chart's top edge to the title
# Plotly lifts a text of several lines by ~0.7 em (measured in Chromium, plotly.js 3, any line count): the
# title's pad makes up for it, and a subtitle of several lines needs that much less room.
MULTILINE_LIFT_EM = 0.7
_TAG = re.compile(r"<[^>]*>")
_SPACE_OUTSIDE_TAGS = re.compile(r" (?![^<]*>)")


def visible_length(text: str) -> int:
    """Characters a reader sees: tags (<sub>, <b>) and their attributes do not count."""
    return len(_TAG.sub("", text))


def _greedy_lines(text: str, max_chars: int) -> list[str]:
    """Each paragraph filled word by word up to `max_chars` visible characters a line."""
    lines = []
    for paragraph in re.split(r"<br\s*/?>", text):
        line = ""
        for word in _SPACE_OUTSIDE_TAGS.split(paragraph):
            candidate = f"{line} {word}" if line else word
            if line and visible_length(candidate) > max_chars:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def wrap_text(text: str, max_chars: int) -> str:
    """Break `text` with <br> at spaces so no line has more than `max_chars` visible characters (a single
    longer word keeps its own line). Existing <br> breaks are kept; tags are never split.

    Lines are balanced: as many as filling each up to `max_chars` needs, but as even as that many allow,
    so a title never ends in one stranded word ("Decision boundaries of all 8 / seeds" becomes
    "Decision boundaries of / all 8 seeds")."""
    lines = _greedy_lines(text, max_chars)
    narrowest = max_chars
    while narrowest > 1 and len(_greedy_lines(text, narrowest - 1)) == len(lines):
        narrowest -= 1
    return "<br>".join(_greedy_lines(text, narrowest))


def line_budget(width: int, font_size: float) -> int:
    """How many characters of text at `font_size` px fit on one title line of a chart `width` px wide."""
    return max(12, int((width - RESERVED_EM * font_size) / (CHAR_EM * font_size)))


def style_figure(fig: go.Figure, style: ChartStyle, title: str, subtitle: str = "",
                 width: int | None = None) -> go.Figure:
    """Apply the common look: white template, title (and a "what to look at" subtitle), fonts, legend.

    Title and subtitle are wrapped (<br>) to fit the chart's width — `width` px if given, else
    `style.width` — and the top margin grows by their extra lines, so neither is ever cut off.
    """
    width = width or style.width
    title_size = round(style.font_size * TITLE_SCALE)
    title = wrap_text(title, line_budget(width, title_size))
    subtitle = wrap_text(subtitle, line_budget(width, style.font_size)) if subtitle else ""
    extra_title = title.count("<br>") * LINE_EM * title_size
    extra_subtitle = 0.0
    if "<br>" in subtitle:
        extra_subtitle = (subtitle.count("<br>") * LINE_EM - MULTILINE_LIFT_EM) * style.font_size
    pad = style.font_size * TITLE_PAD_EM + (MULTILINE_LIFT_EM * title_size if "<br>" in title else 0.0)
    top = int(style.font_size * (5.2 if subtitle else 3.4) + extra_title + extra_subtitle)
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": style.font_size, "color": "#555555"}},
            "font": {"size": title_size},
            "x": 0.0,
            "xanchor": "left",
            "xref": "paper",
            # At the top edge: Plotly centres a title in the margin by its first line, so a wrapped title
            # and its subtitle would run down into the plot.
            "y": 1.0,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": round(pad)},
        },
        font={"size": style.font_size, "color": "#222222"},
        height=style.height + int(extra_title + extra_subtitle),
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={"font": {"size": style.font_size}, "itemwidth": 30, "tracegroupgap": 2},
        hoverlabel={"font": {"size": style.font_size}},
    )
    fig.update_xaxes(automargin=True, title_standoff=6, zeroline=False)
    fig.update_yaxes(automargin=True, title_standoff=6)
    return fig


def added_height(fig: go.Figure, style: ChartStyle) -> int:
    """The height `style_figure` added to `fig` for wrapped title lines (0 if none): a figure that sets its
    own height adds this, so the plot area keeps its size."""
    return int(fig.layout.height or style.height) - style.height


MIN_CELL_FONT = 11  # px: the smallest number written in a heat-map cell (a projector needs 18, its own size)


def cell_font_size(n_cells: int, n_panels: int, chars: int, style: ChartStyle,
                   plot_height: float | None = None) -> int | None:
    """The font size for numbers of `chars` characters in the cells of `n_panels` square heat maps side by
    side, `n_cells` cells across each, or None when even the smallest allowed size would overlap its
    neighbours (then the cells go without numbers; hover still shows them). A cell's number must fit in
    its cell with a few px to spare; the panels share the chart's width (less axis labels and a colour
    bar) and are no taller than its plot area."""
    panel = (style.width - 150) / n_panels * 0.88
    if plot_height is not None:
        panel = min(panel, plot_height)
    cell = panel / max(n_cells, 1)
    largest = style.font_size if style.stacks_pairs else style.font_size - 2
    smallest = style.font_size if style.stacks_pairs else MIN_CELL_FONT  # ≥ 18 px on a projector
    size = min(largest, int((cell - 4) / (CHAR_EM * chars)))  # digits ~0.57 em, the point ~0.27 em
    return size if size >= smallest else None


# --- helpers --------------------------------------------------------------------------------------------

def finite_or_nan(values: np.ndarray) -> np.ndarray:
    """Float copy with inf/nan as nan, which Plotly leaves out (a diverged run's last values)."""
    values = np.array(values, dtype=float)
    values[~np.isfinite(values)] = np.nan
    return values


def _scatter_class(n_points: int) -> type[go.Scatter] | type[go.Scattergl]:
    return go.Scattergl if n_points > WEBGL_POINTS else go.Scatter


def _mode(n_points: int) -> str:
    """A single point (epochs=0) has no line to draw, so it gets a marker."""
    return "lines+markers" if n_points == 1 else "lines"


def epoch_axis(fig: go.Figure, n_epochs: int) -> None:
    """Label the x axis "epoch"; a single point (epochs=0) gets room on both sides instead of a 0–1 axis."""
    if n_epochs <= 1:
        fig.update_xaxes(title_text="epoch", range=[-0.5, 0.5], dtick=1)
    else:
        fig.update_xaxes(title_text="epoch", rangemode="tozero")


def _note(fig: go.Figure, text: str, style: ChartStyle) -> go.Figure:
    """A short message in the middle of an otherwise empty chart."""
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": round(style.font_size * 1.2), "color": "#555555"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _mark_divergence(fig: go.Figure, history: History, style: ChartStyle) -> None:
    """A vertical line where a diverged run stops, so its short curves do not look like a finished run."""
    if history.diverged:
        fig.add_vline(x=history.epochs_completed, line={"color": "#B00020", "dash": "dot", "width": 1.5},
                      annotation_text=f"diverged after epoch {history.epochs_completed}",
                      annotation_position="top left",
                      annotation_font={"size": style.font_size, "color": "#B00020"})


def _runs(history: History | Mapping[str, History]) -> dict[str, History]:
    return {"": history} if isinstance(history, History) else dict(history)


