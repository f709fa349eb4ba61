"""The words and formulas of "The math and the papers": the theorem, its proof, linear stability near a
tie, permutation symmetry — and the sentences chosen from the live numbers beside them.

Why here and not in page.py: the page stays a thin, readable list of sections, and every sentence that
quotes a number is a function of that number (tested without a browser), so it cannot contradict the
chart. Notation follows the app: hidden layer W of shape (inputs, units), unit i = (column W[:, i],
bias b_i, outgoing row V[i, :]), as in scikit-learn's `coefs_`. No streamlit, no app.
"""

from __future__ import annotations

from collections.abc import Sequence

from figures.labels import format_gap
from lessons.math_and_papers.analysis import FLAT, SwapLine, orderings
from lessons.math_and_papers.figures import unit_name

QUESTION = (
    "*“I would really like to see the research papers and the mathematical proofs.”* Here they are: why "
    "identical units stay identical (a theorem with a short proof), what happens near such a tie, why "
    "every seed lands on a reordered copy of a solution — and the papers that showed each of these, with "
    "a link to the page that shows it live."
)

# --- the swap, live --------------------------------------------------------------------------------------

SWAP_INTRO = (
    "Take the network trained with the sidebar's settings and swap two of its hidden units: incoming "
    "weights, bias and outgoing weights together. Then walk the straight line between the two versions."
)


def put_back_note(width: int) -> str:
    """Said when the sidebar's network has no two units to swap, so the page trains one that has."""
    return (f"The sidebar's network has no hidden layer with two or more units, so there is nothing to swap "
            f"in it; the swap below uses the same settings with one hidden layer of {width} units.")

NOT_FINITE = ("This run diverged, so its losses are not finite numbers; lower the learning rate to see the "
              "swap.")


def swap_sentence(line: SwapLine) -> str:
    """What the chart shows, in its own numbers: equal ends, the tie's loss, the mirror symmetry."""
    a, b = (unit_name(u) for u in line.units)
    if line.distance == 0.0:
        return (f"**What you are seeing.** {a.capitalize()} and {b} are identical in every weight, so "
                f"swapping them changes nothing at all: the whole line is one network, at loss "
                f"{line.end_loss:.4g}. A tie is a point where the swap is the identity.")
    ends = (f"**What you are seeing.** Swapping {a} and {b} (the two most different units, "
            f"{line.distance:.3g} apart) changes the training loss by **{format_gap(line.end_difference)}** "
            f"— the network computes the same function; any difference is floating-point rounding.")
    if line.tie_loss > line.end_loss:
        middle = (f" Halfway, where both units equal their average, the loss is **{line.tie_loss:.4g}** "
                  f"against {line.end_loss:.4g} at the ends: the path between the two orderings climbs over "
                  f"a tie.")
    else:
        middle = (f" Halfway, where both units equal their average, the loss is **{line.tie_loss:.4g}** "
                  f"against {line.end_loss:.4g} at the ends: here the tie is no higher than the ends.")
    mirror = (f" The curve matches its mirror image to **{format_gap(line.asymmetry)}**: the loss is even in "
              f"the units' difference, so its slope at the tie is zero.")
    return ends + middle + mirror + _bend_clause(line.bend)


def _bend_clause(bend: float) -> str:
    """The curvature at the tie along this line, in words (section 2 explains why it matters)."""
    if bend < -FLAT:
        return (" It bends down at the tie: along this direction the tie is a ridge, so a small difference "
                "between the two units at this tie would grow under gradient descent (section 2).")
    if bend > FLAT:
        return (" It bends up at the tie: along this one direction the tie is a valley (other directions in "
                "which the units can differ may still bend down; section 2).")
    return ""


# --- 1. the theorem --------------------------------------------------------------------------------------

THEOREM_INTRO = (
    "Write θ for all the weights and P for the swap of units i and j of one hidden layer (their incoming "
    "columns, biases and outgoing rows). The swapped network computes the same function, for every input:"
)
SWAP_INVARIANCE = (r"f(x;\,P\theta) = f(x;\,\theta)\ \ \forall x \quad\Longrightarrow\quad "
                   r"L(P\theta) = L(\theta)")
