"""Lesson: what each unit computes — output maps, digit pictures, and whether outputs become alike."""

from __future__ import annotations

import streamlit as st

from app.cache import run_figure, train_run, train_together
from app.presentation import show_chart
from app.state import current_config, lesson_choice, projector_mode
from core.budget import PageBudget, page_cap_note
from core.datasets import load_dataset
from core.initializers import START_LABELS, contrast_start
from figures.labels import format_gap, format_score, score_name
from lessons.what_units_compute.analysis import frame_snapshots
from lessons.what_units_compute.cache import (
    alikeness_chart,
    alikeness_of_pair,
    digits_figure,
    layer_straightness,
    maps_figure,
    similarity_at,
)
from lessons.what_units_compute.text import (
    DIGITS_AND_CNNS,
    QUESTION,
    REFERENCES,
    alikeness_sentence,
    copies_cost_sentence,
    straightness_sentence,
)

config = current_config()
projector = projector_mode()

st.title("What each unit computes")
st.markdown(QUESTION)

history = train_run(config)
if history.diverged:
    st.error(history.message)
if not config.hidden:
    st.info("This network has no hidden layer (logistic regression): there are no hidden units whose output "
            "could be drawn, only the output unit's decision boundary below. Add a hidden layer in the "
            "sidebar, e.g. 8.")
    show_chart(run_figure("animation", config, 0, projector))
    st.stop()

data = load_dataset(config)
frames = [int(index) for index in frame_snapshots(history)]
epochs = [int(history.steps[index]) for index in frames]
epoch = lesson_choice("units_epoch", "Epoch", epochs, epochs[-1], widget="select_slider",
                      help="Scrub through training: every picture and heat map below shows this epoch.")
snapshot = frames[epochs.index(epoch)]

# --- what each unit computes ------------------------------------------------------------------------------
if data.n_features == 2:
    show_chart(maps_figure(config, snapshot, projector), key="maps")
    st.markdown("**What you are seeing.** " + straightness_sentence(layer_straightness(config, snapshot),
                                                                    config.activation))
elif data.n_features == 64:
    show_chart(digits_figure(config, snapshot, projector), key="digits")
    st.markdown("**What you are seeing.** " + DIGITS_AND_CNNS)
else:
    st.caption(f"This dataset has {data.n_features} inputs, so a unit's output cannot be drawn over a plane "
               "(2-D sets) or its weights as a picture (Digits); the statistics below work for any data.")

# --- do the outputs become alike? -------------------------------------------------------------------------
st.subheader("Do the outputs become alike?")
layer = 0
if len(config.hidden) > 1:
    layer = lesson_choice("units_layer", "Hidden layer", range(len(config.hidden)), 0,
                          format_func=lambda i: f"layer {i + 1}",
                          help="Which hidden layer's outputs to compare.")
width = config.hidden[layer]
if width < 2:
    st.info(f"Hidden layer {layer + 1} has a single unit: there is no second output to compare it with.")
    st.stop()

figure, alike = similarity_at(config, layer, snapshot, projector)
show_chart(figure, key=f"similarity-{layer}")
contrast = contrast_start(config.symmetry)
# The page's trainings share one budget (core.budget.PageBudget): the sidebar's run, then this pair.
page_budget = PageBudget()
page_budget.fit([config])
pair, capped_pair = page_budget.fit((config, config.replace(symmetry=contrast)), batched=True)
pair = tuple(pair)
if capped_pair:
    st.caption(page_cap_note("runs A and B below", pair[0].epochs, config.epochs))
label_a, label_b = f"A: {START_LABELS[config.symmetry]}", f"B: {START_LABELS[contrast]}"
over_a, over_b = alikeness_of_pair(pair, layer)
show_chart(alikeness_chart(pair, (label_a, label_b), layer, projector), key=f"alikeness-{layer}")
seeing = alikeness_sentence(float(over_a.mean_abs_correlation[0]), alike, epoch, width, layer)
st.markdown(f"**What you are seeing.** {seeing}")

# --- what copies cost -------------------------------------------------------------------------------------
st.subheader("What identical copies cost")
run_a, run_b = train_together(pair)
first, second = st.columns(2)
task = run_a.task.name
first.metric(f"{label_a}: test {score_name(task)}", format_score(float(run_a.test_score[-1]), task),
             help=f"After {run_a.epochs_completed} epochs; largest unit difference "
                  f"{format_gap(run_a.symmetry_gap[layer][-1])}.")
second.metric(f"{label_b}: test {score_name(task)}", format_score(float(run_b.test_score[-1]), task),
              help=f"After {run_b.epochs_completed} epochs; largest unit difference "
                   f"{format_gap(run_b.symmetry_gap[layer][-1])}.")
identical = run_a if config.symmetry == "identical" else run_b
st.markdown("**What you are seeing.** " + copies_cost_sentence(
    label_a, float(run_a.test_score[-1]), label_b, float(run_b.test_score[-1]),
    float(over_a.effective_units[-1]), float(over_b.effective_units[-1]), width,
    copies_held=bool(identical.symmetry_gap[layer][-1] == 0), task=task))

with st.expander("The math and the papers", expanded=False):
    st.markdown("The effective number of units is the participation ratio of the eigenvalues λ of the "
                "covariance C of the layer's outputs over the training points:")
    st.latex(r"N_\text{eff} = \frac{\left(\sum_i \lambda_i\right)^2}{\sum_i \lambda_i^2} "
             r"= \frac{(\operatorname{tr} C)^2}{\operatorname{tr}(C^2)}")
    st.markdown("It is 1 when all the variance lies along one direction (every unit a copy of one, up to "
                "scale) and equals the width when the units are uncorrelated with equal variance.")
    st.markdown(REFERENCES)
