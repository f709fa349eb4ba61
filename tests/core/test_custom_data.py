"""Custom data (an upload, added points) is named by content and held by the server: a RunConfig may name
it only while it is registered, a URL never carries it, the budget counts its rows, and a worker process
that unpickles a config knows its sizes without its rows."""

from __future__ import annotations

import gc
import pickle
import subprocess
import sys

import numpy as np
import pytest

from core import custom_data
from core.budget import estimated_seconds, max_epochs
from core.config import ConfigError, RunConfig, capped_to_budget
from core.datasets import dataset_dimensions, load_dataset
from core.uploads import read_upload
from tests.core.test_uploads import blobs, numbers_file


def upload(n: int = 40, d: int = 3, classes: int = 2, seed: int = 0):
    X, labels = blobs(n, d, classes, seed)
    return read_upload(numbers_file(X, labels))


def test_a_config_names_custom_data_only_while_it_is_registered():
    data = upload(seed=11)
    with pytest.raises(ConfigError, match="dataset"):
        RunConfig(dataset=data.name)
    held = custom_data.register(data)
    config = RunConfig(dataset=held.name, epochs=5)
    assert load_dataset(config).n_features == 3
    with pytest.raises(ConfigError, match="one of moons"):
        RunConfig(dataset="upload-0123456789ab")  # the form of a name is not enough


def test_a_url_never_carries_custom_data_even_when_the_server_holds_it():
    held = custom_data.register(upload(seed=12))
    config, warnings = RunConfig.from_query_params({"dataset": held.name, "seed": "3"})
    assert (config.dataset, config.seed) == ("moons", 3)
    assert warnings == [f"URL setting dataset=`{held.name}` ignored (a link cannot carry an uploaded file or "
                        "points added on Your data; upload the file again under Data → Dataset → Your CSV…); "
                        "using moons."]


def test_the_budget_counts_an_uploads_rows_and_inputs():
    small = custom_data.register(upload(n=40, d=3))
    X, labels = blobs(5000, 64, 10)
    large = custom_data.register(read_upload(numbers_file(X, labels, digits=".4g")))
    assert dataset_dimensions(small.name, 400) == (3, 1, 40)
    assert dataset_dimensions(large.name, 400) == (64, 10, 5000)
    settings = {**vars(RunConfig()), "dataset": large.name, "hidden": (64, 64, 64), "epochs": 5000}
    capped, notes = capped_to_budget(settings)
    assert capped["epochs"] == max_epochs(settings) < 5000 and notes
    assert estimated_seconds(RunConfig(**capped)) <= 5.0


def test_data_no_session_holds_is_freed_and_held_data_is_not():
    held = custom_data.register(upload(seed=20))
    dropped = custom_data.register(upload(seed=21)).name
    for seed in range(30, 30 + custom_data.KEEP_RECENT):  # push both out of the recent list
        custom_data.register(upload(seed=seed))
    gc.collect()
    assert custom_data.lookup(dropped) is None
    with pytest.raises(ConfigError, match="no longer holds; upload the file again"):
        custom_data.load(dropped, 0)
    assert custom_data.lookup(held.name) is held  # a session still holds it


def test_a_worker_process_knows_a_pickled_configs_data_without_its_rows():
    held = custom_data.register(upload(n=60, d=2, classes=3, seed=40))
    config = RunConfig(dataset=held.name, hidden=(4,), epochs=3)
    blob = pickle.dumps((config, load_dataset(config)))
    code = ("import pickle, sys; from core.train import train_starts; from core.datasets import "
            "dataset_dimensions; c, d = pickle.loads(sys.stdin.buffer.read()); h = train_starts("
            "[c.replace(epochs=2)], data=d)[0]; print(dataset_dimensions(c.dataset, 0), h.task.name, "
            "h.epochs_completed)")
    result = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True, check=True)
    assert result.stdout.decode().split() == ["(2,", "3,", "60)", "classification", "2"]
    again = pickle.loads(pickle.dumps(config))
    assert again == config and hash(again) == hash(config)


def test_names_are_content_and_not_guessable_forms():
    assert custom_data.content_name(b"a", b"bc") != custom_data.content_name(b"ab", b"c")
    assert custom_data.is_custom_name("upload-0123456789ab")
    for name in ("upload-0123", "upload-0123456789AB", "moons", None, 3, "upload-0123456789abc"):
        assert not custom_data.is_custom_name(name)
    assert np.isfinite(upload().X).all()
