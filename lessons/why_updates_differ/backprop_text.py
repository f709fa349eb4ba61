"""The words and table cells of "Is it backprop's fault?", chosen from the measured numbers.

Each sentence picks its wording from a `GradientCheck` / `UpdateOrder`: "equal number for number" only when
the finite-difference entries of two copies are bitwise equal, "copies" only when units A and B really are
copies, "separates" only when the measured gap is above 0 — so it stays true in every setting (a random
start, a ReLU kink, a zero start with no hidden gradient, a diverging step). Plain strings, no streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from figures.labels import format_gap, unit_label
from lessons.why_updates_differ.backprop_check import (
    FD_STEP,
    KINK_BAND,
    MAX_FD_PARAMETERS,
    GradientCheck,
    UpdateOrder,
)

VALUE_DIGITS = 10  # significant digits shown for gradient entries: enough to see ~9 of them agree


def format_entry(value: float) -> str:
    """A gradient entry with VALUE_DIGITS significant digits (exact zero as 0)."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return "0" if value == 0 else f"{value:.{VALUE_DIGITS}g}"


def parameter_labels(check: GradientCheck, input_names: Sequence[str] | None = None,
                     output_names: Sequence[str] | None = None) -> list[str]:
    """One label per row of the table, in `GradientCheck` order: incoming weights, bias, outgoing weights.

    `input_names` name layer 1's inputs (the dataset's features); deeper layers' inputs are the units of
    the layer below. `output_names` name what the outgoing weights feed (class names for a softmax output).
    """
    if check.layer == 0 and input_names is not None and len(input_names) == check.fan_in:
        sources = list(input_names)
    else:
        sources = [f"layer {check.layer} {unit_label(p)}" if check.layer else f"x{p + 1}"
                   for p in range(check.fan_in)]
    if output_names is not None and len(output_names) == check.fan_out:
        targets = list(output_names)
    elif check.fan_out == 1:
        targets = ["the output"]
    else:
        targets = [f"layer {check.layer + 2} {unit_label(k)}" for k in range(check.fan_out)]
    return ([f"weight from {name}" for name in sources] + ["bias"]
            + [f"weight to {name}" for name in targets])


def gradient_table(check: GradientCheck, labels: Sequence[str]) -> dict[str, list[str]]:
    """Backprop and finite differences side by side per unit, and A − B of the finite differences."""
    table: dict[str, list[str]] = {"parameter": list(labels)}
    for row, unit in enumerate(check.units):
        table[f"{unit_label(unit)}: backprop"] = [format_entry(v) for v in check.backprop[row]]
        fd = check.finite_difference[row]
        table[f"{unit_label(unit)}: finite diff."] = [format_entry(v) for v in fd]
    if len(check.units) == 2:
        a, b = check.units
        difference = check.finite_difference[0] - check.finite_difference[1]
        table[f"{a + 1} − {b + 1} (finite diff.)"] = [format_gap(abs(v)) if v == 0 else f"{v:.3g}"
                                                    for v in difference]
    return table


def gap_table(order: UpdateOrder) -> dict[str, list[str]]:
    """The layer's gap after each step, for both orders of applying the updates."""
    return {"step": [str(step) for step in range(order.n_steps + 1)],
            "all at once": [format_gap(g) for g in order.simultaneous],
            "one unit at a time": [format_gap(g) for g in order.sequential]}


def agreement_text(check: GradientCheck) -> str:
    """How many digits finite differences and backprop share, and why fewer when ReLU's kink is hit."""
    n = check.n_checked
    scope = f"all **{n}** parameters" if not check.capped else f"the **{n}** parameters of the units shown"
    if check.digits == 0 and not math.isfinite(check.max_relative_error):
        return ("Finite differences could not be compared with backprop here: some numbers are not finite "
                "(the network has diverged).")
    text = (f"Nudging one weight at a time by ±{FD_STEP:g} and measuring the loss (2 × {n} loss "
            f"evaluations, no layers, no chain rule) gives the same gradient as backprop on {scope}: they "
            f"agree to **{check.digits} significant digits** (largest difference "
            f"{check.max_relative_error:.1e} of the largest entry).")
    if check.kinks and check.digits < 6:
        text += (f" Fewer digits than usual: {check.kinks} ReLU inputs lie at the kink "
                 f"(|z| ≤ {KINK_BAND:g}), where the loss has no derivative — backprop takes σ'(0) = 0, "
                 "a finite difference averages the two sides.")
    return text


