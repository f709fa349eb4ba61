"""Helpers for the export tests: run an exported notebook's code, read its printed numbers, compare them
with the app's History.

Agreement is judged as |found − app| ≤ 1e-9 · max(1, |app|): absolute for losses and small gaps (below 1),
relative for gaps of several units, so a gap of 7.14 may differ in its 10th significant digit and a loss
of 0.15 in its 10th decimal.
"""

from __future__ import annotations

import contextlib
import io
import re
from typing import Any

import numpy as np
from nbformat import NotebookNode

from core.train import History

TOLERANCE = 1e-9
FINAL_LINE = re.compile(r"^(final [^:]+): (\S+)$", re.MULTILINE)
SKLEARN_DIFFERENCE = re.compile(r"largest difference between scikit-learn's weights and ours: (\S+)")


def exec_notebook(notebook: NotebookNode) -> tuple[dict[str, Any], str]:
    """Run every code cell in one fresh namespace, in order (no kernel): its globals and all it printed."""
    namespace: dict[str, Any] = {"__name__": "exported_notebook"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                exec(compile(cell.source, f"<cell {index}>", "exec"), namespace)
    return namespace, printed.getvalue()


def printed_finals(text: str) -> dict[str, float]:
    """The "final …: value" lines a notebook or script prints, as numbers."""
    return {name: float(value) for name, value in FINAL_LINE.findall(text)}


def app_finals(history: History) -> dict[str, float]:
    """The same quantities from the app's History."""
    finals = {"final train loss": float(history.train_loss[-1]),
              "final test loss": float(history.test_loss[-1])}
    for layer, gaps in enumerate(history.symmetry_gap):
        finals[f"final symmetry gap, hidden layer {layer + 1}"] = float(gaps[-1])
    return finals


def largest_disagreement(found: dict[str, float], history: History) -> float:
    """The largest |found − app| / max(1, |app|) over every final quantity (all must be printed)."""
    expected = app_finals(history)
    assert set(found) == set(expected), (sorted(found), sorted(expected))
    return max(abs(found[name] - value) / max(1.0, abs(value)) for name, value in expected.items())


def weight_difference(params_a, params_b) -> float:
    """The largest |difference| of any weight or bias between two networks (lists of (W, b))."""
    return max(float(np.abs(np.asarray(x) - np.asarray(y)).max())
               for layer_a, layer_b in zip(params_a, params_b, strict=True)
               for x, y in zip(layer_a, layer_b, strict=True))


def sklearn_difference(text: str) -> float | None:
    """The difference the scikit-learn cross-check printed, or None if it did not run."""
    match = SKLEARN_DIFFERENCE.search(text)
    return float(match.group(1)) if match else None
