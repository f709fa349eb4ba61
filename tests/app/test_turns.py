"""Free workers go to the page that started first, no slot is ever lost, a stopped page leaves the line."""

from __future__ import annotations

import threading
import time

import pytest

from app.turns import Turns, page_started


def _wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_waiters_get_the_slot_in_the_order_their_pages_started_not_the_order_they_asked():
    turns, served = Turns(1), []
    holder_in, holder_out = threading.Event(), threading.Event()

    def holder() -> None:
        with turns.turn():
            holder_in.set()
            holder_out.wait(10)

    def page(started: float) -> None:
        page_started(started)
        with turns.turn(poll_seconds=0.01):
            served.append(started)

    first = threading.Thread(target=holder)
    first.start()
    holder_in.wait(10)
    pages = [threading.Thread(target=page, args=(started,)) for started in (30.0, 10.0, 20.0, 40.0)]
    for index, thread in enumerate(pages):  # they ask in the order 30, 10, 20, 40
        thread.start()
        _wait_for(lambda count=index + 1: turns.waiting == count)
    holder_out.set()
    for thread in (first, *pages):
        thread.join(10)
    assert served == [10.0, 20.0, 30.0, 40.0]


def test_never_more_tasks_at_once_than_slots_and_every_slot_comes_back():
    turns, lock = Turns(2), threading.Lock()
    inside, most = [0], [0]

    def task() -> None:
        with turns.turn(poll_seconds=0.001):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.002)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=task) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert most[0] == 2 and inside[0] == 0
    assert turns._free == 2 and turns.waiting == 0


def test_a_page_stopped_while_waiting_leaves_the_line_and_the_next_one_is_served():
    turns, served = Turns(1), []
    release = threading.Event()

    class PageStoppedError(Exception):
        pass

    def stop() -> None:
        raise PageStoppedError

    def holder() -> None:
        with turns.turn():
            release.wait(10)

    def stopped_page() -> None:
        page_started(1.0)
        with pytest.raises(PageStoppedError), turns.turn(poll_seconds=0.01, still_waiting=stop):
            served.append("stopped page")  # never reached

    def next_page() -> None:
        page_started(2.0)
        with turns.turn(poll_seconds=0.01):
            served.append("next page")

    threads = [threading.Thread(target=holder)]
    threads[0].start()
    _wait_for(lambda: turns._free == 0)
    threads += [threading.Thread(target=stopped_page), threading.Thread(target=next_page)]
    for thread in threads[1:]:
        thread.start()
    threads[1].join(10)  # the stopped page gave up at its first poll
    release.set()
    for thread in threads:
        thread.join(10)
    assert served == ["next page"] and turns._free == 1 and turns.waiting == 0


def test_a_slot_handed_to_a_waiter_that_gives_up_is_passed_on():
    """The race the hand-over guards against: the slot arrives just as the waiter's page is stopped."""
    turns = Turns(1)
    with turns.turn():
        pass
    turns._free = 0  # as if a task held the slot

    handed_then_stopped = threading.Event()

    def stop_after_hand_over() -> None:
        turns._release()  # the holder finishes and hands us the slot …
        handed_then_stopped.set()
        raise KeyboardInterrupt  # … and at that very moment our page is stopped

    with pytest.raises(KeyboardInterrupt), turns.turn(poll_seconds=0.001, still_waiting=stop_after_hand_over):
        pass
    assert handed_then_stopped.is_set() and turns._free == 1  # passed on: back in the free count
