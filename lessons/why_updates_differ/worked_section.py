"""The section "The worked example" of the "Why the updates differ" page (issue 15, Q2).

Thin Streamlit glue: the numbers come from worked_example, the LaTeX and the sentence from worked_text.
It appears for the example's own network (regression, one hidden layer, one linear output); any other
network gets one line saying what the example needs and the scenario that builds it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from app.state import lesson_choice
from lessons.why_updates_differ.worked_example import applies, worked_example
from lessons.why_updates_differ.worked_text import MAPPING, NOTATIONS, substituted, symbolic
from lessons.why_updates_differ.worked_text import sentence as worked_sentence

Array = np.ndarray
SCENARIO = "The worked example: tanh units, squared loss"


def show_worked_example(params: Sequence[tuple[Array, Array]], X: Array, y: Array, activation: str,
                        task: str, sample: int, units: Sequence[int]) -> None:
    """The question's two formulas with training point `sample`'s numbers, for units A and B."""
    st.markdown("**The worked example.** *Every Zₘ = σ(α₀ₘ + αₘᵀX) sees the same X — so how can two "
                "units' updates differ?* The chain rule for one point, squared loss and a linear output:")
    if not applies(params, task):
        st.caption(f"The example is for regression with one hidden layer and one linear output (squared "
                   f"loss). Pick the scenario *{SCENARIO}* in the sidebar, or a regression set (plane, "
                   "gaussians, diabetes) with one hidden layer, to see it with live numbers.")
        return
    notation = lesson_choice("updates_notation", "Notation", list(NOTATIONS), "app",
                             format_func=NOTATIONS.__getitem__,
                             help="The question's names (W, V, h) or those of The Elements of Statistical "
                                  "Learning (α, β, Z); the numbers are the same.")
    example = worked_example(params, X, y, activation, sample, units)
    st.latex(symbolic(example, notation))
    st.latex(substituted(example, notation))
    if notation == "esl":
        st.latex(MAPPING)
    st.markdown(f"**What you are seeing.** {worked_sentence(example)}")
    st.caption(f"Training point {sample + 1}; L = (t − o)² for that point alone (no penalty), as in the "
               "question. With SGD and batch size 1 this is exactly one step's gradient.")
