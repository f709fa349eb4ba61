"""Lesson: identical vs random start — which ties can training break, and which can it never break?"""

from __future__ import annotations

import numpy as np
import streamlit as st

from app.cache import train_plain_kernels, train_run, train_together
from app.presentation import chart_style, show_chart, show_markup, side_by_side
from app.state import current_config, lesson_choice, projector_mode
from core.budget import PageBudget, page_cap_note
from core.initializers import START_LABELS, contrast_start
from core.train import History
from figures.charts import loss_figure, symmetry_gap_figure
from figures.labels import format_gap, format_score, score_name
from figures.tables import html_table
from lessons.identical_vs_random.analysis import (
    EXPERIMENTS,
    NUDGES,
    PENALTY_STRENGTHS,
    ROUND_OFF,
    STARTS,
    TIED_PART_NAMES,
    mean_abs_cosine,
    noise_family,
    nudge_family,
    penalty_family,
    rounding_start,
    start_family,
)
from lessons.identical_vs_random.cache import (
    four_starts_view,
    landscape_figures,
    noise_figure,
    nudge_view,
    pair_gap_figures,
    pair_heatmaps,
    penalty_view,
    rounding_view,
    tie_landscape,
)
from lessons.identical_vs_random.landscape import predicted_rate
from lessons.identical_vs_random.text import (
    LANDSCAPE_QUESTION,
    ROUNDING_MORAL,
    ROUNDING_QUESTION,
    exact_arithmetic_note,
    landscape_sentence,
    rounding_sentence,
)

config = current_config()
style = chart_style()

st.title("Identical vs random start")
st.markdown(
    "*Are the differences between units only due to the random start — and shouldn't training make them "
    "more similar?* Train the same network twice on the same data with the same seed; only the start differs."
)

if not config.hidden or max(config.hidden) < 2:
    st.info("This lesson compares the units of a hidden layer with each other, so it needs a hidden layer "
            "of at least two units. Set **Hidden layers** in the sidebar to e.g. 8.")
    history = train_run(config)  # still show the run: a note on the empty gap chart, or the loss
    show_chart(symmetry_gap_figure(history, style) if not config.hidden else loss_figure(history, style))
    st.stop()


def report_divergence(histories: list[History]) -> None:
    for message in dict.fromkeys(h.message for h in histories if h.diverged):
        st.error(message)


def capped_note(capped: bool, configs: list) -> None:
    if capped:
        st.caption(page_cap_note("these runs", configs[0].epochs, config.epochs))


layer = 0
if len(config.hidden) > 1:
    layer = lesson_choice("compare_layer", "Hidden layer", range(len(config.hidden)), 0,
                          format_func=lambda i: f"layer {i + 1}",
                          help="Which hidden layer's units to compare.")
width = config.hidden[layer]
if width < 2:
    st.info(f"Hidden layer {layer + 1} has a single unit: there is nothing to compare it with. "
            "Pick another layer or widen this one.")
    st.stop()

# --- A against B ----------------------------------------------------------------------------------------
left, middle, right = st.columns([3, 2, 2])
with left:
    start_b = lesson_choice(
        "compare_start", "Run B starts with", STARTS, contrast_start(config.symmetry),
        format_func=START_LABELS.get,
        help="Run A uses the sidebar's start; run B the same settings with this start instead.",
        widget="selectbox")
with middle:
    tol = lesson_choice("compare_tol", "Same unit if closer than", (1e-9, 1e-6, 1e-3, 1e-1), 1e-1,
                        format_func=lambda v: f"{v:g}", widget="select_slider",
                        help="Two units whose parameter vectors are closer than this count as one unit.")
with right:
    metric = lesson_choice("compare_metric", "Heat map shows", ("cosine", "distance"), "cosine",
                           format_func=str.capitalize,
                           help="Cosine: 1 = same direction. Distance: 0 = same unit.")

nudged = f" + nudge ε = {config.perturbation:.0e}" if config.perturbation else ""
label_a = f"A: {START_LABELS[config.symmetry]}{nudged}"
label_b = f"B: {START_LABELS[start_b]}{nudged}"
if start_b == config.symmetry:
    label_b += " (same as A)"
page_budget = PageBudget()  # every training on this page shares one budget, in the order drawn
(config_a, config_b), capped_pair = page_budget.fit((config, config.replace(symmetry=start_b)), batched=True)
capped_note(capped_pair, [config_a])
run_a, run_b = train_together((config_a, config_b))
runs = {label_a: run_a, label_b: run_b}
report_divergence([run_a, run_b])

