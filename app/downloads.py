"""Downloads of the data behind the charts: per-epoch metrics as CSV, recorded weights as JSON."""

from __future__ import annotations

import csv
import io
import json

import streamlit as st

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
