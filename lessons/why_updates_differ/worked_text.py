"""The worked example's formulas as LaTeX, in the app's notation or ESL's, and its sentence.

Two notations for one formula, because the learner read *The Elements of Statistical Learning* (§11.3–11.4):
there a hidden unit is Z_m = σ(α_0m + α_mᵀX), the output T_k = β_0k + β_kᵀZ goes through g_k (the identity
for regression), and the per-sample loss is R_i = Σ_k (y_ik − f_k(x_i))². The mapping to this app's
names is one line (`MAPPING`), and the numbers substituted are the same in both.
"""

from __future__ import annotations

from lessons.why_updates_differ.text import format_number
from lessons.why_updates_differ.worked_example import UnitTerms, WorkedExample

NOTATIONS = {"app": "This app (w, v, h)", "esl": "ESL (α, β, Z)"}

MAPPING = (r"\alpha_{mp} = w_{pm},\quad \alpha_{0m} = b_m,\quad Z_m = h_m,\quad \beta_{m} = V_m,"
           r"\quad T = f(x) = o \ (g = \text{identity}),\quad y_i = t")
"""ESL's names for this app's: the weight from input p to unit m, its bias, its output, its weight into
the output, the output and the target."""


def _number(value: float) -> str:
    """A number for LaTeX: the page's formatting, negatives in parentheses so signs read unambiguously."""
    text = format_number(value).replace("−", "-")
    return f"({text})" if value < 0 else text


LINE_GAP = r" \\[8pt] "
"""Between the two units' lines: room for the fractions, which otherwise touch on a projector."""


def _aligned(lines: list[str]) -> str:
    """One line per unit, aligned at each line's last "=" so the two units read as a pair."""
    rows = []
    for line in lines:
        left, _, right = line.rpartition(" = ")
        rows.append(rf"{left} &= {right}")
    return r"\begin{aligned}" + LINE_GAP.join(rows) + r"\end{aligned}"


def symbolic(example: WorkedExample, notation: str) -> str:
    """The formula for the two units (j, k), as the question wrote it (or ESL would)."""
    p = example.input_index + 1
    lines = []
    for term in example.units:
        j = term.unit + 1
        lines.append(_symbolic_line(j, p, example.activation, notation))
    return _aligned(lines)


def _symbolic_line(j: int, p: int, activation: str, notation: str) -> str:
    tanh = activation == "tanh"
    if notation == "esl":
        slope = rf"(1 - Z_{{{j}}}^2)" if tanh else rf"\sigma'(\alpha_{{{j}}}^\top x)"
        return (rf"\frac{{\partial R_i}}{{\partial \alpha_{{{j}{p}}}}} = -2\,(y_i - f(x_i))\,\beta_{{{j}}}\,"
                rf"{slope}\,x_{{i{p}}}")
    if tanh:
        return (rf"\frac{{\partial L}}{{\partial W_{{{p}{j}}}}} = 2\,V_{{{j}}}\,(t - o)\,x_{{{p}}}\,"
                rf"(h_{{{j}}}^2 - 1)")
    return (rf"\frac{{\partial L}}{{\partial W_{{{p}{j}}}}} = -2\,V_{{{j}}}\,(t - o)\,x_{{{p}}}\,"
            rf"\sigma'(z_{{{j}}})")


def substituted(example: WorkedExample, notation: str) -> str:
    """The same formulas with this sample's numbers put in, and their values."""
    return _aligned([_substituted_line(example, term, notation) for term in example.units])


def _substituted_line(example: WorkedExample, term: UnitTerms, notation: str) -> str:
    t, o, x, v = _number(example.t), _number(example.o), _number(example.x), _number(term.v)
    h = _number(term.h)
    value = format_number(term.formula).replace("−", "-")
    if notation == "esl":
        slope = rf"(1 - {h}^2)" if example.activation == "tanh" else _number(term.slope)
        return rf"-2\,({t} - {o})\cdot {v}\cdot {slope}\cdot {x} = {value}"
    if example.activation == "tanh":
        return rf"2\cdot {v}\cdot ({t} - {o})\cdot {x}\cdot ({h}^2 - 1) = {value}"
    return rf"-2\cdot {v}\cdot ({t} - {o})\cdot {x}\cdot {_number(term.slope)} = {value}"


def sentence(example: WorkedExample) -> str:
    """What the two lines show, chosen from their numbers (see `WorkedExample.updates_equal`)."""
    p = example.input_index + 1
    gap = example.largest_disagreement
    agreement = ("Each value equals the engine's own gradient entry for this point **exactly** (difference "
                 "0.0)." if gap == 0 else f"Each value equals the engine's own gradient entry for this point "
                 f"to within **{gap:.1e}** (round-off).")
    if len(example.units) < 2:
        return f"One unit only, so nothing to compare. {agreement}"
    a, b = example.units
    ja, jb = a.unit + 1, b.unit + 1
    shared = (f"Both lines share t = {format_number(example.t)}, o = {format_number(example.o)} and "
              f"x{_sub(p)} = {format_number(example.x)}")
    if example.updates_equal:
        return (f"{shared}, and here the units are copies: V{_sub(ja)} = V{_sub(jb)} = "
                f"{format_number(a.v)} and h{_sub(ja)} = h{_sub(jb)} = {format_number(a.h)}, so the two "
                f"updates are **equal** "
                f"({format_number(a.formula)}). {agreement}")
    return (f"{shared}; they differ only in V (**{format_number(a.v)}** vs **{format_number(b.v)}**) and h "
            f"(**{format_number(a.h)}** vs **{format_number(b.h)}**), so the same formula gives "
            f"**{format_number(a.formula)}** for unit {ja} and **{format_number(b.formula)}** for unit {jb}. "
            f"{agreement}")


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(number: int) -> str:
    return str(number).translate(_SUBSCRIPTS)
