"""Process-wide settings for serving many sessions from a small shared container."""

from __future__ import annotations

import functools
import gc
import importlib
import threading
from collections.abc import Sequence

from threadpoolctl import threadpool_limits


@functools.cache
def use_one_blas_thread() -> None:
    """Let numpy's BLAS use one thread per computation, once per server process.

    Our matrices are small, and two BLAS threads on a busy 2-core machine stall each other: training on
    digits took 1.28 s with two threads and 0.15 s with one (moons: 0.087 vs 0.077 s). A classroom server
    runs many sessions at once anyway, so the cores are better spent on separate sessions.
    """
    threadpool_limits(limits=1, user_api="blas")


WARM_MODULES = ("numpy", "scipy.special", "plotly.graph_objects", "plotly.io", "sklearn.datasets",
                "sklearn.model_selection", "core.train", "core.symmetry", "figures.animation",
                "figures.charts", "figures.network_diagram", "figures.unit_grids", "app.cache", "app.state",
                "app.navigation")
"""What the first page needs that takes long to import (scikit-learn alone ~1.5 s, Plotly ~0.5 s)."""


def _warm(modules: Sequence[str]) -> None:
    from app.pool import warm_up
    from core.config import RunConfig
    from core.datasets import load_dataset

    # The workers start in their own processes; starting them waits ~1.5 s for the forkserver to import the
    # engine and Plotly (on the other core), so that wait gets a thread of its own and the imports below
    # go on meanwhile.
    threading.Thread(target=warm_up, name="symmetry-lab-pool-start", daemon=True).start()
    for name in (*WARM_MODULES, *modules):
        importlib.import_module(name)
    load_dataset(RunConfig())  # the default dataset, made once and kept by core.datasets
    # Streamlit runs a full garbage collection after every script run (runner.postScriptGC). With the
    # imported libraries' ~180,000 objects that cost ~0.1 s of the server's one core per page — half of
    # its CPU with a class of 24 (py-spy). Those objects live as long as the server: freezing them keeps
    # every later collection to what the pages themselves made.
    gc.freeze()


_warming: threading.Thread | None = None


def warm_up_in_background(modules: Sequence[str] = ()) -> threading.Thread:
    """Import what the first page needs (and `modules`, e.g. the lessons'), start the training pool and make
    the default dataset — in a background thread, when the server starts. The server answers at once; a
    teacher's browser spends its first seconds loading Streamlit's JavaScript anyway, and meanwhile this
    work is done, so the first page does not wait for it. Every script run calls `wait_until_warm` first
    (see there why)."""
    global _warming
    _warming = threading.Thread(target=_warm, args=(tuple(modules),), name="symmetry-lab-warm-up",
                                daemon=True)
    _warming.start()
    return _warming


def wait_until_warm(timeout: float = 60.0) -> None:
    """Wait for the warm-up to finish before a script run imports anything.

    Two threads importing the same package at once can see it half-initialised: Plotly looks pandas up
    in sys.modules while scikit-learn is still importing it, and a first page failed with "partially
    initialized module 'pandas'". So the first run waits (for what is left of ~2 s); later runs return
    at once.
    """
    if _warming is not None and _warming.is_alive():
        _warming.join(timeout)
