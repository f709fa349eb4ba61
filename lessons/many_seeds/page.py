"""Lesson: many seeds, one solution — different weights at nearly the same loss, because a layer's units
can be listed in any order; and the convex case, where every seed reaches the same weights.

Seeds: the page trains seeds s, s+1, …, s+K−1, where s is the sidebar's seed, so seed A (the reference
every other seed is aligned to) is exactly the network the other lessons show. Every sentence is chosen
from the measured numbers (the registries below), so it stays true in every configuration.
"""

from __future__ import annotations

import streamlit as st

from app.cache import train_many
from app.presentation import show_chart, show_markup, side_by_side
from app.state import current_config, lesson_choice, projector_mode
from core.budget import MAX_COST_SECONDS, plan_seeds
from core.config import format_hidden, with_hidden
from core.datasets import dataset_dimensions, load_dataset
from figures.tables import html_table
from lessons.many_seeds.analysis import seed_range
from lessons.many_seeds.cache import pair_line, seed_figure, seed_study
from lessons.many_seeds.convex import convex_verdict
from lessons.many_seeds.figures import seed_label
from lessons.many_seeds.text import (
    BARRIER_MEANING,
    CONVEX_MEANING,
    alignment_sentence,
    also_network_sentence,
    barrier_kind,
    convex_model,
    flip_sentence,
    fmt,
    function_sentence,
    layer_table,
    loss_name,
    loss_text,
    seed_search_sentence,
    spread_sentence,
)

SEED_COUNTS = (2, 4, 8, 16)
DEFAULT_SEEDS = 8
CONTRAST_HIDDEN = (8,)  # the hidden layer put back when the sidebar's network has none
MODELS = {"network": "Sidebar's network", "logistic": "No hidden layer"}


# --- helpers ---------------------------------------------------------------------------------------------



def chart(kind: str, layer: int = 0, beside: bool = False) -> None:
    """Draw SEED_CHARTS[kind]; `beside` when it shares its row with another (`side_by_side`)."""
    show_chart(seed_figure(kind, main_config, seeds, seed_b, layer, projector_mode(), beside),
               key=f"seeds-{kind}")


# --- controls and training -------------------------------------------------------------------------------

config = current_config()
data = load_dataset(config)
task = data.task  # classification or regression: names the loss, the score and the convex model

st.title("Many seeds, one solution")
st.markdown(
    "*If every run lands somewhere else, do we have to grid-search over seeds?* Train the same network "
    "from several seeds and compare how well they do, where their weights land, and how much of the "
    "difference is only the order in which a layer lists its units."
)

count_column, model_column, pair_column = st.columns([0.85, 1.45, 0.7])
with count_column:
    requested = lesson_choice("seeds_count", "Seeds", SEED_COUNTS, DEFAULT_SEEDS,
                              help="How many networks to train, each from its own seed, in one batched run.")
with model_column:
    model = lesson_choice("seeds_model", "Model", tuple(MODELS), "network", format_func=MODELS.__getitem__,
                          help=f"No hidden layer = {convex_model(task)}: a convex loss with one lowest "
                               "point.")

network_config = config if config.hidden else with_hidden(config, CONTRAST_HIDDEN)
logistic_config = config.replace(hidden=())
n_features = dataset_dimensions(config.dataset, config.n_samples)[0]
plan = plan_seeds([network_config, logistic_config], requested, SEED_COUNTS, n_features)
if plan.reduced or plan.epochs < network_config.epochs:
    trained = f"{plan.count} seeds" + (f" for {plan.epochs} epochs" if plan.epochs < config.epochs else "")
    st.info(f"Training {requested} seeds of this network and of the same model without a hidden layer "
            f"would take about {plan.requested_seconds:.0f} s, over the {MAX_COST_SECONDS:g}-second compute "
            f"budget, so this page trains {trained}.", icon=":material/timer:")
network_config = network_config.replace(epochs=min(plan.epochs, network_config.epochs))
logistic_config = logistic_config.replace(epochs=min(plan.epochs, logistic_config.epochs))
seeds = seed_range(config.seed, plan.count)

show_logistic = model == "logistic" or not config.hidden
main_config = logistic_config if show_logistic else network_config
has_units = bool(main_config.hidden)
if model == "network" and not config.hidden:
    st.caption(f"The sidebar's network has no hidden layer ({convex_model(task)}), so that is what this page "
               f"shows; the comparison below puts back one hidden layer of {CONTRAST_HIDDEN[0]} units.")