pair_key = ((config_a, config_b), (label_a, label_b))
gap_chart, count_chart, final_counts = pair_gap_figures(*pair_key, layer, tol, projector_mode())
gap_column, count_column = side_by_side()  # stacked on a projector, so titles fit
with gap_column:
    show_chart(gap_chart)
with count_column:
    show_chart(count_chart)


def test_score(history: History) -> str:
    """"test accuracy 87%" or "test R² 0.93": the run's final score, named for its task."""
    task = history.task.name
    return f"test {score_name(task)} {format_score(float(history.test_score[-1]), task)}"


def describe(label: str, history: History) -> str:
    gaps = history.symmetry_gap[layer]
    final_count = final_counts[label]
    if gaps[-1] == 0:
        return (f"**{label}** — all {width} units are exact copies after {history.epochs_completed} epochs "
                f"(gap **0.0**, **1** distinct unit), {test_score(history)}.")
    return (f"**{label}** — gap **{format_gap(gaps[0])}** at the start, **{format_gap(gaps[-1])}** after "
            f"{history.epochs_completed} epochs; **{final_count}** of {width} units distinct; "
            f"{test_score(history)}.")


notes = [exact_arithmetic_note()] if "identical" in (config.symmetry, start_b) else []
st.markdown("**What you are seeing.** " + " ".join([describe(label, h) for label, h in runs.items()] + notes))

show_chart(pair_heatmaps(*pair_key, layer, metric, projector_mode()), key=f"heatmaps-{metric}-{layer}")
last = {label: len(history.steps) - 1 for label, history in runs.items()}
alike = [f"{label}: {mean_abs_cosine(history, layer, 0):.2f} at the start → "
         f"{mean_abs_cosine(history, layer, last[label]):.2f} at the end" for label, history in runs.items()]
st.caption("Average |cosine| between two different units (1 = all parallel) — " + "; ".join(alike) + ".")

# --- more experiments -----------------------------------------------------------------------------------
def four_starts() -> None:
    """Which parts of a unit must start equal for the tie to hold? Four starts side by side."""
    st.markdown("*Are identical input weights enough to keep units together?* Each start ties a different "
                "part of the units; everything else is the sidebar's.")
    family, capped = page_budget.fit(start_family(config, STARTS), batched=True)
    capped_note(capped, family)
    histories = train_together(tuple(family))
    report_divergence(histories)
    figure, tied, distinct = four_starts_view(tuple(family), layer, tol, projector_mode())
    show_chart(figure)
    # An HTML table (figures/tables.py): its headers wrap, so the last column is never cut off, and a
    # projector's large table font applies.
    show_markup(html_table(
        {
            "start": [START_LABELS[start] for start in STARTS],
            "tied part": [TIED_PART_NAMES[start] for start in STARTS],
            "its gap at the start": [format_gap(start) for start, _ in tied],
            "its gap at the end": [format_gap(end) for _, end in tied],
            "distinct units at the end": distinct,
            f"test {score_name(histories[0].task.name)}": [
                format_score(float(h.test_score[-1]), h.task.name) for h in histories],
        },
    ))
    end_gap = {start: end for start, (_, end) in zip(STARTS, tied)}
    sentences = []
    for start in ("same_fan_in", "same_fan_out"):
        verdict = "the tie broke" if end_gap[start] > ROUND_OFF else "the tie held"
        sentences.append(f"with *{START_LABELS[start]}* {verdict}: the {TIED_PART_NAMES[start]} that started "
                         f"equal differ by **{format_gap(end_gap[start])}** at the end")
    held = "stay exact copies (gap **0.0**)" if end_gap["identical"] == 0 else (
        f"end with gap **{format_gap(end_gap['identical'])}**")
    st.markdown(f"**What you are seeing.** Identical copies (same input weights, bias *and* output weights) "
                f"{held}; " + "; ".join(sentences) + ". Units stay together only if *every* part of them "
                "starts equal: equal input weights with different output weights get different gradients.")


