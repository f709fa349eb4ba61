"""Training in worker processes gives the very numbers training in the server gives, from many threads at
once, and survives a worker that dies."""

from __future__ import annotations

import os
import signal
import threading

import numpy as np
import pytest

import app.pool as pool
from core.config import RunConfig
from core.train import History, train_starts

CONFIGS = [RunConfig(epochs=60), RunConfig(dataset="gaussians", hidden=(5, 3), optimizer="adam",
                                           learning_rate=0.01, epochs=40),
           RunConfig(dataset="iris", symmetry="identical", epochs=40)]


def same(a: History, b: History) -> bool:
    arrays = lambda h: (*h.weights, *h.biases, h.train_loss, h.test_loss, h.test_score, *h.symmetry_gap)  # noqa: E731
    return all(np.array_equal(x, y, equal_nan=True) for x, y in zip(arrays(a), arrays(b), strict=True))


@pytest.mark.parametrize("config", CONFIGS, ids=["moons", "gaussians-adam", "iris-identical"])
def test_a_worker_trains_bit_for_bit_what_the_server_would(config):
    (in_pool,) = pool.train_in_pool([config])
    (inline,) = train_starts([config])
    assert same(in_pool, inline) and in_pool.config == config


def test_plain_kernels_and_batched_starts_pass_through():
    configs = [RunConfig(epochs=30, symmetry=s) for s in ("none", "identical")]
    assert all(same(a, b) for a, b in zip(pool.train_in_pool(configs), train_starts(configs), strict=True))
    plain = pool.train_in_pool(configs[1:], exact_ties=False)[0]
    assert same(plain, train_starts(configs[1:], exact_ties=False)[0])


def test_many_threads_at_once_each_get_their_own_run():
    configs = [RunConfig(epochs=40, seed=seed, hidden=(3 + seed,)) for seed in range(6)]
    results: dict[int, History] = {}

    def student(k: int) -> None:
        results[k] = pool.train_in_pool([configs[k]])[0]

    threads = [threading.Thread(target=student, args=(k,)) for k in range(len(configs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == list(range(len(configs)))
    for k, history in results.items():
        assert history.config == configs[k] and history.weights[0].shape[-1] == 3 + k


def test_waiting_is_called_while_a_run_is_queued_or_running():
    calls = []
    pool.train_in_pool([RunConfig(dataset="digits", hidden=(32,), epochs=400)], waiting=calls.append)
    assert calls and calls[-1] is True  # the run was reported running while it ran


def test_a_killed_worker_is_replaced_and_the_run_retried():
    pool.train_in_pool([RunConfig(epochs=5)])
    workers = list(pool._get_pool()._processes.values())
    os.kill(workers[0].pid, signal.SIGKILL)
    (history,) = pool.train_in_pool([RunConfig(epochs=50)])
    assert same(history, train_starts([RunConfig(epochs=50)])[0])


def test_zero_workers_trains_in_the_server(monkeypatch):
    monkeypatch.setenv("SYMMETRY_LAB_WORKERS", "0")
    assert pool.worker_count() == 0 and pool._get_pool() is None
    (history,) = pool.train_in_pool([RunConfig(epochs=20)])
    assert same(history, train_starts([RunConfig(epochs=20)])[0])
    monkeypatch.setenv("SYMMETRY_LAB_WORKERS", "three")
    assert pool.worker_count() >= 1  # not a number: the cores, not a crash


def test_workers_end_when_the_server_is_killed(tmp_path):
    """A server killed outright cannot shut its pool down; its workers notice and exit on their own."""
    import subprocess
    import sys
    import time
    from pathlib import Path

    script = tmp_path / "server.py"
    script.write_text("import os, time\nfrom core.config import RunConfig\n"
                      "from app.pool import train_in_pool\ntrain_in_pool([RunConfig(epochs=5)])\n"
                      "print(os.getpid(), flush=True)\ntime.sleep(60)\n")
    root = Path(__file__).resolve().parents[2]
    server = subprocess.Popen([sys.executable, str(script)], cwd=root, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(root), "SYMMETRY_LAB_WORKERS": "2"})
    pid = int(server.stdout.readline())

    def children_of(parent: int) -> set[int]:
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == parent:
                    found.add(int(entry.name))
        return found

    family = children_of(pid)
    family |= {grandchild for child in family for grandchild in children_of(child)}
    assert len(family) >= 3  # resource tracker, forkserver, workers
    server.kill()
    server.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in family):
        time.sleep(0.2)
    alive = [p for p in family if Path(f"/proc/{p}/stat").exists()
             and (Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z")]
    assert not alive, f"pool processes outlived the server: {alive}"


@pytest.mark.parametrize("kind", ["animation", "incoming_weights", "loss"])
def test_a_figure_drawn_in_a_worker_is_the_figure_drawn_here(kind):
    """`drawn` (app/presentation.py) builds in the pool: the dict the browser gets is the same to the byte."""
    from app.presentation import drawn
    from core.datasets import load_dataset
    from figures import run_figures
    from figures.finished import figure_dict
    from figures.style import PROJECTOR

    config = RunConfig(hidden=(5, 3), epochs=30)
    history, data = train_starts([config])[0], load_dataset(config)
    in_pool = drawn(run_figures.run_figure, kind, history, data, 1, PROJECTOR)
    assert in_pool == figure_dict(run_figures.run_figure, kind, history, data, 1, PROJECTOR)
    assert in_pool["data"] and in_pool["layout"]["font"]["size"] == PROJECTOR.font_size


def test_without_a_pool_a_figure_is_drawn_here_without_waiting_for_a_training(monkeypatch):
    from app.presentation import drawn
    from figures.charts import loss_figure
    from figures.margins import presize_margins

    monkeypatch.setenv("SYMMETRY_LAB_WORKERS", "0")
    history = train_starts([RunConfig(epochs=10)])[0]
    with pool._inline_lock:  # a training holds the lock: drawing must not queue behind it
        figure = drawn(loss_figure, history)
    assert figure == presize_margins(loss_figure(history).to_dict())


def test_a_worker_never_runs_the_script_streamlit_put_in_main(tmp_path, monkeypatch):
    """Streamlit puts each script run's own module in sys.modules["__main__"] (a file, no import name), and a
    worker started meanwhile would run that file again: dashboard.py, all of Streamlit and a second
    warm-up, which once broke a first page with a half-imported pandas. The pool must start its workers
    without it, whenever they start."""
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "script.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('the worker ran the main script')\n")
    monkeypatch.setenv("SYMMETRY_LAB_WORKERS", "2")
    monkeypatch.setattr(pool, "_pool", None)
    fresh = pool._get_pool()  # created under the test's own __main__; no worker started yet
    try:
        script_module = types.ModuleType("__main__")  # like Streamlit's: a file, no __spec__
        script_module.__file__ = str(script)
        monkeypatch.setitem(sys.modules, "__main__", script_module)
        results = [None, None]

        def ask(k: int) -> None:
            results[k] = pool.run_in_pool(abs, -k - 1)

        threads = [threading.Thread(target=ask, args=(k,)) for k in range(2)]  # both workers start now
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert results == [1, 2]
        assert not marker.exists(), marker.read_text()
    finally:
        fresh.shutdown(wait=True)