def copies_text(check: GradientCheck) -> str:
    """What the finite differences say about units A and B: equal for copies, different otherwise."""
    if len(check.units) < 2:
        return "There is a single unit in this layer, so there is no copy to compare."
    a, b = (unit_label(u) for u in check.units)
    if check.copies:
        if check.fd_copy_difference == 0:
            backprop = ("just as backprop's are" if check.backprop_copy_difference == 0 else
                        f"while backprop's differ by {format_gap(check.backprop_copy_difference)} "
                        "(matrix-kernel rounding, not the math)")
            return (f"{a.capitalize()} and {b} are **exact copies**, and their finite-difference entries are "
                    f"**equal number for number** (largest difference **0.0**), {backprop}: "
                    "computed one weight at a time, the copies still get the same gradient. The tie is a "
                    "property of the **loss** (swapping two copies leaves the network unchanged), not of "
                    "the algorithm that computes its gradient.")
        return (f"{a.capitalize()} and {b} are exact copies; their finite-difference entries are equal to "
                f"within the finite-difference error (largest difference "
                f"{format_gap(check.fd_copy_difference)}): the tie is a property of the loss, not of "
                "backprop.")
    return (f"{a.capitalize()} and {b} are **not copies** here (their parameters differ by "
            f"{format_gap(check.unit_distance)}), so their gradients differ — by up to "
            f"{format_gap(check.fd_copy_difference)} per entry, by finite differences and by backprop alike. "
            "Choose the *Identical* start above (epoch 0) to see two copies.")


def orders_text(order: UpdateOrder) -> str:
    """What the two orders of applying the same gradients did to the copies, from the measured gaps."""
    n, lr = order.n_steps, order.learning_rate
    together, in_turn = order.simultaneous[-1], order.sequential[-1]
    if order.width < 2:
        return "This layer has a single unit: there is no copy for it to separate from."
    head = f"From the identical start, {n} plain gradient steps (learning rate {lr:g}, full batch): "
    if not (np.isfinite(order.simultaneous).all() and np.isfinite(order.sequential).all()):
        return head + ("the steps blew up (the gap is no longer a finite number); try a smaller learning "
                       "rate in the sidebar.")
    if order.start_gap != 0:
        return head + (f"the units did not start as exact copies (gap {format_gap(order.start_gap)}), so "
                       "this start cannot show a tie.")
    if together == 0 and in_turn > 0:
        first = int(np.argmax(order.sequential > 0))
        return head + ("moving every parameter at once keeps the copies **exact** (gap **0.0** after every "
                       "step); moving **one unit at a time** — each unit's gradient computed after the units "
                       f"before it have moved — separates them (gap {format_gap(order.sequential[first])} "
                       f"after step {first}, **{format_gap(in_turn)}** after step {n}). Both use backprop's "
                       "gradients: the tie breaks because of **when** the updates are applied, not **how** "
                       "the gradients are computed.")
    if together == 0 and in_turn == 0:
        why = (" every gradient of this layer's units is exactly zero at this start, so there is no update "
               "to apply in any order (a zero start with tanh or ReLU never moves)"
               if order.hidden_gradient_zero else " the units before each one moved too little to change it")
        return head + f"the copies stay **exact** in both orders (gap **0.0**):{why}."
    return head + (f"the gap after {n} steps is {format_gap(together)} when every parameter moves at once "
                   f"and {format_gap(in_turn)} when one unit moves at a time.")


def limits_caption(check: GradientCheck, order: UpdateOrder) -> str:
    """Which parameters and rows were used, with the numbers, whenever something was capped."""
    notes = []
    if check.capped:
        notes.append(f"Finite differences for the units shown only: {check.n_checked} of the network's "
                     f"{check.n_parameters} parameters (the full check is capped at {MAX_FD_PARAMETERS} "
                     "parameters).")
    if check.rows_capped:
        notes.append(f"Both experiments use the first {check.n_rows} of the {check.n_rows_total} training "
                     "rows (the same rows for finite differences and backprop).")
    notes.append(f"The steps are plain gradient descent on layer {order.layer + 1} from the identical start "
                 "(every unit a copy of unit 1), whatever the sidebar's optimizer; the gap is the largest "
                 "distance between two units of the layer.")
    return " ".join(notes)