def tiny_nudge() -> None:
    """Is the identical start a balance point the units roll away from? A nudge ε and its growth rate λ."""
    st.markdown("*Is the identical start a balance point the units roll away from, or one they fall back "
                "into?* Nudge identical copies by ε and fit the early growth, gap ∝ e^(λ·epoch).")
    epsilon = lesson_choice("compare_epsilon", "Nudge ε", NUDGES, 1e-6, format_func=lambda v: f"{v:.0e}",
                            widget="select_slider", help="Size of the random nudge added to every weight.")
    family, capped = page_budget.fit(nudge_family(config), batched=True)
    capped_note(capped, family)
    report_divergence(train_together(tuple(family)))
    figure, summary = nudge_view(tuple(family), epsilon, layer, projector_mode())
    show_chart(figure)
    rate, visible = summary.rate, summary.visible_epoch
    first, second, third = st.columns(3)
    first.metric("growth rate λ per epoch", f"{rate:.3g}" if np.isfinite(rate) else "not fitted",
                 help="Slope of ln(gap) against epoch over the early epochs, while the gap is still small.")
    second.metric("gap reaches 1e-3", f"epoch {visible}" if visible is not None else "never",
                  help="When the difference between units becomes large enough to see.")
    third.metric("gap: start → end", f"{format_gap(summary.start_gap)} → {format_gap(summary.end_gap)}")
    if not np.isfinite(rate):
        verdict = ("the gap is already too large at the start for a growth rate to be fitted — pick a "
                   "smaller ε.")
    elif summary.verdict == "unstable":
        verdict = (f"λ = {rate:.3g} > 0: the gap multiplies by e every {1 / rate:.0f} epochs, so the "
                   "identical start is an **unstable** balance point here — any tiny difference grows until "
                   "the units part.")
    elif summary.verdict == "stable":
        verdict = (f"λ = {rate:.3g} < 0: the gap shrinks, so the identical start is **stable** here — "
                   "nudged copies fall back together.")
    else:
        verdict = (f"λ = {rate:.3g}: over this run the gap changed only by a factor "
                   f"{summary.end_gap / summary.start_gap:.2g}, so the identical start is **nearly neutral** "
                   "here — neither pushing the copies apart nor pulling them together. The scenario "
                   "*A tiny nudge from identical* shows XOR, where the gap grows.")
    st.markdown(f"**What you are seeing.** With ε = {epsilon:.0e}, {verdict}")

    # The "why": the loss around the tie and its curvature κ along apart, checked against λ above.
    st.markdown(LANDSCAPE_QUESTION)
    view = tie_landscape(config, layer)
    contour, apart_line = landscape_figures(config, layer, projector_mode())
    left_chart, right_chart = side_by_side()
    with left_chart:
        show_chart(contour)
    with right_chart:
        show_chart(apart_line)
    st.metric("curvature along apart κ", f"{view.curvature:.3g}",
              help="d²L/da² at the tie along the apart direction that curves down most (or up least): "
                   "< 0 a ridge (the tie is a saddle), > 0 a valley.")
    if view.capped:
        st.caption(f"To stay quick on this network, κ and the line use the first {view.curvature_rows} and "
                   f"the contour the first {view.grid_rows} of the {view.train_rows} training rows.")
    sentence = landscape_sentence(view, summary, config.learning_rate, config.optimizer,
                                  predicted_rate(view, config))
    st.markdown(f"**What you are seeing.** {sentence}")


def rounding_as_a_nudge() -> None:
    """Exact arithmetic against plain matrix kernels: when does a 1e-16 rounding difference grow?"""
    st.markdown(ROUNDING_QUESTION)
    pair, capped = page_budget.fit([rounding_start(config)] * 2)  # two separate trainings: exact and plain
    capped_note(capped, pair)
    exact, plain = train_run(pair[0]), train_plain_kernels(pair[1])
    report_divergence([exact, plain])
    figure, rounding = rounding_view(tuple(pair), layer, projector_mode())
    show_chart(figure)
    first, second, third = st.columns(3)
    first.metric("kernels first differ", f"epoch {rounding.first_epoch}" if rounding.first_epoch is not None
                 else "never", help="The first epoch at which the plain kernels left the copies unequal.")
    second.metric("by", format_gap(rounding.first_gap), help="The gap at that epoch: float64 rounding.")
    third.metric("gap at the end: exact / plain",
                 f"{format_gap(exact.symmetry_gap[layer][-1])} / {format_gap(rounding.end_gap)}")
    st.markdown(f"**What you are seeing.** {rounding_sentence(rounding, plain.epochs_completed)} "
                f"{ROUNDING_MORAL}")


