"""Training and figure drawing in worker processes, one per core, so a class's pages use every core of the
container.

Why: Streamlit serves every session from one Python process, and at this app's sizes numpy holds the GIL
most of the time — two trainings in two threads took 2.1–2.8× as long as one, and a class of 24 never got
the server above 1.3 of its 2 cores. So the heavy work — training, and building figures with Plotly's
validation (app/presentation.py `drawn`) — runs in a small pool of processes, while the server's threads
lay out the pages.

How:
- The workers fork from a `forkserver` that has already imported the engine (`core.train`) and Plotly with
  the shared figures, so each starts in milliseconds and shares those pages with it; forkserver (not
  fork) because the server process runs threads, which a plain fork copies in whatever state they are in.
- A worker is handed the dataset with the configs, so it never imports scikit-learn (~100 MB each).
- Results are bit-identical to training (or drawing) in the server: the same code on the same numbers.
- If the pool cannot start, or a worker dies (e.g. killed for memory), the pool is rebuilt once and the
  run retried; after that training happens in the server, one run at a time under a lock (two trainings
  in two threads would only thrash the GIL).

`SYMMETRY_LAB_WORKERS=0` trains in the server (under the lock); any other number sets the pool's size.
This module imports no Streamlit, so a worker that unpickles a task stays light.
"""

from __future__ import annotations

import gc
import importlib.machinery
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from app.malloc import release_free_memory
from app.turns import Turns
from core.config import RunConfig
from core.datasets import Dataset, load_dataset
from core.train import History, train_starts

T = TypeVar("T")
POLL_SECONDS = 0.1
WATCHDOG_SECONDS = 1.0
START_TIMEOUT_SECONDS = 60.0  # a worker that has not answered by then: tasks go to the pool anyway
_pool: ProcessPoolExecutor | None = None
_turn_keeper: Turns | None = None  # who gets a worker next (app/turns.py)
_pool_guard = threading.Lock()
_inline_lock = threading.Lock()  # training in the server: one run at a time
_disabled = False  # set when the pool failed twice: train in the server from then on
_deferred = threading.Event()  # set while the server's warm-up has not started the workers yet


