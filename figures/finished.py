"""A figure as the plain dict a browser draws, built wherever the caller runs it.

Why a module of its own: the app builds its heavier figures in its worker processes (app/pool.py), which
can run only functions importable by name. `figure_dict(builder, *args)` is that function for every
builder: the worker builds and validates the figure once and sends back the dict, so the server — one
process for every session — spends no time in Plotly's step-by-step validation.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from figures.margins import presize_margins


def figure_dict(builder: Callable[..., go.Figure | dict], *args, **kwargs) -> dict:
    """`builder(*args, **kwargs).to_dict()`: the figure validated once, numpy arrays in Plotly's base64
    form — exactly what `st.plotly_chart` would send for the figure itself — with margins sized so the
    browser draws it once (figures/margins.py). A builder may return that dict itself (e.g.
    `figures.animation.training_animation_dict`)."""
    return finished(builder(*args, **kwargs))


def finished(figure: go.Figure | dict) -> dict:
    """A figure (or its dict) as the dict the browser is sent: validated, with its margins sized."""
    return presize_margins(figure if isinstance(figure, dict) else figure.to_dict())
