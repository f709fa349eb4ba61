"""Cached work of the "Many seeds, one solution" lesson: the seed study, the straight line between two
seeds, and the lesson's figures, each computed once per choice and shared by every session (a rerun with
the same choices only re-sends the figures)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import streamlit as st

from app.cache import train_many
from app.presentation import finished
from core.config import RunConfig
from core.datasets import load_dataset
from figures.style import NORMAL, PROJECTOR
from lessons.many_seeds.agreement import decision_grids
from lessons.many_seeds.agreement_figures import (
    agreement_figure,
    boundaries_figure,
    prediction_contours_figure,
)
from lessons.many_seeds.analysis import (
    ODD_ACTIVATIONS,
    SeedStudy,
    StraightLine,
    distance,
    flip_and_permute,
    match_units_and_signs,
    straight_line,
    study_seeds,
    unit_pairing,
)
from lessons.many_seeds.figures import (
    pairing_figure,
    seed_losses_figure,
    straight_line_figure,
    weight_distance_figure,
    weights_heatmap_figure,
)


@st.cache_data(max_entries=16, show_spinner=False)
def seed_study(config: RunConfig, seeds: tuple[int, ...]) -> SeedStudy:
    """`study_seeds` of the cached batched training: losses, spreads, every seed aligned to seed A."""
    return study_seeds(train_many(config, seeds), load_dataset(config))


@st.cache_data(max_entries=32, show_spinner=False)
def pair_line(config: RunConfig, seeds: tuple[int, ...], seed_b: int) -> tuple[StraightLine, float, float]:
    """The straight line from seed A to seed B, and B's distance to A reordered, and reordered + flipped.

    The sign flips apply only to odd activations with hidden units; otherwise the last distance is nan.
    The losses are the task's (log loss, or squared error for regression).
    """
    study, data = seed_study(config, seeds), load_dataset(config)
    k = study.used.index(study.seeds.index(seed_b))
    a, b, aligned = study.params[0], study.params[k], study.alignment.aligned[k]
    flipped = None
    if config.hidden and config.activation in ODD_ACTIVATIONS:
        flipped = flip_and_permute(b, *match_units_and_signs(a, b))
    line = straight_line(a, b, aligned, data.X_train, data.y_train, config.activation, flipped_b=flipped,
                         task=data.task)
    return line, distance(a, aligned), math.nan if flipped is None else distance(a, flipped)


def _pairing_chart(study: SeedStudy, config: RunConfig, seed_b: int, layer: int, style) -> go.Figure:
    k = study.used.index(study.seeds.index(seed_b))
    pairing = unit_pairing(study.params[0], study.params[k], study.alignment.perms[k], layer)
    return pairing_figure(pairing, study.reference_seed, seed_b, len(config.hidden), style)


def _plane_chart(study: SeedStudy, config: RunConfig, seed_b: int, style) -> go.Figure:
    data = load_dataset(config)
    if not data.is_2d:
        return agreement_figure(study, seed_b, style)
    grids = decision_grids(study.params, data.X_train, config.activation, task=data.task)
    seeds = [study.seeds[k] for k in study.used]
    if study.is_regression:
        return prediction_contours_figure(grids, data, seeds, seed_b, study.agreement, style)
    return boundaries_figure(grids, data, seeds, seed_b, study.agreement.unanimous, style)


# Figures by name: (study, config, seeds, seed B, layer, style) -> Figure.
FIGURES = {
    "losses": lambda study, config, seeds, b, layer, style: seed_losses_figure(study, b, style),
    "distances": lambda study, config, seeds, b, layer, style: weight_distance_figure(
        study, b, bool(config.hidden), style),
    "weights": lambda study, config, seeds, b, layer, style: weights_heatmap_figure(
        study, layer if config.hidden else None, b, style),
    "pairing": lambda study, config, seeds, b, layer, style: _pairing_chart(study, config, b, layer, style),
    "line": lambda study, config, seeds, b, layer, style: straight_line_figure(
        pair_line(config, seeds, b)[0], study.reference_seed, b, bool(config.hidden), style, study.task),
    "plane": lambda study, config, seeds, b, layer, style: _plane_chart(study, config, b, style),
}


@st.cache_data(max_entries=64, show_spinner=False)
def seed_figure(kind: str, config: RunConfig, seeds: tuple[int, ...], seed_b: int | None, layer: int,
                projector: bool) -> dict:
    """One of FIGURES, built once per choice and kept `finished` (a plain dict, app/presentation.py says
    why): building the six takes ~0.5 s, and unpickling them as figures on every rerun took 0.2 s more."""
    return finished(FIGURES[kind](seed_study(config, seeds), config, seeds, seed_b, layer,
                                  PROJECTOR if projector else NORMAL))