GRADIENT_INTRO = (
    "Differentiate both sides (P is a fixed reordering of coordinates, Pᵀ = P⁻¹ = P). At a point where the "
    "two units are equal, Pθ = θ, and the gradient is swap-invariant too — equal units get equal gradients:"
)
GRADIENT_SWAP = (r"P^{\top}\,\nabla L(P\theta) = \nabla L(\theta) \quad"
                 r"\overset{P\theta=\theta}{\Longrightarrow}\quad "
                 r"\frac{\partial L}{\partial \theta_i} = \frac{\partial L}{\partial \theta_j}")
THEOREM = (r"\theta_i^{(0)} = \theta_j^{(0)} \;\text{ and }\; s_i^{(0)} = s_j^{(0)} \quad"
           r"\Longrightarrow\quad "
           r"\theta_i^{(t)} = \theta_j^{(t)} \;\text{ for every step } t")
THEOREM_WORDS = (
    "**Theorem.** If units i and j start equal in everything, and the optimizer's per-weight state s "
    "(momentum's velocity, Adam's two averages) starts equal too — it starts at zero — then every update "
    "rule that treats units alike keeps them equal forever: gradient descent, minibatch SGD, momentum, "
    "Adam, with or without an L1 or L2 penalty."
)
PROOF = (
    "**Proof, by induction on t.** *Start:* true at t = 0 by assumption. *Step:* suppose θ_i = θ_j and "
    "s_i = s_j after step t. Then Pθ = θ, so the gradients of units i and j are equal (above). With a "
    "minibatch, every unit sees the same batch, and the batch's loss is swap-invariant too; so are "
    "penalties λΣw² and λΣ|w|, sums over all weights. Each rule computes the new weight and state of a "
    "coordinate from that coordinate's weight, gradient and state alone, with the same learning rate and "
    "constants for every coordinate — so equal inputs give equal outputs, and θ_i = θ_j, s_i = s_j after "
    "step t + 1. ∎"
)
UPDATE_RULE = (r"\theta^{(t+1)}_k = U\!\left(\theta^{(t)}_k,\; g^{(t)}_k,\; s^{(t)}_k\right),\qquad "
               r"s^{(t+1)}_k = S\!\left(\theta^{(t)}_k,\; g^{(t)}_k,\; s^{(t)}_k\right)"
               r"\qquad\text{for every coordinate } k")
DEEPER = (
    "The same proof works in any hidden layer of a deeper network (swap the unit's column in the layer's "
    "matrix, its bias and its row in the next layer's matrix), and for any activation."
)
BREAKS_INTRO = "**What breaks it** — each is an assumption of the theorem failing:"
BREAKS = (
    "**An unequal start** (random initialization): Pθ ≠ θ, so nothing forces the two gradients to agree.",
    "**A partial copy**: equal incoming weights but different outgoing weights is not a tie (Pθ ≠ θ), and "
    "the units separate.",
    "**Per-unit noise**: dropout draws a mask per unit, so one step's loss is not swap-invariant. Per-sample "
    "minibatch noise is shared by all units and does not break the tie.",
    "**Floating point**: matrix kernels may round copies differently (~1e-16), and at an unstable tie that "
    "rounding grows like any nudge. This app computes ties exactly (each group of copies gets one shared "
    "gradient); the experiment *Rounding as a nudge* shows what ordinary kernels do.",
)

# --- 2. near a tie -----------------------------------------------------------------------------------------

NEAR_INTRO = (
    "Write the two units as a middle and a difference. The swap keeps m and turns d into −d, so with "
    "everything else fixed the loss is an even function of d:"
)
MIDDLE_AND_DIFFERENCE = (r"\theta_i = m + d,\quad \theta_j = m - d \qquad\Longrightarrow\qquad "
                         r"\ell(m, -d) = \ell(m, d)")
