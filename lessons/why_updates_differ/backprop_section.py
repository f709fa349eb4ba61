"""The section "Is it backprop's fault?" at the end of the "Why the updates differ" page (issue 15, Q4).

Thin Streamlit glue, like a page: the numbers come from backprop_check (cached here, because every click
on the page reruns it), the sentences and cells from backprop_text, the styled tables from
backprop_figures. No charts: the evidence is digits and an exact 0.0 (backprop_figures says why).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st

from app.pool import run_in_pool
from app.presentation import show_markup
from app.state import projector_mode
from core.config import RunConfig
from figures.labels import unit_label
from lessons.why_updates_differ.backprop_check import (
    GradientCheck,
    UpdateOrder,
    check_gradients,
    orders_from_identical_start,
)
from lessons.why_updates_differ.backprop_figures import gap_table_html, gradient_table_html
from lessons.why_updates_differ.backprop_text import (
    agreement_text,
    copies_text,
    gap_table,
    gradient_table,
    limits_caption,
    orders_text,
    parameter_labels,
)

Array = np.ndarray
MAX_CACHED = 32
TABLE_HEIGHT = 320  # px: a scrolling table for 64-input networks rather than a page of rows
PROJECTOR_ROWS = 12  # rows of a table shown on a projector, where the table is plain HTML


@st.cache_data(max_entries=MAX_CACHED, show_spinner=False)
def cached_check(params: list[tuple[Array, Array]], X: Array, y: Array, activation: str, layer: int,
                 units: tuple[int, ...], l2: float, l1: float, task: str) -> GradientCheck:
    """`check_gradients`, once per network shown (the page reruns on every click), in a worker process:
    one finite difference per weight is up to 0.4 s of work (digits)."""
    return run_in_pool(check_gradients, params, X, y, activation, layer, units, l2, l1, task=task)


@st.cache_data(max_entries=MAX_CACHED, show_spinner=False)
def cached_orders(sidebar_config: RunConfig, layer_sizes: tuple[int, ...], X: Array, y: Array, layer: int,
                  task: str) -> UpdateOrder:
    """`compare_update_orders` from the identical start of the sidebar's settings, once per setting, in a
    worker process."""
    return run_in_pool(orders_from_identical_start, sidebar_config, layer_sizes, X, y, layer, task)


def _table(draw: Callable[..., str], n_rows: int) -> None:
    """A table that stays readable (`draw(rows=…, scroll_px=…)` makes its HTML): on a projector, in the
    page's large table font, the first `PROJECTOR_ROWS` rows if longer; otherwise all rows, in a box that
    scrolls past TABLE_HEIGHT."""
    if projector_mode():
        shown = min(n_rows, PROJECTOR_ROWS)
        show_markup(draw(rows=shown))
        if shown < n_rows:
            st.caption(f"The first {shown} of {n_rows} rows; switch projector mode off for all of them.")
        return
    show_markup(draw(scroll_px=TABLE_HEIGHT))


def show_backprop_check(config: RunConfig, sidebar_config: RunConfig, params: Sequence[tuple[Array, Array]],
                        X: Array, y: Array, layer: int, units: Sequence[int], task: str,
                        input_names: Sequence[str] | None = None,
                        output_names: Sequence[str] | None = None) -> None:
    """Draw the section for the network the page shows (`config`, `params` at the chosen epoch, hidden
    `layer`, units A and B); the update-order experiment starts from the identical start of
    `sidebar_config`."""
    params = [(np.asarray(W), np.asarray(b)) for W, b in params]
    units = tuple(int(u) for u in units)
    st.subheader("Is it backprop's fault?")
    st.markdown(
        "*A widely read comment says the tie comes from how backprop computes gradients layer by layer, and "
        "that computing each ∂C/∂Wᵢ on its own would avoid it.* Test it: compute every gradient entry "
        "without backprop, then change only **when** the updates are applied."
    )
    check = cached_check(params, X, y, config.activation, layer, units, config.l2, config.l1, task)
    st.markdown(f"**One weight at a time.** {agreement_text(check)}")
    labels = parameter_labels(check, input_names, output_names if check.layer == len(params) - 2 else None)
    width = params[layer][0].shape[1]
    table = gradient_table(check, labels)
    if projector_mode() and len(check.units) == 2:  # five number columns do not fit at projector size
        dropped = f"{unit_label(check.units[1])}: backprop"
        table.pop(dropped)
        st.caption(f"On a projector the column *{dropped}* is left out: it agrees with the finite "
                   f"differences beside it as closely as {unit_label(check.units[0])}'s does (the digits "
                   "above).")
    _table(functools.partial(gradient_table_html, table, check.units, width), len(labels))
    st.markdown(copies_text(check))

    sizes = (params[0][0].shape[0], *(W.shape[1] for W, _ in params))
    order = cached_orders(sidebar_config, sizes, X, y, layer, task)
    st.markdown(f"**One unit at a time.** {orders_text(order)}")
    if order.width > 1:
        _table(functools.partial(gap_table_html, gap_table(order)), order.n_steps + 1)
    st.caption(limits_caption(check, order))
