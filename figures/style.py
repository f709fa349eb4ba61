"""The look every chart shares: the palette (one colour per hidden unit, the same in every chart), the
white template, `ChartStyle` (projector mode is one argument), and small helpers the figures share.

Conventions: unit j of a layer is `unit_color(j, width)` everywhere, so a learner can follow one unit
around; train is a solid line and test a dashed one; runs and layers get neutral greys no unit ever has.
Plotly only; streamlit is never imported here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import sample_colorscale

from core.train import History

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

@dataclass(frozen=True)
class ChartStyle:
    """Sizes shared by every chart; PROJECTOR makes text and lines readable from the back of a room."""

    font_size: int = 14
    line_width: float = 2.0
    marker_size: float = 6.0
    height: int = 400


NORMAL = ChartStyle()
PROJECTOR = ChartStyle(font_size=20, line_width=3.5, marker_size=10.0, height=540)


def style_figure(fig: go.Figure, style: ChartStyle, title: str, subtitle: str = "") -> go.Figure:
    """Apply the common look: white template, title (and a "what to look at" subtitle), fonts, legend."""
    top = int(style.font_size * (5.2 if subtitle else 3.4))
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle, "font": {"size": style.font_size, "color": "#555555"}},
            "font": {"size": round(style.font_size * 1.3)},
            "x": 0.0,
            "xanchor": "left",
            "xref": "paper",
        },
        font={"size": style.font_size, "color": "#222222"},
        height=style.height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={"font": {"size": style.font_size}, "itemwidth": 30, "tracegroupgap": 2},
        hoverlabel={"font": {"size": style.font_size}},
    )
    fig.update_xaxes(automargin=True, title_standoff=6, zeroline=False)
    fig.update_yaxes(automargin=True, title_standoff=6)
    return fig


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


