"""The tables and the sentence of the "Why the updates differ" lesson, as text built from the numbers.

Every cell and every clause here is computed from a `LayerFactors` / `UnitComparison`, never written
ahead: the sentence picks its wording from the numbers (exactly equal, round-off, one factor differs, both
do), so it stays true in every configuration. Tables are Markdown with a coloured square per unit, in
the unit's colour everywhere. Plain strings, no streamlit: the page only prints them.
"""

from __future__ import annotations

import math

import numpy as np

from figures.labels import format_gap, unit_label
from figures.style import unit_color
from lessons.why_updates_differ.analysis import (
    ROUND_OFF,
    LayerFactors,
    UnitComparison,
    layer_summaries,
    most_telling,
    sample_breakdown,
)
from lessons.why_updates_differ.figures import percent, subscript

TABLE_WEIGHTS = 4  # gradient entries listed per unit; longer vectors show the most telling ones
TABLE_INPUTS = 3  # input values listed for one sample


# --- formatting -----------------------------------------------------------------------------------------

def format_number(value: float) -> str:
    """A number in a table: 4 significant digits, exact zero as 0, inf/nan as themselves."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return "0" if value == 0 else f"{value:.4g}"


def unit_heading(unit: int, width: int) -> str:
    return f'<span style="color:{unit_color(unit, width)}">■</span> {unit_label(unit)}'


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def format_vector(values: np.ndarray, k: int = TABLE_INPUTS, symbol: str = "x") -> str:
    """A short vector in full, a long one as its k largest entries (by size) and its length."""
    values = np.asarray(values, dtype=float)
    if len(values) <= k + 1:
        return "(" + ", ".join(format_number(v) for v in values) + ")"
    top = most_telling(values[None, :], k)
    shown = ", ".join(f"{symbol}{subscript(int(i) + 1)} = {format_number(values[i])}" for i in top)
    return f"{shown}, … ({len(values)} values)"


def largest_difference(a: np.ndarray, b: np.ndarray) -> str:
    with np.errstate(all="ignore"):
        return format_gap(float(np.max(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float)))))


# --- the tables -------------------------------------------------------------------------------------------

def factor_rows(f: LayerFactors, units: list[int], comparison: UnitComparison | None) -> list[list[str]]:
    """Outgoing weight(s), mean slope, gradient: one column per unit, then their difference."""
    main = comparison.main if comparison is not None else None
    mark = f" ◀ {percent(comparison.share(main))} of the difference" if main is not None else ""
    main = main.factor.key if main is not None else None

    def marked(label: str, key: str | None) -> str:
        return f"**{label}{mark}**" if key is not None and key == main else label

    def row(label: str, values: list[float], key: str | None = None) -> list[str]:
        cells = [format_number(v) for v in values]
        if len(values) == 2:
            cells.append(format_gap(abs(values[0] - values[1])) if all(map(math.isfinite, values))
                         else "nan")
        return [marked(label, key), *cells]

    rows = []
    if f.single_output_weight:
        rows.append(row("outgoing weight v", [f.outgoing[u, 0] for u in units], "signal"))
    else:  # several weights out: the vector if short, else its length; the difference entry by entry
        into = "outputs" if f.above_is_output else f"layer {f.layer + 2}"
        if f.n_above <= 3:
            cells = [marked(f"outgoing weights → {into}", "signal"),
                     *(format_vector(f.outgoing[u], symbol="v") for u in units), ""]
        else:
            cells = row(f"‖outgoing weights‖ → {f.n_above} {into}",
                        [float(np.linalg.norm(f.outgoing[u])) for u in units], "signal")
        if len(units) == 2:  # a length could hide a difference: the largest entry-wise one
            cells[-1] = largest_difference(f.outgoing[units[0]], f.outgoing[units[1]])
        rows.append(cells[:1 + len(units) + (len(units) == 2)])
    rows.append(row(f"mean slope σ'(z) ({f.n_samples} points)", [f.mean_slope[u] for u in units], "slope"))
    shown = most_telling(f.gradient[:, units].T, TABLE_WEIGHTS)
    for p in shown:
        rows.append(row(f"∂L/∂w{subscript(int(p) + 1)}", [f.gradient[p, u] for u in units]))
    rows.append(row("∂L/∂b", [f.bias_gradient[u] for u in units]))
    if f.fan_in > len(shown):
        cells = row(f"‖∂L/∂w‖ (all {f.fan_in})", [float(np.linalg.norm(f.gradient[:, u])) for u in units])
        if len(units) == 2:
            cells[-1] = largest_difference(f.gradient[:, units[0]], f.gradient[:, units[1]])
        rows.append(cells)
    if np.any(f.penalty_gradient != 0):
        cells = row("‖L2/L1 penalty part‖", [float(np.linalg.norm(f.penalty_gradient[:, u])) for u in units])
        rows.append(cells)
    return rows


def sample_rows(f: LayerFactors, sample: int, units: list[int], label: str) -> list[list[str]]:
    """One sample's factors for the chosen units, the shared ones marked as such."""
    s = sample_breakdown(f, sample, units)
    n_units = len(units)

    def shared(label: str, text: str) -> list[str]:
        return [f"{label} *(same for both)*" if n_units > 1 else label, *([text] * n_units)]

    def per_unit(label: str, values: np.ndarray) -> list[str]:
        return [label, *(format_number(v) for v in values)]

    source = "x" if f.layer == 0 else "a"
    name = f"input {source}" + (f" ({label})" if f.layer == 0 else "")
    rows = [shared(name, format_vector(s.inputs, symbol=source))]
    rows.append(per_unit("z = wᵀ" + source + " + b", s.pre_activation))
    rows.append(per_unit("σ(z)", s.output))
    rows.append(per_unit("σ'(z)", s.slope))
    if f.single_output_weight:
        rows.append(per_unit("v", s.outgoing[:, 0]))
        rows.append(shared(f"δ = {f.output_error}", format_number(s.delta_above[0])))
        rows.append(per_unit("v·δ", s.signal))
        rows.append(per_unit("**product v·δ·σ'(z)**", s.delta))
    else:
        above = f.output_error if f.above_is_output else f"δ of layer {f.layer + 2}"
        rows.append(["outgoing weights v",
                     *(format_vector(s.outgoing[i], symbol="v") for i in range(n_units))])
        rows.append(shared(f"δ = {above}", format_vector(s.delta_above, symbol="δ")))
        rows.append(per_unit("Σₖ vₖδₖ", s.signal))
        rows.append(per_unit("**product Σₖ vₖδₖ·σ'(z)**", s.delta))
    share = [format_vector(s.contribution[i], k=2, symbol="w") for i in range(n_units)]
    rows.append([f"this point's term of ∂L/∂w: product·{source}/n", *share])
    return rows


