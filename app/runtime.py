"""Process-wide settings for serving many sessions from a small shared container, and the server's warm-up."""

from __future__ import annotations

import functools
import gc
import importlib
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from threadpoolctl import threadpool_limits


@functools.cache
def use_one_blas_thread() -> None:
    """Let numpy's BLAS use one thread per computation, once per server process.

    Our matrices are small, and two BLAS threads on a busy 2-core machine stall each other: training on
    digits took 1.28 s with two threads and 0.15 s with one (moons: 0.087 vs 0.077 s). A classroom server
    runs many sessions at once anyway, so the cores are better spent on separate sessions.
    """
    threadpool_limits(limits=1, user_api="blas")


FIRST_PAGE_MODULES = ("numpy", "scipy.special", "core.train", "core.datasets", "app.chart_library",
                      "app.downloads", "app.malloc", "app.pages", "app.presentation", "app.state",
                      "app.turns", "app.cache",
                      "figures.labels", "figures.network_diagram", "export.data_cells", "export.prelude",
                      "streamlit.emojis", "streamlit.material_icon_names")
"""What the dashboard and Home import: warmed first, so the first page waits only for these (~0.5 s).
Streamlit's own emoji and icon tables (~0.1 s, a large regular expression) are first needed by the page
icons."""

LATER_MODULES = ("scipy.optimize", "plotly.graph_objects", "plotly.io", "core.symmetry", "figures.animation",
                 "figures.charts", "figures.tables", "figures.unit_grids", "app.navigation")
"""What the other pages need that takes long to import; warmed once the first page is out. Not
scikit-learn: no page needs it (the datasets are numpy, core/generators.py), and importing it would bring
pandas and pyarrow too (~110 MB; tests/e2e/test_server_imports.py checks the server never loads them)."""

LATER_AFTER_SECONDS = 2.0
"""Without a first page by then (nobody opened the app yet), the second part of the warm-up starts anyway."""

BROWSER_DRAWS_SECONDS = 1.0
"""After the first page is sent, the browser still loads the widgets' code and draws the page for about a
second (on the same two cores): the second part waits that long, unless a page needs it sooner."""


class _WarmUp:
    """The server's warm-up in two parts, in one background thread started with the server.

    1. The first page's imports and the default dataset. Every script run waits for this part.
    2. Everything else: the other pages' imports, the worker pool. It starts a moment after
       the first script run has finished (BROWSER_DRAWS_SECONDS; or after LATER_AFTER_SECONDS without a
       run), so it takes no CPU from the first page while the browser draws it; a run of any page but Home
       waits for it (and has it start at once), a Home run does not (it imports nothing this part
       imports). Until the workers are up, trainings run in the server (app/pool.py).

    Why two parts: with everything imported up front the first visitor waited ~2.9 s for ~2 s of imports
    (on a 2-core machine that is also starting the browser), and the first page's charts waited for
    plotly.js; now Home has no Plotly chart and needs only part 1 (benchmarks/cold_start.py).
    """

    def __init__(self, modules: Sequence[str]) -> None:
        self.modules = tuple(modules)
        self.first_part = threading.Event()
        self.first_run = threading.Event()  # a first script run has finished
        self.needed = threading.Event()  # a page needs part 2 now
        self.thread = threading.Thread(target=self._run, name="symmetry-lab-warm-up", daemon=True)

    def _run(self) -> None:
        _wait_for_the_server()
        from app.pool import defer_start

        defer_start()  # trainings run here until part 2 has the workers up
        try:
            _import_all(FIRST_PAGE_MODULES)
            from core.config import RunConfig
            from core.datasets import load_dataset

            load_dataset(RunConfig())  # the default dataset, made once and kept by core.datasets
            use_one_blas_thread()  # threadpoolctl scans the loaded libraries once: ~15 ms
            _check_for_a_repl_now()
            gc.freeze()  # the first page's collection (Streamlit's, after every run) skips them: ~70 ms
        finally:
            self.first_part.set()
        if self.first_run.wait(LATER_AFTER_SECONDS):  # (a page that needs part 2 sets both events)
            self.needed.wait(BROWSER_DRAWS_SECONDS)
        _warm_the_rest((*LATER_MODULES, *self.modules))


