"""Lesson: why the updates differ — two hidden units' gradients, factor by factor (Q2, Q5)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.cache import train_run
from app.presentation import chart_style, show_chart
from app.state import current_config, lesson_choice, projector_mode
from core.datasets import load_dataset
from core.network import loss_and_gradients
from core.optimizers import OPTIMIZERS
from figures.labels import unit_label
from lessons.why_updates_differ.analysis import compare_units, layer_summaries, network_factors
from lessons.why_updates_differ.backprop_section import show_backprop_check
from lessons.why_updates_differ.cache import factor_charts
from lessons.why_updates_differ.figures import output_gradient_figure
from lessons.why_updates_differ.text import (
    factor_rows,
    format_number,
    layer_rows,
    markdown_table,
    sample_rows,
    seeing_text,
    unit_distance,
    unit_heading,
)
from lessons.why_updates_differ.worked_section import show_worked_example

STARTS = {"sidebar": "Sidebar", "identical": "Identical"}

# --- the page ---------------------------------------------------------------------------------------------

sidebar_config = current_config()
style = chart_style()

st.title("Why the updates differ")
st.markdown(
    "*Every unit computes σ(wᵀx + b) from the same inputs — so why does each get its own update?* Its "
    "gradient is a product of factors, and two of them belong to the unit alone."
)

controls = st.columns([1.8, 1, 1, 2])
with controls[0]:
    start = lesson_choice(
        "updates_start", "Start", list(STARTS), "sidebar", format_func=STARTS.__getitem__,
        help="Flip between the sidebar's start and the identical start (every hidden unit a copy of unit 1, "
             "no nudge) of the same settings.",
    )
config = (sidebar_config if start == "sidebar"
          else sidebar_config.replace(symmetry="identical", perturbation=0.0))
history = train_run(config)
steps = [int(step) for step in history.steps]
with controls[3]:
    epoch = steps[0]
    if len(steps) > 1:
        epoch = lesson_choice("updates_epoch", "Epoch", steps, steps[0], widget="select_slider",
                              help="The recorded epoch at which the gradient is computed (0 = the start).")
if history.diverged:
    st.error(history.message)

data = load_dataset(config)
params = history.params_at(steps.index(epoch))
X, y = data.X_train, data.y_train

if not config.hidden:
    st.info("This network has **no hidden layer** (logistic regression): there are no hidden units, so "
            "there are no two updates to compare. Below is the only update there is, the output unit's. Add "
            "a hidden layer in the sidebar (e.g. 8) to compare units.")
    _, grads = loss_and_gradients(params, X, y, config.activation, config.l2, config.l1, task=data.task)
    show_chart(output_gradient_figure(*grads[0], style), key="updates-output")
    st.stop()

layer = 0
if len(config.hidden) > 1:
    layer = lesson_choice("updates_layer", "Hidden layer", list(range(len(config.hidden))), 0,
                          format_func=lambda i: f"layer {i + 1}",
                          help="Which hidden layer's units to compare.")
width = config.hidden[layer]
with controls[1]:
    unit_a = lesson_choice("updates_unit_a", "Unit A", list(range(width)), 0, widget="selectbox",
                           format_func=unit_label, help="The first unit to compare.")
units = [unit_a]
if width > 1:
    with controls[2]:
        unit_b = lesson_choice("updates_unit_b", "Unit B", list(range(width)), 1, widget="selectbox",
                               format_func=unit_label, help="The second unit to compare.")
    if unit_b == unit_a:
        unit_b = (unit_a + 1) % width
        st.caption(f"Unit B was unit A; comparing {unit_label(unit_a)} with {unit_label(unit_b)} instead.")
    units.append(unit_b)

notes = []
if start == "identical":
    notes.append("Identical start: every hidden unit began as a copy of unit 1; other settings as in the "
                 "sidebar.")
batch = "" if OPTIMIZERS[config.optimizer].full_batch else " (training used minibatches)"
notes.append(f"Full gradient of the mean loss over the {len(y)} training points at epoch {epoch}{batch}.")
if config.dropout > 0:
    notes.append(f"Dropout {config.dropout:g} is on: training multiplied each unit by a random mask; these "
                 "numbers are the gradient with every unit kept (no mask).")
layers = network_factors(params, X, y, config.activation, config.l2, config.l1, data.task)
f = layers[layer]
comparison = compare_units(f, *units) if len(units) == 2 else None

factor_chart, step_chart = factor_charts(config, steps.index(epoch), layer, tuple(units), projector_mode())
show_chart(factor_chart, key="updates-factors")

# What you are seeing, from the numbers just computed.
if comparison is None:
    size = float(np.linalg.norm(f.unit_gradient(unit_a)))
    seeing = (f"Layer {layer + 1} has **a single unit**: there is nothing to compare it with. Its gradient "
              f"has length **{format_number(size)}** at epoch {epoch}.")
else:
    end_gap = unit_distance(history.final_params(), layer, *units)
    seeing = seeing_text(f, comparison, epoch, end_gap, history.epochs_completed, config.dropout)
st.markdown(f"**What you are seeing.** {seeing}")
st.caption(" ".join(notes))

header = ["", *(unit_heading(u, width) for u in units)] + (["difference"] if len(units) == 2 else [])
st.markdown(markdown_table(header, factor_rows(f, units, comparison)), unsafe_allow_html=True)
show_chart(step_chart, key="updates-steps")

st.markdown("**One training point, factor by factor.** The gradient above is the mean of these products "
            "over all points.")
sample = lesson_choice("updates_sample", "Training point", list(range(len(y))), 0, widget="select_slider",
                       format_func=lambda i: str(i + 1), help="Which training point's share to break down.")
point = (f"t = {y[sample]:.3g}" if data.task == "regression" else data.class_names[int(y[sample])])
rows = sample_rows(f, sample, units, point)
st.markdown(markdown_table(["", *(unit_heading(u, width) for u in units)], rows), unsafe_allow_html=True)
show_worked_example(params, X, y, config.activation, data.task, sample, units)

st.markdown("**The math.** Unit j's gradient, with δ of the layer above and the unit's outgoing weights v:")
st.latex(r"\frac{\partial L}{\partial w_{pj}} = \frac{1}{n}\sum_{n} \underbrace{\Big(\sum_k v_{jk}\,"
         r"\delta_{nk}\Big)}_{\text{signal}}\;\underbrace{\sigma'(z_{nj})}_{\text{slope}}\;"
         r"\underbrace{x_{np}}_{\text{shared}} \;+\; "
         r"\frac{\lambda_2 w_{pj} + \lambda_1 \operatorname{sign} w_{pj}}{n}")
st.markdown("Deeper layers use the same rule: a layer's δ is the layer above's δ, sent back through the "
            "weights and multiplied by another slope σ'.")
st.latex(r"\delta^{l} = \big(W^{l+1}\,\delta^{l+1}\big) \odot \sigma'(z^{l}), \qquad "
         r"\frac{\partial L}{\partial W^{l}} = \frac{1}{n}\,(a^{l-1})^{\top}\delta^{l}")
st.markdown(markdown_table(["", "units", "sees", "σ' factors in δ", "mean σ'(z)", "RMS δ",
                            "mean ‖∇‖ per unit", "largest unit difference"], layer_rows(layers)))
if len(layers) > 1:
    summaries = layer_summaries(layers)
    first, last = summaries[0], summaries[-1]
    st.markdown(
        f"**Do units in different layers differ?** Yes: layer 1's units see x, layer {last.layer + 1}'s see "
        f"the outputs of layer {last.layer}; and layer 1's δ carries **{first.slope_factors}** σ' factors, "
        f"layer {last.layer + 1}'s **{last.slope_factors}** (RMS δ here: {format_number(first.delta_rms)} vs "
        f"{format_number(last.delta_rms)})."
    )
else:
    st.caption("One hidden layer: set two or three in the sidebar (e.g. 8-8) to compare layers.")

show_backprop_check(config, sidebar_config, params, X, y, layer, units, data.task, data.feature_names,
                    data.class_names if len(data.class_names) > 2 else None)
