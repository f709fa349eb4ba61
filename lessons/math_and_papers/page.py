"""Lesson: the math and the papers — the swap theorem with its proof, linear stability near a tie,
permutation symmetry, and the papers that established each, every one linked to the page that shows it.

A page of proofs still opens with one live number: the sidebar's network, two of its units swapped, and
the loss on the line between the two orderings (lessons.math_and_papers.analysis). Everything else is
text and formulas from text.py and the reference table from references.py; this file only lays them out.
"""

from __future__ import annotations

import streamlit as st

from app.cache import train_run
from app.pages import PAGES_BY_URL
from app.presentation import show_chart
from app.state import current_config, page_link, projector_mode
from core.config import with_hidden
from lessons.math_and_papers import text
from lessons.math_and_papers.cache import swap_view
from lessons.math_and_papers.references import REFERENCES, Reference

IDENTICAL = PAGES_BY_URL["identical-vs-random"]
SEEDS = PAGES_BY_URL["many-seeds"]
PUT_BACK_WIDTH = 8  # the hidden layer trained when the sidebar's network has no two units to swap




def formula(latex: str) -> None:
    """One displayed formula (a helper so every section reads as words, formula, words)."""
    st.latex(latex)


def reference(entry: Reference) -> None:
    """One paper: citation (linked where the address was checked), what it showed, the page showing it."""
    link = f" [{entry.url.removeprefix('https://')}]({entry.url})" if entry.url else ""
    st.markdown(f"{entry.citation}{link}  \n{entry.finding}")
    page_link(PAGES_BY_URL[entry.lesson], label=f"See it live in *{PAGES_BY_URL[entry.lesson].title}*: "
                                                f"{entry.shows}")


config = current_config()

st.title("The math and the papers")
st.markdown(text.QUESTION)

# --- the swap, live --------------------------------------------------------------------------------------

st.subheader("The swap, live")
st.markdown(text.SWAP_INTRO)
layer = next((index for index, width in enumerate(config.hidden) if width >= 2), None)
swap_config = config
if layer is None:  # nothing to swap in the sidebar's network: the same settings, one layer of 8 units
    st.caption(text.put_back_note(PUT_BACK_WIDTH))
    swap_config, layer = with_hidden(config, (PUT_BACK_WIDTH,)), 0
history = train_run(swap_config)
if history.diverged:  # the swap then uses the network as it was just before it blew up
    st.error(history.message)
line, swap_chart = swap_view(swap_config, layer, projector_mode())
if swap_chart is None:
    st.info(text.NOT_FINITE)
else:
    show_chart(swap_chart, key="papers-swap")
    st.markdown(text.swap_sentence(line))

# --- 1. the theorem --------------------------------------------------------------------------------------

st.subheader("1 · Equal units stay equal: the theorem")
st.markdown(text.THEOREM_INTRO)
formula(text.SWAP_INVARIANCE)
st.markdown(text.GRADIENT_INTRO)
formula(text.GRADIENT_SWAP)
st.markdown(text.THEOREM_WORDS)
formula(text.THEOREM)
with st.expander("The proof, by induction", expanded=False):
    st.markdown(text.PROOF)
    formula(text.UPDATE_RULE)
    st.markdown(text.DEEPER)
st.markdown(text.BREAKS_INTRO + "\n" + "\n".join(f"- {item}" for item in text.BREAKS))
page_link(IDENTICAL, label="See it live in *Identical vs random start*: four starts, and the experiments "
                           "*Per-unit noise* and *Rounding as a nudge*")

# --- 2. near a tie ---------------------------------------------------------------------------------------

st.subheader("2 · Near a tie: does a small difference grow?")
st.markdown(text.NEAR_INTRO)
formula(text.MIDDLE_AND_DIFFERENCE)
st.markdown(text.EVEN_WORDS)
formula(text.LINEAR_STEP)
st.markdown(text.GROWTH_WORDS)
formula(text.GROWTH)
st.caption(text.GROWTH_CAVEAT)
page_link(IDENTICAL, label="See it live in *Identical vs random start*: the experiment *Tiny nudge* measures "
                           "λ and draws the loss landscape around a tie")

# --- 3. permutation symmetry -----------------------------------------------------------------------------

st.subheader("3 · Reordered copies: permutation symmetry")
st.markdown(text.PERMUTATION_INTRO)
formula(text.PERMUTATION)
st.markdown(text.orderings_sentence(config.hidden))
st.markdown(text.SEEDS_WORDS)
formula(text.MATCHING)
st.markdown(text.BARRIER_WORDS)
formula(text.BARRIER)
page_link(SEEDS, label="See it live in *Many seeds, one solution*: weight matching and the barrier before "
                       "and after")

# --- 4. the papers ---------------------------------------------------------------------------------------

st.subheader("4 · The papers")
st.markdown(text.PAPERS_INTRO)
for entry in REFERENCES:
    reference(entry)
