"""Home: the question, the current run at a glance, the network as configured, and the lessons."""

from __future__ import annotations

import streamlit as st

from app.cache import train_run
from app.chart_library import preload_chart_library
from app.pages import LESSONS
from app.presentation import chart_style, show_markup
from app.state import current_config, page_link
from core.datasets import dataset_dimensions, dataset_title
from figures.labels import format_gap, format_score, score_name
from figures.network_diagram import network_diagram

config = current_config()
style = chart_style()

st.title("Symmetry Lab")
st.markdown(
    "Every hidden unit of a layer computes the same formula, σ(wᵀx + b), on the same inputs — so why do "
    "the units end up learning different things? Because each starts from different random weights, and "
    "a different start means a different gradient; start them identical and, in exact arithmetic, they stay "
    "identical forever. This app computes such ties exactly; the lesson *Identical vs random start* "
    "(experiment *Rounding as a nudge*) shows what floating-point rounding does to them otherwise."
)

history = train_run(config)
if history.diverged:
    st.error(history.message)

st.subheader("The current run at a glance")
first, second, third = st.columns(3)
task = history.task.name
first.metric(f"Test {score_name(task)}", format_score(float(history.test_score[-1]), task),
             help=f"After {history.epochs_completed} epochs on {dataset_title(config.dataset)}.")
if history.symmetry_gap:
    start_gap, end_gap = history.symmetry_gap[0][0], history.symmetry_gap[0][-1]
    second.metric("Largest unit difference", format_gap(end_gap),
                  delta=f"from {format_gap(start_gap)} at the start", delta_color="off", delta_arrow="off",
                  help="Distance between the two most different units of the first hidden layer "
                       "(incoming weights, bias and outgoing weights together).")
else:
    second.metric("Hidden units", "none", help="Logistic regression: no hidden layer.")
third.metric("Training loss", f"{history.train_loss[-1]:.3g}",
             delta=f"from {history.train_loss[0]:.3g}", delta_color="off", delta_arrow="off",
             help="On the training set, after the last epoch. The whole curve is on Weight trajectories.")
# The numbers first (they fit above the fold even on a projector), then the network. Home draws no Plotly
# chart: the first page a class opens then loads without plotly.js (figures/network_diagram.py says why).
n_features, n_outputs, _ = dataset_dimensions(config.dataset, config.n_samples)
show_markup(network_diagram((n_features, *config.hidden, n_outputs), style))

st.subheader("Lessons")
for lesson in LESSONS:
    # A page link is one line and cuts a long label, so the link is the title and the question is text
    # under it, wrapped like any paragraph.
    page_link(lesson, label=f"**{lesson.title}**")  # carries the settings
    st.caption(lesson.question)
st.caption("Pick a ready-made lesson from the Scenario menu in the sidebar, or change any setting; the URL "
           "always reopens exactly what you see.")
preload_chart_library()  # while Home is read, so the first lesson opened draws without waiting for plotly.js
