"""Sentences for the "Identical vs random start" lesson that speak about exact ties and rounding.

Each sentence is chosen from the measured numbers of the rounding experiment (`analysis.Rounding`), or of
the landscape around a tie (`landscape.Landscape`, beside the nudge's λ), so what it says is what the
chart and the numbers beside it show, on every setting.
"""

from __future__ import annotations

import math

from figures.labels import format_gap
from lessons.identical_vs_random.analysis import VISIBLE_GAP, Nudge, Rounding
from lessons.identical_vs_random.landscape import Landscape

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


LANDSCAPE_QUESTION = (
    "*Why does the nudge grow (or shrink)?* The loss around the tie, on two directions through it: "
    "**apart** moves two copies opposite ways, **together** moves both downhill."
)


def landscape_sentence(view: Landscape, nudge: Nudge, learning_rate: float, optimizer: str,
                       predicted: float) -> str:
    """What the curvature κ along apart says, and how it squares with the nudge's λ on the same settings.

    Under plain small steps a difference between the copies is multiplied by (1 − ηκ) per step, so
    λ > 0 ⇔ κ < 0. Where the measured λ says otherwise (steps past 2/κ, Adam's rescaling, the pair moving
    on from where κ was measured) or could not be fitted, the sentence says so instead of claiming it.
    `predicted` is `landscape.predicted_rate` (nan where the optimizer gives no prediction).
    """
    k = view.curvature
    shape = view.shape
    if shape == "ridge":
        said = (f"κ = {k:.3g} < 0 along apart: a **ridge** — the tie is a saddle, moving the units apart "
                "lowers the loss, so a nudge grows.")
    elif shape == "valley":
        said = (f"κ = {k:.3g} > 0 along apart: a **valley** — moving the units apart raises the loss, so "
                "nudged copies fall back.")
    else:
        said = (f"κ = {k:.2g}: the loss is flat along apart at the tie, so the curvature cannot say whether "
                "a nudge grows.")
    plain = optimizer in ("gd", "sgd")
    hint = (f" (steps of η = {learning_rate:g} predict λ ≈ {predicted:.3g} per epoch)"
            if math.isfinite(predicted) else "")
    rate = nudge.rate
    if not math.isfinite(rate):
        return f"{said} The nudge's λ could not be fitted here, so only the curvature speaks{hint}."
    measured = f"λ = {rate:.3g}"
    agrees = (shape, nudge.verdict) in (("ridge", "unstable"), ("valley", "stable"))
    if agrees:
        caveat = " in sign; Adam rescales each step, so the curvature fixes only the direction" \
            if optimizer == "adam" else ""
        return f"{said} That agrees with the nudge experiment's {measured}{caveat}{hint}."
    if shape == "flat":
        return f"{said} The nudge experiment measured {measured} ({nudge.verdict})."
    if nudge.verdict == "neutral":
        return (f"{said} Over this run, though, the nudged gap barely changed ({measured}, nearly neutral), "
                f"so the nudge neither confirms nor contradicts it{hint}: κ describes the tie where training "
                "starts, and training soon moves the pair along *together*, where the curvature changes.")
    steepest = float(view.curvatures[-1])
    if optimizer == "adam":
        why = "Adam rescales each step by its own running statistics, so the curvature alone does not decide"
    elif nudge.verdict == "unstable" and plain and steepest > 0 and learning_rate > 2 / steepest:
        why = (f"the step size η = {learning_rate:g} exceeds 2/κ_max = {2 / steepest:.3g} (κ_max = "
               f"{steepest:.3g}, the steepest apart direction), so each step overshoots the valley floor")
    elif optimizer == "momentum" and nudge.verdict == "unstable":
        why = "momentum carries each step past what the curvature alone would do"
    else:
        why = ("κ describes the tie where training starts; λ is fitted over many epochs, while training "
               "moves the pair along *together*, where the curvature changes")
    return f"{said} But the nudge experiment measured {measured} ({nudge.verdict}): {why}{hint}."
