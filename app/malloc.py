"""Giving freed memory back to the container (glibc only; elsewhere these do nothing).

Why: a container's limit counts the pages a process holds, not the memory Python has freed. glibc keeps
freed blocks for reuse and returns them to the system only from the top of a heap; a worker that just
built a large figure, or a server thread that unpickled a cached run, leaves holes that stay counted. Two
measures, both measured with `benchmarks/memory_test.py` (PSS):

- the server limits glibc to two malloc arenas: by default every thread that finds the others' arenas
  busy gets one of its own (up to 8 per core), and memory freed in one arena cannot serve another;
- after every task (worker) and every page run (server), `malloc_trim` returns the free pages.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

M_ARENA_MAX = -8  # mallopt's parameter number in glibc's malloc.h


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.malloc_trim  # noqa: B018 — only glibc has it (musl, macOS: no)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def limit_arenas(count: int = 2) -> bool:
    """Let this process's threads share at most `count` malloc arenas (True if glibc took the setting)."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_ARENA_MAX, count))


def release_free_memory() -> bool:
    """Return the free pages of every arena to the system (True if some were returned)."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0))
