"""Process-wide settings for serving many sessions from a small shared container."""

from __future__ import annotations

import functools

from threadpoolctl import threadpool_limits


@functools.cache
def use_one_blas_thread() -> None:
    """Let numpy's BLAS use one thread per computation, once per server process.

    Our matrices are small, and two BLAS threads on a busy 2-core machine stall each other: training on
    digits took 1.28 s with two threads and 0.15 s with one (moons: 0.087 vs 0.077 s). A classroom server
    runs many sessions at once anyway, so the cores are better spent on separate sessions.
    """
    threadpool_limits(limits=1, user_api="blas")
