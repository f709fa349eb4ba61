"""The papers and books behind the lessons, as a table: who, what, where, when, what it showed, and the
lesson page that shows it live.

Why a table: the page draws it, and the tests check every row (the lesson it links to exists, no paper
twice, every year and venue present) — so a reference cannot silently point at a page that was renamed.

Every title, venue and year here was checked against a public record (the publisher's or proceedings'
page, arXiv, OpenReview); `url` is set only where that exact address was seen, otherwise it is None.
Where a detail could not be confirmed it is left out rather than guessed: e.g. the remark that equal
starting weights stay equal is not attributed to the 1986 Nature letter, because no record seen shows it
there (it may be in the companion book chapter); the section of Hastie et al. on starting values is
§11.5.1, as the record shows. Pure Python: no streamlit, no app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """One paper or book: enough to find it, one line on what it showed, and where the app shows it."""

    authors: str
    year: int
    title: str
    venue: str
    finding: str  # one line, in the app's words, on what the work showed that matters here
    lesson: str  # url_path of the lesson page that shows it live (app.pages.LESSONS)
    shows: str  # what that page shows of it, as the link's label says
    url: str | None = None  # DOI / arXiv / OpenReview / proceedings address, only if verified
    where: str = ""  # the section of a book, when the point is in one section

    @property
    def citation(self) -> str:
        """Authors (year). Title. Venue[, section] — as a reading list prints it."""
        section = f", {self.where}" if self.where else ""
        return f"{self.authors} ({self.year}). *{self.title}*. {self.venue}{section}."


REFERENCES: tuple[Reference, ...] = (
    Reference(
        authors="D. E. Rumelhart, G. E. Hinton & R. J. Williams",
        year=1986,
        title="Learning representations by back-propagating errors",
        venue="Nature 323, 533–536",
        finding="Back-propagation: hidden units, not part of the input or output, come to represent "
                "important features of the task domain.",
        lesson="what-units-compute",
        shows="each unit's output map: the features the hidden units learned",
        url="https://doi.org/10.1038/323533a0",
    ),
    Reference(
        authors="K. Fukumizu & S. Amari",
        year=2000,
        title="Local minima and plateaus in hierarchical structures of multilayer perceptrons",
        venue="Neural Networks 13, 317–327",
        finding="Every critical point of a network with H − 1 hidden units gives lines of critical points "
                "of the network with H units, which can cause plateaus; those that come from the smaller "
                "network's global minimum can be local minima or saddles.",
        lesson="identical-vs-random",
        shows="identical copies: a wide layer that is one unit in disguise",
    ),
    Reference(
        authors="T. Hastie, R. Tibshirani & J. Friedman",
        year=2009,
        title="The Elements of Statistical Learning: Data Mining, Inference, and Prediction (2nd ed.)",
        venue="Springer Series in Statistics",
        where="§11.3 (the network Zₘ = σ(α₀ₘ + αₘᵀX)) and §11.5.1 “Starting Values”",
        finding="Starting weights are random values near zero, so the model starts out nearly linear; "
                "exactly zero weights give zero derivatives and perfect symmetry, and the algorithm "
                "never moves.",
        lesson="weight-trajectories",
        shows="scenario *Zero start*: all units stuck together",
    ),
    Reference(
        authors="A. M. Saxe, J. L. McClelland & S. Ganguli",
        year=2014,
        title="Exact solutions to the nonlinear dynamics of learning in deep linear neural networks",
        venue="ICLR 2014 (International Conference on Learning Representations)",
        finding="Exact solutions of gradient descent in deep linear networks: long plateaus followed by "
                "rapid transitions to lower error, and random orthogonal starts whose learning time does "
                "not grow with depth.",
        lesson="weight-trajectories",
        shows="the loss and every unit's weights over training",
        url="https://arxiv.org/abs/1312.6120",
    ),
    Reference(
        authors="N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever & R. Salakhutdinov",
        year=2014,
        title="Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
        venue="Journal of Machine Learning Research 15, 1929–1958",
        finding="Dropping units (with their connections) at random during training prevents units from "
                "co-adapting too much.",
        lesson="identical-vs-random",
        shows="experiment *Per-unit noise*: dropout separates an identical start",
    ),
    Reference(
        authors="M. D. Zeiler & R. Fergus",
        year=2014,
        title="Visualizing and Understanding Convolutional Networks",
        venue="ECCV 2014 (European Conference on Computer Vision), 818–833",
        finding="Projecting feature maps back to pixels shows different maps responding to different "
                "patterns: edges and colour conjunctions in low layers, textures and whole objects "
                "higher up.",
        lesson="what-units-compute",
        shows="what each unit computes, and whether the outputs become alike",
        url="https://arxiv.org/abs/1311.2901",
    ),
    Reference(
        authors="I. Goodfellow, Y. Bengio & A. Courville",
        year=2016,
        title="Deep Learning",
        venue="MIT Press",
        where="§8.4 “Parameter Initialization Strategies”",
        finding="Two hidden units with the same activation and the same inputs must start with different "
                "parameters — the start must break symmetry — or a deterministic learning algorithm "
                "updates them in the same way forever.",
        lesson="identical-vs-random",
        shows="the identical start: a tie that training keeps forever",
    ),
    Reference(
        authors="J. Brea, B. Şimşek, B. Illing & W. Gerstner",
        year=2019,
        title="Weight-space symmetry in deep networks gives rise to permutation saddles, connected by "
              "equal-loss valleys across the loss landscape",
        venue="arXiv:1907.02911",
        finding="Paths between equivalent (permuted) minima pass through permutation points, where two "
                "units' incoming and outgoing weights coincide; some of these are first-order saddles.",
        lesson="identical-vs-random",
        shows="experiment *Tiny nudge*: the loss landscape around a tie",
        url="https://arxiv.org/abs/1907.02911",
    ),
    Reference(
        authors="B. Şimşek, F. Ged, A. Jacot, F. Spadaro, C. Hongler, W. Gerstner & J. Brea",
        year=2021,
        title="Geometry of the Loss Landscape in Overparameterized Neural Networks: Symmetries and "
              "Invariances",
        venue="ICML 2021 (PMLR 139, 9722–9732)",
        finding="Adding one extra unit per layer connects the isolated, permuted copies of a zero-loss "
                "minimum into a single manifold; the symmetry-induced critical points are counted.",
        lesson="many-seeds",
        shows="seeds that land on reordered copies of one solution",
        url="https://proceedings.mlr.press/v139/simsek21a.html",
    ),
    Reference(
        authors="R. Entezari, H. Sedghi, O. Saukh & B. Neyshabur",
        year=2022,
        title="The Role of Permutation Invariance in Linear Mode Connectivity of Neural Networks",
        venue="ICLR 2022",
        finding="Conjecture, backed by extensive experiments: once units are permuted to match, two SGD "
                "solutions likely have no loss barrier on the straight line between them.",
        lesson="many-seeds",
        shows="the loss barrier before and after reordering",
        url="https://openreview.net/forum?id=dNigytemkL",
    ),
    Reference(
        authors="S. K. Ainsworth, J. Hayase & S. Srinivasa",
        year=2023,
        title="Git Re-Basin: Merging Models modulo Permutation Symmetries",
        venue="ICLR 2023",
        finding="Three ways to permute one network's units onto another's (weight matching among them), "
                "and the first zero-barrier straight line between independently trained ResNets on CIFAR-10.",
        lesson="many-seeds",
        shows="weight matching between two seeds",
        url="https://arxiv.org/abs/2209.04836",
    ),
)