SERVER_START_TIMEOUT_SECONDS = 5.0
POOL_START_TIMEOUT_SECONDS = 60.0


def _wait_for_the_server() -> None:
    """Return once Streamlit's runtime has started (or after SERVER_START_TIMEOUT_SECONDS): imports in
    this thread would hold the GIL the server needs to start, and a browser cannot ask for the first page
    before the server answers (starting first, it answered 0.3–0.6 s sooner; benchmarks/cold_start.py)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.runtime import RuntimeState

    deadline = time.monotonic() + SERVER_START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL:
            return
        time.sleep(0.02)


def _check_for_a_repl_now() -> None:
    """Streamlit checks once per process, on the first element a page sends, whether it runs in a REPL,
    with `inspect.stack()` on the page's thread: 57 ms of the first page (py-spy), reading the source of
    every frame. Done here, on this short thread's stack, it costs ~1 ms and the first page skips it. (A
    private function: if a Streamlit release renames it, the first page only pays the check again.)"""
    from streamlit import delta_generator

    check = getattr(delta_generator, "_maybe_print_use_warning", None)
    if check is not None:
        check()


def _import_all(modules: Sequence[str]) -> None:
    for name in modules:
        importlib.import_module(name)


def _warm_the_rest(modules: Sequence[str]) -> None:
    from app.pool import warm_up

    # The workers start in their own processes; starting them waits ~1.5 s for the forkserver to import the
    # engine and Plotly (on the other core), so that wait gets a thread of its own and the imports below
    # go on meanwhile.
    starting = threading.Thread(target=warm_up, name="symmetry-lab-pool-start", daemon=True)
    starting.start()
    _import_all(modules)
    # Streamlit runs a full garbage collection after every script run (runner.postScriptGC). With the
    # imported libraries' ~180,000 objects that cost ~0.1 s of the server's one core per page — half of
    # its CPU with a class of 24 (py-spy). Those objects live as long as the server: freezing them keeps
    # every later collection to what the pages themselves made.
    gc.freeze()
    starting.join(POOL_START_TIMEOUT_SECONDS)  # "warm" includes the workers: a page that waited trains there


def lesson_modules(root: Path) -> list[str]:
    """The lessons' own modules under `root` (the repository), all but their page scripts: the pages import
    them, so the warm-up does it first."""
    return [f"lessons.{path.parent.name}.{path.stem}"
            for path in sorted((root / "lessons").glob("*/*.py")) if path.stem != "page"]


def import_everything(root: Path) -> None:
    """What the whole warm-up imports, at once in this thread (e.g. for a benchmark that measures pages as
    a warm server serves them)."""
    _import_all((*FIRST_PAGE_MODULES, *LATER_MODULES, *lesson_modules(root)))


_warming: _WarmUp | None = None


def warm_up_in_background(modules: Sequence[str] = ()) -> threading.Thread:
    """Warm the server up in the background when it starts (see `_WarmUp`), `modules` (e.g. the lessons')
    in the second part. The server answers at once; a teacher's browser spends its first second loading
    Streamlit's JavaScript anyway, and meanwhile the first part is done."""
    global _warming
    _warming = _WarmUp(modules)
    _warming.thread.start()
    return _warming.thread


def wait_until_warm(timeout: float = 60.0, *, whole: bool = False) -> None:
    """Wait for the warm-up's first part (`whole`: for all of it) before a script run imports anything.

    Two threads importing the same package at once can see it half-initialised: Plotly looks pandas up
    in sys.modules while scikit-learn is still importing it, and a first page failed with "partially
    initialized module 'pandas'". So every run waits for the first part, which the dashboard and Home
    need, and a run of any other page for the rest too (asking it to start now). Without a warm-up (tests,
    bare scripts) both return at once.
    """
    warming = _warming
    if warming is None or not warming.thread.is_alive():
        return
    if not whole:
        warming.first_part.wait(timeout)
        return
    warming.needed.set()
    warming.first_run.set()  # no need to wait for one: go on at once
    warming.thread.join(timeout)


def first_run_finished() -> None:
    """Called after every script run: the first one lets the warm-up go on with its second part."""
    warming = _warming
    if warming is not None:
        warming.first_run.set()
