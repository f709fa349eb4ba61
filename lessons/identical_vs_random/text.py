"""Sentences for the "Identical vs random start" lesson that speak about exact ties and rounding.

Each sentence is chosen from the measured numbers of the rounding experiment (`analysis.Rounding`), so
what it says about the plain kernels is what the chart beside it shows, on every setting.
"""

from __future__ import annotations

import math

from figures.labels import format_gap
from lessons.identical_vs_random.analysis import VISIBLE_GAP, Rounding

ROUNDING_QUESTION = (
    "*If identical copies can never separate, why do they sometimes separate in NumPy or PyTorch?* The "
    "identical start, trained twice: by this app's engine, which gives copies bitwise-identical arithmetic, "
    "and with the ordinary matrix kernels NumPy and PyTorch use, which may compute some columns of a "
    "product with other micro-kernels and so round them differently."
)
ROUNDING_MORAL = (
    "A perfect tie is a balance point: in exact arithmetic it holds forever; in floating point a 1e-16 "
    "difference is a nudge, and where the balance is unstable it grows."
)


def exact_arithmetic_note() -> str:
    """Said wherever a page states that identical copies stay identical: which arithmetic that is."""
    return ("Identical copies stay identical in exact arithmetic, and this app computes them exactly (each "
            "group of copies gets one shared gradient); the experiment *Rounding as a nudge* below shows "
            "what ordinary floating-point kernels can do instead.")


def rounding_sentence(rounding: Rounding, epochs: int) -> str:
    """What the plain kernels' rounding did, in the numbers of `rounding` (after `epochs` epochs)."""
    exact = "The exact engine keeps the gap at **0.0** throughout."
    if rounding.kind == "none":
        return (f"In {epochs} epochs the plain kernels computed every copy alike: no rounding difference "
                "appeared, so both runs keep the gap at **0.0**. Whether one appears depends on the width "
                "and the machine's kernels (widths that are multiples of 8 often hide it); the scenario "
                "*Rounding as a nudge* shows a width where it does.")
    start = (f"The plain kernels first rounded the copies differently at epoch {rounding.first_epoch}, by "
             f"**{format_gap(rounding.first_gap)}**")
    growth = rounding.largest / rounding.first_gap
    if rounding.kind == "round-off":
        return (f"{start}; after {epochs} epochs the gap is **{format_gap(rounding.end_gap)}**, at most "
                f"{growth:.0f}× its first size: rounding accumulating, not amplified, so the balance is not "
                f"unstable here and the copies stay copies for every practical purpose. {exact}")
    rate = rounding.rate
    lam = f" (λ = {rate:.3g} per epoch)" if math.isfinite(rate) else ""
    if rounding.kind == "growing":
        more = ""
        if math.isfinite(rate) and rate > 0 and rounding.end_gap > 0:
            more = (f"; at this rate it would reach {VISIBLE_GAP:g} in about "
                    f"{math.log(VISIBLE_GAP / rounding.end_gap) / rate:.0f} more epochs")
        return (f"{start}, and the difference grew{lam} to **{format_gap(rounding.end_gap)}** after {epochs} "
                f"epochs, {growth:.1e}× its first size but still far below {VISIBLE_GAP:g}{more}. {exact}")
    return (f"{start}, and the difference grew{lam} until it reached {VISIBLE_GAP:g} at epoch "
            f"{rounding.split_epoch}: the copies split, ending **{format_gap(rounding.end_gap)}** apart, "
            f"as if nudged. {exact}")
