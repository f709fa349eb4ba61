"""Same URL ⇒ same pictures, in any process: a shared link must reopen exactly the demo the teacher saw.

Two fresh Python processes parse the same URL query params, train, build the figures the pages draw and
print a sha256 of their JSON. They must agree bit for bit, with each other and with this process — and a
different seed must give a different hash, so the test can fail. Each process gets its own
PYTHONHASHSEED, so nothing may depend on the order of a set or dict of strings, and nothing on a clock,
a global random state or the process id.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from core.config import RunConfig
from core.datasets import load_dataset
from core.train import train
from figures import animation, charts, network_diagram, style

ROOT = Path(__file__).resolve().parents[2]

# Minibatches and dropout draw from the seeded streams too, and two layers exercise the animation's
# layer choice: the URL a student would share after exploring a little.
URL = {"dataset": "xor", "hidden": "5-3", "seed": "11", "epochs": "60", "optimizer": "sgd",
       "batch_size": "16", "dropout": "0.1", "learning_rate": "0.3", "noise": "0.3"}


def figure_digest(params: Mapping[str, str]) -> str:
    """sha256 over the JSON of the figures the Home and Weight-trajectories pages draw for this URL
    (figures.run_figures.RUN_FIGURES and the network diagram, every hidden layer, one in projector style),
    and their number."""
    config, warnings = RunConfig.from_query_params(params)
    assert not warnings, warnings
    history, data = train(config), load_dataset(config)
    figures = [charts.loss_figure(history), charts.accuracy_figure(history),
               charts.loss_figure(history, style.PROJECTOR)]
    for layer in range(len(config.hidden)):
        figures += [animation.training_animation(history, data, layer),
                    charts.unit_weights_figure(history, layer), charts.output_weights_figure(history, layer)]
    digest = hashlib.sha256(network_diagram.network_diagram([data.n_features, *config.hidden,
                                                             data.n_outputs]).encode())
    for figure in figures:
        digest.update(figure.to_json().encode())
    return f"{digest.hexdigest()} {len(figures)}"


PROGRAM = "import json, sys; from tests.core.test_determinism import figure_digest; " \
          "print(figure_digest(json.loads(sys.argv[1])))"


def _start(params: Mapping[str, str], hash_seed: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", PROGRAM, json.dumps(params)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _result(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, f"the figure process failed:\n{err}"
    return out.strip()


def test_same_url_gives_identical_figures_in_two_fresh_processes():
    first, second = _start(URL, "1"), _start(URL, "2")  # in parallel: each pays for its imports
    here, other_seed = figure_digest(URL), figure_digest({**URL, "seed": "12"})
    a, b = _result(first), _result(second)
    assert a == b, "the same URL gave different figures in two fresh processes"
    assert a == here, "a fresh process drew other figures than this (warm) one"
    assert int(a.split()[1]) >= 7  # animation and unit charts of both layers, not only a title
    assert other_seed != a, "another seed gave the same figures: the hash does not see the run"
