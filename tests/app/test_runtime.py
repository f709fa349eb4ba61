"""The server's warm-up (app/runtime.py): the first page waits only for its own part, every other page for
all of it, and nothing waits without a warm-up; until the workers are up, tasks run in the server."""

from __future__ import annotations

import os
import threading
import time

import pytest

import app.pool as pool
import app.runtime as runtime

PART_TWO_SECONDS = 0.3  # how long the stand-in second part takes


@pytest.fixture
def warm_up(monkeypatch):
    """A warm-up whose parts are stand-ins that record when they ran; returns its record."""
    record: dict[str, float] = {}
    part_two_done = threading.Event()

    def first_part(modules):
        if modules == runtime.FIRST_PAGE_MODULES:
            record["first part"] = time.monotonic()

    def second_part(modules):
        record["second part starts"] = time.monotonic()
        time.sleep(PART_TWO_SECONDS)
        record["second part ends"] = time.monotonic()
        part_two_done.set()

    monkeypatch.setattr(runtime, "_wait_for_the_server", lambda: None)
    monkeypatch.setattr(runtime, "_import_all", first_part)
    monkeypatch.setattr(runtime, "_warm_the_rest", second_part)
    monkeypatch.setattr(runtime, "LATER_AFTER_SECONDS", 5.0)
    monkeypatch.setattr(runtime, "BROWSER_DRAWS_SECONDS", 0.5)

    def start():
        record["started"] = time.monotonic()
        return runtime.warm_up_in_background(("lessons.many_seeds.analysis",))

    yield start, record, part_two_done
    part_two_done.wait(10)
    monkeypatch.setattr(runtime, "_warming", None)
    pool._deferred.clear()


def test_without_a_warm_up_nothing_waits(monkeypatch):
    monkeypatch.setattr(runtime, "_warming", None)
    started = time.monotonic()
    runtime.wait_until_warm()
    runtime.wait_until_warm(whole=True)
    runtime.first_run_finished()
    assert time.monotonic() - started < 0.05


def test_the_first_page_waits_for_the_first_part_only(warm_up):
    start, record, _ = warm_up
    start()
    runtime.wait_until_warm()
    assert "first part" in record and "second part ends" not in record


def test_the_second_part_waits_for_the_first_page_and_then_for_the_browser(warm_up):
    start, record, done = warm_up
    start()
    runtime.wait_until_warm()
    time.sleep(0.3)
    assert "second part starts" not in record  # no page yet, and LATER_AFTER_SECONDS is far off
    finished = time.monotonic()
    runtime.first_run_finished()
    assert done.wait(5)
    assert record["second part starts"] - finished >= runtime.BROWSER_DRAWS_SECONDS - 0.01


def test_a_page_that_needs_the_second_part_has_it_start_at_once_and_waits_for_it(warm_up):
    start, record, _ = warm_up
    start()
    runtime.wait_until_warm()
    asked = time.monotonic()
    runtime.wait_until_warm(whole=True)
    assert "second part ends" in record
    assert record["second part starts"] - asked < 0.2  # neither LATER_AFTER_SECONDS nor the browser's second


def test_without_any_visitor_the_second_part_starts_on_its_own(warm_up, monkeypatch):
    monkeypatch.setattr(runtime, "LATER_AFTER_SECONDS", 0.2)
    start, record, done = warm_up
    start()
    assert done.wait(5)
    assert record["second part starts"] - record["started"] < 0.2 + 0.2


def _pid() -> int:
    return os.getpid()


def test_until_the_workers_are_up_tasks_run_in_the_server():
    try:
        pool.defer_start()
        assert pool.run_in_pool(_pid) == os.getpid()
        pool.warm_up()  # starts the workers and waits for them
        assert not pool._deferred.is_set()
        assert pool.run_in_pool(_pid) != os.getpid()
    finally:
        pool._deferred.clear()


def test_the_repl_check_is_done_off_the_first_page():
    """Streamlit's once-per-process REPL check (inspect.stack() on the first page's thread, 57 ms) is done
    by the warm-up instead, so the first page finds it done."""
    from streamlit import delta_generator

    runtime._check_for_a_repl_now()
    assert delta_generator._use_warning_has_been_displayed
