"""The lesson's six charts by name, each drawn from the seed study (and, for two of them, the straight line
between seeds A and B or the dataset): a registry, so the page's cache can have a worker process draw
"the pairing chart of this study" by name (lessons/many_seeds/cache.py)."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from core.config import RunConfig
from core.datasets import Dataset
from figures.style import ChartStyle
from lessons.many_seeds.agreement import decision_grids
from lessons.many_seeds.agreement_figures import (
    agreement_figure,
    boundaries_figure,
    prediction_contours_figure,
)
from lessons.many_seeds.analysis import SeedStudy, StraightLine, unit_pairing
from lessons.many_seeds.figures import (
    pairing_figure,
    seed_losses_figure,
    straight_line_figure,
    weight_distance_figure,
    weights_heatmap_figure,
)


def _pairing_chart(study: SeedStudy, config: RunConfig, seed_b: int, layer: int,
                   style: ChartStyle) -> go.Figure:
    k = study.used.index(study.seeds.index(seed_b))
    pairing = unit_pairing(study.params[0], study.params[k], study.alignment.perms[k], layer)
    return pairing_figure(pairing, study.reference_seed, seed_b, len(config.hidden), style)


def _plane_chart(study: SeedStudy, config: RunConfig, seed_b: int, style: ChartStyle,
                 data: Dataset) -> go.Figure:
    """2-D data: every seed's decision boundary (or prediction contours) on the input plane; otherwise how
    often the seeds agree on each test point."""
    if not data.is_2d:
        return agreement_figure(study, seed_b, style)
    grids = decision_grids(study.params, data.X_train, config.activation, task=data.task)
    seeds = [study.seeds[k] for k in study.used]
    if study.is_regression:
        return prediction_contours_figure(grids, data, seeds, seed_b, study.agreement, style)
    return boundaries_figure(grids, data, seeds, seed_b, study.agreement.unanimous, style)


Chart = Callable[[SeedStudy, RunConfig, int, int, ChartStyle, "StraightLine | None", "Dataset | None"],
                 go.Figure]
SEED_CHARTS: dict[str, Chart] = {
    "losses": lambda study, config, b, layer, style, line, data: seed_losses_figure(study, b, style),
    "distances": lambda study, config, b, layer, style, line, data: weight_distance_figure(
        study, b, bool(config.hidden), style),
    "weights": lambda study, config, b, layer, style, line, data: weights_heatmap_figure(
        study, layer if config.hidden else None, b, style),
    "pairing": lambda study, config, b, layer, style, line, data: _pairing_chart(
        study, config, b, layer, style),
    "line": lambda study, config, b, layer, style, line, data: straight_line_figure(
        line, study.reference_seed, b, bool(config.hidden), style, study.task),
    "plane": lambda study, config, b, layer, style, line, data: _plane_chart(study, config, b, style, data),
}
"""(study, config, seed B, layer, style, straight line A→B, dataset) -> Figure; "line" needs the line and
"plane" the dataset, the others neither."""


def seed_chart(kind: str, study: SeedStudy, config: RunConfig, seed_b: int | None, layer: int,
               style: ChartStyle, line: StraightLine | None = None, data: Dataset | None = None) -> go.Figure:
    """The chart `kind` of SEED_CHARTS."""
    return SEED_CHARTS[kind](study, config, seed_b, layer, style, line, data)
