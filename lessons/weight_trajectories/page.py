"""Lesson: weight trajectories — every hidden unit's weights, followed through training."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.cache import run_figure, train_run
from app.downloads import download_buttons
from app.presentation import show_chart, side_by_side
from app.state import current_config, lesson_choice, projector_mode
from figures.labels import format_gap, format_score, score_name

config = current_config()
projector = projector_mode()

st.title("Weight trajectories")
st.markdown(
    "*Shouldn't training pull every unit to the same weights?* Follow each hidden unit — one colour per "
    "unit in every chart — from its start to the end of training."
)

history = train_run(config)
if history.diverged:
    st.error(history.message)

if not config.hidden:
    st.info("This network has no hidden layer (logistic regression), so there are no hidden units to "
            "follow: the pictures show the output unit's decision boundary. Add a hidden layer in the "
            "sidebar.")
    show_chart(run_figure("animation", config, 0, projector))
    st.stop()

layer = 0
if len(config.hidden) > 1:
    layer = lesson_choice("trajectories_layer", "Hidden layer", range(len(config.hidden)), 0,
                          format_func=lambda i: f"layer {i + 1}",
                          help="Which hidden layer's units to follow.")

if layer == 0 and history.weights[0].shape[1] == 64:  # digits: a unit's weights are a picture, not a point
    show_chart(run_figure("digit_pictures", config, 0, projector), key="digit-pictures")
else:
    show_chart(run_figure("animation", config, layer, projector), key=f"animation-{layer}")

# What you are seeing, in numbers computed from this run.
width = config.hidden[layer]
gaps = history.symmetry_gap[layer]
incoming = history.weights[layer]
travelled = np.linalg.norm(incoming[-1] - incoming[0], axis=0)
if width == 1:
    seeing = (f"Layer {layer + 1} has a single unit, so there is no other unit to compare it with "
              f"({history.epochs_completed} epochs trained).")
elif gaps[-1] == 0.0:
    seeing = (f"All {width} units of layer {layer + 1} are still exact copies of each other after "
              f"{history.epochs_completed} epochs: the largest difference between any two units is **0.0**.")
else:
    seeing = (f"The largest difference between any two units of layer {layer + 1} went from "
              f"**{format_gap(gaps[0])}** at the start to **{format_gap(gaps[-1])}** after "
              f"{history.epochs_completed} epochs.")
task = history.task.name
st.markdown(
    f"**What you are seeing.** {seeing} Each unit's incoming weights moved by between "
    f"**{travelled.min():.3g}** and **{travelled.max():.3g}** (distance from start to end); test "
    f"{score_name(task)} is **{format_score(float(history.test_score[-1]), task)}**."
)

for row in (("incoming_weights", "outgoing_weights"), ("loss", "accuracy")):
    for column, kind in zip(side_by_side(), row):  # stacked on a projector, so titles fit
        with column:
            show_chart(run_figure(kind, config, layer, projector))

with st.expander("The update rule", expanded=False):
    st.markdown("Every step moves each unit's incoming weights against its own gradient (shown for one "
                "hidden layer and one output unit with weights v):")
    st.latex(r"w_{pj} \leftarrow w_{pj} - \eta\,\frac{\partial L}{\partial w_{pj}}, \qquad "
             r"\frac{\partial L}{\partial w_{pj}} = \frac{1}{n}\sum_{n} \delta_n\, v_j\, "
             r"\sigma'(z_{nj})\, x_{np}")
    st.markdown(
        "The sum runs over the same inputs for every unit, but v_j (the unit's outgoing weight) and "
        "σ'(z_nj) (its slope at its own pre-activation) belong to unit j alone. Units that start "
        "different get different gradients; units that start identical get identical ones — in exact "
        "arithmetic, which this app keeps (*Identical vs random start → Rounding as a nudge* shows what "
        "ordinary floating-point kernels can do)."
    )

download_buttons(history, name="weight-trajectories")