EVEN_WORDS = (
    "An even function has zero slope at d = 0: a tie is a balance point in the “apart” direction. Its "
    "gradient is odd in d, so near the tie (for a smooth activation such as tanh) it is linear in d up to "
    "a cubic error, and at the tie the "
    "Hessian splits into a “together” block and an “apart” block H_A. To first order, one "
    "gradient-descent step moves the difference on its own:"
)
LINEAR_STEP = (r"d_{t+1} \approx \left(I - \eta\, H_A\right) d_t, \qquad "
               r"H_A = \text{the Hessian restricted to the apart directions } (e_i - e_j)/\sqrt{2}")
GROWTH_WORDS = (
    "Along an eigenvector of H_A with curvature h, each step multiplies the difference by 1 − ηh. "
    "**Negative curvature** (the tie is a ridge, a saddle in that direction): the factor is above 1 and a "
    "tiny gap ε grows exponentially. **Positive curvature below 2/η**: the factor is between −1 and 1 and "
    "the gap shrinks (above 2/η the step overshoots and the gap grows with alternating sign)."
)
GROWTH = (r"\text{gap}(t) \approx \varepsilon\, e^{\lambda t}, \qquad "
          r"\lambda > 0 \text{ grows},\ \ \lambda < 0 \text{ shrinks}")
GROWTH_CAVEAT = (
    "This is the linearization of plain gradient descent: it holds while the gap is small, and H_A changes "
    "as the units' middle m moves; momentum and Adam change the factor, not the evenness. Both outcomes "
    "happen — which one depends on the data, the width and the step."
)

# --- 3. permutation symmetry -------------------------------------------------------------------------------

PERMUTATION_INTRO = (
    "The swap is one case of a bigger symmetry: any reordering π of a layer's units, each moving with its "
    "incoming column, bias and outgoing row, gives the same function."
)
PERMUTATION = (r"f(x;\,\pi\theta) = f(x;\,\theta) \quad\text{for all } w_1!\,w_2!\cdots w_k! "
               r"\text{ reorderings of layers of widths } w_1,\dots,w_k")
SEEDS_WORDS = (
    "So different seeds land on differently ordered copies, and “unit 3 of seed A” has nothing to do "
    "with “unit 3 of seed B”. Weight matching lines them up: per hidden layer, find the reordering of B's "
    "units most similar to A's — a linear assignment problem (the one the Hungarian method solves; the app "
    "uses scipy's `linear_sum_assignment`) on"
)
MATCHING = (r"\pi^\star = \arg\max_{\pi} \sum_{j} C_{j,\pi(j)}, \qquad "
            r"C = W_A^{\top} W_B + b_A\, b_B^{\top} + V_A\, V_B^{\top}")
BARRIER_WORDS = (
    "The loss barrier is how far the straight line between two networks climbs above its ends. Between "
    "two seeds it can be large; after matching it shrinks — evidence that the two valleys are, to a large "
    "extent, reordered copies of one (Entezari et al. 2022; Ainsworth et al. 2023)."
)
BARRIER = (r"B = \max_{\lambda \in [0,1]} L\big((1-\lambda)\,\theta_A + \lambda\,\pi^\star\theta_B\big) - "
           r"\tfrac12\big(L(\theta_A) + L(\pi^\star\theta_B)\big)")


def orderings_sentence(hidden: Sequence[int]) -> str:
    """How many orderings the sidebar's network has, as a number a class can picture."""
    if not hidden:
        return ("The sidebar's network has no hidden layer (logistic regression): there are no units to "
                "reorder.")
    count = orderings(hidden)
    widths = " · ".join(f"{w}!" for w in hidden)
    size = f"{count:,}" if count < 10**15 else f"about {count:.2e}"
    return (f"For the sidebar's network (hidden layers {', '.join(str(w) for w in hidden)}) that is "
            f"{widths} = **{size}** orderings of every trained network, all with exactly the same loss "
            f"(fewer distinct ones only if some units are exact copies).")


# --- 4. the papers -----------------------------------------------------------------------------------------

PAPERS_INTRO = (
    "Each entry: who showed what, where it was published, and the page of this app that shows it live. "
    "Links go to the publisher, arXiv or OpenReview where the address was checked."
)
