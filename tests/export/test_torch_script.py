"""The PyTorch script: plain Python that imports nothing of the app, and — where PyTorch is installed —
prints the app's final losses and gaps to 1e-9·max(1, |value|), an identical start's gaps exactly 0.0."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import RunConfig
from core.datasets import Dataset, load_dataset
from core.train import train
from export.torch_script import torch_script
from tests.export.runs import TOLERANCE, largest_disagreement, printed_finals

APP_IMPORT = re.compile(r"^\s*(from|import)\s+(core|app|export|figures|lessons|streamlit)\b", re.MULTILINE)

SCRIPTS = {
    "default-100-epochs": RunConfig(epochs=100),
    "identical-two-layers": RunConfig(symmetry="identical", hidden=(7, 5), epochs=40),
    "3-classes-adam": RunConfig(dataset="blobs", optimizer="adam", learning_rate=0.02, epochs=8),
    "regression-momentum-l2": RunConfig(dataset="plane", optimizer="momentum", learning_rate=0.05, l2=0.3,
                                        epochs=8),
    "dropout-l1-two-layers": RunConfig(hidden=(8, 8), optimizer="sgd", dropout=0.2, l1=0.1, epochs=8),
    "no-hidden-layer": RunConfig(hidden=(), epochs=20),
}

# Runs every script in one interpreter, so PyTorch is imported once: each script's output follows a
# line "=== <path>".
RUNNER = """\
import contextlib, io, runpy, sys
import torch
torch.set_num_threads(1)
for path in sys.argv[1:]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        runpy.run_path(path, run_name="__main__")
    print("=== " + path)
    print(printed.getvalue())
"""


@pytest.mark.parametrize("config", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_the_script_is_plain_python_that_imports_nothing_of_the_app(config):
    text = torch_script(config, file_name="symmetry-lab-moons-seed0.py")
    compile(text, "script.py", "exec")
    assert not APP_IMPORT.search(text)
    assert "python symmetry-lab-moons-seed0.py" in text and "import torch" in text


def test_names_from_outside_cannot_break_the_script():
    """An upload's names (its file, its columns) end up in the docstring and a string literal."""
    data = load_dataset(RunConfig(n_samples=40))
    tricky = Dataset('a """name\\', data.X_train, data.y_train, data.X_test, data.y_test,
                     feature_names=('x1 """', "x2,\n"), class_names=data.class_names)
    compile(torch_script(RunConfig(), tricky, file_name="a.py"), "a.py", "exec")


@pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                    reason="PyTorch is not installed (too large for CI)")
def test_the_script_prints_the_apps_numbers_in_pytorch(tmp_path: Path):
    paths = []
    for name, config in SCRIPTS.items():
        path = tmp_path / f"{name}.py"
        path.write_text(torch_script(config, file_name=path.name), encoding="utf-8")
        paths.append(str(path))
    result = subprocess.run([sys.executable, "-c", RUNNER, *paths], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600, env=os.environ | {"OMP_NUM_THREADS": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    outputs = dict(re.findall(r"^=== (\S+)\n(.*?)(?=^=== |\Z)", result.stdout, re.MULTILINE | re.DOTALL))
    for path, config in zip(paths, SCRIPTS.values(), strict=True):
        finals = printed_finals(outputs[path])
        assert largest_disagreement(finals, train(config)) <= TOLERANCE, path
        if config.symmetry == "identical":
            assert all(value == 0.0 for name, value in finals.items() if "gap" in name)