histories = train_many(main_config, seeds)
study = seed_study(main_config, seeds)

if study.excluded:
    first = next((history for history in histories if history.diverged), histories[0])
    st.warning(f"{len(study.excluded)} of {len(seeds)} seeds diverged "
               f"({', '.join(seed_label(s) for s in study.excluded)}); they are left out of every number "
               f"below. {first.message}", icon=":material/warning:")

if not study.usable:
    st.error("Fewer than two seeds trained without diverging, so there is nothing to compare. Lower the "
             "learning rate in the sidebar.")
    seed_b = None
    chart("losses")
    st.stop()

others = [study.seeds[k] for k in study.used[1:]]
with pair_column:
    seed_b = lesson_choice("seeds_pair", "Seed B", others, others[0], format_func=seed_label,
                           widget="selectbox",
                           help=f"The seed to compare with seed A = {seed_label(study.reference_seed)} (the "
                                "sidebar's seed, to which every other seed is aligned), unit by unit.")
b_index = others.index(seed_b) + 1  # index into study.params and study.alignment
params_a, params_b, aligned_b = study.params[0], study.params[b_index], study.alignment.aligned[b_index]
line, reordered_distance, flipped_distance = pair_line(main_config, seeds, seed_b)

# --- the numbers and the first two charts ---------------------------------------------------------------

metrics = st.columns(4)
low, high = study.loss_range
metrics[0].metric("Test-loss spread", loss_text(study.loss_spread), delta=f"{low:.3f} to {high:.3f}",
                  delta_color="off", delta_arrow="off",
                  help=f"Highest minus lowest final test loss ({loss_name(task)}) across the seeds.")
metrics[1].metric("Weight spread", fmt(study.weight_spread),
                  delta=f"‖θ_A‖ = {fmt(study.reference_size)}", delta_color="off", delta_arrow="off",
                  help=f"Largest distance ‖θ_k − θ_A‖ of any seed's whole weight vector (all weights and "
                       f"biases) from seed A's ({seed_label(study.reference_seed)}). ‖θ_A‖ is the size of "
                       "seed A's own weights.")
if has_units:
    metrics[2].metric("… reordered", fmt(study.aligned_spread),
                      delta=f"from {fmt(study.weight_spread)}", delta_color="off", delta_arrow="off",
                      help="The same, after reordering every seed's units to line up with seed A's.")
    metrics[3].metric("Barrier, reordered", f"{line.barrier_after:.3g}",
                      delta=f"{line.barrier_before:.3g} as trained", delta_color="off", delta_arrow="off",
                      help=f"Between A = {seed_label(study.reference_seed)} and B = {seed_label(seed_b)}, "
                           "B's units reordered to match A's: the highest loss on the straight line between "
                           "the two networks minus the mean of its ends.")
else:
    metrics[2].metric("… reordered", "—", delta="no units to reorder", delta_color="off", delta_arrow="off",
                      help="No hidden layer: no units to permute.")
    metrics[3].metric("Barrier A ↔ B", fmt(line.barrier_before),
                      help="Convex loss: the straight line never rises above the higher of its two ends.")

left, right = side_by_side()
with left:
    chart("losses", beside=True)
with right:
    chart("distances", beside=True)

if has_units:
    seeing = f"{spread_sentence(study)} {alignment_sentence(study, line, seed_b)}"
else:
    seeing = (f"{spread_sentence(study)} With no hidden layer there are no units to reorder; between "
              f"{seed_label(study.reference_seed)} and {seed_label(seed_b)} the loss barrier is "
              f"**{line.barrier_before:.3g}**.")
st.markdown(f"**What you are seeing.** {seeing}")
st.markdown(f"**Do we need a grid search over seeds?** {seed_search_sentence(study)}")

# --- the convex contrast ---------------------------------------------------------------------------------

width = network_config.hidden[0]
network_name = f"a hidden layer of {width} unit{'s' if width != 1 else ''}"
if len(network_config.hidden) > 1:
    network_name = f"hidden layers of {format_hidden(network_config.hidden)} units"
mlp_study = seed_study(network_config, seeds)
logistic_histories = train_many(logistic_config, seeds)
logistic_study = seed_study(logistic_config, seeds)
verdict = convex_verdict(logistic_histories, data)
contrast_holds = (verdict.kind == "same" and mlp_study.usable
                  and mlp_study.relative_spread > 1000 * logistic_study.relative_spread)
