"""Does the server's memory stay bounded? 50 distinct configurations, one after another, on one server.

    python benchmarks/memory_test.py [--configs 50] [--limit-mb 600] [--driver protocol|browser]
    python benchmarks/memory_test.py --heavy-at-once 6

Starts `streamlit run dashboard.py` on a free loopback port (as load_test.py does) and opens 50 distinct
configurations in turn, one session each (websocket sessions by default, or headless Chromium tabs) —
every dataset, one to three hidden layers up to 64 units wide, different seeds and epochs — each on one
page of `app.pages.PAGES` (rotating, so every page gets several) and then switched to the next page in the
same session. A community-cloud container has about
1 GB for the whole class, so the server must stay under 600 MB however many settings the students try:
every cache in the app must be bounded and no session may keep its own copy of the big arrays.

Prints the server's RSS and PSS (process and children, from /proc) after every 10 configurations and the
peaks (sampled every 0.2 s); exit status 1 when the PSS — what the container's limit counts — goes above
the limit, or if any page shows an exception.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.pages import PAGES
from benchmarks._protocol import ProtocolSession
from benchmarks._server import (
    CHROMIUM_ARGS,
    MB,
    Server,
    chromium_path,
    exit_on_sigterm,
    nav_link,
    new_session_page,
    page_state,
    running_server,
    timed_until_finished,
)
from core.config import DATASET_NAMES, RunConfig

LIMIT_MB = 600.0
STEP_TIMEOUT_S = 120.0
REPORT_EVERY = 10
# Widths from one to three layers, narrow to the widest allowed: the 3 × 64 ones hit the recording budget
# (MAX_RECORDED_VALUES) on digits, the biggest History the trainer makes.
HIDDEN = ("8", "16-16", "32-16-8", "64", "4", "64-64-64", "2-2", "24-12", "64-64", "12-12-12", "1", "48")
# Past ~200 epochs a History holds its most snapshots (MAX_SNAPSHOTS), so longer runs would only cost time.
EPOCHS = (150, 200, 300, 400, 500)


def configurations(count: int) -> list[dict[str, str]]:
    """`count` distinct URL query strings (as dicts): dataset, hidden, seed and epochs all vary.

    Every one differs in its seed, so no two share a cache entry; settings over the compute budget are
    capped by the app (with a warning), which is part of what a class will do.
    """
    return [
        {"dataset": DATASET_NAMES[k % len(DATASET_NAMES)], "hidden": HIDDEN[k % len(HIDDEN)],
         "seed": str(100 + k), "epochs": str(EPOCHS[k % len(EPOCHS)])}
        for k in range(count)
    ]


async def visit_over_protocol(server: Server, configs: list[dict[str, str]]) -> list[str]:
    """The same visits as websocket sessions (benchmarks/_protocol.py): the server does the same work,
    and no browser competes with it for the cores, so 50 configurations take minutes, not a quarter hour."""
    problems: list[str] = []
    started = time.perf_counter()
    for k, params in enumerate(configs):
        first, second = PAGES[k % len(PAGES)], PAGES[(k + 1) % len(PAGES)]
        query = "&".join(f"{key}={value}" for key, value in params.items())
        try:
            async with ProtocolSession(server.url, timeout_s=STEP_TIMEOUT_S) as session:
                for spec, run in ((first, session.open(first.url_path, query)),
                                  (second, session.switch(second.url_path))):
                    problems += [f"config {k + 1} on /{spec.url_path}?{query}: exception: {text!r}"
                                 for text in (await run).exceptions]
        except Exception as error:  # a failed page is a result to report, not a reason to stop
            problems.append(f"config {k + 1} ({query}): {type(error).__name__}: {str(error)[:200]}")
        if (k + 1) % REPORT_EVERY == 0 or k + 1 == len(configs):
            report(server, k + 1, started)
    return problems


def report(server: Server, done: int, started: float) -> None:
    now = server.memory.sample() / MB
    print(f"after {done:>3} configurations: RSS {now:6.0f} MB (PSS {server.memory.last_pss / MB:6.0f}), peak "
          f"so far {server.memory.peak / MB:6.0f} MB (PSS {server.memory.peak_pss / MB:6.0f}) "
          f"({time.perf_counter() - started:4.0f} s)", flush=True)


async def visit_in_browser(server: Server, configs: list[dict[str, str]]) -> list[str]:
    """Open each configuration in a fresh session on one page, switch to the next page; check, report."""
    from playwright.async_api import async_playwright

    problems: list[str] = []
    started = time.perf_counter()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            for k, params in enumerate(configs):
                first, second = PAGES[k % len(PAGES)], PAGES[(k + 1) % len(PAGES)]
                query = "&".join(f"{key}={value}" for key, value in params.items())
                context, page = await new_session_page(browser)
                try:
                    url = f"{server.url}/{first.url_path}?{query}"
                    await timed_until_finished(page, functools.partial(page.goto, url), STEP_TIMEOUT_S,
                                               runs_before=0)
                    problems += await exceptions(page, k, first.url_path, query)
                    link = nav_link(page, server.url, second.url_path)
                    await timed_until_finished(page, link.click, STEP_TIMEOUT_S)
                    problems += await exceptions(page, k, second.url_path, query)
                except Exception as error:  # a failed page is a result to report, not a reason to stop
                    state = await page_state(page)
                    problems.append(f"config {k + 1} ({query}): {type(error).__name__}: "
                                    f"{str(error).splitlines()[0][:200]}; page state {state}")
                finally:
                    await context.close()  # the student leaves: the session's state may be freed
                if (k + 1) % REPORT_EVERY == 0 or k + 1 == len(configs):
                    report(server, k + 1, started)
        finally:
            await browser.close()
    return problems


async def exceptions(page: Any, k: int, url_path: str, query: str) -> list[str]:
    texts = await page.locator('[data-testid="stException"]').all_inner_texts()
    return [f"config {k + 1} on /{url_path}?{query}: exception: {text[:300]!r}" for text in texts]


# The heaviest views a student can ask for (issue 16: "six heavy requests at once" reached 752 MB): the
# widest networks on the largest data sets, Adam, on the lesson that trains the most networks per view.
HEAVY = ("dataset=digits&hidden=64-64-64&optimizer=adam&learning_rate=0.01",
         "dataset=iris&hidden=64-64-64&optimizer=adam&learning_rate=0.01",
         "dataset=digits&hidden=64-64&optimizer=adam&learning_rate=0.01",
         "dataset=breast_cancer&hidden=64-64-64&optimizer=adam&learning_rate=0.01")
HEAVY_PAGE = "identical-vs-random"
HEAVY_EXPERIMENTS = ("Four starts", "Tiny nudge")


async def heavy_at_once(server: Server, count: int) -> list[str]:
    """`count` sessions at once, each opening one of the heaviest views with its own seed, on the lesson
    that trains the most networks (Identical vs random start, its heaviest experiments)."""
    problems: list[str] = []

    async def one(k: int) -> None:
        experiment = HEAVY_EXPERIMENTS[k % len(HEAVY_EXPERIMENTS)].replace(" ", "+")
        query = f"{HEAVY[k % len(HEAVY)]}&seed={500 + k}&compare_experiment={experiment}"
        try:
            async with ProtocolSession(server.url, timeout_s=STEP_TIMEOUT_S * 3) as session:
                run = await session.open(HEAVY_PAGE, query)
                problems.extend(f"heavy view {k + 1} ({query}): exception: {text!r}"
                                for text in run.exceptions)
        except Exception as error:
            problems.append(f"heavy view {k + 1} ({query}): {type(error).__name__}: {str(error)[:200]}")

    started = time.perf_counter()
    await asyncio.gather(*(one(k) for k in range(count)))
    report(server, count, started)
    return problems


VISITS = {"protocol": visit_over_protocol, "browser": visit_in_browser}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configs", type=int, default=50, help="distinct configurations (default 50)")
    parser.add_argument("--limit-mb", type=float, default=LIMIT_MB, help="RSS limit in MB (default 600)")
    parser.add_argument("--driver", choices=sorted(VISITS), default="protocol",
                        help="protocol: websocket sessions (default); browser: headless Chromium tabs")
    parser.add_argument("--heavy-at-once", type=int, default=0, metavar="N",
                        help="instead: N sessions open the heaviest views at the same moment (protocol)")
    parser.add_argument("--malloc-arena-max", type=int, default=None,
                        help="start the server with MALLOC_ARENA_MAX set to this (glibc: fewer per-thread "
                             "heaps, which Streamlit's one-thread-per-run model otherwise multiplies)")
    args = parser.parse_args()
    exit_on_sigterm()
    configs = configurations(args.configs)
    assert len({tuple(c.items()) for c in configs}) == len(configs), "configurations must be distinct"
    for params in configs:  # each must be a valid URL (epochs may be capped), or it would measure defaults
        _, warnings = RunConfig.from_query_params(params)
        assert all("compute budget" in warning for warning in warnings), warnings
    env = {} if args.malloc_arena_max is None else {"MALLOC_ARENA_MAX": str(args.malloc_arena_max)}
    with running_server("memory-test-server.log", extra_env=env) as server:
        start_mb = server.memory.sample() / MB
        print(f"server started{' with ' + str(env) if env else ''}: RSS {start_mb:.0f} MB; {len(configs)} "
              f"configurations across {len(PAGES)} pages, two pages each", flush=True)
        if args.heavy_at_once:
            print(f"{args.heavy_at_once} heavy views at once on /{HEAVY_PAGE}", flush=True)
            problems = asyncio.run(heavy_at_once(server, args.heavy_at_once))
        else:
            problems = asyncio.run(VISITS[args.driver](server, configs))
        final_mb, peak_mb = server.memory.sample() / MB, server.memory.peak / MB
        final_pss, peak_pss = server.memory.last_pss / MB, server.memory.peak_pss / MB
        tracebacks = server.tracebacks()
        if tracebacks:
            print(f"the server logged {tracebacks} traceback(s); its tail:\n{server.log_tail()}")
    for problem in problems:
        print(f"  {problem}")
    print(f"\nRSS at the end {final_mb:.0f} MB, peak {peak_mb:.0f} MB; PSS at the end {final_pss:.0f} MB, "
          f"peak {peak_pss:.0f} MB (limit {args.limit_mb:.0f} MB, on PSS)")
    print("RSS sums every process's resident pages, so the pages the training pool's forkserver shares with "
          "its workers count once per process; PSS counts each page once, as the container's limit does.")
    if peak_pss > args.limit_mb:
        print("FAILED: the server's memory went over the limit")
        return 1
    if problems or tracebacks:
        print("FAILED: pages showed exceptions or failed to load (see above)")
        return 1
    print("memory stayed bounded; every page ran without an exception")
    return 0


if __name__ == "__main__":
    sys.exit(main())
