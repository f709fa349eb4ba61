"""Whose task a free worker takes next: the page that started first.

Why: a page sends the pool several tasks one after the other (a training, then its figures), and each
waits for the one before. In a plain first-come queue every one of those tasks queues behind the tasks
every other session sent meanwhile, so with a class of 24 on the same page all 24 pages finish together,
at the end of all the work. Served in the order the pages started, the first page's tasks go ahead of
later pages' and pages finish one after another: the same work, but half the class waits half as long
(N = 24, `benchmarks/load_test.py`).

How: at most `count` tasks are in the pool at once (one per worker). A task that finds every slot taken
waits in line, ordered by its page's start (`page_started`, set per script run by the dashboard; a thread
that never set it lines up by the time it asks). A finishing task hands its slot straight to the first in
line. A waiter that gives up (its page was stopped) leaves the line, or passes on the slot it was handed.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_page = threading.local()


def page_started(started: float | None = None) -> None:
    """Mark the calling thread's page as started at `started` (`time.monotonic()`; now if None): its pool
    tasks then line up behind pages that started earlier and ahead of those that started later."""
    _page.started = time.monotonic() if started is None else started


def _priority() -> float:
    return getattr(_page, "started", None) or time.monotonic()


class _Waiter:
    __slots__ = ("gone", "handed")

    def __init__(self) -> None:
        self.handed = threading.Event()  # set when a finishing task gives this waiter its slot
        self.gone = False  # set when the waiter stopped waiting before it got a slot


class Turns:
    """`count` slots, handed out by page start (earliest first) to whoever waits for one."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._line: list[tuple[float, int, _Waiter]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()

    @property
    def waiting(self) -> int:
        """How many tasks wait in line (gone waiters not counted)."""
        with self._lock:
            return sum(not waiter.gone for _, _, waiter in self._line)

    @contextmanager
    def turn(self, poll_seconds: float = 0.1,
             still_waiting: Callable[[], None] | None = None) -> Iterator[None]:
        """Hold one slot for the body of the `with`. While in line, `still_waiting()` is called every
        `poll_seconds` (a progress bar; if it raises — the page was stopped — the waiter leaves the line)."""
        waiter = None
        with self._lock:
            if self._free > 0 and not self._line:
                self._free -= 1
            else:
                waiter = _Waiter()
                heapq.heappush(self._line, (_priority(), next(self._order), waiter))
        if waiter is not None:
            try:
                while not waiter.handed.wait(poll_seconds):
                    if still_waiting is not None:
                        still_waiting()
            except BaseException:
                with self._lock:
                    waiter.gone = True
                    handed = waiter.handed.is_set()
                if handed:  # the slot arrived as we gave up: pass it on
                    self._release()
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            while self._line:
                _, _, waiter = heapq.heappop(self._line)
                if not waiter.gone:
                    waiter.handed.set()
                    return
            self._free += 1
