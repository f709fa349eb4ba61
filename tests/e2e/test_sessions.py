"""Students on one server never see each other's settings (the real server, over its websocket protocol).

Four sessions run at once against the `app_server` fixture, each through benchmarks/_protocol.py (no
browser needed, so these run wherever the server starts): open home with their own seed and hidden
layers, switch pages, type a new seed, go home. Every step must show the session's own values in the
sidebar boxes, and the home page must show the largest unit difference computed here for the session's
own settings — the server trained *this* session's network, not a neighbour's cached one.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from benchmarks._protocol import ProtocolSession, Run, home_gap
from core.config import RunConfig

SESSIONS = [(11, "3"), (12, "5"), (13, "4-4"), (14, "2")]  # (seed, hidden): distinct for every session
NEW_SEED = 100  # each session adds its index: 100, 101, …


async def student(url: str, index: int, start: asyncio.Event) -> list[str]:
    """One session's steps; returns what it saw wrong (empty when it only ever saw its own settings)."""
    seed, hidden = SESSIONS[index]
    wrong: list[str] = []

    def check(step: str, run: Run, expected_seed: int, home: bool) -> None:
        if run.query_string is not None:  # the address bar takes the URL the app writes, and the page
            session.query_string = run.query_string  # links carry it (app/navigation.py)
        shown = (session.shown.get("Seed"), session.shown.get("Hidden layers"))
        if shown != (str(expected_seed), hidden):
            wrong.append(f"session {index} {step}: sidebar shows {shown}, "
                         f"expected ({expected_seed}, {hidden})")
        wrong.extend(f"session {index} {step}: {text}" for text in run.exceptions)
        if home and run.metric("Largest unit difference") != home_gap(expected_seed, hidden):
            wrong.append(f"session {index} {step}: home shows {run.metric('Largest unit difference')}, "
                         f"expected {home_gap(expected_seed, hidden)}")

    async with ProtocolSession(url, timeout_s=120) as session:
        await start.wait()
        check("open home", await session.open("", f"seed={seed}&hidden={hidden}"), seed, home=True)
        check("weight trajectories", await session.switch("weight-trajectories"), seed, home=False)
        check("seed typed", await session.set_number("Seed", NEW_SEED + index), NEW_SEED + index, home=False)
        check("home again", await session.switch(""), NEW_SEED + index, home=True)
    return wrong


async def class_of_four(url: str) -> list[str]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(student(url, index, start)) for index in range(len(SESSIONS))]
    await asyncio.sleep(0.2)
    start.set()  # all together, so their runs overlap on the server
    return [problem for found in await asyncio.gather(*tasks) for problem in found]


def test_concurrent_sessions_each_see_only_their_own_settings(app_server):
    # On a thread of its own: Playwright's sync API (the browser tests) keeps an event loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        problems = thread.submit(asyncio.run, class_of_four(app_server)).result(timeout=300)
    assert not problems, "\n".join(problems)


def test_the_check_would_notice_another_sessions_run():
    """The home-page check can tell the sessions apart: their largest unit differences all differ, for
    settings the app takes as they are (no warning, so the server runs exactly these)."""
    for seed, hidden in SESSIONS:
        for session_seed in (seed, NEW_SEED):
            assert not RunConfig.from_query_params({"seed": str(session_seed), "hidden": hidden})[1]
    gaps = {home_gap(seed, hidden) for seed, hidden in SESSIONS}
    assert len(gaps) == len(SESSIONS)
