"""Symmetry Lab's entrypoint: `streamlit run dashboard.py` from the repository root.

Streamlit puts this script's folder on sys.path, so `core` and `ui` import from the repo root exactly as
they do in the tests. For now this is a single page, the central experiment: a random start next to an
identical start, with the difference between units measured on screen.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.charts import NORMAL, format_gap, loss_figure, share_y_range, unit_weights_figure
from core.config import RunConfig
from ui.cache import train_run

st.set_page_config(page_title="Symmetry Lab", page_icon="🦋", layout="wide")

st.title("Symmetry Lab")
st.markdown(
    "Every hidden unit computes the same formula, σ(wᵀx + b), on the same inputs — so why do the units "
    "learn different things? Because they start from different random weights: give every unit the same "
    "start and they stay identical for the whole of training."
)

runs = {"Random start": RunConfig(), "Identical start": RunConfig(symmetry="identical")}
histories = {label: train_run(config) for label, config in runs.items()}
config = runs["Random start"]
# A little shorter than usual, so the two live numbers under the charts fit on a 720-pixel screen.
side_by_side = replace(NORMAL, height=360)
figures = {label: unit_weights_figure(history, style=side_by_side) for label, history in histories.items()}
share_y_range(list(figures.values()))
for column, (label, history) in zip(st.columns(2, gap="large"), histories.items()):
    with column:
        st.markdown(f"#### {label}")
        st.plotly_chart(figures[label], width="stretch", theme=None)
        st.markdown(
            f"Largest difference between any two units after {history.epochs_completed} epochs: "
            f"**{format_gap(history.symmetry_gap[0][-1])}**"
        )

st.plotly_chart(loss_figure(histories), width="stretch", theme=None)
st.markdown(
    f"Training loss after {histories['Random start'].epochs_completed} epochs: "
    + " · ".join(f"{label.lower()} **{history.train_loss[-1]:.3f}**" for label, history in histories.items())
)
st.caption(
    f"Both runs: one hidden layer of {config.hidden[0]} {config.activation} units on the {config.dataset} "
    f"data, {config.initializer} start, optimizer {config.optimizer} with learning rate "
    f"{config.learning_rate:g}, {config.epochs} epochs. The identical start copies unit 1's incoming "
    "weights, bias and outgoing weights to every other unit."
)
