"""Cached work of the "Many seeds, one solution" lesson: the seed study, the straight line between two
seeds, and the lesson's figures, each computed once per choice and shared by every session (a rerun with
the same choices only re-sends the figures)."""

from __future__ import annotations

import math

import streamlit as st

from app.cache import train_many
from app.presentation import drawn
from core.config import RunConfig
from core.datasets import load_dataset
from figures.style import NORMAL, PROJECTOR
from lessons.many_seeds.analysis import (
    ODD_ACTIVATIONS,
    SeedStudy,
    StraightLine,
    distance,
    flip_and_permute,
    match_units_and_signs,
    straight_line,
    study_seeds,
)
from lessons.many_seeds.charts import seed_chart


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


@st.cache_data(max_entries=64, show_spinner=False)
def seed_figure(kind: str, config: RunConfig, seeds: tuple[int, ...], seed_b: int | None, layer: int,
                projector: bool, beside: bool = False) -> dict:
    """One of `charts.SEED_CHARTS`, built once per choice in a worker process and kept as a finished
    dict (app/presentation.py `drawn` says why): building the six takes ~0.5 s, and unpickling them as
    figures on every rerun took 0.2 s more."""
    study = seed_study(config, seeds)
    line = pair_line(config, seeds, seed_b)[0] if kind == "line" else None
    style = PROJECTOR if projector else NORMAL
    if beside:  # drawn next to another (`side_by_side`): titles wrap to the chart's own width
        style = style.beside()
    return drawn(seed_chart, kind, study, config, seed_b, layer, style, line,
                 load_dataset(config) if kind == "plane" else None)
