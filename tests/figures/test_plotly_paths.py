"""Remembering Plotly's path parse changes nothing but its speed: the same keys for every path our figures
use, a fresh positions list every time, and the same figures."""

from __future__ import annotations

import plotly.basedatatypes as basedatatypes
import plotly.graph_objects as go

import figures.style  # noqa: F401 - installs the remembering parser, as every figure module does
from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train
from figures.charts import loss_figure
from figures.plotly_paths import remember_parsed_paths
from figures.run_figures import RUN_FIGURES, run_figure
from figures.style import NORMAL, PROJECTOR


def _paths(node, prefix: str = "") -> list[str]:
    """Every property path of a figure dict, dotted and underscored, as update calls spell them."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            found += [path, path.replace(".", "_"), *_paths(value, path)]
    return found


def test_it_is_in_place_once():
    assert remember_parsed_paths() and remember_parsed_paths()
    assert basedatatypes._str_to_dict_path_full.remembers


def test_every_path_of_our_figures_parses_as_plotly_parses_it():
    config = RunConfig(epochs=40)
    history, data = train(config), load_dataset(config)
    paths = set()
    for kind in (k for k in RUN_FIGURES if "digit" not in k):
        for style in (NORMAL, PROJECTOR):
            figure = run_figure(kind, history, data, 0, style)
            figure = figure if isinstance(figure, dict) else figure.to_dict()
            paths |= set(_paths(figure["layout"]))
            for trace in figure["data"]:
                paths |= set(_paths(trace))
    paths |= {"", "error_x", "marker_line_width", "xaxis2.title.font.size", "annotations[0].text", "a.b[3]"}
    parse = basedatatypes._str_to_dict_path_full
    original = parse.original
    assert len(paths) > 200
    for path in paths:
        assert parse(path) == original(path), path
        assert parse(path) == original(path), path  # the remembered answer too


def test_the_positions_are_a_fresh_list_every_time():
    parse = basedatatypes._str_to_dict_path_full
    first = parse("xaxis.title.font.size")
    first[1].append(99)
    assert parse("xaxis.title.font.size")[1] == [0, 6, 12, 17]


def test_figures_are_the_same_with_and_without_it(monkeypatch):
    history = train(RunConfig(epochs=40))

    def built() -> tuple[str, str]:
        return (loss_figure(history, PROJECTOR).to_json(),
                go.Figure().update_layout(xaxis_title_font_size=20, legend_font_color="red").to_json())

    remembered = built()
    original = basedatatypes._str_to_dict_path_full.original
    monkeypatch.setattr(basedatatypes, "_str_to_dict_path_full", original)
    assert built() == remembered