st.subheader("Two regressions agree, two networks do not" if contrast_holds
             else "Without a hidden layer: do the seeds agree?")
names = ("No hidden layer", f"Hidden {format_hidden(network_config.hidden)}")
for column, name, part in zip(st.columns(2), names, (logistic_study, mlp_study)):
    if part.usable:
        column.metric(f"{name}: weight spread", fmt(part.weight_spread),
                      delta=f"{fmt(part.relative_spread)} × ‖θ_A‖; test-loss spread "
                            f"{loss_text(part.loss_spread)}",
                      delta_color="off", delta_arrow="off")
    else:
        column.metric(f"{name}: weight spread", "—", help="Fewer than two seeds trained without diverging.")
contrast = CONVEX_MEANING[verdict.kind](verdict)
if mlp_study.usable and verdict.kind != "unusable":
    contrast += also_network_sentence(verdict, mlp_study, network_name)
st.markdown(contrast)

# --- every seed's weights, and one pair unit by unit -----------------------------------------------------

st.subheader("Where the weights differ")
layer = 0
if len(main_config.hidden) > 1:
    layer = lesson_choice("seeds_layer", "Hidden layer", list(range(len(main_config.hidden))), 0,
                          format_func=lambda i: f"layer {i + 1}",
                          help="Units are matched layer by layer; pick the layer to look at.")
chart("weights", layer)
if has_units:
    chart("pairing", layer)
    if len(main_config.hidden) > 1:
        st.caption(f"Distance between {seed_label(study.reference_seed)} and {seed_label(seed_b)}, layer by "
                   "layer: every hidden layer is matched, each with its neighbours' order fixed.")
        show_markup(html_table(layer_table(params_a, params_b, aligned_b, main_config.hidden)))

# --- the straight line and the functions -----------------------------------------------------------------

st.subheader("Same valley? Same function?")
left, right = side_by_side()
with left:
    chart("line", beside=True)
with right:
    chart("plane", beside=True)
    if not data.is_2d:
        drawn = "prediction contours" if study.is_regression else "decision boundaries"
        st.caption(f"This dataset has {data.n_features} inputs, so there is no input plane to draw the "
                   f"{drawn} in; the bars compare the seeds' predictions instead.")
if has_units:
    meaning = BARRIER_MEANING[barrier_kind(line)](line)
    if line.flipped is not None and flipped_distance < 0.99 * reordered_distance:
        meaning += " " + flip_sentence(line, main_config.activation, (reordered_distance, flipped_distance))
    st.markdown(meaning)
else:
    st.markdown(f"The {loss_name(task)} of {convex_model(task)} is convex, so the straight line between two "
                "solutions never climbs above the higher of its ends: barrier "
                f"**{line.barrier_before:.3g}**.")
st.markdown(function_sentence(study))

with st.expander("The math", expanded=False):
    st.markdown("Reorder the units of a hidden layer with a permutation matrix P — incoming columns, biases "
                "and outgoing rows together — and the network computes exactly the same function:")
    st.latex(r"f\big(x;\; W_1,\, b_1,\, W_2\big) = f\big(x;\; W_1 P,\; b_1 P,\; P^{\top} W_2\big)")
    st.markdown("A layer of m units has m! such copies of every solution. Weight matching picks the P that "
                "brings network B closest to A, a linear assignment per layer:")
    st.latex(r"\max_P \;\big\langle W_1^A,\, W_1^B P\big\rangle + \big\langle b_1^A,\, b_1^B P\big\rangle + "
             r"\big\langle W_2^A,\, P^{\top} W_2^B\big\rangle")
    st.markdown("The barrier is how far the straight line between two networks climbs above its ends; the "
                "weight spread is the largest distance from seed A:")
    st.latex(r"B = \max_{\lambda\in[0,1]} L\big((1-\lambda)\,\theta_A + \lambda\,\theta_B\big) - "
             r"\tfrac12\big(L(\theta_A) + L(\theta_B)\big), \qquad "
             r"s = \max_k \lVert \theta_k - \theta_A \rVert")
    centring = (" With more than two classes, softmax ignores a shift shared by all classes, so every "
                "distance here is measured with the output weights centred across classes.")
    st.markdown(f"Without a hidden layer there is nothing to permute and the {loss_name(task)} is convex in "
                "the weights, so gradient descent from any seed heads for the same lowest point."
                + (centring if dataset_dimensions(config.dataset, config.n_samples)[1] > 1 else ""))
