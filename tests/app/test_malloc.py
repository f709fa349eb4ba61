"""Giving memory back works where glibc is, and is a harmless no-op where it is not."""

from __future__ import annotations

import platform

import pytest

from app import malloc


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                    reason="malloc_trim and mallopt are glibc's")
def test_glibc_takes_the_arena_limit_and_trims_what_was_freed():
    def resident_mb() -> float:
        return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20

    assert malloc.limit_arenas(2) is True
    blocks = [bytes(2000) + bytes([k % 256]) for k in range(40_000)]  # ~80 MB of malloc'd blocks…
    before = resident_mb()
    del blocks  # …freed, but kept by malloc (the process still holds the pages) until trimmed
    assert malloc.release_free_memory() is True
    assert resident_mb() < before - 40


def test_without_glibc_both_do_nothing(monkeypatch):
    monkeypatch.setattr(malloc, "_glibc", lambda: None)
    assert malloc.limit_arenas() is False and malloc.release_free_memory() is False