def worker_count() -> int:
    """Pool size: `SYMMETRY_LAB_WORKERS` if set, else the cores this process may use."""
    configured = os.environ.get("SYMMETRY_LAB_WORKERS", "").strip()
    if configured:
        try:
            return max(int(configured), 0)
        except ValueError:
            pass
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker(server_pid: int) -> None:
    """Worker initializer: numpy's BLAS with one thread, as in the server (app/runtime.py says why), and a
    watchdog that ends the worker when the server is gone — a server killed outright (SIGKILL, or SIGTERM
    without Streamlit's handler) cannot shut its pool down, and its workers would linger."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    # Everything the forkserver imported is shared with it page for page until something writes to it; a
    # garbage collection would, by marking every object it scans. Frozen, those objects are never scanned
    # (freezing only moves list heads), so the pages stay shared and count once in the container's PSS.
    gc.freeze()

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid now belongs to another user's process: ours is gone
                os._exit(0)

    threading.Thread(target=watch, name="server-watchdog", daemon=True).start()


def _get_pool() -> ProcessPoolExecutor | None:
    """The shared pool, created on first use (None when training happens in the server)."""
    global _pool
    if _disabled or worker_count() == 0:
        return None
    with _pool_guard:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["core.train", "threadpoolctl", "figures.finished",
                                            "figures.run_figures"])
            _pool = ProcessPoolExecutor(max_workers=worker_count(), mp_context=context,
                                        initializer=_start_worker, initargs=(os.getpid(),))
        return _pool


def _submit(pool: ProcessPoolExecutor, function: Callable[..., T], *args, **kwargs) -> Future[T]:
    """`pool.submit`, with `__main__` made safe first: a submit may start a worker (see below)."""
    _do_not_rerun_main()
    return pool.submit(function, *args, **kwargs)


def _do_not_rerun_main() -> None:
    """Keep workers from re-running the server's main script; `_submit` calls it before every submit.

    multiprocessing runs the parent's `__main__` file again in every new worker when that module has no
    import name — as a `pytest` console script has, and as every Streamlit script run has: Streamlit puts
    the run's own module (dashboard.py, no spec) in sys.modules["__main__"] while it runs. A worker started
    then would run dashboard.py: all of Streamlit, and a second warm-up whose imports raced the worker's
    first figure ("partially initialized module 'pandas'", seen on a first page). A main module whose spec
    is named "__main__" is skipped instead, and our tasks live in importable modules, so the workers need
    nothing from it.
    """
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__spec__", None) is None:
        main.__spec__ = importlib.machinery.ModuleSpec("__main__", None)


def _then_release_memory(function: Callable[..., T], *args, **kwargs) -> T:
    """In the worker: the task, then its freed memory back to the system (app/malloc.py says why)."""
    try:
        return function(*args, **kwargs)
    finally:
        release_free_memory()


def _drop_pool(pool: ProcessPoolExecutor) -> None:
    global _pool
    with _pool_guard:
        if _pool is pool:
            _pool = None
    pool.shutdown(wait=False, cancel_futures=True)


def defer_start() -> None:
    """Run tasks in the server until `warm_up` has the workers up: the server's warm-up calls this first,
    so the first page trains here (a default run takes ~0.1 s) instead of waiting ~1.5 s for a forkserver
    to import the engine, while that import takes no CPU from the first page either (app/runtime.py)."""
    _deferred.set()


def warm_up() -> None:
    """Start the workers now (e.g. when the server starts), so visitors do not wait for them; return once
    they answer. Tasks deferred by `defer_start` go to the pool from then on."""
    try:
        pool = _get_pool()
        if pool is not None:
            started = [_submit(pool, int) for _ in range(worker_count())]  # no-ops: the processes start
            for future in started:
                future.result(timeout=START_TIMEOUT_SECONDS)
    except (BrokenProcessPool, OSError, RuntimeError):
        pass  # run_in_pool rebuilds the pool, or trains in the server, when it next needs one
    finally:
        _deferred.clear()


Waiting = Callable[[bool], None]
"""Called with False while a task waits for a free worker, True once it runs (e.g. a progress bar)."""


def _turns() -> Turns:
    global _turn_keeper
    with _pool_guard:
        if _turn_keeper is None:
            _turn_keeper = Turns(max(worker_count(), 1))
        return _turn_keeper


def run_in_pool(function: Callable[..., T], *args, waiting: Waiting | None = None,
                inline_lock: bool = True, **kwargs) -> T:
    """`function(*args, **kwargs)` in a worker process; the function must be importable by name (a module's
    top-level function) and its arguments picklable.

    Tasks wait for a free worker in the order their pages started (app/turns.py says why). While the
    server is still starting its workers (`defer_start`), they run here instead. `waiting` is
    called every `POLL_SECONDS` while the task waits (False) or runs (True); it runs in the caller's
    thread. Without a pool the call runs here — under the one lock when `inline_lock` (trainings: two in
    two threads would only thrash the GIL), else directly (short tasks such as drawing a figure, which
    should not queue behind a training).
    """
    global _disabled
    for attempt in range(0 if _deferred.is_set() else 2):
        pool = _get_pool()
        if pool is None:
            break
        with _turns().turn(POLL_SECONDS, None if waiting is None else lambda: waiting(False)):
            try:
                future = _submit(pool, _then_release_memory, function, *args, **kwargs)
            except RuntimeError:  # another thread shut this pool down a moment ago: take the next one
                continue
            except (BrokenProcessPool, OSError):
                _drop_pool(pool)
                _disabled = _disabled or attempt == 1
                continue
            try:
                while True:
                    try:
                        return future.result(timeout=POLL_SECONDS)
                    except TimeoutError:
                        if waiting is not None:
                            waiting(True)
            except (BrokenProcessPool, OSError):  # a worker died (killed for memory?): a new pool, once
                _drop_pool(pool)
                _disabled = _disabled or attempt == 1
    if not inline_lock:
        return function(*args, **kwargs)
    with _inline_lock:
        return function(*args, **kwargs)


def train_in_pool(configs: Sequence[RunConfig], *, exact_ties: bool = True, data: Dataset | None = None,
                  waiting: Waiting | None = None) -> list[History]:
    """`core.train.train_starts(configs, exact_ties=…)`, run in a worker process (see `run_in_pool`)."""
    configs = list(configs)
    data = load_dataset(configs[0]) if data is None else data
    return run_in_pool(train_starts, configs, None, exact_ties=exact_ties, data=data, waiting=waiting)
