"""Downloads: the data behind the charts (per-epoch metrics as CSV, recorded weights as JSON), and the
run itself as code (a Jupyter notebook and a PyTorch script, from export/)."""

from __future__ import annotations

import csv
import functools
import io
import json

import streamlit as st

from core.config import RunConfig
from core.custom_data import is_custom_name
from core.datasets import Dataset, load_dataset
from core.train import History


def metrics_csv(history: History) -> str:
    """One row per epoch: losses, scores (accuracy, or R² for regression) and every hidden layer's gap."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    gap_names = [f"symmetry_gap_layer_{layer + 1}" for layer in range(len(history.symmetry_gap))]
    score = "r2" if history.task.is_regression else "accuracy"
    writer.writerow(["epoch", "train_loss", "test_loss", f"train_{score}", f"test_{score}", *gap_names])
    columns = (history.train_loss, history.test_loss, history.train_score, history.test_score,
               *history.symmetry_gap)
    for epoch in range(len(history.train_loss)):
        writer.writerow([epoch, *(repr(float(column[epoch])) for column in columns)])
    return buffer.getvalue()


def weights_json(history: History) -> str:
    """The recorded snapshots: for each layer, W (fan_in × fan_out) and b at every recorded epoch."""
    layers = [
        {"layer": index + 1, "weights": W.tolist(), "biases": b.tolist()}
        for index, (W, b) in enumerate(zip(history.weights, history.biases))
    ]
    payload = {"config": history.config.to_query_params(), "epochs": history.steps.tolist(), "layers": layers}
    return json.dumps(payload)


def download_buttons(history: History, name: str = "run") -> None:
    """Two download buttons; the files are built only when clicked."""
    left, right = st.columns(2)
    left.download_button("Losses (CSV)", lambda: metrics_csv(history), file_name=f"{name}-metrics.csv",
                         mime="text/csv", icon=":material/download:", on_click="ignore")
    right.download_button("Weights (JSON)", lambda: weights_json(history), file_name=f"{name}-weights.json",
                          mime="application/json", icon=":material/download:", on_click="ignore")


NOTEBOOK_CAPTION = "This run written out in numpy, step by step, and checked with scikit-learn."


def notebook_file(config: RunConfig, data: Dataset | None = None) -> str:
    """The .ipynb text (export is imported here, when a button is clicked, not when a page loads)."""
    from export.notebook import notebook_text

    return notebook_text(config, data)


def torch_file(config: RunConfig, data: Dataset | None = None) -> str:
    """The PyTorch script's text, named in its docstring as it will be saved."""
    from export.prelude import file_stem
    from export.torch_script import torch_script

    return torch_script(config, data, file_name=f"{file_stem(config, data)}.py")


def export_buttons(config: RunConfig, data: Dataset | None = None) -> None:
    """At the bottom of the sidebar: the current run as a notebook and as a PyTorch script.

    Both files are built only when clicked (`data` is a callable, `on_click="ignore"` keeps the page
    from rerunning), so drawing the buttons costs nothing on every page. `data` is for a dataset that
    has no name in the registry: its rows are then embedded in the files. Custom data (an upload, added
    points: core.custom_data) is always embedded, since no one else can load it by its name.
    """
    from export.prelude import file_stem

    if data is None and is_custom_name(config.dataset):
        data = load_dataset(config)

    stem = file_stem(config, data)
    with st.sidebar:
        st.download_button("Notebook (.ipynb)", functools.partial(notebook_file, config, data),
                           file_name=f"{stem}.ipynb", mime="application/x-ipynb+json",
                           icon=":material/code_blocks:", on_click="ignore", width="stretch")
        st.download_button("PyTorch script (.py)", functools.partial(torch_file, config, data),
                           file_name=f"{stem}.py", mime="text/x-python", icon=":material/terminal:",
                           on_click="ignore", width="stretch")
        st.caption(NOTEBOOK_CAPTION)
