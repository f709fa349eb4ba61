"""Exported notebooks executed as a student would run them: a fresh Jupyter kernel (nbclient, kernel
`python3`), its working directory outside the repository so nothing of the app could be imported. The
numbers each one prints equal the app's `History` to 1e-9·max(1, |value|) (tests/export/runs.py).

One kernel per notebook, five notebooks: the default settings exactly once (500 epochs), then few epochs
for the rest, whose settings are grouped so that each named case is covered — an identical start, three
classes, two hidden layers, regression, minibatches with momentum, Adam, dropout, L2.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from core.config import RunConfig
from core.train import train
from export.notebook import build_notebook
from tests.export.runs import TOLERANCE, largest_disagreement, printed_finals, sklearn_difference

nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (requirements-dev.txt has it)")

NOTEBOOKS = {
    "default": RunConfig(),
    "identical-two-layers": RunConfig(symmetry="identical", hidden=(7, 5), epochs=40),
    "3-classes-adam-l2": RunConfig(dataset="blobs", optimizer="adam", learning_rate=0.02, l2=0.3, epochs=8),
    "regression-momentum": RunConfig(dataset="plane", optimizer="momentum", learning_rate=0.05, epochs=8),
    "dropout-two-layers": RunConfig(hidden=(8, 8), optimizer="sgd", dropout=0.2, epochs=8),
}


@pytest.fixture(scope="module")
def python3_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The `python3` kernel of this very interpreter. ipykernel normally provides it; if this
    environment has no such kernelspec, one is written to a temporary Jupyter path for these tests."""
    if "python3" in KernelSpecManager().find_kernel_specs():
        yield "python3"
        return
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter")
    install(kernel_name="python3", prefix=str(prefix))
    previous = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    try:
        yield "python3"
    finally:
        if previous is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = previous


def printed_text(notebook: nbformat.NotebookNode) -> str:
    """Everything the executed cells printed to stdout, in order."""
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.outputs if output.output_type == "stream" and output.name == "stdout")


@pytest.mark.parametrize("config", NOTEBOOKS.values(), ids=NOTEBOOKS.keys())
def test_an_executed_notebook_prints_the_apps_numbers(config, python3_kernel, tmp_path: Path):
    notebook = build_notebook(config)
    client = nbclient.NotebookClient(notebook, kernel_name=python3_kernel, timeout=300,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    printed = printed_text(notebook)
    history = train(config)
    assert largest_disagreement(printed_finals(printed), history) <= TOLERANCE
    if config.dropout > 0:
        assert "The scikit-learn cross-check is skipped because scikit-learn's MLP has no dropout." in printed
    else:
        assert sklearn_difference(printed) <= TOLERANCE
    if config.symmetry == "identical":
        assert all(value == 0.0 for name, value in printed_finals(printed).items() if "gap" in name)
    assert "identical start, gaps after" in printed and "with dropout, gaps after" in printed


def test_an_uploads_notebook_embeds_its_rows_and_prints_the_apps_numbers(python3_kernel, tmp_path: Path):
    """An uploaded CSV has no name anyone else could load: the notebook carries its split rows, and run
    in a kernel it ends on the app's numbers (the sidebar's export passes the upload's Dataset)."""
    from core.custom_data import register
    from core.datasets import load_dataset
    from core.uploads import read_upload
    from tests.core.test_uploads import blobs, numbers_file

    X, labels = blobs(90, 3, 3, seed=8)
    upload = register(read_upload(numbers_file(X, labels)))
    config = RunConfig(dataset=upload.name, hidden=(5,), optimizer="adam", learning_rate=0.02, epochs=15)
    notebook = build_notebook(config, load_dataset(config))
    assert "its rows are embedded below" in notebook.cells[0].source
    nbclient.NotebookClient(notebook, kernel_name=python3_kernel, timeout=300,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    printed = printed_text(notebook)
    assert "67 training rows, 23 test rows, 3 inputs" in printed
    assert largest_disagreement(printed_finals(printed), train(config)) <= TOLERANCE
    assert sklearn_difference(printed) <= TOLERANCE