def per_unit_noise() -> None:
    """Does noise during training break a tie? Dropout (per unit) against minibatches (shared)."""
    st.markdown("*Does randomness during training break a tie?* Only randomness that differs between units: "
                "dropout silences each unit independently, but every unit sees the same minibatch.")
    dropout_on = lesson_choice("compare_dropout", "Dropout on", (), True, widget="toggle",
                               help="Switch dropout on or off for the identical start.")
    named = noise_family(config, dropout_on)
    family, capped = page_budget.fit(list(named.values()))
    capped_note(capped, family)
    histories = [train_run(member) for member in family]
    report_divergence(histories)
    noisy = dict(zip(named, histories))
    show_chart(noise_figure(tuple(family), tuple(named), layer, projector_mode()))
    parts = []
    for label, history in noisy.items():
        gaps = history.symmetry_gap[layer]
        state = ("stayed exact copies (gap **0.0**)" if gaps[-1] == 0
                 else f"reached gap **{format_gap(gaps[-1])}**")
        parts.append(f"*{label}*: {state} after {history.epochs_completed} epochs")
    st.markdown("**What you are seeing.** " + "; ".join(parts) + ".")


def regularization() -> None:
    """Do L1/L2 penalties make units more alike? Distinct units at a few strengths."""
    st.markdown("*Do penalties make units more alike?* L2 pulls every weight towards 0, L1 pushes weights to "
                "exactly 0. Count the distinct units after training at a few strengths.")
    penalty = lesson_choice("compare_penalty", "Penalty", ("l2", "l1"), "l2", format_func=str.upper,
                            help="Which penalty to sweep (the other is switched off).")
    strengths = PENALTY_STRENGTHS[penalty]
    family, capped = page_budget.fit(penalty_family(config, penalty))
    capped_note(capped, family)
    histories = [train_run(member) for member in family]
    report_divergence(histories)
    figure, distinct, scores = penalty_view(tuple(family), penalty, layer, tol, projector_mode())
    task = histories[0].task.name
    show_chart(figure)
    fewest = int(np.argmin(distinct))
    if distinct[fewest] < distinct[0]:
        seeing = (f"without a penalty the layer keeps **{distinct[0]}** distinct units; at {penalty.upper()} "
                  f"{strengths[fewest]:g} only **{distinct[fewest]}** remain (test {score_name(task)} "
                  f"{format_score(scores[0], task)} → {format_score(scores[fewest], task)}).")
    else:
        seeing = (f"every strength tried keeps **{distinct[0]}** distinct units at tolerance {tol:g}; "
                  "try a larger tolerance above.")
    st.markdown(f"**What you are seeing.** {seeing}")


EXPERIMENT_RUNS = dict(zip(EXPERIMENTS, (four_starts, tiny_nudge, rounding_as_a_nudge, per_unit_noise,
                                        regularization), strict=True))
"""Each experiment of the lesson, by the name its control shows (and scenarios set): a table, not a chain."""

st.subheader("More experiments")
experiment = lesson_choice("compare_experiment", "Experiment", EXPERIMENTS, EXPERIMENTS[0],
                           help="Each experiment trains a few runs that differ in one setting.")
EXPERIMENT_RUNS[experiment]()

with st.expander("The math: why an exact tie can never break", expanded=False):
    st.markdown("Let units i and j be equal in everything: incoming weights, bias and outgoing weights. "
                "Swapping them leaves the network — and so the loss — unchanged, hence their gradients are "
                "equal too, and one step keeps them equal:")
    st.latex(r"\theta_i = \theta_j \;\Rightarrow\; \frac{\partial L}{\partial \theta_i} = "
             r"\frac{\partial L}{\partial \theta_j} \;\Rightarrow\; \theta_i - \eta\,\frac{\partial L}"
             r"{\partial \theta_i} = \theta_j - \eta\,\frac{\partial L}{\partial \theta_j}")
    st.markdown("That is exact arithmetic, and this app keeps it exactly: each group of copies gets its "
                "gradient computed once and shared. Ordinary floating-point kernels can round copies "
                "differently by ~1e-16, and the experiment *Rounding as a nudge* shows when that grows.")
    st.markdown("Near the tie, a small difference evolves linearly, so the gap grows or shrinks "
                "exponentially; λ is what the nudge experiment measures:")
    st.latex(r"\text{gap}(t) \approx \varepsilon\, e^{\lambda t}")