def seeing_text(f: LayerFactors, comparison: UnitComparison, epoch: int, end_gap: float,
                epochs_completed: int, dropout: float) -> str:
    """The "What you are seeing" sentence, written from the computed numbers only."""
    a, b = (unit_label(u) for u in comparison.units)
    pair = f"{a.capitalize()} and {b}"
    if not comparison.finite:
        return (f"At epoch {epoch} the numbers are not finite (the run diverged): pick an earlier epoch.")
    if comparison.gradient_gap == 0:
        text = (f"{pair} get **exactly the same gradient** at epoch {epoch}: largest difference **0.0**. "
                f"Their outgoing weights differ by {format_gap(comparison.outgoing_gap)}, their slopes "
                f"σ'(z) by {format_gap(comparison.gap('slope').largest)} at most, and the input is the same "
                "for both: equal factors, equal updates.")
        if comparison.gradient_size == 0:
            text += " Both gradients are exactly 0: neither unit moves."
    elif comparison.relative_gradient_gap < ROUND_OFF:
        text = (f"{pair} get the same gradient up to float64 round-off: largest difference "
                f"**{format_gap(comparison.gradient_gap)}**.")
    else:
        text = (f"{pair} get **different gradients** at epoch {epoch}: the largest difference between "
                f"the two is **{format_gap(comparison.gradient_gap)}**.")
        differing = comparison.differing
        share = {gap.factor.key: percent(comparison.share(gap)) for gap in comparison.gaps}
        if len(differing) == 1:
            gap = differing[0]
            other = next(g for g in comparison.gaps if g is not gap)
            same = "exactly equal" if other.relative == 0 else "equal up to round-off"
            text += (f" The only factor that differs is the **{gap.factor.title(f)}** "
                     f"({percent(gap.relative)} apart over the points, set by the units' "
                     f"{gap.factor.cause}): it makes **{share[gap.factor.key]}** of the difference. "
                     f"The {other.factor.title(f)} is {same}, and the input is shared.")
        elif len(differing) == 2:
            first, second = differing
            text += (f" Both factors that belong to the units differ: the **{first.factor.title(f)}** "
                     f"({percent(first.relative)} apart over the points, set by the {first.factor.cause}) "
                     f"makes **{share[first.factor.key]}** of the difference, the {second.factor.title(f)} "
                     f"({percent(second.relative)} apart) {share[second.factor.key]}. The input is shared.")
        if comparison.penalty_part_size > 0:
            text += f" The L2/L1 penalty makes {percent(comparison.share(None))}."
    if end_gap == 0:
        text += f" After {epochs_completed} epochs the two units are still exact copies."
    elif comparison.gradient_gap == 0:
        reason = " — dropout's per-unit masks broke the tie" if dropout > 0 else ""
        text += f" Yet after {epochs_completed} epochs they are {format_gap(end_gap)} apart{reason}."
    return text


def layer_rows(layers: tuple[LayerFactors, ...]) -> list[list[str]]:
    rows = []
    for s in layer_summaries(layers):
        sees = "x (the data)" if s.layer == 0 else f"outputs of layer {s.layer}"
        rows.append([f"layer {s.layer + 1}", f"{s.width}", sees, f"{s.slope_factors}",
                     format_number(s.mean_slope), format_number(s.delta_rms),
                     format_number(s.mean_gradient_norm), format_gap(s.largest_unit_gap)])
    return rows


def unit_distance(params, layer: int, a: int, b: int) -> float:
    """Distance between two units' whole parameter vectors (incoming column, bias, outgoing row)."""
    (W, bias), (V, _) = params[layer], params[layer + 1]
    with np.errstate(all="ignore"):
        diff = np.concatenate([W[:, a] - W[:, b], [bias[a] - bias[b]], V[a] - V[b]])
        return float(np.linalg.norm(diff))
